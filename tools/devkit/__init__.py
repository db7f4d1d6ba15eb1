# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The repository's development tooling, one concern a module (stdlib only).

``tools/dev.py`` (what ``make demo`` and ``make test`` call) is its entry
point; ``python3 tools/devkit`` is the same command. It runs under the
machine's python3 before any venv exists, under the venv's Python 3.7
(demo, tests, benchmarks) and under ``.venv-browser``'s 3.11 (browser
tests): no third-party import, code for 3.7 and later.

Where to look:

- ``paths``: where things are, what the databases are called;
- ``shell``: printing, short commands, ``DevError``;
- ``procs``: child processes (own process group, stop, kill, free port);
- ``python_env``: finding Python 3.7, building ``.venv/``;
- ``pg``: PostgreSQL (start it, its role, psql, copy and drop databases);
- ``addons``: the repository's addons and the Odoo configs (``var/*.cfg``);
- ``odoo_run``: one ``odoo-bin`` run with a log file, installing addons;
- ``template``: the template database every other database is copied from;
- ``testlog``: the log gate (Odoo 11 exits 0 when tests fail);
- ``addon_tests``: the per-addon step of ``make test`` (Odoo's test runner);
- ``steps``: the other steps of ``make test`` (flake8, static checks, fast
  tier, pytest, browser);
- ``browser_env``: lessc, chromium and ``.venv-browser/`` for the browser tests;
- ``workers``: the one way to start ``odoo-bin jobrunner`` workers (tools,
  tests and benchmarks);
- ``remote_odoo``, ``seeding``, ``partner_state``: a real "remote" Odoo for
  the example connector, its partners, and comparing both sides;
- ``oscar_env``, ``oscar_template``, ``remote_oscar``, ``shop_clients``,
  ``oscar_cli``: the django-oscar shop of connector_oscar (its venv
  ``.venv-oscar/``, its template database, the running shop, its staff and
  customer HTTP clients, ``tools/dev.py oscar``);
- ``demo``: ``make demo``;
- ``cli``: the subcommands and the machine-wide lock.
"""
