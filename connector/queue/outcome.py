# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How a job ends: run it as its user, and decide what its exception means.

``perform_job()`` is the one way a stored job is run, by the worker
(``jobrunner/execute.py``) and by ``perform_jobs()`` in tests
(``testing.py``); ``classify()`` is the one table that turns an exception
into an ``Outcome``; ``QueueStore.record_outcome()`` writes it. So both
write the same row for the same job.
"""
import contextlib
import traceback
from typing import NamedTuple, Optional, Tuple

import psycopg2.extensions
from odoo import api

from ..exception import NothingToDoJob, RemoteThrottled, RetryableJobError
from .retry import retries_exhausted, retry_delay


class Outcome(NamedTuple):
    """How a job ended: ``state`` is done, pending (retry later) or failed.

    ``message`` is the result (done, pending) or the error (failed);
    ``seconds`` the delay before the next try and ``retry_delta`` -1 when
    this try does not count (pending); ``pause`` the seconds for which no job
    of the job's channel may start, on any worker (the remote throttles us).
    """

    state: str
    message: Optional[str] = None
    seconds: float = 0
    retry_delta: int = 0
    pause: float = 0


def classify(job, err: BaseException) -> Outcome:
    """The outcome of a job that raised ``err``; the one place that decides it.

    ============================== ========================================
    exception                      outcome
    ============================== ========================================
    NothingToDoJob                 done, its message as result
    RetryableJobError              pending again after its ``seconds`` or
                                   the retry pattern; failed once
                                   ``max_retries`` tries are used up
                                   (``ignore_retry``: try not counted)
    RemoteThrottled                pending again after its ``seconds``,
                                   try not counted, and the job's channel
                                   paused that long on every worker (not
                                   root); ``RemoteUnavailable``: the pause,
                                   then retried as RetryableJobError
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
        seconds = retry_delay(tries, job.retry_pattern, getattr(err, 'seconds', None))
        pause = err.pause if isinstance(err, RemoteThrottled) else 0
        return Outcome('pending', str(err), seconds, -1 if ignore else 0, pause)
    return Outcome('failed', _format_traceback(err))


def _format_traceback(err):
    return ''.join(traceback.format_exception(type(err), err, err.__traceback__))


def job_context(env_su, job) -> dict:
    """Context of the job's user: its language and time zone, the job's company."""
    context = dict(env_su(user=job.user_id)['res.users'].context_get())
    if job.company_id:
        context['force_company'] = job.company_id
    return context


def perform_job(env_su, job, savepoint=False) -> Tuple[Outcome, Optional[Exception]]:
    """Run a loaded job as its user, in ``env_su``'s transaction; how it ended.

    Returns the ``Outcome`` and, when the job raised, the exception. With
    ``savepoint``, the job runs under a savepoint that is rolled back when
    it raises (``perform_jobs()``); else the caller rolls back the whole
    transaction before writing the outcome (the worker).
    """
    tried = job  # once resolved, the Job: its retry pattern is known
    try:
        with env_su.cr.savepoint() if savepoint else contextlib.nullcontext():
            env = api.Environment(env_su.cr, job.user_id, job_context(env_su, job))
            tried = job.resolve(env)
            result = tried.perform(env)
            env['base'].recompute()
        return Outcome('done', None if result is None else str(result)), None
    except Exception as err:
        return classify(tried, err), err
