# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: channel capacity and sequential channels hold across two workers."""
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, ROW_MODEL, db_name, job_states, rows, wait_until


def _overlaps(written):
    """Pairs of rows whose run times overlap (rows sorted by start)."""
    return [(a[0], b[0]) for a, b in zip(written, written[1:]) if b[2] < a[3]]


def _delay_all(channel, calls):
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        return [func.delay(session, ROW_MODEL, *args, channel=channel) for func, args in calls]


def test_capacity_one_is_shared_by_two_workers(tag, workers):
    """Capacity 1: never two jobs of the channel at once; capacity 2 does overlap."""
    one, two = 'root.%s' % tag, 'root.%stwo' % tag
    workers.start_many([tag + 'a', tag + 'b'], *FAST,
                       '--channels', '%s:1,%s:2' % (one, two))
    _delay_all(one, [(jobs.sleep_then_insert, ('%s-one-%d' % (tag, i), 0.3))
                     for i in range(6)])
    wait_until(lambda: job_states(tag) == {'done': 6}, 40,
               lambda: 'jobs not done: %s' % job_states(tag))
    in_one = rows(tag)
    assert len(in_one) == 6
    assert _overlaps(in_one) == [], 'capacity 1 exceeded: %s' % in_one
    assert len({r[1] for r in in_one}) == 2, 'both workers should take turns: %s' % in_one
    _delay_all(two, [(jobs.sleep_then_insert, ('%stwo-%d' % (tag, i), 0.5))
                     for i in range(4)])
    wait_until(lambda: job_states(tag) == {'done': 10}, 40,
               lambda: 'jobs not done: %s' % job_states(tag))
    in_two = [r for r in rows(tag) if 'two-' in r[0]]
    assert _overlaps(in_two), 'capacity 2 should let the two workers overlap: %s' % in_two


def test_sequential_channel_runs_in_order_and_stops_at_a_failure(tag, workers):
    """Sequential: one at a time in queue order; a failed job blocks until set done."""
    channel = 'root.%s' % tag
    workers.start_many([tag + 'a', tag + 'b'], *FAST, '--channels', channel + ':1:sequential')
    calls = [(jobs.sleep_then_insert, ('%s-%d' % (tag, i), 0.05)) for i in range(6)]
    calls.insert(3, (jobs.fail_with, (tag + '-bad', 'failed')))
    uuids = _delay_all(channel, calls)
    wait_until(lambda: job_states(tag) == {'done': 3, 'failed': 1, 'pending': 3}, 30,
               lambda: 'channel did not stop at the failure: %s' % job_states(tag))
    assert [r[0] for r in rows(tag)] == ['%s-%d' % (tag, i) for i in range(3)]
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        session.env['queue.job'].search([('uuid', '=', uuids[3])]).button_done()
    wait_until(lambda: job_states(tag) == {'done': 7}, 30,
               lambda: 'channel did not resume: %s' % job_states(tag))
    written = rows(tag)
    assert [r[0] for r in written] == ['%s-%d' % (tag, i) for i in range(6)]
    assert _overlaps(written) == [], written
