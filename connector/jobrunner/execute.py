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

Running the job and deciding its outcome are shared with ``perform_jobs()``
(``queue/outcome.py``: ``perform_job``, the ``classify()`` table); the row is
read and written by ``queue/store.py``.
"""
import contextlib
import itertools
import logging
import time
from typing import Any, Callable, NamedTuple, Optional, Tuple

import psycopg2
from odoo import SUPERUSER_ID, api

from ..exception import FailedJobError
from ..queue.job import StoredJob
from ..queue.outcome import Outcome, perform_job
from ..queue.queries import prepared_name
from ..queue.store import JOB_STATEMENTS, Claim, JobRow, QueueStore
from .job_connection import JobConnection, prepare_job_statements, statements_lost

_logger = logging.getLogger(__name__)


class ConnectionLost(Exception):
    """The job's database connection broke; the job's outcome is unknown to the row."""


@contextlib.contextmanager
def _lost_connection_raised(cr):
    """A psycopg2 error raised inside, on a connection now closed, raised again as
    ConnectionLost: the job's outcome is unknown to its row."""
    try:
        yield
    except psycopg2.Error as err:
        if cr._cnx.closed:
            raise ConnectionLost(str(err)) from err
        raise


class ClaimedJob(NamedTuple):
    """A job claimed on the job connection (``claim_job``), its transaction open."""

    job_id: int
    signaling: Tuple[int, int]       # Odoo's (registry, cache) signaling sequences
    row: Optional[JobRow]            # locked; None: it could not be (no longer ours)
    cr: Any                          # the job's Odoo cursor, in the job's transaction
    store: QueueStore


#: A new token for each claim (``QueueStore.claim_and_lock``).
_CLAIM_TOKENS = itertools.count(1)


def claim_job(job_cnx: JobConnection, worker_name: str) -> Optional[ClaimedJob]:
    """Claim the next runnable job on the worker's job connection and lock its row
    there, in one round trip after psycopg2's BEGIN (``QueueStore.claim_and_lock``):
    the claimed job, its transaction open for ``run_job``; None when no job is
    runnable.

    The claim is committed before the job's transaction begins. When the round
    trip fails after that commit (a job deallocated the statement of the lock,
    the row changed under the lock), the claimed job is found in the session
    and locked as the job's later transactions lock it (``_lock``). Raises
    ConnectionLost when the connection broke: a job may have been claimed,
    whose id is unknown here (the caller requeues this worker's orphans).
    """
    try:
        cr = job_cnx.cursor()
    except psycopg2.OperationalError as err:  # the job connection could not be opened
        raise ConnectionLost(str(err)) from err
    claimed = None
    try:
        store = QueueStore(cr, prepared=True)
        with _lost_connection_raised(cr):
            claim = _claim(cr, store, worker_name, job_cnx.channels_hint)
        job_cnx.channels_hint = claim.channels_hint
        if claim.job_id is not None:
            claimed = ClaimedJob(claim.job_id, claim.signaling, claim.row, cr, store)
    finally:
        if claimed is None:
            with contextlib.suppress(psycopg2.Error):  # its connection may be lost already
                cr.close()
    return claimed


def _claim(cr, store, worker_name, channels_hint, again=True) -> Claim:
    token = str(next(_CLAIM_TOKENS))
    try:
        return store.claim_and_lock(worker_name, token, channels_hint)
    except psycopg2.Error as err:
        if cr._cnx.closed:
            raise  # ConnectionLost, by claim_job
        failure = err
    cr.rollback()
    claim = store.committed_claim(token)
    cr.rollback()
    lost = statements_lost(failure, stale_too=True)
    if lost:  # a job dropped some (DEALLOCATE), or an upgrade changed a row's columns
        prepare_job_statements(cr._cnx)
    if claim is None:  # failed before the claim's commit: nothing was claimed
        if again and lost:
            return _claim(cr, store, worker_name, '', again=False)
        raise failure
    if claim.job_id is not None:
        claim = claim._replace(row=_lock(cr, store, claim.job_id, worker_name))
    return claim


def check_then_lock_again(claimed: ClaimedJob, worker_name: str,
                          check: Callable[[], None]) -> ClaimedJob:
    """End the claimed job's transaction, call ``check()``, then lock the job's row
    in a new one: the job's snapshot is taken after what ``check`` read (the
    registry check: a cache it clears is refilled by the job from data as
    recent as the signal it saw, as when the claim ran alone)."""
    cr = claimed.cr
    with _lost_connection_raised(cr):
        cr.rollback()
    check()
    if claimed.row is None:  # not locked: nothing to lock again
        return claimed
    return claimed._replace(row=_lock(cr, claimed.store, claimed.job_id, worker_name))


