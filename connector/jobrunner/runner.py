# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job runner: an operator's manual.

What it is
----------
A worker process that runs the jobs stored in ``queue.job``, one at a
time, for one or more databases. Start as many as you need, on one or
several machines, all against the same PostgreSQL: they share the work, and
no job is run twice at once. Start one with::

    odoo-bin jobrunner -c /etc/odoo.cfg -d shop_db [-d other_db ...]
        [--channels root:4,root.export:1,root.orders:1:sequential]
        [--worker-name NAME] [--heartbeat-interval 10] [--dead-after 60]

``odoo-bin`` finds the subcommand in the ``connector`` addon, so the addon
must be importable before the options are read: install it in the Python
environment (``pip install .``), or give the addons path first
(``odoo-bin --addons-path=... jobrunner -c ...``), or point ``ODOO_RC`` at
the configuration file. Every other option is Odoo's (``-c``, ``-d``,
``--db_host``, ``--logfile``...). The same settings may be given in the
``[options]`` section of the configuration file as ``jobrunner_channels``,
``jobrunner_worker_name``, ``jobrunner_heartbeat_interval`` and
``jobrunner_dead_after``; the command line wins. The HTTP server need not
run: Odoo's own HTTP workers play no part in running jobs.

How it works
------------
1. *Wake-up.* The worker LISTENs on the PostgreSQL channel
   ``connector_queue_job``. A trigger on ``queue_job`` notifies it when a
   transaction commits that inserted a job or made one pending again, and,
   when some channel has a capacity or is sequential, that ended a started
   or failed job (a slot may be free). An idle worker starts a new job
   within a few milliseconds of the commit. It also wakes for the next eta,
   and every heartbeat interval.
2. *Claim.* In a short transaction of its own, under a database-wide
   advisory lock, the worker picks the next runnable job --
   ``SELECT ... FOR UPDATE SKIP LOCKED`` ordered by priority, eta (none
   first), creation -- skipping jobs whose channel (or a parent channel) is
   at capacity and, in a sequential channel, every job but the first in line
   (and all of them while one of the channel is started or failed). It marks
   the job ``started``, with its name and the start date, counts the try,
   and commits. The lock makes "count the running jobs of the channel, start
   one more" atomic for all workers, so capacities hold globally.
3. *Run.* A new transaction locks the job's row, runs the job as the user
   who delayed it, with that user's language and time zone and the job's
   company (``force_company``), and writes "done" in the same transaction:
   what the job changed and "done" are committed together. When the job
   raises, its transaction is rolled back and the outcome is written in a
   new one.
4. *Outcome* (see ``execute.classify``): ``NothingToDoJob`` ends it done;
   ``RetryableJobError`` puts it back to pending with an eta (its own
   ``seconds``, else the function's retry pattern, else 10 s doubling up to
   an hour) until ``max_retries`` tries (0: no limit), then fails it; a
   serialization failure or deadlock retries it the same way;
   ``FailedJobError`` and any other exception fail it, with the traceback in
   the job's Exception field. A job naming a function that is not a ``@job``
   of an installed addon, or whose arguments do not decode, fails with a
   message; the worker goes on.
5. *Liveness.* A thread of each worker refreshes the worker's row in
   ``queue_job_worker`` every ``--heartbeat-interval`` seconds. Every
   worker, every heartbeat interval, puts back to pending the started jobs
   of workers silent for ``--dead-after`` seconds (or fails them when they
   have used up their tries) -- but never a job whose row is locked: while
   its worker's transaction lives, even a late worker keeps its job, so no
   job is run twice at once.

Stopping
--------
SIGTERM (or SIGINT): the worker finishes the job it is running, starts no
other, removes its row and exits with status 0. A second SIGTERM/SIGINT
interrupts the running job: its transaction is rolled back and the job is
put back to pending at once. ``kill -9``, a crash or a lost machine lose
nothing either: the job's transaction never committed, and the job is run
again by a live worker after ``--dead-after`` seconds (at once by a worker
restarted with the same ``--worker-name``).

