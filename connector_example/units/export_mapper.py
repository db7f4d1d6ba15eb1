# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""example.res.partner (a binding record) -> values for the remote partner."""
from odoo.addons.connector.unit.mapper import ExportMapper, changed_by, m2o_to_backend, mapping

from ..backend import example


@example
class PartnerExportMapper(ExportMapper):
    _model_name = 'example.res.partner'

    direct = [
        ('name', 'name'),
        ('type', 'type'),
        ('email', 'email'),
        ('phone', 'phone'),
        ('street', 'street'),
        ('city', 'city'),
        ('zip', 'zip'),
        ('is_company', 'is_company'),
        (m2o_to_backend('parent_id', binding='example.res.partner'), 'parent_id'),
    ]

    @changed_by('country_id')
    @mapping
    def country(self, record):
        return {'country_code': record.country_id.code or None}

    @changed_by('category_id')
    @mapping
    def categories(self, record):
        return {'category_names': sorted(record.category_id.mapped('name'))}
