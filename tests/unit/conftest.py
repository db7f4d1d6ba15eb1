# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The fast tier: pure modules and doctests, without PostgreSQL or an Odoo server.

Run it with ``.venv/bin/python -m pytest tests/unit`` (a few seconds).
``pytest.ini`` beside this file keeps pytest away from ``tests/conftest.py``
and pytest-odoo. Here, before any test module is imported:

- Odoo's addons path lists the repository root, ``tests/addons`` and
  Odoo's own addons, so that ``odoo.addons.connector...`` imports; no
  registry is loaded, no configuration file read;
- ``psycopg2.connect`` raises ``DatabaseUsed``: a test that needs the
  database belongs to the integration tier (``tests/integration``), and the tier
  passes the same with PostgreSQL stopped.
"""
import os

import odoo
import psycopg2
from odoo.modules.module import initialize_sys_path
from odoo.tools import config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class DatabaseUsed(AssertionError):
    """A fast-tier test tried to connect to PostgreSQL."""


def refuse_connection(*args, **kwargs):
    raise DatabaseUsed(
        'the fast tier (tests/unit) opened a PostgreSQL connection (%s): test it '
        'without the database, or move the test to the integration tier (tests/integration).'
        % ', '.join('%s=%r' % item for item in sorted(kwargs.items()) if item[0] != 'password'))


psycopg2.connect = refuse_connection

config['addons_path'] = ','.join([
    REPO, os.path.join(REPO, 'tests', 'addons'),
    os.path.join(os.path.dirname(odoo.__file__), 'addons')])
initialize_sys_path()
