# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Channel records: the weight, its default in the ORM and in the table, its check."""
import psycopg2
from odoo import exceptions
from odoo.tests import common
from odoo.tools import mute_logger

from odoo.addons.connector.queue.channels import ChannelSpec
from odoo.addons.connector.queue.store import QueueStore


class TestChannelWeight(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.channels = self.env['queue.job.channel']
        self.root = self.channels.search([('complete_name', '=', 'root')])

    def _create(self, name, **values):
        return self.channels.create(dict(values, name=name, parent_id=self.root.id))

    def test_a_new_channel_has_weight_1(self):
        """The default share is 1, on the form and in the table."""
        self.assertEqual(self._create('weights_default').weight, 1)
        self.assertEqual(self.root.weight, 1)

    def test_a_weight_below_1_is_refused_naming_the_channel(self):
        """0 or a negative weight on create or write: the message names the channel."""
        for weight in (0, -2, False, 'three'):
            with self.assertRaises(exceptions.ValidationError) as caught:
                self._create('weights_zero', weight=weight)
            self.assertIn('Channel root.weights_zero: the weight must be a whole number '
                          'from 1, not %r' % weight, str(caught.exception))
        channel = self._create('weights_shop', weight=3)
        with self.assertRaises(exceptions.ValidationError) as caught:
            channel.write({'weight': 0})
        self.assertIn('Channel root.weights_shop: the weight must be', str(caught.exception))
        self.assertEqual(channel.weight, 3)
        channel.write({'weight': '2'})  # as the ORM converts it
        self.assertEqual(channel.weight, 2)

    def test_the_table_refuses_a_weight_below_1(self):
        """A write in SQL (a script) meets the table's CHECK."""
        channel = self._create('weights_sql')
        with self.assertRaises(psycopg2.IntegrityError), mute_logger('odoo.sql_db'), \
                self.env.cr.savepoint():
            self.env.cr.execute('UPDATE queue_job_channel SET weight = 0 WHERE id = %s',
                                (channel.id,))

    def test_channels_created_by_the_runner_get_weight_1_and_their_configured_weight(self):
        """--channels writes the weight; missing parents, created in SQL, get the
        table's default 1; an entry without weight sets it back to 1."""
        store = QueueStore(self.env.cr)
        store.apply_channels([ChannelSpec('root.weights_p.shop', 2, weight=3),
                              ChannelSpec('root.weights_p.erp')])
        self.channels.invalidate_cache()
        found = self.channels.search([('complete_name', 'like', 'root.weights_p%')])
        self.assertEqual(sorted((c.complete_name, c.weight) for c in found), [
            ('root.weights_p', 1), ('root.weights_p.erp', 1), ('root.weights_p.shop', 3)])
        store.apply_channels([ChannelSpec('root.weights_p.shop', 2)])
        self.channels.invalidate_cache()
        self.assertEqual(found.filtered(lambda c: c.name == 'shop').weight, 1)

    def test_the_form_and_the_list_show_the_weight(self):
        """An operator sees and edits the weight in Queue > Channels."""
        for view_type in ('form', 'tree'):
            arch = self.channels.fields_view_get(view_type=view_type)['arch']
            self.assertIn('name="weight"', arch, view_type)
