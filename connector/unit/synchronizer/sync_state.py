# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What was last synchronized, per binding and field, and what to do with each field.

Each binding keeps, in ``sync_values`` (JSON), the value every synchronized
field had on both sides the last time they were made equal, in a
comparable form (``comparable()``). Values are compared in the form Odoo
writes them, made comparable: a many2one is an id or False, a many2many a
sorted list of ids, an empty text (None, False or '') is False. A value
that cannot be made comparable (a one2many command creating lines) is
``UNTRACKED``: it is written every time, and never reported as a conflict.

With the last value, ``plan_field()`` is the one rule of two-way sync: for
one field, in one direction (an import, an export, or a person's choice at
a checkpoint), what to write here, what to send, which value to record as
synchronized, and whether a conflict is to be settled first::

    >>> plan_field(IMPORT, last='+33 1', local='+33 1', remote='+33 9')
    FieldPlan(write='remote', send=False, later=None, record='remote', undecided=False)
    >>> plan_field(EXPORT, last='+33 1', local='+33 2', remote='+33 9')
    FieldPlan(write=None, send=False, later=None, record=None, undecided=True)
    >>> plan_field(EXPORT, last='+33 1', local='+33 2', remote='+33 9', decision=REMOTE)
    FieldPlan(write=None, send=False, later='import', record='local', undecided=False)

The synchronizers carry the plans out (``Synchronizer._plan_fields``, then
``Importer`` writes and ``Exporter`` sends), a conflict is settled by
``ConflictResolver.settle()`` (``unit/conflict.py``), and a person's choice
by the binding (``external.binding._settle_conflict``).
"""
import json
from typing import Any, Dict, NamedTuple, Optional, Tuple, Union

from odoo import fields as odoo_fields

from ...event import NO_EXPORT_KEY
from ..conflict import ASK, LOCAL, REMOTE, Merge

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


class SyncState(object):
    """The last synchronized values of one binding (its ``sync_values`` field).

    Changes are kept in memory (``dirty`` says there are some) until the
    caller writes ``as_json()`` with the other values of the binding, or
    ``save()``.
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

    def record(self, field_name, plan, local, remote):
        """Keep the value that ``plan`` says is now synchronized: ``local``, ``remote`` or none."""
        if plan.record == REMOTE:
            self.set(field_name, remote)
        elif plan.record == LOCAL:
            self.set(field_name, local)

    def as_json(self):
        return json.dumps(self.values, sort_keys=True, ensure_ascii=False)

    def save(self):
        """Write the values on the binding, if they changed; no export follows."""
        if self.dirty:
            self.binding.with_context(**{NO_EXPORT_KEY: True}).write(
                {self.field_name: self.as_json()})


# -- the decision table ----------------------------------------------------

IMPORT = 'import'
"""An import: reads the backend's record in full and writes in Odoo now."""
EXPORT = 'export'
"""An export: reads the binding in full and sends to the backend now."""
CHOICE = 'choice'
"""A person chose who wins a conflict, at its checkpoint (``LOCAL`` or ``REMOTE``)."""
MERGE = 'merge'
"""In the table: a ``Merge`` decision, and the write of its value."""
_DIRECTION_NAMES = {IMPORT: 'an import', EXPORT: 'an export', CHOICE: "a person's choice"}

Decision = Union[str, Merge]
"""What a conflict's resolver answers: ``LOCAL``, ``REMOTE``, ``ASK`` or a ``Merge``."""


class FieldPlan(NamedTuple):
    """What one synchronization does with one field: the answer of ``plan_field``.

    - ``write``: what to write in Odoo now: None, ``REMOTE`` (the backend's
      value) or the ``Merge`` whose value both sides get;
    - ``send``: send the Odoo value (once written) to the backend now;
    - ``later``: None, ``EXPORT`` or ``IMPORT``: the job to delay that
      carries the winner's value where this synchronization cannot;
    - ``record``: the value to keep as last synchronized: None (keep the
      one kept), ``REMOTE`` (the backend's) or ``LOCAL`` (Odoo's, once
      written). When a job carries the winner's value later, the loser's
      value is recorded, so that to that job only the winner's side looks
      changed;
    - ``undecided``: both sides changed and no decision was given: settle
      the conflict (``ConflictResolver.settle``), then plan again with it.
    """

    write: Union[None, str, Merge] = None
    send: bool = False
    later: Optional[str] = None
    record: Optional[str] = None
    undecided: bool = False


