# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A backend's job channel: its "requests per second" make a rate-limited channel,
and every job about the backend goes there."""
from odoo.tests import common
from odoo.tools import mute_logger

from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.synchronizer.jobs import (export_delete_record, export_record,
                                                          import_batch, import_record)

BINDING_MODEL = 'example.res.partner'


class TestBackendChannel(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.backend = self.env['example.backend'].create({
            'name': 'Shop EU', 'url': 'http://localhost:8169', 'database': 'remote',
            'login': 'admin', 'password': 'admin', 'requests_per_second': 5})
        self.session = ConnectorSession.from_env(self.env)

    def channel_of(self, job_uuid):
        return self.env['queue.job'].search([('uuid', '=', job_uuid)]).channel

    def test_requests_per_second_make_a_rate_limited_channel_of_the_backend(self):
        """5 requests per second: channel root.example.backend_<id> at 5 starts per second;
        0.5 becomes 30 per minute; the same channel is kept and its limit starts afresh."""
        channel = self.backend.job_channel_id
        self.assertEqual(channel.complete_name, 'root.example.backend_%d' % self.backend.id)
        self.assertEqual((channel.rate_limit, channel.rate_period, channel.rate_display),
                         (5, 1, '5/s'))
        self.env.cr.execute(
            "INSERT INTO queue_job_channel_state (channel, rate_next_start) "
            "VALUES (%s, '2026-01-01 00:00:00')", (channel.complete_name,))
        self.backend.requests_per_second = 0.5
        self.assertEqual(self.backend.job_channel_id, channel)
        self.assertEqual((channel.rate_limit, channel.rate_period, channel.rate_display),
                         (30, 60, '30/m'))
        self.env.cr.execute("SELECT rate_next_start FROM queue_job_channel_state "
                            "WHERE channel = %s", (channel.complete_name,))
        self.assertEqual(self.env.cr.fetchall(), [(None,)],
                         'a new limit does not inherit the old state')

    def test_every_job_about_the_backend_goes_to_its_channel(self):
        """Imports, batch imports, deletions (backend argument), exports (binding id) and
        method jobs on its bindings all go to the backend's channel."""
        binding = self.env[BINDING_MODEL].create({'name': 'Agrolait',
                                                  'backend_id': self.backend.id})
        expected = self.backend.job_channel_id.complete_name
        uuids = [
            import_record.delay(self.session, BINDING_MODEL, self.backend, '7'),
            import_batch.delay(self.session, BINDING_MODEL, self.backend),
            export_delete_record.delay(self.session, BINDING_MODEL, self.backend, '7'),
            export_record.delay(self.session, BINDING_MODEL, binding.id),
            self.backend._delay_import(BINDING_MODEL, '8'),
            binding._delay_export(fields=['name']),
        ]
        self.assertEqual([self.channel_of(job_uuid) for job_uuid in uuids], [expected] * 6)

    def test_an_explicit_channel_wins_and_other_backends_keep_the_default(self):
        """channel= given by the caller is kept; a backend without a job channel routes
        nothing."""
        other = self.env['example.backend'].create({
            'name': 'Shop US', 'url': 'http://localhost:8169', 'database': 'remote',
            'login': 'admin', 'password': 'admin'})
        self.assertFalse(other.job_channel_id)
        self.assertEqual(self.channel_of(import_record.delay(
            self.session, BINDING_MODEL, self.backend, '7', channel='root.manual')),
            'root.manual')
        self.assertEqual(self.channel_of(import_record.delay(
            self.session, BINDING_MODEL, other, '7')), 'root')


class TestChannelLimits(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.channel = self.env['queue.job.channel'].create({
            'name': 'shop', 'parent_id': self.env['queue.job.channel'].search(
                [('complete_name', '=', 'root')]).id or self.env['queue.job.channel'].create(
                    {'name': 'root'}).id})

    def test_a_paused_channel_shows_until_when_and_resumes_on_request(self):
        self.channel.write({'paused_until': '2999-01-01 00:00:00',
                            'pause_reason': 'Shop answered 429'})
        self.assertTrue(self.channel.paused)
        self.channel.action_resume()
        self.assertEqual((self.channel.paused, self.channel.paused_until,
                          self.channel.pause_reason), (False, False, False))

    @mute_logger('odoo.sql_db')
    def test_negative_rates_are_refused(self):
        for values in ({'rate_limit': -1}, {'rate_period': 0}, {'rate_burst': 0}):
            with self.subTest(values=values), self.assertRaises(Exception) as caught, \
                    self.env.cr.savepoint():
                self.channel.write(values)
            self.assertIn('violates check constraint', str(caught.exception))
