# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The example backend and its binder, built only on the connector's API."""
import socket

from odoo import fields
from odoo.tests import common

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.event import NO_EXPORT_KEY
from odoo.addons.connector.exception import NetworkRetryableError
from odoo.addons.connector.queue.testing import perform_jobs
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.synchronizer.jobs import (export_delete_record, export_record,
                                                          import_record)

from ..backend import example_odoo11
from ..units.binder import ExampleBinder

BINDING_MODEL = 'example.res.partner'
SINCE = '2026-01-02 03:04:05'


def closed_port():
    """A port of 127.0.0.1 on which nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


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


class TestExampleBackendJobs(common.TransactionCase):
    """What the status panel counts, and when ``import_partners_since`` moves."""

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession.from_env(self.env)
        self.Job = self.env['queue.job']

    def new_backend(self, name, url='http://localhost:8169'):
        return self.env['example.backend'].create({
            'name': name, 'url': url, 'database': 'remote', 'login': 'admin',
            'password': 'admin'})

    def jobs(self, *job_uuids):
        return self.Job.search([('uuid', 'in', list(job_uuids))])

    def delay_jobs(self, backend, failed):
        """Delay one job of each kind for ``backend``; mark ``failed`` of them failed.

        Returns (pending jobs, failed jobs); a done job is delayed too, counted nowhere.
        """
        binding = self.env['example.res.partner'].with_context(**{NO_EXPORT_KEY: True}).create(
            {'name': 'Partner of %s' % backend.name, 'backend_id': backend.id,
             'external_id': '%s-1' % backend.id})
        jobs = self.jobs(
            import_record.delay(self.session, BINDING_MODEL, backend, '17'),
            export_record.delay(self.session, BINDING_MODEL, binding.id),
            export_record.delay(self.session, BINDING_MODEL, binding.id, fields=['phone']),
            export_delete_record.delay(self.session, BINDING_MODEL, backend, '18'),
        )
        ended = fields.Datetime.now()  # an ended job has an end date (CHECK constraint)
        jobs[:failed].write({'state': 'failed', 'date_done': ended})
        self.jobs(import_record.delay(self.session, BINDING_MODEL, backend, '19')).write(
            {'state': 'done', 'date_done': ended})
        return jobs[failed:], jobs[:failed]

    def test_status_panel_counts_the_jobs_of_this_backend_only(self):
        """Two backends with jobs of each kind: each counts and opens only its own."""
        # Given two backends, each with import, export and delete jobs
        shop, office = self.new_backend('Shop'), self.new_backend('Office')
        shop_pending, shop_failed = self.delay_jobs(shop, failed=1)
        office_pending, office_failed = self.delay_jobs(office, failed=3)
        self.assertEqual((len(shop_pending), len(office_failed)), (3, 3))
        # When both are read at once, then each counts its own jobs
        self.assertEqual([(b.pending_job_count, b.failed_job_count) for b in shop | office],
                         [(3, 1), (1, 3)])
        # and each stat button opens exactly the jobs it counts
        for backend, pending, failed in ((shop, shop_pending, shop_failed),
                                         (office, office_pending, office_failed)):
            action = backend.action_open_pending_jobs()
            self.assertEqual(action['res_model'], 'queue.job')
            self.assertEqual(self.Job.search(action['domain']), pending, backend.name)
            action = backend.action_open_failed_jobs()
            self.assertEqual(self.Job.search(action['domain']), failed, backend.name)
            self.assertEqual(action['name'], 'Failed jobs of %s' % backend.name)

    def test_export_job_of_a_deleted_binding_counts_until_it_has_run(self):
        """An export job counts for its binding's backend while it waits, also once the
        binding is deleted (it is still to run in that backend's channel); it then ends
        done with nothing to export, and counts no more."""
        shop = self.new_backend('Shop')
        binding = self.env['example.res.partner'].with_context(**{NO_EXPORT_KEY: True}).create(
            {'name': 'Agrolait', 'backend_id': shop.id})
        job = self.jobs(export_record.delay(self.session, BINDING_MODEL, binding.id))
        self.assertEqual(shop.pending_job_count, 1)
        binding.with_context(**{NO_EXPORT_KEY: True}).unlink()
        shop.invalidate_cache()
        self.assertEqual(shop.pending_job_count, 1)
        outcome = perform_jobs(self.env, [('id', '=', job.id)])[job.uuid]
        self.assertEqual(outcome.state, 'done')
        self.assertIn('no longer exists: nothing to export', outcome.message)
        shop.invalidate_cache()
        self.assertEqual(shop.pending_job_count, 0)

    def test_a_job_counts_for_the_backend_stored_with_it_not_its_arguments(self):
        """The count reads the backend stored with a job (backend_model, backend_id), never
        its arguments: a row naming a backend only in its arguments counts nowhere, one
        whose arguments are not even JSON counts by its columns; another model's jobs and
        other backend models are left out."""
        shop, office = self.new_backend('Shop'), self.new_backend('Office')
        args = '[{"_type":"recordset","ids":[%d],"model":"example.backend"},"17"]' % shop.id

        def row(uuid, **values):
            return self.Job.create(dict({'model_name': BINDING_MODEL}, uuid=uuid, **values))

        counted = row('by-columns', args='[garbage', backend_model='example.backend',
                      backend_id=office.id)
        row('by-arguments-only', args=args)
        row('other-backend-model', backend_model='test.other.backend', backend_id=shop.id)
        row('other-model', model_name='res.partner', backend_model='example.backend',
            backend_id=shop.id)
        self.assertEqual(self.Job._backend_job_ids(BINDING_MODEL, shop | office, ['pending']),
                         {office.id: [counted.id]})

    def test_import_partners_since_unchanged_when_the_remote_search_fails(self):
        """A remote that refuses connections: the import raises, nothing moves or is delayed."""
        backend = self.new_backend('Down', url='http://127.0.0.1:%d' % closed_port())
        backend.import_partners_since = SINCE
        jobs_before = self.Job.search_count([])
        with self.assertRaises(NetworkRetryableError) as caught:
            backend.import_partners()
        self.assertIn("Backend 'Down'", str(caught.exception))
        self.assertIn('ConnectionRefusedError', str(caught.exception))
        self.assertEqual(backend.import_partners_since, SINCE)
        self.assertEqual(self.Job.search_count([]), jobs_before)
