# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where things are, and what the databases are called.

Two variables rename the test databases, so that two runs on one machine
(two developers' checkouts) do not drop each other's:
``CONNECTOR_TEST_DB_PREFIX`` (default ``connector_test_``: the per-addon
databases and the tests' template copies) and ``CONNECTOR_PYTEST_DB``
(default ``connector_test_pytest``; the second pytest database adds
``_other``).
"""
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(REPO, '.venv')
VENV_PYTHON = os.path.join(VENV, 'bin', 'python')
REQUIREMENTS = os.path.join(REPO, 'requirements.txt')
VAR = os.path.join(REPO, 'var')
LOG_DIR = os.path.join(VAR, 'log')
DATA_DIR = os.path.join(VAR, 'data')
FILESTORE = os.path.join(DATA_DIR, 'filestore')
TEST_CONFIG = os.path.join(VAR, 'odoo.cfg')
DEMO_CONFIG = os.path.join(VAR, 'odoo-demo.cfg')
ODOO_BIN = os.path.join(REPO, 'tools', 'odoo-bin')
TEST_ADDONS_DIR = os.path.join(REPO, 'tests', 'addons')
STATIC_CHECKS = os.path.join(REPO, 'tools', 'static_checks.py')
UNIT_TESTS_DIR = os.path.join(REPO, 'tests', 'unit')
#: The pytest tiers under tests/, in the order ``make test`` runs them (the
#: fast tier and the browser tests have their own steps and interpreters).
PYTEST_TIERS = ('integration', 'process', 'repo')

TEMPLATE_DB = 'connector_tmpl_base'
TEMPLATE_BUILD_DB = TEMPLATE_DB + '_building'
DEMO_DB = 'connector_demo'
DEMO_ADDONS = ['connector', 'connector_example']
# Databases of the remote Odoo of tools/demo_sync.py and of the benchmark
# (RemoteOdoo drops them itself; `clean` drops leftovers of a kill -9).
REMOTE_DBS = ['connector_demo_remote', 'connector_bench_remote']
TEST_DB_PREFIX = os.environ.get('CONNECTOR_TEST_DB_PREFIX') or 'connector_test_'
PYTEST_DB = os.environ.get('CONNECTOR_PYTEST_DB') or 'connector_test_pytest'
PYTEST_OTHER_DB = PYTEST_DB + '_other'
# The pytest database has every addon of the repository and of tests/addons
# (the suites span them all); the other one only connector, to show that
# units of uninstalled addons are invisible there.
PYTEST_OTHER_ADDONS = ['connector']
# Addons of this repository that need the shop connector's Odoo (sale_stock,
# devkit.shop_odoo): never installed in the databases above, tested on copies
# of the shop template with var/odoo-shop.cfg.
SHOP_REPO_ADDONS = ['connector_oscar']


def rel(path):
    """``path`` relative to the repository (for messages)."""
    return os.path.relpath(path, REPO)
