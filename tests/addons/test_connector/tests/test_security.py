# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Connector Manager group and the Connectors menu."""
from odoo.exceptions import AccessError
from odoo.tests import common


class TestConnectorManagerGroup(common.TransactionCase):

    def setUp(self):
        super().setUp()
        users = self.env['res.users'].with_context(no_reset_password=True)
        self.manager = users.create({
            'name': 'Connector Manager', 'login': 'connector_manager@example.com',
            'groups_id': [(6, 0, [self.env.ref('base.group_user').id,
                                  self.env.ref('connector.group_connector_manager').id])]})
        self.employee = users.create({
            'name': 'Employee', 'login': 'employee@example.com',
            'groups_id': [(6, 0, [self.env.ref('base.group_user').id])]})
        self.root_menu = self.env.ref('connector.menu_connector_root')

    def visible_menu_ids(self, user):
        menus = self.env['ir.ui.menu'].sudo(user).load_menus(debug=False)
        return set(menus['all_menu_ids'])

    def test_manager_sees_connectors_menu(self):
        """A member of Connector Manager sees the top-level Connectors menu."""
        self.assertIn(self.root_menu.id, self.visible_menu_ids(self.manager))
        self.assertFalse(self.root_menu.parent_id)

    def test_employee_does_not_see_connectors_menu(self):
        """A user outside the group does not see it."""
        self.assertNotIn(self.root_menu.id, self.visible_menu_ids(self.employee))

    def test_employee_cannot_read_backends(self):
        """Backends are readable by connector managers only."""
        backend = self.env['test.backend'].create({'name': 'Shop', 'version': '1.0'})
        self.assertEqual(backend.sudo(self.manager).name, 'Shop')
        with self.assertRaises(AccessError):
            backend.sudo(self.employee).read(['name'])
