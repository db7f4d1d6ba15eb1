# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Orders pushed by the shop: its webhook sender posts to the Odoo backend's route.

The real shop's ``connector_webhooks`` sender (a process of ``RemoteShop``)
is pointed at ``/connector/webhook/oscar.backend/<id>`` of the real
``odoo-bin`` serving the shop connector's database, with the backend's
secret. First the delta-poll cron is off: the orders customers place
arrive by push alone. Then push and poll together, on two workers: each
order is imported once.
"""
from support.jobrunner import wait_until
from support.oscar import assert_orders_equal, create_backend, place_orders, publish_catalogue

CATALOGUE = [('PUSH-KETTLE', 'Kettle', 25.0, 30), ('PUSH-CUP', 'Cup', 4.0, 60),
             ('PUSH-TRAY', 'Tray', 9.5, 20)]


def _bound_orders(odoo_side, backend):
    return odoo_side.query('SELECT count(*) FROM oscar_sale_order WHERE backend_id = %s',
                           (backend,))[0][0]


def _set_poll_cron(odoo_side, active):
    cron = odoo_side.execute('ir.model.data', 'xmlid_to_res_id',
                             'connector_oscar.ir_cron_import_orders')
    odoo_side.execute('ir.cron', 'write', [cron], {'active': active})


def test_orders_pushed_by_the_shop_are_imported_once(oscar_odoo, shop, oscar_workers):
    """Given the shop's sender pointed at the backend's webhook route, when
    customers place orders with the poll cron off, then each order is imported
    (by push alone); when more are placed while the poll runs too, each order is
    still imported once, with its lines equal to the shop's."""
    _set_poll_cron(oscar_odoo, False)
    backend = create_backend(oscar_odoo, shop)
    publish_catalogue(oscar_odoo, oscar_workers, backend, CATALOGUE)
    oscar_odoo.execute('oscar.backend', 'action_generate_webhook_secret', [backend])
    secret = oscar_odoo.execute('oscar.backend', 'read', [backend],
                                ['webhook_secret'])[0]['webhook_secret']
    shop.set_webhook_target('%s/connector/webhook/oscar.backend/%d' % (oscar_odoo.url, backend),
                            secret)

    # push alone: nobody polls
    placed = place_orders(shop, [
        ('hana@example.com', [('PUSH-KETTLE', 1), ('PUSH-CUP', 4)]),
        ('ivan@example.com', [('PUSH-TRAY', 2)]),
        ('hana@example.com', [('PUSH-CUP', 1)]),
    ])
    wait_until(lambda: _bound_orders(oscar_odoo, backend) == len(placed), 300,
               lambda: '%d of %d orders imported by push; jobs %s; sender log:\n%s' % (
                   _bound_orders(oscar_odoo, backend), len(placed), oscar_odoo.job_counts(),
                   shop.log_tail()))
    oscar_odoo.wait_jobs_done(oscar_workers)
    assert not oscar_odoo.failed_jobs()
    assert_orders_equal(oscar_odoo, shop, backend, placed)
    since = oscar_odoo.query('SELECT import_orders_since FROM oscar_backend WHERE id = %s',
                             (backend,))[0][0]
    assert since is None, 'the delta poll ran (it moved to %s): not a push test' % since
    pushed = oscar_odoo.query("SELECT count(*) FROM queue_job WHERE name LIKE %s",
                              ('%order.placed%',))[0][0]
    assert pushed >= len(placed)

    # push and poll together: each order once
    more = [('jana@example.com', [('PUSH-KETTLE', 2)]), ('ivan@example.com', [('PUSH-CUP', 3)]),
            ('hana@example.com', [('PUSH-TRAY', 1), ('PUSH-KETTLE', 1)]),
            ('kurt@example.com', [('PUSH-CUP', 2)])]
    for order in more:
        placed += place_orders(shop, [order])
        oscar_odoo.execute('oscar.backend', 'action_import_orders', [backend])
    wait_until(lambda: _bound_orders(oscar_odoo, backend) >= len(placed), 300,
               lambda: '%d of %d orders imported; jobs %s' % (
                   _bound_orders(oscar_odoo, backend), len(placed), oscar_odoo.job_counts()))
    oscar_odoo.execute('oscar.backend', 'action_import_orders', [backend])
    oscar_odoo.wait_jobs_done(oscar_workers)
    assert not oscar_odoo.failed_jobs()
    assert_orders_equal(oscar_odoo, shop, backend, placed)
