"""pytest configuration for the tiers under tests/.

The tiers, each a folder and a ``tools/dev.py test --tier NAME`` run:

``unit``
    pure logic and doctests, no database (its own ``pytest.ini`` keeps this
    file out);
``integration``
    in this process, against PostgreSQL: the queue's statements, races
    between real transactions, sessions, addons across databases;
``process``
    real ``odoo-bin jobrunner`` workers and real remote Odoo servers;
``repo``
    what the repository ships: manifests, translations, ``setup.py``, the
    tooling, Odoo's runner and ``odoo-bin`` as a user invokes them;
``browser``
    the web client in chromium (``tests/browser``, under ``.venv-browser``).

For the tiers integration, process and repo ``make test`` (``tools/dev.py
test``) creates two fresh databases, then runs ``.venv/bin/python -m pytest
--odoo-config=var/odoo.cfg --odoo-database=connector_test_pytest
tests/<tier> -p no:cacheprovider`` once per tier with these environment
variables:

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

To iterate on one file: ``tools/dev.py pytest tests/process/test_x.py -x`` (fresh
databases, same variables). When a variable is unset (pytest started by
hand), the fixtures fall back to the same default paths and names.

The fixtures and helpers live in the plugin ``tests/support/`` (its
``__init__.py`` lists them), registered here: a test module asks for a
fixture by name and imports only helpers. The browser tests
(``tests/browser``, run under ``.venv-browser`` where Odoo cannot be
imported) get only ``support.environment``.
"""
import importlib.util

pytest_plugins = ['support.environment']
if importlib.util.find_spec('odoo'):  # not under .venv-browser (tests/browser)
    pytest_plugins += ['support.jobrunner', 'support.example', 'support.oscar']
