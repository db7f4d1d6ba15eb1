# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one way to start job workers: ``odoo-bin jobrunner`` processes.

The demo (``tools/demo_sync.py``), the tests (``tests/support/jobrunner.py``,
the browser tests) and the benchmarks all start workers through this
module::

    pool = Workers(config, database, log_dir)
    worker = pool.start('worker-1', '--channels', 'root:2')  # waits until registered
    ...
    worker.send_signal(signal.SIGTERM)   # a Worker answers like a Popen
    pool.stop()                          # SIGTERM, SIGKILL after a grace period
    pool.kill()                          # or kill -9, as a crash would

A worker is started as an operator would start it::

    PYTHON tools/odoo-bin jobrunner -c CONFIG -d DATABASE --worker-name NAME ...

with ``ODOO_RC`` set to the configuration too (Odoo 11 looks for an addon's
subcommand before it reads ``-c``), in its own process group, its output
in ``LOG_DIR/NAME.log``. It is *registered* once its row is in
``queue_job_worker``: from then on it listens for jobs. That is checked
with ``psql`` unless the caller gives its own check (``registered(name)``:
a test reads through its own connection).

Stdlib only, for Python 3.7 (the venv) and 3.11 (``.venv-browser``).
"""
import os
import signal
import sys
import time

from . import pg, procs
from .paths import ODOO_BIN


class WorkerStartError(Exception):
    """A worker exited or did not register in time; the message has its log's end."""


def psql_registered(database):
    """The default check: a row named ``name`` in ``queue_job_worker`` (over psql)."""
    def registered(name):
        return pg.psql('SELECT count(*) FROM queue_job_worker WHERE name = %s'
                       % pg.literal(name), db=database) != '0'
    return registered


class Worker(object):
    """One ``odoo-bin jobrunner`` process; ``poll``, ``wait``, ``pid`` as a Popen's."""

    def __init__(self, name, command, log_path, env):
        self.worker_name = name
        self.command = command
        self.log_path = log_path
        self.env = env
        self.process = None

    def start(self):
        self.process = procs.start(self.command, self.log_path, env=self.env)
        return self

    @property
    def pid(self):
        return self.process.pid

    @property
    def returncode(self):
        return self.process.returncode

    def poll(self):
        return self.process.poll()

    def wait(self, timeout=None):
        return self.process.wait(timeout)

    def send_signal(self, sig):
        self.process.send_signal(sig)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def wait_registered(self, registered, timeout=60):
        """Return once ``registered(name)`` is true; WorkerStartError if it exits first."""
        deadline = time.time() + timeout
        while self.poll() is None and not registered(self.worker_name):
            if time.time() > deadline:
                raise WorkerStartError('worker %s did not register within %s s: %s'
                                       % (self.worker_name, timeout, self.log_tail()))
            time.sleep(0.05)
        if self.poll() is not None:
            raise WorkerStartError('worker %s exited with %s: %s'
                                   % (self.worker_name, self.returncode, self.log_tail()))
        return self

    def stop(self, grace=30):
        """SIGTERM (it finishes its running job), SIGKILL after ``grace`` seconds."""
        return procs.stop(self.process, grace)

    def kill(self):
        """kill -9 the worker's process group."""
        return procs.kill(self.process)

    def log_tail(self, chars=3000):
        return procs.log_tail(self.log_path, chars)


class Workers(object):
    """The workers of one database (see the module docstring); ``processes`` lists them.

    ``python``: the venv's interpreter (default: this one); ``registered``:
    the check used to wait for a worker (default: ``psql_registered``).
    """

    def __init__(self, config, database, log_dir, python=None, registered=None,
                 odoo_bin=ODOO_BIN):
        self.config = config
        self.database = database
        self.log_dir = str(log_dir)
        self.python = python or sys.executable
        self.registered = registered or psql_registered(database)
        self.odoo_bin = odoo_bin
        self.processes = []

    def command(self, *extra, databases=None):
        """The command line of a worker (``-d databases`` instead of the pool's if given)."""
        return [self.python, self.odoo_bin, 'jobrunner', '-c', self.config,
                '-d', databases or self.database] + list(extra)

    def start(self, name, *extra, wait=True, databases=None, timeout=60):
        """Start worker ``name`` with ``extra`` options; wait until it is registered."""
        worker = Worker(name, self.command('--worker-name', name, *extra, databases=databases),
                        os.path.join(self.log_dir, '%s.log' % name),
                        dict(os.environ, ODOO_RC=self.config)).start()
        self.processes.append(worker)
        if wait:
            worker.wait_registered(self.registered, timeout)
        return worker

    def start_many(self, names, *extra, timeout=60):
        """Start several workers at once (they load in parallel), then wait for all."""
        started = [self.start(name, *extra, wait=False) for name in names]
        for worker in started:
            worker.wait_registered(self.registered, timeout)
        return started

    def dead(self):
        """The workers that exited."""
        return [worker for worker in self.processes if worker.poll() is not None]

    def stop(self, grace=30):
        """Stop every worker: SIGTERM to all at once, SIGKILL to those alive after ``grace``."""
        for worker in self.processes:
            if worker.running():
                procs.signal_group(worker.process, signal.SIGTERM)
        for worker in self.processes:
            worker.stop(grace)

    def kill(self):
        """kill -9 every worker."""
        for worker in self.processes:
            worker.kill()
