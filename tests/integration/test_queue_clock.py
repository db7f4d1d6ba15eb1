# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Integration: the queue's statements and the clock.

A transaction's ``now()`` is the moment it began; ``clock_timestamp()`` is
the present. Statements that mix the two gave a worker a negative wait (it
exited) and a job an end date before it ended. Each test runs in one
transaction on its own connection and rolls it back; ``pg_sleep`` is the
database's own wait, used to let the present move past a moment inside that
transaction, not to bound a time.
"""
import uuid

import odoo
import psycopg2
import pytest
from odoo import SUPERUSER_ID

from odoo.addons.connector.queue.outcome import Outcome
from odoo.addons.connector.queue.store import QueueStore

from support.jobrunner import db_name


@pytest.fixture(name='store')
def store_fixture():
    """A store on a transaction of its own, rolled back at the end."""
    _db, info = odoo.sql_db.connection_info_for(db_name())
    cnx = psycopg2.connect(application_name='test_queue_clock', **info)
    psycopg2.extensions.register_type(psycopg2.extensions.PYDATETIME, cnx)
    store = QueueStore(cnx.cursor())
    yield store
    cnx.rollback()
    cnx.close()


def _clock(store):
    return store._one("SELECT clock_timestamp() at time zone 'utc'")[0]


def _add(store, name, eta=None):
    job_uuid = store.enqueue({
        'uuid': str(uuid.uuid4()), 'name': name, 'func_string': 'tests.' + name,
        'model_name': None, 'method_name': None, 'record_ids': None, 'args': '[]',
        'kwargs': '{}', 'user_id': SUPERUSER_ID, 'company_id': 1, 'channel': 'root',
        'priority': 10, 'eta': eta, 'max_retries': 5, 'identity_key': None})
    return store._one('SELECT id FROM queue_job WHERE uuid = %s', (job_uuid,))[0]


def test_the_wake_delay_is_never_negative_for_an_eta_passed_during_the_transaction(store):
    """A pending job whose eta is after the transaction's start but already past
    when the delay is read: the delay is not negative (select() refuses a
    negative timeout and the worker exited)."""
    store._one('SELECT now()')  # the transaction's start is fixed here
    _add(store, 'eta-soon', eta=store._one(
        "SELECT clock_timestamp() at time zone 'utc' + interval '1 millisecond'")[0])
    store._one('SELECT pg_sleep(0.02)')  # the present passes the eta, now() does not move

    delay = store.next_wake_delay()

    assert delay is None or delay >= 0, delay


def test_the_wake_delay_counts_from_the_present_to_a_future_eta(store):
    """A job due in an hour: the delay is an hour from the present, not from the
    transaction's start (else a long transaction makes a worker wake late)."""
    store._one('SELECT now()')
    store._one('SELECT pg_sleep(0.02)')
    before = _clock(store)
    eta = store._one("SELECT clock_timestamp() at time zone 'utc' + interval '1 hour'")[0]
    _add(store, 'eta-hour', eta=eta)

    delay = store.next_wake_delay()
    after = _clock(store)

    assert (eta - after).total_seconds() <= delay <= (eta - before).total_seconds()


@pytest.mark.parametrize('outcome', [Outcome('done', 'ok'), Outcome('failed', 'Traceback')])
def test_a_jobs_end_date_is_when_its_outcome_was_written(store, outcome):
    """date_done is the moment the outcome is written, not the start of the job's
    transaction: a long job's "Ended" is after its work, not milliseconds after
    "Started"."""
    job_id = _add(store, 'long-job')
    assert store.start_job(job_id, 'w-clock')
    store._one('SELECT pg_sleep(0.02)')  # the job works
    work_ended = _clock(store)

    store.record_outcome(job_id, outcome)

    started, done = store._one('SELECT date_started, date_done FROM queue_job WHERE id = %s',
                               (job_id,))
    assert done >= work_ended > started
