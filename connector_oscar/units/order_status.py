# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Order state out: an imported order whose deliveries are all done is shipped
in the shop (``POST /api/connector/orders/<id>/status/``; the current
status again is a no-op there, so a retried job is harmless)."""
from odoo.addons.connector.unit.synchronizer import Synchronizer

from ..backend import oscar

SHIPPED = 'shipped'


def deliveries_done(order):
    """True when the order has outgoing deliveries and every one not cancelled is done."""
    pickings = order.picking_ids.filtered(lambda picking: picking.state != 'cancel')
    return bool(pickings) and all(picking.state == 'done' for picking in pickings)


@oscar
class OrderStatusExporter(Synchronizer):
    """Moves the shop order of an order binding to *shipped*."""

    _model_name = 'oscar.sale.order'

    def run(self, binding_id):
        binding = self.model.browse(binding_id)
        self.advisory_lock_or_retry('status-%s' % binding.id)
        if not deliveries_done(binding.openerp_id):
            return 'Order %s: not every delivery is done; nothing sent.' % binding.display_name
        answer = self.backend_adapter.set_status(binding.external_id, SHIPPED)
        binding.with_context(connector_no_export=True).write(
            {'oscar_status': answer.get('status', SHIPPED), 'shipped_sent': True})
        return 'Shop order %s is %s.' % (binding.oscar_number, answer.get('status'))
