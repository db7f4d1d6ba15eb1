# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The framework's synchronization jobs and the delayed batch importer."""
from odoo.addons.connector.queue.job import Job
from odoo.addons.connector.unit.synchronizer import DelayedBatchImporter
from odoo.addons.connector.unit.synchronizer.jobs import (export_delete_record, export_record,
                                                          import_batch, import_record)

from .common import SyncCase


class TestSyncJobs(SyncCase):

    def run_job(self, job_uuid):
        """Run a stored job in this transaction, as the runner would."""
        stored = Job.load(self.env, job_uuid).resolve(self.env)
        return stored.perform(self.env)

    def jobs_of(self, func):
        return self.env['queue.job'].search([('func_string', '=', func.func_string)],
                                            order='id')

    def test_delayed_batch_importer_delays_one_job_per_record(self):
        """The delayed batch importer stores one import_record job per external id."""
        first = self.remote.create({'name': 'Soylent'})
        second = self.remote.create({'name': 'Tyrell'})
        self.unit(DelayedBatchImporter).run()
        jobs = self.jobs_of(import_record)
        self.assertEqual(len(jobs), 2)
        self.assertEqual(jobs.mapped('model_name'), ['test.sync.partner'] * 2)
        self.assertEqual(jobs.mapped('name'), [
            'Import test.sync.partner %s from Remote Shop' % first.id,
            'Import test.sync.partner %s from Remote Shop' % second.id])
        self.assertFalse(self.bindings.search([('backend_id', '=', self.backend.id)]))
        for stored in jobs:
            self.run_job(stored.uuid)
        names = self.bindings.search([('backend_id', '=', self.backend.id)]).mapped('name')
        self.assertEqual(sorted(names), ['Soylent', 'Tyrell'])
        self.assertEqual(sorted(self.bindings.search([]).mapped('external_id')),
                         sorted([str(first.id), str(second.id)]))

    def test_import_record_job(self):
        """import_record imports with the registered importer and says what it did."""
        remote = self.remote.create({'name': 'Cyberdyne'})
        job_uuid = import_record.delay(self.session, 'test.sync.partner', self.backend,
                                       str(remote.id))
        result = self.run_job(job_uuid)
        binding = self.bindings.search([('external_id', '=', str(remote.id))])
        self.assertEqual(result, 'Imported %s as test.sync.partner,%s.' % (remote.id,
                                                                           binding.id))

    def test_import_batch_job(self):
        """import_batch imports every listed record inside the job."""
        self.remote.create({'name': 'Oscorp'})
        self.run_job(import_batch.delay(self.session, 'test.sync.partner', self.backend))
        self.assertEqual(self.bindings.search([('backend_id', '=', self.backend.id)]).name,
                         'Oscorp')

    def test_export_and_delete_jobs(self):
        """export_record creates the remote record; export_delete_record removes it."""
        binding = self.bindings.create({'name': 'Massive Dynamic',
                                        'backend_id': self.backend.id})
        self.run_job(export_record.delay(self.session, 'test.sync.partner', binding.id))
        remote = self.remote.browse(int(binding.external_id))
        self.assertEqual(remote.name, 'Massive Dynamic')
        job_uuid = export_delete_record.delay(self.session, 'test.sync.partner', self.backend,
                                              binding.external_id)
        self.run_job(job_uuid)
        self.assertFalse(remote.exists())

    def test_export_of_deleted_binding_is_a_no_op(self):
        """Exporting a binding deleted since the job was queued does nothing."""
        binding = self.bindings.create({'name': 'Gone', 'backend_id': self.backend.id})
        job_uuid = export_record.delay(self.session, 'test.sync.partner', binding.id)
        binding_id = binding.id
        binding.unlink()
        self.assertEqual(self.run_job(job_uuid), 'Binding test.sync.partner,%s no longer '
                         'exists: nothing to export.' % binding_id)

    def test_export_job_opens_its_binding(self):
        """The export job's related action opens the binding."""
        binding = self.bindings.create({'name': 'Related', 'backend_id': self.backend.id})
        job_uuid = export_record.delay(self.session, 'test.sync.partner', binding.id)
        action = Job.load(self.env, job_uuid).related_action(self.env)
        self.assertEqual((action['res_model'], action['res_id']),
                         ('test.sync.partner', binding.id))

    def test_open_related_record_only_where_there_is_one(self):
        """The button shows on jobs with a related action, not on the others."""
        binding = self.bindings.create({'name': 'Buttons', 'backend_id': self.backend.id})
        export_uuid = export_record.delay(self.session, 'test.sync.partner', binding.id)
        delete_uuid = export_delete_record.delay(self.session, 'test.sync.partner',
                                                 self.backend, '99')
        jobs = self.env['queue.job']
        self.assertTrue(jobs.search([('uuid', '=', export_uuid)]).has_related_action)
        self.assertFalse(jobs.search([('uuid', '=', delete_uuid)]).has_related_action)
