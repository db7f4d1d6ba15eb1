# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each way the connector delays a job stores what the job is about (queue/about.py),
and the upgrade to 11.0.1.3.0 tells it to the jobs delayed before."""
import os

from odoo import fields
from odoo.modules.migration import load_script

from odoo.addons.connector.queue.graph import chain
from odoo.addons.connector.unit.synchronizer import DelayedBatchImporter
from odoo.addons.connector.unit.synchronizer.jobs import (export_delete_record, export_record,
                                                          import_batch, import_record)

from .common import SyncCase

BINDING_MODEL = 'test.sync.partner'


class TestJobAbout(SyncCase):

    def setUp(self):
        super().setUp()
        self.binding = self.bindings.create({'name': 'Cyberdyne', 'backend_id': self.backend.id,
                                             'external_id': '42'})
        self.Job = self.env['queue.job']

    def about(self, job_uuid):
        """(about_model, about_id, backend_model, backend_id) of the stored job."""
        record = self.Job.search([('uuid', '=', job_uuid)])
        self.assertEqual(len(record), 1, job_uuid)
        return (record.about_model, record.about_id, record.backend_model, record.backend_id)

    def test_each_delay_helper_stores_what_its_job_is_about(self):
        """Imports and deletions are about the backend; exports and method jobs on a
        binding are about that binding, counted with its backend."""
        # Given a backend and one of its bindings
        backend = ('test.sync.backend', self.backend.id)
        binding = (BINDING_MODEL, self.binding.id)
        # When each helper delays a job
        delayed = {
            'import_record': import_record.delay(self.session, BINDING_MODEL, self.backend,
                                                 '7'),
            'import_batch': import_batch.delay(self.session, BINDING_MODEL, self.backend),
            'export_delete_record': export_delete_record.delay(self.session, BINDING_MODEL,
                                                               self.backend, '7'),
            'export_record': export_record.delay(self.session, BINDING_MODEL,
                                                 self.binding.id),
            'backend._delay_import': self.backend._delay_import(BINDING_MODEL, '8'),
            'binding._delay_import': self.binding._delay_import(),
            'binding._delay_export': self.binding._delay_export(fields=['name']),
            'binding.with_delay': self.binding.with_delay().mark_reviewed().uuid,
        }
        # Then each job carries its record and its backend
        expected = dict.fromkeys(delayed, backend + backend)
        expected.update(dict.fromkeys(
            ('export_record', 'binding._delay_export', 'binding.with_delay'), binding + backend))
        self.assertEqual({name: self.about(job_uuid) for name, job_uuid in delayed.items()},
                         expected)

    def test_graph_and_bulk_delays_store_it_too(self):
        """A job graph (stored by INSERT) and the delayed batch importer's jobs (stored by
        COPY in a bulk_enqueue block) are about their backend."""
        graph = chain(self.backend._delayable_import(BINDING_MODEL, 'C-1'),
                      self.backend._delayable_import(BINDING_MODEL, 'P-1')).delay()
        self.remote.create({'name': 'Soylent'})
        self.remote.create({'name': 'Tyrell'})
        self.unit(DelayedBatchImporter).run()
        batch = self.Job.search([('func_string', '=', import_record.func_string),
                                 ('uuid', 'not in', graph)])
        self.assertEqual(len(batch), 2)
        backend = ('test.sync.backend', self.backend.id)
        self.assertEqual([self.about(job_uuid) for job_uuid in graph + batch.mapped('uuid')],
                         [backend + backend] * 4)

    def test_a_job_on_bindings_of_two_backends_is_counted_with_neither(self):
        """with_delay() on several bindings: about their model, no record, no backend; on
        bindings of one backend: counted with it."""
        other_backend = self.env['test.sync.backend'].create({'name': 'Other Shop'})
        other = self.bindings.create({'name': 'Tyrell', 'backend_id': other_backend.id})
        same = self.bindings.create({'name': 'Soylent', 'backend_id': self.backend.id})
        mixed = (self.binding | other).with_delay().mark_reviewed()
        together = (self.binding | same).with_delay().mark_reviewed()
        self.assertEqual(self.about(mixed.uuid), (BINDING_MODEL, 0, False, 0))
        self.assertEqual(mixed.channel, 'root')
        self.assertEqual(self.about(together.uuid),
                         (BINDING_MODEL, 0, 'test.sync.backend', self.backend.id))

    def test_the_upgrade_tells_the_jobs_delayed_before_what_they_are_about(self):
        """The 11.0.1.3.0 migration fills the columns of the unfinished and failed jobs
        stored without them, by the hooks delay() asks; a done job, and a job whose
        arguments cannot be read, stay about nothing."""
        # Given jobs of each kind stored as 11.0.1.0.0 stored them: about nothing
        delayed = [import_record.delay(self.session, BINDING_MODEL, self.backend, '7'),
                   export_record.delay(self.session, BINDING_MODEL, self.binding.id),
                   self.binding.with_delay().mark_reviewed().uuid,
                   export_delete_record.delay(self.session, BINDING_MODEL, self.backend, '8'),
                   import_batch.delay(self.session, BINDING_MODEL, self.backend)]
        ended = fields.Datetime.now()
        for job_uuid, state in ((delayed[3], 'failed'), (delayed[4], 'done')):
            self.Job.search([('uuid', '=', job_uuid)]).write({'state': state,
                                                              'date_done': ended})
        self.Job.create({'uuid': 'unreadable', 'func_string': import_record.func_string,
                         'model_name': BINDING_MODEL, 'args': '[garbage'})
        self.env.cr.execute('UPDATE queue_job SET about_model = NULL, about_id = NULL, '
                            'backend_model = NULL, backend_id = NULL')
        self.Job.invalidate_cache()
        # When the migration runs
        path = os.path.join('connector', 'migrations', '11.0.1.3.0', 'end-migrate.py')
        load_script(path, 'end-migrate').migrate(self.env.cr, '11.0.1.0.0')
        self.Job.invalidate_cache()
        # Then each job of an unfinished or failed state is told what it is about
        backend = ('test.sync.backend', self.backend.id)
        binding = (BINDING_MODEL, self.binding.id)
        self.assertEqual([self.about(job_uuid) for job_uuid in delayed + ['unreadable']],
                         [backend + backend, binding + backend, binding + backend,
                          backend + backend, (False, 0, False, 0), (False, 0, False, 0)])
