# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""bulk_enqueue: jobs delayed in a block are stored together, as delay() stores one."""
from datetime import datetime

from odoo.tests import common

from ..queue.bulk import bulk_enqueue
from ..session import ConnectorSession
from .test_job_delay import echo

#: Columns a job row gets from delay(), compared between both ways of storing.
COLUMNS = ['name', 'state', 'func_string', 'model_name', 'method_name', 'record_ids', 'args',
           'kwargs', 'user_id', 'company_id', 'channel', 'priority', 'eta', 'retry',
           'max_retries', 'identity_key', 'date_created', 'create_uid', 'write_uid']


class TestBulkEnqueue(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession.from_env(self.env)

    def count(self, uuids):
        self.env.cr.execute('SELECT count(*) FROM queue_job WHERE uuid IN %s', (tuple(uuids),))
        return self.env.cr.fetchone()[0]

    def row(self, job_uuid):
        self.env.cr.execute('SELECT %s FROM queue_job WHERE uuid = %%s' % ', '.join(COLUMNS),
                            (job_uuid,))
        return dict(zip(COLUMNS, self.env.cr.fetchone()))

    def test_jobs_are_stored_at_the_end_of_the_block_by_pages(self):
        """Inside the block the jobs wait (a page of 1,000 is stored when full); at its
        end every one is stored under the uuid delay() returned."""
        with bulk_enqueue(self.env, page_size=1000):
            uuids = [echo.delay(self.session, 'res.partner', n) for n in range(1500)]
            self.assertEqual(self.count(uuids), 1000, 'one full page stored, 500 waiting')
        self.assertEqual(self.count(uuids), 1500)
        self.assertEqual(len(set(uuids)), 1500)

    def test_a_bulk_row_equals_a_delay_row(self):
        """Same function, arguments and options: the same row, either way."""
        options = dict(priority=4, max_retries=2, description='Same', eta=datetime(2030, 1, 1),
                       channel='root.tests.bulk')
        single = echo.delay(self.session, 'res.partner', 7, 'x', flag=True, **options)
        with bulk_enqueue(self.env):
            bulk = echo.delay(self.session, 'res.partner', 7, 'x', flag=True, **options)
        single_row, bulk_row = self.row(single), self.row(bulk)
        self.assertEqual(single_row, bulk_row)

    def test_a_job_with_an_identity_key_is_stored_at_once_and_deduplicated(self):
        """Its uuid may be another job's: it is stored (or found) at once."""
        first = echo.delay(self.session, 'res.partner', 1, identity_key='bulk-key')
        with bulk_enqueue(self.env):
            again = echo.delay(self.session, 'res.partner', 1, identity_key='bulk-key')
            self.assertEqual(again, first)
            other = echo.delay(self.session, 'res.partner', 2, identity_key='bulk-key-2')
            self.assertEqual(self.count([other]), 1, 'stored before the block ends')

    def test_a_block_that_raises_stores_nothing_still_waiting(self):
        with self.assertRaises(ZeroDivisionError):
            with bulk_enqueue(self.env):
                uuids = [echo.delay(self.session, 'res.partner', n) for n in range(10)]
                1 / 0
        self.assertEqual(self.count(uuids), 0)

    def test_nested_blocks_store_at_the_end_of_the_outer_one(self):
        with bulk_enqueue(self.env):
            with bulk_enqueue(self.env):
                inner = echo.delay(self.session, 'res.partner', 1)
            self.assertEqual(self.count([inner]), 0)
        self.assertEqual(self.count([inner]), 1)
