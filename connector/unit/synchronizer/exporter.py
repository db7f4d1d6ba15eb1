# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Export one binding to the external system."""
from odoo import fields

from ...event import NO_EXPORT_KEY
from ...exception import MappingError, NoConnectorUnitError
from ..conflict import Merge
from ..mapper import ExportMapper, ImportMapper
from .base import Synchronizer
from .create_once import CreateOnce
from .sync_state import EXPORT, SyncState, comparable_values, record_values


class Exporter(CreateOnce, Synchronizer):
    """Exports one binding: ``run(binding_id, fields=None)``.

    The flow, each step a hook to override:

    1. lock the binding (``advisory_lock_or_retry``), so two exports of
       one binding cannot create two remote records, and its external id,
       so that an import and an export of one record do not interleave;
    2. stop when nothing changed since the last synchronization
       (``_is_uptodate``) or ``_must_skip()`` gives a reason;
    3. ``_export_dependencies()`` (export the records this one points to,
       with ``_export_dependency``);
    4. map (``_map_data``); with an external id, send only the fields
       changed in Odoo and not on the backend (``_fields_to_send``), with
       ``_update_data``/``_update``; else create (``_create_data`` /
       ``_create``), once (see below); ``_validate_*_data`` before sending;
    5. bind the external id, save what was synchronized, ``_after_export()``.

    **Field by field.** Before an update the exporter reads the external
    record, maps it with the model's ImportMapper (when it has one), and
    sends what ``sync_state.plan_field`` plans: a change of ``phone`` here
    and of ``email`` there is no conflict, each side receives the other's.

    **A record is created once, whatever fails** (``CreateOnce``): an
    exporter overrides ``_add_export_key(data, key)`` and
    ``_find_exported(key)`` so that a retry finds what a failed try created.

    What can still be lost: a change made on the backend and in Odoo to the
    same field is decided by the backend's conflict policy (``ask`` loses
    nothing); a field the external system cannot read back is sent as it is.
    """

    _base_mapper = ExportMapper

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self.binding = None
        self.external_id = None

    def run(self, binding_id, fields=None):
        """Export the binding; ``fields``, when given, are the fields that changed."""
        self.binding = self.model.browse(getattr(binding_id, 'id', binding_id))
        if not self.binding.exists():
            return 'Binding %s,%s no longer exists.' % (self.model._name, self.binding.id)
        self.advisory_lock_or_retry('binding-%s' % self.binding.id)
        self.external_id = self.binder.to_backend(self.binding)
        if self.external_id:  # the importer's lock: one of them at a time on a record
            self.advisory_lock_or_retry(self.external_id)
        if fields is None and self._is_uptodate():
            return 'Nothing changed since the last synchronization.'
        reason = self._must_skip()  # a hook  # pylint: disable=assignment-from-none
        if reason:
            return reason
        self._export_dependencies()
        map_record = self._map_data()
        self.sync_state = SyncState(self.binding)
        if self.external_id:
            sent = self._fields_to_send(fields)
            data = self._update_data(map_record, fields=sent) if sent else {}
            if not data:
                self.sync_state.save()
                return 'Nothing to export.'
            self._validate_update_data(data)
            self._update(data)
        else:
            data = self._create_data(map_record, fields=fields)
            if not data:
                return 'Nothing to export.'
            self._validate_create_data(data)
            self.external_id = self._create_once(data)
            sent = self._exported_fields(fields)
        for name, value in record_values(self.binding, sent).items():
            self.sync_state.set(name, value)
        self.binder.bind(self.external_id, self.binding,
                         values={SyncState.field_name: self.sync_state.as_json()})
        self._after_export()
        return 'Exported %s,%s as %s.' % (self.model._name, self.binding.id, self.external_id)

    # -- field by field ----------------------------------------------------

    def _exported_fields(self, fields=None):
        """The Odoo fields this export maps, among ``fields`` when given."""
        mapped = self.mapper.changed_by_fields()
        return sorted(mapped & set(fields) if fields else mapped)

    def _fields_to_send(self, fields):
        """The fields to send, planned field by field (``_plan_fields``)."""
        candidates = self._exported_fields(fields)
        plans = self._plan_fields(EXPORT, self.binding, candidates,
                                  record_values(self.binding, candidates),
                                  self._remote_values() or {})
        for name, plan in plans.items():
            if isinstance(plan.write, Merge):
                self.binding.with_context(**{NO_EXPORT_KEY: True}).write({name: plan.write.value})
        return [name for name in candidates if plans[name].send]

    def _remote_values(self):
        """The external record mapped as an import would, in comparable form, or None.

        None when the model has no ImportMapper or its adapter cannot read:
        then every field is sent, as a one-way export does.
        """
        try:
            mapper = self.unit_for(ImportMapper)
            self.external_record = self.backend_adapter.read(self.external_id)
            values = mapper.map_record(self.external_record).values()
        except (NoConnectorUnitError, NotImplementedError):
            return None
        except MappingError:  # e.g. a parent not imported yet: compare what can be
            return None
        return comparable_values(self.binding, values)

    # -- hooks -------------------------------------------------------------

    def _is_uptodate(self):
        """True when neither the binding nor its record changed since the last sync."""
        if not self.external_id or not self.binding.sync_date:
            return False
        sync_date = fields.Datetime.from_string(self.binding.sync_date)
        records = [self.binding]
        openerp_field = self.binder._openerp_field
        if openerp_field in self.binding._fields:
            records.append(self.binding[openerp_field])
        return all(fields.Datetime.from_string(record.write_date) <= sync_date
                   for record in records if record.write_date)

    def _must_skip(self):
        """Return a reason (text) not to export, or None."""
        return None

    def _export_dependencies(self):
        """Export the records this one depends on, with ``_export_dependency``."""

    def _export_dependency(self, relation, binding_model, exporter_class=None, force=False):
        """Make sure the Odoo record ``relation`` exists on the backend.

        Finds (or creates) the binding of ``relation`` in ``binding_model``
        for this backend and exports it when it has no external id yet
        (or always with ``force``). Two exports sharing a dependency not
        exported yet (two contacts of a new company) race to create its
        binding: the loser meets the unique index and is retried, and then
        finds the winner's binding and remote record.
        """
        if not relation:
            return
        binder = self.binder_for(binding_model)
        model = self.env[binding_model].with_context(active_test=False)
        binding = model.search([(binder._openerp_field, '=', relation.id),
                                (binder._backend_field, '=', self.backend_record.id)])
        if not binding:
            with self.retry_if_bound_meanwhile('%s of %s,%s' % (
                    binding_model, relation._name, relation.id)):
                binding = model.with_context(**{NO_EXPORT_KEY: True}).create({
                    binder._openerp_field: relation.id,
                    binder._backend_field: self.backend_record.id})
        if force or not binder.to_backend(binding):
            exporter = self.unit_for(exporter_class or Exporter, model=binding_model)
            exporter.run(binding.id)

    def _map_data(self):
        return self.mapper.map_record(self.binding)

    def _create_data(self, map_record, fields=None, **kwargs):
        return map_record.values(for_create=True, fields=fields, **kwargs)

    def _update_data(self, map_record, fields=None, **kwargs):
        return map_record.values(fields=fields, **kwargs)

    def _validate_create_data(self, data):
        """Raise InvalidDataError when ``data`` cannot be sent for a create."""

    def _validate_update_data(self, data):
        """Raise InvalidDataError when ``data`` cannot be sent for an update."""

    def _create(self, data):
        """Create the external record; returns its external id."""
        return self.backend_adapter.create(data)

    def _update(self, data):
        self.backend_adapter.write(self.external_id, data)

    def _after_export(self):
        """Called after the export, once the binding is bound."""