Channels
--------
Channels are records of ``queue.job.channel`` (Connectors > Queue >
Channels), read by every worker at each claim: capacity (0 = no limit)
bounds the running jobs of a channel and its subchannels; a sequential
channel runs one job at a time in order and stops at a failed job until a
person requeues, sets done or cancels it. ``--channels`` writes the given
channels (``name[:capacity[:sequential]]``, comma-separated) to that table
at start; a malformed value is refused and the worker does not start. The
last worker started wins for the channels it names: give every worker the
same value, or none and configure channels in the user interface. A job
whose channel has no record is bound only by the channels above it.

Database connection lost
------------------------
When the connection breaks during a job, the job's transaction is lost;
the worker reconnects (retrying with a growing delay up to 30 s), puts
its job back to pending (a counted try) and goes on. While a database is
unreachable the worker keeps serving the others.

Caveats
-------
* A job must not commit: its outcome is written in its transaction.
* Things a job did outside of the database (a call to a remote) are not
  undone when its transaction is: write jobs so that running them twice
  is harmless -- a worker lost after the remote call and before the
  commit means the job runs again.
* ``--dead-after`` must be several heartbeat intervals (default 60 s for
  10 s); the smaller, the sooner jobs of a dead worker run again.
* Idle workers hold three connections per database (claims, LISTEN,
  heartbeat) plus one while a job runs: size ``max_connections``.

How to recover
--------------
* Failed jobs: read the Exception field, fix the cause, then *Requeue*
  (tries reset), *Set done* or *Cancel* from the job's form or the list.
* A sequential channel stuck on a failed job: same buttons on that job.
* Jobs stuck in ``started`` while no worker runs: start a worker; after
  ``--dead-after`` seconds it puts them back to pending.
* Workers: Connectors > Queue > Workers lists each worker and its last
  heartbeat.
"""
import logging
import os
import select
import signal
import socket
import threading
import time
import uuid
from typing import List, NamedTuple, Optional

import odoo
import psycopg2
import psycopg2.extensions
from odoo import api

from . import queries
from .channels import ChannelSpec, parent_names
from .execute import ConnectionLost, run_job

_logger = logging.getLogger(__name__)

CONNECTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)
MAX_RECONNECT_DELAY = 30


class WorkerConfig(NamedTuple):
    """Settings of one worker process (see the module docstring)."""

    databases: List[str]
    worker_name: str
    channels: List[ChannelSpec] = []
    heartbeat_interval: float = 10
    dead_after: float = 60


class WorkerStartError(Exception):
    """The worker cannot start on a database: the message says why and what to do."""


class WorkerNameInUse(WorkerStartError):
    """Another live worker has this worker's name."""


def default_worker_name() -> str:
    return '%s:%d:%s' % (socket.gethostname(), os.getpid(), uuid.uuid4().hex[:6])


def _connect(db_name: str, purpose: str, autocommit: bool):
    """A raw psycopg2 connection to ``db_name`` (Odoo's connection settings)."""
    _db, info = odoo.sql_db.connection_info_for(db_name)
    cnx = psycopg2.connect(application_name='connector-jobrunner-%s' % purpose, **info)
    if autocommit:
        cnx.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    else:
        cnx.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_READ_COMMITTED)
    return cnx


