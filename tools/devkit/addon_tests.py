# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The per-addon step of ``make test``: Odoo's own test runner, one addon at a time.

For each addon (``connector``, ``connector_example``, ``tests/addons/*``):
a fresh copy of the template (for the shop connector's addons,
``SHOP_REPO_ADDONS``: of the shop template, with ``var/odoo-shop.cfg``,
see ``shop_odoo``); the addon's dependencies that are addons of
this repository installed first, without ``--test-enable`` (their tests
are not run again nor counted twice); then::

    odoo-bin -c var/odoo.cfg -d DB -i ADDON --test-enable --stop-after-init
             --log-level=test --logfile=var/log/test-ADDON.log

never with ``--without-demo`` (Odoo 11 runs at_install tests only for
modules installed with demo data). The addon fails when the exit code is
not 0, when no ``Ran N tests`` line comes from its own test modules, when
the log holds failures, errors or an ERROR/CRITICAL record (``testlog``),
or when it is not installed afterwards. Two addons run at a time by
default (``--jobs``).
"""
import concurrent.futures
import os
import time

from . import pg
from .addons import local_dependencies
from .odoo_run import STOPPING, install_addons, kill_running, run_odoo
from .paths import FILESTORE, LOG_DIR, SHOP_REPO_ADDONS, TEST_CONFIG, TEST_DB_PREFIX, rel
from .shell import DevError, say
from .shop_odoo import SHOP_CONFIG, SHOP_TEMPLATE_DB
from .template import create_db_from_template
from .testlog import parse_test_log


def test_one_addon(addon):
    """Deps first, then Odoo's test runner on the addon's database; a result dict."""
    db = TEST_DB_PREFIX + addon
    logfile = os.path.join(LOG_DIR, 'test-%s.log' % addon)
    res = {'addon': addon, 'db': db, 'log': logfile, 'ran': 0, 'failures': 0, 'errors': 0,
           'skipped': 0, 'failed_tests': [], 'reasons': []}
    t0 = time.time()
    config = SHOP_CONFIG if addon in SHOP_REPO_ADDONS else TEST_CONFIG
    deps = local_dependencies(addon)
    if deps:
        try:
            install_addons(config, db, deps,
                           os.path.join(LOG_DIR, 'test-%s-deps.log' % addon))
        except DevError as exc:
            res['reasons'].append('installing its dependencies failed: %s' % exc)
            res['seconds'] = time.time() - t0
            return res
    rc = run_odoo(config, ['-d', db, '-i', addon, '--test-enable', '--stop-after-init',
                           '--log-level=test'], logfile)
    parsed = parse_test_log(logfile)
    res['ran'] = sum(parsed['ran'].values())
    for key in ('failures', 'errors', 'skipped', 'failed_tests'):
        res[key] = parsed[key]
    if rc != 0:
        res['reasons'].append('exit code %s (console: %s)' % (rc, rel(logfile + '.console')))
    if not parsed['ran'].get(addon):
        res['reasons'].append('no "Ran N tests" line from its own tests: its tests did not run')
    if res['failures'] or res['errors']:
        res['reasons'].append('%d failures, %d errors' % (res['failures'], res['errors']))
    elif parsed['problems']:
        res['reasons'].append('%d ERROR/CRITICAL log records, first: %s'
                              % (len(parsed['problems']), parsed['problems'][0]))
    state = pg.module_states(db, [addon]).get(addon, ('missing',))[0]
    if state != 'installed':
        res['reasons'].append('module state is %r, not installed' % state)
    res['seconds'] = time.time() - t0
    return res


def passed(res):
    return max(res['ran'] - res['failures'] - res['errors'] - res['skipped'], 0)


def report_addon(res):
    say('%s: %s  ran %d, passed %d, failed %d%s (%.0f s) log: %s' % (
        res['addon'], 'FAILED' if res['reasons'] else 'OK', res['ran'], passed(res),
        res['failures'] + res['errors'],
        ', skipped %d' % res['skipped'] if res['skipped'] else '',
        res['seconds'], rel(res['log'])))
    for reason in res['reasons']:
        say('    - %s' % reason)
    for name in res['failed_tests']:
        say('    failed: %s' % name)


def step_addons(addons, jobs):
    """Run the addons' tests, ``jobs`` at a time; their result dicts, in order."""
    say('\n== Odoo test runner, per addon (%s), %d at a time' % (', '.join(addons), jobs))
    for addon in addons:  # sequentially: concurrent copies of one template may clash
        if addon in SHOP_REPO_ADDONS:
            pg.copy_db(TEST_DB_PREFIX + addon, SHOP_TEMPLATE_DB, FILESTORE)
        else:
            create_db_from_template(TEST_DB_PREFIX + addon)
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(test_one_addon, a) for a in addons]
        try:
            for fut in concurrent.futures.as_completed(futures):
                res = fut.result()
                results.append(res)
                report_addon(res)
        except BaseException:  # Ctrl-C, SIGTERM: stop the Odoo runs now
            STOPPING.set()
            for fut in futures:
                fut.cancel()
            kill_running()
            raise
    results.sort(key=lambda r: addons.index(r['addon']))
    return results
