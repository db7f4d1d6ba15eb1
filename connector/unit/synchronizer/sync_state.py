# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What was last synchronized, per binding and field: the base of two-way sync.

Each binding keeps, in ``sync_values`` (JSON), the value every synchronized
field had on both sides the last time they were made equal, in a
comparable form (``comparable()``). With it a synchronizer tells, field by
field, which side changed since then::

    last = SyncState(binding)
    side = last.changed_side('phone', local_value, remote_value)
    # 'none': equal; 'local' or 'remote': only that side changed, it wins;
    # 'both': a conflict, settled by the ConflictResolver

Values are compared in the form Odoo writes them, made comparable: a
many2one is an id or False, a many2many a sorted list of ids, an empty
text (None, False or '') is False. A value that cannot be made comparable
(a one2many command creating lines) is ``UNTRACKED``: it is written every
time, as before, and never reported as a conflict.
"""
import json

from odoo import fields as odoo_fields

UNTRACKED = object()
"""The comparable form of a value that cannot be compared (see module doc)."""

_TEXT_TYPES = ('char', 'text', 'html', 'selection')
_NUMBER_TYPES = ('integer', 'float', 'monetary')


def comparable(field, value):
    """``value`` of Odoo ``field`` (a value ``write()`` accepts) in comparable form."""
    ftype = field.type
    if ftype in _TEXT_TYPES:
        return value or False
    if ftype == 'boolean':
        return bool(value)
    if ftype in _NUMBER_TYPES:
        return round(float(value or 0), 6) if ftype != 'integer' else int(value or 0)
    if ftype == 'many2one':
        value = getattr(value, 'id', value)
        return value or False
    if ftype in ('many2many', 'one2many'):
        return _x2many_ids(value)
    if ftype in ('date', 'datetime'):
        if not value or isinstance(value, str):
            return value or False
        kind = odoo_fields.Date if ftype == 'date' else odoo_fields.Datetime
        return kind.to_string(value)
    return value if value not in (None, '') else False


def _x2many_ids(value):
    """Sorted ids that x2many write commands leave, or UNTRACKED for other commands."""
    if not value:
        return []
    if hasattr(value, 'ids'):
        return sorted(value.ids)
    ids = set()
    for command in value:
        if isinstance(command, int):
            ids.add(command)
        elif command[0] == 6:
            ids = set(command[2])
        elif command[0] == 4:
            ids.add(command[1])
        elif command[0] in (3, 2):
            ids.discard(command[1])
        elif command[0] == 5:
            ids = set()
        else:  # 0 (create) or 1 (update) change the lines themselves
            return UNTRACKED
    return sorted(ids)


def comparable_values(model, values):
    """``{field: comparable}`` of write-form ``values`` of ``model``; unknown keys left out."""
    result = {}
    for name, value in values.items():
        field = model._fields.get(name)
        if field is not None:
            result[name] = comparable(field, value)
    return result


def record_values(record, field_names):
    """``{field: comparable}`` of the current values of ``record`` (one record)."""
    result = {}
    for name in field_names:
        field = record._fields.get(name)
        if field is not None:
            result[name] = comparable(field, field.convert_to_write(record[name], record))
    return result


def shown(value):
    """A comparable value as a person reads it in a message."""
    if value is False:
        return '(empty)'
    return json.dumps(value, ensure_ascii=False)


class SyncState(object):
    """The last synchronized values of one binding (its ``sync_values`` field).

    Changes are kept in memory until ``save()``, which writes them with the
    other values of the binding that the caller gives.
    """

    field_name = 'sync_values'

    def __init__(self, binding):
        self.binding = binding
        raw = binding[self.field_name] if binding else False
        try:
            self.values = json.loads(raw) if raw else {}
        except ValueError:  # damaged by hand: forget it, both sides count as unchanged
            self.values = {}
        self.dirty = False

    def __contains__(self, field_name):
        return field_name in self.values

    def get(self, field_name, default=None):
        return self.values.get(field_name, default)

    def set(self, field_name, value):
        if value is UNTRACKED:
            return
        if self.values.get(field_name, UNTRACKED) != value:
            self.values[field_name] = value
            self.dirty = True

    def changed_side(self, field_name, local, remote):
        """Which side changed ``field_name`` since the last sync: none, local, remote, both.

        A field never synchronized yet counts as unchanged on the side that
        is not the one being read in full: see ``Importer`` and ``Exporter``.
        """
        if local == remote:
            return 'none'
        last = self.values.get(field_name, UNTRACKED)
        if last is UNTRACKED:
            return 'unknown'
        if local == last:
            return 'remote'
        if remote == last:
            return 'local'
        return 'both'

    def as_json(self):
        return json.dumps(self.values, sort_keys=True, ensure_ascii=False)
