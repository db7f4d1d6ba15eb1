# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The claim's work does not grow with the jobs it cannot run (small-scale check).

Beside pending jobs that cannot run (a full channel of capacity 1, a
sequential channel blocked by a failed job, jobs waiting on an eta a day
ahead), a claim of a job of a free channel reads about as many index
entries with 3,000 of them as with 300: it skips blocked channels as a
whole instead of walking their jobs. Measured with PostgreSQL's own
counters of the transaction (``pg_stat_get_xact_tuples_returned``), not
with a clock. The figures at 100,000 jobs are in ``benchmarks/README.md``
(``benchmarks/bench_claim_scale.py``).
"""
from datetime import timedelta

import pytest

from test_queue_store import Queue, connect

#: Index entries and rows of queue_job read by this transaction so far (index
#: scans, and sequential scans of the table).
ROWS_READ = """
SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(indexrelid)), 0)
       + pg_stat_get_xact_tuples_returned('queue_job'::regclass)
FROM pg_index WHERE indrelid = 'queue_job'::regclass
"""


@pytest.fixture(name='queue')
def queue_fixture():
    """A rolled-back transaction in which the queue's tables start empty."""
    queue = Queue(connect())
    queue.sql('DELETE FROM queue_job; DELETE FROM queue_job_worker; '
              'DELETE FROM queue_job_channel')
    queue.store.prepare_claims()
    yield queue
    queue.close()


def add_channel(queue, name, capacity=0, sequential=False):
    queue.sql("INSERT INTO queue_job_channel (name, complete_name, capacity, sequential) "
              "VALUES (%s, %s, %s, %s)", (name.split('.')[-1], name, capacity, sequential))


def add_copies(queue, template, channel, count, eta=None):
    """``count`` pending copies of job ``template`` in ``channel``."""
    queue.sql("INSERT INTO queue_job (uuid, name, state, func_string, args, kwargs, user_id, "
              "company_id, channel, priority, eta, retry, max_retries, date_created) "
              "SELECT md5(random()::text || n), %s || n, 'pending', func_string, args, "
              "kwargs, user_id, company_id, %s, priority, %s, 0, max_retries, date_created "
              "FROM queue_job, generate_series(1, %s) n WHERE name = %s",
              (channel + '-', channel, eta, count, template))


def index_entries_of_a_claim(queue):
    before = queue.sql(ROWS_READ)[0][0]
    queue.sql('SAVEPOINT claim')
    claimed = queue.claims(limit=1)
    after = queue.sql(ROWS_READ)[0][0]
    queue.sql('ROLLBACK TO SAVEPOINT claim')
    return claimed, after - before


def test_claim_reads_as_much_beside_3000_blocked_jobs_as_beside_300(queue):
    add_channel(queue, 'root.full', capacity=1)
    add_channel(queue, 'root.line', sequential=True)
    queue.add('holder', channel='root.full', state='started', worker_name='w0')
    queue.add('broken', channel='root.line', state='failed')
    queue.add('template', channel='root.full')
    later = queue.now + timedelta(days=1)
    reads = []
    queue.add('free', channel='root.free')
    for count in (300, 2700):  # 300, then 3000 of each kind (no row deleted: no dead entries)
        for channel, eta in (('root.full', None), ('root.line', None), ('root.later', later)):
            add_copies(queue, 'template', channel, count, eta=eta)
        queue.sql('ANALYZE queue_job')
        claimed, read = index_entries_of_a_claim(queue)
        assert claimed == ['free'], 'only the free job can run'
        reads.append(read)
    small, large = reads
    assert large <= small + 10, (
        'a claim read %d index entries and rows beside 3 x 300 jobs it cannot run and %d beside '
        '3 x 3000: its work grows with them' % (small, large))
    assert large < 300, 'a claim read %d index entries and rows beside 9,000 jobs' % large
