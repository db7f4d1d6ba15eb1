# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two-way sync, field by field: what each side changed since the last sync."""
import json

from odoo.addons.connector.queue.testing import perform_jobs
from odoo.addons.connector.unit.conflict import ConflictResolver
from odoo.addons.connector.unit.synchronizer import Exporter, Importer

from .common import SyncCase


class TwoWayCase(SyncCase):

    def setUp(self):
        super().setUp()
        self.remote_partner = self.remote.create({'name': 'Acme Corp', 'is_company': True,
                                                  'email': 'info@acme.example'})
        self.external_id = str(self.remote_partner.id)
        self.unit(Importer).run(self.external_id)
        self.binding = self.bindings.search([('external_id', '=', self.external_id)])

    def change_locally(self, values):
        """A local change whose export has not run yet."""
        self.binding.with_context(connector_no_export=True).write(values)

    def checkpoints(self, field_name):
        return self.env['connector.checkpoint'].search([
            ('record_id', '=', self.binding.id), ('conflict_field', '=', field_name),
            ('model_id.model', '=', 'test.sync.partner')])


class TestSyncState(TwoWayCase):

    def test_import_saves_the_synchronized_values(self):
        """After an import the binding knows what both sides had."""
        state = json.loads(self.binding.sync_values)
        self.assertEqual((state['name'], state['email'], state['is_company'],
                          state['parent_id']), ('Acme Corp', 'info@acme.example', True, False))

    def test_import_keeps_a_local_change_the_remote_did_not_make(self):
        """Only the remote changed email: it is written; the local name change is kept."""
        self.change_locally({'name': 'Acme (local)'})
        self.remote_partner.write({'email': 'sales@acme.example'})
        self.unit(Importer).run(self.external_id)
        self.assertEqual((self.binding.name, self.binding.email),
                         ('Acme (local)', 'sales@acme.example'))

    def test_import_of_an_unchanged_record_writes_nothing(self):
        """Nothing differs: nothing is written, whatever the remote's date says."""
        self.set_remote_write_date(self.remote_partner, '2999-01-01 00:00:00')
        self.assertEqual(self.unit(Importer).run(self.external_id), 'Already up to date.')

    def test_full_import_repairs_a_record_that_differs(self):
        """A local record that differs while Odoo's side did not change since the last
        sync (no synchronized values: a binding from before they were kept) is repaired,
        even when the remote's date is older than the last sync."""
        self.env.cr.execute("UPDATE test_sync_partner SET sync_values = NULL WHERE id = %s",
                            (self.binding.id,))
        self.env.cr.execute("UPDATE res_partner SET email = 'corrupted@example' WHERE id = %s",
                            (self.binding.openerp_id.id,))
        self.binding.invalidate_cache()
        self.set_remote_write_date(self.remote_partner, '2000-01-01 00:00:00')
        self.unit(Importer).run(self.external_id)
        self.assertEqual(self.binding.email, 'info@acme.example')

    def test_export_sends_only_what_changed_here_not_what_changed_there(self):
        """email changed on the remote, name here: an export of both fields sends the
        name only, and the remote keeps its email."""
        self.change_locally({'name': 'Acme Renamed'})
        self.remote_partner.write({'email': 'remote@acme.example'})
        del self.adapter_calls[:]
        self.unit(Exporter).run(self.binding.id, fields=['name', 'email'])
        writes = [call for call in self.adapter_calls if call[0] == 'write']
        self.assertEqual(writes, [('write', self.external_id, {'name': 'Acme Renamed'})])
        self.assertEqual((self.remote_partner.name, self.remote_partner.email),
                         ('Acme Renamed', 'remote@acme.example'))

    def test_model_logic_that_rewrites_an_imported_value_is_undone(self):
        """res.partner copies its parent's address onto a new contact: the importer
        writes the imported (empty) address again and says so."""
        self.binding.openerp_id.write({'street': '1 Acme Road', 'city': 'Springfield'})
        importer = self.unit(Importer)
        contact = importer._create({'name': 'Wile E.', 'parent_id': self.binding.openerp_id.id,
                                    'street': False, 'city': False})
        self.assertEqual(contact.street, '1 Acme Road', 'res.partner copied the address')
        rewritten = importer._rewrite_what_the_model_changed(
            contact, {'name': 'Wile E.', 'street': False, 'city': False})
        self.assertEqual(sorted(rewritten), ['city', 'street'])
        self.assertEqual((contact.street, contact.city), (False, False))


