# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class OscarSaleOrder(models.Model):
    """Binds a sale order to an order of an oscar shop; its lines are bound too."""

    _name = 'oscar.sale.order'
    _inherit = 'external.binding'
    _inherits = {'sale.order': 'openerp_id'}
    _description = 'Oscar Order Binding'

    openerp_id = fields.Many2one('sale.order', string='Sale order', required=True,
                                 ondelete='restrict')
    backend_id = fields.Many2one('oscar.backend', required=True, ondelete='restrict')
    external_id = fields.Char(string='ID in the shop')
    oscar_number = fields.Char(string='Shop order number', readonly=True)
    oscar_status = fields.Char(string='Shop status', readonly=True)
    oscar_line_ids = fields.One2many('oscar.sale.order.line', 'oscar_order_id',
                                     string='Shop lines')
    shipped_sent = fields.Boolean(string='Shipment sent', readonly=True,
                                  help='The shop was told this order shipped.')


class OscarSaleOrderLine(models.Model):
    """Binds a sale order line to a line of an oscar order (created with the order)."""

    _name = 'oscar.sale.order.line'
    _inherit = 'external.binding'
    _inherits = {'sale.order.line': 'openerp_id'}
    _description = 'Oscar Order Line Binding'

    openerp_id = fields.Many2one('sale.order.line', string='Sale order line', required=True,
                                 ondelete='cascade')
    backend_id = fields.Many2one('oscar.backend', required=True, ondelete='restrict')
    external_id = fields.Char(string='ID in the shop')
    oscar_order_id = fields.Many2one('oscar.sale.order', string='Order binding',
                                     required=True, ondelete='cascade', index=True)

    @api.model
    def create(self, vals):
        """A line created through its order binding belongs to that binding's order."""
        if 'order_id' not in vals and vals.get('oscar_order_id'):
            vals = dict(vals, order_id=self.env['oscar.sale.order'].browse(
                vals['oscar_order_id']).openerp_id.id)
        return super().create(vals)


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    oscar_bind_ids = fields.One2many('oscar.sale.order', 'openerp_id',
                                     string='Oscar bindings')
