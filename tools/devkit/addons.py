# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The repository's addons, and the Odoo configurations the commands write.

Addons: ``connector`` and ``connector_example`` at the root, the test
addons under ``tests/addons``, and (a tooling self-test) the folders of
``CONNECTOR_EXTRA_ADDONS=DIR[:DIR]``. Configurations: ``var/odoo.cfg``
(tests: every addon folder and the venv's ``odoo/addons``) and
``var/odoo-demo.cfg`` (the same without the test addons), rewritten at
every run; logs in ``var/log/``, filestore in ``var/data/``.
"""
import ast
import os

from .paths import DATA_DIR, LOG_DIR, REPO, SHOP_REPO_ADDONS, TEST_ADDONS_DIR
from .python_env import venv_odoo_addons
from .shell import DevError


def find_addons(directory):
    """Names of the addons (folders with a ``__manifest__.py``) in ``directory``."""
    if not os.path.isdir(directory):
        return []
    return sorted(name for name in os.listdir(directory)
                  if os.path.isfile(os.path.join(directory, name, '__manifest__.py')))


def extra_addon_dirs():
    dirs = [os.path.abspath(d) for d in
            os.environ.get('CONNECTOR_EXTRA_ADDONS', '').split(':') if d]
    for d in dirs:
        if not find_addons(d):
            raise DevError('CONNECTOR_EXTRA_ADDONS: no addon in %s' % d)
    return dirs


def addon_dirs(with_tests):
    """Addon directories of this repository (+ test and extra ones for the test config)."""
    dirs = [REPO]
    if with_tests:
        if find_addons(TEST_ADDONS_DIR):
            dirs.append(TEST_ADDONS_DIR)
        dirs += extra_addon_dirs()
    return dirs


def all_test_addons():
    """(addon name, directory) of every addon the test command runs on the main Odoo
    (the shop connector's addons, ``SHOP_REPO_ADDONS``, have their own)."""
    return [(name, d) for d in addon_dirs(with_tests=True) for name in find_addons(d)
            if name not in SHOP_REPO_ADDONS]


def shop_test_addons():
    """(addon name, directory) of the addons tested on the shop Odoo (``shop_odoo``)."""
    return [(name, REPO) for name in SHOP_REPO_ADDONS
            if os.path.isfile(os.path.join(REPO, name, '__manifest__.py'))]


def manifest(addon_dir):
    with open(os.path.join(addon_dir, '__manifest__.py')) as fh:
        return ast.literal_eval(fh.read())


def local_dependencies(addon):
    """Transitive dependencies of ``addon`` that are addons of this repository."""
    dirs = dict((name, os.path.join(d, name))
                for name, d in all_test_addons() + shop_test_addons())
    seen, todo = [], list(manifest(dirs[addon]).get('depends', []))
    while todo:
        dep = todo.pop()
        if dep in dirs and dep not in seen:
            seen.append(dep)
            todo += manifest(dirs[dep]).get('depends', [])
    return sorted(seen)


def write_config(path, with_tests):
    """Write an Odoo config (Unix-socket PostgreSQL, this repository's addons)."""
    paths = addon_dirs(with_tests) + [venv_odoo_addons()]
    os.makedirs(LOG_DIR, exist_ok=True)
    os.makedirs(DATA_DIR, exist_ok=True)
    content = '\n'.join([
        '; Written by tools/dev.py (%s); rewritten at every run, do not edit.'
        % ('test command: includes tests/addons' if with_tests else 'demo: no test addons'),
        '[options]',
        'addons_path = %s' % ','.join(paths),
        'data_dir = %s' % DATA_DIR,
        '; Unix socket, role = current OS user (no db_host: over TCP a password is asked)',
        'db_host = False',
        'db_port = False',
        'db_user = False',
        'db_password = False',
        'without_demo = False',
        '',
    ])
    with open(path, 'w') as fh:
        fh.write(content)
    return path
