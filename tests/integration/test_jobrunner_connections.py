# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Integration: the worker's upkeep connection (``jobrunner/database.py``), real PostgreSQL.

The upkeep connection is in autocommit, so that a lone statement is one
round trip (``DatabaseQueue._statement``); the worker's other calls on it
open and end their own transaction (``DatabaseQueue._transaction``). These
tests hold what that must keep: READ COMMITTED whatever the database's
default (the claim function counts a channel's started jobs after taking its
lock: a snapshot older than the lock would count wrong), and all or nothing
for a transaction that raises.
"""
import uuid

import psycopg2
import pytest

from odoo.addons.connector.jobrunner.database import DatabaseQueue, WorkerConfig, _connect
from odoo.addons.connector.queue.store import QueueStore

from support.jobrunner import db_name, query


@pytest.fixture(name='claim_queue')
def claim_queue_fixture(monkeypatch):
    """A worker's DatabaseQueue whose upkeep connection is open (no registry, no
    name taken), on a database whose sessions default to REPEATABLE READ, as
    ``ALTER DATABASE ... SET default_transaction_isolation`` would make them."""
    monkeypatch.setenv('PGOPTIONS', '-c default_transaction_isolation=repeatable\\ read')
    name = 'test-claim-cnx-%s' % uuid.uuid4().hex[:8]
    queue = DatabaseQueue(db_name(), WorkerConfig(databases=[db_name()], worker_name=name))
    queue.upkeep_cnx = _connect(db_name(), 'upkeep', autocommit=True)  # as connect() opens it
    yield queue
    queue.upkeep_cnx.close()
    query('DELETE FROM queue_job_worker WHERE name = %s', (name,))


def _isolation(store):
    store.cr.execute('SHOW transaction_isolation')
    return store.cr.fetchone()[0]


def test_lone_statements_and_transactions_run_in_read_committed(claim_queue):
    """A claim (one statement, autocommit) and a transaction of several: both READ
    COMMITTED on a database whose default is REPEATABLE READ."""
    assert claim_queue._statement(_isolation) == 'read committed'
    assert claim_queue._transaction(_isolation) == 'read committed'


def test_a_transaction_that_raises_leaves_nothing_and_the_connection_usable(claim_queue):
    """A write then an error in one ``_transaction``: the write is rolled back
    (the connection is in autocommit: the transaction is the worker's own BEGIN),
    and the next call runs on a clean connection."""
    name = claim_queue.config.worker_name

    def register_then_fail(store):
        store.heartbeat(name, 1, 'host-a')
        store.cr.execute('SELECT 1 / 0')

    with pytest.raises(psycopg2.errors.DivisionByZero):
        claim_queue._transaction(register_then_fail)
    assert query('SELECT count(*) FROM queue_job_worker WHERE name = %s', (name,)) == [(0,)]
    claim_queue._transaction(QueueStore.heartbeat, name, 1, 'host-a')
    assert query('SELECT host FROM queue_job_worker WHERE name = %s', (name,)) == [('host-a',)]
