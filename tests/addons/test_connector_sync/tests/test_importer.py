# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Importer and batch importer, reading from the table-backed remote."""
from odoo.addons.connector.exception import InvalidDataError
from odoo.addons.connector.unit.synchronizer import DirectBatchImporter, Importer

from .. import consumers
from .common import SyncCase


class TestImporter(SyncCase):

    def setUp(self):
        super().setUp()
        self.company = self.remote.create({'name': 'Acme Corp', 'is_company': True})
        self.contact = self.remote.create({'name': 'Ann Smith', 'email': 'ann@acme.example',
                                           'parent_id': self.company.id})
        del consumers.exported[:]

    def test_import_creates_and_binds(self):
        """Importing an external id creates the binding with mapped values and binds it."""
        result = self.unit(Importer).run(str(self.company.id))
        binding = self.bindings.search([('external_id', '=', str(self.company.id))])
        self.assertEqual(result, 'Imported %s as test.sync.partner,%s.' % (self.company.id,
                                                                           binding.id))
        self.assertEqual((binding.name, binding.is_company, binding.backend_id),
                         ('Acme Corp', True, self.backend))
        self.assertTrue(binding.sync_date)
        self.assertEqual(binding.comment, 'Imported from remote partner %s' % self.company.id)

    def test_dependency_is_imported_first(self):
        """Importing a contact imports its company first and links them."""
        self.unit(Importer).run(str(self.contact.id))
        contact = self.bindings.search([('external_id', '=', str(self.contact.id))])
        company = self.bindings.search([('external_id', '=', str(self.company.id))])
        self.assertTrue(company, 'the company was not imported')
        self.assertEqual(contact.parent_id, company.openerp_id)
        reads = [call[1] for call in self.adapter_calls if call[0] == 'read']
        self.assertEqual(reads, [str(self.contact.id), str(self.company.id)])

    def test_bound_dependency_is_not_imported_again(self):
        """A dependency that is already bound is not read again."""
        self.unit(Importer).run(str(self.company.id))
        del self.adapter_calls[:]
        self.unit(Importer).run(str(self.contact.id))
        self.assertEqual([call[1] for call in self.adapter_calls if call[0] == 'read'],
                         [str(self.contact.id)])

    def test_embedded_record_is_imported_without_a_read(self):
        """run(data=...) imports the record the caller already has: the adapter is
        not asked (a shop's customer arrives inside its order)."""
        record = {'id': 'C-77', 'name': 'Embedded Ltd', 'is_company': True, 'email': False,
                  'parent_id': False, 'write_date': '2020-01-01 00:00:00'}
        self.unit(Importer).run('C-77', data=record)
        binding = self.bindings.search([('external_id', '=', 'C-77')])
        self.assertEqual((binding.name, binding.is_company), ('Embedded Ltd', True))
        self.assertEqual([call for call in self.adapter_calls if call[0] == 'read'], [])

    def test_not_newer_is_skipped(self):
        """A remote record not changed since the last sync is not written again."""
        self.set_remote_write_date(self.company, '2020-01-01 00:00:00')
        self.unit(Importer).run(str(self.company.id))
        binding = self.bindings.search([('external_id', '=', str(self.company.id))])
        binding.with_context(connector_no_export=True).write({'name': 'Local edit'})
        result = self.unit(Importer).run(str(self.company.id))
        self.assertEqual(result, 'Already up to date.')
        self.assertEqual(binding.name, 'Local edit')

    def test_newer_is_updated(self):
        """A remote record changed after the last sync updates the binding."""
        self.unit(Importer).run(str(self.company.id))
        binding = self.bindings.search([('external_id', '=', str(self.company.id))])
        self.company.write({'name': 'Acme Corporation'})
        self.set_remote_write_date(self.company, '2999-01-01 00:00:00')
        self.unit(Importer).run(str(self.company.id))
        self.assertEqual(binding.name, 'Acme Corporation')
        self.assertEqual(self.bindings.search_count([('backend_id', '=', self.backend.id)]), 1)

    def test_force_imports_even_when_up_to_date(self):
        """force=True imports a record that looks up to date."""
        self.set_remote_write_date(self.company, '2020-01-01 00:00:00')
        self.unit(Importer).run(str(self.company.id))
        self.company.write({'name': 'Acme Forced'})
        self.set_remote_write_date(self.company, '2020-01-01 00:00:00')
        self.unit(Importer).run(str(self.company.id), force=True)
        binding = self.bindings.search([('external_id', '=', str(self.company.id))])
        self.assertEqual(binding.name, 'Acme Forced')

    def test_only_create_mapping_is_not_reapplied(self):
        """An update does not rewrite values mapped only on create."""
        self.unit(Importer).run(str(self.company.id))
        binding = self.bindings.search([('external_id', '=', str(self.company.id))])
        binding.with_context(connector_no_export=True).write({'comment': 'Kept'})
        self.unit(Importer).run(str(self.company.id), force=True)
        self.assertEqual(binding.comment, 'Kept')

    def test_missing_remote_record(self):
        """An external id that no longer exists imports nothing and says so."""
        result = self.unit(Importer).run('999999')
        self.assertEqual(result, 'Record 999999 no longer exists in the backend.')
        self.assertFalse(self.bindings.search([('external_id', '=', '999999')]))

    def test_invalid_record_leaves_nothing(self):
        """A remote record without a name fails with a message and creates nothing."""
        nameless = self.remote.create({'name': False, 'parent_id': self.company.id})
        partners_before = self.env['res.partner'].search_count([])
        with self.assertRaises(InvalidDataError) as caught:
            with self.env.cr.savepoint():
                self.unit(Importer).run(str(nameless.id))
        self.assertEqual(
            str(caught.exception),
            "Backend 'Remote Shop' (test.sync.backend,%d): cannot import test.sync.partner "
            "'%s': its 'name' is empty. Fix the record on the backend, then run its import "
            "again." % (self.backend.id, nameless.id))
        self.assertEqual(self.env['res.partner'].search_count([]), partners_before)

    def test_import_does_not_export(self):
        """Writes of an import carry connector_no_export: the export consumer stays quiet."""
        self.unit(Importer).run(str(self.contact.id))
        self.company.write({'name': 'Acme Renamed'})
        self.unit(Importer).run(str(self.company.id), force=True)
        self.assertEqual(consumers.exported, [])


class TestBatchImporter(SyncCase):

    def test_batch_imports_every_record(self):
        """The batch importer imports every record the adapter lists."""
        company = self.remote.create({'name': 'Globex', 'is_company': True})
        self.remote.create({'name': 'Hank Scorpio', 'parent_id': company.id})
        self.remote.create({'name': 'Initech', 'is_company': True})
        external_ids = self.unit(DirectBatchImporter).run()
        self.assertEqual(len(external_ids), 3)
        names = sorted(self.bindings.search([('backend_id', '=', self.backend.id)]).mapped('name'))
        self.assertEqual(names, ['Globex', 'Hank Scorpio', 'Initech'])

    def test_batch_passes_filters_to_adapter(self):
        """Filters reach the adapter's search: only records changed since a date."""
        old = self.remote.create({'name': 'Old Co'})
        new = self.remote.create({'name': 'New Co'})
        self.set_remote_write_date(old, '2020-01-01 00:00:00')
        self.set_remote_write_date(new, '2030-01-01 00:00:00')
        external_ids = self.unit(DirectBatchImporter).run(filters={'since': '2025-01-01'})
        self.assertEqual(external_ids, [str(new.id)])
        self.assertEqual(self.adapter_calls[0], ('search', {'since': '2025-01-01'}))
