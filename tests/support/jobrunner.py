# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Support of the end-to-end job runner tests: real workers, committed jobs, cleanup.

Workers are real ``odoo-bin jobrunner`` processes, started by
``devkit.workers`` as the test command would start them::

    $CONNECTOR_VENV_PYTHON $CONNECTOR_REPO/tools/odoo-bin jobrunner \\
        -c $CONNECTOR_ODOO_CONFIG -d $CONNECTOR_TEST_DB ...

(with ``ODOO_RC`` set to the configuration too). Fixtures: ``workers``
(started with ``workers.start(name, *options)``, killed at the end of the
test) and ``tag`` (a unique tag for a test's keys and channels; what they
left is deleted at the end).
"""
import fcntl
import os
import signal
import socket
import sys
import time
import uuid

import odoo
import psycopg2.extensions
import pytest
from odoo import SUPERUSER_ID

from devkit import workers as devkit_workers

REPO = os.environ.get('CONNECTOR_REPO') or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = os.environ.get('CONNECTOR_VENV_PYTHON') or sys.executable
ROW_MODEL = 'test.queue.job.row'

# Fast liveness for tests: a killed worker's job runs again after ~2 s.
FAST = ['--heartbeat-interval', '0.5', '--dead-after', '2']


def db_name():
    return os.environ.get('CONNECTOR_TEST_DB') or odoo.tools.config['db_name']


def config_path():
    return os.environ.get('CONNECTOR_ODOO_CONFIG') or odoo.tools.config.rcfile


def query(sql, params=None):
    """Rows of ``sql`` as another connection sees them (committed data only)."""
    return query_database(db_name(), sql, params)


def query_database(database, sql, params=None, attempts=5):
    """Rows of ``sql`` in its own committed transaction on ``database``.

    Odoo's cursors are REPEATABLE READ: a write that meets a row another
    transaction changed after this one's snapshot fails with a serialization
    error. That happens for real in a teardown, when a worker killed with -9
    leaves its last heartbeat statement running in its server process. Such a
    transaction is tried again, as Odoo retries an RPC call.
    """
    for attempt in range(1, attempts + 1):
        try:
            with odoo.sql_db.db_connect(database).cursor() as cr:
                cr.execute(sql, params)
                rows = cr.fetchall() if cr.description else None
                cr.commit()
                return rows
        except psycopg2.extensions.TransactionRollbackError:
            if attempt == attempts:
                raise


def wait_until(condition, timeout, message, progress=None):
    """Poll ``condition()`` until it is truthy; fail with ``message`` after ``timeout``
    seconds -- counted from the last time ``progress()`` grew, when it is given."""
    value = poll_until(condition, timeout, progress)
    if value:
        return value
    text = message() if callable(message) else message
    pytest.fail('%s (%s %ss)\n%s' % (text, 'no progress for' if progress else 'waited',
                                     timeout, queue_activity()))


def poll_until(condition, timeout, progress=None):
    """``condition()`` once it is truthy, polled every 50 ms; its last falsy value
    after ``timeout`` seconds (counted from the last growth of ``progress()``)."""
    deadline, best = time.time() + timeout, None
    while True:
        value = condition()
        if value:
            return value
        if progress is not None:
            now = progress()
            if best is None or now > best:
                best, deadline = now, time.time() + timeout
        if time.time() > deadline:
            return value
        time.sleep(0.05)


def queue_activity():
    """What the test database's queue and sessions are doing, for a failure message:
    a wait that timed out in CI is then explained by its log, not guessed at."""
    reads = [
        ('unfinished jobs by state, channel, lane, worker',
         "SELECT state, channel, claim_bounded, worker_name, count(*) FROM queue_job "
         "WHERE state NOT IN ('done', 'cancelled') GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC "
         "LIMIT 20"),
        ('channels', 'SELECT complete_name, capacity, sequential, rate_limit, paused_until '
                     'FROM queue_job_channel ORDER BY 1'),
        ('sessions', "SELECT pid, application_name, state, wait_event_type, wait_event, "
                     "round(extract(epoch FROM now() - xact_start)::numeric, 1) AS xact_s, "
                     "left(regexp_replace(query, '\\s+', ' ', 'g'), 120) "
                     "FROM pg_stat_activity WHERE datname = current_database() "
                     "AND pid <> pg_backend_pid() AND state <> 'idle' ORDER BY pid"),
        ('lock waits', 'SELECT pid, locktype, mode, relation::regclass, transactionid, objid '
                       'FROM pg_locks WHERE NOT granted ORDER BY pid'),
    ]
    lines = []
    for title, sql in reads:
        try:
            found = query(sql)
        except Exception as err:  # a diagnostic must not hide the failure it explains
            found = ['could not read: %s' % err]
        lines.append('%s:' % title)
        lines.extend('  %s' % (row,) for row in found)
    try:
        workers = query('SELECT name, pid FROM queue_job_worker WHERE host = %s ORDER BY name',
                        (socket.gethostname(),))
    except Exception as err:
        workers, lines = [], lines + ['workers: could not read: %s' % err]
    for name, pid in workers:
        lines.append('worker %s (pid %s), its threads now:' % (name, pid))
        lines.append(_worker_stacks(pid))
    return '\n'.join(lines)


def _worker_stacks(pid, timeout=5):
    """The stacks a live worker writes to its log on SIGUSR1 (``runner.py``)."""
    try:
        log_path = os.readlink('/proc/%d/fd/2' % pid)
        start = os.path.getsize(log_path)
        os.kill(pid, signal.SIGUSR1)
    except OSError as err:
        return '  (none: %s)' % err

    def written():
        with open(log_path, errors='replace') as log:
            log.seek(start)
            return log.read()
    poll_until(lambda: 'Current thread' in written(), timeout)
    return written()[-4000:] or '  (nothing written in %s s)' % timeout


def wait_for_progress(count, target, stalled_after, message):
    """Wait until ``count()`` reaches ``target``; fail with ``message`` only when it
    did not grow for ``stalled_after`` seconds.

    For long runs (hundreds of jobs): a busy machine makes them slow, not stuck,
    so what fails the test is a count that stops moving, not the total time.
    """
    values = []

    def reached():
        values.append(count())
        return values[-1] >= target

    def progress():
        return values[-1]

    wait_until(reached, stalled_after, lambda: '%s (%s of %s)' % (
        message() if callable(message) else message, values[-1], target), progress)
    return values[-1]


def wait_for_upkeeps(rounds, timeout=60):
    """Return once the running workers did ``rounds`` upkeeps, one after the other,
    all begun after this call: a count of upkeeps, not a time.

    An upkeep (``DatabaseQueue.maintain``, every ``--heartbeat-interval`` while
    no job runs) forgets the rows of workers silent for long. Each round plants
    the row of a worker silent for a day and waits until an upkeep deleted it;
    the next round plants its row after that. With W running workers, W + 1
    rounds hold two upkeeps of one worker, so the first of those two ran to its
    end (the release of waiting jobs, its last step, included) after this call.
    """
    for number in range(rounds):
        probe = 'upkeep-probe-%s-%d' % (uuid.uuid4().hex[:8], number)
        query("INSERT INTO queue_job_worker (name, pid, host, date_started, heartbeat) "
              "VALUES (%s, 0, 'nowhere', (now() at time zone 'utc') - interval '1 day', "
              "(now() at time zone 'utc') - interval '1 day')", (probe,))
        wait_until(lambda: not query('SELECT 1 FROM queue_job_worker WHERE name = %s',
                                     (probe,)), timeout,
                   'no upkeep forgot the silent worker %s (round %d of %d)'
                   % (probe, number + 1, rounds))


class Gate(object):
    """A gate that ``jobs.gated_insert`` jobs wait at until the test releases it.

    Made before the jobs are delayed, it holds an exclusive ``flock`` on the file
    ``path``; a gated job waits in the kernel for a shared lock on it, so no job
    passes before ``release()``, and a release made before a job reached the
    gate still lets it through. Should a test end without releasing, the lock
    goes with its file descriptor (at the latest when the test process exits)::

        gate = Gate(tmp_path)
        delay(jobs.gated_insert, key, gate.path)
        wait_until(lambda: gate.waiting() == [worker.pid], 30, 'not at its gate')
        ...                 # the job is running, held at its gate
        gate.release()
    """

    def __init__(self, directory, name='gate'):
        self.path = str(directory / name)
        # not inherited by the workers the test starts (PEP 446): only this process holds it
        self._descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        fcntl.flock(self._descriptor, fcntl.LOCK_EX)

    @property
    def released(self):
        return self._descriptor is None

    def waiting(self):
        """The pids of the processes waiting at the gate now, sorted: the kernel's
        blocked lock requests on its file (``/proc/locks``), not a guess of time."""
        status = os.stat(self.path)
        file_id = '%02x:%02x:%d' % (os.major(status.st_dev), os.minor(status.st_dev),
                                    status.st_ino)
        with open('/proc/locks') as locks:
            # "1: -> FLOCK  ADVISORY  READ 22910 fe:00:2230474 0 EOF": a blocked request
            return sorted(int(fields[5]) for fields in map(str.split, locks)
                          if fields[1:3] == ['->', 'FLOCK'] and fields[6] == file_id)

    def release(self):
        """Let every job waiting at the gate, and every later one, through (idempotent)."""
        if self._descriptor is not None:
            os.close(self._descriptor)  # drops the lock
            self._descriptor = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.release()


def _registered(name):
    return query('SELECT 1 FROM queue_job_worker WHERE name = %s', (name,))


class Workers(devkit_workers.Workers):
    """``devkit.workers.Workers`` on the pytest database; a failed start fails the test."""

    def __init__(self, log_dir):
        super().__init__(config_path(), db_name(), log_dir, python=PYTHON,
                         registered=_registered)

    def start(self, name, *extra, wait=True, databases=None):
        """Start worker ``name``; wait until it has registered (it is listening)."""
        worker = super().start(name, *extra, wait=False, databases=databases)
        if wait:
            self.wait_ready(worker)
        return worker

    def start_many(self, names, *extra):
        """Start several workers at once (they load in parallel); wait for all."""
        started = [self.start(name, *extra, wait=False) for name in names]
        for worker in started:
            self.wait_ready(worker)
        return started

    def wait_ready(self, worker):
        try:
            worker.wait_registered(self.registered, 60)
        except devkit_workers.WorkerStartError as err:
            pytest.fail(str(err))

    @staticmethod
    def log(worker):
        return worker.log_tail(3000)

    def stop_all(self):
        """kill -9 every worker, forget their names."""
        self.kill()
        names = [worker.worker_name for worker in self.processes]
        if names:
            query('DELETE FROM queue_job_worker WHERE name IN %s', (tuple(names),))


def delay(func, *args, user_id=SUPERUSER_ID, **kwargs):
    """Delay ``func(session, ROW_MODEL, *args)`` in a committed transaction; its uuid."""
    from odoo.addons.connector.session import ConnectorSessionHandler
    handler = ConnectorSessionHandler(db_name(), user_id)
    with handler.session() as session:
        return func.delay(session, ROW_MODEL, *args, **kwargs)


def delay_many(func, argument_lists, **options):
    """Delay several jobs in one committed transaction; their uuids."""
    from odoo.addons.connector.session import ConnectorSessionHandler
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        return [func.delay(session, ROW_MODEL, *args, **options) for args in argument_lists]


def job_states(tag):
    """{state: count} of the jobs of a test."""
    return dict(query("SELECT state, count(*) FROM queue_job WHERE args LIKE %s "
                      "GROUP BY state", ('%' + tag + '%',)))


def rows(tag):
    """(key, pid, started, ended) of the rows written by the jobs of a test, by start."""
    return query('SELECT key, pid, started, ended FROM test_queue_job_row '
                 'WHERE key LIKE %s ORDER BY started, id', (tag + '%',))


@pytest.fixture
def tag():
    """A unique tag for the keys and channels of a test; removes what they left."""
    value = 'q%s' % uuid.uuid4().hex[:10]
    yield value
    query("DELETE FROM queue_job WHERE args LIKE %s OR channel LIKE %s",
          ('%' + value + '%', 'root.' + value + '%'))
    query('DELETE FROM test_queue_job_row WHERE key LIKE %s', (value + '%',))
    for pattern in ('root.%s.%%', 'root.%s%%'):  # children first: parent_id restricts
        query('DELETE FROM queue_job_channel WHERE complete_name LIKE %s', (pattern % value,))


@pytest.fixture
def workers(tmp_path):
    """Start workers with ``workers.start(name)``; all are killed at the end."""
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()
