# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job graphs (``queue/graph.py``): shapes, cycles, storage in one transaction,
release on done, and what failed, cancelled, requeued and set-done jobs do."""
from odoo.tests import common

from odoo.addons.connector.exception import JobArgumentError, JobError
from odoo.addons.connector.queue.graph import Delayable, chain, group
from odoo.addons.connector.queue.testing import perform_jobs
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.test_queue_job import jobs

ROW_MODEL = 'test.queue.job.row'


class TestJobGraph(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession.from_env(self.env)
        self.Job = self.env['queue.job']

    def node(self, key, func=jobs.insert_row, *args, **options):
        return func.delayable(self.session, ROW_MODEL, key, *args, **options)

    def job(self, job_uuid):
        return self.Job.search([('uuid', '=', job_uuid)])

    def deps(self, job_uuid):
        return sorted(self.job(job_uuid).dependency_ids.mapped('uuid'))

    def test_chain_of_a_group_stores_links_and_states(self):
        """chain(group(a, b), c): c waits for a and b; a and b pending; one graph."""
        a, b, c = self.node('a'), self.node('b'), self.node('c')
        self.assertIsInstance(a, Delayable)
        uuids = chain(group(a, b), c).delay()
        self.assertEqual(uuids, [a.uuid, b.uuid, c.uuid])
        self.assertEqual(self.deps(c.uuid), sorted([a.uuid, b.uuid]))
        self.assertEqual(self.deps(a.uuid), [])
        self.assertEqual([self.job(u).state for u in uuids],
                         ['pending', 'pending', 'wait_dependencies'])
        graphs = {self.job(u).graph_uuid for u in uuids}
        self.assertEqual(len(graphs), 1)
        self.assertTrue(graphs.pop())
        self.assertEqual(self.job(a.uuid).dependent_ids.mapped('uuid'), [c.uuid])
        self.assertEqual(self.job(c.uuid).waiting_reason, 'Waits for 2 job(s) to be done.')

    def test_nested_shapes_and_on_done(self):
        """chain(a, group(b, chain(c, d)), e) plus a.on_done(f): each link as drawn."""
        a, b, c, d, e, f = (self.node(k) for k in 'abcdef')
        graph = chain(a, group(b, chain(c, d)), e)
        a.on_done(f)
        self.assertEqual(graph.delay(), [a.uuid, b.uuid, c.uuid, d.uuid, e.uuid])
        self.assertEqual(self.deps(b.uuid), [a.uuid])
        self.assertEqual(self.deps(c.uuid), [a.uuid])
        self.assertEqual(self.deps(d.uuid), [c.uuid])
        self.assertEqual(self.deps(e.uuid), sorted([b.uuid, d.uuid]))
        self.assertEqual(self.deps(f.uuid), [a.uuid], 'f is stored with the graph it joined')

    def test_a_single_delayable_returns_its_uuid(self):
        a = self.node('alone')
        job_uuid = a.delay()
        self.assertEqual(job_uuid, a.uuid)
        self.assertEqual((self.job(job_uuid).state, self.job(job_uuid).graph_uuid),
                         ('pending', False))

    def test_a_recordset_delayable_is_a_method_job(self):
        """records.delayable(**options).method(*args) is a node, stored by delay()."""
        rows = self.env[ROW_MODEL].create({'key': 'r'})
        note = rows.delayable(priority=3).write_note('after insert')
        self.assertIsInstance(note, Delayable)
        chain(self.node('first'), note).delay()
        stored = self.job(note.uuid)
        self.assertEqual((stored.func_string, stored.priority, stored.state),
                         ('test.queue.job.row.write_note', 3, 'wait_dependencies'))

    def test_a_cycle_is_refused_before_anything_is_stored(self):
        a, b, c = self.node('a'), self.node('b'), self.node('c')
        chain(a, b, c)
        count = self.Job.search_count([])
        with self.assertRaises(JobError) as caught:
            c.on_done(a)
        message = str(caught.exception)
        call = "odoo.addons.test_queue_job.jobs.insert_row('test.queue.job.row', '%s')"
        self.assertEqual(message, 'job graph cycle refused: %s cannot wait for %s, which '
                         'already waits for it (%s -> %s -> %s -> %s); nothing was stored'
                         % (call % 'a', call % 'c', call % 'a', call % 'b', call % 'c',
                            call % 'a'))
        with self.assertRaises(JobError):
            a.on_done(a)
        self.assertEqual(self.Job.search_count([]), count)
        chain(a, b, c).delay()  # the graph itself is still whole
        self.assertEqual(self.Job.search_count([]), count + 3)

    def test_nothing_is_stored_when_an_argument_cannot_be(self):
        count = self.Job.search_count([])
        graph = chain(self.node('ok'), self.node('bad', jobs.insert_row, object()))
        with self.assertRaises(JobArgumentError):
            graph.delay()
        self.assertEqual(self.Job.search_count([]), count)

    def test_a_stored_graph_cannot_be_stored_or_linked_again(self):
        a, b = self.node('a'), self.node('b')
        chain(a, b).delay()
        with self.assertRaisesRegex(JobError, 'already stored'):
            a.delay()
        with self.assertRaisesRegex(JobError, 'already stored'):
            a.on_done(self.node('late'))

    def test_a_deduplicated_node_makes_its_dependents_wait_on_the_existing_job(self):
        existing = jobs.insert_row.delay(self.session, ROW_MODEL, 'k', identity_key='key-k')
        keyed, after = self.node('k2', identity_key='key-k'), self.node('after')
        chain(keyed, after).delay()
        self.assertTrue(keyed.deduplicated)
        self.assertEqual(keyed.uuid, existing)
        self.assertEqual(self.deps(after.uuid), [existing])
        self.assertEqual(self.Job.search_count([('identity_key', '=', 'key-k')]), 1)

    def test_a_waiting_job_holds_its_identity_key(self):
        chain(self.node('a'), self.node('b', identity_key='key-b')).delay()
        again = jobs.insert_row.delay(self.session, ROW_MODEL, 'b2', identity_key='key-b')
        self.assertEqual(self.job(again).state, 'wait_dependencies')

    # -- running ----------------------------------------------------------------------

    def test_a_done_job_releases_its_dependent_in_the_same_transaction(self):
        """perform_jobs() runs a chain one level per call: each done job's
        dependent is pending right after it (written by record_outcome)."""
        a, b, c = self.node('a'), self.node('b'), self.node('c')
        chain(a, b, c).delay()
        perform_jobs(self.env, [('uuid', 'in', [a.uuid, b.uuid, c.uuid])])
        self.assertEqual([self.job(n.uuid).state for n in (a, b, c)],
                         ['done', 'pending', 'wait_dependencies'])
        perform_jobs(self.env, [('uuid', 'in', [a.uuid, b.uuid, c.uuid])])
        perform_jobs(self.env, [('uuid', 'in', [a.uuid, b.uuid, c.uuid])])
        self.assertEqual([self.job(n.uuid).state for n in (a, b, c)], ['done'] * 3)
        keys = self.env[ROW_MODEL].search([('key', 'in', ['a', 'b', 'c'])], order='id')
        self.assertEqual(keys.mapped('key'), ['a', 'b', 'c'])

    def test_a_group_releases_what_follows_once_all_of_it_is_done(self):
        a, b, c = self.node('a'), self.node('b'), self.node('c')
        chain(group(a, b), c).delay()
        perform_jobs(self.env, [('uuid', '=', a.uuid)])
        self.assertEqual(self.job(c.uuid).state, 'wait_dependencies')
        perform_jobs(self.env, [('uuid', '=', b.uuid)])
        self.assertEqual(self.job(c.uuid).state, 'pending')

    def test_a_failed_dependency_keeps_its_dependents_waiting_until_requeued(self):
        failing = self.node('f', jobs.fail_with, 'failed')
        after, last = self.node('after'), self.node('last')
        chain(failing, after, last).delay()
        perform_jobs(self.env, [('uuid', '=', failing.uuid)])
        failed = self.job(failing.uuid)
        self.assertEqual(failed.state, 'failed')
        waiting = self.job(after.uuid)
        self.assertEqual(waiting.state, 'wait_dependencies')
        self.assertEqual(waiting.waiting_reason, 'Waits for failed job %s (%s): requeue it, '
                         'set it done or cancel it.' % (failed.uuid, failed.name))
        failed.button_requeue()
        self.assertEqual(failed.state, 'pending')
        self.assertEqual(self.job(after.uuid).state, 'wait_dependencies')

    def test_set_done_on_a_failed_job_releases_its_dependents(self):
        failing, after = self.node('f', jobs.fail_with, 'failed'), self.node('after')
        chain(failing, after).delay()
        perform_jobs(self.env, [('uuid', '=', failing.uuid)])
        self.job(failing.uuid).button_done()
        self.assertEqual(self.job(after.uuid).state, 'pending')

    def test_cancel_cancels_what_depends_on_it_and_requeue_brings_it_back(self):
        a, b, c, other = self.node('a'), self.node('b'), self.node('c'), self.node('other')
        chain(a, b, c).delay()
        other.delay()
        first = self.job(a.uuid)
        first.button_cancel()
        for node in (b, c):
            job = self.job(node.uuid)
            self.assertEqual(job.state, 'cancelled')
            self.assertIn('Cancelled with job %s (%s), which it depends on, by '
                          % (first.uuid, first.name), job.result)
        self.assertEqual(self.job(other.uuid).state, 'pending')
        first.button_requeue()
        self.assertEqual([self.job(n.uuid).state for n in (a, b, c)],
                         ['pending', 'wait_dependencies', 'wait_dependencies'])
        self.assertFalse(self.job(b.uuid).result)

    def test_requeue_of_a_job_whose_dependency_is_not_done_waits(self):
        a, b = self.node('a'), self.node('b')
        chain(a, b).delay()
        self.job(b.uuid).button_cancel()
        self.job(b.uuid).button_requeue()
        self.assertEqual(self.job(b.uuid).state, 'wait_dependencies')

    def test_the_graph_action_filters_the_list_to_the_graph(self):
        a, b = self.node('a'), self.node('b')
        chain(a, b).delay()
        job = self.job(b.uuid)
        action = job.action_graph_jobs()
        self.assertEqual(action['context'], {'search_default_graph_uuid': job.graph_uuid})
        self.assertEqual(self.Job.search([('graph_uuid', '=', job.graph_uuid)]),
                         self.job(a.uuid) | job)

    def test_the_form_draws_the_whole_graph_coloured_by_state(self):
        a, b, c = self.node('a'), self.node('b'), self.node('c')
        chain(a, group(b, c)).delay()
        svg = self.job(b.uuid).graph_svg
        self.assertEqual(svg.count('<rect'), 3, 'b is drawn with its whole graph')
        self.assertEqual(svg.count('marker-end'), 2)
        self.assertIn('model=queue.job&amp;view_type=form', svg)
        self.assertFalse(self.job(self.node('alone').delay()).graph_svg)
