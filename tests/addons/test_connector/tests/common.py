# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import common

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.session import ConnectorSession


class TestBackendCase(common.TransactionCase):
    """A test backend of each version, with a session and environments."""

    def setUp(self):
        super().setUp()
        self.backend_v1 = self.env['test.backend'].create({'name': 'Shop One', 'version': '1.0'})
        self.backend_v2 = self.env['test.backend'].create({'name': 'Shop Two', 'version': '2.0'})
        self.session = ConnectorSession.from_env(self.env)

    def connector_env(self, backend_record, model_name='test.res.partner'):
        return ConnectorEnvironment(backend_record, self.session, model_name)
