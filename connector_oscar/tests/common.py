# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import common

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.session import ConnectorSession


class OscarCase(common.TransactionCase):
    """A shop backend (not reachable: nothing here calls it), a session, environments."""

    def setUp(self):
        super().setUp()
        self.backend = self.env['oscar.backend'].create({
            'name': 'Test shop', 'url': 'http://127.0.0.1:9/api', 'api_token': 'tok-secret'})
        self.session = ConnectorSession.from_env(self.env)

    def connector_env(self, model_name):
        return ConnectorEnvironment(self.backend, self.session, model_name)

    def product(self, code, name='Blue mug', price=12.5):
        return self.env['product.product'].create({
            'name': name, 'default_code': code, 'list_price': price, 'type': 'product'})
