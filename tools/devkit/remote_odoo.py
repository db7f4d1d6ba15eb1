# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A real "remote" Odoo server for the example connector: start, stop, reach it.

``connector_example`` synchronizes partners with another Odoo over
XML-RPC. Its demo (``tools/demo_sync.py``), its end-to-end tests
(``tests/support/example.py``), the browser tests and a benchmark
(``benchmarks/bench_example_import.py``) all need such a remote: a second
Odoo 11 server process with its own database, on a free port. This module
(stdlib only, so it runs under any Python) starts one; ``seeding`` fills
it with partners::

    with RemoteOdoo('connector_demo_remote') as remote:   # createdb + start
        client = remote.client()                         # admin / admin
        seed_partners(client, 300)                       # companies + contacts
        ...                                              # point a backend at remote.url
    # the server is killed and its database dropped, also on an exception

What it does:

- ``create_database()``: a copy of ``connector_tmpl_base`` (the template
  ``tools/dev.py`` builds: only ``base``, no demo data, login admin /
  admin), after dropping a leftover of the same name.
- ``start()``: ``odoo-bin`` with ONLY the venv's ``odoo/addons`` on its
  addons path (an HTTP worker imports every addon on the path at its first
  request: the repository's addons must not be there), ``--db-filter`` on
  its database, ``--workers=0``, no cron thread, its own data directory and
  log file; returns when ``/xmlrpc/2/common`` answers ``version`` (and the
  registry is loaded), or raises ``RemoteOdooError`` with the log's tail.
- ``stop()``: SIGTERM, then SIGKILL after a few seconds, to the whole
  process group. ``start()`` again reuses the same port and database (the
  tests stop the remote in the middle of an import, then bring it back).
- ``drop_database()``: ``DROP DATABASE ... WITH (FORCE)`` and its data
  directory. ``close()`` = ``stop()`` + ``drop_database()``; the context
  manager calls it, and ``atexit`` too, for the process that started it.

- ``install_webhook_sender(database=None)``: install
  ``connector_example_webhook_sender`` (``remote_addons/``, the remote's
  side of the example's webhooks) into a database of the running server;
  ``RemoteOdoo(..., with_sender=True)`` puts ``remote_addons`` on its
  addons path (the only folder of the repository it sees).

More databases can be served by one process: ``RemoteOdoo(db,
db_filter='.*')`` plus ``add_database(name)`` (the tests give each test a
database of its own without restarting the server).

``python -m devkit.remote_odoo DB [COUNT]`` (from ``tools/``) starts a
seeded remote until Ctrl-C, for trying things by hand.
"""
import atexit
import os
import shutil
import sys
import tempfile
import time
import xmlrpc.client

from . import pg, procs
from .paths import FILESTORE, ODOO_BIN, REPO, TEMPLATE_DB, VENV_PYTHON
from .python_env import venv_odoo_addons
from .shell import DevError

#: The addons of the remote side (the example's webhook sender): never on the
#: local side's addons path.
REMOTE_ADDONS = os.path.join(REPO, 'remote_addons')


class RemoteOdooError(DevError):
    """The remote could not be created, started or reached; the message says why."""


class RemoteClient(object):
    """XML-RPC access to one database of the remote (Odoo's external API)."""

    def __init__(self, url, database, login='admin', password='admin', timeout=60):
        self.url = url
        self.database = database
        self.login = login
        self.password = password
        self.timeout = timeout
        self._uid = None

    def _proxy(self, endpoint):
        return xmlrpc.client.ServerProxy('%s/xmlrpc/2/%s' % (self.url, endpoint),
                                         allow_none=True)

    @property
    def uid(self):
        if self._uid is None:
            self._uid = self._proxy('common').authenticate(
                self.database, self.login, self.password, {})
            if not self._uid:
                raise RemoteOdooError('login %r refused by %s on %s'
                                      % (self.login, self.url, self.database))
        return self._uid

    def execute(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` on the remote."""
        return self._proxy('object').execute_kw(self.database, self.uid, self.password,
                                                model, method, list(args), kwargs)


class RemoteOdoo(object):
    """A remote Odoo 11 server process on its own port and database (see module doc)."""

    def __init__(self, database, python=None, port=None, template=TEMPLATE_DB,
                 log_path=None, db_filter=None, with_sender=False):
        self.database = pg.check_db_name(database)
        self.with_sender = with_sender
        self.python = python or os.environ.get('CONNECTOR_VENV_PYTHON') or VENV_PYTHON
        self.port = port or procs.free_port()
        self.template = template
        self.db_filter = db_filter or '^%s$' % database
        self.data_dir = tempfile.mkdtemp(prefix='remote-odoo-%s-' % database)
        self.log_path = log_path or os.path.join(self.data_dir, 'odoo.log')
        self.databases = []
        self.process = None
        atexit.register(self.close)

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.port

    @property
    def filestore(self):
        return os.path.join(self.data_dir, 'filestore')

    def client(self, database=None, **kwargs):
        return RemoteClient(self.url, database or self.database, **kwargs)

    # -- databases ----------------------------------------------------------

    def create_database(self):
        self.add_database(self.database)

    def add_database(self, name):
        """Create database ``name`` from the template (dropping a leftover first)."""
        try:
            pg.copy_db(name, self.template, self.filestore,
                       template_filestore=FILESTORE if self.template == TEMPLATE_DB else None)
        except DevError as err:
            raise RemoteOdooError(str(err)) from err
        if name not in self.databases:
            self.databases.append(name)
        return name

    def drop_database(self, name=None):
        for db in [name] if name else list(self.databases):
            pg.drop_db(db, self.filestore)
            if db in self.databases:
                self.databases.remove(db)

    # -- process ------------------------------------------------------------

    def command(self):
        return [self.python, ODOO_BIN,
                '--addons-path=%s' % ','.join(
                    [venv_odoo_addons(self.python)]
                    + ([REMOTE_ADDONS] if self.with_sender else [])),
                '--data-dir=%s' % self.data_dir,
                '-d', self.database, '--db-filter=%s' % self.db_filter,
                '--http-interface=127.0.0.1', '--http-port=%d' % self.port,
                '--workers=0', '--max-cron-threads=0', '--without-demo=all',
                '--logfile=%s' % self.log_path, '--log-level=warn']

    def start(self, timeout=90):
        """Start the server; return once it answers XML-RPC on its database."""
        if self.running():
            return self
        env = dict(os.environ)
        env.pop('ODOO_RC', None)  # the remote must not read the local config
        self.process = procs.start(self.command(), self.log_path + '.console', env=env,
                                   append=True)
        deadline = time.time() + timeout
        while True:
            if self.process.poll() is not None:
                raise RemoteOdooError('the remote Odoo exited with %s; log %s:\n%s' % (
                    self.process.returncode, self.log_path, self.log_tail()))
            try:
                xmlrpc.client.ServerProxy(self.url + '/xmlrpc/2/common').version()
                self.client().uid  # loads the registry of the database
                return self
            except (OSError, xmlrpc.client.Error, RemoteOdooError):
                if time.time() > deadline:
                    self.stop()
                    raise RemoteOdooError('the remote Odoo did not answer on %s within %s s; '
                                          'log %s:\n%s' % (self.url, timeout, self.log_path,
                                                           self.log_tail()))
                time.sleep(0.2)

    def install_webhook_sender(self, database=None):
        """Install the webhook sender addon into ``database`` (the server's by default)."""
        if not self.with_sender:
            raise RemoteOdooError('RemoteOdoo(%r) was made without with_sender=True: '
                                  'remote_addons is not on its addons path' % self.database)
        client = self.client(database)
        client.execute('ir.module.module', 'update_list')
        ids = client.execute('ir.module.module', 'search',
                             [('name', '=', 'connector_example_webhook_sender')])
        client.execute('ir.module.module', 'button_immediate_install', ids)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, grace=5):
        """Stop the server (SIGTERM, then SIGKILL), keep its database."""
        proc, self.process = self.process, None
        if proc is not None:
            procs.stop(proc, grace)

    def kill(self):
        """kill -9 the server (a crash, as the connector sees it)."""
        proc, self.process = self.process, None
        if proc is not None:
            procs.kill(proc)

    def close(self):
        """Stop the server, drop its databases and data directory. Idempotent."""
        try:
            self.stop()
        finally:
            try:
                self.drop_database()
            finally:
                shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self, lines=30):
        text = ''
        for path in (self.log_path, self.log_path + '.console'):
            try:
                with open(path, errors='replace') as fh:
                    text += ''.join(fh.readlines()[-lines:])
            except OSError:
                pass
        return text

    def __enter__(self):
        try:
            self.create_database()
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc):
        self.close()


def main(argv=None):
    """``DB [COUNT]``: start a seeded remote until Ctrl-C (manual tries)."""
    from .seeding import seed_partners
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print('usage: python -m devkit.remote_odoo DATABASE [PARTNERS]')
        return 2
    with RemoteOdoo(argv[0]) as remote:
        seed_partners(remote.client(), int(argv[1]) if len(argv) > 1 else 50)
        print('remote Odoo on %s, database %s, login admin / admin; Ctrl-C stops it and '
              'drops the database' % (remote.url, remote.database), flush=True)
        try:
            remote.process.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
