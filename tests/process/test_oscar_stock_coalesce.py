# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stock out, coalesced: many moves of one product send a handful of stock requests.

Each stock move delays the product's stock export with its coalesce key
(``connector_oscar.units.jobs.stock_key``): a move joins the export waiting
to start. A counting HTTP proxy between the backend and the real shop
counts the stock requests and keeps the answer of one stock request per
round of moves until the round is over (a slow shop): the moves of a round
come while an export of the product runs, whatever the machine's speed.
"""
import pytest

from support.http_fault_proxy import HttpFaultProxy
from support.oscar import assert_stock_equal, create_backend

MOVES = 200
ROUNDS = 4


@pytest.fixture(name='proxy')
def proxy_fixture(shop):
    with HttpFaultProxy(shop.port) as proxy:
        yield proxy


def _moves_during_exports(odoo_side, product_id, after_job):
    """How many of the product's done moves were written while one of its
    stock exports ran (between its start and its end)."""
    return odoo_side.query(
        "SELECT count(DISTINCT m.id) FROM stock_move m JOIN queue_job j "
        "ON m.write_date BETWEEN j.date_started AND j.date_done "
        "WHERE m.product_id = %s AND m.state = 'done' AND j.id > %s "
        "AND j.coalesce_key LIKE 'oscar-stock %%'", (product_id, after_job))[0][0]


def test_many_moves_send_a_handful_of_stock_requests(oscar_odoo, shop, proxy, oscar_workers):
    """Given a product in the shop and 2 workers, when its stock moves 200 times
    (inventory adjustments, each its own transaction) in 4 rounds, each round
    while an export of the product waits for the shop's answer, then the
    shop's stock equals Odoo's, and there are at most 2 stock requests and export
    jobs per round."""
    # the shop's answer is kept for a round of moves: a long client timeout
    backend = create_backend(oscar_odoo, shop, url=proxy.url + '/api', timeout=3600)
    product = oscar_odoo.create_product('JAR-CLAY', 'Clay jar', 7.0, 50)
    oscar_workers.start_many(['oscar-w1', 'oscar-w2'])
    oscar_odoo.execute('oscar.backend', 'action_export_catalogue', [backend])
    oscar_odoo.wait_jobs_done(oscar_workers)
    assert not oscar_odoo.failed_jobs()
    assert_stock_equal(oscar_odoo, shop, backend)
    after = oscar_odoo.last_job_id()
    before = proxy.count('PATCH', '/stockrecords/')

    for round_ in range(ROUNDS):
        proxy.fail('hold', when=lambda method, path: method == 'PATCH' and
                   '/stockrecords/' in path)
        for number in range(MOVES // ROUNDS):
            oscar_odoo.set_quantity(product, 50 + (round_ * 7 + number) % 17)
        proxy.wait_holding(1)
        proxy.stop_failing()
    oscar_odoo.wait_jobs_done(oscar_workers, after_id=after)

    requests = proxy.count('PATCH', '/stockrecords/') - before
    jobs = dict(oscar_odoo.query(
        "SELECT state, count(*) FROM queue_job WHERE id > %s AND coalesce_key LIKE "
        "'oscar-stock %%' GROUP BY state", (after,)))
    overlapping = _moves_during_exports(oscar_odoo, product, after)
    counts = '%d moves: %d stock requests to the shop, stock export jobs %s, %d moves ' \
        'written while an export of the product ran' % (MOVES, requests, jobs, overlapping)
    print(counts)
    assert not oscar_odoo.failed_jobs(), counts
    assert_stock_equal(oscar_odoo, shop, backend)
    assert set(jobs) == {'done'}, counts
    assert requests == jobs['done'], counts
    # At most 2 exports stored per round, whatever the machine's speed: a move stores
    # one only when the key's last export has started; the first started in a round
    # has its answer held until the round is over, and the key's next export starts
    # only after it ended; so a third is never stored in the round.
    assert requests <= 2 * ROUNDS, 'not coalesced: %s' % counts
    assert overlapping, 'no move came while an export ran: the test proves less; %s' % counts
