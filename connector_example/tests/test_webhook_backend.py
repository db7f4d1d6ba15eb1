# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A backend's webhook settings and the example's WebhookHandler, in one transaction:
the secret and its rotation, who may see it, and the jobs an event stores."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import common

from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.webhook_handler import WebhookHandler
from odoo.addons.connector.webhook import WebhookRefused

BINDING_MODEL = 'example.res.partner'


class TestWebhookBackend(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.backend = self.env['example.backend'].create({
            'name': 'Shop EU', 'url': 'http://localhost:8169', 'database': 'remote',
            'login': 'admin', 'password': 'admin', 'requests_per_second': 5})

    def handler(self):
        session = ConnectorSession.from_env(self.env)
        return self.backend._connector_environment(session).get_connector_unit(WebhookHandler)

    def jobs(self, uuids):
        return self.env['queue.job'].search([('uuid', 'in', uuids)])

    def test_generated_secret_sets_the_user_and_the_url_names_the_backend(self):
        """A whsec_ secret, the job user set to the one who generated it, and a URL
        /connector/webhook/example.backend/<id>."""
        self.backend.action_generate_webhook_secret()
        self.assertTrue(self.backend.webhook_secret.startswith('whsec_'))
        self.assertEqual(self.backend.webhook_user_id, self.env.user)
        self.assertTrue(self.backend.webhook_url.endswith(
            '/connector/webhook/example.backend/%d' % self.backend.id))
        self.assertEqual(self.backend._webhook_secrets(), [self.backend.webhook_secret])

    def test_rotation_keeps_the_previous_secret_for_the_rotation_period(self):
        """A new secret: the previous one is accepted until now + rotation hours, then not."""
        self.backend.webhook_rotation_hours = 6
        self.backend.action_generate_webhook_secret()
        old = self.backend.webhook_secret
        self.backend.action_generate_webhook_secret()
        new = self.backend.webhook_secret
        self.assertNotEqual(old, new)
        self.assertEqual(self.backend._webhook_secrets(), [new, old])
        until = fields.Datetime.from_string(self.backend.webhook_previous_until)
        expected = fields.Datetime.from_string(fields.Datetime.now()) + timedelta(hours=6)
        self.assertLess(abs((until - expected).total_seconds()), 60)
        self.backend.webhook_previous_until = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(seconds=1))
        self.assertEqual(self.backend._webhook_secrets(), [new])

    def test_a_connector_manager_who_is_not_admin_neither_reads_nor_makes_the_secret(self):
        """The secret field is for base.group_system; the button says who may use it."""
        manager = self.env['res.users'].create({
            'name': 'Manager', 'login': 'webhook-manager',
            'groups_id': [(6, 0, [self.env.ref('base.group_user').id,
                                  self.env.ref('connector.group_connector_manager').id])]})
        backend = self.backend.sudo(manager)
        self.assertNotIn('webhook_secret', backend.fields_get())
        with self.assertRaisesRegex(AccessError, "Backend 'Shop EU': only an administrator"):
            backend.action_generate_webhook_secret()

    def test_events_delay_one_import_per_partner_in_the_backend_channel(self):
        """partner.updated three times about one partner: one import job, keyed per
        partner, in the backend's channel; another partner gets its own job."""
        handler = self.handler()
        self.assertEqual(sorted(handler.event_types()),
                         ['partner.created', 'partner.deleted', 'partner.updated'])
        uuids = {handler.handle({'type': 'partner.updated', 'data': {'id': 7}}, 'msg_%d' % n)
                 [0] for n in range(3)}
        uuids.add(handler.handle({'type': 'partner.created', 'data': {'id': 8}}, 'msg_9')[0])
        jobs = self.jobs(list(uuids))
        self.assertEqual(len(jobs), 2)
        self.assertEqual(set(jobs.mapped('channel')),
                         {self.backend.job_channel_id.complete_name})
        self.assertEqual(sorted(jobs.mapped('identity_key')), [
            'example-webhook-import-%d-7' % self.backend.id,
            'example-webhook-import-%d-8' % self.backend.id])

    def test_deleted_partner_event_delays_its_archiving(self):
        """partner.deleted: a job archiving the partner bound to that remote id."""
        [job_uuid] = self.handler().handle({'type': 'partner.deleted', 'data': {'id': 7}}, 'm')
        job = self.jobs([job_uuid])
        self.assertIn('archive_deleted_partner', job.func_string)
        self.assertEqual(job.channel, self.backend.job_channel_id.complete_name)

    def test_event_without_a_remote_partner_id_is_refused(self):
        """data.id missing, text, zero or a boolean: 400 bad_data, no job."""
        before = self.env['queue.job'].search_count([])
        for data in ({}, {'id': '7'}, {'id': 0}, {'id': True}):
            with self.assertRaises(WebhookRefused) as caught:
                self.handler().handle({'type': 'partner.updated', 'data': data}, 'm')
            self.assertEqual((caught.exception.status, caught.exception.reason),
                             (400, 'bad_data'))
        self.assertEqual(self.env['queue.job'].search_count([]), before)

    def test_counters_fold_into_one_row_per_outcome_with_the_same_totals(self):
        """The route's counter rows (one per delivery) become one per outcome."""
        counters = self.env['connector.webhook.counter']
        for outcome in ('accepted', 'accepted', 'bad_signature', 'accepted'):
            counters._count(outcome)
        before = counters._totals()
        counters._compact()
        self.assertEqual(counters._totals(), before)
        self.env.cr.execute('SELECT count(*), count(DISTINCT outcome) '
                            'FROM connector_webhook_counter')
        rows, outcomes = self.env.cr.fetchone()
        self.assertEqual(rows, outcomes)
