# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Importer, batch importer, exporter and deleter of partners."""
from odoo.addons.connector.event import IMPORT_KEY, NO_EXPORT_KEY
from odoo.addons.connector.unit.synchronizer import (BatchImporter, DelayedBatchImporter, Deleter,
                                                     DirectBatchImporter, Exporter, Importer)

from ..backend import example
from .adapter import EXPORT_KEY_FIELD


@example
class PartnerImporter(Importer):
    """Imports one remote partner, its parent company first."""

    _model_name = 'example.res.partner'
    _external_date_field = 'write_date'
    _required_fields = ['name']

    def _import_dependencies(self):
        self._import_dependency(self.external_record['parent_id'], 'example.res.partner')

    def _after_import(self, binding):
        """Give a new company address to its contacts that are not on the remote.

        Odoo copies a company's address onto its contacts of type
        *contact*; under an import that copy is held back for every partner
        (``ResPartner.update_address``): the remote already did it, and its
        contacts arrive with their own values. The local-only contacts of
        the company still follow their company here.
        """
        address = {name: self.written[name] for name in binding.openerp_id._address_fields()
                   if name in self.written}
        if not address:
            return
        local_only = binding.openerp_id.child_ids.filtered(
            lambda child: child.type == 'contact' and not child.example_bind_ids.filtered(
                lambda other: other.backend_id == self.backend_record))
        local_only.with_context(**{IMPORT_KEY: False}).update_address(address)


class FullImportArchivesVanished(BatchImporter):
    """Base of the batch importers below: a full import archives vanished partners.

    Only a full import (no filter) lists every remote partner, archived
    ones included, so only then can a missing one be told apart from an
    unchanged one. The local partner is archived, never deleted (it may be
    used by local documents); its binding is kept, so the partner is not
    imported a second time. Bindings not exported yet (no external id) are
    left alone.
    """

    def run(self, filters=None):
        external_ids = super().run(filters=filters)
        if not filters:
            self._archive_vanished(external_ids)
        return external_ids

    def _archive_vanished(self, external_ids):
        """Archive the partners bound to remote ids not in ``external_ids``."""
        vanished = self.model.search([
            ('backend_id', '=', self.backend_record.id),
            ('external_id', '!=', False),
            ('external_id', 'not in', list(external_ids))])
        vanished.mapped('openerp_id').with_context(**{NO_EXPORT_KEY: True}).write(
            {'active': False})
        return vanished


@example
class PartnerBatchImporter(FullImportArchivesVanished, DelayedBatchImporter):
    """Delays one import job per remote partner listed: a company's first, then
    its contacts' as a group that waits for it (a job graph).

    Without the graph, a contact's job could run while the other worker
    imports its company: it would find the company's external id locked and
    be retried 5 s later. The lock (``Importer.run``) stays, for imports
    delayed from elsewhere.
    """

    _model_name = 'example.res.partner'

    def _search(self, filters):
        self._parents = dict(self.backend_adapter.search_parents(filters))
        return list(self._parents)

    def _dependency_groups(self, external_ids):
        """Each listed company (or parent contact) before its listed contacts."""
        contacts = {}
        for external_id in external_ids:
            parent = self._parents.get(external_id)
            if parent:
                contacts.setdefault(parent, []).append(external_id)
        return list(contacts.items())


@example
class PartnerDirectBatchImporter(FullImportArchivesVanished, DirectBatchImporter):
    """Imports every listed partner at once (used by the tests and the benchmark)."""

    _model_name = 'example.res.partner'


@example
class PartnerExporter(Exporter):
    """Exports one partner binding, its parent company first."""

    _model_name = 'example.res.partner'
    _external_date_field = 'write_date'

    def _export_dependencies(self):
        self._export_dependency(self.binding.parent_id, 'example.res.partner')

    def _add_export_key(self, data, key):
        data[EXPORT_KEY_FIELD] = key
        return data

    def _find_exported(self, key):
        return self.backend_adapter.find_by_export_key(key)


@example
class PartnerDeleter(Deleter):
    """Deletes or archives the remote partner, as the backend says."""

    _model_name = 'example.res.partner'

    def _delete(self, external_id):
        if self.backend_record.deletion_mode == 'archive':
            self.backend_adapter.archive(external_id)
        else:
            self.backend_adapter.delete(external_id)
