# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An order whose product is not in Odoo fails naming the order, the line and the
SKU, and imports by itself once the product exists (its job is requeued)."""
from support.oscar import assert_orders_equal, place_orders


def test_order_waits_for_its_product(oscar_odoo, shop, oscar_backend, oscar_workers):
    oscar_odoo.create_product('CUP-RED', 'Red cup', 6.0, 20)
    oscar_odoo.execute('oscar.backend', 'action_export_catalogue', [oscar_backend])
    shop.admin().create_product('SPOON-GOLD', 'Gold spoon', '9.90', stock=5)  # shop only
    oscar_workers.start_many(['oscar-w1', 'oscar-w2'])
    oscar_odoo.wait_jobs_done(oscar_workers)
    after = oscar_odoo.last_job_id()

    placed = place_orders(shop, [('carla@example.com', [('CUP-RED', 1), ('SPOON-GOLD', 2)])])
    oscar_odoo.execute('oscar.backend', 'action_import_orders', [oscar_backend])
    oscar_odoo.wait_jobs_done(oscar_workers, after_id=after)
    failed = oscar_odoo.failed_jobs()
    assert len(failed) == 1
    message = failed[0][2]
    number = placed[0]['number']
    assert 'order %s (shop id %s), line ' % (number, placed[0]['id']) in message
    assert "internal reference 'SPOON-GOLD'" in message
    assert "Oscar backend 'Shop " in message
    assert not oscar_odoo.query('SELECT 1 FROM oscar_sale_order WHERE backend_id = %s',
                                (oscar_backend,))

    # the product is created in Odoo: the failed import is requeued and imports
    oscar_odoo.create_product('SPOON-GOLD', 'Gold spoon', 9.9, 5)
    oscar_odoo.wait_jobs_done(oscar_workers, after_id=after)
    assert not oscar_odoo.failed_jobs()
    assert_orders_equal(oscar_odoo, shop, oscar_backend, placed)