def changed_side(last: Any, local: Any, remote: Any) -> str:
    """Which side changed a field since the last synchronization.

    ``'none'``: both sides are equal (also when both made the same change);
    ``'local'`` or ``'remote'``: only that side changed; ``'both'``: a
    conflict; ``'unknown'``: never synchronized (``last`` is ``UNTRACKED``)
    and different; ``'untracked'``: a side's value cannot be compared.
    """
    if local is UNTRACKED or remote is UNTRACKED:
        return 'untracked'
    if local == remote:
        return 'none'
    if last is UNTRACKED:
        return 'unknown'
    if local == last:
        return 'remote'
    if remote == last:
        return 'local'
    return 'both'


#: (direction, side that changed, decision when both did) -> plan; the whole
#: rule of two-way sync, tested case by case in tests/unit/test_plan_field.py.
_TABLE: Dict[Tuple[str, Optional[str], Optional[str]], FieldPlan] = {
    # An import writes what changed on the backend, or what nobody can tell
    # (never synchronized, or not comparable). A change made in Odoo is left
    # to the export job that the change delayed.
    (IMPORT, 'none', None): FieldPlan(record=REMOTE),
    (IMPORT, 'remote', None): FieldPlan(write=REMOTE, record=REMOTE),
    (IMPORT, 'unknown', None): FieldPlan(write=REMOTE, record=REMOTE),
    (IMPORT, 'untracked', None): FieldPlan(write=REMOTE),
    (IMPORT, 'local', None): FieldPlan(),
    (IMPORT, 'both', REMOTE): FieldPlan(write=REMOTE, record=REMOTE),
    (IMPORT, 'both', LOCAL): FieldPlan(later=EXPORT, record=REMOTE),
    (IMPORT, 'both', MERGE): FieldPlan(write=MERGE, later=EXPORT, record=REMOTE),
    (IMPORT, 'both', ASK): FieldPlan(),
    # An export, the mirror: it sends what changed in Odoo, or what nobody
    # can tell; a change made on the backend is left to the next import.
    (EXPORT, 'none', None): FieldPlan(record=REMOTE),
    (EXPORT, 'local', None): FieldPlan(send=True, record=LOCAL),
    (EXPORT, 'unknown', None): FieldPlan(send=True, record=LOCAL),
    (EXPORT, 'untracked', None): FieldPlan(send=True, record=LOCAL),
    (EXPORT, 'remote', None): FieldPlan(),
    (EXPORT, 'both', LOCAL): FieldPlan(send=True, record=LOCAL),
    (EXPORT, 'both', MERGE): FieldPlan(write=MERGE, send=True, record=LOCAL),
    (EXPORT, 'both', REMOTE): FieldPlan(later=IMPORT, record=LOCAL),
    (EXPORT, 'both', ASK): FieldPlan(),
    # A person's choice: a job carries the winner's value, whatever changed.
    (CHOICE, None, LOCAL): FieldPlan(later=EXPORT, record=REMOTE),
    (CHOICE, None, REMOTE): FieldPlan(later=IMPORT, record=LOCAL),
}


def plan_field(direction: str, last: Any, local: Any, remote: Any,
               decision: Optional[Decision] = None) -> FieldPlan:
    """What to do with one field in one direction (see the module doc).

    :param direction: ``IMPORT``, ``EXPORT``, or ``CHOICE`` (a person's)
    :param last: the last synchronized value (``UNTRACKED`` when none);
        ``local`` and ``remote`` each side's value now; all comparable
        (``UNTRACKED`` when a value is not)
    :param decision: who wins when both sides changed (``LOCAL``,
        ``REMOTE``, ``ASK`` or a ``Merge``), or the person's choice
    :raises ValueError: an unknown direction, or a decision the table has
        no row for (a person's choice is ``LOCAL`` or ``REMOTE``)
    """
    if direction == CHOICE:
        side = None
    elif direction in (IMPORT, EXPORT):
        side = changed_side(last, local, remote)
        if side != 'both':
            return _TABLE[direction, side, None]
        if decision is None:
            return FieldPlan(undecided=True)
    else:
        raise ValueError('plan_field: unknown direction %r; use IMPORT, EXPORT or CHOICE.'
                         % (direction,))
    kind: Optional[str] = MERGE if isinstance(decision, Merge) else None
    if isinstance(decision, str) and decision in (LOCAL, REMOTE, ASK):
        kind = decision
    plan = _TABLE.get((direction, side, kind))
    if plan is None:
        raise ValueError('plan_field: no plan for the decision %r in %s; it must be %s.' % (
            decision, _DIRECTION_NAMES[direction],
            'LOCAL or REMOTE' if direction == CHOICE else 'LOCAL, REMOTE, ASK or Merge(value)'))
    return plan._replace(write=decision) if plan.write == MERGE else plan
