# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Importer, batch importer, exporter and deleter of partners."""
from odoo.addons.connector.event import NO_EXPORT_KEY
from odoo.addons.connector.unit.synchronizer import (DelayedBatchImporter, Deleter,
                                                     DirectBatchImporter, Exporter, Importer)

from ..backend import example


@example
class PartnerImporter(Importer):
    """Imports one remote partner, its parent company first."""

    _model_name = 'example.res.partner'
    _external_date_field = 'write_date'
    _required_fields = ['name']

    def _import_dependencies(self):
        self._import_dependency(self.external_record['parent_id'], 'example.res.partner')


class FullImportArchivesVanished(object):
    """Mixin of the batch importers: a full import archives vanished partners.

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
    """Delays one import job per remote partner listed."""

    _model_name = 'example.res.partner'


@example
class PartnerDirectBatchImporter(FullImportArchivesVanished, DirectBatchImporter):
    """Imports every listed partner at once (used by the tests and the benchmark)."""

    _model_name = 'example.res.partner'


@example
class PartnerExporter(Exporter):
    """Exports one partner binding, its parent company first."""

    _model_name = 'example.res.partner'

    def _export_dependencies(self):
        self._export_dependency(self.binding.parent_id, 'example.res.partner')


@example
class PartnerDeleter(Deleter):
    """Deletes or archives the remote partner, as the backend says."""

    _model_name = 'example.res.partner'

    def _delete(self, external_id):
        if self.backend_record.deletion_mode == 'archive':
            self.backend_adapter.archive(external_id)
        else:
            self.backend_adapter.delete(external_id)
