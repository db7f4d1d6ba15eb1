# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The text of the queue's statements, checked without PostgreSQL.

No SQL parser is installed for Python 3.7 here, so whether each statement
is valid SQL is left to the integration tier (tests/integration/test_queue_store.py
runs every one). What the text alone shows: its parameters are written so
that psycopg2 can pass them, and the workers listen where the trigger
notifies.
"""
import re

import pytest

from odoo.addons.connector.queue import queries

PLACEHOLDER = re.compile(r'%(?:\((?P<name>[A-Za-z_][A-Za-z0-9_]*)\))?s|%%')

STATEMENTS = sorted(name for name, value in vars(queries).items()
                    if name.isupper() and not name.startswith('_') and isinstance(value, str))


def placeholders(text):
    """(positional count, named parameters) of a statement's text."""
    found = [match for match in PLACEHOLDER.finditer(text) if match.group(0) != '%%']
    named = {match.group('name') for match in found if match.group('name')}
    return len(found) - sum(1 for match in found if match.group('name')), named


def test_statements_are_found():
    """The module's statements are its upper-case texts: the claim and the outcomes among them."""
    assert {'CLAIM_NEXT_JOB', 'INSERT_JOB', 'SET_DONE', 'SET_FAILED'} <= set(STATEMENTS)


@pytest.mark.parametrize('name', STATEMENTS)
def test_parameters_are_all_positional_or_all_named(name):
    """psycopg2 refuses a statement mixing %s and %(name)s: each uses one kind."""
    positional, named = placeholders(getattr(queries, name))
    assert not (positional and named), '%s mixes %%s with %%(%s)s' % (name, sorted(named)[0])


@pytest.mark.parametrize('name', STATEMENTS)
def test_every_percent_of_a_parametrized_statement_is_a_placeholder(name):
    """With parameters, a bare % (LIKE 'x%') breaks the statement: it must be %%."""
    text = getattr(queries, name)
    positional, named = placeholders(text)
    if positional or named:
        stray = PLACEHOLDER.sub('', text)
        assert '%' not in stray, '%s has a "%%" that is not a placeholder: %r' % (
            name, stray[max(0, stray.index('%') - 30):stray.index('%') + 10])


def test_workers_listen_where_the_trigger_notifies():
    """The NOTIFY trigger and the workers' LISTEN use the one channel name."""
    assert queries.LISTEN == 'LISTEN %s' % queries.NOTIFY_CHANNEL
    assert "pg_notify('%s', '')" % queries.NOTIFY_CHANNEL in queries.CREATE_NOTIFY_TRIGGER