def run_job(registry, job_id: int, worker_name: str,
            on_finished: Optional[Callable[[str, str, float], None]] = None,
            job_cnx: Optional[JobConnection] = None,
            claimed: Optional[ClaimedJob] = None) -> Optional[Outcome]:
    """Run the claimed job ``job_id`` and commit its outcome.

    ``on_finished(function, outcome state, seconds)`` is called once the
    outcome is committed (the worker's metrics). ``claimed``: the job as
    ``claim_job`` claimed it, its transaction open; else ``job_cnx``: the
    worker's job connection (``job_connection.py``), or without it a cursor
    of Odoo's pool, on which the job's row is locked first.

    Returns None when the job is no longer this worker's (it was requeued
    while this worker looked dead). Raises ConnectionLost when the
    database connection broke; the caller then recovers the job.
    """
    start = time.time()
    if claimed is not None:
        cr, store = claimed.cr, claimed.store
    else:
        try:
            cr = job_cnx.cursor() if job_cnx is not None else registry.cursor()
        except psycopg2.OperationalError as err:  # the job connection could not be opened
            raise ConnectionLost(str(err)) from err
        store = QueueStore(cr, prepared=job_cnx is not None)
    try:
        with _lost_connection_raised(cr), api.Environment.manage():
            row = claimed.row if claimed is not None \
                else _lock(cr, store, job_id, worker_name)
            if row is None:
                _logger.warning('job id %s is no longer started by this worker: skipped', job_id)
                return None
            env_su = api.Environment(cr, SUPERUSER_ID, {})
            job = StoredJob.from_row(row)
            outcome, raised = perform_job(env_su, job)
            follow_up = False
            if raised is None:
                try:
                    follow_up = store.record_outcome(job_id, outcome, committing=True)
                    cr.commit()  # the worker owns this cursor  # pylint: disable=invalid-commit
                except psycopg2.Error as err:
                    if not (store.prepared and statements_lost(err)):
                        raise
                    outcome, raised = _dropped_statements(job), err
            if raised is not None:
                if cr._cnx.closed:
                    raise ConnectionLost(str(raised)) from raised
                if outcome.state == 'failed' and not isinstance(raised, FailedJobError):
                    _logger.debug('job %s failed', job.uuid, exc_info=raised)
                # The job's changes are undone; record the outcome in a new
                # transaction, only if the job is still this worker's.
                cr.rollback()
                env_su.clear()
                if store.prepared and isinstance(raised, psycopg2.Error) \
                        and statements_lost(raised):
                    prepare_job_statements(cr._cnx)
                follow_up = _record_after_rollback(cr, store, job_id, worker_name, outcome)
                if follow_up is None:
                    return None
            _signal_changes(registry, committed=raised is None)
            if follow_up:
                _release_dependents(cr, store, job_id)
    finally:
        with contextlib.suppress(psycopg2.Error):  # its connection may be lost already
            cr.close()
    if on_finished is not None:
        on_finished(job.func_string, outcome.state, time.time() - start)
    # A done job is logged at DEBUG: formatting and writing a line per job was
    # a tenth of the worker's own CPU per trivial job (benchmarks/README.md,
    # "Where a worker's time per job goes"); the metrics count them.
    log = _logger.debug if outcome.state == 'done' else _logger.warning
    log('job %s (%s) %s in %.3fs%s', job.uuid, job.func_string,
        'postponed' if outcome.state == 'pending' else outcome.state,
        time.time() - start, ': %s' % outcome.message.strip().splitlines()[-1]
        if outcome.state != 'done' and outcome.message else '')
    return outcome


def _signal_changes(registry, committed):
    """Tell the other Odoo processes what the job changed in the caches Odoo keeps
    per process (``ormcache``: parameters, access rules...) or in the registry
    (a module installed), as Odoo's cron and HTTP workers do after a call; when
    the job's work was rolled back, forget those changes here instead."""
    try:
        if committed:
            seen = (registry.registry_sequence, registry.cache_sequence)
            registry.signal_changes()
            _forget_skipped_signals(registry, seen)
        else:
            registry.reset_changes()
    except psycopg2.Error as err:  # the job is recorded: a worker must not die of this
        _logger.error('%s: cannot tell the other Odoo processes what a job changed in '
                      "Odoo's caches (%s): grant the runner's role USAGE on the sequences "
                      'base_registry_signaling and base_cache_signaling (see the operator\'s '
                      'manual, "The database role")', registry.db_name, str(err).strip())


