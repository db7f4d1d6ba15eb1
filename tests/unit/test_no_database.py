# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The fast tier itself: no PostgreSQL connection can be opened, no registry is loaded."""
import sys

import pytest
from odoo import sql_db

from conftest import DatabaseUsed


def test_opening_a_cursor_fails_before_reaching_postgresql():
    """Odoo's own connection path hits the guard, so a test needing the database fails here."""
    with pytest.raises(DatabaseUsed) as caught:
        sql_db.db_connect('connector_unit_probe').cursor()
    assert str(caught.value).startswith(
        'the fast tier (tests/unit) opened a PostgreSQL connection (')
    assert 'move the test to the integration tier (tests/integration)' in str(caught.value)


def test_no_registry_and_no_database_fixture_are_loaded():
    """pytest-odoo is off and tests/conftest.py (database fixtures) was not read."""
    from odoo.modules.registry import Registry
    assert not Registry.registries
    assert 'pytest_odoo' not in sys.modules
    assert not any(getattr(module, '__file__', '') and
                   module.__file__.endswith('tests/conftest.py') and 'unit' not in module.__file__
                   for module in list(sys.modules.values()))
