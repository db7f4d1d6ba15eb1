# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Integration: a job graph names a keyed job (identity key) while that job runs.

The running job's transaction is a bare connection holding the row lock a
worker's job transaction takes (``QueueStore.lock_started_job``); the graph
is delayed in a real Odoo transaction meanwhile. The README promises that
dependents then wait on the existing job: the graph must link to it at once
and store no second job with the key.
"""
import logging

import odoo
import psycopg2
from odoo import SUPERUSER_ID

from odoo.addons.connector.queue.graph import chain
from odoo.addons.connector.queue.outcome import Outcome
from odoo.addons.connector.queue.store import QueueStore
from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import ROW_MODEL, db_name, delay, query


def _connect():
    _db, info = odoo.sql_db.connection_info_for(db_name())
    return psycopg2.connect(application_name='test_job_graph_running_key', **info)


def test_a_graph_naming_a_running_keyed_job_links_to_it_at_once(tag, caplog):
    """Given job K (key "<tag>-key") started and running in its transaction,
    when chain(K's key, after) is delayed, then delay() returns without waiting
    for K's run, links after to K, stores no second keyed job and logs no
    ERROR; once K is done, after is released."""
    key = tag + '-key'
    holder = delay(jobs.insert_row, tag + '-running', identity_key=key)
    worker = tag + '-worker'
    running = _connect()
    try:
        store = QueueStore(running.cursor())
        job_id = store._one('SELECT id FROM queue_job WHERE uuid = %s', (holder,))[0]
        assert store.start_job(job_id, worker)
        running.commit()
        assert store.lock_started_job(job_id, worker) is not None  # K runs

        caplog.set_level(logging.ERROR)
        with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
            # Before the fix the link waited for K's whole run; fail instead of hanging.
            session.env.cr.execute("SET LOCAL lock_timeout = '30s'")
            keyed = jobs.insert_row.delayable(session, ROW_MODEL, tag + '-keyed',
                                              identity_key=key)
            after = jobs.insert_row.delayable(session, ROW_MODEL, tag + '-after')
            chain(keyed, after).delay()

        assert keyed.deduplicated and keyed.uuid == holder
        assert [r.getMessage()[:200] for r in caplog.records if r.levelno >= logging.ERROR] == []
        assert query('SELECT state FROM queue_job WHERE uuid = %s', (after.uuid,)) == [
            ('wait_dependencies',)]
        assert query('SELECT dependency.uuid FROM queue_job_dependency link '
                     'JOIN queue_job job ON job.id = link.job_id '
                     'JOIN queue_job dependency ON dependency.id = link.depends_on_id '
                     'WHERE job.uuid = %s', (after.uuid,)) == [(holder,)]

        store.record_outcome(job_id, Outcome('done', 'ok'))  # K ends, as the worker writes it
        running.commit()
        store.release_dependents([job_id])  # the worker's second release, after the commit
        running.commit()
    finally:
        running.close()

    assert query('SELECT state FROM queue_job WHERE uuid = %s', (after.uuid,)) == [('pending',)]
    assert query('SELECT count(*) FROM queue_job WHERE identity_key = %s', (key,)) == [(1,)]