def _forget_skipped_signals(registry, seen):
    """Undo what Odoo's ``signal_changes`` assumes when another process signalled too.

    Story: a job sets a system parameter (this worker's caches are
    invalidated); while it commits, another process changes parameter P and
    bumps the cache sequence from 7 to 8. The worker then signals its own
    change: ``nextval`` gives 9, and Odoo records 9 as the sequence this
    process is up to date with, though it never cleared its caches for 8.
    The next job read P from the stale cache. When the sequence moved by
    more than this process's own step, put back the value it last saw: the
    next job's check (``DatabaseQueue.refresh_registry``) then finds the
    sequence moved and clears the caches (or reloads the registry).
    """
    registry_seen, cache_seen = seen
    if registry.registry_sequence not in (registry_seen, registry_seen + 1):
        registry.registry_sequence = registry_seen
    if registry.cache_sequence not in (cache_seen, cache_seen + 1):
        registry.cache_sequence = cache_seen


#: How many transactions may try to record the outcome of a job that raised.
OUTCOME_ATTEMPTS = 5


def _record_after_rollback(cr, store, job_id, worker_name, outcome):
    """Record the outcome of a job that raised (its changes already rolled back) in
    a new transaction: the follow-up flag of ``record_outcome``, or None when the
    job is no longer this worker's.

    Worker A and worker B both meet a 429 of the same remote at once, and both
    pause the job's channel: both update its row. Odoo's cursor runs in
    repeatable read, so B's update, which meets A's committed one, fails with a
    serialization error -- and B's worker died of it, its job stuck as started
    until B was taken for dead. Nothing of the job is in this transaction, so
    it is tried again on a fresh snapshot.
    """
    for attempt in range(1, OUTCOME_ATTEMPTS + 1):
        if _lock(cr, store, job_id, worker_name) is None:
            return None
        try:
            follow_up = store.record_outcome(job_id, outcome, committing=True)
            cr.commit()  # pylint: disable=invalid-commit
            return follow_up
        except psycopg2.extensions.TransactionRollbackError:
            cr.rollback()
            if attempt == OUTCOME_ATTEMPTS:
                raise
            _logger.info('job id %s: its outcome met a concurrent update (try %d of %d), '
                         'recording it again', job_id, attempt, OUTCOME_ATTEMPTS)
    return None  # pragma: no cover (the loop returns or raises)


def _release_dependents(cr, store, job_id):
    """Release the done job's dependents that its own transaction could not, in a
    new one that sees the jobs done meanwhile (the story is told at
    ``queries.RELEASE_DEPENDENTS``). A worker killed before this is made up
    for by the upkeep (``QueueStore.release_ready_jobs``)."""
    try:
        store.release_dependents([job_id])
        cr.commit()  # pylint: disable=invalid-commit
    except psycopg2.extensions.TransactionRollbackError:
        cr.rollback()  # a concurrent transaction changed them: it released them


def _dropped_statements(job) -> Outcome:
    """The outcome of a job that dropped the job connection's prepared statements."""
    return Outcome('failed', 'Job %s (%s) ran DEALLOCATE on the job runner\'s connection, '
                             'which dropped the statements the runner prepared there (%s): '
                             'its work was rolled back. A job must not deallocate statements '
                             'it did not prepare itself (DEALLOCATE name, not DEALLOCATE ALL); '
                             'fix it, then requeue the job.' % (
                                 job.uuid, job.func_string,
                                 ', '.join(prepared_name(name) for name in JOB_STATEMENTS)))


def _lock(cr, store, job_id, worker_name, again=True):
    """Lock the job's row if it is still started by this worker: its row, else None."""
    try:
        row = store.lock_started_job(job_id, worker_name)
    except psycopg2.Error as err:
        if cr._cnx.closed:
            raise ConnectionLost(str(err)) from err
        if again and store.prepared and statements_lost(err, stale_too=True):
            # the previous job dropped them (DEALLOCATE), or an upgrade changed the
            # row's columns: prepared again, lock again
            cr.rollback()
            prepare_job_statements(cr._cnx)
            return _lock(cr, store, job_id, worker_name, again=False)
        row = None  # locked or changed by someone else: not ours any more
    if row is None:
        cr.rollback()
    return row
