# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job form of a job of a graph draws the graph, in headless chromium.

The graph is stored through XML-RPC as admin, in states no worker acts on
(done, failed, waiting for the failed job), and deleted at the end: the
browser venv cannot import Odoo to call ``delayable()``, and the other
browser tests count every job of the database.
"""
import re
import uuid

from web_client import login, open_app, wait_idle

IMPORT = 'odoo.addons.connector.unit.synchronizer.jobs.import_record'


#: The end date of the ended jobs of the graph.
ENDED = '2026-01-01 10:00:00'


def store_graph(admin):
    """company (done) -> contacts 1 (done), 2 (failed), 3 (done) -> summary (waiting);
    {name: id}."""
    graph_uuid = str(uuid.uuid4())
    ids = {}

    def store(name, state, depends_on=()):
        ids[name] = admin.execute('queue.job', 'create', {
            'uuid': str(uuid.uuid4()), 'name': name, 'state': state, 'func_string': IMPORT,
            'model_name': 'example.res.partner', 'args': '[["example.backend", 1], "%s"]'
            % name, 'kwargs': '{}', 'channel': 'root', 'retry': 1 if state != 'wait_dependencies'
            else 0, 'graph_uuid': graph_uuid, 'exc_info': 'refused by the remote'
            if state == 'failed' else False,
            # an ended job has an end date (queue_job's CHECK constraint)
            'date_done': ENDED if state in ('done', 'failed') else False,
            'dependency_ids': [(6, 0, [ids[other] for other in depends_on])]})
    store('Import company C-1', 'done')
    for number, state in ((1, 'done'), (2, 'failed'), (3, 'done')):
        store('Import contact P-%d' % number, state, ['Import company C-1'])
    store('Export summary of C-1', 'wait_dependencies',
          ['Import contact P-%d' % number for number in (1, 2, 3)])
    return ids


def test_manager_sees_the_graph_of_a_job_drawn_in_its_form(page, odoo, admin):
    """The form of a contact's import job draws its whole graph: one box per job,
    each linking to its job, an arrow per link, the job's own box outlined."""
    ids = store_graph(admin)
    try:
        # When a connector manager opens the failed contact's job
        login(page, 'manager')
        open_app(page, 'connector.menu_connector_root')
        failed = ids['Import contact P-2']
        page.goto('%s/web#id=%d&model=queue.job&view_type=form' % (page.base_url, failed))
        page.wait_for_selector('.o_form_view .o_field_widget[name=uuid]')
        wait_idle(page)

        # Then the graph is drawn as a picture, one box per job of the graph
        svg = page.locator('.o_form_view .o_field_widget[name=graph_svg] svg')
        assert svg.count() == 1, 'no SVG drawing in the form; the field shows: %r' % (
            page.locator('.o_form_view .o_field_widget[name=graph_svg]').inner_text()[:200])
        svg.scroll_into_view_if_needed()
        page.screenshot(path=page.screenshot_path('graph'), full_page=True)
        assert svg.locator('rect').count() == len(ids)
        assert svg.locator('line').count() == 3 + 3
        linked = {int(re.search(r'id=(\d+)', href).group(1))
                  for href in svg.locator('a').evaluate_all(
                      'links => links.map(a => a.getAttribute("href"))')}
        assert linked == set(ids.values())
        assert svg.locator('rect[stroke-width="3"]').count() == 1, 'its own box outlined'
        states = svg.locator('text').evaluate_all('texts => texts.map(t => t.textContent)')
        assert 'Waiting for dependencies' in states and 'wait_dependencies' not in states, \
            'states are written in the words of the job list: %s' % states
        box = svg.bounding_box()
        assert box and box['width'] > 300 and box['height'] > 100, box
        waiting = page.locator('.o_form_view .o_field_widget[name=dependent_ids]')
        assert 'Export summary of C-1' in waiting.inner_text()

        # And a click on a box opens that job's form
        svg.locator('a', has_text='Export summary').first.click()
        page.wait_for_selector('.o_form_view .o_field_widget[name=waiting_reason]')
        wait_idle(page)
        reason = page.locator('.o_form_view .o_field_widget[name=waiting_reason]').inner_text()
        assert 'Waits for failed job' in reason and 'Import contact P-2' in reason, reason
    finally:
        admin.execute('queue.job', 'unlink', list(ids.values()))
