# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Importer, batch importer, exporter and deleter of partners."""
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


@example
class PartnerBatchImporter(DelayedBatchImporter):
    """Delays one import job per remote partner listed."""

    _model_name = 'example.res.partner'


@example
class PartnerDirectBatchImporter(DirectBatchImporter):
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
