# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""connector_oscar: orders imported per second with 2 workers, against a plain script;
stock updates sent to the shop per 1,000 stock moves.

Makes a fresh shop-Odoo database (``--database``, a copy of
``connector_tmpl_shop`` with ``connector`` and ``connector_oscar``), starts a
real django-oscar shop (``devkit/remote_oscar.py``, database
``connector_oscar_bench_shop``) and two ``odoo-bin jobrunner`` workers,
seeds ``--products`` products with stock in Odoo, exports them, then places
``--orders`` orders of ``--lines`` lines through the shop's customer API
(a customer for every 4 orders), before anything is imported. Then, in one run:

bare
    a plain script in one process, no framework: the same HTTP GETs as the
    connector (the list of orders, page by page, then each order) with a
    ``requests`` session and the staff token, and the same creates with the
    ORM (the customer found by email or created, its delivery address, the
    sale order with its lines, confirmed), in one transaction rolled back
    at the end (the rollback is not timed);
framework
    ``oscar.backend.import_orders()`` (the delta poll: one ``import_record``
    job per order) run by the 2 workers, started and idle beforehand, from
    the commit of the jobs until the last order import is done. Each job
    reads its order, imports its customer, creates the order binding with its
    lines and confirms it; the confirmations' stock moves delay stock jobs
    (one per product while one is pending), which the same workers run;
stock
    ``--moves`` stock moves of one unit each (stock -> customers, done
    ``--batch`` per transaction, as deliveries happen) on one product, then as
    many spread over 10 products, the workers running: the stock jobs
    created, the ``PATCH`` requests the shop's access log shows on its
    stock records, per 1,000 moves, and the quantity the shop may sell
    against Odoo's at the end.

Every process it started is stopped at the end and the shop's database is
dropped; the Odoo database stays (``--database`` is replaced at each run).

    .venv/bin/python benchmarks/bench_oscar.py -c var/odoo-shop.cfg \\
        [--database connector_oscar_bench] [--orders 200] [--lines 3] [--products 10] \\
        [--moves 1000] [--batch 1] [--profile /tmp/worker.prof]

