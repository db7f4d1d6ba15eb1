# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Integration: a job graph delayed in a transaction that began before another
committed a job holding one of the graph's identity keys.

The graph's transaction is a real Odoo cursor, REPEATABLE READ as every Odoo
transaction; the other one commits through its own connection in between.
"""
import psycopg2
import pytest
from odoo import SUPERUSER_ID

from odoo.addons.connector.queue.graph import chain
from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import ROW_MODEL, db_name, delay, query


def _links(job_uuid):
    """uuids of the jobs ``job_uuid`` waits for, as committed."""
    return query('SELECT dependency.uuid FROM queue_job_dependency link '
                 'JOIN queue_job job ON job.id = link.job_id '
                 'JOIN queue_job dependency ON dependency.id = link.depends_on_id '
                 'WHERE job.uuid = %s', (job_uuid,))


def _delay_chain(session, tag, key):
    keyed = jobs.insert_row.delayable(session, ROW_MODEL, tag + '-keyed', identity_key=key)
    after = jobs.insert_row.delayable(session, ROW_MODEL, tag + '-after')
    chain(keyed, after).delay()
    return keyed, after


def test_a_key_held_by_a_job_committed_after_the_snapshot_makes_the_graph_retry(tag):
    """chain(keyed, after) while another transaction committed a job with the key
    after this one began: delay() raises the serialization failure and stores
    nothing; retried, after waits for the job holding the key."""
    key = tag + '-key'
    handler = ConnectorSessionHandler(db_name(), SUPERUSER_ID)
    with pytest.raises(psycopg2.extensions.TransactionRollbackError):
        with handler.session() as session:
            session.env.cr.execute('SELECT count(*) FROM queue_job')  # snapshot taken
            holder = delay(jobs.insert_row, tag + '-holder', identity_key=key)
            _delay_chain(session, tag, key)
    assert query('SELECT count(*) FROM queue_job WHERE args LIKE %s',
                 ('%' + tag + '-after%',)) == [(0,)], 'nothing of the graph is stored'

    with handler.session() as session:  # the retry
        keyed, after = _delay_chain(session, tag, key)
    assert keyed.deduplicated and keyed.uuid == holder
    assert query('SELECT state FROM queue_job WHERE uuid = %s', (after.uuid,)) == [
        ('wait_dependencies',)]
    assert _links(after.uuid) == [(holder,)]


def test_a_key_held_by_a_job_nothing_waits_for_is_found_without_retry(tag):
    """A keyed job of the graph that no job waits for is deduplicated onto a job
    committed after the snapshot, as delay() does: no link is needed."""
    key = tag + '-key'
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        session.env.cr.execute('SELECT count(*) FROM queue_job')  # snapshot taken
        holder = delay(jobs.insert_row, tag + '-holder', identity_key=key)
        before = jobs.insert_row.delayable(session, ROW_MODEL, tag + '-before')
        keyed = jobs.insert_row.delayable(session, ROW_MODEL, tag + '-keyed', identity_key=key)
        chain(before, keyed).delay()
    assert keyed.deduplicated and keyed.uuid == holder
    assert query('SELECT state FROM queue_job WHERE uuid = %s', (before.uuid,)) == [
        ('pending',)]
