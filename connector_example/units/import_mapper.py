# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Remote partner (a dict from the adapter) -> values of example.res.partner."""
from odoo.addons.connector.exception import MappingError
from odoo.addons.connector.unit.mapper import ImportMapper, backend_to_m2o, mapping, none

from ..backend import example


@example
class PartnerImportMapper(ImportMapper):
    _model_name = 'example.res.partner'

    direct = [
        ('name', 'name'),
        ('type', 'type'),
        (none('email'), 'email'),
        (none('phone'), 'phone'),
        (none('street'), 'street'),
        (none('city'), 'city'),
        (none('zip'), 'zip'),
        ('is_company', 'is_company'),
        ('active', 'active'),
        (backend_to_m2o('parent_id', binding='example.res.partner'), 'parent_id'),
    ]

    @mapping
    def country(self, record):
        code = record.get('country_code')
        if not code:
            return {'country_id': False}
        country = self.env['res.country'].search([('code', '=', code)], limit=1)
        if not country:
            raise MappingError(
                'Backend %r: remote partner %s has country code %r, unknown here; create '
                'that country, then requeue the job.' % (
                    self.backend_record.display_name, record['id'], code))
        return {'country_id': country.id}

    @mapping
    def categories(self, record):
        """Categories by name; a name unknown here creates the category."""
        categories = self.env['res.partner.category']
        for name in record.get('category_names') or []:
            category = categories.search([('name', '=', name)], limit=1)
            categories |= category or category.create({'name': name})
        return {'category_id': [(6, 0, categories.ids)]}
