# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.3.0: jobs store what they are about (``queue/about.py``); fill it in
for the jobs delayed before, that may still run or be counted.

Up to 11.0.1.0.0 the queue learnt what a job was about by reading its
arguments at each count. Now the producer says it when delaying the job,
and the backend's status panel counts the ``backend_model``/``backend_id``
columns. Without this step, the jobs waiting, running or failed at the
upgrade would vanish from their backend's counts (they would still run,
in the channel they were given when delayed).

The same hooks as at delay time decide (``@job(about=...)`` of a job
function, the records' ``_job_about()`` of a method job), so their
arguments are decoded here, once. An ``end-`` script: it runs once every
addon is loaded, when the models of the connectors' backends and bindings
that the arguments name are in the registry. A job whose arguments cannot
be decoded or whose function is gone stays about nothing: it fails when
it runs, with the reason. Jobs done or cancelled are left as they are:
nothing counts them. Cost: one read per 1,000 jobs, the hooks (a query
for an export job, whose binding is read), and one UPDATE per distinct
answer (all the imports of one backend share one).
"""
import logging
from collections import defaultdict

from odoo import SUPERUSER_ID, api

from odoo.addons.connector.exception import JobError
from odoo.addons.connector.queue.job import StoredJob, job_options
from odoo.addons.connector.queue.queries import JOB_ROW_COLUMNS
from odoo.addons.connector.session import ConnectorSession

_logger = logging.getLogger(__name__)

#: The jobs to fill: those that may still run, and the failed ones, which the
#: status panel counts.
STATES = ('wait_dependencies', 'pending', 'enqueued', 'started', 'failed')
BATCH = 1000


def job_about(env, row):
    """What the stored job ``row`` (as ``read()`` gives it) is about, or None."""
    values = {column: None if row[column] is False else row[column]
              for column in JOB_ROW_COLUMNS}
    for many2one in ('user_id', 'company_id'):
        values[many2one] = values[many2one] and values[many2one][0]
    stored = StoredJob.from_row(values)
    try:
        job = stored.resolve(env)
    except JobError as err:  # FailedJobError, JobArgumentError: it will fail when run
        _logger.info('connector: job %s is about nothing known: %s', stored.uuid, err)
        return None
    if job.records is not None:
        return job.records._job_about()
    hook = job_options(job.func).about
    if hook is None:
        return None
    session = ConnectorSession(env.cr, env.uid, context=dict(env.context))
    return hook(session, job.model_name, *job.args, **job.kwargs)


def fill_about(env):
    """Store what each job of ``STATES`` not told yet is about; how many were told."""
    Job_ = env['queue.job']
    ids = Job_.search([('state', 'in', STATES), ('about_model', '=', False),
                       ('backend_model', '=', False)], order='id').ids
    told = defaultdict(list)  # columns (sorted items) -> job ids
    for start in range(0, len(ids), BATCH):
        for row in Job_.browse(ids[start:start + BATCH]).read(list(JOB_ROW_COLUMNS)):
            about = job_about(env, row)
            # the ORM would write an empty id as 0: leave it NULL, as delay() does
            columns = tuple(sorted((column, value) for column, value
                                   in (about.columns().items() if about else ())
                                   if value is not None))
            if columns:
                told[columns].append(row['id'])
    for columns, job_ids in told.items():
        Job_.browse(job_ids).write(dict(columns))
    return sum(len(job_ids) for job_ids in told.values())


def migrate(cr, version):
    if not version:  # a new install: every job is delayed with what it is about
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _logger.info('connector: %d unfinished or failed jobs told what they are about',
                 fill_about(env))
