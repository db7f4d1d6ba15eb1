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
        [--channels root:4,root.export:1,root.orders:1:sequential,root.shop::rate=5/s]
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
run: Odoo's own HTTP workers play no part in running jobs. In production,
run each worker under a process supervisor with a fixed name (see
*Running under a supervisor*); for workers on other machines than
PostgreSQL, see *Runners on several machines*.

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
   job is run twice at once. Each worker also holds, on its LISTEN
   connection and for its whole life, a PostgreSQL advisory lock keyed on
   its name (see *Worker names and restarts*).

Stopping
--------
SIGTERM (or SIGINT): the worker finishes the job it is running, starts no
other, removes its row and exits with status 0. A second SIGTERM/SIGINT
interrupts the running job: its transaction is rolled back and the job is
put back to pending at once. ``kill -9``, a crash or a lost machine lose
nothing either: the job's transaction never committed, and the job is run
again at once by a worker restarted with the same ``--worker-name``, else
by another worker after ``--dead-after`` seconds.

Worker names and restarts
-------------------------
A worker's name (``--worker-name``; by default ``HOST:PID:RANDOM``, new at
each start) is unique in a database. A worker holds a session-level
advisory lock keyed on its name, on its LISTEN connection, from start to
exit; PostgreSQL releases it when that session ends, however the process
ended. At start:

* the lock is free: no process of that name is alive, on any machine (the
  session that held the lock is gone). The worker takes the name and puts
  back to pending at once the jobs left started under it, logging
  ``job UUID of worker NAME was left started by a previous process of this
  name, which is gone (its database session ended): now pending``. This is
  what a supervisor's restart after ``kill -9`` or an OOM kill needs:
  give each supervised worker a fixed name, and its job runs again within
  a second or two of the restart, whatever ``--dead-after`` is;
* the lock is held and the name's heartbeat is fresh: a live worker has the
  name, here or on another machine. The worker exits with status 2:
  ``worker name 'NAME' is used by a live worker (pid N on HOST) in
  database DB: give each worker its own --worker-name``;
* the lock is held but the heartbeat is older than ``--dead-after``: a
  stopped (SIGSTOP) or frozen process, or a machine lost while PostgreSQL
  still keeps its TCP session open (until TCP keepalives end it, see
  below). As before the lock existed, the worker starts anyway, warning
  which backend holds the name (``SELECT pg_terminate_backend(PID)`` ends
  that session if its process is gone; if it lives, stop it: two processes
  must not share a name), and takes the lock once it is released. Jobs
  still locked by the old process's transaction are left to it.

At each upkeep a worker, which then runs no job, puts back to pending the
jobs started under its name whose row no transaction holds.

Running under a supervisor
--------------------------
Give each worker a fixed name, restart it when it fails, stop it with
SIGTERM and a timeout longer than a job's usual run. With systemd, a
template unit, one instance per worker (``systemctl enable --now
connector-jobrunner@1 connector-jobrunner@2``)::

    # /etc/systemd/system/connector-jobrunner@.service
    [Unit]
    Description=Connector job runner %i
    After=network-online.target postgresql.service
    Wants=network-online.target

    [Service]
    User=odoo
    ExecStart=/opt/odoo/venv/bin/odoo-bin jobrunner -c /etc/odoo/odoo.cfg \\
        -d shop_db --worker-name %H-%i
    Restart=on-failure
    RestartSec=5
    KillSignal=SIGTERM
    TimeoutStopSec=600

    [Install]
    WantedBy=multi-user.target

``%H-%i`` (host name, instance) is the same name at every start, and
unique across machines. ``Restart=on-failure`` restarts the worker after a
crash, ``kill -9`` or an OOM kill, and after a refused start (status 2:
the database not reachable yet at boot, a name in use); at one start per
5 s it never reaches systemd's default start limit (5 starts in 10 s).
``systemctl stop`` sends SIGTERM: the worker finishes its job and exits
with status 0; after ``TimeoutStopSec`` systemd kills it and that job runs
again at the next start. With supervisord, two workers per machine::

    [program:connector-jobrunner]
    command=/opt/odoo/venv/bin/odoo-bin jobrunner -c /etc/odoo/odoo.cfg -d shop_db
        --worker-name %(host_node_name)s-%(process_num)d
    process_name=%(program_name)s-%(process_num)d
    numprocs=2
    user=odoo
    autorestart=true
    startsecs=5
    startretries=10
    stopsignal=TERM
    stopwaitsecs=600
    stopasgroup=true
    killasgroup=true
    redirect_stderr=true
    stdout_logfile=/var/log/odoo/%(program_name)s-%(process_num)d.log

supervisord counts a start as failed when the process exits within
``startsecs`` and gives up after ``startretries`` failed starts in a row
(FATAL; ``supervisorctl start`` tries again). Before the name lock, a
worker restarted after ``kill -9`` was refused within half a second, so
supervisord soon gave up on it; it now starts at once.

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

