# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Odoo under test for the browser tests: web server, job runner, XML-RPC.

``WebOdoo`` is a ``tools/remote_odoo.RemoteOdoo`` (same database copy from
the template, same start/stop of a real ``odoo-bin`` process group) whose
addons path holds the two addons under test, ``connector`` and
``connector_example``, through a folder of symbolic links: an HTTP worker
imports every addon on its path at its first request, so nothing else of
the repository is there. Its PATH must hold ``lessc`` (the web client's
stylesheets are compiled from less at the first request).

``JobRunner`` starts the real ``odoo-bin jobrunner`` on that database.
The code runs under the browser venv's Python and never imports ``odoo``.
"""
import os
import re
import signal
import subprocess
import time

from remote_odoo import ODOO_BIN, RemoteOdoo, RemoteOdooError, psql, venv_odoo_addons

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
        self.log_path = os.path.join(odoo.data_dir, 'jobrunner.log')
        self.process = None

    def start(self, timeout=60):
        if self.process is not None and self.process.poll() is None:
            return self
        cmd = [self.odoo.python, ODOO_BIN, 'jobrunner', '-c', self.odoo.config_path,
               '-d', self.odoo.database, '--worker-name', self.name,
               '--heartbeat-interval', '1', '--dead-after', '5']
        env = dict(os.environ, ODOO_RC=self.odoo.config_path)
        with open(self.log_path, 'ab') as log:
            self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=env,
                                            start_new_session=True)
        deadline = time.time() + timeout
        while psql("SELECT count(*) FROM queue_job_worker WHERE name = '%s'" % self.name,
                   db=self.odoo.database) != '1':
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                raise RemoteOdooError('the job runner did not start; log %s:\n%s'
                                      % (self.log_path, self.log_tail()))
            time.sleep(0.2)
        return self

    def stop(self):
        proc, self.process = self.process, None
        if proc is None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 30)):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(wait)
                break
            except OSError:
                break
            except subprocess.TimeoutExpired:
                continue
        psql("DELETE FROM queue_job_worker WHERE name = '%s'" % self.name,
             db=self.odoo.database)

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, errors='replace') as fh:
                return ''.join(fh.readlines()[-lines:])
        except OSError:
            return ''
