# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The test support of ``tests/``, a pytest plugin (registered in ``tests/conftest.py``).

Fixtures are found by name, never imported: a test asks for ``workers``,
``tag``, ``remote``, ``backend``... and pytest finds them here. Helpers
(``query``, ``wait_until``, ``delay``...) are imported from their module.

- ``environment``: the variables ``tools/dev.py`` exports (fixtures
  ``connector_repo``, ``venv_python``, ``odoo_config_path``);
- ``jobrunner``: real ``odoo-bin jobrunner`` workers (``workers``), jobs
  delayed in committed transactions, a test's ``tag``;
- ``example``: a real remote Odoo for ``connector_example`` (``remote_server``,
  ``remote``, ``backend``) and what to compare on both sides;
- ``template_db``: throwaway copies of the template database;
- ``fault_proxy``: a TCP proxy that breaks HTTP answers on command.

Importing this package puts ``tools/`` on ``sys.path``: the support code
uses ``devkit`` (one way to start workers, the remote Odoo, PostgreSQL).
"""
import os
import sys

TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'tools')
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)
