# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job runner: the worker loop (claim, run, wait, upkeep) of ``odoo-bin jobrunner``.

The operator's manual (what it is, how to run and configure it, the
database role, caveats, recovery) is ``MANUAL.rst`` beside this module,
printed by ``odoo-bin jobrunner --help`` (``manual()``).
"""
import contextlib
import faulthandler
import logging
import os
import select
import signal
import socket
import threading
import time
import uuid
from typing import Any, List, Optional

import odoo

from .database import (CONNECTION_ERRORS, DatabaseQueue, Heartbeat, WorkerConfig, WorkerStartError,
                       metrics_connection)
from .execute import ConnectionLost, check_then_lock_again, run_job
from .metrics import WorkerMetrics

_logger = logging.getLogger(__name__)


def manual() -> str:
    """The operator's manual (``MANUAL.rst`` beside this module), as text."""
    with open(os.path.join(os.path.dirname(__file__), 'MANUAL.rst'), encoding='utf-8') as fh:
        return fh.read()


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
        self.metrics: Optional[WorkerMetrics] = None

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
        """Connect to every database and apply the channels; raise if one cannot start.

        A worker refused here removes the rows it registered: else it would look
        alive for --dead-after seconds and count in connector_workers_alive.
        """
        try:
            for queue in self.queues:
                try:
                    queue.connect()
                except CONNECTION_ERRORS as err:
                    raise WorkerStartError('database %s: cannot connect: %s' % (
                        queue.db_name, str(err).strip())) from err
                if self.config.channels:
                    queue.apply_channels(self.config.channels)
        except Exception:
            for queue in self.queues:
                queue.close(clean=True)
            raise
        if self.config.metrics_port:
            self.metrics = WorkerMetrics(self.config.databases, metrics_connection,
                                         self.config.dead_after)
            self.metrics.serve(self.config.metrics_host, self.config.metrics_port)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        # kill -USR1: every thread's stack to stderr, and the worker goes on
        # (where a worker that starts nothing is waiting; MANUAL.rst)
        faulthandler.register(signal.SIGUSR1, all_threads=True)
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
            claimed = queue.claim()
        except CONNECTION_ERRORS as err:
            queue.disconnect(str(err))
            return False
        except ConnectionLost as err:
            # The claim may have been committed: its job, started under this
            # worker's name and run by no one, is requeued as an orphan.
            _logger.warning('%s: connection lost while claiming a job: %s', queue.db_name,
                            str(err).strip())
            queue.job_connection.close()
            try:
                queue.requeue_orphans(
                    'The database connection of worker %s was lost while it claimed this '
                    'job.' % self.config.worker_name, 'claimed as the connection was lost')
            except CONNECTION_ERRORS as err2:
                queue.disconnect(str(err2))
            return False
        if claimed is None:
            return False
        job_id = claimed.job_id
        self.running_job = True
        try:
            with odoo.api.Environment.manage():
                # Odoo's log lines name the database of the current thread
                threading.current_thread().dbname = queue.db_name  # type: ignore[attr-defined]
                # What other processes changed (access rights, parameters, an
                # installed module) is seen by the job, as by an HTTP request;
                # the job's snapshot then comes after the check (execute.py).
                if queue.registry_behind():
                    claimed = check_then_lock_again(claimed, self.config.worker_name,
                                                    queue.refresh_registry)
                outcome = run_job(queue.registry, job_id, self.config.worker_name,
                                  on_finished=self._job_finished(queue.db_name),
                                  claimed=claimed)
            if outcome is None:  # could not take the job's row: never leave it stuck
                queue.recover_job(job_id)
        except ConnectionLost as err:
            _logger.warning('%s: connection lost while running job id %s: %s',
                            queue.db_name, job_id, str(err).strip())
            queue.job_connection.close()
            odoo.sql_db.close_db(queue.db_name)
            try:
                queue.recover_job(job_id)
            except CONNECTION_ERRORS as err2:
                queue.disconnect(str(err2))
        except ForcedStop:
            _logger.warning('%s: job id %s interrupted by a second stop signal; requeued',
                            queue.db_name, job_id)
            queue.job_connection.close()
            odoo.sql_db.close_db(queue.db_name)
            queue.recover_job(job_id)
        finally:
            self.running_job = False
        return True

    def _job_finished(self, db_name: str):
        """What run_job calls when a job ended: the metrics, when served."""
        metrics = self.metrics
        if metrics is None:
            return None
        return lambda function, outcome, seconds: metrics.job_finished(
            db_name, function, outcome, seconds)

    def _wait(self, timeout: float):
        """Sleep until a notification, a stop signal, the next eta (or end of a
        pause, or rate-limited start) or ``timeout``."""
        fds: List[Any] = [self.wakeup_r]  # select() takes descriptors and connections
        for queue in self.queues:
            if not queue.connected:
                timeout = min(timeout, max(0.0, queue.retry_at - time.time()))
                continue
            try:
                delay = queue.next_wake_delay()
                if delay is not None:
                    # Barely after the moment (the delay is measured on the
                    # database's clock as it answers): a start of a channel
                    # limited to 20/s with burst 1 waking 10 ms late is lost
                    # time, 20/s became 16.5/s (benchmarks/README.md).
                    # select() refuses a negative timeout (the worker
                    # would exit): never trust the clock arithmetic for that.
                    timeout = min(timeout, max(0.0, delay) + 0.001)
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
