# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Test helper for connector authors: run delayed jobs now, in the test's transaction.

A test that delays jobs usually wants to check what they do without
starting a worker::

    from odoo.addons.connector.queue.testing import perform_jobs

    job_uuid = export_partner.delay(session, 'res.partner', partner.id)
    outcomes = perform_jobs(self.env)
    self.assertEqual(outcomes[job_uuid].state, 'done')

Each pending job runs as the runner would run it -- as its user, with that
user's language and the job's company, only if it is a ``@job`` of an
installed addon -- but under a savepoint of the test's transaction, and its
row is updated as the runner would (done, pending again with an eta, or
failed with the traceback). Nothing is committed.
"""
from odoo import SUPERUSER_ID, api

from ..jobrunner import queries
from ..jobrunner.execute import Outcome, _job_context, classify
from .job import Job


def perform_jobs(env, domain=None):
    """Run the pending jobs matching ``domain`` (all by default), oldest first.

    Returns a dict ``{uuid: Outcome}``; an outcome's ``state`` is done,
    pending (retry later) or failed, and its ``message`` the result or the
    error. Jobs with a future eta run too: a test does not wait.
    """
    env_su = api.Environment(env.cr, SUPERUSER_ID, {})
    records = env_su['queue.job'].search([('state', '=', 'pending')] + list(domain or []),
                                         order='id')
    outcomes = {}
    for record in records:
        env.cr.execute('UPDATE queue_job SET retry = retry + 1 WHERE id = %s', (record.id,))
        record.invalidate_cache()
        job = Job.from_row(env_su, record.read(list(_ROW))[0])
        try:
            with env.cr.savepoint():
                job_env = api.Environment(env.cr, job.user_id, _job_context(env_su, job))
                job.resolve(job_env)
                result = job.perform(job_env)
                outcome = Outcome('done', None if result is None else str(result))
        except Exception as err:
            env.clear()
            outcome = classify(job, err)
        _record(env, record.id, outcome)
        outcomes[job.uuid] = outcome
    env_su['queue.job'].invalidate_cache()
    return outcomes


def _record(env, job_id, outcome):
    if outcome.state == 'done':
        env.cr.execute(queries.SET_DONE, {'id': job_id, 'result': outcome.message})
    elif outcome.state == 'pending':
        env.cr.execute(queries.SET_POSTPONED, {'id': job_id, 'seconds': outcome.seconds,
                                               'retry_delta': outcome.retry_delta,
                                               'result': outcome.message})
    else:
        env.cr.execute(queries.SET_FAILED, {'id': job_id, 'exc_info': outcome.message})


_ROW = ('uuid', 'name', 'func_string', 'model_name', 'method_name', 'record_ids', 'args',
        'kwargs', 'user_id', 'company_id', 'channel', 'retry', 'max_retries')
