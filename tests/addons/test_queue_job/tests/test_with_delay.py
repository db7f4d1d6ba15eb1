# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``records.with_delay().method()`` for ``@job`` model methods; no anonymous route."""
from odoo import http
from odoo.tests import common

from odoo.addons.connector.exception import JobError
from odoo.addons.connector.queue.job import Job


class TestWithDelay(common.TransactionCase):

    def setUp(self):
        super().setUp()
        Row = self.env['test.queue.job.row']
        self.rows = Row.create({'key': 'a'}) | Row.create({'key': 'b'})

    def test_with_delay_stores_the_method_call(self):
        """The job names the model, the method and the records; options apply."""
        delayed = self.rows.with_delay(priority=2, description='Note rows').write_note('hi')
        self.assertIsInstance(delayed, Job)
        record = self.env['queue.job'].search([('uuid', '=', delayed.uuid)])
        self.assertEqual((record.model_name, record.method_name, record.record_ids),
                         ('test.queue.job.row', 'write_note', '[%d,%d]' % tuple(self.rows.ids)))
        self.assertEqual(record.func_string, 'test.queue.job.row.write_note')
        self.assertEqual((record.channel, record.priority, record.name),
                         ('root.rows', 2, 'Note rows'))
        self.assertEqual(self.rows.mapped('note'), [False, False], 'nothing ran yet')

    def test_a_method_job_is_about_its_records(self):
        """One record: its model and id; several: their model only; no backend either way."""
        one = self.rows[:1].with_delay().write_note('one')
        both = self.rows.with_delay().write_note('both')
        records = self.env['queue.job'].search([('uuid', 'in', [one.uuid, both.uuid])],
                                               order='id')
        self.assertEqual([(record.about_model, record.about_id, record.backend_model,
                           record.backend_id) for record in records],
                         [('test.queue.job.row', self.rows[0].id, False, 0),
                          ('test.queue.job.row', 0, False, 0)])

    def test_stored_method_job_performs_on_the_same_records(self):
        delayed = self.rows.with_delay().write_note('from job')
        loaded = Job.load(self.env, delayed.uuid).resolve(self.env)
        self.assertEqual(loaded.perform(self.env), 2)
        self.assertEqual(self.rows.mapped('note'), ['from job', 'from job'])

    def test_only_job_methods_can_be_delayed(self):
        with self.assertRaises(JobError) as caught:
            self.rows.with_delay().unlink()
        self.assertIn('test.queue.job.row.unlink is not a job: decorate the method with @job',
                      str(caught.exception))

    def test_default_related_action_opens_the_records(self):
        record = self.env['queue.job'].search([
            ('uuid', '=', self.rows[0].with_delay().write_note('x').uuid)])
        action = record.open_related_action()
        self.assertEqual((action['res_model'], action['res_id']),
                         ('test.queue.job.row', self.rows[0].id))


class TestNoAnonymousRoute(common.TransactionCase):

    #: The one public route: a remote system cannot log in, so the webhook door
    #: lets anonymous callers in and admits only deliveries signed with the
    #: backend's secret (tests/process/test_webhooks.py refuses every forgery).
    SIGNED_ROUTES = [('/connector/webhook/<string:backend_model>/<int:backend_id>', 'none')]

    def test_no_connector_route_is_public(self):
        """No HTTP route of the connector addons lets an unauthenticated caller in,
        but the webhook door, which checks a signature first."""
        routes = []
        modules = list(self.env.registry._init_modules)
        for rule in http.routing_map(modules, False).iter_rules():
            module = getattr(rule.endpoint.method, '__module__', '')
            if module.startswith(('odoo.addons.connector.', 'odoo.addons.test_queue_job.')):
                routes.append((rule.rule, rule.endpoint.routing.get('auth')))
        self.assertEqual([r for r in routes if r[1] in ('none', 'public')],
                         self.SIGNED_ROUTES, routes)
        self.assertTrue(list(http.routing_map(modules, False).iter_rules()),
                        'the routing map of the installed addons should not be empty')
