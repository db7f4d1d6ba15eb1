# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: a worker runs its jobs on one connection of its own, kept across jobs
(``connector/jobrunner/job_connection.py``).

What a job leaves in that session does not reach the next job; a job that
drops the statements the runner prepared there fails with a message saying
so, and the worker prepares them again and goes on.
"""
from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, delay, job_states, query, rows, wait_until


def _note(key):
    return query('SELECT note FROM test_queue_job_row WHERE key = %s', (key,))[0][0]


def test_a_job_leaves_no_session_state_to_the_next(tag, workers):
    """A setting, a session advisory lock and a temporary table left by one job are gone
    for the next job, which runs in the same database session."""
    delay(jobs.leave_session_state, tag + '-leave', priority=1)
    delay(jobs.read_session_state, tag + '-read', priority=2)
    workers.start(tag + 'w', *FAST)
    wait_until(lambda: job_states(tag) == {'done': 2}, 30,
               lambda: 'jobs not done: %s' % job_states(tag))
    left_in = _note(tag + '-leave')
    backend, timeout, advisory_locks, temp_table = _note(tag + '-read').split('|')
    assert backend == left_in, 'both jobs should run in one session (%s, %s)' % (
        left_in, backend)
    assert (timeout, advisory_locks, temp_table) == ('0', '0', 'False'), \
        'state of the previous job reached the next: %s' % _note(tag + '-read')


def test_a_job_that_drops_the_runner_statements_fails_and_the_worker_goes_on(tag, workers):
    """DEALLOCATE ALL in a job: that job failed (its row rolled back) with a message
    naming the statements; a job that deallocates then raises gets its own error;
    the jobs after them are done."""
    dropped = delay(jobs.deallocate_all, tag + '-dropped', priority=1)
    delay(jobs.insert_row, tag + '-after-dropped', priority=2)
    raised = delay(jobs.deallocate_all, tag + '-raised', fail=True, priority=3)
    delay(jobs.insert_row, tag + '-after-raised', priority=4)
    worker = workers.start(tag + 'w', *FAST)
    wait_until(lambda: job_states(tag) == {'failed': 2, 'done': 2}, 30,
               lambda: 'jobs did not end: %s' % job_states(tag))
    messages = dict(query('SELECT uuid, exc_info FROM queue_job WHERE uuid IN %s',
                          ((dropped, raised),)))
    assert 'ran DEALLOCATE on the job runner\'s connection' in messages[dropped] \
        and 'connector_lock_started_job' in messages[dropped], messages[dropped]
    assert 'refused after DEALLOCATE ALL' in messages[raised], messages[raised]
    done = [key for key, _pid, _s, _e in rows(tag)]
    assert done == [tag + '-after-dropped', tag + '-after-raised'], done
    assert worker.poll() is None, 'the worker should still run'
