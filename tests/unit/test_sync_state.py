# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Comparable values and the last synchronized state: which side changed a field.

The decision table built on them, ``plan_field``, is tested in test_plan_field.py.

``comparable()`` reads only the type of a field, so Odoo's field objects
are used as they are, outside any model; a binding is a dict holding
``sync_values``.
"""
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from odoo import fields

from odoo.addons.connector.unit.synchronizer.sync_state import (LOCAL, REMOTE, UNTRACKED, FieldPlan,
                                                                SyncState, changed_side, comparable,
                                                                comparable_values, record_values)

# Odoo field objects outside a model (not set up: only their type is read);
# parametrized by name, since pytest cannot inspect a field that is not set up.
FIELDS = {
    'char': fields.Char(), 'text': fields.Text(), 'selection': fields.Selection([('a', 'A')]),
    'boolean': fields.Boolean(), 'integer': fields.Integer(), 'float': fields.Float(),
    'many2one': fields.Many2one('res.country'),
    'many2many': fields.Many2many('res.partner.category'),
    'one2many': fields.One2many('res.partner', 'parent_id'),
    'date': fields.Date(), 'datetime': fields.Datetime(),
}


@pytest.mark.parametrize('field, written, expected', [
    ('char', [None, False, ''], False),
    ('text', ['same text'], 'same text'),
    ('selection', ['a'], 'a'),
    ('boolean', [None, 0, False], False),
    ('boolean', [1, 'yes'], True),
    ('integer', [None, False, 0], 0),
    ('integer', ['7', 7, 7.0], 7),
    ('float', [1.0000001, '1', 1], 1.0),
    ('many2one', [SimpleNamespace(id=4), 4], 4),
    ('many2one', [None, False, 0, SimpleNamespace(id=False)], False),
    ('many2many', [[(6, 0, [3, 1])], [(4, 1), (4, 3)], [3, 1], [(6, 0, [1, 2, 3]), (3, 2)]],
     [1, 3]),
    ('many2many', [None, False, [], [(4, 1), (5,)]], []),
    ('many2many', [[(6, 0, [33, 1])], [(4, 33), (4, 1)], [1, 33]], [1, 33]),
    ('date', [date(2026, 3, 1), '2026-03-01'], '2026-03-01'),
    ('datetime', [datetime(2026, 3, 1, 8, 30), '2026-03-01 08:30:00'], '2026-03-01 08:30:00'),
    ('date', [None, False, ''], False),
])
def test_values_written_differently_compare_equal(field, written, expected):
    """Every form write() accepts for the same value gives the same comparable value."""
    assert [comparable(FIELDS[field], value) for value in written] == [expected] * len(written)


def test_lines_created_or_updated_are_untracked():
    """x2many commands 0 (create) and 1 (update) cannot be compared: UNTRACKED."""
    assert comparable(FIELDS['one2many'], [(0, 0, {'name': 'Contact'})]) is UNTRACKED
    assert comparable(FIELDS['many2many'], [(4, 1), (1, 1, {'name': 'x'})]) is UNTRACKED


def test_recordset_of_a_many2many_compares_as_its_sorted_ids():
    """A recordset (anything with ids) gives its sorted ids."""
    assert comparable(FIELDS['many2many'], SimpleNamespace(ids=[9, 2])) == [2, 9]


def test_comparable_values_leave_out_keys_that_are_not_fields():
    """Values of unknown keys (a binding's own) are not compared."""
    model = SimpleNamespace(_fields={'name': FIELDS['char'], 'country_id': FIELDS['many2one']})
    assert comparable_values(model, {'name': '', 'country_id': 4, 'backend_id': 1}) == {
        'name': False, 'country_id': 4}


def test_record_values_read_the_record_in_write_form():
    """A record's current values, converted as write() would take them, made comparable."""
    record = {'name': 'Acme', 'country_id': SimpleNamespace(id=4), 'color': None}
    fields_of = {name: FIELDS[kind] for name, kind in (
        ('name', 'char'), ('country_id', 'many2one'), ('color', 'integer'))}
    record = type('Record', (dict,), {'_fields': fields_of})(record)
    assert record_values(record, ['name', 'country_id', 'color', 'missing']) == {
        'name': 'Acme', 'country_id': 4, 'color': 0}


def state(values=None):
    """The SyncState of a binding whose last sync left ``values``."""
    import json
    return SyncState({'sync_values': json.dumps(values) if values is not None else False})


@pytest.mark.parametrize('local, remote, side', [
    ('+33 1', '+33 1', 'none'),
    ('+33 9', '+33 9', 'none'),
    ('+33 1', '+33 9', 'remote'),
    ('+33 9', '+33 1', 'local'),
    ('+33 8', '+33 9', 'both'),
])
def test_changed_side_compares_each_side_with_the_last_sync(local, remote, side):
    """Only remote changed, only local changed, both (a conflict), or neither (also when
    both made the same change)."""
    assert changed_side('+33 1', local, remote) == side


def test_field_never_synchronized_is_unknown_unless_equal():
    """Without a last value nobody can tell who changed it."""
    assert changed_side(UNTRACKED, 'a', 'b') == 'unknown'
    assert changed_side(UNTRACKED, 'a', 'a') == 'none'


def test_a_side_that_cannot_be_compared_is_untracked():
    """A value without comparable form (lines created) on either side: untracked."""
    assert [changed_side('a', UNTRACKED, 'a'), changed_side('a', 'a', UNTRACKED),
            changed_side(UNTRACKED, UNTRACKED, UNTRACKED)] == ['untracked'] * 3


@pytest.mark.parametrize('record, kept', [(None, '+33 1'), (LOCAL, '+33 2'), (REMOTE, '+33 3')])
def test_record_keeps_the_value_the_plan_names(record, kept):
    """A plan's record: keep the last value, or take Odoo's, or the backend's."""
    last = state({'phone': '+33 1'})
    last.record('phone', FieldPlan(record=record), '+33 2', '+33 3')
    assert (last.get('phone'), last.dirty) == (kept, record is not None)


def test_set_marks_dirty_only_on_change_and_ignores_untracked():
    """Setting the same value, or UNTRACKED, leaves nothing to save."""
    last = state({'phone': '+33 1'})
    last.set('phone', '+33 1')
    last.set('child_ids', UNTRACKED)
    last.set('phone', UNTRACKED)
    assert not last.dirty and 'child_ids' not in last and last.get('phone') == '+33 1'
    last.set('phone', '+33 2')
    assert last.dirty and last.get('phone') == '+33 2'
    assert last.as_json() == '{"phone": "+33 2"}'


def test_damaged_or_missing_state_counts_as_never_synchronized():
    """Hand-edited JSON, no value, or no binding: an empty state, no error."""
    assert SyncState({'sync_values': '{not json'}).values == {}
    assert state().values == {}
    assert SyncState(None).values == {}


def test_state_json_is_sorted_and_keeps_accents():
    """The stored text is stable (sorted keys) and readable (no escapes)."""
    last = state({})
    last.set('name', 'Zoë')
    last.set('city', 'Lyon')
    assert last.as_json() == '{"city": "Lyon", "name": "Zoë"}'
