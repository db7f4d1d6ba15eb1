# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stock out: the quantity available to sell at the backend's location -> the
shop's stock record.

Every stock move that changes a bound product's quantity (a delivery, an
inventory adjustment, an order confirmed here) delays the binding's
export with its coalesce key (``jobs.stock_key``): a move joins the export
waiting to start, which cannot start before the move commits, so a burst
of moves on one product makes a handful of jobs; the job reads the
quantity when it runs, so it sends the latest one. The framework's claim
never starts two jobs of a key at once, so a job that read an older
quantity cannot send it after a newer one: no lock of our own.
"""
from odoo.addons.connector.unit.synchronizer import Synchronizer

from ..backend import oscar
from .product import ProductExporter
from .quantities import available_quantity


@oscar
class StockExporter(Synchronizer):
    """Sends the available quantity of one product binding to its stock record."""

    _model_name = 'oscar.product.product'

    def run(self, binding_id):
        binding = self.model.browse(binding_id)
        if not binding.exists():
            return 'Binding %s,%s no longer exists.' % (self.model._name, binding_id)
        if not binding.external_id:
            return 'Product %s is not in the shop yet: its export sends its stock.' % (
                binding.display_name,)
        exporter = self.unit_for(ProductExporter)
        exporter.binding, exporter.external_id = binding, binding.external_id
        quantity = int(available_quantity(binding))
        self.backend_adapter.write_stockrecord(exporter._stockrecord_id(),
                                               {'num_in_stock': quantity, 'num_allocated': 0})
        binding.with_context(connector_no_export=True).write({'stock_sent': quantity})
        return 'Stock of %s (%s) in the shop: %s.' % (binding.display_name,
                                                      binding.default_code, quantity)