``var/odoo-shop.cfg`` and the template exist after ``make demo-shop`` (or
``tools/dev.py test --tier addons --addon connector_oscar``). ``--profile
FILE`` runs the first worker under ``cProfile``.
"""
import argparse
import os
import signal
import sys
import time
from contextlib import contextmanager

import odoo
import requests
from odoo import SUPERUSER_ID, api

from _odoo import load_config, report
from devkit.remote_oscar import RemoteShop
from devkit.shop_catalogue import add_stock, create_product
from devkit.shop_odoo import create_shop_db
from devkit.shop_orders import place_orders
from devkit.shop_state import odoo_products, shop_products
from devkit.workers import Workers

SHOP_DB = 'connector_oscar_bench_shop'
ORDER = 'oscar.sale.order'
PRODUCT = 'oscar.product.product'
BUSY = ('pending', 'enqueued', 'started')
STOCK = 100000


@contextmanager
def env_of(db, commit=True):
    with api.Environment.manage(), odoo.registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            yield env
        finally:
            if not commit:
                cr.rollback()


def query(db, sql, params=None):
    with env_of(db) as env:
        env.cr.execute(sql, params)
        return env.cr.fetchall() if env.cr.description else None


def last_job(db):
    return query(db, 'SELECT coalesce(max(id), 0) FROM queue_job')[0][0]


def wait_jobs(db, after_id, model=None, timeout=3600):
    """Wait until no job after ``after_id`` (of ``model``, or any) is left to run."""
    deadline = time.time() + timeout
    extra, params = ('AND model_name = %s', (after_id, model)) if model else ('', (after_id,))
    while True:
        counts = dict(query(db, 'SELECT state, count(*) FROM queue_job WHERE id > %s '
                                + extra + ' GROUP BY state', params))
        if not any(counts.get(state) for state in BUSY):
            return counts
        if time.time() > deadline:
            raise SystemExit('jobs not done after %s s: %s' % (timeout, counts))
        time.sleep(0.05)


# -- setup ----------------------------------------------------------------------

def setup_catalogue(db, shop, count):
    """A backend on the shop and ``count`` products with stock; their SKUs."""
    with env_of(db) as env:
        backend = env['oscar.backend'].create({'name': 'Benchmark shop',
                                               'url': shop.url + '/api',
                                               'api_token': shop.token})
        products = [create_product(env, 'BENCH-%02d' % n, 'Bench product %02d' % n,
                                   'Bench', 5.0 + n) for n in range(count)]
        add_stock(env, {product: STOCK for product in products})
        return backend.id, [product.default_code for product in products]


def order_plan(count, lines, skus):
    """(email, registered, [(SKU, quantity)...]) of ``count`` orders, a customer per 4."""
    plan = []
    for n in range(count):
        email = 'bench.customer.%03d@example.com' % (n // 4)
        items = [(skus[(n + k) % len(skus)], 1 + (n + k) % 3) for k in range(lines)]
        plan.append((email, True, items))
    return plan


# -- bare -------------------------------------------------------------------------

def bare_import(db, backend_id, url, token):
    """The connector's reads and creates, in one process; (orders, seconds, read seconds)."""
    http = requests.Session()
    http.headers.update({'Accept': 'application/json', 'Authorization': 'Token %s' % token})
    start = time.perf_counter()
    read = 0.0
    with env_of(db, commit=False) as env:
        backend = env['oscar.backend'].browse(backend_id)
        warehouse = backend.warehouse_id
        countries = {c.code: c.id for c in env['res.country'].search([])}
        products = {}
        t = time.perf_counter()
        ids, page = [], url + '/api/connector/orders/'
        while page:
            answer = http.get(page, timeout=30).json()
            ids += [order['id'] for order in answer['results']]
            page = answer['next']
        read += time.perf_counter() - t
        for order_id in ids:
            t = time.perf_counter()
            order = http.get('%s/api/connector/orders/%d/' % (url, order_id), timeout=30).json()
            read += time.perf_counter() - t
            create_order(env, order, warehouse, countries, products)
        seconds = time.perf_counter() - start
    return len(ids), seconds, read


def create_order(env, order, warehouse, countries, products):
    """What an import creates, written plainly: customer, address, order, lines."""
    partners = env['res.partner']
    customer = order['customer']
    address = order['shipping_address']
    name = ' '.join(p for p in (address['first_name'], address['last_name']) if p)
    partner = partners.search([('email', '=ilike', customer['email']),
                               ('parent_id', '=', False)], limit=1) or partners.create(
        {'name': name or customer['email'], 'email': customer['email'], 'customer': True})
    values = {'type': 'delivery', 'parent_id': partner.id, 'name': name,
              'street': address['line1'], 'city': address['city'], 'zip': address['postcode'],
              'country_id': countries.get(address['country'])}
    shipping = partners.search([(k, '=', v) for k, v in values.items()], limit=1) or \
        partners.create(values)
    lines = []
    for line in order['lines']:
        sku = line['upc']
        if sku not in products:
            products[sku] = env['product.product'].search([('default_code', '=', sku)])
        before = float(line['line_price_before_discounts_excl_tax'])
        after = float(line['line_price_excl_tax'])
        lines.append((0, 0, {'product_id': products[sku].id, 'name': line['title'],
                             'product_uom_qty': line['quantity'],
                             'product_uom': products[sku].uom_id.id,
                             'price_unit': float(line['unit_price_excl_tax']),
                             'discount': (before - after) / before * 100 if before else 0,
                             'tax_id': [(6, 0, [])]}))
    sale = env['sale.order'].create({
        'partner_id': partner.id, 'partner_invoice_id': partner.id,
        'partner_shipping_id': shipping.id, 'client_order_ref': order['number'],
        'date_order': order['date_placed'][:19].replace('T', ' '),
        'warehouse_id': warehouse.id, 'company_id': warehouse.company_id.id,
        'origin': 'Shop order %s' % order['number'], 'order_line': lines})
    sale.action_confirm()
    return sale


