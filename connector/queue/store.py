# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The queue store: the one door through which SQL reaches the queue's tables.

Everything that reads or writes ``queue_job``, ``queue_job_dependency``,
``queue_job_channel``, ``queue_job_worker`` and ``queue_job_function`` with SQL goes through a
``QueueStore``: ``Job.store()`` (enqueue), the ``queue.job*`` models
(schema, status counts, vacuum, function list), ``perform_jobs()`` (tests)
and the worker (``jobrunner/``: claims, job transactions, upkeep,
heartbeat). The statements themselves are in ``sql/queries.sql`` (read by
``queries.py``); the ORM still reads and writes job fields for the user
interface.

A store wraps a cursor, an Odoo one or a bare psycopg2 one, and never
commits: the caller owns the transaction. Rows come back as plain tuples or
dicts, never as records.
"""
import io
import json
from datetime import datetime
from typing import Any, Callable, ContextManager, Dict, Iterable, List, NamedTuple, Optional, Tuple

from psycopg2 import errorcodes, extensions

from . import queries
from .about import JobAbout
from .channels import ROOT, ChannelSpec, parent_names
from .outcome import Outcome

JobRow = Dict[str, Any]

#: The statements of a job's transaction that a worker prepares on its job
#: connection (``QueueStore.prepare_job_statements``): every job runs them.
JOB_STATEMENTS = ('LOCK_STARTED_JOB', 'SET_DONE', 'CLAIM_INTO_SESSION', 'LOCK_CLAIMED_JOB',
                  'RELEASE_DEPENDENTS')
_RESET_AND_LOCK = queries.RESET_JOB_SESSION + ';' + queries.execute_prepared('LOCK_STARTED_JOB')
#: A claim and its row lock, one round trip (queries.sql, "claim and lock").
_CLAIM_AND_LOCK = ';'.join((
    queries.CLAIM_ISOLATION, queries.RESET_JOB_SESSION,
    queries.execute_prepared('CLAIM_INTO_SESSION'), queries.COMMIT_CLAIM_BEGIN_JOB,
    queries.execute_prepared('LOCK_CLAIMED_JOB')))
_EXECUTE_SET_DONE = queries.execute_prepared('SET_DONE')
_EXECUTE_RELEASE_DEPENDENTS = queries.execute_prepared('RELEASE_DEPENDENTS')
_EXECUTE_CLAIM = queries.execute_prepared('CLAIM_NEXT_JOB')

#: What a new job's row holds unless told otherwise: pending, in no graph,
#: about nothing known (``about.py``).
_DEFAULTS = dict(JobAbout().columns(), state='pending', graph_uuid=None, identity_key=None,
                 coalesce_key=None)


class Claim(NamedTuple):
    """A committed claim of a worker's job connection (``QueueStore.claim_and_lock``)."""

    job_id: Optional[int]            # None: no job was runnable
    signaling: Tuple[int, int]       # Odoo's (registry, cache) signaling sequences
    row: Optional[JobRow]            # the job's row, locked; None: not locked
    channels_hint: str = ''          # for the next claim (queries.sql, CLAIM_INTO_SESSION)


def _kept_claim(setting: Optional[str], token: str) -> Optional[Claim]:
    """The claim kept in the session by CLAIM_INTO_SESSION, if it is the one of
    ``token``; its row not locked."""
    parts = (setting or '').split(' ')
    if len(parts) != 4 or parts[0] != token:
        return None
    return Claim(int(parts[1]) if parts[1] else None, (int(parts[2]), int(parts[3])), None)


_COPY_ESCAPES = str.maketrans({'\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r'})


def _copy_text(value) -> str:
    """``value`` in the text format of COPY: NULL as \\N, special characters escaped."""
    if value is None:
        return '\\N'
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime):
        return value.isoformat(' ')
    return str(value)