class DatabaseQueue(object):
    """The queue of one database as this worker sees it: connections, claims, upkeep."""

    def __init__(self, db_name: str, config: WorkerConfig):
        self.db_name = db_name
        self.config = config
        self.claim_cnx = self.listen_cnx = None
        self.registry = None
        self.reconnect_delay = 1.0
        self.retry_at = 0.0

    @property
    def connected(self) -> bool:
        return self.claim_cnx is not None

    def connect(self):
        """Open the connections, load the registry, recover this worker's own jobs."""
        self.listen_cnx = _connect(self.db_name, 'listen', autocommit=True)
        with self.listen_cnx.cursor() as cr:
            cr.execute('LISTEN %s' % queries.NOTIFY_CHANNEL)
        self.claim_cnx = _connect(self.db_name, 'claim', autocommit=False)
        if self.registry is None and not self._execute(queries.QUEUE_INSTALLED, fetch=True)[0][0]:
            raise WorkerStartError(
                'database %s has no job queue: install the connector addon there, or '
                'remove the database from -d' % self.db_name)
        with self.claim_cnx.cursor() as cr:
            cr.execute(queries.SETUP_CLAIM_CONNECTION)
            cr.execute(queries.PREPARE_CLAIM_NEXT_JOB)
        self.claim_cnx.commit()
        if self.registry is None:  # first connection: refuse a name in use
            self.check_name_free()
            self.registry = odoo.registry(self.db_name)
        self._execute(queries.UPSERT_WORKER, {
            'name': self.config.worker_name, 'pid': os.getpid(), 'host': socket.gethostname()})
        rows = self._execute(
            queries.REQUEUE_MY_ORPHANS, {
                'worker': self.config.worker_name,
                'message': 'The database connection of worker %s was lost while it ran '
                           'this job.' % self.config.worker_name}, fetch=True)
        for job_uuid, state in rows:
            _logger.warning('%s: job %s was interrupted by a lost connection: now %s',
                            self.db_name, job_uuid, state)
        self.reconnect_delay = 1.0
        _logger.info('%s: connected, listening on %s', self.db_name, queries.NOTIFY_CHANNEL)

    def disconnect(self, reason: str):
        """Drop every connection; the loop reconnects after a growing delay."""
        _logger.warning('%s: database connection lost (%s); reconnecting in %.0fs',
                        self.db_name, reason.strip(), self.reconnect_delay)
        for cnx in (self.claim_cnx, self.listen_cnx):
            try:
                if cnx is not None:
                    cnx.close()
            except psycopg2.Error:
                pass
        self.claim_cnx = self.listen_cnx = None
        odoo.sql_db.close_db(self.db_name)
        self.retry_at = time.time() + self.reconnect_delay
        self.reconnect_delay = min(self.reconnect_delay * 2, MAX_RECONNECT_DELAY)

    def _execute(self, query, params=None, fetch=False):
        """Run one statement in its own transaction on the claim connection."""
        try:
            with self.claim_cnx.cursor() as cr:
                cr.execute(query, params)
                rows = cr.fetchall() if fetch else None
            self.claim_cnx.commit()
            return rows
        except Exception:
            if not self.claim_cnx.closed:
                self.claim_cnx.rollback()
            raise

    def check_name_free(self):
        """Refuse to start when a live worker already has this worker's name."""
        rows = self._execute(
            "SELECT pid, host FROM queue_job_worker WHERE name = %(name)s AND heartbeat >= "
            "(now() at time zone 'utc') - %(dead_after)s * interval '1 second'",
            {'name': self.config.worker_name, 'dead_after': self.config.dead_after}, fetch=True)
        if rows:
            raise WorkerNameInUse(
                'worker name %r is used by a live worker (pid %s on %s) in database %s: give '
                'each worker its own --worker-name' % ((self.config.worker_name,) + rows[0]
                                                       + (self.db_name,)))

    def apply_channels(self, specs: List[ChannelSpec]):
        """Write the configured channels (and their missing parents) to the database."""
        with self.claim_cnx.cursor() as cr:
            for spec in sorted(specs, key=lambda s: s.name.count('.')):
                for name in reversed(parent_names(spec.name)[1:]):
                    cr.execute(queries.INSERT_CHANNEL_IF_MISSING, {
                        'name': name.split('.')[-1], 'complete_name': name,
                        'parent': name.rsplit('.', 1)[0] if '.' in name else None})
                cr.execute(queries.UPSERT_CHANNEL, {
                    'name': spec.name.split('.')[-1], 'complete_name': spec.name,
                    'parent': spec.name.rsplit('.', 1)[0] if '.' in spec.name else None,
                    'capacity': spec.capacity, 'sequential': spec.sequential})
                _logger.info('%s: channel %s', self.db_name, spec)
        self.claim_cnx.commit()

    def claim(self) -> Optional[int]:
        """Start the next runnable job (see queries.CLAIM_NEXT_JOB); its id or None."""
        try:
            with self.claim_cnx.cursor() as cr:
                cr.execute(queries.CLAIM_NEXT_JOB, (self.config.worker_name,))
                row = cr.fetchone()
            self.claim_cnx.commit()
        except Exception:
            if not self.claim_cnx.closed:
                self.claim_cnx.rollback()
            raise
        return row[0] if row else None

    def next_eta_delay(self) -> Optional[float]:
        rows = self._execute(queries.NEXT_ETA_DELAY, fetch=True)
        return float(rows[0][0]) if rows and rows[0][0] is not None else None

    def maintain(self):
        """Heartbeat-time upkeep: requeue jobs of dead workers, reload a changed registry."""
        params = {'dead_after': self.config.dead_after}
        for job_uuid, state in self._execute(queries.REQUEUE_DEAD_WORKERS_JOBS, params,
                                             fetch=True):
            _logger.warning('%s: job %s was started by a worker silent for %ss: now %s',
                            self.db_name, job_uuid, self.config.dead_after, state)
        self._execute(queries.DELETE_DEAD_WORKERS, params)
        with api.Environment.manage():
            self.registry = self.registry.check_signaling()

    def recover_job(self, job_id: int):
        """Put back to pending a job this worker started and could not finish."""
        self._execute(queries.SET_OUTCOME_IF_MINE, {
            'id': job_id, 'worker': self.config.worker_name, 'state': 'pending',
            'seconds': 0, 'exc_info': None})

    def drain_notifications(self):
        self.listen_cnx.poll()
        del self.listen_cnx.notifies[:]

    def close(self, clean: bool):
        if clean and self.connected:
            try:
                self._execute(queries.DELETE_WORKER, {'name': self.config.worker_name})
            except psycopg2.Error:
                pass
        for cnx in (self.claim_cnx, self.listen_cnx):
            if cnx is not None and not cnx.closed:
                cnx.close()


