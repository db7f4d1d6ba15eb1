# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Exporter and deleter, writing to the table-backed remote."""
from odoo.addons.connector.unit.synchronizer import Deleter, Exporter

from .. import consumers
from .common import SyncCase


class TestExporter(SyncCase):

    def setUp(self):
        super().setUp()
        # Created without connector_no_export: the records keep their env's context.
        self.company_binding = self.bindings.create({
            'name': 'Umbrella Corp', 'is_company': True, 'backend_id': self.backend.id})
        self.contact_binding = self.bindings.create({
            'name': 'Alice Abernathy', 'email': 'alice@umbrella.example',
            'parent_id': self.company_binding.openerp_id.id, 'backend_id': self.backend.id})
        del consumers.exported[:]

    def remote_of(self, binding):
        return self.remote.browse(int(binding.external_id))

    def test_export_creates_remote_and_binds(self):
        """Exporting a new binding creates the remote record and stores its id."""
        result = self.unit(Exporter).run(self.company_binding.id)
        remote = self.remote_of(self.company_binding)
        self.assertEqual((remote.name, remote.is_company), ('Umbrella Corp', True))
        self.assertEqual(result, 'Exported test.sync.partner,%s as %s.'
                         % (self.company_binding.id, remote.id))
        self.assertTrue(self.company_binding.sync_date)

    def test_dependency_is_exported_first(self):
        """Exporting a contact exports its company first and links them remotely."""
        self.unit(Exporter).run(self.contact_binding.id)
        self.assertTrue(self.company_binding.external_id, 'the company was not exported')
        remote_contact = self.remote_of(self.contact_binding)
        self.assertEqual(remote_contact.parent_id, self.remote_of(self.company_binding))
        creates = [call[1]['name'] for call in self.adapter_calls if call[0] == 'create']
        self.assertEqual(creates, ['Umbrella Corp', 'Alice Abernathy'])

    def test_dependency_without_binding_gets_one(self):
        """A parent without a binding on this backend is bound, then exported."""
        parent = self.env['res.partner'].create({'name': 'Wayne Enterprises',
                                                 'is_company': True})
        binding = self.bindings.with_context(connector_no_export=True).create({
            'name': 'Lucius Fox', 'parent_id': parent.id, 'backend_id': self.backend.id})
        self.unit(Exporter).run(binding.id)
        parent_binding = parent.env['test.sync.partner'].search([('openerp_id', '=', parent.id)])
        self.assertEqual(len(parent_binding), 1)
        self.assertEqual(self.remote_of(binding).parent_id.name, 'Wayne Enterprises')

    def test_update_sends_only_changed_fields(self):
        """With fields, an update reads the remote record (to see what changed there),
        then writes only what those fields map to."""
        self.unit(Exporter).run(self.company_binding.id)
        del self.adapter_calls[:]
        self.company_binding.with_context(connector_no_export=True).write(
            {'email': 'info@umbrella.example'})
        self.unit(Exporter).run(self.company_binding.id, fields=['email'])
        self.assertEqual(self.adapter_calls, [
            ('read', self.company_binding.external_id),
            ('write', self.company_binding.external_id, {'email': 'info@umbrella.example'})])
        self.assertEqual(self.remote_of(self.company_binding).email, 'info@umbrella.example')

    def test_unchanged_binding_is_skipped(self):
        """Without fields, a binding not changed since its last sync is not sent."""
        self.unit(Exporter).run(self.company_binding.id)
        del self.adapter_calls[:]
        result = self.unit(Exporter).run(self.company_binding.id)
        self.assertEqual(result, 'Nothing changed since the last synchronization.')
        self.assertEqual(self.adapter_calls, [])

    def test_changed_binding_is_sent_without_fields(self):
        """Without fields, a binding whose partner changed after the last sync sends
        the fields that differ from the remote record, and only those."""
        self.unit(Exporter).run(self.company_binding.id)
        self.company_binding.with_context(connector_no_export=True).write(
            {'email': 'hq@umbrella.example'})
        self.env.cr.execute("UPDATE test_sync_partner SET sync_date = '2000-01-01' "
                            "WHERE id = %s", (self.company_binding.id,))
        self.company_binding.invalidate_cache()
        del self.adapter_calls[:]
        self.unit(Exporter).run(self.company_binding.id)
        self.assertEqual(self.adapter_calls, [
            ('read', self.company_binding.external_id),
            ('write', self.company_binding.external_id, {'email': 'hq@umbrella.example'})])

    def test_user_write_exports_and_import_write_does_not(self):
        """The write consumer exports a user's change, not a synchronizer's."""
        self.unit(Exporter).run(self.company_binding.id)
        self.company_binding.with_context(connector_no_export=True).write({'name': 'Quiet'})
        self.assertEqual(consumers.exported, [])
        self.company_binding.write({'name': 'Umbrella Holdings'})
        self.assertEqual(consumers.exported, [(self.company_binding.id, ['name'])])
        self.assertEqual(self.remote_of(self.company_binding).name, 'Umbrella Holdings')

    def test_deleter_deletes_remote(self):
        """The deleter removes the external record."""
        self.unit(Exporter).run(self.company_binding.id)
        remote = self.remote_of(self.company_binding)
        result = self.unit(Deleter).run(self.company_binding.external_id)
        self.assertEqual(result, 'Record %s deleted on the backend.' % remote.id)
        self.assertFalse(remote.exists())
