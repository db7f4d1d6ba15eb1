# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A real django-oscar shop for connector_oscar: create, start, stop, reach it.

The shop (``remote_oscar/``: django-oscar 3.2 + django-oscar-api 3.3 and
the repository's ``connector_webhooks`` app) runs in its own venv
(``oscar_env``), on its own PostgreSQL database of the project's cluster
(``PGPORT``), as two processes of their own process groups: gunicorn
(``WORKERS`` workers: concurrent requests) on a free port of 127.0.0.1,
and the webhook sender (``manage.py connector_webhook_sender``). Stdlib
only: the tests drive it from the Odoo venv's Python 3.7::

    with RemoteShop('connector_oscar_demo') as shop:   # create() + start()
        admin = shop.admin()                            # staff API client (token)
        admin.create_product('SKU-1', 'Blue mug', '12.50', stock=10)
        customer = ShopCustomer(shop.url, 'anna@example.com')
        customer.register_and_login()
        number = customer.buy([('SKU-1', 2)], FRENCH_ADDRESS)['number']
        shop.set_webhook_target(url, secret)            # push to an Odoo backend
    # both processes stopped, the database dropped, also on an exception

- ``create()``: the database, copied from the template ``oscar_template``
  builds once (migrations take 40 s, a copy a second).
- ``start()``: returns when the API answers the staff token, or raises
  ``ShopError`` with the log's tail; ``stop()`` stops both processes
  (SIGTERM, then SIGKILL); ``restart()`` keeps port and database (tests
  stop the shop in the middle of an import); ``drop()``, ``close()``.
- Logs: ``var/log/oscar-<database>.log`` and ``...-sender.log``.

``python3 tools/dev.py oscar start|stop|create|drop`` runs one by hand.
"""
import atexit
import os
import time
import urllib.error
import urllib.request

from . import pg, procs
from .oscar_env import OSCAR_DIR, ensure_oscar_venv
from .oscar_template import STAFF_PASSWORD, STAFF_USER, copy_template, manage, shop_env, staff_token
from .paths import LOG_DIR, VAR
from .shell import DevError
from .shop_clients import ShopAdmin

WORKERS = 2


class ShopError(DevError):
    """The shop could not be created, started or reached; the message says why."""


class RemoteShop(object):
    """A django-oscar shop on its own database and port (see module doc)."""

    staff_user = STAFF_USER
    staff_password = STAFF_PASSWORD

    def __init__(self, database, port=None, workers=WORKERS):
        self.database = pg.check_db_name(database)
        self.port = port or procs.free_port()
        self.workers = workers
        self.log_path = os.path.join(LOG_DIR, 'oscar-%s.log' % database)
        self.sender_log_path = os.path.join(LOG_DIR, 'oscar-%s-sender.log' % database)
        self.media_root = os.path.join(VAR, 'oscar', database, 'media')
        self.server = None
        self.sender = None
        self._token = None
        atexit.register(self.stop)

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.port

    @property
    def token(self):
        """The staff API token (``Authorization: Token <token>``)."""
        if self._token is None:
            self._token = staff_token(self.database)
        return self._token

    def admin(self, timeout=30):
        """A client of the staff API (``/api/admin/``, ``/api/connector/``)."""
        return ShopAdmin(self.url, self.token, timeout=timeout)

    # -- database -----------------------------------------------------------

    def create(self):
        """A fresh database from the template (a leftover of that name dropped)."""
        ensure_oscar_venv()
        try:
            copy_template(self.database)
        except DevError as err:
            raise ShopError('shop %s: %s' % (self.database, err)) from err
        self._token = None
        return self

    def exists(self):
        return pg.db_exists(self.database)

    def manage(self, *args):
        """``manage.py ARGS`` on this shop's database; its output."""
        return manage(self.database, *args)

    def set_webhook_target(self, url, secret, name='odoo', timeout=10):
        """Push this shop's order events to ``url`` signed with ``secret`` (whsec_...)."""
        return self.manage('connector_webhook_target', '--name', name, '--url', url,
                           '--secret', secret, '--timeout', str(timeout))

    def drop(self):
        self.stop()
        pg.drop_db(self.database)

    # -- processes ------------------------------------------------------------

    def _env(self):
        return shop_env(self.database, OSCAR_SHOP_MEDIA_ROOT=self.media_root)

    def start(self, timeout=90):
        """Start gunicorn and the sender; return once the staff API answers."""
        python = ensure_oscar_venv()
        if not self.exists():
            raise ShopError('shop database %s does not exist: create() it first (python3 '
                            'tools/dev.py oscar create)' % self.database)
        os.makedirs(LOG_DIR, exist_ok=True)
        os.makedirs(self.media_root, exist_ok=True)
        if not self._running(self.server):
            gunicorn = os.path.join(os.path.dirname(python), 'gunicorn')
            self.server = procs.start(
                [gunicorn, '--bind', '127.0.0.1:%d' % self.port, '--workers',
                 str(self.workers), '--timeout', '120', '--graceful-timeout', '5',
                 '--access-logfile', '-', 'shop_site.wsgi:application'],
                self.log_path, env=self._env(), cwd=OSCAR_DIR, append=True)
        if not self._running(self.sender):
            self.sender = procs.start([python, 'manage.py', 'connector_webhook_sender'],
                                      self.sender_log_path, env=self._env(), cwd=OSCAR_DIR,
                                      append=True)
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout):
        deadline = time.time() + timeout
        request = urllib.request.Request(self.url + '/api/connector/orders/',
                                         headers={'Authorization': 'Token %s' % self.token})
        while True:
            for name, proc in (('gunicorn', self.server), ('the webhook sender', self.sender)):
                if proc.poll() is not None:
                    code = proc.returncode
                    self.stop()
                    raise ShopError('shop %s: %s exited with %s; log:\n%s'
                                    % (self.database, name, code, self.log_tail()))
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.HTTPError):
                pass
            if time.time() > deadline:
                self.stop()
                raise ShopError('shop %s did not answer on %s within %s s; log:\n%s'
                                % (self.database, self.url, timeout, self.log_tail()))
            time.sleep(0.2)

    @staticmethod
    def _running(proc):
        return proc is not None and proc.poll() is None

    def running(self):
        return self._running(self.server)

    def stop(self, grace=10):
        """Stop gunicorn and the sender (SIGTERM, SIGKILL after ``grace`` s); keep the data."""
        for attr in ('server', 'sender'):
            proc = getattr(self, attr)
            setattr(self, attr, None)
            if proc is not None:
                procs.stop(proc, grace)

    def restart(self, timeout=90):
        """Stop, then start on the same port and database."""
        self.stop()
        return self.start(timeout)

    def close(self):
        """Stop and drop the database. Idempotent."""
        self.drop()

    def log_tail(self, chars=3000):
        return (procs.log_tail(self.log_path, chars)
                + procs.log_tail(self.sender_log_path, chars // 2))

    def __enter__(self):
        try:
            self.create()
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc):
        self.close()