# -- framework ------------------------------------------------------------------

def framework_import(db, backend_id, count):
    """The poll and its jobs, run by the workers; (seconds, tries per job, stock jobs)."""
    first = last_job(db)
    start = time.perf_counter()
    with env_of(db) as env:
        env['oscar.backend'].browse(backend_id).import_orders()
    counts = wait_jobs(db, first, ORDER)
    seconds = time.perf_counter() - start
    bound, distinct = query(db, 'SELECT count(*), count(DISTINCT external_id) FROM '
                                'oscar_sale_order WHERE backend_id = %s', (backend_id,))[0]
    if counts.get('done') != count or bound != count or distinct != count:
        raise SystemExit('framework: %s import jobs, %d bindings (%d distinct), %d orders '
                         'expected' % (counts, bound, distinct, count))
    tries = query(db, 'SELECT sum(retry) FROM queue_job WHERE id > %s AND model_name = %s',
                  (first, ORDER))[0][0]
    stock_jobs = query(db, 'SELECT count(*) FROM queue_job WHERE id > %s AND model_name = %s',
                       (first, PRODUCT))[0][0]
    wait_jobs(db, first)
    return seconds, tries / count, stock_jobs


# -- stock --------------------------------------------------------------------------

def stock_moves(db, backend_id, skus, moves, shop, batch=1):
    """``moves`` moves of one unit spread over ``skus``, ``batch`` per transaction; then
    the stock jobs, the shop's PATCH requests and the products whose quantity differs."""
    with open(shop.log_path, 'rb') as fh:
        log_offset = fh.seek(0, 2)
    first = last_job(db)
    start = time.perf_counter()
    with env_of(db) as env:
        warehouse = env['oscar.backend'].browse(backend_id).warehouse_id
        source = warehouse.lot_stock_id.id
        target = env.ref('stock.stock_location_customers').id
        products = [env['product.product'].search([('default_code', '=', sku)]).id
                    for sku in skus]
        uom = env.ref('product.product_uom_unit').id
    for begin in range(0, moves, batch):
        with env_of(db) as env:
            for n in range(begin, min(begin + batch, moves)):
                move = env['stock.move'].create({
                    'name': 'Benchmark move %d' % n, 'product_id': products[n % len(products)],
                    'product_uom': uom, 'product_uom_qty': 1, 'location_id': source,
                    'location_dest_id': target})
                move._action_confirm()
                move._action_assign()
                move.quantity_done = 1
                move._action_done()
    moves_seconds = time.perf_counter() - start
    wait_jobs(db, first)
    jobs = query(db, 'SELECT count(*) FROM queue_job WHERE id > %s AND model_name = %s',
                 (first, PRODUCT))[0][0]
    with open(shop.log_path, 'rb') as fh:
        fh.seek(log_offset)
        patches = sum(1 for line in fh if b'"PATCH /api/admin/stockrecords/' in line)
    with env_of(db) as env:
        odoo_side = odoo_products(env, backend_id)
    shop_side = shop_products(shop.admin(), sorted(odoo_side, key=int))
    differ = ['%s: shop %s, Odoo %s' % (odoo_side[key]['sku'], shop_side[key]['available'],
                                        odoo_side[key]['available'])
              for key in sorted(odoo_side) if shop_side[key]['available']
              != odoo_side[key]['available']]
    return jobs, patches, moves_seconds, differ


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', default='connector_oscar_bench')
    parser.add_argument('--orders', type=int, default=200)
    parser.add_argument('--lines', type=int, default=3)
    parser.add_argument('--products', type=int, default=10)
    parser.add_argument('--moves', type=int, default=1000)
    parser.add_argument('--batch', type=int, default=1,
                        help='stock moves per transaction (default 1)')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--profile', metavar='FILE',
                        help='run the first worker under cProfile, statistics to FILE')
    opts = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    config = os.path.abspath(opts.config)
    db = opts.database
    t0 = time.perf_counter()
    create_shop_db(db, logfile='/tmp/bench-oscar-install.log')
    load_config(config)
    print('odoo: fresh %s (connector, connector_oscar) in %.0f s' % (db, time.perf_counter()
                                                                     - t0), flush=True)
    shop = RemoteShop(SHOP_DB)
    workers = None
    try:
        with shop:
            backend_id, skus = setup_catalogue(db, shop, opts.products)
            if opts.profile:
                from bench_example_import import ProfiledWorkers
                workers = ProfiledWorkers(config, db, '/tmp', path=os.path.abspath(opts.profile))
            else:
                workers = Workers(config, db, '/tmp')  # logs /tmp/bench-oscar-worker-N.log
            workers.start_many(['bench-oscar-worker-%d' % n for n in range(opts.workers)],
                               timeout=120)
            first = last_job(db)
            with env_of(db) as env:
                env['oscar.backend'].browse(backend_id).action_export_catalogue()
            wait_jobs(db, first)
            t = time.perf_counter()
            placed = place_orders(shop.url, order_plan(opts.orders, opts.lines, skus))
            print('shop %s: %d products exported, %d orders of %d lines placed by %d '
                  'customers in %.0f s' % (shop.url, len(skus), len(placed), opts.lines,
                                           len({o.email for o in placed}),
                                           time.perf_counter() - t), flush=True)

            count, bare_seconds, read_seconds = bare_import(db, backend_id, shop.url,
                                                            shop.token)
            print('bare: %d orders in %.1f s (HTTP GETs %.1f s)'
                  % (count, bare_seconds, read_seconds), flush=True)
            framework_seconds, tries, stock_jobs = framework_import(db, backend_id, count)
            print('framework: %d orders in %.1f s (%.2f tries per job; %d stock jobs beside)'
                  % (count, framework_seconds, tries, stock_jobs), flush=True)

            with env_of(db) as env:
                before = odoo_products(env, backend_id)
            now = shop_products(shop.admin(), sorted(before, key=int))
            print('stock after the imports, differing: %s' % ([
                '%s: shop %s, Odoo %s' % (before[k]['sku'], now[k]['available'],
                                          before[k]['available'])
                for k in sorted(before) if now[k]['available'] != before[k]['available']],),
                flush=True)
            one = stock_moves(db, backend_id, skus[:1], opts.moves, shop, opts.batch)
            print('stock, 1 product: %d jobs, %d PATCH, %.1f s of moves, differing: %s'
                  % one, flush=True)
            ten = stock_moves(db, backend_id, skus[:10], opts.moves, shop, opts.batch)
            print('stock, %d products: %d jobs, %d PATCH, %.1f s of moves, differing: %s'
                  % ((len(skus[:10]),) + ten), flush=True)
    finally:
        if workers:
            workers.stop(grace=20)
    per_thousand = 1000.0 / opts.moves
    report('connector_oscar, %d shop orders of %d lines, %d workers (%s)'
           % (count, opts.lines, opts.workers, db), [
               ('bare: orders/s (1 process)', count / bare_seconds, 'orders/s'),
               ('framework: orders/s (job runner)', count / framework_seconds, 'orders/s'),
               ('ratio framework/bare (target >= 0.8)', bare_seconds / framework_seconds, ''),
               ('framework: tries per import job', tries, ''),
               ('framework: stock jobs beside the imports', stock_jobs, ''),
               ('stock, 1 product: jobs per 1,000 moves', one[0] * per_thousand, ''),
               ('stock, 1 product: PATCH requests per 1,000', one[1] * per_thousand, ''),
               ('stock, 1 product: moves/s (%d per transaction)' % opts.batch,
                opts.moves / one[2], ''),
               ('stock, 10 products: jobs per 1,000 moves', ten[0] * per_thousand, ''),
               ('stock, 10 products: PATCH requests per 1,000', ten[1] * per_thousand, ''),
               ('stock, 10 products: moves/s', opts.moves / ten[2], ''),
               ('stock: products differing after 1 product', len(one[3]), ''),
               ('stock: products differing after 10 products', len(ten[3]), ''),
           ])
    return 0


if __name__ == '__main__':
    sys.exit(main())
