# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers of the end-to-end job runner tests: real workers, committed jobs, cleanup.

Workers are real ``odoo-bin jobrunner`` processes started as the test
command would start them::

    $CONNECTOR_VENV_PYTHON $CONNECTOR_REPO/tools/odoo-bin jobrunner \\
        -c $CONNECTOR_ODOO_CONFIG -d $CONNECTOR_TEST_DB ...

``ODOO_RC`` is also set to the configuration: Odoo 11 discovers addon
subcommands before it reads ``-c``, so this is how it finds the
``connector`` addon's ``jobrunner`` command on the test addons path.
"""
import os
import signal
import subprocess
import sys
import time
import uuid

import odoo
import pytest
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler

REPO = os.environ.get('CONNECTOR_REPO') or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
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
    with odoo.sql_db.db_connect(db_name()).cursor() as cr:
        cr.execute(sql, params)
        rows = cr.fetchall() if cr.description else None
        cr.commit()
        return rows


def wait_until(condition, timeout, message):
    """Poll ``condition()`` until it is truthy; fail with ``message`` after ``timeout``."""
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            text = message() if callable(message) else message
            pytest.fail('%s (waited %ss)' % (text, timeout))
        time.sleep(0.05)


class Workers(object):
    """Starts real worker processes and makes sure none outlives the test."""

    def __init__(self, log_dir):
        self.log_dir = str(log_dir)
        self.processes = []

    def command(self, *extra, databases=None):
        return [PYTHON, os.path.join(REPO, 'tools', 'odoo-bin'), 'jobrunner',
                '-c', config_path(), '-d', databases or db_name()] + list(extra)

    def start_many(self, names, *extra):
        """Start several workers at once (they load in parallel); wait for all."""
        procs = [self.start(name, *extra, wait=False) for name in names]
        for proc in procs:
            self.wait_ready(proc)
        return procs

    def start(self, name, *extra, wait=True, databases=None):
        """Start worker ``name``; wait until it has registered (it is listening)."""
        log_path = os.path.join(self.log_dir, '%s.log' % name)
        env = dict(os.environ, ODOO_RC=config_path())
        with open(log_path, 'wb') as log:
            proc = subprocess.Popen(self.command('--worker-name', name, *extra,
                                                 databases=databases), env=env,
                                    stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        proc.worker_name = name
        proc.log_path = log_path
        self.processes.append(proc)
        if wait:
            self.wait_ready(proc)
        return proc

    def wait_ready(self, proc):
        name = proc.worker_name
        wait_until(lambda: proc.poll() is not None or query(
            'SELECT 1 FROM queue_job_worker WHERE name = %s', (name,)),
            60, lambda: 'worker %s did not start: %s' % (name, self.log(proc)))
        if proc.poll() is not None:
            pytest.fail('worker %s exited with %s: %s'
                        % (name, proc.returncode, self.log(proc)))

    @staticmethod
    def log(proc):
        with open(proc.log_path, errors='replace') as log:
            return log.read()[-3000:]

    def stop_all(self):
        for proc in self.processes:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
        names = [p.worker_name for p in self.processes]
        if names:
            query('DELETE FROM queue_job_worker WHERE name IN %s', (tuple(names),))


def delay(func, *args, user_id=SUPERUSER_ID, **kwargs):
    """Delay ``func(session, ROW_MODEL, *args)`` in a committed transaction; its uuid."""
    handler = ConnectorSessionHandler(db_name(), user_id)
    with handler.session() as session:
        return func.delay(session, ROW_MODEL, *args, **kwargs)


def delay_many(func, argument_lists, **options):
    """Delay several jobs in one committed transaction; their uuids."""
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


@pytest.fixture(name='tag')
def tag_fixture():
    """A unique tag for the keys and channels of a test; removes what they left."""
    value = 'q%s' % uuid.uuid4().hex[:10]
    yield value
    query("DELETE FROM queue_job WHERE args LIKE %s OR channel LIKE %s",
          ('%' + value + '%', 'root.' + value + '%'))
    query('DELETE FROM test_queue_job_row WHERE key LIKE %s', (value + '%',))
    for pattern in ('root.%s.%%', 'root.%s%%'):  # children first: parent_id restricts
        query('DELETE FROM queue_job_channel WHERE complete_name LIKE %s', (pattern % value,))


@pytest.fixture(name='workers')
def workers_fixture(tmp_path):
    """Start workers with ``workers.start(name)``; all are killed at the end."""
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()
