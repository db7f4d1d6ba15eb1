# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Export one binding to the external system."""
from odoo import fields

from ...event import NO_EXPORT_KEY
from ..mapper import ExportMapper
from .base import Synchronizer


class Exporter(Synchronizer):
    """Exports one binding: ``run(binding_id, fields=None)``.

    The flow, each step a hook to override:

    1. lock the binding (``advisory_lock_or_retry``), so two exports of
       one binding cannot create two remote records;
    2. stop when nothing changed since the last synchronization
       (``_is_uptodate``) or ``_must_skip()`` gives a reason;
    3. ``_export_dependencies()`` (export the records this one points to,
       with ``_export_dependency``);
    4. map (``_map_data``); with an external id, write only the mapped
       ``fields`` (``_update_data``/``_update``), else create
       (``_create_data``/``_create``), with ``_validate_*_data`` before;
    5. bind the external id, then ``_after_export()``.
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
        if fields is None and self._is_uptodate():
            return 'Nothing changed since the last synchronization.'
        reason = self._must_skip()
        if reason:
            return reason
        self._export_dependencies()
        map_record = self._map_data()
        if self.external_id:
            data = self._update_data(map_record, fields=fields)
            if not data:
                return 'Nothing to export.'
            self._validate_update_data(data)
            self._update(data)
        else:
            data = self._create_data(map_record, fields=fields)
            if not data:
                return 'Nothing to export.'
            self._validate_create_data(data)
            self.external_id = self._create(data)
        self.binder.bind(self.external_id, self.binding)
        self._after_export()
        return 'Exported %s,%s as %s.' % (self.model._name, self.binding.id, self.external_id)

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
        (or always with ``force``).
        """
        if not relation:
            return
        binder = self.binder_for(binding_model)
        model = self.env[binding_model].with_context(active_test=False)
        binding = model.search([(binder._openerp_field, '=', relation.id),
                                (binder._backend_field, '=', self.backend_record.id)])
        if not binding:
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
