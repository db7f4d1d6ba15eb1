# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: stock exports coalesced per product (``coalesce_key``) on two real
``odoo-bin jobrunner`` workers, while this process keeps changing the stock and
delaying its export: no change is lost, and a delay joins the export that waits.
"""
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, ROW_MODEL, db_name, query, wait_for_upkeeps, wait_until

PRODUCTS = 4
DELAYS = 400


def _delay_export(session, product, delays, **options):
    """Delay the export of product's stock in session's transaction; note in delays its
    uuid and the database's clock just after (the job is inserted or joined by then)."""
    job_uuid = jobs.export_stock.delay(session, ROW_MODEL, product, 0.05, **options)
    session.cr.execute("SELECT clock_timestamp() at time zone 'utc'")
    delays.append((product, job_uuid, session.cr.fetchone()[0]))
    return job_uuid


def _assert_a_new_export_only_once_the_last_had_started(products, delays, counts):
    """A delay stores a new export of a product only when no export of it waits to
    start: the product's previous export had started (its claim committed) before that
    delay's insert. Judged by the jobs' recorded start times, whatever the speed."""
    for product in products:
        created = {}  # the uuids of the product's exports, in the order they were stored
        for delayed, job_uuid, after in delays:
            if delayed == product and job_uuid not in created:
                created[job_uuid] = after
        started = dict(query('SELECT uuid, date_started FROM queue_job WHERE uuid IN %s',
                             (tuple(created),)))
        order = list(created)
        for previous, job_uuid in zip(order, order[1:]):
            assert started[previous] is not None and started[previous] <= created[job_uuid], \
                'export %s of %s was stored at %s while export %s still waited to start ' \
                '(started %s): the delay should have joined it; %s' % (
                    job_uuid, product, created[job_uuid], previous, started[previous], counts)


def _unfinished(keys):
    return query("SELECT count(*) FROM queue_job WHERE coalesce_key IN %s "
                 "AND state NOT IN ('done', 'cancelled')", (tuple(keys),))[0][0]


def test_stock_exports_coalesce_per_product_and_send_the_last_stock(tag, workers):
    """Given 2 workers, when each of 400 transactions delays a product's export (a
    0.5 s debounce; an export takes 0.05 s) and sets its stock, and a last move of
    each product stays open while the export it joined comes due, then every
    product's last sent stock is its last committed one, no two exports of a product
    overlapped, and a delay stored a new export only when the product's previous one
    had started (else it joined it)."""
    workers.start(tag + 'x', *FAST)
    workers.start(tag + 'y', *FAST)
    products = ['%s-p%d' % (tag, number) for number in range(PRODUCTS)]
    handler = ConnectorSessionHandler(db_name(), SUPERUSER_ID)
    with handler.session() as session:
        stock = {product: session.env[ROW_MODEL].create(
            {'key': product + '-stock', 'note': 'none'}).id for product in products}
    committed, delays = {}, []
    for number in range(DELAYS):
        product = products[number % PRODUCTS]
        # A stock move: its export is delayed before the quantity is written (a
        # hook fired early in the transaction), all committed together. An export
        # that started between this delay and the commit would read the old stock.
        with handler.session() as session:
            _delay_export(session, product, delays, eta=0.5)
            session.env[ROW_MODEL].browse(stock[product]).write({'note': str(number)})
        committed[product] = str(number)

    # The last move of each product joins an export that waits, and its transaction
    # stays open until that export is due and each worker has had its chance to
    # start it (their upkeeps run once they find nothing to claim): started, it
    # would read the stock before the move and the move would never be sent.
    with handler.session() as session:
        waiting = [_delay_export(session, product, delays, eta=0.5) for product in products]
    with handler.session() as session:
        joined = [_delay_export(session, product, delays) for product in products]
        wait_until(lambda: not query(
            "SELECT 1 FROM queue_job WHERE uuid IN %s AND state = 'pending' "
            "AND eta > (now() at time zone 'utc')", (tuple(joined),)), 60,
            'the joined exports never came due')
        wait_for_upkeeps(3)
        for product in products:
            session.env[ROW_MODEL].browse(stock[product]).write({'note': 'last'})
            committed[product] = 'last'
    joins = sum(1 for first, last in zip(waiting, joined) if first == last)

    keys = ['stock %s' % product for product in products]
    wait_until(lambda: _unfinished(keys) == 0, 120,
               lambda: '%d exports still unfinished' % _unfinished(keys))
    states = dict(query('SELECT state, count(*) FROM queue_job WHERE coalesce_key IN %s '
                        'GROUP BY state', (tuple(keys),)))
    sent = {product: query('SELECT note, started, ended FROM test_queue_job_row '
                           'WHERE key = %s ORDER BY started', (product + '-sent',))
            for product in products}
    ran = sum(len(rows) for rows in sent.values())
    counts = '%d exports ran for %d delays (%s); the last moves joined %d of %d waiting ' \
        'exports' % (ran, DELAYS + 2 * PRODUCTS, states, joins, PRODUCTS)
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
    # Coalescing, judged by the recorded start times, not by a ratio of runs to delays
    # (that ratio is the machine's speed: the slower the delays, the more exports come
    # due between two of them): each export stored by a delay, not joined, was the
    # first of its product or came once the previous one had started.
    assert len({job_uuid for _product, job_uuid, _after in delays}) == ran, counts
    _assert_a_new_export_only_once_the_last_had_started(products, delays, counts)
    assert ran < len(delays), 'no delay joined a waiting export (each came more than the ' \
        '0.5 s debounce after the previous one of its product): the test proved less; ' \
        '%s' % counts
    print(counts)
