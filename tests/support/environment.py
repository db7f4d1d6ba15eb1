# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures for the variables ``tools/dev.py`` exports (see ``tests/conftest.py``).

When a variable is unset (pytest started by hand), the same default paths
are used. Stdlib and pytest only: the browser tests (``.venv-browser``)
load this module too.
"""
import os

import pytest

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


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
