# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The template database ``connector_tmpl_base``, and the copies made from it.

Installing ``base`` takes about 30 s; copying a database a second. So
``base`` is installed once (no demo data, only the wheel's addons on the
path, so the template depends on nothing of this repository) and every
other database is a copy. The template is built as
``connector_tmpl_base_building`` and renamed when the build succeeded, so
an interrupted build never leaves a half-made one; the requirements hash
is kept as the database's COMMENT and the template is rebuilt when it
differs.
"""
import os
import time

from . import pg
from .odoo_run import run_odoo
from .paths import FILESTORE, LOG_DIR, TEMPLATE_BUILD_DB, TEMPLATE_DB, TEST_CONFIG, rel
from .python_env import venv_odoo_addons
from .shell import DevError, say, tail
from .testlog import parse_test_log


def ensure_template(req_hash):
    """Build the template unless it exists with this requirements hash."""
    stamp = 'requirements-sha256:%s' % req_hash
    comment = pg.psql("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                      "WHERE datname = '%s'" % TEMPLATE_DB)
    if pg.db_exists(TEMPLATE_DB) and comment == stamp and \
            os.path.isdir(os.path.join(FILESTORE, TEMPLATE_DB)):
        say('template: %s is current' % TEMPLATE_DB)
        return
    say('template: building %s (base only, no demo; about 30 s)' % TEMPLATE_DB)
    t0 = time.time()
    pg.drop_db(TEMPLATE_BUILD_DB, FILESTORE)
    logfile = os.path.join(LOG_DIR, 'template.log')
    args = ['-d', TEMPLATE_BUILD_DB, '-i', 'base', '--without-demo=all', '--stop-after-init',
            '--addons-path=%s' % venv_odoo_addons()]
    rc = run_odoo(TEST_CONFIG, args, logfile)
    parsed = parse_test_log(logfile)
    if rc != 0 or parsed['problems'] or pg.module_states(
            TEMPLATE_BUILD_DB, ['base']).get('base', ('',))[0] != 'installed':
        raise DevError('building the template database failed (exit %s); log: %s\n%s\n%s'
                       % (rc, rel(logfile), '\n'.join(parsed['problems'][:20]),
                          tail(logfile + '.console', 10)))
    pg.drop_db(TEMPLATE_DB, FILESTORE)
    pg.psql('ALTER DATABASE "%s" RENAME TO "%s"' % (TEMPLATE_BUILD_DB, TEMPLATE_DB))
    pg.psql("COMMENT ON DATABASE \"%s\" IS '%s'" % (TEMPLATE_DB, stamp))
    if os.path.isdir(os.path.join(FILESTORE, TEMPLATE_BUILD_DB)):
        os.rename(os.path.join(FILESTORE, TEMPLATE_BUILD_DB),
                  os.path.join(FILESTORE, TEMPLATE_DB))
    say('template: %s built in %.0f s' % (TEMPLATE_DB, time.time() - t0))


def create_db_from_template(name):
    """A fresh copy of the template named ``name`` (database and filestore)."""
    return pg.copy_db(name, TEMPLATE_DB, FILESTORE)


def drop_db(name):
    pg.drop_db(name, FILESTORE)