class TestConflicts(TwoWayCase):

    def both_change_name(self):
        self.change_locally({'name': 'Acme Local'})
        self.remote_partner.write({'name': 'Acme Remote'})

    def test_remote_wins(self):
        """Policy remote: the import writes the remote value; logged on the binding."""
        self.backend.conflict_policy = 'remote'
        self.both_change_name()
        self.unit(Importer).run(self.external_id)
        self.assertEqual(self.binding.name, 'Acme Remote')
        self.assertIn('name changed on both sides (here "Acme Local"', self.binding.sync_log)
        self.assertIn('decided: remote', self.binding.sync_log)
        self.assertFalse(self.checkpoints('name'))

    def test_local_wins(self):
        """Policy local: the import keeps the local value and delays its export, which
        sends it."""
        self.backend.conflict_policy = 'local'
        self.both_change_name()
        self.unit(Importer).run(self.external_id)
        self.assertEqual(self.binding.name, 'Acme Local')
        outcomes = perform_jobs(self.env, [('func_string', 'like', '%export_record')])
        self.assertEqual([o.state for o in outcomes.values()], ['done'])
        self.assertEqual(self.remote_partner.name, 'Acme Local')

    def test_ask_overwrites_nothing_and_keeps_one_checkpoint(self):
        """Policy ask: neither side changes; one checkpoint with both values, updated when
        the conflict is met again."""
        self.backend.conflict_policy = 'ask'
        self.both_change_name()
        self.unit(Importer).run(self.external_id)
        self.unit(Exporter).run(self.binding.id, fields=['name'])
        self.assertEqual((self.binding.name, self.remote_partner.name),
                         ('Acme Local', 'Acme Remote'))
        checkpoint = self.checkpoints('name')
        self.assertEqual(len(checkpoint), 1)
        self.assertEqual((checkpoint.local_display, checkpoint.remote_display, checkpoint.state),
                         ('Acme Local', 'Acme Remote', 'need_review'))
        self.assertEqual(checkpoint.message, (
            "Backend 'Remote Shop': Name of test.sync.partner 'Acme Local' (external id %s) "
            "changed on both sides since the last synchronization: choose the value to keep."
            % self.external_id))

    def test_keep_local_from_the_checkpoint_reaches_the_remote(self):
        """The checkpoint's "keep the Odoo value" delays an export that sends it."""
        self.backend.conflict_policy = 'ask'
        self.both_change_name()
        self.unit(Importer).run(self.external_id)
        self.checkpoints('name').action_keep_local()
        self.assertIn('name: %s kept the Odoo value' % self.env.user.name,
                      self.binding.sync_log.splitlines()[0])
        perform_jobs(self.env)
        self.assertEqual(self.remote_partner.name, 'Acme Local')
        self.assertEqual(self.checkpoints('name').resolution, 'local')
        self.assertEqual(self.unit(Importer).run(self.external_id), 'Already up to date.')

    def test_keep_remote_from_the_checkpoint_reaches_odoo(self):
        """The checkpoint's "keep the backend value" delays an import that writes it."""
        self.backend.conflict_policy = 'ask'
        self.both_change_name()
        self.unit(Exporter).run(self.binding.id, fields=['name'])
        self.checkpoints('name').action_keep_remote()
        perform_jobs(self.env)
        self.assertEqual(self.binding.name, 'Acme Remote')
        self.assertEqual(self.remote_partner.name, 'Acme Remote')

    def test_a_resolver_merges_one_field(self):
        """A registered resolver's resolve_email merges both values onto both sides."""
        self.backend.conflict_policy = 'remote'
        self.change_locally({'email': 'local@acme.example'})
        self.remote_partner.write({'email': 'remote@acme.example'})
        self.unit(Importer).run(self.external_id)
        perform_jobs(self.env)
        merged = 'local@acme.example, remote@acme.example'
        self.assertEqual((self.binding.email, self.remote_partner.email), (merged, merged))

    def test_a_resolver_answering_nonsense_is_a_clear_error(self):
        """A resolver must answer LOCAL, REMOTE, ASK or a Merge."""
        resolver = type('Nonsense', (ConflictResolver,), {
            '_model_name': 'test.sync.partner', 'resolve': lambda self, conflict: 'maybe'})
        importer = self.unit(Importer)
        importer._conflict_resolver = resolver(importer.connector_env)
        self.both_change_name()
        with self.assertRaisesRegex(ValueError, "Backend 'Remote Shop': Nonsense.resolve"
                                                r"\(\) returned 'maybe' for field 'name'"):
            importer.run(self.external_id)
