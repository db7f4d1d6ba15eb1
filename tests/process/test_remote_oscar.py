# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: the django-oscar shop of ``remote_oscar/`` as connector_oscar meets it.

A real shop (``devkit.remote_oscar.RemoteShop``: gunicorn and the webhook
sender, on a database of its own) is driven over HTTP by its staff API
and by customers through its public API; its webhooks go to a stdlib
HTTP receiver of this module and are checked with the connector's own
``verify``. Outcomes are judged by the shop's answers and its outbox rows.
"""
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from odoo.addons.connector.webhook import generate_secret, verify

from devkit import pg
from devkit.paths import TEST_DB_PREFIX
from devkit.remote_oscar import RemoteShop
from devkit.shop_clients import FRENCH_ADDRESS, ShopApiError, ShopCustomer
from support.jobrunner import wait_until

#: Seconds granted to a delivery: the sender is woken at the commit, and a
#: retry comes 1 s after a refusal; a busy machine gets slack.
DELIVERY_TIMEOUT = 60


class Receiver(ThreadingHTTPServer):
    """Records every webhook try; ``fail_first_try`` answers 503 to the first
    try of each webhook id (a receiver down for a moment)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(('127.0.0.1', 0), _ReceiverHandler)
        self.tries = []  # (headers dict, body bytes, status answered)
        self.fail_first_try = False
        self.lock = threading.Lock()

    @property
    def url(self):
        return 'http://127.0.0.1:%d/connector/webhook/oscar.backend/1' % self.server_address[1]

    def tries_for(self, number, event_type):
        with self.lock:
            return [t for t in self.tries if json.loads(t[1].decode())['type'] == event_type
                    and json.loads(t[1].decode())['data']['number'] == number]


class _ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        headers = {k.lower(): v for k, v in self.headers.items()}
        server = self.server
        with server.lock:
            seen = any(t[0]['webhook-id'] == headers.get('webhook-id') for t in server.tries)
            status = 503 if server.fail_first_try and not seen else 204
            server.tries.append((headers, body, status))
        self.send_response(status)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope='module')
def shop():
    with RemoteShop('%soscar_%d' % (TEST_DB_PREFIX, os.getpid())) as running:
        yield running


@pytest.fixture(scope='module')
def catalogue(shop):
    """Two products with stock records, made through the staff API: {sku: product}."""
    admin = shop.admin()
    return {sku: admin.create_product(sku, title, price, stock=50, category='Kitchen > Mugs')
            for sku, title, price in (('MUG-BLUE', 'Blue mug', '12.50'),
                                      ('TEA-GREEN', 'Green tea', '4.20'))}


@pytest.fixture(scope='module')
def receiver(shop):
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.secret = generate_secret()
    shop.set_webhook_target(server.url, server.secret)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _customer(shop, name):
    return ShopCustomer(shop.url, '%s-%d@example.com' % (name, os.getpid())) \
        .register_and_login()


def _deliveries(shop, number):
    rows = pg.psql("SELECT event_type, state, attempts FROM connector_webhooks_webhookdelivery "
                   "WHERE order_number = %s ORDER BY id" % pg.literal(number), db=shop.database)
    return [tuple(row.split('|')) for row in rows.splitlines()]


def test_staff_product_customer_order_listed_with_lines(shop, catalogue):
    """A product made by the staff API is bought by a customer (two lines); the staff
    API lists the order among the changes and reads it with its lines."""
    stock = catalogue['MUG-BLUE']['stockrecords'][0]
    assert (stock['partner_sku'], stock['price'], stock['num_in_stock']) == \
        ('MUG-BLUE', '12.50', 50)
    admin = shop.admin()
    before = time.strftime('%Y-%m-%dT%H:%M:%S+00:00', time.gmtime(time.time() - 1))
    order = _customer(shop, 'anna').buy([('MUG-BLUE', 2), ('TEA-GREEN', 3)], FRENCH_ADDRESS)

    changed = admin.order_changes(updated_after=before)
    assert order['number'] in [o['number'] for o in changed]
    detail = admin.order(order['id'])
    assert detail['status'] == 'pending'
    assert detail['customer']['email'] == 'anna-%d@example.com' % os.getpid()
    assert detail['shipping_address']['country'] == 'FR'
    assert [(line['partner_sku'], line['quantity'], line['line_price_incl_tax'])
            for line in detail['lines']] == [('MUG-BLUE', 2, '25.00'), ('TEA-GREEN', 3, '12.60')]
    assert detail['total_incl_tax'] == '37.60'
    later = admin.order_changes(updated_after=detail['date_updated'])
    assert order['number'] not in [o['number'] for o in later]


