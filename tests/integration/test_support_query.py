# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The tests' ``query_database`` tries again a write that met a concurrent update.

The fault is produced for real: another connection holds the row's lock
while the helper's DELETE waits on it with its snapshot taken, then commits
its own update. Odoo's REPEATABLE READ cursor then fails the DELETE with a
serialization error; this is what a worker killed with -9 did in a teardown
(its server process still finishing a heartbeat).
"""
import threading
import uuid

import odoo
import psycopg2.extensions
import pytest

from support.jobrunner import db_name, query, query_database, wait_until


@pytest.fixture(name='worker_row')
def worker_row_fixture():
    name = 'support-query-%s' % uuid.uuid4().hex[:8]
    query("INSERT INTO queue_job_worker (name, pid, host, date_started, heartbeat) "
          "VALUES (%s, 0, 'nowhere', now() at time zone 'utc', now() at time zone 'utc')",
          (name,))
    yield name
    query('DELETE FROM queue_job_worker WHERE name = %s', (name,))


def delete_beside_a_concurrent_update(name, attempts):
    """Run the helper's DELETE of ``name`` while another transaction updates the row
    and commits; the helper's outcome (rows or the exception it raised)."""
    holder = odoo.sql_db.db_connect(db_name()).cursor()
    outcome = {}

    def delete():
        try:
            outcome['rows'] = query_database(
                db_name(), 'DELETE FROM queue_job_worker WHERE name = %s RETURNING name',
                (name,), attempts=attempts)
        except Exception as err:  # the verdict is the test's
            outcome['error'] = err

    try:
        holder.execute("UPDATE queue_job_worker SET heartbeat = now() at time zone 'utc' "
                       "WHERE name = %s", (name,))
        deleter = threading.Thread(target=delete)
        deleter.start()
        wait_until(lambda: query(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE 'DELETE FROM queue_job_worker WHERE name = %%'"), 60,
            'the DELETE never waited on the held row')
        holder.commit()
        deleter.join(60)
    finally:
        holder.close()
    return outcome


def test_the_fault_is_real_without_a_second_attempt(worker_row):
    outcome = delete_beside_a_concurrent_update(worker_row, attempts=1)
    assert isinstance(outcome.get('error'), psycopg2.extensions.TransactionRollbackError), outcome


def test_a_serialization_failure_is_tried_again(worker_row):
    outcome = delete_beside_a_concurrent_update(worker_row, attempts=5)
    assert outcome == {'rows': [(worker_row,)]}
    assert not query('SELECT 1 FROM queue_job_worker WHERE name = %s', (worker_row,))
