# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import one external record into its binding."""
from contextlib import contextmanager

import psycopg2
import psycopg2.errorcodes
from odoo import fields

from ...event import NO_EXPORT_KEY
from ...exception import IDMissingInBackend, InvalidDataError, RetryableJobError
from ..mapper import ImportMapper
from .base import Synchronizer


class Importer(Synchronizer):
    """Imports one external record: ``run(external_id, force=False)``.

    The flow, each step a hook to override:

    1. lock the external id (``advisory_lock_or_retry``);
    2. read the record through the adapter (``_get_external_data``);
    3. ``_must_skip()``: a reason to stop, or None;
    4. stop when the binding is already up to date (``_is_uptodate``),
       unless ``force``;
    5. ``_before_import()``, then ``_import_dependencies()`` (import the
       records this one points to, with ``_import_dependency``);
    6. map (``_map_data``), then create or update the binding
       (``_create_data``/``_create``, ``_update_data``/``_update``), with
       ``_validate_data`` before writing;
    7. bind the external id, then ``_after_import(binding)``.

    Writes carry ``connector_no_export`` in their context, so that the
    import does not trigger an export of what it imported.
    """

    _base_mapper = ImportMapper
    _external_date_field = None
    """Key of the external record holding its last change date, if it has one."""
    _required_fields = ()
    """Fields the mapped values must fill; an empty one refuses the record."""

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self.external_id = None
        self.external_record = None

    def run(self, external_id, force=False):
        """Import ``external_id``; returns a short text saying what happened."""
        self.external_id = external_id
        self.advisory_lock_or_retry(external_id)
        try:
            self.external_record = self._get_external_data()
        except IDMissingInBackend:
            return 'Record %s no longer exists in the backend.' % (external_id,)
        reason = self._must_skip()
        if reason:
            return reason
        binding = self._get_binding()
        if not force and self._is_uptodate(binding):
            return 'Already up to date.'
        self._before_import()
        self._import_dependencies()
        map_record = self._map_data()
        if binding:
            data = self._update_data(map_record)
            self._validate_data(data)
            self._update(binding, data)
            self.binder.bind(self.external_id, binding)
        else:
            data = self._create_data(map_record)
            self._validate_data(data)
            with self._retry_if_bound_meanwhile():
                binding = self._create(data)
                self.binder.bind(self.external_id, binding)
        self._after_import(binding)
        return 'Imported %s as %s,%s.' % (external_id, binding._name, binding.id)

    @contextmanager
    def _retry_if_bound_meanwhile(self):
        """Turn a duplicate binding into a retry: another transaction won the race.

        Job 1 imports company 31 and commits. Job 2, importing a contact of
        31, started its transaction just before that commit: Odoo's
        transactions are REPEATABLE READ, so job 2 does not see job 1's
        binding even after taking the advisory lock (job 1 released it by
        committing), and creates a second one. The unique index on
        (backend, external id) refuses it; job 2 is retried and, in a new
        transaction, finds job 1's binding. No partner is created twice.
        """
        try:
            yield
        except psycopg2.IntegrityError as err:
            if err.pgcode != psycopg2.errorcodes.UNIQUE_VIOLATION:
                raise
            raise RetryableJobError(
                'Backend %r (%s,%s): %s %r was bound by another transaction at the same '
                'time (%s); retrying in 2 seconds.' % (
                    self.backend_record.display_name, self.backend_record._name,
                    self.backend_record.id, self.model._name, self.external_id,
                    str(err).splitlines()[0]), seconds=2) from err

    # -- hooks, in the order of the flow --------------------------------------

    def _get_external_data(self):
        """The external record, as a dict. Override to read more than one call."""
        return self.backend_adapter.read(self.external_id)

    def _must_skip(self):
        """Return a reason (text) to skip this record, or None to import it."""
        return None

    def _get_binding(self):
        return self.binder.to_openerp(self.external_id, browse=True)

    def _get_external_updated_at(self):
        """Last change date of the external record, or None when unknown."""
        if not self._external_date_field:
            return None
        return self.external_record.get(self._external_date_field) or None

    def _is_uptodate(self, binding):
        """True when the binding was synchronized after the external record changed."""
        if not binding or not binding.sync_date:
            return False
        updated_at = self._get_external_updated_at()
        if not updated_at:
            return False
        return fields.Datetime.from_string(updated_at) < fields.Datetime.from_string(
            binding.sync_date)

    def _before_import(self):
        """Called once the record is read and is to be imported."""

    def _import_dependencies(self):
        """Import the records this one depends on, with ``_import_dependency``."""

    def _import_dependency(self, external_id, binding_model, importer_class=None,
                           always=False):
        """Import ``external_id`` of ``binding_model`` unless it is already bound.

        :param importer_class: the importer to use, ``Importer`` by default
            (the one registered for ``binding_model``)
        :param always: import even when a binding exists (to update it)
        """
        if not external_id:
            return
        binder = self.binder_for(binding_model)
        if always or not binder.to_openerp(external_id):
            importer = self.unit_for(importer_class or Importer, model=binding_model)
            importer.run(external_id, force=always)

    def _map_data(self):
        return self.mapper.map_record(self.external_record)

    def _validate_data(self, data):
        """Raise InvalidDataError when ``data`` cannot be written.

        Checks ``_required_fields``; override to check more.
        """
        for field_name in self._required_fields:
            if field_name in data and data[field_name] in (None, False, ''):
                raise InvalidDataError(
                    'Backend %r (%s,%s): cannot import %s %r: its %r is empty. Fix the '
                    'record on the backend, then run its import again.' % (
                        self.backend_record.display_name, self.backend_record._name,
                        self.backend_record.id, self.model._name, self.external_id,
                        field_name))

    def _create_data(self, map_record, **kwargs):
        return map_record.values(for_create=True, **kwargs)

    def _create(self, data):
        data = dict(data)
        data.setdefault(self.binder._backend_field, self.backend_record.id)
        return self.model.with_context(**{NO_EXPORT_KEY: True}).create(data)

    def _update_data(self, map_record, **kwargs):
        return map_record.values(**kwargs)

    def _update(self, binding, data):
        binding.with_context(**{NO_EXPORT_KEY: True}).write(data)

    def _after_import(self, binding):
        """Called after the binding is created or updated and bound."""
