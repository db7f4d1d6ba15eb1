# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: stock exports coalesced per product (``coalesce_key``) on two real
``odoo-bin jobrunner`` workers, while this process keeps changing the stock and
delaying its export: no change is lost, and far fewer jobs run than were delayed.
"""
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, ROW_MODEL, db_name, query, wait_until

PRODUCTS = 4
DELAYS = 400


def _unfinished(keys):
    return query("SELECT count(*) FROM queue_job WHERE coalesce_key IN %s "
                 "AND state NOT IN ('done', 'cancelled')", (tuple(keys),))[0][0]


def test_stock_exports_coalesce_per_product_and_send_the_last_stock(tag, workers):
    """Given 2 workers, when each of 400 transactions sets a product's stock and
    delays its export (a 0.5 s debounce; an export takes 0.05 s), then every
    product's last sent stock is its last committed one, no two exports of a product
    overlapped, and the exports that ran are far fewer than the delays."""
    workers.start(tag + 'x', *FAST)
    workers.start(tag + 'y', *FAST)
    products = ['%s-p%d' % (tag, number) for number in range(PRODUCTS)]
    handler = ConnectorSessionHandler(db_name(), SUPERUSER_ID)
    with handler.session() as session:
        stock = {product: session.env[ROW_MODEL].create({'key': product + '-stock',
                                                          'note': 'none'}).id
                 for product in products}
    committed = {}
    for number in range(DELAYS):
        product = products[number % PRODUCTS]
        with handler.session() as session:  # a stock move, committed with its delay
            session.env[ROW_MODEL].browse(stock[product]).write({'note': str(number)})
            jobs.export_stock.delay(session, ROW_MODEL, product, 0.05, eta=0.5)
        committed[product] = str(number)

    keys = ['stock %s' % product for product in products]
    wait_until(lambda: _unfinished(keys) == 0, 120,
               lambda: '%d exports still unfinished' % _unfinished(keys))
    states = dict(query('SELECT state, count(*) FROM queue_job WHERE coalesce_key IN %s '
                        'GROUP BY state', (tuple(keys),)))
    sent = {product: query('SELECT note, started, ended FROM test_queue_job_row '
                           'WHERE key = %s ORDER BY started', (product + '-sent',))
            for product in products}
    ran = sum(len(rows) for rows in sent.values())
    counts = '%d exports ran for %d delays (%s)' % (ran, DELAYS, states)
    assert states == {'done': ran}, counts
    for product in products:
        assert sent[product], 'no export of %s ran; %s' % (product, counts)
        assert sent[product][-1][0] == committed[product], \
            'lost update: %s last sent %r, last committed %r; %s' % (
                product, sent[product][-1][0], committed[product], counts)
        for (_note, _start, ended), (note, started, _end) in zip(sent[product],
                                                                 sent[product][1:]):
            assert started >= ended, 'the export of %s sending %s started %.3fs before ' \
                'the previous one ended; %s' % (product, note, ended - started, counts)
    assert ran * 4 <= DELAYS, 'coalescing too weak: %s' % counts
    print(counts)
