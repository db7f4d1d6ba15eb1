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
"""
from ..connector_unit import ConnectorUnit

LOCAL = 'local'
REMOTE = 'remote'
ASK = 'ask'

POLICIES = [
    (REMOTE, 'The external system wins'),
    (LOCAL, 'Odoo wins'),
    (ASK, 'Ask a person (checkpoint)'),
]


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
