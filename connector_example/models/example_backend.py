# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ExampleBackend(models.Model):
    """A remote Odoo database that partners are synchronized with."""

    _name = 'example.backend'
    _inherit = 'connector.backend'
    _description = 'Example Backend (remote Odoo)'
    _backend_type = 'example'

    version = fields.Selection([('11.0', 'Odoo 11.0')], required=True, default='11.0')
    url = fields.Char(string='URL', required=True, help='e.g. http://localhost:8069')
    database = fields.Char(required=True)
    login = fields.Char(required=True)
    password = fields.Char(groups='base.group_system')
    partner_binding_ids = fields.One2many('example.res.partner', 'backend_id',
                                          string='Partner bindings')