class Heartbeat(threading.Thread):
    """Refreshes the worker's row in every database, from its own connections."""

    def __init__(self, config: WorkerConfig):
        super().__init__(name='connector-heartbeat', daemon=True)
        self.config = config
        self.stop_event = threading.Event()
        self.connections = {}

    def beat(self):
        for db_name in self.config.databases:
            try:
                cnx = self.connections.get(db_name)
                if cnx is None or cnx.closed:
                    cnx = self.connections[db_name] = _connect(db_name, 'heartbeat', True)
                with cnx.cursor() as cr:
                    cr.execute(queries.UPSERT_WORKER, {
                        'name': self.config.worker_name, 'pid': os.getpid(),
                        'host': socket.gethostname()})
            except psycopg2.Error as err:
                _logger.warning('%s: heartbeat failed: %s', db_name, str(err).strip())
                self.connections.pop(db_name, None)

    def run(self):
        while not self.stop_event.wait(self.config.heartbeat_interval):
            self.beat()
        for cnx in self.connections.values():
            cnx.close()


class ForcedStop(BaseException):
    """A second stop signal: interrupt the running job."""


class Runner(object):
    """One worker process: claims and runs jobs until stopped (see the module docstring)."""

    def __init__(self, config: WorkerConfig):
        self.config = config
        self.queues = [DatabaseQueue(db, config) for db in config.databases]
        self.stopping = False
        self.running_job = False
        self.wakeup_r, self.wakeup_w = os.pipe()
        os.set_blocking(self.wakeup_w, False)
        self.heartbeat = Heartbeat(config)

    def _on_signal(self, signum, frame):
        if self.stopping and self.running_job:
            raise ForcedStop('signal %d' % signum)
        if not self.stopping:
            _logger.info('signal %d: stopping after the running job (again to interrupt it)',
                         signum)
        self.stopping = True
        try:
            os.write(self.wakeup_w, b'x')
        except OSError:
            pass

    def start(self):
        """Connect to every database and apply the channels; raise if one cannot start."""
        for queue in self.queues:
            try:
                queue.connect()
            except CONNECTION_ERRORS as err:
                raise WorkerStartError('database %s: cannot connect: %s' % (
                    queue.db_name, str(err).strip())) from err
            if self.config.channels:
                queue.apply_channels(self.config.channels)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        self.start()
        self.heartbeat.beat()
        self.heartbeat.start()
        _logger.info('worker %s running jobs of %s', self.config.worker_name,
                     ', '.join(self.config.databases))
        next_upkeep = time.time()
        try:
            while not self.stopping:
                if time.time() >= next_upkeep:
                    self._upkeep()
                    next_upkeep = time.time() + self.config.heartbeat_interval
                worked = False
                for queue in self.queues:
                    if self.stopping:
                        break
                    if not queue.connected:
                        self._reconnect(queue)
                    if queue.connected:
                        worked = self._run_one(queue) or worked
                if not worked and not self.stopping:
                    self._wait(max(0.0, next_upkeep - time.time()))
        finally:
            self.heartbeat.stop_event.set()
            for queue in self.queues:
                queue.close(clean=True)
            self.heartbeat.join(5)
        _logger.info('worker %s stopped', self.config.worker_name)
        return 0

    def _reconnect(self, queue: DatabaseQueue):
        if time.time() < queue.retry_at:
            return
        try:
            queue.connect()
        except CONNECTION_ERRORS as err:
            queue.disconnect(str(err))

    def _upkeep(self):
        for queue in self.queues:
            if not queue.connected:
                continue
            try:
                queue.maintain()
            except CONNECTION_ERRORS as err:
                queue.disconnect(str(err))

    def _run_one(self, queue: DatabaseQueue) -> bool:
        """Claim and run one job of ``queue``; True when a job was run."""
        try:
            job_id = queue.claim()
        except CONNECTION_ERRORS as err:
            queue.disconnect(str(err))
            return False
        if job_id is None:
            return False
        self.running_job = True
        try:
            with odoo.api.Environment.manage():
                threading.current_thread().dbname = queue.db_name
                outcome = run_job(queue.registry, job_id, self.config.worker_name)
            if outcome is None:  # could not take the job's row: never leave it stuck
                queue.recover_job(job_id)
        except ConnectionLost as err:
            _logger.warning('%s: connection lost while running job id %s: %s',
                            queue.db_name, job_id, str(err).strip())
            odoo.sql_db.close_db(queue.db_name)
            try:
                queue.recover_job(job_id)
            except CONNECTION_ERRORS as err2:
                queue.disconnect(str(err2))
        except ForcedStop:
            _logger.warning('%s: job id %s interrupted by a second stop signal; requeued',
                            queue.db_name, job_id)
            odoo.sql_db.close_db(queue.db_name)
            queue.recover_job(job_id)
        finally:
            self.running_job = False
        return True

    def _wait(self, timeout: float):
        """Sleep until a notification, a stop signal, the next eta or ``timeout``."""
        fds = [self.wakeup_r]
        for queue in self.queues:
            if not queue.connected:
                timeout = min(timeout, max(0.0, queue.retry_at - time.time()))
                continue
            try:
                delay = queue.next_eta_delay()
                if delay is not None:
                    timeout = min(timeout, delay + 0.01)
                fds.append(queue.listen_cnx)
            except CONNECTION_ERRORS as err:
                queue.disconnect(str(err))
                timeout = 0
        try:
            ready, _w, _x = select.select(fds, [], [], timeout)
        except InterruptedError:
            return
        if self.wakeup_r in ready:
            os.read(self.wakeup_r, 64)
        for queue in self.queues:
            if queue.connected and queue.listen_cnx in ready:
                try:
                    queue.drain_notifications()
                except CONNECTION_ERRORS as err:
                    queue.disconnect(str(err))
