# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Support of the shop connector's end-to-end tests (and of its demo and benchmark).

Real parts only: a django-oscar shop (``devkit.remote_oscar.RemoteShop``,
its own venv, database and gunicorn), an Odoo database with ``sale_stock``,
``connector`` and ``connector_oscar`` (a copy of the shop template,
``devkit.shop_odoo``) served by a real ``odoo-bin`` (``ShopOdoo``: XML-RPC
as the administrator, webhooks) and real ``odoo-bin jobrunner`` workers on
``var/odoo-shop.cfg``. The test process cannot load that database's
registry (its addons are not on the pytest run's addons path): it reads
with SQL and acts through XML-RPC, as an outside user would.

Fixtures: ``oscar_odoo`` (module: the Odoo database and its server),
``shop`` (module: the shop), ``oscar_backend`` (a backend on that shop,
removed with its data at the end), ``oscar_workers`` (start workers with
``oscar_workers.start(name)``). Helpers compare both sides:
``assert_orders_equal`` and ``assert_stock_equal``.
"""
import os
import uuid

import pytest

from devkit import shop_odoo
from devkit.local_odoo import LocalOdoo
from devkit.remote_oscar import RemoteShop
from devkit.shop_clients import FRENCH_ADDRESS, ShopCustomer
from devkit.workers import Workers

from .jobrunner import FAST, PYTHON, query_database, wait_until

JOB_BUSY_STATES = ('pending', 'enqueued', 'started', 'wait_dependencies')


class ShopOdoo(object):
    """The Odoo database of the shop connector, served by a real server."""

    def __init__(self, database, python=PYTHON):
        self.database = database
        self.server = LocalOdoo(database, shop_odoo.SHOP_CONFIG, python=python,
                                log_level='warn')
        self._client = None

    def create(self):
        shop_odoo.create_shop_db(self.database)
        return self

    def start(self):
        self.server.start()
        return self

    def close(self):
        self.server.close()
        shop_odoo.pg.drop_db(self.database, shop_odoo.FILESTORE)

    @property
    def url(self):
        return self.server.url

    def execute(self, model, method, *args, **kwargs):
        if self._client is None:
            self._client = self.server.client(self.database)
        return self._client.execute(model, method, *args, **kwargs)

    def query(self, sql, params=None):
        """Rows of ``sql`` as another connection sees them (committed data only)."""
        return query_database(self.database, sql, params)

    # -- what a test does in Odoo -------------------------------------------------

    def create_product(self, sku, name, price, quantity=0):
        """A stockable product; ``quantity`` on hand by an inventory adjustment."""
        product_id = self.execute('product.product', 'create', {
            'name': name, 'default_code': sku, 'list_price': price, 'type': 'product',
            'sale_ok': True})
        if quantity:
            self.set_quantity(product_id, quantity)
        return product_id

    def set_quantity(self, product_id, quantity, location_id=None):
        """An inventory adjustment of the product to ``quantity`` (Odoo's own wizard)."""
        location_id = location_id or self.stock_location()
        wizard = self.execute('stock.change.product.qty', 'create', {
            'product_id': product_id, 'new_quantity': quantity, 'location_id': location_id})
        self.execute('stock.change.product.qty', 'change_product_qty', [wizard])

    def stock_location(self):
        warehouse = self.execute('stock.warehouse', 'search_read', [],
                                 fields=['lot_stock_id'], limit=1)
        return warehouse[0]['lot_stock_id'][0]

    def available(self, product_id, location_id=None):
        """What the shop may sell: on hand less outgoing, at the backend's location."""
        values = self.execute('product.product', 'read', [product_id],
                              ['qty_available', 'outgoing_qty'],
                              context={'location': location_id or self.stock_location()})[0]
        return max(values['qty_available'] - values['outgoing_qty'], 0)

    def deliver(self, order_id):
        """Validate every delivery of sale order ``order_id`` (all quantities done)."""
        pickings = self.execute('stock.picking', 'search',
                                [('sale_id', '=', order_id), ('state', 'not in',
                                                              ('done', 'cancel'))])
        for picking in pickings:
            self.execute('stock.picking', 'action_assign', [picking])
            moves = self.execute('stock.move', 'search_read', [('picking_id', '=', picking)],
                                 fields=['product_uom_qty'])
            for move in moves:
                self.execute('stock.move', 'write', [move['id']],
                             {'quantity_done': move['product_uom_qty']})
            self.execute('stock.picking', 'action_done', [picking])
        return pickings

    # -- jobs ----------------------------------------------------------------------

    def job_counts(self, after_id=0):
        return dict(self.query('SELECT state, count(*) FROM queue_job WHERE id > %s '
                               'GROUP BY state', (after_id,)))

    def wait_jobs_done(self, workers=None, timeout=180, after_id=0):
        """Wait until no job is waiting or running; the counts by state."""
        def settled():
            counts = self.job_counts(after_id)
            return counts if not any(counts.get(s) for s in JOB_BUSY_STATES) else None

        def message():
            logs = '\n'.join('--- %s\n%s' % (w.worker_name, w.log_tail(2500))
                             for w in (workers.processes if workers else []))
            return 'jobs still busy: %s\n%s' % (self.job_counts(after_id), logs)
        return wait_until(settled, timeout, message)

    def failed_jobs(self):
        return self.query("SELECT uuid, name, exc_info FROM queue_job WHERE state = 'failed' "
                          'ORDER BY id')

    def last_job_id(self):
        return self.query('SELECT coalesce(max(id), 0) FROM queue_job')[0][0]


def create_backend(odoo_side, shop, name=None, **values):
    """An oscar.backend on ``shop`` (the staff token), its connection tested; its id."""
    backend_id = odoo_side.execute('oscar.backend', 'create', dict({
        'name': name or 'Shop %s' % uuid.uuid4().hex[:6], 'url': shop.url + '/api',
        'api_token': shop.token, 'timeout': 10}, **values))
    odoo_side.execute('oscar.backend', 'action_test_connection', [backend_id])
    return backend_id


def publish_catalogue(odoo_side, workers, backend, catalogue):
    """Create the products of ``catalogue`` ((sku, name, price, quantity)) in Odoo,
    start two workers, export the catalogue to the shop and wait until its jobs are
    done, none failed; {sku: product id}."""
    products = {sku: odoo_side.create_product(sku, name, price, quantity)
                for sku, name, price, quantity in catalogue}
    workers.start_many(['oscar-w1', 'oscar-w2'])
    odoo_side.execute('oscar.backend', 'action_export_catalogue', [backend])
    odoo_side.wait_jobs_done(workers)
    assert not odoo_side.failed_jobs()
    return products


def place_orders(shop, orders):
    """Place ``orders`` (``[(email, [(sku, quantity), ...]), ...]``) as customers
    would, through the shop's API; the shop's answers."""
    placed = []
    for email, items in orders:
        customer = ShopCustomer(shop.url, email)
        customer.register_and_login()
        placed.append(customer.buy(items, FRENCH_ADDRESS))
    return placed


def shop_lines(shop, order_id):
    """``[(sku, quantity, unit price, line price), ...]`` of a shop order, by line id."""
    order = shop.admin().order(order_id)
    return sorted((line['upc'], float(line['quantity']), float(line['unit_price_excl_tax']),
                   float(line['line_price_excl_tax'])) for line in order['lines'])


def odoo_lines(odoo_side, backend_id, external_id):
    """The same of the sale order bound to shop order ``external_id``."""
    rows = odoo_side.query(
        'SELECT p.default_code, l.product_uom_qty, l.price_unit, l.price_subtotal '
        'FROM oscar_sale_order b JOIN sale_order_line l ON l.order_id = b.openerp_id '
        'JOIN product_product p ON p.id = l.product_id '
        'WHERE b.backend_id = %s AND b.external_id = %s', (backend_id, external_id))
    return sorted((code, float(qty), float(unit), round(float(subtotal), 2))
                  for code, qty, unit, subtotal in rows)


def assert_orders_equal(odoo_side, shop, backend_id, placed):
    """Every placed order is bound once in Odoo, confirmed, its lines equal the shop's."""
    for order in placed:
        rows = odoo_side.query(
            'SELECT s.state FROM oscar_sale_order b JOIN sale_order s ON s.id = b.openerp_id '
            'WHERE b.backend_id = %s AND b.external_id = %s', (backend_id, str(order['id'])))
        assert len(rows) == 1, 'shop order %s is bound %d times' % (order['number'], len(rows))
        assert rows[0][0] == 'sale', 'order %s is %s, not confirmed' % (
            order['number'], rows[0][0])
        assert odoo_lines(odoo_side, backend_id, str(order['id'])) == \
            shop_lines(shop, order['id']), 'lines of order %s differ' % order['number']
    count = odoo_side.query('SELECT count(*) FROM oscar_sale_order WHERE backend_id = %s',
                            (backend_id,))[0][0]
    assert count == len(placed)


def shop_stock(shop, product_external_id):
    record = shop.admin().get('/api/admin/products/%s/' % product_external_id)['stockrecords'][0]
    return record['num_in_stock'] - (record['num_allocated'] or 0)


def assert_stock_equal(odoo_side, shop, backend_id):
    """Each bound product's shop stock equals Odoo's quantity available to sell."""
    rows = odoo_side.query('SELECT openerp_id, external_id FROM oscar_product_product '
                           'WHERE backend_id = %s', (backend_id,))
    assert rows
    differences = []
    for product_id, external_id in rows:
        here, there = odoo_side.available(product_id), shop_stock(shop, external_id)
        if here != there:
            differences.append('product %s: Odoo %s, shop %s' % (product_id, here, there))
    assert not differences, differences


def wait_stock_equal(odoo_side, shop, backend_id, workers=None, timeout=120):
    """Wait until the jobs settle, then compare the stock."""
    odoo_side.wait_jobs_done(workers, timeout)
    assert_stock_equal(odoo_side, shop, backend_id)


@pytest.fixture(scope='module')
def oscar_odoo():
    """The shop connector's Odoo database and server, for a test module."""
    side = ShopOdoo('%soscar_%d' % (os.environ.get('CONNECTOR_TEST_DB_PREFIX')
                                    or 'connector_test_', os.getpid()))
    side.create()
    try:
        side.start()
        yield side
    finally:
        side.close()


@pytest.fixture(scope='module')
def shop():
    """A running django-oscar shop, for a test module."""
    with RemoteShop('connector_test_oscar_shop_%d' % os.getpid()) as remote:
        yield remote


@pytest.fixture
def oscar_backend(oscar_odoo, shop):
    """A backend on the shop; its bindings and jobs are left (the database is the
    module's), a new backend per test keeps tests apart."""
    return create_backend(oscar_odoo, shop)


class OscarWorkers(Workers):
    """Job workers on the shop connector's database."""

    def start(self, name, *extra, wait=True, databases=None, timeout=60):
        return super().start(name, *(FAST + list(extra)), wait=wait, databases=databases,
                             timeout=timeout)


@pytest.fixture
def oscar_workers(oscar_odoo, tmp_path):
    pool = OscarWorkers(shop_odoo.SHOP_CONFIG, oscar_odoo.database, tmp_path, python=PYTHON)
    yield pool
    pool.kill()
    oscar_odoo.query('DELETE FROM queue_job_worker')
