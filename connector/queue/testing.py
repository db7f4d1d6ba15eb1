# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Test helper for connector authors: run delayed jobs now, in the test's transaction.

A test that delays jobs usually wants to check what they do without
starting a worker::

    from odoo.addons.connector.queue.testing import perform_jobs

    job_uuid = export_partner.delay(session, 'res.partner', partner.id)
    outcomes = perform_jobs(self.env)
    self.assertEqual(outcomes[job_uuid].state, 'done')

Each pending job runs as the runner runs it -- started by a worker name
(the try counted), as its user, with that user's language and the job's
company, only if it is a ``@job`` of an installed addon, its outcome
written by the same code (``outcome.perform_job``,
``QueueStore.record_outcome``) -- but under a savepoint of the test's
transaction: the row ends as the runner would leave it (done, pending again
with an eta, or failed with the traceback). Nothing is committed.
"""
from odoo import SUPERUSER_ID, api

from .job_value import StoredJob
from .outcome import perform_job
from .store import QueueStore

#: The worker name written on the jobs that ``perform_jobs()`` runs.
TEST_WORKER_NAME = 'perform_jobs'


def perform_jobs(env, domain=None, worker_name=TEST_WORKER_NAME):
    """Run the pending jobs matching ``domain`` (all by default), oldest first.

    Returns a dict ``{uuid: Outcome}``; an outcome's ``state`` is done,
    pending (retry later) or failed, and its ``message`` the result or the
    error. Jobs with a future eta run too: a test does not wait.
    """
    env_su = api.Environment(env.cr, SUPERUSER_ID, {})
    records = env_su['queue.job'].search([('state', '=', 'pending')] + list(domain or []),
                                         order='id')
    store = QueueStore(env.cr)
    outcomes = {}
    for job_id in records.ids:
        if not store.start_job(job_id, worker_name):
            continue  # a job run before this one changed it
        env_su['queue.job'].invalidate_cache()
        row = store.lock_started_job(job_id, worker_name)
        if row is None:
            continue  # started just above in this transaction: not seen so far
        job = StoredJob.from_row(row)
        outcome, raised = perform_job(env_su, job, savepoint=True)
        if raised is not None:
            env.clear()
        store.record_outcome(job_id, outcome)
        outcomes[job.uuid] = outcome
    env_su['queue.job'].invalidate_cache()
    return outcomes
