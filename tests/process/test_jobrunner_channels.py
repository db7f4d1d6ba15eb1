# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: channel capacity and sequential channels hold across two workers."""
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import (FAST, ROW_MODEL, Gate, db_name, job_states, rows, wait_for_upkeeps,
                               wait_until)


def _overlaps(written):
    """Pairs of rows whose run times overlap (rows sorted by start)."""
    return [(a[0], b[0]) for a, b in zip(written, written[1:]) if b[2] < a[3]]


def _delay_all(channel, calls):
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        return [func.delay(session, ROW_MODEL, *args, channel=channel) for func, args in calls]


def test_capacity_one_is_shared_by_two_workers(tag, workers, tmp_path):
    """Capacity 1: while one worker runs a job of the channel, the other, idle, starts
    none of it; never two jobs of the channel at once; capacity 2 does overlap."""
    one, two = 'root.%s' % tag, 'root.%stwo' % tag
    workers.start_many([tag + 'a', tag + 'b'], *FAST,
                       '--channels', '%s:1,%s:2' % (one, two))
    # One worker runs a job of the channel until the gate opens; the other is idle
    # and claims after each of its upkeeps (the busy one runs none): once it did so
    # after the others were committed, none of them may have started. (Which worker
    # runs the later jobs is the scheduler's choice: the one that just ended a job
    # claims again at once, so on an idle machine it may take them all.)
    gate = Gate(tmp_path)
    try:
        _delay_all(one, [(jobs.gated_insert, (tag + '-one-held', gate.path))])
        wait_until(lambda: job_states(tag) == {'started': 1}, 30,
                   lambda: 'the gated job did not start: %s' % job_states(tag))
        _delay_all(one, [(jobs.sleep_then_insert, ('%s-one-%d' % (tag, i), 0.3))
                         for i in range(6)])
        wait_for_upkeeps(3)
        assert job_states(tag) == {'started': 1, 'pending': 6}, \
            'capacity 1 exceeded by the idle worker: %s' % job_states(tag)
    finally:
        gate.release()
    wait_until(lambda: job_states(tag) == {'done': 7}, 40,
               lambda: 'jobs not done: %s' % job_states(tag))
    in_one = rows(tag)
    assert len(in_one) == 7
    assert _overlaps(in_one) == [], 'capacity 1 exceeded: %s' % in_one
    _delay_all(two, [(jobs.sleep_then_insert, ('%stwo-%d' % (tag, i), 0.5))
                     for i in range(4)])
    wait_until(lambda: job_states(tag) == {'done': 11}, 40,
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
