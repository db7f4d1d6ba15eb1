# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two transactions synchronizing the same record, on two real connections.

Transaction A imports (or exports) a record and has not committed yet;
transaction B does the same. B must not create a second binding or a
second remote record: it stops with a RetryableJobError, and once A has
committed, running B again updates what A created.
"""
import os
from contextlib import contextmanager

import odoo
import pytest
from odoo import SUPERUSER_ID, api

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.exception import RetryableJobError
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.synchronizer import Exporter, Importer


@pytest.fixture(scope='module')
def registry():
    return odoo.registry(os.environ.get('CONNECTOR_TEST_DB') or odoo.tools.config['db_name'])


@contextmanager
def transaction(registry):
    """A session on a new connection; committed only when the test says so."""
    with api.Environment.manage():
        cr = registry.cursor()
        try:
            # Without the framework's lock, B would wait on A's row locks:
            # fail fast instead of hanging.
            cr.execute("SET lock_timeout = '3s'")
            yield ConnectorSession(cr, SUPERUSER_ID)
        finally:
            cr.rollback()
            cr.close()


def unit(session, backend_id, unit_class):
    backend = session.env['test.sync.backend'].browse(backend_id)
    return ConnectorEnvironment(backend, session, 'test.sync.partner').get_connector_unit(
        unit_class)


@pytest.fixture
def committed(registry):
    """A backend and a remote partner, committed; everything removed afterwards."""
    with transaction(registry) as session:
        env = session.env
        backend = env['test.sync.backend'].create({'name': 'Concurrent Shop'})
        remote = env['test.sync.remote.partner'].create({'name': 'Contended Ltd'})
        local = env['res.partner'].create({'name': 'Exported Twice Ltd'})
        ids = {'backend': backend.id, 'remote': remote.id, 'local': local.id}
        session.cr.commit()
    yield ids
    with transaction(registry) as session:
        env = session.env
        bindings = env['test.sync.partner'].search([('backend_id', '=', ids['backend'])])
        partners = bindings.mapped('openerp_id') | env['res.partner'].browse(ids['local'])
        bindings.unlink()
        partners.exists().unlink()
        env['test.sync.remote.partner'].search(
            ['|', ('id', '=', ids['remote']), ('name', '=', 'Exported Twice Ltd')]).unlink()
        env['test.sync.backend'].browse(ids['backend']).unlink()
        session.cr.commit()


def test_concurrent_imports_create_one_binding(registry, committed):
    """B's import of a record A is importing retries; after A commits, B updates."""
    external_id = str(committed['remote'])
    with transaction(registry) as session_a, transaction(registry) as session_b:
        unit(session_a, committed['backend'], Importer).run(external_id)
        with pytest.raises(RetryableJobError) as caught:
            unit(session_b, committed['backend'], Importer).run(external_id)
        assert 'test.sync.partner %s is being synchronized by another transaction' % (
            external_id) in str(caught.value)
        assert caught.value.seconds == 5
        session_b.cr.rollback()
        session_a.cr.commit()
        unit(session_b, committed['backend'], Importer).run(external_id, force=True)
        session_b.cr.commit()
        bindings = session_b.env['test.sync.partner'].search(
            [('backend_id', '=', committed['backend'])])
        assert bindings.mapped('external_id') == [external_id]


def test_concurrent_exports_create_one_remote_record(registry, committed):
    """B's export of a binding A is exporting retries; then B writes, not creates."""
    with transaction(registry) as session:
        binding = session.env['test.sync.partner'].with_context(
            connector_no_export=True).create({'openerp_id': committed['local'],
                                              'backend_id': committed['backend']})
        binding_id = binding.id
        session.cr.commit()
    with transaction(registry) as session_a, transaction(registry) as session_b:
        unit(session_a, committed['backend'], Exporter).run(binding_id)
        with pytest.raises(RetryableJobError):
            unit(session_b, committed['backend'], Exporter).run(binding_id)
        session_b.cr.rollback()
        session_a.cr.commit()
        unit(session_b, committed['backend'], Exporter).run(binding_id, fields=['name'])
        session_b.cr.commit()
        remotes = session_b.env['test.sync.remote.partner'].search(
            [('name', '=', 'Exported Twice Ltd')])
        assert len(remotes) == 1
        binding = session_b.env['test.sync.partner'].browse(binding_id)
        assert binding.external_id == str(remotes.id)
