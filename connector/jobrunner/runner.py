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
        [--metrics-port 9464 [--metrics-host 127.0.0.1]]

``odoo-bin`` finds the subcommand in the ``connector`` addon, so the addon
must be importable before the options are read: install it in the Python
environment (``pip install .``), or give the addons path first
(``odoo-bin --addons-path=... jobrunner -c ...``), or point ``ODOO_RC`` at
the configuration file. Every other option is Odoo's (``-c``, ``-d``,
``--db_host``, ``--logfile``...). The same settings may be given in the
``[options]`` section of the configuration file as ``jobrunner_channels``,
``jobrunner_worker_name``, ``jobrunner_heartbeat_interval``,
``jobrunner_dead_after``, ``jobrunner_metrics_port`` and
``jobrunner_metrics_host``; the command line wins. With
``--metrics-port``, the worker serves Prometheus metrics on
``http://127.0.0.1:PORT/metrics`` (queue depth by channel and state,
failures and retries by function, workers alive and their heartbeats, the
run time of the jobs it ran: the list in ``connector/jobrunner/metrics.py``);
``--metrics-host`` listens elsewhere, behind your own firewall: the
endpoint has no authentication. The HTTP server need not
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
4. *Outcome* (see ``classify`` in ``connector/queue/outcome.py``): ``NothingToDoJob`` ends it done;
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

Where to look in the code
-------------------------
* How the worker loops, sleeps, stops and reconnects: this file,
  ``connector/jobrunner/runner.py``.
* Its connections to a database, their transactions, the heartbeat
  thread: ``connector/jobrunner/database.py``.
* One job's transaction (lock its row, run it, write its outcome):
  ``connector/jobrunner/execute.py``.
* Every read and write of the queue's tables, by the worker, by
  ``delay()`` and by the models: ``connector/queue/store.py``
  (``QueueStore``); the SQL of each step, named and described, in
  ``connector/queue/queries.py`` (the claim: ``CREATE_CLAIM_FUNCTION``; dead
  workers: ``REQUEUE_DEAD_WORKERS_JOBS``; the wake-up:
  ``CREATE_NOTIFY_TRIGGER``).
* What each exception does to a job: ``classify`` in
  ``connector/queue/outcome.py``; retry delays: ``connector/queue/retry.py``;
  the ``--channels`` syntax: ``connector/queue/channels.py``.
* The rules as executable examples (claim order, capacities, sequential
  channels, dead workers, identity keys): ``tests/test_queue_store.py``,
  each statement against PostgreSQL; with real worker processes (kill -9,
  SIGTERM, lost connections): ``tests/test_jobrunner_*.py``.
"""
import contextlib
import logging
import os
import select
import signal
import socket
import threading
import time
import uuid
from typing import Any, List

import odoo

from .database import (CONNECTION_ERRORS, DatabaseQueue, Heartbeat, WorkerConfig,
                       WorkerStartError, metrics_connection)
from .execute import ConnectionLost, run_job
from .metrics import WorkerMetrics

_logger = logging.getLogger(__name__)


def default_worker_name() -> str:
    return '%s:%d:%s' % (socket.gethostname(), os.getpid(), uuid.uuid4().hex[:6])


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
        self.metrics = None

    def _on_signal(self, signum, frame):
        if self.stopping and self.running_job:
            raise ForcedStop('signal %d' % signum)
        if not self.stopping:
            _logger.info('signal %d: stopping after the running job (again to interrupt it)',
                         signum)
        self.stopping = True
        with contextlib.suppress(OSError):  # the pipe is full: the loop wakes up anyway
            os.write(self.wakeup_w, b'x')

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
        if self.config.metrics_port:
            self.metrics = WorkerMetrics(self.config.databases, metrics_connection,
                                         self.config.dead_after)
            self.metrics.serve(self.config.metrics_host, self.config.metrics_port)

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
                # Odoo's log lines name the database of the current thread
                threading.current_thread().dbname = queue.db_name  # type: ignore[attr-defined]
                outcome = run_job(queue.registry, job_id, self.config.worker_name,
                                  on_finished=self._job_finished(queue.db_name))
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

    def _job_finished(self, db_name: str):
        """What run_job calls when a job ended: the metrics, when served."""
        if self.metrics is None:
            return None
        return lambda function, outcome, seconds: self.metrics.job_finished(
            db_name, function, outcome, seconds)

    def _wait(self, timeout: float):
        """Sleep until a notification, a stop signal, the next eta or ``timeout``."""
        fds: List[Any] = [self.wakeup_r]  # select() takes descriptors and connections
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
