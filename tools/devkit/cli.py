# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Development commands for the Connector repository (``tools/dev.py``).

Subcommands::

    setup           .venv, PostgreSQL, var/*.cfg, template database only
    demo            fresh connector_demo database with connector and
                    connector_example, then the sync demo (tools/demo_sync.py)
    demo --no-sync  only the database
    demo-shop       the shop connector's demo: the shop Odoo (sale_stock) and a
                    fresh connector_oscar_demo database with connector_oscar, a
                    real django-oscar shop, 2 job workers, the round trip of
                    tools/demo_shop.py (catalogue and stock out, orders in by
                    push and poll, deliveries shipped) and its report
    test            everything, what CI runs, tier after tier: flake8, static
                    checks (tools/static_checks.py), unit (tests/unit, no
                    database), addons (Odoo's test runner per addon),
                    integration (tests/integration, in-process with
                    PostgreSQL), process (tests/process, real workers and
                    servers), repo (tests/repo: metadata, translations,
                    packaging, tooling), browser (tests/browser)
    test --tier unit [--tier process]
                    only these tiers (repeatable; any of the names above)
    test --addon connector [--addon test_connector]
                    only the Odoo-runner tests of these addons
    test --pytest-only | --flake8-only | --static-only | --unit-only | --browser-only
                    older names: --pytest-only is the tiers integration,
                    process and repo; the others one tier each (they combine)
    test --jobs 1   the per-addon Odoo runs one at a time (default: 2)
    test --under-load [N]
                    the same beside N CPU-burning processes (default: one per
                    core), started and stopped by the run: the suite must pass
                    on a busy machine
    pytest [ARGS]   fresh pytest databases, then pytest ARGS (e.g.
                    tests/repo/test_setup_py.py -x -k version); without ARGS
                    the tiers integration, process and repo
    unit [ARGS]     the fast tier only (no database): pytest tests/unit or ARGS
    static          the static checks only
    browser [ARGS]  the browser tests (tests/browser, or ARGS): Playwright in
                    .venv-browser driving Debian's chromium; installs lessc,
                    chromium and that venv when missing
    flake8          flake8 only
    oscar create|start|stop|drop [--detach] [--database DB] [--port N]
                    the django-oscar shop of connector_oscar by hand
                    (.venv-oscar and its template database are built when
                    missing; see devkit/oscar_cli.py)
    clean           drop this project's databases, remove var/ (keeps .venv/;
                    ``make distclean`` removes it)

Every subcommand but flake8, static and unit first does ``setup``. One run
at a time per PostgreSQL server (a lock in the temporary directory): all
checkouts share the database names. CONNECTOR_PYTEST_DB and
CONNECTOR_TEST_DB_PREFIX rename the test databases (``devkit.paths``).
"""
import argparse
import fcntl
import os
import shutil
import signal
import sys
import tempfile
import time

from . import pg
from .addon_tests import passed, step_addons
from .addons import all_test_addons, shop_test_addons, write_config
from .demo import run_demo
from .load import cpu_load, default_burners
from .odoo_run import kill_running
from .oscar_cli import add_parser as add_oscar_parser
from .oscar_cli import cmd_oscar
from .paths import (DEMO_CONFIG, DEMO_DB, PYTEST_TIERS, REMOTE_DBS, TEMPLATE_DB, TEST_CONFIG,
                    TEST_DB_PREFIX, VAR, rel)
from .python_env import ensure_venv
from .shell import DevError, say
from .shop_demo import run_shop_demo
from .shop_odoo import ensure_shop_odoo
from .steps import step_browser, step_flake8, step_pytest, step_pytest_tiers, step_static, step_unit
from .template import drop_db, ensure_template


def setup():
    """venv, PostgreSQL, configs, template; the requirements hash."""
    req_hash = ensure_venv()
    pg.ensure_postgres()
    write_config(TEST_CONFIG, with_tests=True)
    write_config(DEMO_CONFIG, with_tests=False)
    ensure_template(req_hash)
    return req_hash


#: The tiers of ``make test``, in order; ``--tier`` names them.
TIERS = ('flake8', 'static', 'unit', 'addons') + PYTEST_TIERS + ('browser',)
NO_DATABASE_TIERS = ('flake8', 'static', 'unit')


def chosen_tiers(opts):
    """The tiers to run, in ``TIERS`` order: every tier when none is asked for."""
    wanted = set(opts.tier)
    for flag, tiers in (('flake8_only', ['flake8']), ('static_only', ['static']),
                        ('unit_only', ['unit']), ('pytest_only', PYTEST_TIERS),
                        ('browser_only', ['browser'])):
        if getattr(opts, flag):
            wanted.update(tiers)
    if opts.addon:
        wanted.add('addons')
    return [tier for tier in TIERS if tier in wanted] if wanted else list(TIERS)


def cmd_test(opts):
    burners = opts.under_load if opts.under_load >= 0 else default_burners()
    with cpu_load(burners):
        return _test(opts)


def _test(opts):
    t0 = time.time()
    tiers = chosen_tiers(opts)
    if set(tiers) - set(NO_DATABASE_TIERS):
        req_hash = setup()
        shop_addons = [name for name, _d in shop_test_addons()]
        # process: the shop tests; repo: connector_oscar.pot is exported from it
        if 'process' in tiers or 'repo' in tiers or ('addons' in tiers and (
                not opts.addon or set(opts.addon) & set(shop_addons))):
            ensure_shop_odoo(req_hash)  # the shop connector's Odoo, built once
    else:
        ensure_venv()
    status = []  # (step, ok); a step with nothing to run is not listed
    for tier, step, name in (('flake8', step_flake8, 'flake8'),
                             ('static', step_static, 'static checks'),
                             ('unit', step_unit, 'unit tier (tests/unit)')):
        if tier in tiers:
            ok = step()
            if ok is not None:
                status.append((name, ok))
    results = []
    if 'addons' in tiers:
        known = [name for name, _d in all_test_addons() + shop_test_addons()]
        addons = opts.addon or known
        unknown = [a for a in addons if a not in known]
        if unknown:
            raise DevError('unknown addon(s) %s; known: %s'
                           % (', '.join(unknown), ', '.join(known)))
        results = step_addons(addons, opts.jobs)
        status += [('addon %s (log %s)' % (r['addon'], rel(r['log'])), not r['reasons'])
                   for r in results]
    pytest_tiers = [tier for tier in PYTEST_TIERS if tier in tiers]
    if pytest_tiers:
        status += step_pytest_tiers(pytest_tiers)
    if 'browser' in tiers:
        status.append(('browser tier (tests/browser)', step_browser()))
    ok = all(step_ok for _step, step_ok in status)
    say('\n== summary')
    for step, step_ok in status:
        say('%-6s %s' % ('OK' if step_ok else 'FAILED', step))
    say('result: %s; total wall time: %.0f s' % ('OK' if ok else 'FAILED', time.time() - t0))
    if results:
        # the closing line counts the Odoo-runner tests (pytest printed its own)
        say('%d passed, %d failed' % (sum(passed(r) for r in results),
                                      sum(r['failures'] + r['errors'] for r in results)))
    return 0 if ok else 1


def cmd_pytest(opts):
    ensure_shop_odoo(setup())
    if opts.args:
        return 0 if step_pytest(opts.args) else 1
    return 0 if all(ok for _name, ok in step_pytest_tiers()) else 1


def cmd_browser(opts):
    setup()
    return 0 if step_browser(opts.args or None) else 1


def cmd_unit(opts):
    ensure_venv()
    return 0 if step_unit(opts.args or None) is not False else 1


def cmd_static(opts):
    return 0 if step_static() is not False else 1


def cmd_flake8(opts):
    ensure_venv()
    return 0 if step_flake8() else 1


def cmd_demo(opts):
    setup()
    run_demo(sync=not opts.no_sync)
    return 0


def cmd_demo_shop(opts):
    run_shop_demo(setup())
    return 0


def cmd_setup(opts):
    setup()
    return 0


def cmd_oscar_setup(opts):
    pg.ensure_postgres()
    return cmd_oscar(opts)


def cmd_clean(opts):
    if shutil.which('psql') and pg.pg_ready():
        dbs = pg.psql("SELECT datname FROM pg_database WHERE datname IN ('%s') OR datname "
                      "LIKE 'connector\\_t%%' OR datname LIKE 'connector\\_oscar\\_%%'"
                      % "', '".join([DEMO_DB] + REMOTE_DBS)).split()
        for db in dbs:
            if db == DEMO_DB or db.startswith((TEST_DB_PREFIX, TEMPLATE_DB, 'connector_oscar_')) \
                    or db in REMOTE_DBS:
                say('dropping database %s' % db)
                drop_db(db)
    shutil.rmtree(VAR, ignore_errors=True)
    say('removed %s' % rel(VAR))
    return 0


def acquire_lock():
    """One run at a time per PostgreSQL server: all checkouts share the names."""
    path = os.path.join(tempfile.gettempdir(), 'connector-dev-pg%s.lock'
                        % os.environ.get('PGPORT', '5432'))
    fh = open(path, 'a+')
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.seek(0)
        say('waiting for another tools/dev.py run to finish (%s; lock %s)'
            % (fh.read().strip() or '?', path))
        fcntl.flock(fh, fcntl.LOCK_EX)
    fh.seek(0)
    fh.truncate()
    fh.write('pid %d in %s' % (os.getpid(), os.path.dirname(VAR)))
    fh.flush()
    return fh


def _on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def parser():
    p = argparse.ArgumentParser(prog='tools/dev.py', description=__doc__.split('\n')[0],
                                epilog=__doc__.split('\n', 2)[2],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='command')
    sub.required = True
    sub.add_parser('setup', help='venv, PostgreSQL, configs, template database')
    p_demo = sub.add_parser('demo', help='fresh connector_demo database with the addons '
                                         'installed, then the sync demo with a remote Odoo')
    p_demo.add_argument('--no-sync', action='store_true',
                        help='only install the addons (skip tools/demo_sync.py)')
    sub.add_parser('demo-shop', help="the shop connector's demo: Odoo and a real "
                                     'django-oscar shop, the round trip and its report')
    p_test = sub.add_parser('test', help='every tier: flake8, static, unit, addons, '
                                         'integration, process, repo, browser')
    p_test.add_argument('--tier', action='append', default=[], choices=TIERS,
                        help='only this tier (repeatable)')
    p_test.add_argument('--addon', action='append', default=[],
                        help='only the Odoo-runner tests of this addon (repeatable)')
    for step in ('pytest', 'flake8', 'static', 'unit', 'browser'):
        p_test.add_argument('--%s-only' % step, action='store_true')
    p_test.add_argument('--jobs', type=int, default=2,
                        help='per-addon Odoo runs at a time (default 2)')
    p_test.add_argument('--under-load', type=int, nargs='?', const=-1, default=0,
                        metavar='N', help='run beside N CPU-burning processes (default: '
                        'one per core), started and stopped by the run')
    p_pytest = sub.add_parser('pytest', help='fresh pytest databases, then pytest ARGS '
                                             '(default: the integration, process and repo tiers)')
    p_pytest.add_argument('args', nargs=argparse.REMAINDER)
    p_unit = sub.add_parser('unit', help='the fast tier (tests/unit, no database), or ARGS')
    p_unit.add_argument('args', nargs=argparse.REMAINDER)
    sub.add_parser('static', help='tools/static_checks.py')
    p_browser = sub.add_parser('browser', help='lessc, chromium, .venv-browser, then '
                               'pytest tests/browser (or ARGS)')
    p_browser.add_argument('args', nargs=argparse.REMAINDER)
    sub.add_parser('flake8')
    sub.add_parser('clean', help='drop the project databases and remove var/')
    add_oscar_parser(sub)
    return p


HANDLERS = {'setup': cmd_setup, 'demo': cmd_demo, 'demo-shop': cmd_demo_shop, 'test': cmd_test,
            'pytest': cmd_pytest, 'unit': cmd_unit, 'static': cmd_static, 'flake8': cmd_flake8,
            'clean': cmd_clean, 'browser': cmd_browser, 'oscar': cmd_oscar_setup}
# no database, or (oscar) a shop's own: no need to wait for other runs; a shop
# started by hand stays in the foreground and must not block them
NO_LOCK = ('flake8', 'static', 'unit', 'oscar')


def main(argv=None):
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except AttributeError:
        pass
    opts = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        needs_lock = opts.command not in NO_LOCK and not (
            opts.command == 'test' and set(chosen_tiers(opts)) <= set(NO_DATABASE_TIERS))
        lock = acquire_lock() if needs_lock else None  # noqa: F841
        return HANDLERS[opts.command](opts)
    except DevError as exc:
        say('\nERROR: %s' % exc)
        return 2
    except KeyboardInterrupt:
        say('\ninterrupted')
        return 130
    finally:
        kill_running()
