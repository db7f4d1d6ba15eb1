# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One database as a worker sees it: its connections, claims and upkeep, and the heartbeat.

``DatabaseQueue`` holds a worker's upkeep and LISTEN connections to one
database and owns their transactions, and claims on the worker's job
connection (``job_connection.py``, ``execute.claim_job``); the statements run through
``queue/store.py`` (``QueueStore``). ``Heartbeat`` is the thread that keeps
the worker's row fresh in every database. The loop that uses them, and the
operator's manual, are in ``runner.py`` and ``MANUAL.rst``.
"""
import contextlib
import logging
import os
import socket
import threading
import time
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import odoo
import psycopg2
import psycopg2.extensions
from odoo import api
from psycopg2.extensions import connection

from ..queue.channels import ChannelSpec
from ..queue.queries import NOTIFY_CHANNEL
from ..queue.store import QueueStore
from .execute import ClaimedJob, claim_job
from .job_connection import JobConnection

_logger = logging.getLogger(__name__)

CONNECTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)
MAX_RECONNECT_DELAY = 30
#: Seconds a starting worker retries its name's lock before it looks at who
#: holds it: PostgreSQL may need a moment to end the session of a process
#: killed just before (a supervisor restarts it at once).
NAME_LOCK_WAIT = 2.0


class WorkerConfig(NamedTuple):
    """Settings of one worker process (see the module docstring)."""

    databases: List[str]
    worker_name: str
    channels: List[ChannelSpec] = []
    heartbeat_interval: float = 10
    dead_after: float = 60
    metrics_port: int = 0            # 0: no metrics endpoint
    metrics_host: str = '127.0.0.1'
    channels_text: str = ''          # the channel configuration as typed, for messages


def typed_entry(config: WorkerConfig, spec: ChannelSpec) -> str:
    """The entry of the channel configuration that gave ``spec``, as the operator typed it."""
    for item in config.channels_text.split(','):
        if item.split(':')[0].strip() == spec.name:
            return item.strip()
    return str(spec)


class WorkerStartError(Exception):
    """The worker cannot start on a database: the message says why and what to do."""


class WorkerNameInUse(WorkerStartError):
    """Another live worker has this worker's name."""


def _connect(db_name: str, purpose: str, autocommit: bool) -> connection:
    """A raw psycopg2 connection to ``db_name`` (Odoo's connection settings), in
    READ COMMITTED: its transactions, and with ``autocommit`` its lone statements
    too (psycopg2 sets the session's default_transaction_isolation)."""
    _db, info = odoo.sql_db.connection_info_for(db_name)
    cnx = psycopg2.connect(application_name='connector-jobrunner-%s' % purpose, **info)
    cnx.set_session(isolation_level='READ COMMITTED', autocommit=autocommit)
    return cnx


def metrics_connection(db_name: str) -> connection:
    """A connection for the metrics' reads at scrape time (``metrics.py``)."""
    return _connect(db_name, 'metrics', autocommit=False)


