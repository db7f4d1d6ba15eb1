# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop connector's own jobs: stock out and order state out.

Both are about a binding (counted with its backend, run in its job
channel: ``about_binding_argument``). The catalogue export and the
order import are the framework's ``export_record`` and ``import_record``.
"""
from odoo.addons.connector.queue.job import job
from odoo.addons.connector.unit.synchronizer.jobs import about_binding_argument

from .order_status import OrderStatusExporter
from .stock import StockExporter

PRODUCT_BINDING = 'oscar.product.product'
ORDER_BINDING = 'oscar.sale.order'


def _unit(session, model_name, binding_id, unit_class):
    binding = session.env[model_name].browse(binding_id)
    if not binding.exists():
        return None
    return binding.backend_id._connector_environment(session, model_name).get_connector_unit(
        unit_class)


def stock_key(session, model_name, binding_id):
    """The coalesce key of a binding's stock export: one job waits per binding,
    and the claim never runs two of a binding at once."""
    return 'oscar-stock %s %d' % (model_name, binding_id)


@job(default_channel='root', about=about_binding_argument, coalesce_key=stock_key)
def export_stock(session, model_name, binding_id):
    """Send the quantity available to sell of one product binding to the shop
    (the quantity when it runs: a delay joins the export waiting to start)."""
    unit = _unit(session, model_name, binding_id, StockExporter)
    if unit is None:
        return 'Binding %s,%s no longer exists: nothing to send.' % (model_name, binding_id)
    return unit.run(binding_id)


@job(default_channel='root', about=about_binding_argument)
def export_order_shipped(session, model_name, binding_id):
    """Tell the shop that an imported order shipped (its delivery is done here)."""
    unit = _unit(session, model_name, binding_id, OrderStatusExporter)
    if unit is None:
        return 'Binding %s,%s no longer exists: nothing to send.' % (model_name, binding_id)
    return unit.run(binding_id)
