# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The steps of ``make test`` other than Odoo's runner (``addon_tests``), in order.

1. flake8 (``.flake8``);
2. static checks: ``tools/static_checks.py`` when it exists (non-zero exit
   on a finding);
3. the fast tier: ``tests/unit/`` when it exists, with no database;
4. (``addon_tests``: Odoo's test runner per addon);
5. the pytest tiers (``PYTEST_TIERS``): ``tests/integration`` (in-process,
   with PostgreSQL), ``tests/process`` (real workers and servers) and
   ``tests/repo`` (metadata, translations, packaging, tooling), one pytest
   run each, against two fresh databases prepared once (``prepare_pytest_dbs``;
   before the process tier, the django-oscar shop's ``.venv-oscar`` and
   template database too: ``oscar_env``, ``oscar_template``), with the
   variables of ``pytest_env()`` that ``tests/conftest.py`` documents; exit
   code 5 (no test collected) counts as a failure;
6. the browser tests, ``tests/browser`` under ``.venv-browser`` (``browser_env``
   installs what they need), with CONNECTOR_LESSC_DIR and CONNECTOR_CHROMIUM too.

Each returns True when it passed, None when it had nothing to run
(``step_pytest_tiers``: a list of (name, passed), the name followed by the
ids of the tier's failed tests, read from its JUnit report in var/log).
"""
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

from . import browser_env, procs
from .addons import all_test_addons
from .odoo_run import install_addons, wait_tracked
from .oscar_env import ensure_oscar_venv
from .oscar_template import ensure_template as ensure_oscar_template
from .paths import (LOG_DIR, PYTEST_DB, PYTEST_OTHER_ADDONS, PYTEST_OTHER_DB, PYTEST_TIERS, REPO,
                    STATIC_CHECKS, TEST_CONFIG, UNIT_TESTS_DIR, VENV_PYTHON, rel)
from .shell import DevError, say
from .template import create_db_from_template


def _run_step(cmd, env=None):
    """Run a test command from the repository root; its exit code.

    In its own process group: interrupted, it gets a SIGINT (pytest tears its
    fixtures down: workers, remote Odoo servers), then a SIGKILL.
    """
    say('$ ' + ' '.join(cmd))
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    return wait_tracked(proc, on_interrupt=procs.interrupt)


def _verdict(name, rc, seconds=None):
    timing = ' (%.0f s)' % seconds if seconds is not None else ''
    if rc == 0:
        say('%s: OK%s' % (name, timing))
    else:
        say('%s: FAILED (exit %d%s)%s' % (name, rc, ': no tests were collected' if rc == 5
                                          else '', timing))
    return rc == 0


def step_flake8():
    say('\n== flake8 (config .flake8)')
    return _verdict('flake8', _run_step([VENV_PYTHON, '-m', 'flake8', '.']))


def step_static():
    say('\n== static checks (%s)' % rel(STATIC_CHECKS))
    if not os.path.exists(STATIC_CHECKS):
        say('static checks: %s does not exist: nothing to run' % rel(STATIC_CHECKS))
        return None
    python = shutil.which('python3') or sys.executable
    t0 = time.time()
    return _verdict('static checks', _run_step([python, rel(STATIC_CHECKS)]), time.time() - t0)


def step_unit(args=None):
    say('\n== fast tier (%s, no database)' % rel(UNIT_TESTS_DIR))
    if not os.path.isdir(UNIT_TESTS_DIR):
        say('fast tier: %s does not exist: nothing to run' % rel(UNIT_TESTS_DIR))
        return None
    t0 = time.time()
    cmd = [VENV_PYTHON, '-m', 'pytest'] + (args or [rel(UNIT_TESTS_DIR)]) + [
        '-p', 'no:cacheprovider', '-rs']
    return _verdict('fast tier', _run_step(cmd), time.time() - t0)


def prepare_pytest_dbs():
    pytest_addons = [name for name, _dir in all_test_addons()]
    for db, addons in ((PYTEST_DB, pytest_addons), (PYTEST_OTHER_DB, PYTEST_OTHER_ADDONS)):
        create_db_from_template(db)
        install_addons(TEST_CONFIG, db, addons, os.path.join(LOG_DIR, 'install-%s.log' % db))
        say('pytest: database %s ready (%s)' % (db, ', '.join(addons)))


def pytest_env():
    """The environment of the pytest runs (documented in tests/conftest.py)."""
    env = dict(os.environ)
    env.update({
        'CONNECTOR_TEST_DB': PYTEST_DB,
        'CONNECTOR_TEST_OTHER_DB': PYTEST_OTHER_DB,
        'CONNECTOR_ODOO_CONFIG': TEST_CONFIG,
        'CONNECTOR_VENV_PYTHON': VENV_PYTHON,
        'CONNECTOR_REPO': REPO,
    })
    return env


def failed_tests(junit_xml):
    """The tests that failed or erred in a pytest JUnit XML report, in order, as
    'tests.process.test_x::test_y' (class name, then test); [] when it is missing."""
    try:
        root = ElementTree.parse(junit_xml).getroot()
    except (OSError, ElementTree.ParseError):
        return []
    failed = []
    for case in root.iter('testcase'):
        if case.find('failure') is not None or case.find('error') is not None:
            failed.append('%s::%s' % (case.get('classname'), case.get('name')))
    return failed


def _pytest(paths, name, report=None):
    """pytest on ``paths``: (passed, ids of the failed tests). The ids come from
    a JUnit report, so that the summary, the last lines a CI log keeps, names them."""
    report = report or os.path.join(LOG_DIR, 'pytest-%s.xml' % name.split()[0])
    if os.path.exists(report):
        os.remove(report)
    cmd = [VENV_PYTHON, '-m', 'pytest', '--odoo-config=%s' % rel(TEST_CONFIG),
           '--odoo-database=%s' % PYTEST_DB] + paths + [
               '-p', 'no:cacheprovider', '-rs', '--junitxml=%s' % rel(report)]
    t0 = time.time()
    ok = _verdict(name, _run_step(cmd, env=pytest_env()), time.time() - t0)
    return ok, ([] if ok else failed_tests(report))


def _prepared(what):
    say('\n== %s (databases %s, %s)' % (what, PYTEST_DB, PYTEST_OTHER_DB))
    try:
        prepare_pytest_dbs()
    except DevError as exc:
        say('%s: FAILED before running: %s' % (what, exc))
        return False
    return True


def step_pytest(paths):
    """pytest on ``paths`` (``tools/dev.py pytest ARGS``); never the browser tests,
    which need ``.venv-browser`` (``tools/dev.py browser ARGS``)."""
    if not _prepared('pytest'):
        return False
    return _pytest(paths + ['--ignore=tests/browser'], 'pytest')[0]


def step_pytest_tiers(tiers=PYTEST_TIERS):
    """One pytest run per tier (``tests/<tier>``), the databases prepared once."""
    names = ['%s tier (tests/%s)' % (tier, tier) for tier in tiers]
    if not _prepared('pytest tiers: %s' % ', '.join(tiers)):
        return [(name, False) for name in names]
    results = []
    for tier, name in zip(tiers, names):
        say('\n== %s' % name)
        if tier == 'process' and not _shop_prepared():
            results.append((name, False))
            continue
        ok, failed = _pytest(['tests/%s' % tier], name)
        results.append((name + ''.join('\n         failed: %s' % test for test in failed), ok))
    return results


def _shop_prepared():
    """The django-oscar shop's venv and template database, built when missing
    (``tests/process/test_remote_oscar.py`` and connector_oscar's tests need them)."""
    try:
        ensure_oscar_venv()
        ensure_oscar_template()
    except DevError as exc:
        say('process tier: FAILED before running: the django-oscar shop: %s' % exc)
        return False
    say('oscar: .venv-oscar and the shop template are ready')
    return True


def step_browser(paths=None):
    say('\n== browser tests (tests/browser: Odoo web client in headless chromium)')
    try:
        tools = browser_env.ensure_all(LOG_DIR)
    except browser_env.SetupError as exc:
        say('browser: FAILED before running: %s' % exc)
        return False
    env = pytest_env()
    env.update({'CONNECTOR_LESSC_DIR': tools['lessc_dir'],
                'CONNECTOR_CHROMIUM': tools['chromium']})
    cmd = [tools['python'], '-m', 'pytest'] + (paths or ['tests/browser']) + [
        '-p', 'no:cacheprovider', '-rs']
    t0 = time.time()
    return _verdict('browser', _run_step(cmd, env=env), time.time() - t0)
