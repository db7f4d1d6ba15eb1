# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop's template database: migrated and set up once, copied per shop.

``manage.py migrate`` of oscar takes about 40 s here, copying a database
about a second. So ``connector_oscar_tmpl`` is built once (``migrate``,
then ``connector_shop_setup``: countries, the connector's staff user with
a random API token, the partner, the product class) under a temporary
name, renamed when complete, and stamped (its COMMENT) with a hash of
what decides its content: the requirements, the settings, the app's
migrations and setup command. A change of any of them rebuilds it.
"""
import glob
import hashlib
import os
import secrets
import subprocess
import time

from . import pg
from .oscar_env import OSCAR_DIR, OSCAR_REQUIREMENTS, ensure_oscar_venv
from .paths import LOG_DIR, rel
from .shell import DevError, say, tail

TEMPLATE = 'connector_oscar_tmpl'
STAFF_USER = 'connector'
#: A local test shop on 127.0.0.1 only; the API token is random per template.
STAFF_PASSWORD = 'connector'


def template_hash():
    files = [OSCAR_REQUIREMENTS, os.path.join(OSCAR_DIR, 'shop_site', 'settings.py'),
             os.path.join(OSCAR_DIR, 'connector_webhooks', 'management', 'commands',
                          'connector_shop_setup.py')]
    files += sorted(glob.glob(os.path.join(OSCAR_DIR, 'connector_webhooks', 'migrations',
                                           '*.py')))
    digest = hashlib.sha256()
    for path in files:
        with open(path, 'rb') as fh:
            digest.update(os.path.relpath(path, OSCAR_DIR).encode() + b'\0' + fh.read())
    return digest.hexdigest()


def shop_env(database, **extra):
    """The environment of a shop process (settings read it, see shop_site/settings.py)."""
    env = dict(os.environ, OSCAR_SHOP_DB=database, DJANGO_SETTINGS_MODULE='shop_site.settings',
               PYTHONDONTWRITEBYTECODE='1')
    env.pop('PYTHONPATH', None)  # the Odoo side's paths mean nothing to the shop
    env.update(extra)
    return env


def manage(database, *args, log=None):
    """``manage.py ARGS`` on ``database`` in the shop's venv; its output, DevError on failure."""
    python = ensure_oscar_venv()
    proc = subprocess.run([python, 'manage.py'] + list(args), cwd=OSCAR_DIR,
                          env=shop_env(database), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True,
                          stdin=subprocess.DEVNULL)
    if log:
        with open(log, 'a') as fh:
            fh.write('$ manage.py %s\n%s' % (' '.join(args), proc.stdout))
    if proc.returncode != 0:
        raise DevError('shop database %s: manage.py %s failed (exit %s):\n%s'
                       % (database, ' '.join(args), proc.returncode, proc.stdout[-3000:]))
    return proc.stdout


def ensure_template():
    """Build the template unless it exists with the current hash; its name."""
    stamp = 'oscar-template-sha256:%s' % template_hash()
    if pg.db_exists(TEMPLATE) and pg.psql(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = '%s'" % TEMPLATE) == stamp:
        return TEMPLATE
    building = TEMPLATE + '_building'
    os.makedirs(LOG_DIR, exist_ok=True)
    log = os.path.join(LOG_DIR, 'oscar-template.log')
    say('oscar: building the shop template %s (migrate, about a minute; log %s)'
        % (TEMPLATE, rel(log)))
    t0 = time.time()
    pg.drop_db(building)
    pg.psql('CREATE DATABASE "%s"' % building)
    try:
        manage(building, 'migrate', '--no-input', '-v', '0', log=log)
        manage(building, 'connector_shop_setup', '--username', STAFF_USER,
               '--password', STAFF_PASSWORD, '--token', secrets.token_hex(20), log=log)
    except DevError as err:
        raise DevError('%s\nlog: %s\n%s' % (err, rel(log), tail(log, 10))) from err
    pg.drop_db(TEMPLATE)
    pg.psql('ALTER DATABASE "%s" RENAME TO "%s"' % (building, TEMPLATE))
    pg.psql("COMMENT ON DATABASE \"%s\" IS '%s'" % (TEMPLATE, stamp))
    say('oscar: template %s built in %.0f s' % (TEMPLATE, time.time() - t0))
    return TEMPLATE


def copy_template(name, attempts=20):
    """A fresh database ``name`` copied from the template (a leftover dropped first)."""
    ensure_template()
    pg.drop_db(name)
    for attempt in range(attempts):
        try:
            pg.psql('CREATE DATABASE "%s" TEMPLATE "%s"' % (pg.check_db_name(name), TEMPLATE))
            return name
        except pg.PgError as err:
            if 'is being accessed by other users' not in str(err) or attempt == attempts - 1:
                raise
            time.sleep(0.5)
    return name


def staff_token(database):
    """The API token of the connector's staff user in ``database``."""
    token = pg.psql("SELECT t.key FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id "
                    "WHERE u.username = %s" % pg.literal(STAFF_USER), db=database)
    if not token:
        raise DevError('shop database %s has no API token for %r: recreate the shop '
                       '(RemoteShop.create())' % (database, STAFF_USER))
    return token
