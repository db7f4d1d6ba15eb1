# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The README's shop demo: Odoo and a real django-oscar shop, the whole round trip.

Run by ``make demo-shop`` (``tools/dev.py demo-shop``) on a fresh
``connector_oscar_demo`` (the shop Odoo: ``sale_stock``, ``connector``,
``connector_oscar``); by hand::

    .venv/bin/python tools/demo_shop.py -c var/odoo-shop.cfg -d connector_oscar_demo

1. starts the shop (``devkit/remote_oscar.py``: gunicorn and its webhook
   sender, database ``connector_oscar_demo_shop``), this database's HTTP
   server (the webhook route) and two ``odoo-bin jobrunner`` workers; creates
   the backend "Demo shop" with the shop's staff token;
2. seeds a catalogue in Odoo (``devkit/shop_catalogue.py``: 12 products in
   5 categories, prices, SKUs, stock by an inventory adjustment) and exports
   it (one job per product); the shop gets a 10% offer on one product and a
   product Odoo does not have;
3. customers order through the shop's own API (``devkit/shop_orders.py``):
   two orders before the shop has a webhook target, imported by the poll;
   then the backend's webhook URL and secret are given to the shop and five
   more orders are pushed: several lines, several customers, a guest, the
   product Odoo lacks (that import fails, saying which order, line and SKU)
   and an order the shop's staff then cancel;
4. the missing product is created in Odoo (and given stock): the failed
   import is requeued by itself and the order imports;
5. shows the stock the shop may sell going down as the orders are imported;
6. validates the deliveries in Odoo: the shop's orders become shipped;
7. a last poll (nothing new), then compares both sides field by field:
   every order and line, every product with the quantity it may sell.

