# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a person does in Odoo 11's web client, as Playwright steps.

Selectors are those of Odoo 11's own templates: the top menu links carry
``data-menu-xmlid``, list rows are ``tr.o_data_row``, grouped lists have
``tr.o_group_header`` rows, form buttons are ``.o_form_view button``.
"""
import re
import time

import pytest

from devkit.remote_odoo import RemoteClient


def wait_until(condition, timeout, message, interval=0.5):
    """Poll ``condition()`` until truthy; fail with ``message`` after ``timeout`` s."""
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            pytest.fail('%s (waited %s s)' % (message() if callable(message) else message,
                                              timeout))
        time.sleep(interval)


def job_counts(client):
    """{state: count} of the jobs of the Odoo under test."""
    groups = client.execute('queue.job', 'read_group', [], ['state'], ['state'])
    return {g['state']: g['state_count'] for g in groups}


def user_client(odoo, login):
    """XML-RPC client of the Odoo under test as ``login`` (password = login)."""
    return RemoteClient(odoo.url, odoo.database, login=login, password=login)


def wait_idle(page):
    """Wait until the web client has no RPC running (Odoo 11 shows .o_loading)."""
    page.wait_for_function(
        "() => !document.querySelector('.blockUI') && !Array.from("
        "document.querySelectorAll('.o_loading')).some("
        "e => getComputedStyle(e).display !== 'none')")


def login(page, login, password=None):
    """Log in through /web/login; wait until the web client has drawn its menu."""
    page.goto(page.base_url + '/web/login', timeout=120000)
    page.fill('input[name=login]', login)
    page.fill('input[name=password]', password or login)
    page.click('button[type=submit]')
    # the first request of a fresh database compiles the stylesheets with lessc
    page.wait_for_selector('.o_web_client #oe_main_menu_navbar', timeout=120000)
    page.wait_for_selector('.o_user_menu', timeout=60000)
    wait_idle(page)


def assert_styled(page):
    """The compiled stylesheets are applied: the navbar is dark, not raw HTML."""
    color = page.evaluate("getComputedStyle(document.querySelector('#oe_main_menu_navbar'))"
                          ".backgroundColor")
    assert color not in ('rgba(0, 0, 0, 0)', 'transparent'), \
        'the top menu has no background (%s): the stylesheets did not load' % color


def open_app(page, xmlid):
    """Open a top-level menu (app); a user with one app already has it open."""
    link = page.locator('#oe_main_menu_navbar a[data-menu-xmlid="%s"]' % xmlid)
    if link.is_visible():
        link.click()
        wait_idle(page)
    menu_id = link.get_attribute('data-menu')
    page.wait_for_selector('.o_sub_menu .oe_secondary_menu[data-menu-parent="%s"]' % menu_id,
                           state='visible')


def open_menu(page, xmlid):
    """Click a menu of the left column of the current app; wait until its view shows.

    The app's first action is already on the page and the click's RPC may not
    have started yet: waiting for a breadcrumb or for no RPC returned before
    the menu's view was there (a list read too early, seen under load). So
    the views on the page are marked first, and the wait is for the menu's
    action in the URL and for a view manager that is not one of them (the
    web client detaches the previous action's once the new one is drawn).
    """
    link = page.locator('.o_sub_menu a[data-menu-xmlid="%s"]' % xmlid)
    action_id = link.get_attribute('data-action-id')
    page.evaluate("() => document.querySelectorAll('.o_view_manager_content')"
                  ".forEach(e => { e.dataset.connectorBefore = '1'; })")
    link.click()
    page.wait_for_function(
        "id => new RegExp('[#&]action=' + id + '(&|$)').test(window.location.hash)"
        " && Array.from(document.querySelectorAll('.o_view_manager_content'))"
        ".some(e => !e.dataset.connectorBefore && e.children.length)",
        arg=action_id)
    wait_idle(page)


def left_menu_names(page):
    """Names shown in the left column of the open app (sections and links)."""
    texts = page.locator('.o_sub_menu .oe_secondary_menu:visible .oe_secondary_menu_section, '
                         '.o_sub_menu .oe_secondary_menu:visible .oe_menu_text')
    return [re.sub(r'\s+', ' ', t).strip() for t in texts.all_inner_texts()]


def click_row(page, text):
    page.locator('.o_list_view tr.o_data_row', has_text=text).first.click()
    page.wait_for_selector('.o_form_view')
    wait_idle(page)


def click_button(page, label):
    """Click a button of the form's header by its label."""
    page.locator('.o_form_statusbar button:visible', has_text=label).first.click()
    wait_idle(page)


def statusbar_state(page):
    """Label of the current state in the form's status bar."""
    return page.locator('.o_statusbar_status .btn-primary').inner_text().strip()


def group_headers(page):
    """{'Done': 10, ...} from the group rows of a list grouped by state."""
    headers = {}
    for text in page.locator('.o_list_view tr.o_group_header .o_group_name').all_inner_texts():
        match = re.match(r'^\s*(.*?)\s*\((\d+)\)\s*$', text)
        if match:
            headers[match.group(1)] = int(match.group(2))
    return headers
