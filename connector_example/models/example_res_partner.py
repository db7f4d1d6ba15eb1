# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ExampleResPartner(models.Model):
    """Binds a partner to a partner of the remote Odoo of an example backend."""

    _name = 'example.res.partner'
    _inherit = 'external.binding'
    _inherits = {'res.partner': 'openerp_id'}
    _description = 'Example Partner Binding'

    openerp_id = fields.Many2one('res.partner', string='Partner', required=True,
                                 ondelete='cascade')
    backend_id = fields.Many2one('example.backend', string='Backend', required=True,
                                 ondelete='restrict')
    external_id = fields.Char(string='ID on the remote')


class ResPartner(models.Model):
    _inherit = 'res.partner'

    example_bind_ids = fields.One2many('example.res.partner', 'openerp_id',
                                       string='Example bindings')
