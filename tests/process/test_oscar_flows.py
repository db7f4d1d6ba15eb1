# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop connector end to end: a real django-oscar shop, a real Odoo with
sale_stock, two real job workers.

Catalogue out, orders in (by the delta poll), stock out after every move,
order state out, then both sides compared: every order placed is in Odoo
once with the shop's lines, every product's shop stock is Odoo's quantity
available to sell.
"""
from support.jobrunner import wait_until
from support.oscar import assert_orders_equal, assert_stock_equal, place_orders, publish_catalogue

CATALOGUE = [('MUG-BLUE', 'Blue mug', 12.5, 10), ('TEA-GREEN', 'Green tea 100 g', 4.2, 5),
             ('POT-TEA', 'Tea pot', 30.0, 8)]


def bound_products(odoo_side, backend_id):
    return dict(odoo_side.query(
        'SELECT p.default_code, b.external_id FROM oscar_product_product b '
        'JOIN product_product p ON p.id = b.openerp_id WHERE b.backend_id = %s',
        (backend_id,)))


def test_round_trip_with_two_workers(oscar_odoo, shop, oscar_backend, oscar_workers):
    """Products out, orders in, stock down, delivery done, shop order shipped."""
    # catalogue out, created once
    products = publish_catalogue(oscar_odoo, oscar_workers, oscar_backend, CATALOGUE)
    bound = bound_products(oscar_odoo, oscar_backend)
    assert set(bound) == set(products) and all(bound.values())
    admin = shop.admin()
    mug = admin.get('/api/admin/products/%s/' % bound['MUG-BLUE'])
    assert (mug['title'], mug['upc'], mug['is_public'], mug['stockrecords'][0]['price']) == \
        ('Blue mug', 'MUG-BLUE', True, '12.50')
    assert_stock_equal(oscar_odoo, shop, oscar_backend)

    # a change and an archive in Odoo reach the shop
    oscar_odoo.execute('product.product', 'write', [products['MUG-BLUE']],
                       {'name': 'Big blue mug', 'list_price': 14.0})
    oscar_odoo.execute('product.product', 'write', [products['POT-TEA']], {'active': False})
    oscar_odoo.wait_jobs_done(oscar_workers)
    mug = admin.get('/api/admin/products/%s/' % bound['MUG-BLUE'])
    assert (mug['title'], mug['stockrecords'][0]['price']) == ('Big blue mug', '14.00')
    assert admin.get('/api/admin/products/%s/' % bound['POT-TEA'])['is_public'] is False

    # orders placed as customers would, imported by the delta poll
    placed = place_orders(shop, [
        ('anna@example.com', [('MUG-BLUE', 2), ('TEA-GREEN', 1)]),
        ('bob@example.com', [('TEA-GREEN', 3)]),
        ('anna@example.com', [('MUG-BLUE', 1)]),
    ])
    oscar_odoo.execute('oscar.backend', 'action_import_orders', [oscar_backend])
    oscar_odoo.wait_jobs_done(oscar_workers)
    assert not oscar_odoo.failed_jobs()
    assert_orders_equal(oscar_odoo, shop, oscar_backend, placed)
    customers = oscar_odoo.query('SELECT count(*) FROM oscar_res_partner WHERE backend_id = %s',
                                 (oscar_backend,))[0][0]
    assert customers == 2
    assert_stock_equal(oscar_odoo, shop, oscar_backend)

    # the second poll imports nothing twice
    oscar_odoo.execute('oscar.backend', 'action_import_orders', [oscar_backend])
    oscar_odoo.wait_jobs_done(oscar_workers)
    assert_orders_equal(oscar_odoo, shop, oscar_backend, placed)

    # delivery done here: shipped in the shop, stock follows
    first = placed[0]
    order_id = oscar_odoo.query(
        'SELECT openerp_id FROM oscar_sale_order WHERE backend_id = %s AND external_id = %s',
        (oscar_backend, str(first['id'])))[0][0]
    oscar_odoo.deliver(order_id)
    wait_until(lambda: admin.order(first['id'])['status'] == 'shipped', 120,
               lambda: 'shop order %s not shipped: jobs %s, failed %s' % (
                   first['number'], oscar_odoo.job_counts(), oscar_odoo.failed_jobs()))
    oscar_odoo.wait_jobs_done(oscar_workers)
    assert_stock_equal(oscar_odoo, shop, oscar_backend)

    # an inventory adjustment
    oscar_odoo.set_quantity(products['TEA-GREEN'], 40)
    oscar_odoo.wait_jobs_done(oscar_workers)
    assert not oscar_odoo.failed_jobs()
    assert_stock_equal(oscar_odoo, shop, oscar_backend)
