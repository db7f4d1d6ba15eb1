# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Conflicts: the same field changed on both sides since the last synchronization.

An importer or an exporter that meets one builds a ``Conflict`` and asks
the ``ConflictResolver`` of its model who wins:

- ``LOCAL``: the Odoo value is kept and sent to the external system;
- ``REMOTE``: the external value is kept and written in Odoo;
- ``ASK``: neither side is overwritten; a checkpoint shows both values,
  with buttons to keep one or the other;
- ``Merge(value)``: a new value (in the form Odoo writes it) for both sides.

By default the backend's ``conflict_policy`` decides. A connector decides
per field by registering a resolver with ``resolve_<field>`` methods::

    @shop
    class PartnerConflictResolver(ConflictResolver):
        _model_name = 'shop.res.partner'

        def resolve_phone(self, conflict):   # the newest change wins
            return LOCAL if conflict.local_date > conflict.remote_date else REMOTE

        def resolve_loyalty_points(self, conflict):   # both sides added points
            return Merge(conflict.local + conflict.remote - conflict.last)

A synchronizer whose plan for a field is undecided (both sides changed,
see ``sync_state.plan_field``) calls ``ConflictResolver.settle()``: the
resolver decides, the decision is logged on the binding (``sync_log``),
and ``ASK`` opens a checkpoint whose buttons carry a person's choice
(``external.binding._settle_conflict``, planned by ``plan_field`` too).
"""
import json

from ..checkpoint import checkpoint_target
from ..connector_unit import ConnectorUnit

LOCAL = 'local'
REMOTE = 'remote'
ASK = 'ask'

POLICIES = [
    (REMOTE, 'The external system wins'),
    (LOCAL, 'Odoo wins'),
    (ASK, 'Ask a person (checkpoint)'),
]


#: What each decision does, as the binding's log says it.
OUTCOMES = {
    ASK: 'neither side is overwritten; a checkpoint asks a person to choose',
    LOCAL: 'the Odoo value is kept and sent to the backend',
    REMOTE: 'the backend value is kept and written in Odoo',
}


def shown(value):
    """A comparable value as a person reads it in a message."""
    if value is False:
        return '(empty)'
    return json.dumps(value, ensure_ascii=False)


def displayed(record, field_name, value):
    """A comparable value of ``record``'s field as the web client would show it."""
    field = record._fields.get(field_name)
    if value is False or value == [] or field is None:
        return json.dumps(value) if field is None else '(empty)'
    if field.type in ('many2one', 'many2many', 'one2many'):
        related = record.env[field.comodel_name].browse(
            value if isinstance(value, list) else [value]).exists()
        return ', '.join(related.mapped('display_name')) or '(deleted record)'
    if field.type == 'selection':
        selection = dict(field._description_selection(record.env))
        return selection.get(value, value)
    return str(value)


class Merge(object):
    """A resolution that writes ``value`` (as Odoo writes it) on both sides."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return 'Merge(%r)' % (self.value,)


class Conflict(object):
    """One field of one binding changed on both sides since the last sync.

    ``last``, ``local`` and ``remote`` are comparable values (see
    ``sync_state``): the value both sides had at the last sync, and each
    side's value now. ``local_date``/``local_user`` say when and by whom the
    Odoo record was last written, ``remote_date`` when the external record
    was (None when the external system does not say).
    """

    def __init__(self, binding, field_name, last, local, remote, remote_date=None):
        self.binding = binding
        self.field_name = field_name
        self.last = last
        self.local = local
        self.remote = remote
        self.local_date = binding.write_date
        self.local_user = binding.write_uid.name
        self.remote_date = remote_date

    @property
    def field_label(self):
        field = self.binding._fields.get(self.field_name)
        return field.string if field is not None else self.field_name

    def __repr__(self):
        return '<Conflict %s,%s %s: last %r, local %r, remote %r>' % (
            self.binding._name, self.binding.id, self.field_name, self.last, self.local,
            self.remote)


class ConflictResolver(ConnectorUnit):
    """Decides who wins a conflict: ``resolve_<field>`` if defined, else the policy.

    Register a subclass for a binding model to decide per field; without
    one, the synchronizers use this class as it is.
    """

    _model_name = None

    def resolve(self, conflict):
        """``LOCAL``, ``REMOTE``, ``ASK`` or a ``Merge`` for ``conflict``."""
        method = getattr(self, 'resolve_%s' % conflict.field_name, None)
        if method is not None:
            return method(conflict)
        return self.default_policy()

    def default_policy(self):
        """The backend record's ``conflict_policy`` (``ASK`` when it has none)."""
        return getattr(self.backend_record, 'conflict_policy', None) or ASK

    def settle(self, conflict):
        """Decide ``conflict`` and log the decision on its binding; ``ASK`` opens a checkpoint.

        :returns: ``LOCAL``, ``REMOTE``, ``ASK`` or a ``Merge``, for ``plan_field``
        :raises ValueError: ``resolve`` answered something else
        """
        decision = self.resolve(conflict)
        if isinstance(decision, Merge):
            outcome = 'both sides get the merged value %r' % (decision.value,)
        elif isinstance(decision, str) and decision in OUTCOMES:
            outcome = OUTCOMES[decision]
        else:
            raise ValueError(
                'Backend %r: %s.resolve() returned %r for field %r of %s,%s; it must return '
                'LOCAL, REMOTE, ASK or Merge(value).' % (
                    self.backend_record.display_name, type(self).__name__, decision,
                    conflict.field_name, conflict.binding._name, conflict.binding.id))
        if decision == ASK:
            self._add_checkpoint(conflict)
        conflict.binding._add_sync_log(
            '%s changed on both sides (here %s, by %s on %s; on the backend %s, on %s); '
            'decided: %s: %s.' % (
                conflict.field_name, shown(conflict.local), conflict.local_user,
                conflict.local_date, shown(conflict.remote),
                conflict.remote_date or 'an unknown date',
                decision if isinstance(decision, str) else 'merge', outcome))
        return decision

    def _add_checkpoint(self, conflict):
        """Ask a person to choose between the two values of ``conflict``.

        One open checkpoint per binding and field: a conflict met again
        updates it with the values of now.
        """
        binding, backend_record = conflict.binding, self.backend_record
        target = checkpoint_target(self.env, binding._name, binding.id, backend_record._name,
                                   backend_record.id)
        checkpoints = self.env['connector.checkpoint'].sudo()
        values = {
            'conflict_field': conflict.field_name,
            'local_value': json.dumps(conflict.local),
            'remote_value': json.dumps(conflict.remote),
            'local_display': displayed(binding, conflict.field_name, conflict.local),
            'remote_display': displayed(binding, conflict.field_name, conflict.remote),
            'local_changed': '%s by %s' % (conflict.local_date, conflict.local_user),
            'remote_changed': conflict.remote_date or 'unknown date',
            'message': 'Backend %r: %s of %s %r (external id %s) changed on both sides since '
                       'the last synchronization: choose the value to keep.' % (
                           backend_record.display_name, conflict.field_label, binding._name,
                           binding.display_name, binding.external_id),
        }
        existing = checkpoints.search([('model_id', '=', target['model_id']),
                                       ('record_id', '=', binding.id),
                                       ('conflict_field', '=', conflict.field_name),
                                       ('state', '=', 'need_review')], limit=1)
        if existing:
            existing.write(values)
            return existing
        return checkpoints.create(dict(target, **values))
