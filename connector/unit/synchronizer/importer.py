# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import one external record into its binding."""

from ...event import IMPORT_KEY, NO_EXPORT_KEY
from ...exception import IDMissingInBackend, InvalidDataError
from ..conflict import Merge
from ..mapper import ImportMapper
from .base import Synchronizer
from .sync_state import IMPORT, REMOTE, UNTRACKED, SyncState, comparable_values, record_values


class Importer(Synchronizer):
    """Imports one external record: ``run(external_id, force=False)``.

    The flow, each step a hook to override:

    1. lock the external id (``advisory_lock_or_retry``);
    2. read the record through the adapter (``_get_external_data``);
    3. ``_must_skip()``: a reason to stop, or None;
    4. ``_before_import()``, then ``_import_dependencies()`` (import the
       records this one points to, with ``_import_dependency``), so that
       a parent is always imported before its children;
    5. map (``_map_data``), ``_validate_data``, then create the binding
       (``_create_data``/``_create``) or write the fields that differ
       (``_update_data``/``_changed_data``/``_update``);
    6. ``_rewrite_what_the_model_changed``; bind the external id and save
       what was synchronized, then ``_after_import(binding)``.

    **Field by field, against the last synchronization.** Each mapped field
    is planned by ``sync_state.plan_field`` (the decision table of two-way
    sync): an import writes only what changed on the backend, never
    overwrites a change made in Odoo, and repairs a record that differs
    while Odoo's side did not change, whatever the backend's date says.
    ``force`` is accepted for the classic API; values, not dates, decide.

    **The target model's own logic runs under an import** and may rewrite
    imported values (``res.partner`` copies a company's address onto its
    contacts), though the backend already ran its own. Defences: synchronize
    the fields that decide such logic (a partner's ``type``) and import
    parents first; ``_rewrite_what_the_model_changed`` writes again what the
    model changed on the record itself; writes carry ``IMPORT_KEY`` and
    ``connector_no_export`` (``_import_context``), so that a connector's
    override of the model's method can skip the logic that changes *other*
    records (``connector_example`` does it for ``update_address``), and the
    import triggers no export of itself.
    """

    _base_mapper = ImportMapper
    _required_fields = ()
    """Fields the mapped values must fill; an empty one refuses the record."""

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self.external_id = None
        self.written = None
        """The values this import wrote (all of them on a create), for ``_after_import``."""

    def run(self, external_id, force=False, data=None):
        """Import ``external_id``; returns a short text saying what happened.

        :param data: the external record, when the caller already has it:
            a record the backend only sends embedded in another one (a
            shop's customer inside its order) is imported from there, with
            no read through the adapter (see ``_import_dependency``)
        """
        self.external_id = external_id
        self.advisory_lock_or_retry(external_id)
        try:
            self.external_record = self._get_external_data() if data is None else data
        except IDMissingInBackend:
            return 'Record %s no longer exists in the backend.' % (external_id,)
        reason = self._must_skip()  # a hook  # pylint: disable=assignment-from-none
        if reason:
            return reason
        binding = self._get_binding()
        self._before_import()
        self._import_dependencies()
        map_record = self._map_data()
        if binding:
            data = self._update_data(map_record)
            self._validate_data(data)
            self.sync_state = SyncState(binding)
            written = self._changed_data(binding, data)
            if not written and not self.sync_state.dirty:
                return 'Already up to date.'
            if written:
                self._update(binding, written)
            rewritten = self._rewrite_what_the_model_changed(binding, written)
            self.binder.bind(self.external_id, binding, values={
                SyncState.field_name: self.sync_state.as_json()})
        else:
            written = self._create_data(map_record)
            self._validate_data(written)
            self.sync_state = SyncState(None)
            for name, value in comparable_values(self.model, written).items():
                self.sync_state.set(name, value)
            with self.retry_if_bound_meanwhile('%s %r' % (self.model._name, self.external_id)):
                binding = self._create(dict(written, **{
                    SyncState.field_name: self.sync_state.as_json()}))
                self.binder.bind(self.external_id, binding)
            rewritten = self._rewrite_what_the_model_changed(binding, written)
        self.written = written
        self._after_import(binding)
        result = 'Imported %s as %s,%s.' % (external_id, binding._name, binding.id)
        if rewritten:
            result += ' Written again after %s changed them: %s.' % (
                binding._name, ', '.join(sorted(rewritten)))
        return result

    def _changed_data(self, binding, data):
        """The values of ``data`` to write on ``binding``, planned field by field.

        Updates ``self.sync_state``; delays the export of the fields Odoo
        won in a conflict (``_plan_fields``).
        """
        remote = comparable_values(binding, data)
        plans = self._plan_fields(IMPORT, binding, data, record_values(binding, remote), remote)
        changes = {}
        for name, value in data.items():
            if plans[name].write == REMOTE:
                changes[name] = value
            elif isinstance(plans[name].write, Merge):
                changes[name] = plans[name].write.value
        return changes

    def _rewrite_what_the_model_changed(self, binding, written):
        """Write again the imported values that the model's own logic changed.

        Reads the record back; writes once more the values of ``written``
        that differ (the same values written again do not trigger the same
        logic). :returns: the names of the fields written again
        """
        expected = comparable_values(binding, written)
        expected = {name: value for name, value in expected.items() if value is not UNTRACKED}
        now = record_values(binding, expected)
        wrong = [name for name, value in expected.items() if now[name] != value]
        if wrong:
            self._update(binding, {name: written[name] for name in wrong})
        return wrong

    # -- hooks, in the order of the flow --------------------------------------

    def _get_external_data(self):
        """The external record, as a dict. Override to read more than one call."""
        return self.backend_adapter.read(self.external_id)

    def _must_skip(self):
        """Return a reason (text) to skip this record, or None to import it."""
        return None

    def _get_binding(self):
        return self.binder.to_openerp(self.external_id, browse=True)

    def _before_import(self):
        """Called once the record is read and is to be imported."""

    def _import_dependencies(self):
        """Import the records this one depends on, with ``_import_dependency``."""

    def _import_dependency(self, external_id, binding_model, importer_class=None,
                           always=False, data=None):
        """Import ``external_id`` of ``binding_model`` unless it is already bound.

        :param importer_class: the importer to use, ``Importer`` by default
            (the one registered for ``binding_model``)
        :param always: import even when a binding exists (to update it)
        :param data: the dependency's external record, when this record
            embeds it (no read through the dependency's adapter)
        """
        if not external_id:
            return
        binder = self.binder_for(binding_model)
        if always or not binder.to_openerp(external_id):
            importer = self.unit_for(importer_class or Importer, model=binding_model)
            importer.run(external_id, force=always, data=data)

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

    def _import_context(self):
        """The context of the import's writes: no export, and who is importing."""
        return {NO_EXPORT_KEY: True,
                IMPORT_KEY: '%s,%s' % (self.backend_record._name, self.backend_record.id)}

    def _create(self, data):
        data = dict(data)
        data.setdefault(self.binder._backend_field, self.backend_record.id)
        return self.model.with_context(**self._import_context()).create(data)

    def _update_data(self, map_record, **kwargs):
        return map_record.values(**kwargs)

    def _update(self, binding, data):
        binding.with_context(**self._import_context()).write(data)

    def _after_import(self, binding):
        """Called after the binding is created or updated and bound."""