Prints the figures and the time of each step; exits 1 when the sides
differ or a job failed that should not. Every process it started is
stopped at the end, also on failure or Ctrl-C, and the shop's database is
dropped; the Odoo database stays for a look (the command to serve it is
printed).
"""
import argparse
import os
import signal
import sys
import time
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api

from devkit.local_odoo import LocalOdoo
from devkit.paths import REPO
from devkit.remote_oscar import RemoteShop
from devkit.shop_catalogue import CATALOGUE, add_stock, create_product, seed_catalogue, ship_orders
from devkit.shop_orders import CANCELLED_BY, MISSING_SKU, POLLED_ORDERS, PUSHED_ORDERS, place_orders
from devkit.shop_state import (differences, odoo_available, odoo_orders, odoo_products, shop_orders,
                               shop_products)
from devkit.workers import Workers

BACKEND_NAME = 'Demo shop'
SHOP_DB = 'connector_oscar_demo_shop'
BUSY = ('pending', 'enqueued', 'started')
OFFER_SKU = 'TEA-GREEN'


class Step(object):
    """A step of the report: its name, its time, what it shows."""

    def __init__(self, name):
        self.name = name
        self.seconds = 0.0
        self.figures = ''


class ShopDemo(object):

    def __init__(self, opts):
        self.opts = opts
        self.db = opts.database
        self.log_dir = os.path.join(REPO, 'var', 'log')
        self.tty = sys.stdout.isatty()
        self.steps = []
        self.workers = None
        self.http = None
        self.shop = None
        self.admin = None
        self.backend_id = None
        self.placed = []

    # -- the Odoo side -------------------------------------------------------

    @contextmanager
    def env(self):
        """An environment on a new cursor, committed at the end."""
        with api.Environment.manage(), odoo.registry(self.db).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def query(self, sql, params=None):
        with self.env() as env:
            env.cr.execute(sql, params)
            return env.cr.fetchall()

    def backend(self, env):
        return env['oscar.backend'].browse(self.backend_id)

    def last_job_id(self):
        return self.query('SELECT coalesce(max(id), 0) FROM queue_job')[0][0]

    def job_counts(self, after_id):
        return dict(self.query("SELECT state, count(*) FROM queue_job WHERE id > %s AND "
                               "model_name LIKE 'oscar.%%' GROUP BY state", (after_id,)))

    def job_summary(self, after_id):
        counts = self.job_counts(after_id)
        retried = self.query("SELECT count(*) FROM queue_job WHERE id > %s AND model_name "
                             "LIKE 'oscar.%%' AND retry > 1", (after_id,))[0][0]
        text = '%d jobs: %d done, %d failed' % (sum(counts.values()), counts.get('done', 0),
                                                counts.get('failed', 0))
        return text + (', %d tried more than once' % retried if retried else '')

    # -- waiting -------------------------------------------------------------

    def wait(self, label, done, timeout=300):
        """Wait until ``done()`` returns a true value (printing what it returns else)."""
        start = last = time.time()
        while True:
            result = done()
            if result is True or (result and not isinstance(result, str)):
                if self.tty:
                    sys.stdout.write('\n')
                return result
            line = '  %s: %s, %.0f s' % (label, result or 'waiting', time.time() - start)
            if self.tty:
                sys.stdout.write('\r' + line + ' ' * 8)
                sys.stdout.flush()
            elif time.time() - last > 5:
                say(line)
                last = time.time()
            dead = self.workers.dead() if self.workers else []
            if dead:
                raise SystemExit('\nworker exited with %s; see %s'
                                 % (dead[0].returncode, dead[0].log_path))
            if time.time() - start > timeout:
                raise SystemExit('\n%s: not done after %s s: %s' % (label, timeout, result))
            time.sleep(0.3)

    def wait_jobs(self, after_id, label):
        """Wait until no job of the shop connector created after ``after_id`` is left to run."""
        def idle():
            counts = self.job_counts(after_id)
            busy = sum(counts.get(state, 0) for state in BUSY)
            return True if not busy else '%d/%d jobs done, %d failed' % (
                counts.get('done', 0), sum(counts.values()), counts.get('failed', 0))
        self.wait(label, idle)

    def bound_orders(self, order_ids):
        """The shop order ids among ``order_ids`` that have their binding here."""
        rows = self.query('SELECT external_id FROM oscar_sale_order WHERE backend_id = %s '
                          'AND external_id IN %s', (self.backend_id,
                                                    tuple(str(i) for i in order_ids)))
        return {int(row[0]) for row in rows}

    # -- steps ---------------------------------------------------------------

    @contextmanager
    def step(self, name):
        say('\n== %d. %s' % (len(self.steps) + 1, name))
        step = Step(name)
        start = time.time()
        yield step
        step.seconds = time.time() - start
        self.steps.append(step)

    def run(self):
        t0 = time.time()
        self.check_fresh()
        self.shop = RemoteShop(SHOP_DB)
        try:
            with self.step('start the shop, the Odoo HTTP server, 2 job workers') as step:
                self.start(step)
            with self.step('catalogue seeded in Odoo, exported to the shop') as step:
                self.catalogue(step)
            with self.step('orders placed in the shop before it pushes: the poll') as step:
                self.polled(step)
            with self.step('orders pushed by the shop (webhooks)') as step:
                self.pushed(step)
            with self.step('the missing product created in Odoo: its order imports') as step:
                self.missing_product(step)
            with self.step("the shop's staff cancel an order") as step:
                self.cancel(step)
            with self.step('stock the shop may sell, down by the orders') as step:
                self.stock(step)
            with self.step('deliveries validated in Odoo: shop orders shipped') as step:
                self.ship(step)
            with self.step('a last poll, then both sides compared field by field') as step:
                problems = self.compare(step)
        finally:
            self.stop()
        return self.report(problems, time.time() - t0)

    def check_fresh(self):
        with self.env() as env:
            if env['oscar.backend'].search_count([]) or env['product.product'].search_count(
                    [('default_code', '=', CATALOGUE[0][0])]):
                raise SystemExit('%s already holds a shop backend or the demo catalogue: the '
                                 'demo needs a fresh database (make demo-shop makes one)'
                                 % self.db)

    def start(self, step):
        self.shop.create()
        self.shop.start()
        self.admin = self.shop.admin()
        say('shop:    django-oscar on %s, database %s (logs %s, %s)'
            % (self.shop.url, SHOP_DB, rel(self.shop.log_path), rel(self.shop.sender_log_path)))
        self.http = LocalOdoo(self.db, self.opts.config, log_level='warn',
                              python=sys.executable,
                              log_path=os.path.join(self.log_dir, 'demo-shop-http.log'))
        self.http.start()
        say('odoo:    %s served on %s (the webhook route; log var/log/demo-shop-http.log)'
            % (self.db, self.http.url))
        self.workers = Workers(self.opts.config, self.db, self.log_dir)
        self.workers.start_many(['demo-shop-worker-1', 'demo-shop-worker-2'], timeout=120)
        say('workers: 2 x odoo-bin jobrunner -c %s -d %s (logs var/log/demo-shop-worker-N.log)'
            % (rel(self.opts.config), self.db))
        with self.env() as env:
            backend = env['oscar.backend'].create({
                'name': BACKEND_NAME, 'url': self.shop.url + '/api',
                'api_token': self.shop.token})
            backend.action_test_connection()
            self.backend_id = backend.id
            say('odoo:    backend %r: %s' % (BACKEND_NAME, backend.connection_status))
        step.figures = 'shop, HTTP server, 2 workers'

    def catalogue(self, step):
        with self.env() as env:
            products = seed_catalogue(env)
            categories = len(set(p.categ_id for p in products.values()))
            units = sum(row[4] for row in CATALOGUE)
            say('odoo:    %d products in %d categories, %d units in stock (one inventory '
                'adjustment)' % (len(products), categories, units))
        first = self.last_job_id()
        with self.env() as env:
            self.backend(env).action_export_catalogue()
        say('odoo:    "Export catalogue": one export job per product')
        self.wait_jobs(first, 'export')
        with self.env() as env:
            bindings = env['oscar.product.product'].search([('backend_id', '=', self.backend_id)])
            exported = bindings.filtered('external_id')
        in_shop = sum(1 for _p in self.admin.pages('/api/admin/products/'))
        say('shop:    %d products (%s)' % (in_shop, self.job_summary(first)))
        offer = self.shop.manage('connector_shop_offer', '--percent', '10', '--upc', OFFER_SKU)
        sku, title, price, stock = MISSING_SKU
        self.admin.create_product(sku, title, price, stock=stock, category='Tea')
        say('shop:    %s; %s %r added by the shop, unknown to Odoo'
            % (offer.strip(), sku, title))
        step.figures = '%d products, %d exported; %s' % (len(products), len(exported),
                                                         self.job_summary(first))

    def polled(self, step):
        placed = place_orders(self.shop.url, POLLED_ORDERS)
        self.placed += placed
        for order in placed:
            say('shop:    order %s by %s: %s' % (order.number, order.email, items(order)))
        first = self.last_job_id()
        with self.env() as env:
            self.backend(env).import_orders()
        ids = [order.id for order in placed]
        self.wait('poll', lambda: len(self.bound_orders(ids)) == len(ids)
                  or '%d/%d orders imported' % (len(self.bound_orders(ids)), len(ids)))
        self.wait_jobs(first, 'poll')
        step.figures = '%d orders placed, %d imported; %s' % (
            len(placed), len(self.bound_orders(ids)), self.job_summary(first))

    def pushed(self, step):
        url = self.http.url + '/connector/webhook/oscar.backend/%d' % self.backend_id
        with self.env() as env:
            backend = self.backend(env)
            backend.action_generate_webhook_secret()
            secret = backend.webhook_secret
        self.shop.set_webhook_target(url, secret)
        say('shop:    webhook target %s, with the secret generated on the backend' % url)
        first = self.last_job_id()
        placed = place_orders(self.shop.url, PUSHED_ORDERS)
        self.placed += placed
        for order in placed:
            say('shop:    order %s by %s%s: %s' % (order.number, order.email,
                                                   ' (guest)' if order.guest else '',
                                                   items(order)))
        self.missing = [o for o in placed if any(sku == MISSING_SKU[0] for sku, _q in o.items)]
        expected = [o.id for o in placed if o not in self.missing]

        def arrived():
            bound = self.bound_orders(expected)
            failed = self.failed_imports(first)
            if len(bound) == len(expected) and len(failed) == len(self.missing):
                return True
            return '%d/%d orders imported, %d failed' % (
                len(bound), len(expected), len(failed))
        self.wait('push', arrived)
        self.wait_jobs(first, 'push')
        for message in self.failed_imports(first):
            say('odoo:    failed as expected: %s' % message)
        step.figures = '%d orders pushed, %d imported, %d failed (unknown SKU); %s' % (
            len(placed), len(self.bound_orders(expected)), len(self.failed_imports(first)),
            self.job_summary(first))

    def failed_imports(self, after_id):
        """The last line of the exception of each failed order import after ``after_id``."""
        rows = self.query("SELECT exc_info FROM queue_job WHERE id > %s AND state = 'failed' "
                          "AND model_name = 'oscar.sale.order'", (after_id,))
        return [(exc or '').strip().splitlines()[-1] for exc, in rows]

    def missing_product(self, step):
        sku, title, price, stock = MISSING_SKU
        first = self.last_job_id()
        with self.env() as env:
            product = create_product(env, sku, title, 'Tea', float(price))
            add_stock(env, {product: stock}, name='Shop demo: %s received' % sku)
        say('odoo:    product %s %r created, %d in stock: the failed import is requeued'
            % (sku, title, stock))
        ids = [order.id for order in self.missing]
        self.wait('requeued import', lambda: len(self.bound_orders(ids)) == len(ids)
                  or 'waiting for order %s' % ', '.join(o.number for o in self.missing))
        self.wait_jobs(first, 'requeued import')
        step.figures = 'order %s imported; %s' % (', '.join(o.number for o in self.missing),
                                                  self.job_summary(first))

    def cancel(self, step):
        order = [o for o in self.placed if o.email == CANCELLED_BY][0]
        first = self.last_job_id()
        self.admin.cancel(order.id)
        say('shop:    order %s cancelled by the staff (an order.updated webhook)'
            % order.number)

        def cancelled():
            state = self.query('SELECT so.state FROM oscar_sale_order b JOIN sale_order so ON '
                               'so.id = b.openerp_id WHERE b.backend_id = %s AND '
                               'b.external_id = %s', (self.backend_id, str(order.id)))
            return state and state[0][0] == 'cancel' or 'Odoo order %s' % (
                state[0][0] if state else 'missing')
        self.wait('cancel', cancelled)
        self.wait_jobs(first, 'cancel')
        step.figures = 'order %s cancelled in Odoo; %s' % (
            order.number, self.job_summary(first))

    def stock(self, step):
        with self.env() as env:
            backend = self.backend(env)
            location = backend.warehouse_id.lot_stock_id
            bindings = env['oscar.product.product'].search([('backend_id', '=', backend.id)])
            odoo_side = {b.external_id: (b.default_code, int(b.with_context(
                location=location.id).qty_available), odoo_available(b.openerp_id, location))
                for b in bindings}
        shop_side = shop_products(self.admin, sorted(odoo_side, key=int))
        initial = {row[0]: row[4] for row in CATALOGUE}
        initial[MISSING_SKU[0]] = MISSING_SKU[3]
        say('  %-12s %8s %10s %10s %10s' % (
            'SKU', 'initial', 'on hand', 'Odoo avail', 'shop sells'))
        equal = 0
        for external_id, (sku, on_hand, available) in sorted(odoo_side.items(),
                                                             key=lambda kv: kv[1][0]):
            sells = shop_side[external_id]['available']
            equal += sells == available
            say('  %-12s %8d %10d %10d %10d%s' % (
                sku, initial.get(sku, 0), on_hand, available, sells,
                '' if sells == available else '  <- differs'))
        step.figures = '%d products, shop sells what Odoo has available for %d' % (
            len(odoo_side), equal)

    def ship(self, step):
        first = self.last_job_id()
        with self.env() as env:
            bindings = env['oscar.sale.order'].search([('backend_id', '=', self.backend_id)])
            orders = bindings.mapped('openerp_id').filtered(lambda o: o.state != 'cancel')
            pickings = ship_orders(env, orders)
            to_ship = bindings.filtered(lambda b: b.openerp_id.state != 'cancel')
            say('odoo:    %d deliveries validated (%s)' % (
                len(pickings), ', '.join(pickings.mapped('name'))))
            ids = [int(b.external_id) for b in to_ship]

        def shipped():
            statuses = [self.admin.order(i)['status'] for i in ids]
            count = statuses.count('shipped')
            return count == len(ids) or '%d/%d shop orders shipped' % (count, len(ids))
        self.wait('ship', shipped)
        self.wait_jobs(first, 'ship')
        step.figures = '%d deliveries, %d shop orders shipped; %s' % (
            len(pickings), len(ids), self.job_summary(first))

    def compare(self, step):
        first = self.last_job_id()
        with self.env() as env:
            self.backend(env).import_orders()
        self.wait_jobs(first, 'last poll')
        polled = self.job_summary(first)
        shop_state = shop_orders(self.admin)
        with self.env() as env:
            odoo_state = odoo_orders(env, self.backend_id)
            odoo_stock = odoo_products(env, self.backend_id)
            failed = env['queue.job'].search_count([('state', '=', 'failed'),
                                                    ('model_name', 'like', 'oscar.')])
            duplicates = self.query(
                'SELECT count(*) - count(DISTINCT external_id) FROM oscar_sale_order WHERE '
                'backend_id = %s', (self.backend_id,))[0][0]
        shop_stock = shop_products(self.admin, sorted(odoo_stock, key=int))
        problems = differences(shop_state, odoo_state, 'order') + differences(
            shop_stock, odoo_stock, 'product')
        lines = sum(len(order['lines']) for order in shop_state.values())
        say('last poll: %s (orders already up to date are skipped)' % polled)
        say('compared: %d orders with %d lines, %d products (SKU, title, price, published, '
            'quantity to sell): %s' % (len(shop_state), lines, len(shop_stock),
                                       'all equal' if not problems else
                                       '%d differences' % len(problems)))
        for line in problems[:30]:
            say('  differs: %s' % line)
        if failed:
            problems.append('%d failed jobs left' % failed)
        if duplicates:
            problems.append('%d shop orders bound twice' % duplicates)
        step.figures = '%d orders, %d lines, %d products: %s' % (
            len(shop_state), lines, len(shop_stock),
            '%d differences' % len(problems) if problems else 'equal')
        return problems

    def stop(self):
        if self.workers:
            self.workers.stop(grace=20)
        if self.http:
            self.http.close()
        if self.shop:
            self.shop.close()
        say('stopped: workers, the Odoo HTTP server, the shop; dropped database %s' % SHOP_DB)

    def report(self, problems, seconds):
        say('\n== report (%s, backend %r)' % (self.db, BACKEND_NAME))
        for number, step in enumerate(self.steps, 1):
            say('  %2d. %-58s %6.1f s' % (number, step.name, step.seconds))
            say('      %s' % step.figures)
        say('  total %.0f s' % seconds)
        say('  result: %s' % ('OK, both sides equal, field by field' if not problems
                              else 'PROBLEM: %s' % '; '.join(problems[:5])))
        return 1 if problems else 0


def items(order):
    return ', '.join('%s x%d' % (sku, quantity) for sku, quantity in order.items)


def rel(path):
    return os.path.relpath(path, REPO)


def say(*args):
    print(*args, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', default=os.path.join(REPO, 'var', 'odoo-shop.cfg'))
    parser.add_argument('-d', '--database', default='connector_oscar_demo')
    opts = parser.parse_args()
    opts.config = os.path.abspath(opts.config)
    odoo.tools.config.parse_config(['-c', opts.config, '--log-level=warn'])
    odoo.modules.module.initialize_sys_path()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    return ShopDemo(opts).run()


if __name__ == '__main__':
    sys.exit(main())
