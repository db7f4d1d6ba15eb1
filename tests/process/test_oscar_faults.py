# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop connector when the shop fails for a while: nothing lost, nothing twice.

A real HTTP proxy (``http_fault_proxy``) sits between the Odoo backend and
the real django-oscar shop and fails some answers as a sick shop does: 503
without doing the work, 500 after doing it, or no answer before the
client's timeout after doing it. Two real workers run the jobs, which are
retried; then the shop answers again and both sides are compared by rows:
each product once in the shop's database, each order once in Odoo with
the shop's lines. (A shop restarted in the middle of an import:
``test_oscar_restart``.)
"""
import re

import psycopg2
import pytest

from support.http_fault_proxy import HttpFaultProxy
from support.oscar import assert_orders_equal, create_backend, place_orders

CATALOGUE = [('FAULT-%02d' % number, 'Fault product %d' % number, 3.0 + number, 30)
             for number in range(8)]
ORDERS = [('dora@example.com', [('FAULT-00', 1), ('FAULT-01', 2)]),
          ('emil@example.com', [('FAULT-02', 1)]),
          ('dora@example.com', [('FAULT-03', 3), ('FAULT-04', 1), ('FAULT-05', 1)]),
          ('emil@example.com', [('FAULT-06', 2)]),
          ('fred@example.com', [('FAULT-07', 1), ('FAULT-00', 1)]),
          ('dora@example.com', [('FAULT-01', 1)])]


@pytest.fixture(name='proxy')
def proxy_fixture(shop):
    with HttpFaultProxy(shop.port) as proxy:
        yield proxy


def shop_products_by_sku(shop):
    """``{upc: number of products}`` in the shop's own database."""
    with psycopg2.connect(dbname=shop.database) as conn, conn.cursor() as cr:
        cr.execute('SELECT upc, count(*) FROM catalogue_product GROUP BY upc')
        return dict(cr.fetchall())


def retried_jobs(odoo_side, after):
    """Jobs after ``after`` that were tried more than once (retried after a failure)."""
    return odoo_side.query('SELECT count(*) FROM queue_job WHERE id > %s AND retry > 1',
                           (after,))[0][0]


def test_catalogue_and_orders_through_a_failing_shop(oscar_odoo, shop, proxy, oscar_workers):
    """Given a shop that fails some product creations (503, 500 after creating, no
    answer in time after creating) and some order reads, then recovers, every
    product is in the shop once and every order in Odoo once with equal lines."""
    # a short client timeout: the 'timeout' answers come after it
    backend = create_backend(oscar_odoo, shop, url=proxy.url + '/api', timeout=5)
    for sku, name, price, quantity in CATALOGUE:
        oscar_odoo.create_product(sku, name, price, quantity)
    after = oscar_odoo.last_job_id()
    oscar_workers.start_many(['oscar-w1', 'oscar-w2'])

    proxy.fail(('500', 'timeout', '503'), times=6, hold=15,
               when=lambda method, path: method == 'POST' and path.endswith('/admin/products/'))
    oscar_odoo.execute('oscar.backend', 'action_export_catalogue', [backend])
    proxy.wait_failed()
    proxy.stop_failing()
    oscar_odoo.wait_jobs_done(oscar_workers, timeout=600, after_id=after)
    assert not oscar_odoo.failed_jobs()
    counts = shop_products_by_sku(shop)
    assert {sku: counts.get(sku) for sku, *_rest in CATALOGUE} == \
        {sku: 1 for sku, *_rest in CATALOGUE}, 'products in the shop by SKU: %s; faults %s' % (
            counts, proxy.failed)
    bound = oscar_odoo.query('SELECT count(DISTINCT external_id), count(*) FROM '
                             'oscar_product_product WHERE backend_id = %s', (backend,))[0]
    assert bound == (len(CATALOGUE), len(CATALOGUE))
    assert retried_jobs(oscar_odoo, after), 'no export was retried: the faults proved nothing'

    placed = place_orders(shop, ORDERS)
    after = oscar_odoo.last_job_id()
    # the reads of the import jobs fail (the poll itself runs in the button's
    # request, not a job: a failure there is the button's error)
    proxy.fail(('503', '500', 'timeout'), times=6, hold=15, when=lambda method, path:
               re.search(r'/api/connector/orders/\d+/', path) is not None)
    oscar_odoo.execute('oscar.backend', 'action_import_orders', [backend])
    proxy.wait_failed()
    proxy.stop_failing()
    oscar_odoo.wait_jobs_done(oscar_workers, timeout=600, after_id=after)
    assert not oscar_odoo.failed_jobs()
    assert_orders_equal(oscar_odoo, shop, backend, placed)
    assert retried_jobs(oscar_odoo, after), 'no import was retried: the faults proved nothing'
    customers = oscar_odoo.query('SELECT count(*) FROM oscar_res_partner WHERE backend_id = %s',
                                 (backend,))[0][0]
    assert customers == 3


def test_shop_keeps_one_category_of_a_name_per_parent(shop):
    """Two product creations naming a new category at once made it twice, and the
    shop failed every later product naming it (oscar-api's lookup by name): its
    index (connector_webhooks migration 0002) refuses the second one."""
    with psycopg2.connect(dbname=shop.database) as conn, conn.cursor() as cr:
        cr.execute('SELECT count(*) FROM catalogue_category WHERE depth = 1')
        assert cr.fetchone()[0], 'no root category: run after the catalogue test'
        cr.execute('CREATE TEMP TABLE twin AS SELECT * FROM catalogue_category '
                   'WHERE depth = 1 LIMIT 1')
        cr.execute("UPDATE twin SET id = id + 100000, path = 'ZZZZ', slug = slug || '-twin'")
        with pytest.raises(psycopg2.errors.UniqueViolation):
            cr.execute('INSERT INTO catalogue_category SELECT * FROM twin')
