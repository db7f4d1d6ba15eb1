# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Comparing Odoo and the shop after a sync, field by field (the shop demo).

Each side gives ``{key: {field: value}}`` in the same shape, values as the
shop writes them (money as text with 2 decimals, codes as text):

- orders, keyed by the shop's order id: number, status, customer email,
  shipping address, total, and ``lines`` keyed by the shop's line id (SKU,
  quantity, unit price before discounts, line total after them);
- products, keyed by the shop's product id: SKU, title, price, published,
  and the quantity the shop may sell (``num_in_stock - num_allocated``)
  against Odoo's available quantity (on hand at the backend's location
  less the outgoing moves not done yet).

``shop_orders``/``shop_products`` read the shop with a ``ShopAdmin``;
``odoo_orders``/``odoo_products`` read the bindings of one backend in an
Odoo environment; ``differences(expected, actual)`` lists in lines what
differs. The Odoo order's status, in the shop's words: ``cancelled`` when
cancelled, ``shipped`` when every delivery not cancelled is done, else
``pending``.
"""


def money(value):
    return '%.2f' % float(value or 0.0)


def shop_orders(admin, order_ids=None):
    """{shop order id (text): state} of ``order_ids``, or of every order of the shop."""
    if order_ids is None:
        order_ids = [order['id'] for order in admin.order_changes()]
    state = {}
    for order_id in order_ids:
        order = admin.order(int(order_id))
        address = order.get('shipping_address') or {}
        state[str(order['id'])] = {
            'number': order['number'], 'status': order['status'],
            'email': (order['customer'].get('email') or '').lower(),
            'ship_to': ' '.join(part for part in (address.get('first_name'),
                                                  address.get('last_name')) if part),
            'street': address.get('line1') or '', 'city': address.get('city') or '',
            'zip': address.get('postcode') or '', 'country': address.get('country') or '',
            'total': money(order['total_incl_tax']),
            'lines': {str(line['id']): {
                'sku': line['upc'] or line['partner_sku'], 'quantity': int(line['quantity']),
                'unit_price': money(line['unit_price_excl_tax']),
                'line_total': money(line['line_price_excl_tax'])} for line in order['lines']},
        }
    return state


def odoo_status(order):
    """The shop status an Odoo sale order stands for (see module doc)."""
    if order.state == 'cancel':
        return 'cancelled'
    pickings = order.picking_ids.filtered(lambda picking: picking.state != 'cancel')
    if pickings and all(picking.state == 'done' for picking in pickings):
        return 'shipped'
    return 'pending'


def odoo_orders(env, backend_id):
    """{shop order id: state} of the orders bound to backend ``backend_id``."""
    state = {}
    for binding in env['oscar.sale.order'].search([('backend_id', '=', backend_id)]):
        order = binding.openerp_id
        shipping = order.partner_shipping_id
        if binding.external_id in state:
            state[binding.external_id]['number'] += ' (BOUND TWICE)'
            continue
        state[binding.external_id] = {
            'number': binding.oscar_number, 'status': odoo_status(order),
            'email': (order.partner_id.email or '').lower(),
            'ship_to': shipping.name or '', 'street': shipping.street or '',
            'city': shipping.city or '', 'zip': shipping.zip or '',
            'country': shipping.country_id.code or '', 'total': money(order.amount_total),
            'lines': {line.external_id: {
                'sku': line.product_id.default_code or '',
                'quantity': int(line.product_uom_qty), 'unit_price': money(line.price_unit),
                'line_total': money(line.price_subtotal)} for line in binding.oscar_line_ids},
        }
    return state


def shop_products(admin, product_ids):
    """{shop product id: state} of ``product_ids`` (one request each)."""
    state = {}
    for product_id in product_ids:
        product = admin.get('/api/admin/products/%s/' % product_id)
        record = (product.get('stockrecords') or [{}])[0]
        state[str(product['id'])] = {
            'sku': product['upc'], 'title': product['title'],
            'price': money(record.get('price')), 'public': bool(product['is_public']),
            'available': (record.get('num_in_stock') or 0) - (record.get('num_allocated') or 0),
        }
    return state


def odoo_available(product, location):
    """What Odoo may still sell of ``product`` at ``location``: on hand less outgoing."""
    product = product.with_context(location=location.id)
    return int(max(product.qty_available - product.outgoing_qty, 0))


def odoo_products(env, backend_id):
    """{shop product id: state} of the products bound to backend ``backend_id``."""
    backend = env['oscar.backend'].browse(backend_id)
    location = backend.location_id or backend.warehouse_id.lot_stock_id
    state = {}
    for binding in env['oscar.product.product'].with_context(active_test=False).search(
            [('backend_id', '=', backend_id), ('external_id', '!=', False)]):
        product = binding.openerp_id
        state[binding.external_id] = {
            'sku': product.default_code, 'title': product.name,
            'price': money(product.lst_price),
            'public': bool(product.active and product.sale_ok),
            'available': odoo_available(product, location),
        }
    return state


def differences(expected, actual, label):
    """Lines saying how ``actual`` differs from ``expected`` ({key: {field: value}})."""
    lines = []
    for key in sorted(set(expected) | set(actual), key=str):
        if key not in actual:
            lines.append('%s %s: only in the shop' % (label, key))
            continue
        if key not in expected:
            lines.append('%s %s: only in Odoo' % (label, key))
            continue
        for field in sorted(set(expected[key]) | set(actual[key])):
            want, got = expected[key].get(field), actual[key].get(field)
            if isinstance(want, dict) and isinstance(got, dict):
                lines += differences(want, got, '%s %s %s' % (label, key, field.rstrip('s')))
            elif want != got:
                lines.append('%s %s: %s is %r in the shop, %r in Odoo'
                             % (label, key, field, want, got))
    return lines
