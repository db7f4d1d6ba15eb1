# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: faults of real worker processes lose no job.

kill -9 in the middle of a job; SIGTERM in the middle of a job; the job's
database connection terminated by PostgreSQL (pg_terminate_backend, a real
lost connection as the worker sees it).
"""
import os
import signal
import time

from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, Gate, delay, query, rows, wait_until


def _job(job_uuid):
    return query('SELECT state, retry, worker_name FROM queue_job WHERE uuid = %s',
                 (job_uuid,))[0]


def test_kill_9_during_a_job_runs_it_again_elsewhere(tag, workers, tmp_path):
    """Worker A killed with -9 mid-job: worker B runs the job again; one row, done."""
    gate = Gate(tmp_path)  # the job runs until released: mid-job for as long as needed
    first = workers.start(tag + 'a', *FAST)
    job_uuid = delay(jobs.gated_insert, tag + '-long', gate.path)
    try:
        # killed once the job's body waits at the gate: its transaction holds the
        # job's row lock, which dies with A's connection
        wait_until(lambda: gate.waiting() == [first.pid], 30,
                   lambda: 'job not at the gate: %s' % (_job(job_uuid),))
        state, _retry, worker_name = _job(job_uuid)
        assert (state, worker_name) == ('started', tag + 'a')
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        killed_at = time.time()
    finally:
        gate.release()
    second = workers.start(tag + 'b', *FAST)
    wait_until(lambda: _job(job_uuid)[0] == 'done', 30,
               lambda: 'job not rerun: %s' % (_job(job_uuid),))
    state, retry, _worker = _job(job_uuid)
    assert retry == 2, 'the job should have been tried twice, not %s' % retry
    written = rows(tag)
    assert len(written) == 1, 'the killed run must leave no row: %s' % written
    assert written[0][1] == second.pid
    assert written[0][2] > killed_at - 0.1


def test_sigterm_finishes_the_running_job_and_starts_no_other(tag, workers, tmp_path):
    """SIGTERM mid-job: the job ends done, the next stays pending, exit status 0."""
    gate = Gate(tmp_path)  # the job runs until released: mid-job for as long as needed
    worker = workers.start(tag + 'a', *FAST)
    running = delay(jobs.gated_insert, tag + '-1', gate.path)
    try:
        wait_until(lambda: _job(running)[0] == 'started', 20, 'job not started')
        waiting = delay(jobs.insert_row, tag + '-2')
        worker.send_signal(signal.SIGTERM)
        # the job ends once the signal was handled while it ran
        wait_until(lambda: 'stopping after the running job' in workers.log(worker), 60,
                   lambda: 'the SIGTERM was not handled: %s' % workers.log(worker))
    finally:
        gate.release()
    assert worker.wait(20) == 0, workers.log(worker)
    assert _job(running)[0] == 'done'
    assert _job(waiting)[0] == 'pending'
    assert [r[0] for r in rows(tag)] == [tag + '-1']
    assert query('SELECT count(*) FROM queue_job_worker WHERE name = %s',
                 (tag + 'a',)) == [(0,)], 'a stopped worker removes its row'
    log = workers.log(worker)
    assert 'stopping after the running job' in log and 'stopped' in log, log


def test_sigusr1_writes_the_stacks_and_the_worker_goes_on(tag, workers, tmp_path):
    """SIGUSR1 mid-job: the worker's log shows each thread's stack (the job's gate
    among them), and the worker finishes that job and runs the next."""
    gate = Gate(tmp_path)
    worker = workers.start(tag + 'a', *FAST)
    held = delay(jobs.gated_insert, tag + '-1', gate.path)
    try:
        wait_until(lambda: gate.waiting() == [worker.pid], 30,
                   lambda: 'the job never waited at its gate: %s' % (_job(held),))
        worker.send_signal(signal.SIGUSR1)
        wait_until(lambda: 'gated_insert' in workers.log(worker), 30,
                   lambda: 'no stack in the log: %s' % workers.log(worker))
    finally:
        gate.release()
    log = workers.log(worker)
    assert 'Current thread' in log and 'most recent call first' in log, log
    after = delay(jobs.insert_row, tag + '-2')
    wait_until(lambda: _job(after)[0] == 'done', 30,
               lambda: 'the worker did not go on: %s' % workers.log(worker))
    assert _job(held)[0] == 'done' and worker.poll() is None
    assert sorted(r[0] for r in rows(tag)) == [tag + '-1', tag + '-2']


def test_lost_database_connection_retries_the_job_and_reconnects(tag, workers):
    """The job's connection is terminated: the job runs again and the worker goes on."""
    worker = workers.start(tag + 'a', *FAST)
    job_uuid = delay(jobs.db_sleep_then_insert, tag + '-db', 1.5, tag)

    def backend():
        found = query("SELECT pid FROM pg_stat_activity WHERE state = 'active' AND "
                      "query LIKE %s AND pid <> pg_backend_pid()", ('%pg_sleep%' + tag + '%',))
        return found and found[0][0]
    pid = wait_until(backend, 20, 'the job never ran its query')
    assert query('SELECT pg_terminate_backend(%s)', (pid,)) == [(True,)]
    wait_until(lambda: _job(job_uuid)[0] == 'done', 30,
               lambda: 'job not retried: %s\n%s' % (_job(job_uuid), workers.log(worker)))
    assert _job(job_uuid)[1] == 2, 'one lost try, one good try'
    assert len(rows(tag)) == 1
    after = delay(jobs.insert_row, tag + '-after')
    wait_until(lambda: _job(after)[0] == 'done', 20, 'the worker did not go on')
    assert worker.poll() is None
    assert 'connection lost while running job' in workers.log(worker)


def test_second_sigterm_interrupts_the_job_and_requeues_it(tag, workers, tmp_path):
    """Two SIGTERMs: the job is rolled back and pending again at once, then runs elsewhere."""
    worker = workers.start(tag + 'a', *FAST)
    # held at its gate until both signals came, on a machine of any speed
    gate = Gate(tmp_path)
    job_uuid = delay(jobs.gated_insert, tag + '-long', gate.path)
    try:
        wait_until(lambda: _job(job_uuid)[0] == 'started', 20, 'job not started')
        worker.send_signal(signal.SIGTERM)
        # two signals sent at once may arrive as one: the second once the first was handled
        wait_until(lambda: 'stopping after the running job' in workers.log(worker), 60,
                   lambda: 'the first SIGTERM was not handled: %s' % workers.log(worker))
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(10) == 0, workers.log(worker)
        assert _job(job_uuid)[:1] == ('pending',), _job(job_uuid)
        assert rows(tag) == []
        assert 'interrupted by a second stop signal; requeued' in workers.log(worker)
    finally:
        gate.release()
    workers.start(tag + 'b', *FAST)
    wait_until(lambda: _job(job_uuid)[0] == 'done', 30, lambda: 'not rerun: %s' % (
        _job(job_uuid),))
    assert len(rows(tag)) == 1
