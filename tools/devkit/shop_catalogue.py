# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop demo's Odoo side: a catalogue with stock, and its deliveries shipped.

Given an Odoo environment of a database with ``connector_oscar`` (the shop
demo, ``tools/demo_shop.py``; the shop benchmark), no import of Odoo here:

- ``seed_catalogue(env)``: ``CATALOGUE``'s categories (``All / Kitchen /
  Mugs``...) and storable products (name, SKU as internal reference,
  sales price, description), and their stock put in by one inventory
  adjustment at the warehouse's stock location, validated;
- ``add_stock(env, {product: quantity})``: one more inventory adjustment
  (the stock of a product created later);
- ``ship_orders(env, orders)``: validate the outgoing deliveries of sale
  orders, as a warehouse worker would (reserve, every quantity done).
"""

#: (SKU, name, category path under All, sales price, quantity in stock, description)
CATALOGUE = [
    ('MUG-BLUE', 'Blue mug', 'Kitchen / Mugs', 12.50, 40, 'Stoneware mug, 30 cl'),
    ('MUG-RED', 'Red mug', 'Kitchen / Mugs', 12.50, 25, 'Stoneware mug, 30 cl'),
    ('MUG-TRAVEL', 'Travel mug', 'Kitchen / Mugs', 19.90, 15, 'Insulated, with a lid'),
    ('POT-CAST', 'Cast iron teapot', 'Kitchen / Teapots', 45.00, 8, 'Tetsubin, 0.8 l'),
    ('POT-GLASS', 'Glass teapot', 'Kitchen / Teapots', 29.00, 12, 'Borosilicate, 1 l'),
    ('TEA-GREEN', 'Green tea 100 g', 'Tea', 4.20, 60, 'Sencha, loose leaf'),
    ('TEA-BLACK', 'Black tea 100 g', 'Tea', 3.80, 50, 'Assam, loose leaf'),
    ('TEA-CHAI', 'Chai 100 g', 'Tea', 5.10, 30, 'Black tea with spices'),
    ('INF-STEEL', 'Steel infuser', 'Accessories', 6.50, 35, 'Fine mesh'),
    ('TRAY-BAMBOO', 'Bamboo tray', 'Accessories', 15.00, 10, '40 x 30 cm'),
    ('COASTER-4', 'Cork coasters (4)', 'Accessories', 7.90, 20, 'Set of four'),
    ('CADDY-TIN', 'Tea caddy', 'Accessories', 9.90, 18, 'Airtight tin, 250 g'),
]


def category(env, path):
    """The product category ``All / <path>``, created level by level when missing."""
    parent = env.ref('product.product_category_all')
    for name in [part.strip() for part in path.split('/')]:
        found = env['product.category'].search([('name', '=', name),
                                                ('parent_id', '=', parent.id)], limit=1)
        parent = found or env['product.category'].create({'name': name,
                                                          'parent_id': parent.id})
    return parent


def create_product(env, sku, name, path, price, description=''):
    """A storable, saleable product with ``sku`` as its internal reference."""
    return env['product.product'].create({
        'name': name, 'default_code': sku, 'list_price': price, 'type': 'product',
        'sale_ok': True, 'categ_id': category(env, path).id,
        'description_sale': description or False})


def add_stock(env, quantities, name='Shop demo: initial stock'):
    """Set the quantity on hand of ``{product: quantity}`` at the main warehouse's
    stock location by one validated inventory adjustment; the inventory."""
    location = env['stock.warehouse'].search([], limit=1).lot_stock_id
    inventory = env['stock.inventory'].create({
        'name': name, 'location_id': location.id, 'filter': 'partial',
        'line_ids': [(0, 0, {'product_id': product.id, 'product_qty': quantity,
                             'location_id': location.id,
                             'product_uom_id': product.uom_id.id})
                     for product, quantity in quantities.items()]})
    inventory.action_start()
    inventory.action_done()
    return inventory


def seed_catalogue(env):
    """``CATALOGUE`` in Odoo, with its stock; {SKU: product}."""
    products = {}
    for sku, name, path, price, _quantity, description in CATALOGUE:
        products[sku] = create_product(env, sku, name, path, price, description)
    add_stock(env, {products[sku]: quantity
                    for sku, _n, _c, _p, quantity, _d in CATALOGUE})
    return products


def ship_orders(env, orders):
    """Validate every open outgoing delivery of ``orders`` (sale.order records) with
    all its quantities done; the pickings validated."""
    pickings = orders.mapped('picking_ids').filtered(
        lambda picking: picking.picking_type_code == 'outgoing'
        and picking.state not in ('done', 'cancel'))
    for picking in pickings:
        picking.action_assign()
        for move in picking.move_lines:
            move.quantity_done = move.product_uom_qty
        picking.action_done()
    return pickings
