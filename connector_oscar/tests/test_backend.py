# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop backend: its job channel, its settings, its webhook handler."""
from odoo.addons.connector.webhook import WebhookRefused

from ..units.webhook_handler import OscarWebhookHandler
from .common import OscarCase


class TestOscarBackend(OscarCase):

    def test_each_backend_has_its_own_channel(self):
        """A new backend gets root.oscar.backend_<id>; its jobs go there."""
        self.assertEqual(self.backend.job_channel_id.complete_name,
                         'root.oscar.backend_%d' % self.backend.id)
        self.backend.requests_per_second = 4
        self.assertEqual((self.backend.job_channel_id.rate_limit,
                          self.backend.job_channel_id.rate_period), (4, 1))

    def test_token_is_preferred_to_basic_auth(self):
        settings = self.backend.sudo()._oscar_settings()
        self.assertEqual(settings['headers'], {'Authorization': 'Token tok-secret'})
        self.assertIsNone(settings['auth'])
        self.assertIn('tok-secret', settings['secrets'])

    def test_stock_location_defaults_to_the_warehouse_stock(self):
        self.assertEqual(self.backend._oscar_location(),
                         self.backend.warehouse_id.lot_stock_id)

    def test_webhook_event_delays_one_import_per_order(self):
        """order.placed then order.updated of one order store one pending job."""
        handler = OscarWebhookHandler(self.connector_env('oscar.backend'))
        first = handler.handle({'type': 'order.placed', 'data': {'number': '100003', 'id': 7}},
                               'msg_1')
        second = handler.handle({'type': 'order.updated',
                                 'data': {'number': '100003', 'id': 7}}, 'msg_2')
        jobs = self.env['queue.job'].search([('identity_key', '=',
                                              'oscar-order-%d-7' % self.backend.id)])
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs.channel, self.backend.job_channel_id.complete_name)
        self.assertTrue(first[0])
        self.assertEqual(len(second), 1)

    def test_webhook_event_without_order_id_is_refused(self):
        handler = OscarWebhookHandler(self.connector_env('oscar.backend'))
        with self.assertRaises(WebhookRefused):
            handler.handle({'type': 'order.placed', 'data': {'number': '100003'}}, 'msg_3')