Rate limits and backpressure
----------------------------
A remote that allows "N requests per second per account" needs a bound on
how fast jobs *start*, not on how many run. A channel's rate limit is that
bound, shared by every worker on every machine::

    --channels root.shop:2:rate=5/s:burst=3     # or rate=300/m, rate=100/10m, rate=2/h

At most 5 jobs of ``root.shop`` and its subchannels start per second, 3 at
once after a quiet spell (``burst``, default 1: evenly spaced), and at most
2 run at once. The same settings are on the channel's form (Rate limit,
Per (seconds), Burst); a change there applies at the next claim of every
running worker, no restart. The limit is kept in the channel's row and
spent in the claim's transaction (``connector/queue/rate_limits.py`` says
why): no window of 1 s holds more than limit + burst starts. Idle workers
wake when the next start is allowed. With burst 1 a start a worker makes
late is not made up (20/s measured 19.3/s); with burst 2 or more it is
(20.03/s): give a burst of 2 when the full rate matters. Refused at start, naming the option:
a negative or zero rate, an unknown unit (``rate=5/d``), a burst without
a rate, and a rate on a channel nothing uses (no channel record, job
function or unfinished job has it or a subchannel of it: a misspelt name
would limit nothing).

*A channel per external account.* A backend record names the channel of
its jobs (``job_channel_id``): every job about that backend (imports,
exports, deletions, method jobs on its bindings) goes there unless the
caller gave ``channel=``. The example backend's "requests per second"
creates ``root.example.backend_<id>`` with that rate.

