# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import common

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.session import ConnectorSession

from ..units import RemotePartnerAdapter


class SyncCase(common.TransactionCase):
    """A backend, a session, and the adapter's call log."""

    def setUp(self):
        super().setUp()
        self.backend = self.env['test.sync.backend'].create({'name': 'Remote Shop'})
        self.session = ConnectorSession.from_env(self.env)
        self.remote = self.env['test.sync.remote.partner']
        self.bindings = self.env['test.sync.partner']
        RemotePartnerAdapter.calls = []
        self.addCleanup(setattr, RemotePartnerAdapter, 'calls', None)

    @property
    def adapter_calls(self):
        return RemotePartnerAdapter.calls

    def unit(self, unit_class, model_name='test.sync.partner'):
        connector_env = ConnectorEnvironment(self.backend, self.session, model_name)
        return connector_env.get_connector_unit(unit_class)

    def set_remote_write_date(self, remote, date):
        """Make the remote record look changed at ``date`` (text, UTC)."""
        self.env.cr.execute('UPDATE test_sync_remote_partner SET write_date = %s WHERE id = %s',
                            (date, remote.id))
        remote.invalidate_cache()
