# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What local changes send to the shop, through jobs.

- a product bound to a shop, or a change of a bound product (its variant or
  its template), is exported (``export_record``, only the changed fields);
- a stock move changing state (confirmed, reserved, done, cancelled) sends
  the product's available quantity (``export_stock``, coalesced per binding:
  the moves of a burst make one job);
- a delivery move done ships the shop order of an imported order
  (``export_order_shipped``);
- a product created or given an internal reference requeues the order
  imports that failed waiting for that SKU.

Writes made by the synchronizers carry ``connector_no_export``: the export
consumers skip them. The stock consumer does not: an imported order's
delivery changes what the shop may sell, and the shop must hear it.
"""
from odoo.addons.connector.event import on_record_create, on_record_write, skip_if_no_export
from odoo.addons.connector.unit.synchronizer.jobs import export_record

from .units.jobs import export_order_shipped, export_stock
from .units.product import ProductExportMapper

PRODUCT_BINDING = 'oscar.product.product'
ORDER_BINDING = 'oscar.sale.order'
#: How long a stock export waits for more moves of its product before it runs.
STOCK_DEBOUNCE_SECONDS = 1


@on_record_create(model_names=[PRODUCT_BINDING])
@skip_if_no_export
def delay_export_new_product(session, model_name, record_id, vals):
    """A product bound to a shop by hand (or by *Export catalogue*) is created there."""
    export_record.delay(session, model_name, record_id)


def _exported_fields(vals):
    return sorted(set(vals) & ProductExportMapper.changed_by_fields())


@on_record_write(model_names=['product.product'])
@skip_if_no_export
def delay_export_product(session, model_name, record_id, vals):
    """A change of a bound product's exported fields is sent to each of its shops."""
    changed = _exported_fields(vals)
    if not changed:
        return
    product = session.env[model_name].with_context(active_test=False).browse(record_id)
    for binding in product.oscar_bind_ids:  # an archived product's bindings too
        export_record.delay(session, PRODUCT_BINDING, binding.id, fields=changed)


@on_record_write(model_names=['product.template'])
@skip_if_no_export
def delay_export_template(session, model_name, record_id, vals):
    """A change of a product template (name, price, category...) is a change of
    each of its bound variants."""
    changed = _exported_fields(vals)
    if not changed:
        return
    template = session.env[model_name].with_context(active_test=False).browse(record_id)
    for binding in template.product_variant_ids.mapped('oscar_bind_ids'):
        export_record.delay(session, PRODUCT_BINDING, binding.id, fields=changed)


@on_record_create(model_names=['product.product'])
@on_record_write(model_names=['product.product'])
def requeue_orders_waiting_for_product(session, model_name, record_id, vals):
    """A product given an internal reference may be the one a failed order waits for."""
    if vals.get('default_code'):
        session.env[PRODUCT_BINDING]._oscar_requeue_orders_waiting(vals['default_code'])


@on_record_write(model_names=['stock.move'])
def delay_stock_and_shipment(session, model_name, record_id, vals):
    """A move changing state changes what the shop may sell; a done delivery of an
    imported order may ship it."""
    if 'state' not in vals:
        return
    move = session.env[model_name].browse(record_id)
    for binding in move.product_id.with_context(active_test=False).oscar_bind_ids:
        # Coalesced per binding (export_stock's coalesce key): the moves of a
        # burst join the export waiting to start, the debounce gathers them.
        export_stock.delay(session, PRODUCT_BINDING, binding.id,
                           description='Stock of %s to the shop' % binding.display_name,
                           eta=STOCK_DEBOUNCE_SECONDS)
    if vals['state'] == 'done' and move.picking_id.picking_type_code == 'outgoing':
        for binding in move.picking_id.sale_id.oscar_bind_ids:
            export_order_shipped.delay(
                session, ORDER_BINDING, binding.id,
                description='Ship shop order %s' % binding.oscar_number,
                identity_key='oscar-shipped-%d' % binding.id)
