# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The example backend and its binder, built only on the connector's API."""
from odoo.tests import common

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.session import ConnectorSession

from ..backend import example_odoo11
from ..units.binder import ExampleBinder


class TestExampleBackend(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.backend = self.env['example.backend'].create({
            'name': 'Head office', 'url': 'http://localhost:8169',
            'database': 'remote', 'login': 'admin', 'password': 'admin'})
        session = ConnectorSession.from_env(self.env)
        self.connector_env = ConnectorEnvironment(self.backend, session, 'example.res.partner')

    def test_backend_record_gives_example_backend(self):
        """An example backend record resolves to the example service, version 11.0."""
        self.assertIs(self.backend.get_backend(), example_odoo11)

    def test_binder_binds_a_remote_partner(self):
        """The example binder links a remote partner id to a local partner."""
        binder = self.connector_env.get_connector_unit(ExampleBinder)
        binding = self.env['example.res.partner'].create({
            'name': 'Agrolait', 'backend_id': self.backend.id})
        binder.bind(7, binding)
        self.assertEqual(binder.to_openerp(7, unwrap=True, browse=True), binding.openerp_id)
        self.assertEqual(binding.openerp_id.example_bind_ids, binding)

    def test_password_is_for_system_admins_only(self):
        """The remote password is not readable by a connector manager who is not admin."""
        manager = self.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Manager', 'login': 'manager@example.com',
            'groups_id': [(6, 0, [self.env.ref('base.group_user').id,
                                  self.env.ref('connector.group_connector_manager').id])]})
        fields = self.env['example.backend'].sudo(manager).fields_get()
        self.assertNotIn('password', fields)
        self.assertIn('url', fields)

    def test_connector_manager_may_create_partners(self):
        """Import jobs run as the manager who starts them: the group implies Contact Creation."""
        manager = self.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Importer', 'login': 'importer@example.com',
            'groups_id': [(6, 0, [self.env.ref('base.group_user').id,
                                  self.env.ref('connector.group_connector_manager').id])]})
        self.assertTrue(manager.has_group('base.group_partner_manager'))
        partner = self.env['res.partner'].sudo(manager).create({'name': 'Imported Co'})
        self.assertTrue(partner.exists())