class QueueStore(object):
    """The queue's statements, run on one cursor (see the module docstring).

    ::

        store = QueueStore(env.cr)
        job_uuid = store.enqueue(values)             # or an unfinished job's uuid
        job_id = store.claim_next('worker-1')        # worker, after prepare_claims()
        row = store.lock_started_job(job_id, 'worker-1')
        store.record_outcome(job_id, Outcome('done', 'ok'))
    """

    def __init__(self, cr, prepared: bool = False):
        self.cr = cr
        #: The cursor is on a worker's job connection (``jobrunner/job_connection.py``):
        #: ``JOB_STATEMENTS`` are prepared there (the claim and lock among them), and
        #: its session is reset at each claim; or on a connection where
        #: ``prepare_claim_statement`` prepared the claim alone (``claim_next``: the
        #: claim benchmark's loop, benchmarks/bench_claim.py).
        self.prepared = prepared

    def _run(self, query, params=None):
        self.cr.execute(query, params)

    def _one(self, query, params=None):
        self.cr.execute(query, params)
        return self.cr.fetchone()

    def _all(self, query, params=None):
        self.cr.execute(query, params)
        return self.cr.fetchall()

    def _try(self, query, params=None):
        """Execute a statement whose failure the caller handles: Odoo's cursor
        (``odoo.sql_db.Cursor``) must not log it as a "bad query" ERROR."""
        if hasattr(self.cr, '_default_log_exceptions'):  # an Odoo cursor
            self.cr.execute(query, params, log_exceptions=False)
        else:
            self.cr.execute(query, params)

    def _job_row(self, query, params) -> Optional[JobRow]:
        row = self._one(query, params)
        return dict(zip(queries.JOB_ROW_COLUMNS, row)) if row is not None else None

    # -- schema --------------------------------------------------------------

    def create_schema(self):
        """Create what ``sql/schema.sql`` holds: the runner's indexes, the notify
        trigger, the claim functions. Once, at the addon's install: later
        versions change it through ``connector/migrations/``."""
        self._run(queries.SCHEMA)

    def drop_schema_functions(self):
        """Drop the functions of ``sql/schema.sql`` (at uninstall: the rest goes
        with the tables)."""
        self._run(queries.DROP_SCHEMA_FUNCTIONS)

    def is_installed(self) -> bool:
        """Whether the queue's tables exist in this database."""
        return bool(self._one(queries.QUEUE_INSTALLED)[0])

    # -- enqueue and read ------------------------------------------------------

    def enqueue(self, values: Dict[str, Any],
                new_cursor: Optional[Callable[[], ContextManager]] = None) -> str:
        """Insert a pending job; its uuid, or that of the unfinished job with its key.

        ``values`` holds the parameters of ``queries.INSERT_JOB``. Race-free
        between transactions: the unique index on unfinished identity keys
        decides, and a second transaction waits for the first to end.

        Under REPEATABLE READ (Odoo's transactions) the key's holder may have
        been committed after this transaction's snapshot: it cannot be seen
        here and PostgreSQL refuses the insert (see
        ``queries.ENQUEUE_SAVEPOINT``). With ``new_cursor`` -- a callable
        returning a context manager that gives a cursor in a new transaction
        on the same database, e.g. ``lambda:
        odoo.sql_db.db_connect(cr.dbname).cursor()`` -- the insert is undone
        to a savepoint and the holder's uuid is read from a new transaction;
        the caller's transaction goes on, though it cannot see that job.
        Without it the serialization failure is raised.

        A job with a ``coalesce_key`` is stored by ``_enqueue_coalescing``.
        """
        values = dict(_DEFAULTS, **values)
        if values['coalesce_key'] is not None:
            return self._enqueue_coalescing(values, new_cursor)
        key = values['identity_key']
        while True:
            if key is not None and new_cursor is not None:
                try:
                    row = self._insert_in_savepoint(values)
                except extensions.TransactionRollbackError as err:
                    if err.pgcode != errorcodes.SERIALIZATION_FAILURE:
                        raise
                    with new_cursor() as cr:
                        found = QueueStore(cr)._one(queries.FIND_BY_IDENTITY_KEY,
                                                    {'identity_key': key})
                    if found is not None:
                        return found[0]
                    continue  # the holder finished meanwhile: insert again
            elif key is not None:
                # a keyed job others wait for (graph.py): a serialization
                # failure goes up for the caller's retry, not as an ERROR
                self._try(queries.INSERT_JOB, values)
                row = self.cr.fetchone()
            else:
                row = self._one(queries.INSERT_JOB, values)
            if row is not None:
                return row[0]
            found = self._one(queries.FIND_BY_IDENTITY_KEY, {'identity_key': key})
            if found is not None:
                return found[0]
            # the holder of the key finished between both statements: insert again

    def _insert_in_savepoint(self, values: Dict[str, Any]) -> Optional[Tuple[str]]:
        """INSERT_JOB under ``queries.ENQUEUE_SAVEPOINT``, in one round trip; when
        the insert is refused, roll back to the savepoint and raise."""
        try:
            self._try(queries.ENQUEUE_SAVEPOINT + ';' + queries.INSERT_JOB, values)
        except extensions.TransactionRollbackError:
            self._run(queries.ROLLBACK_TO_ENQUEUE_SAVEPOINT)
            raise
        row = self.cr.fetchone()
        self._run(queries.RELEASE_ENQUEUE_SAVEPOINT)
        return row

    def _enqueue_coalescing(self, values: Dict[str, Any],
                            new_cursor: Optional[Callable[[], ContextManager]]) -> str:
        """Insert a job with a coalesce key; its uuid, or that of the key's waiting job.

        The key's waiting job (not started yet) wins, and cannot start before
        this transaction ends: its row is locked (``queries.
        LOCK_WAITING_BY_COALESCE_KEY`` tells why). When it cannot be locked
        -- it was committed, or started, after this transaction began, and
        PostgreSQL refuses with a serialization failure -- this transaction
        holds the key instead (``queries.HOLD_COALESCE_KEY``) and decides
        again from a new transaction (``new_cursor``, as for ``enqueue``):
        the waiting job it finds there is this delay's; none (it started
        meanwhile) means a new job is stored. Without ``new_cursor`` the
        serialization failure is raised (a graph's job that others wait for).
        """
        key = {'coalesce_key': values['coalesce_key']}
        while True:
            try:
                self._try(queries.ENQUEUE_SAVEPOINT + ';' + queries.INSERT_COALESCING_JOB,
                          values)
                row = self.cr.fetchone()
                if row is None:
                    self._try(queries.LOCK_WAITING_BY_COALESCE_KEY, key)
                    row = self.cr.fetchone()
            except extensions.TransactionRollbackError as err:
                self._run(queries.ROLLBACK_TO_ENQUEUE_SAVEPOINT)
                if err.pgcode != errorcodes.SERIALIZATION_FAILURE or new_cursor is None:
                    raise
                self._run(queries.HOLD_COALESCE_KEY, key)
                with new_cursor() as cr:
                    found = QueueStore(cr)._one(queries.FIND_WAITING_BY_COALESCE_KEY, key)
                if found is not None:
                    return found[0]
                continue  # the waiting job started meanwhile: store a new one
            self._run(queries.RELEASE_ENQUEUE_SAVEPOINT)
            if row is not None:
                return row[0]
            # the waiting job started or ended between both statements: insert again

    def enqueue_many(self, rows: List[Dict[str, Any]]) -> int:
        """Insert pending jobs without identity keys, in one COPY; how many.

        ``rows`` hold the parameters of ``queries.INSERT_JOB``; a row with an
        identity or coalesce key is refused (``enqueue`` decides those one by one).
        """
        keyed = [row['uuid'] for row in rows
                 if row.get('identity_key') or row.get('coalesce_key')]
        if keyed:
            raise ValueError('enqueue_many() stores jobs without identity or coalesce key; '
                             'jobs %s have one: store them with enqueue()'
                             % ', '.join(keyed[:5]))
        if not rows:
            return 0
        now = self._one(queries.TRANSACTION_NOW)[0]
        lines = io.StringIO()
        for row in rows:
            values = dict(_DEFAULTS, **row, now=now, retry=0)
            lines.write('\t'.join(_copy_text(values[field])
                                  for field in queries.COPY_JOBS_FIELDS))
            lines.write('\n')
        lines.seek(0)
        self.cr.copy_expert(queries.COPY_JOBS, lines)
        return len(rows)

    def job_row(self, job_uuid: str) -> Optional[JobRow]:
        """The stored job's row (``queries.JOB_ROW_COLUMNS``) by uuid, or None."""
        return self._job_row(queries.SELECT_JOB_ROW, {'uuid': job_uuid})

    def backend_job_ids(self, backend_model: str, backend_ids: Iterable[int], model_name: str,
                        states: Iterable[str]) -> Dict[int, List[int]]:
        """``{backend id: [job ids]}``: the jobs of ``model_name`` in ``states`` counted
        with each of the records ``backend_ids`` of ``backend_model`` (``about.py``)."""
        rows = self._all(queries.SELECT_JOBS_BY_BACKEND, {
            'backend_model': backend_model, 'backend_ids': list(backend_ids),
            'model_name': model_name, 'states': list(states)})
        return {backend_id: job_ids for backend_id, job_ids in rows}

    # -- claim and run -------------------------------------------------------------

    def prepare_claims(self):
        """Set up a session that claims, or a worker's upkeep connection: asynchronous
        commit (``queries.SETUP_CLAIM_CONNECTION``)."""
        self._run(queries.SETUP_CLAIM_CONNECTION)

    def claim_next(self, worker: str) -> Optional[int]:
        """Start the next runnable job for ``worker`` (``queries.CLAIM_NEXT_JOB``);
        its id, or None."""
        return self.claim_next_and_signaling(worker)[0]

    def prepare_claim_statement(self):
        """Prepare ``queries.CLAIM_NEXT_JOB`` in this session, once: with ``prepared``,
        ``claim_next_and_signaling`` runs it without parsing and planning it
        again. A worker claims with ``claim_and_lock`` (the same claim function);
        the claim alone, prepared, is the claim benchmark's loop."""
        self._run(queries.prepare_statement('CLAIM_NEXT_JOB'))

    def claim_next_and_signaling(self, worker: str) -> Tuple[Optional[int], Tuple[int, int]]:
        """``claim_next``, and Odoo's (registry, cache) signaling sequences."""
        job_id, registry_sequence, cache_sequence = self._one(
            _EXECUTE_CLAIM if self.prepared else queries.CLAIM_NEXT_JOB, (worker,))
        return job_id, (registry_sequence, cache_sequence)

    def start_job(self, job_id: int, worker: str) -> bool:
        """Start one given pending job for ``worker``, as a claim would; False if not pending."""
        return bool(self._one(queries.START_JOB, {'id': job_id, 'worker': worker})[0])

    def next_wake_delay(self) -> Optional[float]:
        """Seconds until a pending job may become runnable with no notification
        (its eta, the end of a pause, a rate limit's next start), or None."""
        row = self._one(queries.NEXT_WAKE_DELAY)
        return float(row[0]) if row and row[0] is not None else None

    def prepare_job_statements(self):
        """Prepare ``JOB_STATEMENTS`` in this session (a worker's job connection, once):
        ``lock_started_job`` and ``record_outcome`` then run them unplanned."""
        self._run(';'.join(queries.prepare_statement(name) for name in JOB_STATEMENTS))

    def claim_and_lock(self, worker: str, token: str, channels_hint: str = '') -> Claim:
        """Claim the next runnable job for ``worker`` and lock its row, in one round
        trip, on a worker's job connection in a transaction that has run nothing
        yet (queries.sql, "claim and lock"): the session is reset, the claim
        committed, and the cursor left in the job's transaction, which the caller
        ends. ``token``: new at each call, for ``committed_claim`` when this raises.
        ``channels_hint``: the ``Claim.channels_hint`` of the last claim on this
        connection ('' when none), which the session reset wiped.
        """
        self._try(_CLAIM_AND_LOCK,
                  {'token': token, 'worker': worker, 'channels_hint': channels_hint})
        found = self.cr.fetchone()
        claim = _kept_claim(found[0], token)
        if claim is None:  # the claim's statement ran, so it kept this claim
            raise RuntimeError('connector.claim was changed during the claim: %r' % found[0])
        job = found[2:]
        return claim._replace(
            row=dict(zip(queries.JOB_ROW_COLUMNS, job)) if job[0] is not None else None,
            channels_hint=found[1] or '')

    def committed_claim(self, token: str) -> Optional[Claim]:
        """After ``claim_and_lock(worker, token)`` raised and its transaction was rolled
        back: its claim, the row not locked, if it was committed before the
        failure; None when the failure came before (nothing was claimed)."""
        return _kept_claim(self._one(queries.COMMITTED_CLAIM)[0], token)

    def lock_started_job(self, job_id: int, worker: str) -> Optional[JobRow]:
        """Lock the job's row for this transaction if ``worker`` still runs it; its row.

        On a worker's job connection (``prepared``), the session is reset first
        (``queries.RESET_JOB_SESSION``), in the same round trip.
        """
        params = {'id': job_id, 'worker': worker}
        if self.prepared:
            return self._job_row(_RESET_AND_LOCK, params)
        return self._job_row(queries.LOCK_STARTED_JOB, params)

    def record_outcome(self, job_id: int, outcome: Outcome, committing: bool = False) -> bool:
        """Write how a started job ended: done, pending again with an eta, or failed.

        The one writer of outcomes: the worker and ``perform_jobs()`` call it.
        A done job releases, in the same transaction, its waiting dependents
        whose dependencies are now all done (``queries.RELEASE_DEPENDENTS``),
        when it has any (``queries.SET_DONE`` tells). Returns True when some
        of its dependents may be ready though this transaction could not
        release them: run ``release_dependents([job_id])`` again after the
        commit, in a new transaction. ``committing``: the caller commits right
        after (the worker), which ends the release's savepoint: one round trip
        less.
        """
        if outcome.state == 'done':
            done = self._one(_EXECUTE_SET_DONE if self.prepared else queries.SET_DONE,
                             {'id': job_id, 'result': outcome.message})
            if done is None or not done[0]:  # no job waits for it (or its row is gone)
                return False
            try:
                self._try(queries.RELEASE_SAVEPOINT + ';' + self._release_dependents_statement(),
                          {'ids': [job_id]})
            except extensions.TransactionRollbackError:
                self._run(queries.ROLLBACK_TO_RELEASE_SAVEPOINT)
                return True
            waiting = self.cr.fetchone()[1]
            if not committing:
                self._run(queries.RELEASE_RELEASE_SAVEPOINT)
            return waiting > 0
        elif outcome.state == 'pending':
            self._run(queries.SET_POSTPONED, {
                'id': job_id, 'seconds': outcome.seconds, 'retry_delta': outcome.retry_delta,
                'result': outcome.message})
            if outcome.pause:
                channel = self._one(queries.SELECT_JOB_CHANNEL, {'id': job_id})[0]
                if channel != ROOT:  # pausing root would stop every job of the database
                    self.pause_channel(channel, outcome.pause, outcome.message)
        else:
            self._run(queries.SET_FAILED, {'id': job_id, 'exc_info': outcome.message})
        return False

    def requeue_if_mine(self, job_id: int, worker: str) -> bool:
        """Put back to pending a job ``worker`` started and could not finish; False
        when it is not started by ``worker`` any more."""
        self._run(queries.SET_OUTCOME_IF_MINE, {
            'id': job_id, 'worker': worker, 'state': 'pending', 'seconds': 0,
            'exc_info': None})
        return self.cr.rowcount == 1

    # -- job graphs ----------------------------------------------------------------

    def link_dependencies(self, links: Iterable[Tuple[str, str]]):
        """Store (job uuid, uuid of a job it waits for) pairs, in one statement."""
        links = list(links)
        if links:
            self._run(queries.INSERT_DEPENDENCIES, {
                'job_uuids': [job for job, _dependency in links],
                'dependency_uuids': [dependency for _job, dependency in links]})

    def release_dependents(self, job_ids: List[int]) -> Tuple[List[str], int]:
        """Make pending the waiting dependents of the done jobs ``job_ids`` whose
        dependencies are all done; (their uuids, how many dependents still wait)."""
        if not job_ids:
            return [], 0
        # a serialization failure is the caller's to handle (jobrunner/execute.py)
        self._try(self._release_dependents_statement(), {'ids': list(job_ids)})
        released, waiting = self.cr.fetchone()
        return list(released), waiting

    def _release_dependents_statement(self) -> str:
        # prepared on a worker's job connection: planning it was 0.2 to 0.4 ms
        # of every job someone waits for
        return _EXECUTE_RELEASE_DEPENDENTS if self.prepared else queries.RELEASE_DEPENDENTS

    def release_ready_jobs(self) -> List[str]:
        """Make pending every waiting job whose dependencies are all done; their
        uuids (the upkeep's safety net, ``queries.RELEASE_READY_JOBS``)."""
        return [row[0] for row in self._all(queries.RELEASE_READY_JOBS)]

    # -- a person's decisions (the buttons of queue.job) ---------------------------

    def _decide(self, query, params) -> List[Tuple[str, str]]:
        return self._all(query, dict(params, ids=list(params['ids'])))

    def requeue(self, job_ids: Iterable[int], user_id: int) -> List[Tuple[str, str]]:
        """Put jobs back in the queue, tries reset, with their graph effects
        (``queries.REQUEUE_JOBS``). Refused as a whole when one is started:
        then the (uuid, name) of each started one, else []."""
        return self._decide(queries.REQUEUE_JOBS, {'ids': job_ids, 'user_id': user_id})

    def set_done(self, job_ids: Iterable[int], user_id: int,
                 result: str) -> List[Tuple[str, str]]:
        """Mark jobs done without running them, releasing their ready dependents
        (``queries.SET_JOBS_DONE``); refused as ``requeue``."""
        return self._decide(queries.SET_JOBS_DONE, {'ids': job_ids, 'user_id': user_id,
                                                    'result': result})

    def cancel(self, job_ids: Iterable[int], user_id: int, result: str,
               dependent_result: str) -> List[Tuple[str, str]]:
        """Cancel jobs and the waiting jobs downstream of them (``dependent_result``:
        a ``format()`` text given the uuid and name of the job they depend on,
        ``%1$s`` and ``%2$s``; ``queries.CANCEL_JOBS``); refused as ``requeue``."""
        return self._decide(queries.CANCEL_JOBS, {
            'ids': job_ids, 'user_id': user_id, 'result': result,
            'dependent_result': dependent_result})

    def fix_state_invariants(self) -> Tuple[int, int, int]:
        """Make the rows meet the state CHECK constraints (a migration's step); how
        many rows each fix changed (``queries.FIX_STATE_INVARIANTS``)."""
        return self._one(queries.FIX_STATE_INVARIANTS)

    # -- workers -----------------------------------------------------------------

    def listen(self):
        """Receive the queue's notifications on this (autocommit) connection."""
        self._run(queries.LISTEN)

    def lock_worker_name(self, worker: str) -> bool:
        """Take ``worker``'s name lock for the life of this session (an autocommit
        connection); False when another session holds it."""
        return bool(self._one(queries.LOCK_WORKER_NAME, {'name': worker})[0])

    def worker_name_holder(self, worker: str) -> Optional[Tuple[int, Optional[str], str]]:
        """(backend pid, client address, application name) of the session that
        holds ``worker``'s name lock, or None."""
        return self._one(queries.FIND_WORKER_NAME_HOLDER, {'name': worker})

    def register_worker(self, worker: str, pid: int, host: str):
        """Register ``worker`` as starting now, taking over a row left by a dead
        process of that name."""
        self._run(queries.REGISTER_WORKER, {'name': worker, 'pid': pid, 'host': host})

    def heartbeat(self, worker: str, pid: int, host: str):
        """Register ``worker``, or refresh its heartbeat."""
        self._run(queries.UPSERT_WORKER, {'name': worker, 'pid': pid, 'host': host})

    def unregister_worker(self, worker: str):
        """Remove the row of a worker that stops cleanly."""
        self._run(queries.DELETE_WORKER, {'name': worker})

    def live_worker(self, worker: str, dead_after: float) -> Optional[Tuple[int, str]]:
        """(pid, host) of a live worker named ``worker``, or None."""
        return self._one(queries.FIND_LIVE_WORKER, {'name': worker, 'dead_after': dead_after})

    def requeue_orphans(self, worker: str, message: str) -> List[Tuple[str, str]]:
        """Requeue (or fail) the jobs started under ``worker``'s name whose row no
        transaction holds; (uuid, new state) of each."""
        return self._all(queries.REQUEUE_MY_ORPHANS, {'worker': worker, 'message': message})

    def requeue_dead_workers_jobs(self, dead_after: float) -> List[Tuple[str, str]]:
        """Requeue (or fail) the jobs of workers silent for ``dead_after`` seconds;
        (uuid, new state) of each. A job whose row is locked is left alone."""
        return self._all(queries.REQUEUE_DEAD_WORKERS_JOBS, {'dead_after': dead_after})

    def forget_dead_workers(self, dead_after: float):
        """Delete the rows of workers silent for ten times ``dead_after`` seconds."""
        self._run(queries.DELETE_DEAD_WORKERS, {'dead_after': dead_after})

    # -- configuration -----------------------------------------------------------

    def apply_channels(self, specs: Iterable[ChannelSpec]):
        """Write configured channels, creating their missing parents (capacity 0,
        weight 1)."""
        for spec in sorted(specs, key=lambda s: s.name.count('.')):
            self._create_parents(spec.name)
            self._run(queries.UPSERT_CHANNEL, {
                'name': spec.name.split('.')[-1], 'complete_name': spec.name,
                'parent': spec.name.rsplit('.', 1)[0] if '.' in spec.name else None,
                'capacity': spec.capacity, 'sequential': spec.sequential,
                'rate_limit': spec.rate.starts if spec.rate else 0,
                'rate_period': spec.rate.period if spec.rate else 1,
                'rate_burst': spec.burst, 'weight': spec.weight})
        self._run(queries.NOTIFY_WORKERS)

    def _create_parents(self, channel: str, itself: bool = False):
        """Create the missing rows of ``channel``'s parents (and of itself)."""
        names = parent_names(channel)[0 if itself else 1:]
        for name in reversed(names):
            self._run(queries.INSERT_CHANNEL_IF_MISSING, {
                'name': name.split('.')[-1], 'complete_name': name,
                'parent': name.rsplit('.', 1)[0] if '.' in name else None})

    def set_channel_weight_default(self):
        """Give the channel table's weight column its default (1) in the table."""
        self._run(queries.SET_CHANNEL_WEIGHT_DEFAULT)

    def known_channels(self) -> List[str]:
        """The channels in use: in the table, of the job functions, of unfinished jobs."""
        return [row[0] for row in self._all(queries.KNOWN_CHANNELS)]

    def pause_channel(self, channel: str, seconds: float, reason: Optional[str]):
        """Start no job of ``channel`` (and its subtree) for ``seconds``, on every
        worker; the channel's row is created when it has none."""
        self._create_parents(channel, itself=True)
        # two workers pausing one channel at once: the later one's transaction
        # may meet a serialization failure, which the worker handles (no ERROR log)
        self._try(queries.PAUSE_CHANNEL, {'channel': channel, 'seconds': seconds,
                                          'reason': reason})

    def notify_workers(self):
        """Wake every idle worker at commit (a channel's limits changed)."""
        self._run(queries.NOTIFY_WORKERS)

    def upsert_function(self, name: str, channel: str, retry_pattern: Optional[dict]):
        """List a job function (or ``@job`` method) with its channel and retry pattern."""
        self._run(queries.UPSERT_FUNCTION, {
            'name': name, 'channel': channel,
            'retry_pattern': json.dumps(retry_pattern) if retry_pattern else None})

    # -- metrics -------------------------------------------------------------------

    def queue_depth(self) -> List[Tuple[str, str, int]]:
        """(channel, state, jobs) of the unfinished and failed jobs."""
        return self._all(queries.METRICS_QUEUE_DEPTH)

    def jobs_by_function(self) -> List[Tuple[str, int, int, int]]:
        """(function, failed jobs, jobs being retried, their tries beyond the first)."""
        return self._all(queries.METRICS_BY_FUNCTION)

    def channel_limits(self) -> List[Tuple[str, float, Optional[float]]]:
        """(channel, seconds left of its pause, starts per second allowed or None) of
        the paused and the rate-limited channels."""
        return self._all(queries.METRICS_CHANNELS)

    def workers(self) -> List[Tuple[str, str, int, float]]:
        """(name, host, pid, seconds since its heartbeat) of every registered worker."""
        return self._all(queries.METRICS_WORKERS)

    # -- vacuum --------------------------------------------------------------------

    def delete_done_jobs(self, before, limit: int = 1000) -> int:
        """Delete up to ``limit`` done and cancelled jobs ended before ``before``; how many."""
        self._run(queries.DELETE_OLD_DONE_JOBS, {'before': before, 'limit': limit})
        return self.cr.rowcount
