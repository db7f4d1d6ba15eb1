# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: a worker runs its jobs on one connection of its own, kept across jobs
(``connector/jobrunner/job_connection.py``).

What a job leaves in that session does not reach the next job; a job that
drops the statements the runner prepared there fails with a message saying
so, and the worker prepares them again and goes on.
"""
from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, Workers, delay, job_states, query, rows, wait_until


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


def test_a_job_that_drops_a_claim_statement_does_not_stop_the_next_claim(tag, workers):
    """A job deallocates the row lock of the claim's round trip, which then fails
    after the claim's commit: the claimed job is still locked and run. A job
    deallocates the claim itself, which then fails before its commit: the claim
    is prepared again and made. Every job is done, once, in order."""
    keys = [tag + '-lock', tag + '-after-lock', tag + '-claim', tag + '-after-claim']
    delay(jobs.deallocate_one, keys[0], 'connector_lock_claimed_job', priority=1)
    delay(jobs.insert_row, keys[1], priority=2)
    delay(jobs.deallocate_one, keys[2], 'connector_claim_into_session', priority=3)
    delay(jobs.insert_row, keys[3], priority=4)
    worker = workers.start(tag + 'w', *FAST)
    wait_until(lambda: job_states(tag) == {'done': 4}, 30,
               lambda: 'jobs not done: %s\n%s' % (job_states(tag), Workers.log(worker)))
    done = [key for key, _pid, _s, _e in rows(tag)]
    assert done == keys, done
    assert worker.poll() is None, 'the worker should still run'


def test_a_claimed_job_no_longer_the_workers_at_its_lock_is_skipped(tag, workers):
    """Between the claim's commit and the row lock (one round trip), another
    worker's sweep may requeue the claimed job and another worker start it: the
    worker skips it, says so, and goes on; the job runs once, later.

    That window cannot be hit by timing; a trigger opens it: it hands the row
    to another worker name as the first claim starts it, as the sweep and
    that worker's claim would. That name has no live worker: the upkeep
    requeues the job, and the next claim (its second try) runs it.
    """
    lost = delay(jobs.insert_row, tag + '-lost', priority=1)
    delay(jobs.insert_row, tag + '-next', priority=2)
    function, trigger = tag + '_steal', tag + '_steal_claim'
    query("""
        CREATE FUNCTION %s() RETURNS trigger AS $$
        BEGIN
            NEW.worker_name := 'another-worker';
            RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER %s BEFORE UPDATE ON queue_job FOR EACH ROW
        WHEN (NEW.uuid = '%s' AND NEW.state = 'started' AND OLD.state <> 'started'
              AND NEW.retry = 1)
        EXECUTE PROCEDURE %s();""" % (function, trigger, lost, function))
    try:
        worker = workers.start(tag + 'w', *FAST)
        wait_until(lambda: job_states(tag) == {'done': 2}, 30,
                   lambda: 'jobs not done: %s\n%s' % (job_states(tag), Workers.log(worker)))
    finally:
        query('DROP TRIGGER IF EXISTS %s ON queue_job; DROP FUNCTION IF EXISTS %s()' % (
            trigger, function))
    (job_id, retry), = query('SELECT id, retry FROM queue_job WHERE uuid = %s', (lost,))
    assert 'job id %d is no longer started by this worker: skipped' % job_id \
        in Workers.log(worker), Workers.log(worker)
    assert retry == 2, 'the lost job should run at its second claim, ran at try %s' % retry
    done = [key for key, _pid, _s, _e in rows(tag)]
    assert done == [tag + '-next', tag + '-lost'], done
    assert worker.poll() is None, 'the worker should still run'


def test_a_job_connection_lost_in_the_claim_leaves_the_job_to_the_next_claim(tag, workers):
    """The job connection dies in the middle of the claim's round trip: the
    worker says so, opens a new one, and the job runs at the next claim, once.

    A connection cannot be cut at a chosen statement from outside; a trigger
    does it from inside: at the first claim of the job, its own backend is
    terminated (pg_terminate_backend, as an administrator or a failover
    would), once -- a sequence counts, and a sequence is not rolled back.
    """
    job_uuid = delay(jobs.insert_row, tag + '-cut')
    function, trigger, once = tag + '_cut', tag + '_cut_claim', tag + '_cut_once'
    query("""
        CREATE SEQUENCE %s;
        CREATE FUNCTION %s() RETURNS trigger AS $$
        BEGIN
            IF nextval('%s') = 1 THEN
                PERFORM pg_terminate_backend(pg_backend_pid());
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER %s BEFORE UPDATE ON queue_job FOR EACH ROW
        WHEN (NEW.uuid = '%s' AND NEW.state = 'started' AND OLD.state <> 'started')
        EXECUTE PROCEDURE %s();""" % (once, function, once, trigger, job_uuid, function))
    try:
        worker = workers.start(tag + 'w', *FAST)
        wait_until(lambda: job_states(tag) == {'done': 1}, 30,
                   lambda: 'job not done: %s\n%s' % (job_states(tag), Workers.log(worker)))
        (cuts,), = query('SELECT last_value FROM %s' % once)
    finally:
        query('DROP TRIGGER IF EXISTS %s ON queue_job; DROP FUNCTION IF EXISTS %s(); '
              'DROP SEQUENCE IF EXISTS %s' % (trigger, function, once))
    assert cuts == 2, 'the claim should have been cut once, then made: %s' % cuts
    log = Workers.log(worker)
    assert 'connection lost while claiming a job' in log, log
    (retry,), = query('SELECT retry FROM queue_job WHERE uuid = %s', (job_uuid,))
    assert retry == 1, 'the cut claim was rolled back: one try, not %s' % retry
    assert [key for key, _pid, _s, _e in rows(tag)] == [tag + '-cut']
    assert worker.poll() is None, 'the worker should still run'
