# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures of the browser tests: real Odoo servers, a real job runner, headless chromium.

Run by ``tools/dev.py test`` (or ``tools/dev.py browser [ARGS]``) under
``.venv-browser/bin/python -m pytest tests/browser``, with the variables of
``tests/conftest.py`` plus:

CONNECTOR_LESSC_DIR
    folder of ``lessc`` (``.node/node_modules/.bin``), put first on the PATH
    of the Odoo web server.
CONNECTOR_CHROMIUM
    Debian's chromium (``/usr/bin/chromium``), launched by Playwright.

For the session: a remote Odoo (``devkit.remote_odoo``, database
``connector_test_browser_remote``; ``CONNECTOR_TEST_DB_PREFIX`` replaces
``connector_test_``) seeded with partners, one of them in a
country unknown to the Odoo under test; the Odoo under test
(``connector_test_browser``, connector + connector_example installed) with
an example backend pointing at the remote, a connector manager ``manager``
and a plain user ``employee``. Both servers are killed and both databases
dropped at the end, also on a failure. Each test gets a fresh browser
context, and saves a screenshot of its last screen under
``var/test-output/screenshots/<test name>.png`` (also when it fails).
"""
import os

import pytest
from playwright.sync_api import sync_playwright

from devkit.paths import TEST_DB_PREFIX
from devkit.remote_odoo import RemoteOdoo
from devkit.seeding import seed_partners
from odoo_web import SEEDED_PARTNERS, UNKNOWN_COUNTRY, JobRunner, WebOdoo, error_records, log_size
from web_client import job_counts, wait_until

REPO = os.environ.get('CONNECTOR_REPO') or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# CONNECTOR_TEST_DB_PREFIX renames them, as the other test databases
DB = TEST_DB_PREFIX + 'browser'
REMOTE_DB = TEST_DB_PREFIX + 'browser_remote'
SCREENSHOTS = os.path.join(REPO, 'var', 'test-output', 'screenshots')
# Known to work as root on these machines; without the background-networking
# flags chromium keeps trying to reach Google's hosts through a closed network.
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update',
                 '--disable-sync']
# A connector manager only: connector_example makes that group imply
# "Contact Creation", which its import jobs (run as this user) need.
USERS = {'manager': ('Connector Manager', ['base.group_user',
                                           'connector.group_connector_manager']),
         'employee': ('Plain Employee', ['base.group_user'])}


def xmlid(client, name):
    module, _dot, record = name.partition('.')
    found = client.execute('ir.model.data', 'search_read',
                           [('module', '=', module), ('name', '=', record)],
                           fields=['res_id'])
    return found[0]['res_id']


@pytest.fixture(scope='session')
def remote():
    """The remote Odoo, seeded: good partners plus one in an unknown country."""
    server = RemoteOdoo(REMOTE_DB)
    try:
        server.create_database()
        server.start()
        client = server.client()
        seed_partners(client, SEEDED_PARTNERS)
        country = client.execute('res.country', 'create',
                                 {'name': UNKNOWN_COUNTRY[0], 'code': UNKNOWN_COUNTRY[1]})
        client.execute('res.partner', 'create', {
            'name': 'Atlantis Trading', 'is_company': True, 'country_id': country})
        yield server
    finally:
        server.close()


@pytest.fixture(scope='session')
def odoo(remote):
    """The Odoo under test, running, with the backend and the two users."""
    lessc_dir = os.environ.get('CONNECTOR_LESSC_DIR')
    if not lessc_dir or not os.path.exists(os.path.join(lessc_dir, 'lessc')):
        pytest.fail('CONNECTOR_LESSC_DIR=%r holds no lessc: run `tools/dev.py browser`'
                    % lessc_dir)
    os.environ['PATH'] = lessc_dir + os.pathsep + os.environ['PATH']
    server = WebOdoo(DB, REPO)
    try:
        server.create_database()
        server.install()
        server.start()
        admin = server.client()
        groups = {}
        for login, (name, group_xmlids) in USERS.items():
            group_ids = [xmlid(admin, g) for g in group_xmlids]
            groups[login] = group_ids
            admin.execute('res.users', 'create', {
                'name': name, 'login': login, 'password': login,
                'groups_id': [(6, 0, group_ids)]})
        server.backend_id = admin.execute('example.backend', 'create', {
            'name': 'Remote shop', 'url': remote.url, 'database': REMOTE_DB,
            'login': 'admin', 'password': 'admin', 'timeout': 30})
        yield server
    finally:
        server.close()


@pytest.fixture(scope='session')
def admin(odoo):
    """XML-RPC client of the Odoo under test, as admin."""
    return odoo.client()


@pytest.fixture(scope='session')
def runner(odoo):
    """The job runner of the Odoo under test; tests call ``runner.start()``."""
    worker = JobRunner(odoo)
    yield worker
    worker.stop()


@pytest.fixture(scope='session')
def browser():
    executable = os.environ.get('CONNECTOR_CHROMIUM') or '/usr/bin/chromium'
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, odoo, request):
    """A new browser page (own cookies); its last screen is saved as a screenshot.

    The test also fails when the web server logged an ERROR meanwhile.
    """
    log_start = log_size(odoo.log_path)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    context = browser.new_context(viewport={'width': 1400, 'height': 900})
    context.set_default_timeout(30000)
    tab = context.new_page()
    tab.base_url = odoo.url
    tab.screenshot_path = lambda step: os.path.join(
        SCREENSHOTS, '%s-%s.png' % (request.node.name, step))
    console_errors = []
    tab.on('pageerror', lambda error: console_errors.append(str(error)))
    try:
        yield tab
    finally:
        path = os.path.join(SCREENSHOTS, '%s.png' % request.node.name)
        try:
            tab.screenshot(path=path, full_page=True)
        finally:
            context.close()
    errors = error_records(odoo.log_path, log_start)
    assert not errors, 'the web server logged errors:\n' + '\n'.join(errors)
    assert not console_errors, 'JavaScript errors in the page: %s' % console_errors


@pytest.fixture
def imported(odoo, admin, runner):
    """The partners of the remote imported (by the first test, else here): no job left."""
    if not admin.execute('queue.job', 'search_count', []):
        admin.execute('example.backend', 'action_import_partners', [odoo.backend_id])
    runner.start()
    wait_until(lambda: not {'pending', 'enqueued', 'started'} & set(job_counts(admin)), 120,
               lambda: 'jobs still waiting: %r; runner log:\n%s'
               % (job_counts(admin), runner.log_tail()))
    return job_counts(admin)