*Backpressure.* A job that raises ``RemoteThrottled(message, seconds=S)``
(the example's adapter does on HTTP 429, or 503 with ``Retry-After``) is
postponed S seconds without counting the try, and its channel is paused
for S seconds on every worker: no job of the channel or its subchannels
starts until then, other channels go on, and the channel resumes by
itself. Queue > Channels shows a paused channel (until when, and why) in
colour, with a *Resume now* button. A refused connection
(``RemoteUnavailable``) pauses 5 s but counts the try, so that a remote
that stays down still fails the job after ``max_retries``. A job in
``root`` pauses nothing (that would stop every job of the database): give
the backend its own channel.

Database connection lost
------------------------
When the connection breaks during a job, the job's transaction is lost;
the worker reconnects (retrying with a growing delay up to 30 s), puts
its job back to pending (a counted try) and goes on. While a database is
unreachable the worker keeps serving the others.

Runners on several machines
---------------------------
Workers on other machines than PostgreSQL connect over TCP with Odoo's
connection settings: ``db_host``, ``db_port``, ``db_user``,
``db_password`` (and ``db_sslmode``) in the ``[options]`` of their
configuration file, or ``--db_host`` etc. on the command line (where the
password shows in ``ps``: prefer the file, readable by the runner's user
only, or leave ``db_password`` out and use that user's ``~/.pgpass``).
LISTEN/NOTIFY, the advisory locks (claims, names) and the heartbeats work
the same over TCP: ``tests/test_jobrunner_remote.py`` runs a worker on the
Unix socket and one over TCP with a password, as a role with only the
rights below, on one queue (each runs jobs, none runs twice; the TCP one
wakes on notifications, beats, holds its name).

Every machine needs the same code and addons (a job names a function that
must exist there), and the filestore (``data_dir``, shared) when jobs read
or write attachments. Clocks need not agree: heartbeats, etas and
``--dead-after`` are measured on the PostgreSQL server's clock.

*The database role.* The runner's own connections and the ORM cursors of
the jobs it runs use the same settings, so one role needs the union of
three sets of rights (PostgreSQL grants; LISTEN, advisory locks,
``pg_locks`` and ``pg_stat_activity`` need none)::

    -- 1. the runner's statements: claims, outcomes, heartbeats, upkeep
    GRANT SELECT, UPDATE ON queue_job TO runner;
    GRANT SELECT, INSERT, UPDATE, DELETE ON queue_job_worker TO runner;
    GRANT USAGE ON SEQUENCE queue_job_worker_id_seq TO runner;
    GRANT SELECT ON queue_job_dependency TO runner;   -- job graphs
    -- rate limits are spent by the claim, a throttled job pauses (and may
    -- create) its channel, --channels writes channels
    GRANT SELECT, INSERT, UPDATE ON queue_job_channel TO runner;
    GRANT USAGE ON SEQUENCE queue_job_channel_id_seq TO runner;
    -- 2. loading Odoo's registry (the connector addon lists the @job
    --    functions at each load); other addons' hooks may read more tables
    GRANT SELECT ON ir_module_module, ir_model, ir_model_fields, res_lang TO runner;
    -- read at each claim; bumped after a job that changed Odoo's caches
    GRANT SELECT, USAGE ON SEQUENCE base_registry_signaling, base_cache_signaling
        TO runner;
    GRANT SELECT, INSERT, UPDATE ON queue_job_function TO runner;
    GRANT USAGE ON SEQUENCE queue_job_function_id_seq TO runner;
    -- 3. running jobs: the ORM's access checks for the job's user ...
    GRANT SELECT ON res_users, res_partner, res_groups_users_rel,
        ir_model_access, ir_rule, rule_group_rel, ir_default TO runner;
    -- ... and whatever the jobs' code reads and writes, with the sequences
    -- of the tables it inserts into; a job that delays jobs needs INSERT on
    -- queue_job and USAGE on queue_job_id_seq

The third set depends on your jobs (an import job of ``connector_example``
reads its backend, writes partners, bindings and their sync state...):
run them once with the role and grant what PostgreSQL refuses (``permission
denied for table X`` in the job's Exception field), or grant ``SELECT`` on
the tables of the models they read and write rights on those they write.
The job's user's Odoo access rights are still checked on top. The role
needs no ``DELETE`` on ``queue_job`` (the retention cron runs in Odoo) and
no write right on ``res_users``.

*Keepalives.* A machine that is switched off or cut off leaves its
sessions open on the server until TCP notices, two hours by default on
Linux: until then its name's lock and its running job's row lock stay
held (its job waits, a restarted worker with its name waits for
``--dead-after``). Make PostgreSQL probe the runners' connections::

    ALTER ROLE runner SET tcp_keepalives_idle = 60;
    ALTER ROLE runner SET tcp_keepalives_interval = 10;
    ALTER ROLE runner SET tcp_keepalives_count = 3;

(the server then ends a dead runner's sessions within about 90 s).

*PgBouncer.* In transaction pooling mode a client gets a server
connection for one transaction at a time; what a worker keeps on its
session breaks: LISTEN (the notifications go to whichever client holds
that server connection next, or nowhere: workers only wake every
heartbeat interval), the session advisory lock of its name (left held by
a pooled connection after the worker died, or "taken" by another client
that gets the same server connection: two live workers with one name),
session settings such as ``synchronous_commit`` of the claim connection,
and SQL ``PREPARE``. Supported: workers connect to PostgreSQL directly
(or to PgBouncer in *session* pooling mode, which brings nothing: a
worker holds its connections for its whole life) -- give them their own
configuration file whose ``db_host``/``db_port`` name PostgreSQL itself.
Odoo's HTTP workers and crons may go through PgBouncer in transaction mode:
``delay()`` is an INSERT and the wake-up a NOTIFY sent at commit, both
fine there.

*Sizing --dead-after.* It bounds how long the jobs of a worker that is
gone, and not restarted under its name, wait before another worker runs
them; and when the name of a silent worker may be taken. It must exceed
the longest time a live worker's heartbeat can be late: the heartbeat
thread beats beside the running job (a long job does not delay it), but a
machine swapping or overloaded, a paused VM, a network cut between the
machines or a PostgreSQL failover do. Too small costs little (a late but
live worker keeps its running job: its row is locked), yet shows live
workers as dead. Take the heartbeat interval times 3 plus the longest
stall you expect: 60 s (the default, heartbeat 10 s) on one site;
120-300 s across sites or with VMs that migrate. A worker restarted with
its name never waits for it, so under a supervisor a generous value costs
nothing but the wait after a machine is lost for good.

Caveats
-------
* A job must not commit: its outcome is written in its transaction.
* Things a job did outside of the database (a call to a remote) are not
  undone when its transaction is: write jobs so that running them twice
  is harmless -- a worker lost after the remote call and before the
  commit means the job runs again.
* ``--dead-after`` must be several heartbeat intervals (default 60 s for
  10 s): see *Sizing --dead-after*.
* Idle workers hold three connections per database (claims, LISTEN,
  heartbeat) plus one while a job runs: size ``max_connections``.
* Two processes must never share a worker name (see *Worker names and
  restarts*); the default name is unique, a supervised worker's is fixed.

How to recover
--------------
* Failed jobs: read the Exception field, fix the cause, then *Requeue*
  (tries reset), *Set done* or *Cancel* from the job's form or the list.
* A sequential channel stuck on a failed job: same buttons on that job.
* Jobs stuck in ``started`` while no worker runs: start a worker with the
  name shown in their Worker field (they run again at once), or any worker
  (after ``--dead-after`` seconds it puts them back to pending).
* A worker refused because its name "is used by a live worker": another
  process has that name; give each its own. Named as held by a session
  whose process is gone (a lost machine): ``SELECT
  pg_terminate_backend(PID)`` with the pid from the warning.
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
  ``connector/queue/sql/queries.sql`` (dead workers:
  ``REQUEUE_DEAD_WORKERS_JOBS``), and the schema in
  ``connector/queue/sql/schema.sql`` (the claim:
  ``connector_claim_next_job_v2``; the wake-up: the notify trigger).
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
from typing import Any, List, Optional

import odoo

from .database import (CONNECTION_ERRORS, DatabaseQueue, Heartbeat, WorkerConfig, WorkerStartError,
                       metrics_connection)
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
                # What other processes changed (access rights, parameters, an
                # installed module) is seen by the job, as by an HTTP request.
                queue.refresh_registry()
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