def test_status_moves_along_the_pipeline_only(shop, catalogue):
    """Staff ship an order; cancelling it afterwards is refused with 409 and what is allowed."""
    admin = shop.admin()
    order = _customer(shop, 'bert').buy([('TEA-GREEN', 1)], FRENCH_ADDRESS)
    assert admin.set_status(order['id'], 'shipped')['status'] == 'shipped'
    assert admin.set_status(order['id'], 'shipped')['status'] == 'shipped'  # a retry: no-op
    with pytest.raises(ShopApiError) as refused:
        admin.cancel(order['id'])
    assert refused.value.status == 409
    assert refused.value.answer['allowed_statuses'] == []
    assert "'cancelled' is not a valid status for order %s" % order['number'] \
        in refused.value.answer['detail']


def test_order_placed_is_pushed_signed(shop, catalogue, receiver):
    """A placed order reaches the receiver once as a signed order.placed delivery."""
    order = _customer(shop, 'carla').buy([('MUG-BLUE', 1)], FRENCH_ADDRESS)
    tries = wait_until(lambda: receiver.tries_for(order['number'], 'order.placed'),
                       DELIVERY_TIMEOUT, 'no order.placed delivery for order %s; sender log:\n%s'
                       % (order['number'], shop.log_tail()))
    headers, body, _status = tries[0]
    webhook_id, _timestamp = verify([receiver.secret], headers, body, now=time.time())
    event = json.loads(body.decode())
    assert event['data'] == {'number': order['number'], 'id': order['id']}
    assert webhook_id.startswith('msg_')
    wait_until(lambda: _deliveries(shop, order['number']) == [('order.placed', 'sent', '1')],
               DELIVERY_TIMEOUT, lambda: 'outbox of %s: %r'
               % (order['number'], _deliveries(shop, order['number'])))


def test_refused_delivery_is_retried_with_the_same_id(shop, catalogue, receiver):
    """A 503 from the receiver is retried, same webhook id, each try validly signed."""
    def accepted():
        tries = receiver.tries_for(order['number'], 'order.placed')
        return tries if any(t[2] == 204 for t in tries) else None

    receiver.fail_first_try = True
    try:
        order = _customer(shop, 'dora').buy([('TEA-GREEN', 2)], FRENCH_ADDRESS)
        tries = wait_until(accepted, DELIVERY_TIMEOUT, lambda: 'order.placed of %s never '
                           'accepted; tries: %r' % (order['number'], receiver.tries_for(
                               order['number'], 'order.placed')))
    finally:
        receiver.fail_first_try = False
    assert [t[2] for t in tries] == [503, 204]
    assert tries[0][0]['webhook-id'] == tries[1][0]['webhook-id']
    for headers, body, _status in tries:
        verify([receiver.secret], headers, body, now=time.time())
    # the sender records the delivery once it has read the 204: wait for the row
    wait_until(lambda: _deliveries(shop, order['number']) == [('order.placed', 'sent', '2')],
               DELIVERY_TIMEOUT, lambda: 'outbox of %s after the retry: %r'
               % (order['number'], _deliveries(shop, order['number'])))


def test_status_change_is_pushed_as_order_updated(shop, catalogue, receiver):
    """Shipping an order pushes one order.updated delivery."""
    order = _customer(shop, 'emil').buy([('MUG-BLUE', 1)], FRENCH_ADDRESS)
    shop.admin().set_status(order['id'], 'shipped')
    wait_until(lambda: receiver.tries_for(order['number'], 'order.updated'),
               DELIVERY_TIMEOUT, 'no order.updated delivery for %s' % order['number'])
    wait_until(lambda: _deliveries(shop, order['number']) == [
        ('order.placed', 'sent', '1'), ('order.updated', 'sent', '1')], DELIVERY_TIMEOUT,
        lambda: 'outbox of %s: %r' % (order['number'], _deliveries(shop, order['number'])))


def test_restart_keeps_data_and_pushes_again(shop, catalogue, receiver):
    """After a stop and a start on the same port, orders and products are there, and a
    new order is pushed."""
    admin = shop.admin()
    order = _customer(shop, 'fred').buy([('MUG-BLUE', 1)], FRENCH_ADDRESS)
    port = shop.port
    shop.stop()
    with pytest.raises(OSError):  # refused: nothing listens on the port
        admin.order(order['id'])
    shop.start()
    assert shop.port == port
    assert admin.order(order['id'])['number'] == order['number']
    product_id = catalogue['TEA-GREEN']['id']
    assert admin.get('/api/admin/products/%d/' % product_id)['upc'] == 'TEA-GREEN'
    again = _customer(shop, 'fred').buy([('TEA-GREEN', 1)], FRENCH_ADDRESS)
    wait_until(lambda: receiver.tries_for(again['number'], 'order.placed'),
               DELIVERY_TIMEOUT, 'no delivery after the restart for %s' % again['number'])
