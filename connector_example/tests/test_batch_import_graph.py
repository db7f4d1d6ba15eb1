# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The partner batch importer delays a company's import before its contacts'."""
import json
from unittest import mock

from odoo.tests import common

from ..units.adapter import PartnerAdapter

#: the remote's listing: (id, parent id): two companies, a 3-level chain under
#: the first, a contact alone, and a contact whose company is not listed
LISTING = [('10', None), ('11', '10'), ('12', '10'), ('13', '12'), ('20', None),
           ('21', '20'), ('30', None), ('41', '40')]


class TestPartnerBatchImportGraph(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.backend = self.env['example.backend'].create({
            'name': 'Graph office', 'url': 'http://localhost:8169',
            'database': 'remote', 'login': 'admin', 'password': 'admin'})

    def import_listing(self):
        """``import_partners()`` on LISTING; {external id: job} of the jobs it delayed."""
        self.env.cr.execute('SELECT coalesce(max(id), 0) FROM queue_job')
        first = self.env.cr.fetchone()[0]
        with mock.patch.object(PartnerAdapter, 'search_parents', return_value=LISTING) as search:
            self.backend.import_partners()
        search.assert_called_once_with(None)
        jobs = self.env['queue.job'].search([('id', '>', first)])
        return {json.loads(job.args)[1]: job for job in jobs}

    def test_contacts_wait_for_their_company_and_others_stand_alone(self):
        """Each listed company's job comes first, its listed contacts' jobs depend on it;
        a contact alone or whose company is not listed depends on nothing."""
        jobs = self.import_listing()
        self.assertEqual(sorted(jobs, key=int), [eid for eid, _parent in LISTING])

        def depends_on(external_id):
            return sorted(json.loads(job.args)[1] for job in jobs[external_id].dependency_ids)
        self.assertEqual({eid: depends_on(eid) for eid in jobs}, {
            '10': [], '11': ['10'], '12': ['10'], '13': ['12'], '20': [], '21': ['20'],
            '30': [], '41': []})
        self.assertEqual({eid: job.state for eid, job in jobs.items()}, {
            '10': 'pending', '11': 'wait_dependencies', '12': 'wait_dependencies',
            '13': 'wait_dependencies', '20': 'pending', '21': 'wait_dependencies',
            '30': 'pending', '41': 'pending'})
        # one graph per company, its whole descent; jobs alone belong to none
        graphs = {eid: job.graph_uuid for eid, job in jobs.items()}
        self.assertTrue(graphs['10'] and graphs['20'] and graphs['10'] != graphs['20'])
        self.assertEqual({graphs['11'], graphs['12'], graphs['13']}, {graphs['10']})
        self.assertEqual(graphs['21'], graphs['20'])
        self.assertEqual((graphs['30'], graphs['41']), (False, False))
        self.assertEqual(jobs['11'].name, 'Import example.res.partner 11 from Graph office')
        self.assertEqual(self.backend.pending_job_count, len(LISTING),
                         'waiting jobs are counted as pending on the backend')
