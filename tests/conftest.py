"""pytest configuration for the suites under tests/.

``make test`` (``tools/dev.py test``) creates two fresh databases, then runs
``.venv/bin/python -m pytest --odoo-config=var/odoo.cfg
--odoo-database=connector_test_pytest tests/ -p no:cacheprovider`` with
these environment variables:

CONNECTOR_TEST_DB
    ``connector_test_pytest``: every addon of the repository and of
    ``tests/addons`` installed (with demo data, without running their tests).
CONNECTOR_TEST_OTHER_DB
    ``connector_test_pytest_other``: only ``connector`` installed.
CONNECTOR_ODOO_CONFIG
    absolute path of ``var/odoo.cfg`` (addons_path: repo root,
    ``tests/addons``, the venv's ``odoo/addons``; Unix-socket PostgreSQL).
CONNECTOR_VENV_PYTHON
    absolute path of ``.venv/bin/python`` (Python 3.7 with requirements.txt),
    for tests that start other Odoo or pip processes.
CONNECTOR_REPO
    absolute path of the repository root.

To iterate on one file: ``tools/dev.py pytest tests/test_x.py -x`` (fresh
databases, same variables). When a variable is unset (pytest started by
hand), the fixtures below fall back to the same default paths and names.
"""
import os

import pytest

_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _env(name, default):
    return os.environ.get(name) or default


@pytest.fixture(scope='session')
def connector_repo():
    """Absolute path of the repository root (CONNECTOR_REPO)."""
    return _env('CONNECTOR_REPO', _REPO)


@pytest.fixture(scope='session')
def venv_python(connector_repo):
    """The venv's Python 3.7 (CONNECTOR_VENV_PYTHON)."""
    path = _env('CONNECTOR_VENV_PYTHON', os.path.join(connector_repo, '.venv', 'bin', 'python'))
    if not os.path.exists(path):
        pytest.fail('%s missing: run the tests with `make test`' % path)
    return path


@pytest.fixture(scope='session')
def odoo_config_path(connector_repo):
    """The Odoo config of the test command (CONNECTOR_ODOO_CONFIG)."""
    path = _env('CONNECTOR_ODOO_CONFIG', os.path.join(connector_repo, 'var', 'odoo.cfg'))
    if not os.path.exists(path):
        pytest.fail('%s missing: run the tests with `make test`' % path)
    return path
