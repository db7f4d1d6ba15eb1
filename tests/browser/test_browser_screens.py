# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The connector's screens used as a person uses them, in headless chromium.

Real Odoo web server, real remote Odoo, real job runner (see conftest.py).
"""
import xmlrpc.client

import pytest

from odoo_web import SEEDED_PARTNERS, UNKNOWN_COUNTRY
from web_client import (assert_styled, click_button, click_row, group_headers, job_counts,
                        left_menu_names, login, open_app, open_menu, statusbar_state, user_client,
                        wait_idle, wait_until)

ROOT_MENU = 'connector.menu_connector_root'
JOBS_MENU = 'connector.menu_queue_job'


def reload_until(page, condition, timeout, message):
    """Reload the page (lists do not refresh by themselves) until ``condition()``."""
    def reloaded():
        page.reload()
        page.wait_for_selector('.o_control_panel .breadcrumb')
        wait_idle(page)
        return condition()
    return wait_until(reloaded, timeout, message, interval=1)


def test_manager_imports_partners_and_sees_jobs_finish(page, odoo, admin, runner, remote):
    """A connector manager clicks Import now; the jobs appear, then the runner finishes them."""
    # Given a connector manager logged in, the runner not started yet
    login(page, 'manager')
    assert_styled(page)
    open_app(page, ROOT_MENU)
    menus = left_menu_names(page)
    for name in ('Backends', 'Example Backends', 'Jobs', 'Channels', 'Checkpoints'):
        assert name in menus, 'menu %r missing from the Connectors menu: %r' % (name, menus)

    # When they open the example backend and click Import partners now
    open_menu(page, 'connector_example.example_backend_menu')
    click_row(page, 'Remote shop')
    assert page.locator('.o_form_view .o_stat_text', has_text='Pending jobs').count() == 1
    click_button(page, 'Import partners now')

    # Then one job per remote partner waits, counted on the backend's status panel
    expected = remote.client().execute('res.partner', 'search_count', [],
                                       context={'active_test': False})
    assert expected >= SEEDED_PARTNERS + 1  # + the remote's own company, admin...
    pending = page.locator('.o_form_view .oe_stat_button', has_text='Pending jobs')
    wait_until(lambda: pending.locator('.o_stat_value').inner_text().strip() == str(expected),
               30, lambda: 'pending jobs on the backend: %r, expected %d'
               % (pending.inner_text(), expected))
    pending.click()
    page.wait_for_selector('.o_list_view')
    wait_idle(page)
    headers = group_headers(page)
    # companies (and partners without one) pending, contacts waiting for their company
    assert set(headers) == {'Pending', 'Waiting for dependencies'}, headers
    assert sum(headers.values()) == expected, headers
    page.locator('.o_list_view tr.o_group_header', has_text='Pending').click()
    page.wait_for_selector('.o_list_view tr.o_data_row')
    assert page.locator('.o_list_view .label-info', has_text='Pending').count() == \
        headers['Pending']
    page.screenshot(path=page.screenshot_path('jobs-pending'), full_page=True)

    # When the job runner runs, the job list (grouped by state) shows them finished
    runner.start()
    open_menu(page, JOBS_MENU)
    done = expected - 1
    reload_until(page, lambda: group_headers(page) == {'Done': done, 'Failed': 1}, 120,
                 lambda: 'job groups: %r, expected %d done and 1 failed (the partner in %s); '
                 'runner log:\n%s' % (group_headers(page), done, UNKNOWN_COUNTRY[0],
                                      runner.log_tail()))
    page.locator('.o_list_view tr.o_group_header', has_text='Done').click()
    page.wait_for_selector('.o_list_view .label-success')
    assert page.locator('.o_list_view .label-success', has_text='Done').count() == done
    assert admin.execute('example.res.partner', 'search_count', [],
                         context={'active_test': False}) == done


def test_manager_requeues_a_failed_job_and_it_runs(page, odoo, admin, runner, imported):
    """A failed import job shows its exception; after the fix, Requeue runs it again."""
    # Given the import done, with the partner of an unknown country failed
    assert imported.get('failed') == 1, imported
    login(page, 'manager')
    open_app(page, ROOT_MENU)
    open_menu(page, JOBS_MENU)
    page.locator('.o_list_view tr.o_group_header', has_text='Failed').click()
    click_row(page, 'Import')
    assert statusbar_state(page) == 'Failed'
    exception = page.locator('.o_form_view .o_field_widget[name=exc_info]').inner_text()
    assert "country code '%s'" % UNKNOWN_COUNTRY[1] in exception, exception
    call = page.locator('.o_form_view .o_field_widget[name=arguments_display]').inner_text()
    assert 'example.res.partner' in call, call
    tries = page.locator('.o_form_view .o_field_widget[name=retry]').inner_text()
    assert tries.strip() == '1', tries
    page.screenshot(path=page.screenshot_path('job-failed'), full_page=True)

    # When the missing country is created here and the manager clicks Requeue
    admin.execute('res.country', 'create', {'name': UNKNOWN_COUNTRY[0],
                                            'code': UNKNOWN_COUNTRY[1]})
    click_button(page, 'Requeue')

    # Then the runner runs it: the form shows it done and the partner exists
    reload_until(page, lambda: statusbar_state(page) == 'Done', 60,
                 lambda: 'job state %r, expected Done; runner log:\n%s'
                 % (statusbar_state(page), runner.log_tail()))
    assert page.locator('.o_form_view .o_field_widget[name=exc_info]:visible').count() == 0
    assert job_counts(admin).get('failed') is None
    assert admin.execute('res.partner', 'search_count', [('name', '=', 'Atlantis Trading')]) == 1

    # And its related record button opens the imported partner's binding
    click_button(page, 'Open related record')
    page.wait_for_selector('.o_form_view .o_field_widget[name=external_id]')
    assert 'Atlantis Trading' in page.locator('.o_control_panel .breadcrumb').inner_text()


def test_manager_marks_a_checkpoint_reviewed(page, odoo, admin):
    """A checkpoint found in Connectors > Checkpoints is marked reviewed from its form."""
    partner = admin.execute('res.partner', 'create', {'name': 'Partner to check'})
    model = admin.execute('ir.model', 'search', [('model', '=', 'res.partner')])[0]
    checkpoint = admin.execute('connector.checkpoint', 'create', {
        'model_id': model, 'record_id': partner, 'backend_model': 'example.backend',
        'backend_res_id': odoo.backend_id,
        'message': 'Imported without an address: check it on the remote'})
    login(page, 'manager')
    open_app(page, ROOT_MENU)
    open_menu(page, 'connector.menu_connector_checkpoint')
    assert page.locator('.o_list_view .label-warning', has_text='Need review').count() == 1
    click_row(page, 'Imported without an address')
    assert statusbar_state(page) == 'Need review'
    click_button(page, 'Reviewed')
    wait_until(lambda: statusbar_state(page) == 'Reviewed', 10,
               lambda: 'state %r after clicking Reviewed' % statusbar_state(page))
    assert admin.execute('connector.checkpoint', 'read', [checkpoint], ['state'])[0]['state'] \
        == 'reviewed'


def test_manager_settles_a_conflict_from_its_checkpoint(page, odoo, admin, runner, remote,
                                                        imported):
    """The same phone changed here and on the remote: the backend's policy (ask) leaves both
    and adds a checkpoint; the manager keeps the Odoo value from it and both sides end equal."""
    # Given the import done, then a phone changed on both sides before either syncs
    runner.stop()
    remote_client = remote.client()
    remote_id = remote_client.execute('res.partner', 'search', [('name', '=', 'Company 0002')])[0]
    binding = admin.execute('example.res.partner', 'search_read', [
        ('backend_id', '=', odoo.backend_id), ('external_id', '=', str(remote_id))],
        fields=['openerp_id'])[0]
    admin.execute('res.partner', 'write', [binding['openerp_id'][0]],
                  {'phone': '+32 2 333 33 33'})
    remote_client.execute('res.partner', 'write', [remote_id], {'phone': '+32 2 444 44 44'})
    admin.execute('example.backend', 'action_import_partners', [odoo.backend_id])
    runner.start()
    conflict = [('conflict_field', '=', 'phone'), ('record_id', '=', binding['id']),
                ('state', '=', 'need_review')]
    wait_until(lambda: admin.execute('connector.checkpoint', 'search', conflict), 60,
               lambda: 'no conflict checkpoint; jobs %r; runner log:\n%s'
               % (job_counts(admin), runner.log_tail()))

    # When the manager opens it from Connectors > Checkpoints and keeps the Odoo value
    login(page, 'manager')
    open_app(page, ROOT_MENU)
    open_menu(page, 'connector.menu_connector_checkpoint')
    click_row(page, 'Phone of example.res.partner')
    shown = {name: page.locator('.o_form_view .o_field_widget[name=%s]' % name).inner_text()
             for name in ('local_display', 'remote_display')}
    assert shown == {'local_display': '+32 2 333 33 33',
                     'remote_display': '+32 2 444 44 44'}, shown
    page.screenshot(path=page.screenshot_path('conflict'), full_page=True)
    click_button(page, 'Keep the Odoo value')
    wait_until(lambda: statusbar_state(page) == 'Reviewed', 10,
               lambda: 'state %r after keeping the Odoo value' % statusbar_state(page))

    # Then the runner sends it: both sides hold the Odoo value, the decision is logged
    wait_until(lambda: remote_client.execute('res.partner', 'read', [remote_id], ['phone'])[0][
        'phone'] == '+32 2 333 33 33', 60, lambda: 'remote phone not updated; runner log:\n%s'
        % runner.log_tail())
    local = admin.execute('example.res.partner', 'read', [binding['id']], ['phone', 'sync_log'])[0]
    assert local['phone'] == '+32 2 333 33 33'
    assert 'phone changed on both sides' in local['sync_log'], local['sync_log']


def test_plain_user_has_no_connectors_menu(page, odoo):
    """An employee without the Connector Manager group sees no Connectors menu."""
    login(page, 'employee')
    assert_styled(page)
    assert page.locator('#oe_main_menu_navbar .o_user_menu', has_text='Plain Employee').count()
    assert page.locator('a[data-menu-xmlid="%s"]' % ROOT_MENU).count() == 0
    assert 'Connectors' not in page.locator('#oe_main_menu_navbar').inner_text()
    # nor can they read the jobs through the server
    with pytest.raises(xmlrpc.client.Fault) as refused:
        user_client(odoo, 'employee').execute('queue.job', 'search', [])
    assert 'not allowed to access' in refused.value.faultString
    assert 'Connector Manager' in refused.value.faultString
