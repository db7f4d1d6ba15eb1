# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: the gate of the process tests (``support.jobrunner.Gate``) holds a
real worker's ``gated_insert`` job until the test releases it, and lets through a
job that comes after the release. The other process tests rely on both.
"""
from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, Gate, delay, query, rows, wait_until


def _state(job_uuid):
    return query('SELECT state FROM queue_job WHERE uuid = %s', (job_uuid,))[0][0]


def test_a_gated_job_waits_at_its_gate_until_released(tag, workers, tmp_path):
    """The worker's process waits at the gate (the kernel says so), its job started and
    its row not written; once released, the job ends done with its row."""
    worker = workers.start(tag + 'a', *FAST)
    gate = Gate(tmp_path)
    try:
        job_uuid = delay(jobs.gated_insert, tag + '-held', gate.path)
        wait_until(lambda: gate.waiting() == [worker.pid], 30,
                   lambda: 'the job never waited at its gate: %s, waiting %s\n%s' % (
                       _state(job_uuid), gate.waiting(), workers.log(worker)))
        assert _state(job_uuid) == 'started'
        assert rows(tag) == [], 'the job passed its gate before the release'
    finally:
        gate.release()
    wait_until(lambda: _state(job_uuid) == 'done', 30,
               lambda: 'the released job did not end: %s' % _state(job_uuid))
    assert [(key, pid) for key, pid, _started, _ended in rows(tag)] == [
        (tag + '-held', worker.pid)]
    assert gate.waiting() == []


def test_a_gate_released_before_the_job_comes_lets_it_through(tag, workers, tmp_path):
    """A release is for good: a job that reaches the gate after it passes at once."""
    workers.start(tag + 'a', *FAST)
    gate = Gate(tmp_path)
    gate.release()
    job_uuid = delay(jobs.gated_insert, tag + '-late', gate.path)
    wait_until(lambda: _state(job_uuid) == 'done', 30,
               lambda: 'the job did not pass an open gate: %s' % _state(job_uuid))
    assert [key for key, *_ in rows(tag)] == [tag + '-late']
