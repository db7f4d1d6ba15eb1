# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mappers of the test service: partners and their contacts, both directions.

An external partner is a dict such as::

    {'id': 'C-17', 'name': 'Acme Corp', 'email': '', 'color': '3',
     'street': '1 Main St', 'city': 'LYON', 'parent': None,
     'contacts': [{'id': 'C-17-1', 'name': 'Ann', 'email': 'ann@acme.test'}]}

Partners are imported into the binding model ``test.res.partner``; their
contacts become ``child_ids`` lines of ``res.partner``.
"""
from odoo.addons.connector.unit.mapper import (ExportMapper, ImportMapChild, ImportMapper,
                                               backend_to_m2o, changed_by, convert, m2o_to_backend,
                                               mapping, none, only_create)

from .backend import test_backend


@test_backend
class PartnerImportMapper(ImportMapper):
    _model_name = 'test.res.partner'

    direct = [
        ('name', 'name'),
        (none('email'), 'email'),
        (convert('color', int), 'color'),
        (backend_to_m2o('parent', binding='test.res.partner'), 'parent_id'),
    ]
    children = [('contacts', 'child_ids', 'res.partner')]

    @mapping
    def address(self, record):
        return {'street': record['street'], 'city': record['city'].title()}

    @only_create
    @mapping
    def customer(self, record):
        return {'customer': True}

    @mapping
    def comment(self, record):
        """Reads the option ``note``, when the caller gives one."""
        if self.options.note:
            return {'comment': self.options.note}
        return None


@test_backend
class ContactImportMapper(ImportMapper):
    _model_name = 'res.partner'

    direct = [('name', 'name'), (none('email'), 'email')]

    @only_create
    @mapping
    def contact_type(self, record):
        return {'type': 'contact'}


@test_backend
class ContactImportMapChild(ImportMapChild):
    """Leaves out the contacts the backend marks as deleted."""
    _model_name = 'res.partner'

    def skip_item(self, map_record):
        return bool(map_record.source.get('deleted'))


@test_backend
class PartnerExportMapper(ExportMapper):
    _model_name = 'test.res.partner'

    direct = [
        ('name', 'name'),
        (none('email'), 'email'),
        (convert('color', str), 'color'),
        (m2o_to_backend('parent_id', binding='test.res.partner'), 'parent'),
    ]
    children = [('child_ids', 'contacts', 'res.partner')]

    @changed_by('street', 'city')
    @mapping
    def address(self, record):
        return {'address': '%s, %s' % (record.street or '', record.city or '')}

    @mapping
    def kind(self, record):
        return {'kind': 'company' if record.is_company else 'person'}

    @only_create
    @changed_by('name')
    @mapping
    def created_from(self, record):
        return {'origin': 'odoo'}


@test_backend
class ContactExportMapper(ExportMapper):
    _model_name = 'res.partner'

    direct = [('name', 'name'), (none('email'), 'email')]
