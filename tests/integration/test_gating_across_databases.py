# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One server process, two databases: units of an addon are visible only
where the addon is installed.

Given the database CONNECTOR_TEST_DB with ``connector`` and
``test_connector`` installed, and CONNECTOR_TEST_OTHER_DB with only
``connector``, both opened in this process (so the test addon's Python
code is imported once, for both), lookups see the test addon's units in
the first database and not in the second.
"""
import os
from contextlib import contextmanager

import odoo
import pytest
from odoo import SUPERUSER_ID, api

from odoo.addons.connector.connector import is_module_installed
from odoo.addons.connector.exception import NoConnectorUnitError
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.test_connector import backend as test_service
from odoo.addons.test_connector.units import GenericPartnerDescriber, PartnerDescriber


@contextmanager
def session_on(db_name):
    registry = odoo.registry(db_name)
    with api.Environment.manage(), registry.cursor() as cr:
        yield ConnectorSession(cr, SUPERUSER_ID)
        cr.rollback()


@pytest.fixture(scope='module')
def db_names():
    with_addon = os.environ.get('CONNECTOR_TEST_DB') or odoo.tools.config['db_name']
    without_addon = os.environ.get('CONNECTOR_TEST_OTHER_DB')
    if not without_addon:
        pytest.fail('CONNECTOR_TEST_OTHER_DB is not set: run the tests with `make test`')
    return with_addon, without_addon


def test_installed_model_only_where_addon_is_installed(db_names):
    """test_connector.installed exists in the first database only."""
    with_addon, without_addon = db_names
    with session_on(with_addon) as session:
        assert is_module_installed(session.env, 'test_connector')
        assert is_module_installed(session.env, 'connector')
    with session_on(without_addon) as session:
        assert not is_module_installed(session.env, 'test_connector')
        assert is_module_installed(session.env, 'connector')
        assert 'test.res.partner' not in session.env.registry


def test_unit_found_only_where_its_addon_is_installed(db_names):
    """The same Backend object answers differently in each database."""
    with_addon, without_addon = db_names
    with session_on(with_addon) as session:
        cls = test_service.test_backend.get_class(PartnerDescriber, session, 'res.partner')
        assert cls is GenericPartnerDescriber
    with session_on(without_addon) as session:
        with pytest.raises(NoConnectorUnitError) as caught:
            test_service.test_backend.get_class(PartnerDescriber, session, 'res.partner')
        assert "No PartnerDescriber for model 'res.partner'" in str(caught.value)
        assert repr(without_addon) in str(caught.value)


def test_gating_is_decided_at_lookup_time(db_names):
    """Alternating between the databases gives each its own answer every time."""
    with_addon, without_addon = db_names
    for _ in range(2):
        with session_on(without_addon) as session:
            with pytest.raises(NoConnectorUnitError):
                test_service.test_backend.get_class(PartnerDescriber, session, 'res.partner')
        with session_on(with_addon) as session:
            assert test_service.test_backend.get_class(PartnerDescriber, session, 'res.partner')


def test_consumer_called_only_where_its_addon_is_installed(db_names):
    """A partner write fires the test addon's consumer in its database only."""
    from odoo.addons.test_connector.consumers import RECORD_KEY, recorded_writes
    with_addon, without_addon = db_names
    del recorded_writes[:]
    for db_name in (without_addon, with_addon):
        with session_on(db_name) as session:
            partner = session.env['res.partner'].create({'name': 'Gated'})
            partner.with_context(**{RECORD_KEY: True}).write({'ref': 'G-1'})
            expected_id = partner.id
    assert recorded_writes == [(with_addon, 'res.partner', expected_id, {'ref': 'G-1'})]
