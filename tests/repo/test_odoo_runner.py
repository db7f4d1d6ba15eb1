# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's own test runner passes connector's tests however it is invoked.

Odoo 11 runs an addon's at-install tests only when it installs the addon
with demo data, runs the post-install tests of the modules it installed
(or, without ``-i``/``-u``, of every module of the database), and imports a
test module only when it runs it. ``make test`` runs each addon once, with
demo data; here Odoo's runner installs ``connector`` into throwaway copies
of the template database in the other ways:

* ``connector`` alone, without demo data (post-install tests only);
* every addon of the repository and of ``tests/addons``, without demo data;
* the same with demo data (every addon's tests, as one run);
* ``--test-enable`` on the database of the second run, without ``-i``.

Each run must exit 0, log ``Ran N tests`` from connector's test modules,
and log no ERROR/CRITICAL record coming from this repository's addons or
from Odoo's core (records of Odoo's own addons, e.g. ``web`` without
``lessc``, are not this project's).
"""
import concurrent.futures
import os
import re
import subprocess

import pytest

from support.template_db import TemplateCopies, free_port

TIMEOUT = 300  # seconds per Odoo run; measured: about 20 s for the longest

LOG_RE = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) '
                    r'(?P<db>\S+) (?P<logger>[^:\s]+): (?P<msg>.*)$')
RAN_RE = re.compile(r'^Ran (\d+) tests? in ')
ADDON_LOGGER_RE = re.compile(r'^odoo\.addons\.(\w+)')
MODULE_NAMED_RE = re.compile(r'^(?:Module|module) (\w+)[: ]')


def _addons(repo):
    test_addons = os.path.join(repo, 'tests', 'addons')
    return ['connector', 'connector_example'] + sorted(
        name for name in os.listdir(test_addons)
        if os.path.isfile(os.path.join(test_addons, name, '__manifest__.py')))


def parse_log(path, own_addons):
    """(tests run per connector test module, problem records) of an Odoo log."""
    ran, problems = {}, []
    with open(path, errors='replace') as fh:
        for line in fh:
            match = LOG_RE.match(line.rstrip('\n'))
            if not match:
                continue  # a traceback line of the record before
            logger, msg = match.group('logger'), match.group('msg')
            count = RAN_RE.match(msg)
            if count and logger.startswith('odoo.addons.connector.tests.'):
                ran[logger] = ran.get(logger, 0) + int(count.group(1))
            if match.group('level') not in ('ERROR', 'CRITICAL'):
                continue
            addon = ADDON_LOGGER_RE.match(logger) or MODULE_NAMED_RE.match(msg)
            if addon and addon.group(1) not in own_addons:
                continue  # Odoo's own addons (lessc missing, unmet dependencies...)
            problems.append('%s %s: %s' % (match.group('level'), logger, msg))
    return ran, problems


@pytest.fixture(scope='module')
def runs(connector_repo, venv_python, odoo_config_path, tmp_path_factory):
    """Exit code, output and log file of each way of running Odoo's test runner."""
    logs = tmp_path_factory.mktemp('odoo_runner')
    everything = ','.join(_addons(connector_repo))

    def odoo(name, db, *args):
        logfile = str(logs / ('%s.log' % name))
        proc = subprocess.run(
            [venv_python, os.path.join(connector_repo, 'tools', 'odoo-bin'),
             '-c', odoo_config_path, '-d', db, '--logfile=%s' % logfile,
             '--http-port=%d' % free_port(), '--max-cron-threads=0', '--stop-after-init',
             '--test-enable', '--log-level=test'] + list(args),
            cwd=connector_repo, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True, timeout=TIMEOUT)
        return name, (proc.returncode, proc.stdout, logfile)

    with TemplateCopies(odoo_config_path, 'runner_') as databases:
        installs = {
            'alone_without_demo': (databases.create('alone_nodemo'),
                                   '-i', 'connector', '--without-demo=all'),
            'all_without_demo': (databases.create('all_nodemo'),
                                 '-i', everything, '--without-demo=all'),
            'all_with_demo': (databases.create('all_demo'), '-i', everything),
        }
        with concurrent.futures.ThreadPoolExecutor(len(installs)) as pool:
            results = dict(pool.map(lambda item: odoo(item[0], *item[1]), installs.items()))
        results.update([odoo('existing_database', installs['all_without_demo'][0])])
        yield results


@pytest.mark.parametrize('name', ['alone_without_demo', 'all_without_demo', 'all_with_demo',
                                  'existing_database'])
def test_connector_tests_pass_under_odoo_runner(runs, connector_repo, name):
    """Exit 0, connector's tests ran, no ERROR record of this project or of Odoo's core."""
    returncode, output, logfile = runs[name]
    ran, problems = parse_log(logfile, _addons(connector_repo))
    assert not problems, '%s:\n%s' % (logfile, '\n'.join(problems[:30]))
    assert returncode == 0, 'exit %s; log %s; output:\n%s' % (returncode, logfile, output[-3000:])
    assert 'odoo.addons.connector.tests.test_job_delay' in ran, (
        'no "Ran N tests" from connector.tests.test_job_delay in %s: %s' % (logfile, ran))
