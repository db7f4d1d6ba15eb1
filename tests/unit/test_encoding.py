# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job arguments stored as JSON: what is accepted, how it reads back, what is refused."""
from datetime import date, datetime, timedelta, timezone

import pytest

from odoo.addons.connector.exception import JobArgumentError
from odoo.addons.connector.queue.encoding import decode_arguments, encode_arguments

from fakes import fake_env


class Records:
    """Stands for a recordset: encoded as its model and ids."""

    def __init__(self, model, ids):
        self._name, self._ids, self.env = model, tuple(ids), None


class BrowsingEnv:
    """An environment whose models browse into (model, ids) pairs."""

    registry = {'res.partner'}
    cr = type('Cursor', (), {'dbname': 'shop_test'})

    def __getitem__(self, model):
        return type('Model', (), {'browse': staticmethod(lambda ids: (model, ids))})


def refusal(value):
    with pytest.raises(JobArgumentError) as caught:
        encode_arguments(value)
    return str(caught.value)


def test_plain_values_read_back_equal():
    """Texts, numbers, booleans, None, lists and dicts come back as they went in."""
    args = ['C-17', 3, 2.5, True, None, ['email', 'phone'], {'lang': 'fr_FR', 'n': {'x': 1}}]
    assert decode_arguments(encode_arguments(args), env=None) == args


def test_tuples_read_back_as_lists():
    """JSON has no tuple: a tuple is stored as a list."""
    assert decode_arguments(encode_arguments([(1, 2)]), env=None) == [[1, 2]]


def test_dates_and_datetimes_read_back_with_their_type():
    """A date stays a date, a datetime a datetime, with or without microseconds."""
    args = [date(2026, 3, 1), datetime(2026, 3, 1, 8, 30), datetime(2026, 3, 1, 8, 30, 0, 125)]
    decoded = decode_arguments(encode_arguments(args), env=None)
    assert decoded == args
    assert [type(value) for value in decoded] == [date, datetime, datetime]


def test_recordset_is_stored_as_model_and_ids_and_browsed_back():
    """A recordset is stored as its model and ids, and browsed in the worker's env."""
    text = encode_arguments({'partner': Records('res.partner', [7, 9])})
    assert text == '{"partner":{"_type":"recordset","ids":[7,9],"model":"res.partner"}}'
    assert decode_arguments(text, BrowsingEnv()) == {'partner': ('res.partner', [7, 9])}


def test_encoding_is_compact_and_sorted():
    """The same arguments always give the same text (identity keys and SQL rely on it)."""
    assert encode_arguments({'b': 1, 'a': [1, 2]}) == '{"a":[1,2],"b":1}'


@pytest.mark.parametrize('value, message', [
    ([{'when': {1, 2}}], "argument [0]['when']: a set cannot be stored in a job; pass a list, "
                         "a dict, a number, a text, a date, a datetime or a recordset"),
    ([float('nan')], 'argument [0]: nan cannot be stored in a job (JSON has no NaN or '
                     'infinity)'),
    ([{1: 'x'}], 'argument [0]: key 1 is a int; the keys of a dict stored in a job must be '
                 'texts'),
    ([{'_type': 'x'}], "argument [0]: the key '_type' is reserved by the job encoding"),
    ([datetime(2026, 3, 1, tzinfo=timezone(timedelta(hours=1)))],
     "argument [0]: datetime.datetime(2026, 3, 1, 0, 0, tzinfo=datetime.timezone("
     "datetime.timedelta(seconds=3600))) has a time zone; give a naive UTC datetime, as Odoo "
     "stores them"),
])
def test_value_that_cannot_be_stored_is_refused_with_its_path(value, message):
    """The refusal names where the bad value is and what to pass instead."""
    assert refusal(value) == message


def test_recordset_of_a_model_missing_in_the_database_is_refused():
    """A job whose model's addon was uninstalled says so instead of a KeyError."""
    text = encode_arguments([Records('shop.backend', [5])])
    with pytest.raises(JobArgumentError) as caught:
        decode_arguments(text, BrowsingEnv())
    assert str(caught.value) == (
        "a recordset of model 'shop.backend' is in the arguments, but that model does not "
        "exist in database shop_test (is its addon installed?)")


@pytest.mark.parametrize('text, message', [
    ('[1, 2', "stored job arguments are not valid JSON (Expecting ',' delimiter: line 1 "
              "column 6 (char 5)): '[1, 2'"),
    ('[{"_type": "date", "value": "01/03/2026"}]',
     "stored date {'_type': 'date', 'value': '01/03/2026'} cannot be read back: time data "
     "'01/03/2026' does not match format '%Y-%m-%d'"),
    ('[{"_type": "datetime"}]',
     "stored datetime {'_type': 'datetime'} cannot be read back: 'value'"),
    ('[{"_type": "pickle", "value": "x"}]',
     "stored value {'_type': 'pickle', 'value': 'x'} has an unknown type 'pickle'"),
])
def test_damaged_stored_arguments_are_refused_saying_what_is_wrong(text, message):
    """A row edited by hand reads back as a JobArgumentError, never a bare exception."""
    with pytest.raises(JobArgumentError) as caught:
        decode_arguments(text, fake_env())
    assert str(caught.value) == message


def test_empty_stored_arguments_read_as_none():
    """A NULL column reads back as None."""
    assert decode_arguments(None, env=None) is None
    assert decode_arguments('', env=None) is None
