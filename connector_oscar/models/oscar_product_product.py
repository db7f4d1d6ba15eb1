# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..units.order import WAITING_FOR_SKU


class OscarProductProduct(models.Model):
    """Binds a product to a product of an oscar shop (and its stock record)."""

    _name = 'oscar.product.product'
    _inherit = 'external.binding'
    _inherits = {'product.product': 'openerp_id'}
    _description = 'Oscar Product Binding'

    openerp_id = fields.Many2one('product.product', string='Product', required=True,
                                 ondelete='restrict')
    backend_id = fields.Many2one('oscar.backend', required=True, ondelete='restrict')
    external_id = fields.Char(string='ID in the shop')
    stockrecord_id = fields.Char(string='Stock record ID in the shop', readonly=True,
                                 help="The shop's stock record of this product (price, "
                                      'quantity), created with the product.')
    stock_sent = fields.Float(string='Stock last sent', readonly=True,
                              help='The quantity available to sell sent to the shop last.')

    @api.model
    def _oscar_requeue_orders_waiting(self, sku=None):
        """Requeue the failed order imports waiting for a product with ``sku`` (the
        SKUs of ``self`` when None): the product now exists or is bound.

        An order import whose line names an unknown SKU fails with a message
        saying it waits for that SKU (``OrderLineImportMapper``); the failure
        rolls its transaction back, so the message stored on the job is the
        only trace of what it waits for. Requeued, the job imports the order
        if nothing else is missing, or fails again naming what is.
        """
        skus = [sku] if sku else [code for code in self.mapped('default_code') if code]
        jobs = self.env['queue.job'].sudo()
        for code in skus:
            jobs |= jobs.search([('state', '=', 'failed'), ('model_name', '=', 'oscar.sale.order'),
                                 ('exc_info', 'like', WAITING_FOR_SKU % code)])
        if jobs:
            jobs.button_requeue()
        return jobs


class ProductProduct(models.Model):
    _inherit = 'product.product'

    oscar_bind_ids = fields.One2many('oscar.product.product', 'openerp_id',
                                     string='Oscar bindings')
