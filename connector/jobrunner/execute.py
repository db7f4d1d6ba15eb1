# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run one claimed job in its own transaction, and record how it ended.

The job's transaction starts by locking the job's row (so no other worker
can requeue it while it runs), runs the job as its user, in its company
and language, and ends by writing "done" to the row in the *same*
transaction: the job's changes and "done" are committed together or not at
all. When the job raises, its transaction is rolled back and the outcome
(retry later, failed, done with nothing to do) is written in a new one,
after checking the job is still this worker's.

What the runner does with each exception is decided in one table,
``classify()``.
"""
import logging
import time
import traceback
from typing import NamedTuple, Optional

import psycopg2
import psycopg2.extensions
from odoo import SUPERUSER_ID, api

from ..exception import FailedJobError, NothingToDoJob, RetryableJobError
from ..queue.job import Job
from . import queries
from .retry import retries_exhausted, retry_delay

_logger = logging.getLogger(__name__)


class ConnectionLost(Exception):
    """The job's database connection broke; the job's outcome is unknown to the row."""


class Outcome(NamedTuple):
    """How a job ended: ``state`` is done, pending (retry later) or failed."""

    state: str
    message: Optional[str] = None
    seconds: float = 0
    retry_delta: int = 0


def classify(job: Job, err: BaseException) -> Outcome:
    """The outcome of a job that raised ``err``; the one place that decides it.

    ============================== ========================================
    exception                      outcome
    ============================== ========================================
    NothingToDoJob                 done, its message as result
    RetryableJobError              pending again after its ``seconds`` or
                                   the retry pattern; failed once
                                   ``max_retries`` tries are used up
                                   (``ignore_retry``: try not counted)
    serialization failure,         pending again (a concurrent transaction
    deadlock (TransactionRollback) won; trying again usually works)
    FailedJobError, anything else  failed, with the traceback
    ============================== ========================================
    """
    tries = job.retry
    if isinstance(err, NothingToDoJob):
        return Outcome('done', str(err))
    retryable = isinstance(err, (RetryableJobError,
                                 psycopg2.extensions.TransactionRollbackError))
    if retryable:
        ignore = getattr(err, 'ignore_retry', False)
        if not ignore and retries_exhausted(tries, job.max_retries):
            return Outcome('failed', '%s\n\nGave up after %d tries (max_retries %d): fix the '
                                     'cause, then requeue the job.\n\n%s'
                           % (err, tries, job.max_retries, _format_traceback(err)))
        seconds = retry_delay(tries, getattr(job, 'retry_pattern', None),
                              getattr(err, 'seconds', None))
        return Outcome('pending', str(err), seconds, -1 if ignore else 0)
    return Outcome('failed', _format_traceback(err))


def _format_traceback(err):
    return ''.join(traceback.format_exception(type(err), err, err.__traceback__))


def _job_context(env_su, job):
    """Context of the job's user: its language and time zone, the job's company."""
    context = dict(env_su(user=job.user_id)['res.users'].context_get())
    if job.company_id:
        context['force_company'] = job.company_id
    return context


def run_job(registry, job_id: int, worker_name: str) -> Optional[Outcome]:
    """Run the claimed job ``job_id`` and commit its outcome.

    Returns None when the job is no longer this worker's (it was requeued
    while this worker looked dead). Raises ConnectionLost when the
    database connection broke; the caller then recovers the job.
    """
    start = time.time()
    cr = registry.cursor()
    try:
        with api.Environment.manage():
            row = _lock(cr, job_id, worker_name)
            if row is None:
                _logger.warning('job id %s is no longer started by this worker: skipped', job_id)
                return None
            env_su = api.Environment(cr, SUPERUSER_ID, {})
            job = Job.from_row(env_su, row)
            outcome, raised = _perform(cr, env_su, job)
            if raised:
                # The job's changes are undone; record the outcome in a new
                # transaction, only if the job is still this worker's.
                cr.rollback()
                env_su.clear()
                if _lock(cr, job_id, worker_name) is None:
                    return None
            _record(cr, job_id, outcome)
            cr.commit()
    except psycopg2.Error as err:
        if cr._cnx.closed:
            raise ConnectionLost(str(err)) from err
        raise
    finally:
        try:
            cr.close()
        except psycopg2.Error:
            pass
    log = _logger.info if outcome.state == 'done' else _logger.warning
    log('job %s (%s) %s in %.3fs%s', job.uuid, job.func_string,
        'postponed' if outcome.state == 'pending' else outcome.state,
        time.time() - start, ': %s' % outcome.message.strip().splitlines()[-1]
        if outcome.state != 'done' and outcome.message else '')
    return outcome


def _lock(cr, job_id, worker_name):
    """Lock the job's row if it is still started by this worker: its row, else None."""
    try:
        cr.execute(queries.LOCK_STARTED_JOB, {'id': job_id, 'worker': worker_name})
        row = cr.dictfetchone()
    except psycopg2.Error as err:
        if cr._cnx.closed:
            raise ConnectionLost(str(err)) from err
        row = None  # locked or changed by someone else: not ours any more
    if row is None:
        cr.rollback()
    return row


def _perform(cr, env_su, job):
    """Run the job: (its Outcome, True when it raised and must be rolled back)."""
    try:
        env = api.Environment(cr, job.user_id, _job_context(env_su, job))
        job.resolve(env)
        result = job.perform(env)
        env['base'].recompute()
        return Outcome('done', None if result is None else str(result)), False
    except Exception as err:
        if cr._cnx.closed:
            raise ConnectionLost(str(err)) from err
        outcome = classify(job, err)
        if outcome.state == 'failed' and not isinstance(err, FailedJobError):
            _logger.debug('job %s failed', job.uuid, exc_info=True)
        return outcome, True


def _record(cr, job_id, outcome):
    if outcome.state == 'done':
        cr.execute(queries.SET_DONE, {'id': job_id, 'result': outcome.message})
    elif outcome.state == 'pending':
        cr.execute(queries.SET_POSTPONED, {'id': job_id, 'seconds': outcome.seconds,
                                           'retry_delta': outcome.retry_delta,
                                           'result': outcome.message})
    else:
        cr.execute(queries.SET_FAILED, {'id': job_id, 'exc_info': outcome.message})