class DatabaseQueue(object):
    """The queue of one database as this worker sees it: connections, claims, upkeep."""

    def __init__(self, db_name: str, config: WorkerConfig):
        self.db_name = db_name
        self.config = config
        self.upkeep_cnx: Optional[connection] = None
        self.listen_cnx: Optional[connection] = None
        self.registry: Any = None  # the Odoo registry of the database, once connected
        #: The connection the jobs' transactions run on (opened at the first job).
        self.job_connection = JobConnection(db_name)
        self.reconnect_delay = 1.0
        self.retry_at = 0.0
        #: Whether this worker's LISTEN session holds its name's lock
        #: (queries.LOCK_WORKER_NAME); retried at each upkeep while not.
        self.holds_name = False
        #: Odoo's (registry, cache) signaling sequences, read by the last claim.
        self.signaling: Tuple[int, int] = (0, 0)
        #: Whether this process wrote its row in queue_job_worker (removed at a
        #: clean stop; a process refused before it did must not delete the row
        #: of the live worker that has its name).
        self.registered = False

    @property
    def connected(self) -> bool:
        return self.upkeep_cnx is not None

    def connect(self):
        """Open the connections, take the worker's name, load the registry,
        recover the jobs left started under this name."""
        self.listen_cnx = _connect(self.db_name, 'listen', autocommit=True)
        with self.listen_cnx.cursor() as cr:
            QueueStore(cr).listen()
        # The upkeep's (registration, requeues, wake delays): autocommit, so that
        # one statement is one round trip (no BEGIN, no COMMIT, ``_statement``);
        # the other calls open their transaction (``_transaction``). Claims run
        # on the job connection, in the job's round trip (``claim``).
        self.upkeep_cnx = _connect(self.db_name, 'upkeep', autocommit=True)
        starting = self.registry is None
        if starting and not self._transaction(QueueStore.is_installed):
            raise WorkerStartError(
                'database %s has no job queue: install the connector addon there, or '
                'remove the database from -d' % self.db_name)
        self._transaction(QueueStore.prepare_claims)
        name = self.config.worker_name
        if starting:
            # The registry first: a name is taken and registered in one go, so
            # that another process starting with this name finds it registered
            # (and is refused) rather than held by a session with no live row.
            self.registry = odoo.registry(self.db_name)
            self.take_name()
            self._transaction(QueueStore.register_worker, name, os.getpid(),
                              socket.gethostname())
            self.registered = True
            self.requeue_orphans(
                'The previous process of worker %s ended (killed, crashed, or its machine '
                'was lost) while it ran this job.' % name,
                'left started by a previous process of this name, which is gone (its '
                'database session ended)' if self.holds_name else 'left started under this name')
        else:
            self.holds_name = self._lock_name()
            if not self.holds_name:
                _logger.warning(
                    '%s: reconnected, but the lock of worker name %s is still held by '
                    '%s: taken at a later upkeep, once the server ends that session (an '
                    'earlier connection of this worker it has not noticed lost yet)',
                    self.db_name, name, self._name_holder())
            self._transaction(QueueStore.heartbeat, name, os.getpid(), socket.gethostname())
            self.requeue_orphans(
                'The database connection of worker %s was lost while it ran this job.' % name,
                'interrupted by a lost connection')
        self.reconnect_delay = 1.0
        _logger.info('%s: connected, listening on %s', self.db_name, NOTIFY_CHANNEL)

    def _open(self, cnx: Optional[connection]) -> connection:
        """``cnx`` when connected; else InterfaceError, a lost connection for the loop."""
        if cnx is None:
            raise psycopg2.InterfaceError('%s: not connected' % self.db_name)
        return cnx

    def _lock_name(self) -> bool:
        with self._open(self.listen_cnx).cursor() as cr:
            return QueueStore(cr).lock_worker_name(self.config.worker_name)

    def _name_holder(self) -> str:
        """Which session holds this worker's name lock, for a message."""
        with self._open(self.listen_cnx).cursor() as cr:
            row = QueueStore(cr).worker_name_holder(self.config.worker_name)
        if row is None:
            return 'a session that has just ended'
        return 'the database session of backend pid %s (client %s, %s)' % (
            row[0], row[1] or 'on the Unix socket or not shown to this role',
            row[2] or 'no application name')

    def take_name(self):
        """Take this worker's name (``queries.LOCK_WORKER_NAME``) or refuse to start.

        Taken: the previous holder's session is gone, so that process is dead
        and the jobs it left started run again at once. Held by a worker
        whose heartbeat is fresh: refused (WorkerNameInUse). Held by a
        worker silent for ``dead_after`` seconds (stopped, frozen, or on a
        machine the server has not noticed lost yet): start anyway, as
        before this lock existed, and take the lock once it is released.
        """
        name = self.config.worker_name
        deadline = time.time() + NAME_LOCK_WAIT
        while not self._lock_name():
            if time.time() >= deadline:
                break
            time.sleep(0.1)
        else:
            self.holds_name = True
            return
        self.holds_name = False
        live = self._transaction(QueueStore.live_worker, name, self.config.dead_after)
        if live:
            raise WorkerNameInUse(
                'worker name %r is used by a live worker (pid %s on %s) in database %s: give '
                'each worker its own --worker-name' % ((name,) + tuple(live) + (self.db_name,)))
        _logger.warning(
            '%s: worker name %s is still held by %s, silent for more than %ss (a stopped '
            'or frozen process, or a machine lost without the server noticing yet): '
            'starting anyway. If that process is gone, end its session (SELECT '
            'pg_terminate_backend(pid)); if it lives, stop it: two processes must not '
            'share a name', self.db_name, name, self._name_holder(),
            self.config.dead_after)

    def requeue_orphans(self, message: str, why: str):
        """Requeue the jobs started under this worker's name that nothing runs
        (``queries.REQUEUE_MY_ORPHANS``); call it only while no job runs."""
        rows = self._statement(QueueStore.requeue_orphans, self.config.worker_name, message)
        for job_uuid, state in rows:
            _logger.warning('%s: job %s of worker %s was %s: now %s', self.db_name, job_uuid,
                            self.config.worker_name, why, state)

    def disconnect(self, reason: str):
        """Drop every connection; the loop reconnects after a growing delay."""
        _logger.warning('%s: database connection lost (%s); reconnecting in %.0fs',
                        self.db_name, reason.strip(), self.reconnect_delay)
        for cnx in (self.upkeep_cnx, self.listen_cnx):
            if cnx is not None:
                with contextlib.suppress(psycopg2.Error):  # closing what is already lost
                    cnx.close()
        self.upkeep_cnx = self.listen_cnx = None
        self.job_connection.close()
        odoo.sql_db.close_db(self.db_name)
        self.retry_at = time.time() + self.reconnect_delay
        self.reconnect_delay = min(self.reconnect_delay * 2, MAX_RECONNECT_DELAY)

    def _transaction(self, method, *args):
        """Call ``method(store, *args)`` of ``QueueStore`` in its own transaction on
        the upkeep connection; its result."""
        cnx = self._open(self.upkeep_cnx)
        try:
            with cnx.cursor() as cr:
                # the connection is in autocommit (see connect): the transaction
                # is opened and ended here, READ COMMITTED (the session's default)
                cr.execute('BEGIN')
                result = method(QueueStore(cr), *args)
                cr.execute('COMMIT')
            return result
        except Exception:
            if not cnx.closed:
                with contextlib.suppress(psycopg2.Error), cnx.cursor() as cr:
                    cr.execute('ROLLBACK')  # the error raised says more than this one
            raise

    def _statement(self, method, *args):
        """Call ``method(store, *args)`` of ``QueueStore``, which runs ONE statement,
        as a transaction of its own (autocommit); its result.

        One round trip where ``_transaction`` takes three (BEGIN, the
        statement, COMMIT): an idle worker asks for its wake delay after
        each claim that found nothing. A
        method that runs two statements must use ``_transaction``: here each
        would commit alone.
        """
        with self._open(self.upkeep_cnx).cursor() as cr:
            return method(QueueStore(cr), *args)

    def apply_channels(self, specs: List[ChannelSpec]):
        """Write the configured channels (and their missing parents) to the database.

        A rate limit is refused on a channel nothing uses (no channel record,
        job function or unfinished job has it or a subchannel of it): a
        misspelt name would limit nothing while the operator believes the
        remote protected.
        """
        limited = [spec for spec in specs if spec.rate is not None]
        if limited:
            known = self._transaction(QueueStore.known_channels)
            for spec in limited:
                if not any(name == spec.name or name.startswith(spec.name + '.')
                           for name in known):
                    raise WorkerStartError(
                        'database %s: --channels (jobrunner_channels) entry %r: channel %s '
                        'does not exist: no channel record, job function or job uses it, so '
                        'its rate limit would limit nothing. Known channels: %s. Fix the '
                        'name, or create the channel first (Queue > Channels, or a '
                        "backend's job channel)" % (
                            self.db_name, typed_entry(self.config, spec), spec.name,
                            ', '.join(sorted(known)[:20]) or 'none'))
        self._transaction(QueueStore.apply_channels, specs)
        for spec in specs:
            _logger.info('%s: channel %s', self.db_name, spec)

    def claim(self) -> Optional[ClaimedJob]:
        """Start the next runnable job and lock its row, on the job connection
        (``execute.claim_job``): the job, its transaction open; or None."""
        self._open(self.upkeep_cnx)  # not connected: a lost connection for the loop
        claimed = claim_job(self.job_connection, self.config.worker_name)
        if claimed is not None:
            self.signaling = claimed.signaling
        return claimed

    def registry_behind(self) -> bool:
        """Whether another process signaled a change since this worker's registry
        and caches were checked (the sequences read by the last claim)."""
        registry = self.registry
        return self.signaling != (registry.registry_sequence, registry.cache_sequence)

    def refresh_registry(self):
        """Before a job: reload the registry, or clear Odoo's caches, when another
        process signaled a change since (the sequences read by the last claim), as
        Odoo does before each HTTP request -- a job must not run on stale access
        rules or parameters."""
        if self.registry_behind():
            self.registry = self.registry.check_signaling()

    def next_wake_delay(self) -> Optional[float]:
        return self._statement(QueueStore.next_wake_delay)

    def maintain(self):
        """Heartbeat-time upkeep, while no job runs: take the name's lock if not
        held yet, requeue this name's orphans and the jobs of dead workers,
        release the waiting jobs whose dependencies are all done (the safety
        net of job graphs), reload a changed registry."""
        name = self.config.worker_name
        if not self.holds_name:
            self.holds_name = self._lock_name()
            if self.holds_name:
                _logger.info('%s: worker name %s: lock taken, its previous holder is gone',
                             self.db_name, name)
        self.requeue_orphans(
            'Worker %s found this job started under its name but run by no one (an earlier '
            'process of this name, or a lost connection, left it).' % name,
            'left started under this name and run by no one')
        dead_after = self.config.dead_after
        for job_uuid, state in self._statement(QueueStore.requeue_dead_workers_jobs,
                                               dead_after):
            _logger.warning('%s: job %s was started by a worker silent for %ss: now %s',
                            self.db_name, job_uuid, dead_after, state)
        self._statement(QueueStore.forget_dead_workers, dead_after)
        for job_uuid in self._statement(QueueStore.release_ready_jobs):
            _logger.info('%s: job %s: its dependencies are done, now pending',
                         self.db_name, job_uuid)
        with api.Environment.manage():
            self.registry = self.registry.check_signaling()

    def recover_job(self, job_id: int):
        """Put back to pending a job this worker started and could not finish."""
        self._transaction(QueueStore.requeue_if_mine, job_id, self.config.worker_name)

    def drain_notifications(self):
        cnx = self._open(self.listen_cnx)
        cnx.poll()
        del cnx.notifies[:]

    def close(self, clean: bool):
        if clean and self.connected and self.registered:
            # Not unregistered (connection lost): the other workers forget the
            # row once it is older than --dead-after.
            with contextlib.suppress(psycopg2.Error):
                self._transaction(QueueStore.unregister_worker, self.config.worker_name)
        for cnx in (self.upkeep_cnx, self.listen_cnx):
            if cnx is not None and not cnx.closed:
                cnx.close()
        self.job_connection.close()


class Heartbeat(threading.Thread):
    """Refreshes the worker's row in every database, from its own connections."""

    def __init__(self, config: WorkerConfig):
        super().__init__(name='connector-heartbeat', daemon=True)
        self.config = config
        self.stop_event = threading.Event()
        self.connections: Dict[str, connection] = {}

    def beat(self):
        for db_name in self.config.databases:
            try:
                cnx = self.connections.get(db_name)
                if cnx is None or cnx.closed:
                    cnx = self.connections[db_name] = _connect(db_name, 'heartbeat', True)
                with cnx.cursor() as cr:
                    QueueStore(cr).heartbeat(self.config.worker_name, os.getpid(),
                                             socket.gethostname())
            except psycopg2.Error as err:
                _logger.warning('%s: heartbeat failed: %s', db_name, str(err).strip())
                self.connections.pop(db_name, None)

    def run(self):
        while not self.stop_event.wait(self.config.heartbeat_interval):
            self.beat()
        for cnx in self.connections.values():
            cnx.close()
