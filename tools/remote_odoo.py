# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A real "remote" Odoo server for the example connector: start, seed, stop.

``connector_example`` synchronizes partners with another Odoo over
XML-RPC. Its demo (``tools/demo_sync.py``), its end-to-end tests
(``tests/test_example_*.py``) and its benchmark
(``benchmarks/bench_example_import.py``) all need such a remote: a second
Odoo 11 server process with its own database, on a free port. This module
(stdlib only, so it runs under any Python) starts one and seeds it::

    with RemoteOdoo('connector_demo_remote') as remote:   # createdb + start
        client = remote.client()                         # admin / admin
        seed_partners(client, 300)                       # companies + contacts
        ...                                              # point a backend at remote.url
    # the server is killed and its database dropped, also on an exception

What it does:

- ``create_database()``: ``CREATE DATABASE ... TEMPLATE connector_tmpl_base``
  (the template ``tools/dev.py`` builds: only ``base``, no demo data, login
  admin / admin), after dropping a leftover of the same name.
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

More databases can be served by one process: ``RemoteOdoo(db,
db_filter='.*')`` plus ``add_database(name)`` (the tests give each test a
database of its own without restarting the server).

PostgreSQL is reached over its Unix socket as the current OS user, as
everywhere in this repository (``psql`` must be on PATH).
"""
import atexit
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_PYTHON = os.path.join(REPO, '.venv', 'bin', 'python')
ODOO_BIN = os.path.join(REPO, 'tools', 'odoo-bin')
TEMPLATE_DB = 'connector_tmpl_base'
TEMPLATE_FILESTORE = os.path.join(REPO, 'var', 'data', 'filestore', TEMPLATE_DB)

CATEGORIES = ['Customer', 'Supplier', 'Prospect', 'Reseller']
COUNTRY_CODES = ['BE', 'FR', 'DE', 'NL', 'ES', 'IT', 'GB', 'US', 'CA', 'JP']
SEED_CONTEXT = {'install_mode': True}
CITIES = ['Brussels', 'Paris', 'Berlin', 'Amsterdam', 'Madrid', 'Rome', 'London',
          'New York', 'Toronto', 'Tokyo']


class RemoteOdooError(Exception):
    """The remote could not be created, started or reached; the message says why."""


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _check_db_name(name):
    if not re.match(r'^[a-z0-9_]+$', name):
        raise RemoteOdooError('unexpected database name %r (use [a-z0-9_])' % name)
    return name


def psql(sql, db='postgres'):
    """Run one SQL statement with psql (Unix socket); its output."""
    proc = subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-d', db,
                           '-c', sql], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if proc.returncode != 0:
        raise RemoteOdooError('psql failed: %s\n%s' % (sql, proc.stdout.strip()))
    return proc.stdout.strip()


def venv_odoo_addons(python):
    """The ``odoo/addons`` folder of the venv that ``python`` belongs to."""
    venv = os.path.dirname(os.path.dirname(python))
    found = glob.glob(os.path.join(venv, 'lib', 'python3*', 'site-packages', 'odoo', 'addons'))
    if not found:
        raise RemoteOdooError('no odoo/addons under %s: run `make setup` first' % venv)
    return found[0]


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
                 log_path=None, db_filter=None):
        self.database = _check_db_name(database)
        self.python = python or os.environ.get('CONNECTOR_VENV_PYTHON') or DEFAULT_PYTHON
        self.port = port or free_port()
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

    def client(self, database=None, **kwargs):
        return RemoteClient(self.url, database or self.database, **kwargs)

    # -- databases ----------------------------------------------------------

    def create_database(self):
        self.add_database(self.database)

    def add_database(self, name, attempts=20):
        """Create database ``name`` from the template (dropping a leftover first)."""
        name = _check_db_name(name)
        self._drop(name)
        for attempt in range(attempts):
            try:
                psql('CREATE DATABASE "%s" TEMPLATE "%s"' % (name, self.template))
                break
            except RemoteOdooError as err:
                # another process may be copying the template right now
                if 'is being accessed by other users' not in str(err) or \
                        attempt == attempts - 1:
                    raise
                time.sleep(0.5)
        psql("UPDATE ir_config_parameter SET value = gen_random_uuid()::text "
             "WHERE key = 'database.uuid'", db=name)
        source = TEMPLATE_FILESTORE if self.template == TEMPLATE_DB else None
        if source and os.path.isdir(source):
            shutil.copytree(source, os.path.join(self.data_dir, 'filestore', name))
        if name not in self.databases:
            self.databases.append(name)
        return name

    def drop_database(self, name=None):
        for db in [name] if name else list(self.databases):
            self._drop(db)
            if db in self.databases:
                self.databases.remove(db)

    def _drop(self, name):
        psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % _check_db_name(name))
        shutil.rmtree(os.path.join(self.data_dir, 'filestore', name), ignore_errors=True)

    # -- process ------------------------------------------------------------

    def command(self):
        return [self.python, ODOO_BIN,
                '--addons-path=%s' % venv_odoo_addons(self.python),
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
        with open(self.log_path + '.console', 'ab') as console:
            self.process = subprocess.Popen(
                self.command(), stdout=console, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, env=env, start_new_session=True)
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

    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, grace=5):
        """Stop the server (SIGTERM, then SIGKILL), keep its database."""
        proc, self.process = self.process, None
        if proc is None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 30)):
            if proc.poll() is not None:
                break
            try:
                os.killpg(proc.pid, sig)
            except OSError:
                pass
            try:
                proc.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        try:  # children of the group, if any survived their parent
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass

    def kill(self):
        """kill -9 the server (a crash, as the connector sees it)."""
        self.stop(grace=0)

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


# -- seeding ----------------------------------------------------------------

def seed_partners(client, count, contacts_per_company=4, suffix='', progress=None):
    """Create ``count`` partners on the remote: companies, each with its contacts.

    One partner in ``contacts_per_company + 1`` is a company; the others
    are its contacts (``parent_id``). Countries come by ISO code from
    ``COUNTRY_CODES``, categories from ``CATEGORIES`` (names + ``suffix``,
    created when missing): every company has one or two, contacts none or
    one. Names are ``Company 0001`` and ``Contact 0001-2`` (+ ``suffix``).
    Creates run with ``install_mode`` in their context, which makes Odoo 11
    skip drawing a default avatar: 40% faster, and avatars are not synced.

    Returns ``{'companies': [ids], 'contacts': [ids], 'categories':
    {name: id}}``. ``progress(done, count)`` is called every 50 partners.
    """
    countries = {}
    for country in client.execute('res.country', 'search_read',
                                  [('code', 'in', COUNTRY_CODES)], fields=['code']):
        countries[country['code']] = country['id']
    categories = {}
    for name in CATEGORIES:
        name += suffix
        found = client.execute('res.partner.category', 'search', [('name', '=', name)])
        categories[name] = found[0] if found else client.execute(
            'res.partner.category', 'create', {'name': name})
    category_ids = list(categories.values())
    result = {'companies': [], 'contacts': [], 'categories': categories}
    done, number = 0, 0
    while done < count:
        number += 1
        code = COUNTRY_CODES[number % len(COUNTRY_CODES)]
        company = client.execute('res.partner', 'create', context=SEED_CONTEXT, vals={
            'name': 'Company %04d%s' % (number, suffix), 'is_company': True,
            'email': 'info@company%04d.example.com' % number,
            'phone': '+32 2 %03d %02d %02d' % (number % 1000, number % 97, number % 89),
            'street': '%d Main Street' % number, 'city': CITIES[number % len(CITIES)],
            'zip': '%05d' % (1000 + number), 'country_id': countries.get(code),
            'category_id': [(6, 0, category_ids[number % 4:number % 4 + 1 + number % 2])],
        })
        result['companies'].append(company)
        done += 1
        for index in range(1, contacts_per_company + 1):
            if done >= count:
                break
            contact = client.execute('res.partner', 'create', context=SEED_CONTEXT, vals={
                'name': 'Contact %04d-%d%s' % (number, index, suffix), 'parent_id': company,
                'email': 'person%d@company%04d.example.com' % (index, number),
                'country_id': countries.get(code),
                'category_id': [(6, 0, category_ids[index % 4:index % 4 + index % 2])],
            })
            result['contacts'].append(contact)
            done += 1
            if progress and done % 50 == 0:
                progress(done, count)
    return result


def seed_awkward_partners(client, suffix=''):
    """Create on the remote the partners real databases hold, that naive syncs get wrong.

    - ``Ghost Corp``: a company without an address whose contacts (of three
      countries) have their own addresses: they were created first and
      given their company afterwards, so Odoo kept their addresses;
    - ``Nomad Holdings``: a company created without an address, then its
      contacts: Odoo gave the first contact's address to the company and
      copied it onto the next contact of type *contact*; its invoice
      address keeps its own;
    - ``Mega Group`` > ``Mega Sales`` (a company under a company) > a contact
      and a delivery address: a 3-level chain;
    - ``Old Co``: an archived company with active contacts;
    - names and streets in other scripts, and partners with nothing but a
      name.

    Returns ``{name without suffix: remote id}``.
    """
    countries = {c['code']: c['id'] for c in client.execute(
        'res.country', 'search_read', [('code', 'in', ['BE', 'JP', 'BR', 'RU', 'EG', 'IS'])],
        fields=['code'])}
    ids = {}

    def create(name, **values):
        values['name'] = name + suffix
        if 'country' in values:
            values['country_id'] = countries[values.pop('country')]
        ids[name] = client.execute('res.partner', 'create', values, context=SEED_CONTEXT)
        return ids[name]

    ghost = create('Ghost Corp', is_company=True, email='hello@ghost.example')
    for name, street, city, zip_code, country in (
            ('Ghost Brussels', 'Rue Haute 1', 'Bruxelles', '1000', 'BE'),
            ('Ghost Tokyo', '千代田1-1', '東京', '100-0001', 'JP'),
            ('Ghost São Paulo', 'Avenida Paulista 1000', 'São Paulo', '01310-100', 'BR')):
        contact = create(name, street=street, city=city, zip=zip_code, country=country,
                         phone='+1 555 0100')
        client.execute('res.partner', 'write', [contact], {'parent_id': ghost})
    nomad = create('Nomad Holdings', is_company=True)
    create('Nomad First', parent_id=nomad, street='Reykjavíkurvegur 5', city='Reykjavík',
           zip='101', country='IS')
    create('Nomad Second', parent_id=nomad, street='Tverskaya 7', city='Moscow',
           country='RU')
    create('Nomad Invoices', parent_id=nomad, type='invoice', street='Tahrir Square 3',
           city='Cairo', country='EG')
    group = create('Mega Group', is_company=True, street='1 Group Plaza', city='Antwerp',
                   zip='2000', country='BE')
    sales = create('Mega Sales', is_company=True, parent_id=group, street='2 Sales Lane',
                   city='Ghent', zip='9000', country='BE')
    create('Mega Seller', parent_id=sales, email='seller@mega.example')
    create('Mega Warehouse', parent_id=sales, type='delivery', street='Dock 9',
           city='Zeebrugge', zip='8380', country='BE')
    old = create('Old Co', is_company=True, street='Old Street 1', city='Liège', country='BE')
    create('Old Co Keeper', parent_id=old, phone='+32 4 000 00 00')
    client.execute('res.partner', 'write', [old], {'active': False})
    create('Old Co Late', parent_id=old)
    create('Иван Петров', street='Невский проспект 1', city='Санкт-Петербург', country='RU')
    create('محمد علي', city='القاهرة', country='EG')
    create('李小龍 🚀')
    create('Nameonly')
    return ids


# -- comparing both sides ---------------------------------------------------

SYNCED_FIELDS = ('name', 'type', 'email', 'phone', 'street', 'city', 'zip', 'is_company',
                 'active')
"""Fields of a partner that connector_example synchronizes as they are; the parent,
country and categories are compared by remote id, ISO code and names."""


def remote_partner_state(client):
    """{remote id (text): {field: value}} of every remote partner, archived ones too."""
    codes = {c['id']: c['code'] for c in client.execute(
        'res.country', 'search_read', [], fields=['code'])}
    categories = {c['id']: c['name'] for c in client.execute(
        'res.partner.category', 'search_read', [], fields=['name'])}
    state = {}
    for partner in client.execute(
            'res.partner', 'search_read', [],
            fields=list(SYNCED_FIELDS) + ['parent_id', 'country_id', 'category_id'],
            context={'active_test': False}):
        values = {name: partner[name] or False for name in SYNCED_FIELDS}
        values['parent'] = str(partner['parent_id'][0]) if partner['parent_id'] else False
        values['country'] = codes[partner['country_id'][0]] if partner['country_id'] else False
        values['categories'] = sorted(categories[i] for i in partner['category_id'])
        state[str(partner['id'])] = values
    return state


def local_partner_state(env, backend_id, binding_model='example.res.partner'):
    """{external id: {field: value}} of the partners bound to a backend, in Odoo ``env``."""
    bindings = env[binding_model].with_context(active_test=False).search(
        [('backend_id', '=', backend_id)])
    parents = {binding.openerp_id.id: binding.external_id for binding in bindings}
    state = {}
    for binding in bindings:
        partner = binding.openerp_id
        values = {name: partner[name] or False for name in SYNCED_FIELDS}
        values['parent'] = parents.get(partner.parent_id.id, 'unbound') \
            if partner.parent_id else False
        values['country'] = partner.country_id.code or False
        values['categories'] = sorted(partner.category_id.mapped('name'))
        state[binding.external_id] = values
    return state


def state_differences(remote, local):
    """Lines saying how two states differ (ids on one side only, fields that differ)."""
    lines = ['remote partner %s is not bound here' % i for i in sorted(set(remote) - set(local))]
    lines += ['bound to remote id %s, which does not exist' % i
              for i in sorted(set(local) - set(remote))]
    for external_id in sorted(set(remote) & set(local)):
        there, here = remote[external_id], local[external_id]
        if here != there:
            lines.append('%s %r: %s' % (external_id, there['name'], ', '.join(
                '%s here %r, remote %r' % (name, here[name], value)
                for name, value in sorted(there.items()) if here[name] != value)))
    return lines


class JobRunners(object):
    """``odoo-bin jobrunner`` worker processes on a database, for a demo or a benchmark.

    ``start()`` launches one process per name (each in its own process
    group, with its own log file); ``stop()`` sends SIGTERM (a worker
    finishes its running job) and SIGKILLs a worker still alive after
    ``grace`` seconds. ``dead()`` lists the workers that exited.
    """

    def __init__(self, config, database, names, log_dir, python=None):
        self.config = config
        self.database = database
        self.names = list(names)
        self.log_dir = log_dir
        self.python = python or sys.executable
        self.processes = []

    def start(self):
        env = dict(os.environ, ODOO_RC=self.config)
        for name in self.names:
            log = os.path.join(self.log_dir, '%s.log' % name)
            process = subprocess.Popen(
                [self.python, ODOO_BIN, 'jobrunner', '-c', self.config, '-d', self.database,
                 '--worker-name', name, '--logfile', log],
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT, start_new_session=True)
            process.log = log
            self.processes.append(process)
        return self

    def dead(self):
        return [process for process in self.processes if process.poll() is not None]

    def stop(self, grace=30):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []


def main(argv=None):
    """``remote_odoo.py DB [COUNT]``: start a seeded remote until Ctrl-C (manual tries)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print('usage: %s DATABASE [PARTNERS]' % sys.argv[0])
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
