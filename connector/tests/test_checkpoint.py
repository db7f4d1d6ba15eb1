# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checkpoints: records to review after a synchronization."""
from odoo.tests import common

from odoo.addons.connector.checkpoint import add_checkpoint
from odoo.addons.connector.exception import ConnectorException
from odoo.addons.connector.session import ConnectorSession


class TestCheckpoint(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession.from_env(self.env)
        self.partner = self.env['res.partner'].create({'name': 'Imported Guess'})
        # Any record can stand for the backend here; connectors pass theirs.
        self.backend = self.env.ref('base.main_company')

    def test_add_checkpoint_points_at_record_and_backend(self):
        """add_checkpoint stores the record and the backend, waiting for review."""
        checkpoint = add_checkpoint(self.session, 'res.partner', self.partner.id,
                                    'res.company', self.backend.id,
                                    message='Country guessed from the phone prefix')
        self.assertEqual(checkpoint.record, self.partner)
        self.assertEqual(checkpoint.backend_id, self.backend)
        self.assertEqual(checkpoint.state, 'need_review')
        self.assertEqual(checkpoint.name, 'res.partner,%d' % self.partner.id)
        self.assertEqual(checkpoint.message, 'Country guessed from the phone prefix')

    def test_reviewed(self):
        """The Reviewed action closes the checkpoint."""
        checkpoint = add_checkpoint(self.session, 'res.partner', self.partner.id,
                                    'res.company', self.backend.id)
        checkpoint.action_reviewed()
        self.assertEqual(checkpoint.state, 'reviewed')

    def test_open_record_action(self):
        """Open record opens the partner's form."""
        checkpoint = add_checkpoint(self.session, 'res.partner', self.partner.id,
                                    'res.company', self.backend.id)
        action = checkpoint.action_open_record()
        self.assertEqual((action['res_model'], action['res_id']),
                         ('res.partner', self.partner.id))

    def test_unknown_model_is_refused(self):
        """A model that does not exist is named in the error."""
        with self.assertRaises(ConnectorException) as caught:
            add_checkpoint(self.session, 'shop.order', 5, 'res.company', self.backend.id)
        self.assertEqual(
            str(caught.exception),
            "Cannot add a checkpoint on shop.order,5 for backend res.company,%d: there is "
            "no model 'shop.order' in this database." % self.backend.id)

    def test_checkpoint_menu_for_managers_only(self):
        """The Checkpoints menu is shown to connector managers, not to employees."""
        users = self.env['res.users'].with_context(no_reset_password=True)
        employee_group = self.env.ref('base.group_user')
        manager = users.create({
            'name': 'Manager', 'login': 'checkpoint_manager@example.com',
            'groups_id': [(6, 0, [employee_group.id,
                                  self.env.ref('connector.group_connector_manager').id])]})
        employee = users.create({'name': 'Employee', 'login': 'checkpoint_employee@example.com',
                                 'groups_id': [(6, 0, [employee_group.id])]})
        menu = self.env.ref('connector.menu_connector_checkpoint')
        menus = self.env['ir.ui.menu']
        self.assertIn(menu.id, menus.sudo(manager).load_menus(False)['all_menu_ids'])
        self.assertNotIn(menu.id, menus.sudo(employee).load_menus(False)['all_menu_ids'])
        self.assertFalse(self.env['connector.checkpoint'].sudo(employee).check_access_rights(
            'read', raise_exception=False))
