# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A complete small connector: adapter, binder, mappers and synchronizers."""
from odoo.addons.connector.connector import Binder
from odoo.addons.connector.exception import IDMissingInBackend
from odoo.addons.connector.unit.backend_adapter import CRUDAdapter
from odoo.addons.connector.unit.conflict import ConflictResolver, Merge
from odoo.addons.connector.unit.mapper import (ExportMapper, ImportMapper, backend_to_m2o,
                                               changed_by, m2o_to_backend, mapping, only_create)
from odoo.addons.connector.unit.synchronizer import (DelayedBatchImporter, Deleter,
                                                     DirectBatchImporter, Exporter, Importer)

from .backend import sync_backend

REMOTE_FIELDS = ['name', 'email', 'is_company', 'parent_id', 'write_date']


@sync_backend
class SyncBinder(Binder):
    _model_name = 'test.sync.partner'


@sync_backend
class RemotePartnerAdapter(CRUDAdapter):
    """Serves the rows of test.sync.remote.partner as external records."""

    _model_name = 'test.sync.partner'

    calls = None
    """When a list, every call is appended to it as (method, args) (tests read it)."""

    @property
    def remote(self):
        return self.env['test.sync.remote.partner'].sudo()

    def _log(self, method, *args):
        if self.calls is not None:
            self.calls.append((method,) + args)

    def search(self, filters=None):
        self._log('search', filters)
        domain = []
        if filters and filters.get('since'):
            domain.append(('write_date', '>=', filters['since']))
        return [str(record.id) for record in self.remote.search(domain, order='id')]

    def read(self, external_id, attributes=None):
        self._log('read', external_id)
        record = self.remote.browse(int(external_id)).exists()
        if not record:
            raise IDMissingInBackend('Remote partner %s does not exist.' % external_id)
        values = record.read(attributes or REMOTE_FIELDS)[0]
        values['parent_id'] = str(values['parent_id'][0]) if values['parent_id'] else None
        values['id'] = str(record.id)
        return values

    def create(self, data):
        self._log('create', data)
        return str(self.remote.create(self._to_remote(data)).id)

    def write(self, external_id, data):
        self._log('write', external_id, data)
        self.remote.browse(int(external_id)).write(self._to_remote(data))

    def delete(self, external_id):
        self._log('delete', external_id)
        self.remote.browse(int(external_id)).unlink()

    @staticmethod
    def _to_remote(data):
        data = dict(data)
        if data.get('parent_id'):
            data['parent_id'] = int(data['parent_id'])
        return data


@sync_backend
class PartnerImportMapper(ImportMapper):
    _model_name = 'test.sync.partner'

    direct = [('name', 'name'), ('email', 'email'), ('is_company', 'is_company'),
              (backend_to_m2o('parent_id', binding='test.sync.partner'), 'parent_id')]

    @only_create
    @mapping
    def comment(self, record):
        return {'comment': 'Imported from remote partner %s' % record['id']}


@sync_backend
class PartnerExportMapper(ExportMapper):
    _model_name = 'test.sync.partner'

    direct = [('name', 'name'), ('email', 'email'), ('is_company', 'is_company'),
              (m2o_to_backend('parent_id', binding='test.sync.partner'), 'parent_id')]

    @changed_by('name')
    @mapping
    def name_upper(self, record):
        return {'name': record.name}


@sync_backend
class PartnerImporter(Importer):
    _model_name = 'test.sync.partner'
    _external_date_field = 'write_date'
    _required_fields = ['name']

    def _import_dependencies(self):
        self._import_dependency(self.external_record['parent_id'], 'test.sync.partner')


@sync_backend
class PartnerBatchImporter(DirectBatchImporter):
    _model_name = 'test.sync.partner'


@sync_backend
class PartnerDelayedBatchImporter(DelayedBatchImporter):
    _model_name = 'test.sync.partner'


@sync_backend
class PartnerExporter(Exporter):
    _model_name = 'test.sync.partner'

    def _export_dependencies(self):
        self._export_dependency(self.binding.parent_id, 'test.sync.partner')


@sync_backend
class PartnerDeleter(Deleter):
    _model_name = 'test.sync.partner'


@sync_backend
class PartnerConflictResolver(ConflictResolver):
    """email: both addresses are kept (a merge); other fields follow the policy."""

    _model_name = 'test.sync.partner'

    def resolve_email(self, conflict):
        return Merge(', '.join(sorted([conflict.local, conflict.remote])))
