# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Integration: coalesce keys through ``delay()`` / ``with_delay()``, in real Odoo
transactions (REPEATABLE READ), committed, judged by the rows of ``queue_job``.

A stock export per product (``test_queue_job.jobs.export_stock``, keyed by
``@job(coalesce_key=...)``): a delay while the product's export waits to start
joins it; a delay while it runs stores one more, which waits for it.
"""
import threading

import odoo
import psycopg2
import pytest
from odoo import SUPERUSER_ID

from odoo.addons.connector.exception import JobError
from odoo.addons.connector.queue.bulk import bulk_enqueue
from odoo.addons.connector.queue.outcome import Outcome
from odoo.addons.connector.queue.store import QueueStore
from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import ROW_MODEL, db_name, delay, query, wait_until


def _connect():
    _db, info = odoo.sql_db.connection_info_for(db_name())
    cnx = psycopg2.connect(application_name='test_job_coalesce', **info)
    cnx.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_READ_COMMITTED)
    return cnx


def _jobs(tag):
    """(uuid, state) of the stock exports of the test's product, oldest first."""
    return query('SELECT uuid, state FROM queue_job WHERE coalesce_key = %s ORDER BY id',
                 ('stock %s' % tag,))


@pytest.fixture(name='claimer')
def claimer_fixture(tag):
    """A worker's claim connection that sees only this test's jobs: the pending jobs
    of other tests are locked by a transaction of its own (the claim skips them)."""
    others, claiming = _connect(), _connect()
    others.cursor().execute(
        "SELECT id FROM queue_job WHERE state = 'pending' AND coalesce_key IS DISTINCT "
        "FROM %s FOR UPDATE", ('stock %s' % tag,))
    store = QueueStore(claiming.cursor())

    def claim(worker):
        job_id = store.claim_next(worker)
        claiming.commit()
        return job_id
    yield store, claim
    for cnx in (others, claiming):
        cnx.rollback()
        cnx.close()
    query('DELETE FROM queue_job WHERE coalesce_key = %s', ('stock %s' % tag,))


def test_a_delay_while_the_export_waits_joins_it(tag, claimer):
    """The product's export waits to start: a second delay stores nothing and returns
    its uuid; the first delay's eta stays (a burst is gathered, never pushed back)."""
    first = delay(jobs.export_stock, tag, eta=3600)
    second = delay(jobs.export_stock, tag)
    assert second == first
    assert _jobs(tag) == [(first, 'pending')]
    assert query("SELECT eta > (now() at time zone 'utc') + interval '3000 seconds' "
                 "FROM queue_job WHERE uuid = %s", (first,)) == [(True,)]


def test_a_delay_while_the_export_runs_stores_one_that_runs_after(tag, claimer):
    """The export runs: a delay stores one more job, and the next delays join it; it
    is not claimed while the first runs, and is once the first is done."""
    store, claim = claimer
    first = delay(jobs.export_stock, tag)
    first_id = query('SELECT id FROM queue_job WHERE uuid = %s', (first,))[0][0]
    assert claim(tag + '-w1') == first_id
    second = delay(jobs.export_stock, tag)
    assert delay(jobs.export_stock, tag) == second != first
    assert _jobs(tag) == [(first, 'started'), (second, 'pending')]
    assert claim(tag + '-w2') is None, 'the second export started beside the first'
    store.record_outcome(first_id, Outcome('done', 'sent'))
    store.cr.connection.commit()
    assert claim(tag + '-w2') == query('SELECT id FROM queue_job WHERE uuid = %s',
                                       (second,))[0][0]


class Delaying(threading.Thread):
    """An Odoo transaction of its own thread that delays the export once it is told,
    then commits once told."""

    def __init__(self, tag):
        super().__init__(daemon=True)
        self.tag = tag
        self.go_delay, self.go_commit = threading.Event(), threading.Event()
        self.ready, self.delayed = threading.Event(), threading.Event()
        self.uuid = self.error = self.backend_pid = None
        self.start()

    def run(self):
        try:
            with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
                session.env.cr.execute('SELECT count(*) FROM queue_job')  # the snapshot
                self.backend_pid = session.env.cr._cnx.get_backend_pid()
                self.ready.set()
                assert self.go_delay.wait(30)
                self.uuid = jobs.export_stock.delay(session, ROW_MODEL, self.tag)
                self.delayed.set()
                assert self.go_commit.wait(30)
        except Exception as err:  # shown by the test
            self.error = err
        finally:
            self.ready.set()
            self.delayed.set()


def _wait_blocked(pid):
    """Wait until the backend ``pid`` waits for a lock another transaction holds."""
    wait_until(lambda: query('SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s',
                             (pid,)) == [('Lock',)], 60,
               'backend %s never waited for a lock' % pid)


def test_two_transactions_delaying_one_product_store_one_job(tag, claimer):
    """A and B delay the product's export at once: B waits for A's commit and gets
    A's job (it cannot see it: a newer commit than its snapshot); one job."""
    first, second = Delaying(tag), Delaying(tag)
    first.go_delay.set()
    assert first.delayed.wait(30) and first.error is None, first.error
    assert second.ready.wait(30) and second.error is None, second.error
    second.go_delay.set()
    _wait_blocked(second.backend_pid)
    first.go_commit.set()
    first.join(30)
    assert second.delayed.wait(30) and second.error is None, second.error
    second.go_commit.set()
    second.join(30)
    assert (first.error, second.error) == (None, None)
    assert second.uuid == first.uuid
    assert _jobs(tag) == [(first.uuid, 'pending')]


def test_a_thousand_delays_in_one_transaction_store_one_job(tag, claimer):
    """1,000 stock moves of one product in one transaction (in a bulk_enqueue block
    too): one job, whose uuid each delay returns."""
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        with bulk_enqueue(session.env):
            uuids = {jobs.export_stock.delay(session, ROW_MODEL, tag) for _ in range(1000)}
    assert len(uuids) == 1
    assert _jobs(tag) == [(uuids.pop(), 'pending')]


def test_the_keys_are_checked_when_delayed(tag, claimer):
    """An explicit coalesce_key wins over @job's; identity_key and coalesce_key
    together, or an empty key, are refused at delay() and store nothing."""
    explicit = delay(jobs.insert_row, tag + '-a', coalesce_key='stock %s' % tag)
    assert delay(jobs.export_stock, 'another product', coalesce_key='stock %s' % tag) \
        == explicit
    with pytest.raises(JobError, match='give identity_key .* or coalesce_key .*, not both'):
        delay(jobs.insert_row, tag + '-b', identity_key=tag, coalesce_key='stock %s' % tag)
    with pytest.raises(JobError, match="coalesce_key '' of job .*: give a non-empty text"):
        delay(jobs.insert_row, tag + '-c', coalesce_key='')
    assert _jobs(tag) == [(explicit, 'pending')]


def test_with_delay_takes_a_coalesce_key(tag, claimer):
    """``records.with_delay(coalesce_key=...)`` joins the waiting job as delay() does."""
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        rows = session.env[ROW_MODEL].create({'key': tag + '-row'})
        first = rows.with_delay(coalesce_key='stock %s' % tag).write_note('one')
        second = rows.with_delay(coalesce_key='stock %s' % tag).write_note('two')
    assert second.uuid == first.uuid
    assert _jobs(tag) == [(first.uuid, 'pending')]
