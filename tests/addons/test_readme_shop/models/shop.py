# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ShopBackend(models.Model):
    _name = 'shop.backend'
    _inherit = 'connector.backend'
    _description = 'Shop'
    _backend_type = 'shop'

    version = fields.Selection([('2.0', 'Shop 2.0')], required=True, default='2.0')


class ShopResPartner(models.Model):
    _name = 'shop.res.partner'
    _inherit = 'external.binding'
    _inherits = {'res.partner': 'openerp_id'}
    _description = 'Shop customer'

    openerp_id = fields.Many2one('res.partner', required=True, ondelete='cascade')
    backend_id = fields.Many2one('shop.backend', required=True)
    external_id = fields.Char()
