# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The static checks' parts (run by ``tools/static_checks.py``, its entry point).

- ``venv``: the paths, and the venv ``.venv-checks/`` the tools run from;
- ``pure``: the check that the pure modules reach neither Odoo nor psycopg2;
- ``queue_sql``: the check that only the queue store runs the queue's SQL;
- ``vocabulary``: the check that the job queue names no connector concept;
- ``checks``: each tool's run and how its findings are counted, and the report.
"""
