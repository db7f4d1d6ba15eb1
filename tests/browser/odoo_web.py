# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Odoo under test for the browser tests: web server, job runner, XML-RPC.

``WebOdoo`` is a ``devkit.remote_odoo.RemoteOdoo`` (same database copy from
the template, same start/stop of a real ``odoo-bin`` process group) whose
addons path holds the two addons under test, ``connector`` and
``connector_example``, through a folder of symbolic links: an HTTP worker
imports every addon on its path at its first request, so nothing else of
the repository is there. Its PATH must hold ``lessc`` (the web client's
stylesheets are compiled from less at the first request).

``JobRunner`` starts the real ``odoo-bin jobrunner`` on that database
(``devkit.workers``, as everywhere else).
The code runs under the browser venv's Python and never imports ``odoo``.
"""
import os
import re
import subprocess

from devkit.paths import ODOO_BIN
from devkit.pg import literal, psql
from devkit.python_env import venv_odoo_addons
from devkit.remote_odoo import RemoteOdoo, RemoteOdooError
from devkit.workers import Workers, WorkerStartError

ADDONS = ['connector', 'connector_example']
# What the remote holds (conftest.py seeds it): 2 companies with 4 contacts
# each, and one partner in a country that exists on the remote only.
SEEDED_PARTNERS = 10
UNKNOWN_COUNTRY = ('Atlantis', 'QZ')
LOG_RE = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) ')


def error_records(path, start=0):
    """ERROR/CRITICAL lines of an Odoo log after byte ``start`` (first lines of records)."""
    try:
        with open(path, errors='replace') as fh:
            fh.seek(start)
            matches = ((LOG_RE.match(line), line) for line in fh)
            return [line.rstrip() for match, line in matches
                    if match and match.group('level') in ('ERROR', 'CRITICAL')]
    except OSError:
        return []


def log_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class WebOdoo(RemoteOdoo):
    """The Odoo server the browser talks to (see the module docstring)."""

    def __init__(self, database, repo, **kwargs):
        super().__init__(database, **kwargs)
        self.addons_dir = os.path.join(self.data_dir, 'addons')
        os.makedirs(self.addons_dir)
        for name in ADDONS:
            os.symlink(os.path.join(repo, name), os.path.join(self.addons_dir, name))
        self.config_path = os.path.join(self.data_dir, 'odoo.cfg')
        with open(self.config_path, 'w') as fh:
            fh.write('[options]\naddons_path = %s\ndata_dir = %s\n'
                     'db_host = False\ndb_port = False\ndb_user = False\n'
                     'db_password = False\n' % (self.addons_path(), self.data_dir))

    def addons_path(self):
        return '%s,%s' % (self.addons_dir, venv_odoo_addons(self.python))

    def command(self):
        cmd = []
        for arg in super().command():
            if arg.startswith('--addons-path='):
                arg = '--addons-path=%s' % self.addons_path()
            elif arg.startswith('--log-level='):
                arg = '--log-level=info'
            cmd.append(arg)
        return cmd

    def install(self, timeout=600):
        """Install the addons under test (no demo data), server stopped."""
        log = os.path.join(self.data_dir, 'install.log')
        cmd = [self.python, ODOO_BIN, '-c', self.config_path, '-d', self.database,
               '-i', ','.join(ADDONS), '--stop-after-init', '--without-demo=all',
               '--max-cron-threads=0', '--http-port=%d' % self.port, '--logfile=%s' % log]
        with open(log + '.console', 'wb') as console:
            rc = subprocess.call(cmd, stdout=console, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, timeout=timeout,
                                 start_new_session=True)
        states = dict(row.split('|') for row in psql(
            "SELECT name, state FROM ir_module_module WHERE name IN (%s)"
            % ','.join("'%s'" % name for name in ADDONS), db=self.database).splitlines())
        errors = error_records(log)
        if rc or errors or any(states.get(name) != 'installed' for name in ADDONS):
            raise RemoteOdooError('installing %s into %s failed (exit %s, states %r); log %s:\n%s'
                                  % (ADDONS, self.database, rc, states, log,
                                     '\n'.join(errors[:10])))


class JobRunner(object):
    """A real ``odoo-bin jobrunner`` process on the database of a ``WebOdoo``."""

    def __init__(self, odoo, name='browser-tests'):
        self.odoo = odoo
        self.name = name
        self.pool = Workers(odoo.config_path, odoo.database, odoo.data_dir, python=odoo.python)
        self.log_path = os.path.join(odoo.data_dir, '%s.log' % name)
        self.worker = None

    def start(self, timeout=60):
        if self.worker is not None and self.worker.running():
            return self
        try:
            self.worker = self.pool.start(self.name, '--heartbeat-interval', '1',
                                          '--dead-after', '5', timeout=timeout)
        except WorkerStartError as err:
            self.stop()
            raise RemoteOdooError('the job runner did not start: %s' % err) from err
        return self

    def stop(self):
        worker, self.worker = self.worker, None
        if worker is None:
            for started in self.pool.processes:  # a start that failed
                started.kill()
        else:
            worker.stop(grace=10)
        psql('DELETE FROM queue_job_worker WHERE name = %s' % literal(self.name),
             db=self.odoo.database)

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, errors='replace') as fh:
                return ''.join(fh.readlines()[-lines:])
        except OSError:
            return ''
