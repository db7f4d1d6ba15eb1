# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop restarted in the middle of an import of many orders: each order once.

Its own module, so its own shop (the module's fixture): the delta poll of
its backend sees only this test's orders. A real HTTP proxy between the
backend and the shop holds the answer of one order read, so the restart
comes while an import runs, on any machine.
"""
import re

import pytest

from support.http_fault_proxy import HttpFaultProxy
from support.oscar import assert_orders_equal, create_backend, place_orders, publish_catalogue

CATALOGUE = [('BOOT-%02d' % number, 'Restart product %d' % number, 5.0 + number, 40)
             for number in range(8)]


@pytest.fixture(name='proxy')
def proxy_fixture(shop):
    with HttpFaultProxy(shop.port) as proxy:
        yield proxy


def test_shop_restarted_in_the_middle_of_an_import(oscar_odoo, shop, proxy, oscar_workers):
    """Given many orders being imported, when the shop restarts while an order's
    read waits for its answer (held by the proxy), then every order is in Odoo
    once with equal lines."""
    shop_orders = [('gina%d@example.com' % (number % 4), [(sku, 1 + number % 3)])
                   for number, (sku, *_rest) in enumerate(CATALOGUE + CATALOGUE[:6])]
    backend = create_backend(oscar_odoo, shop, url=proxy.url + '/api', timeout=600)
    publish_catalogue(oscar_odoo, oscar_workers, backend, CATALOGUE)
    placed = place_orders(shop, shop_orders)
    after = oscar_odoo.last_job_id()

    proxy.fail('hold', when=lambda method, path: re.search(
        r'/api/connector/orders/\d+/', path) is not None)
    oscar_odoo.execute('oscar.backend', 'action_import_orders', [backend])
    proxy.wait_holding(1)
    imported_before = oscar_odoo.query(
        'SELECT count(*) FROM oscar_sale_order WHERE backend_id = %s', (backend,))[0][0]
    shop.restart()
    proxy.stop_failing()
    oscar_odoo.wait_jobs_done(oscar_workers, timeout=600, after_id=after)
    assert not oscar_odoo.failed_jobs()
    assert imported_before < len(placed)
    assert_orders_equal(oscar_odoo, shop, backend, placed)
