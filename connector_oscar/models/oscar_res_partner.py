# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OscarResPartner(models.Model):
    """Binds a customer to a customer of an oscar shop.

    A registered customer's external id is the shop's user id; a guest
    (who has none) is ``guest:<email>``.
    """

    _name = 'oscar.res.partner'
    _inherit = 'external.binding'
    _inherits = {'res.partner': 'openerp_id'}
    _description = 'Oscar Customer Binding'

    openerp_id = fields.Many2one('res.partner', string='Customer', required=True,
                                 ondelete='restrict')
    backend_id = fields.Many2one('oscar.backend', required=True, ondelete='restrict')
    external_id = fields.Char(string='ID in the shop')


class ResPartner(models.Model):
    _inherit = 'res.partner'

    oscar_bind_ids = fields.One2many('oscar.res.partner', 'openerp_id',
                                     string='Oscar bindings')
