# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bulk enqueue: jobs stored per second, one INSERT per job against bulk_enqueue.

Needs a database with the test addon ``test_queue_job`` installed (its
``noop`` job), e.g. the pytest database of ``tools/dev.py pytest``::

    .venv/bin/python benchmarks/bench_bulk_enqueue.py -c var/odoo.cfg \\
        -d connector_test_pytest --jobs 100000 --rounds 3

Each round delays ``--jobs`` ``noop`` jobs in one transaction, rolled back
at the end: once with ``delay()`` alone (one INSERT per job), once inside a
``bulk_enqueue`` block (one COPY per 5,000 jobs); rounds alternate. The time
includes building and encoding each job, and storing them (the rollback
is not timed). Target: at least 10,000 jobs/s stored in bulk.
"""
import argparse
import os
import sys
import time

from _odoo import load_config, median, report, rolled_back_env
from bench_queue import MODEL


def delay_jobs(db_name, count, bulk):
    from odoo.addons.connector.queue.bulk import bulk_enqueue
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    with rolled_back_env(db_name) as env:
        session = ConnectorSession.from_env(env)
        start = time.perf_counter()
        if bulk:
            with bulk_enqueue(env):
                for number in range(count):
                    noop.delay(session, MODEL, number)
        else:
            for number in range(count):
                noop.delay(session, MODEL, number)
        seconds = time.perf_counter() - start
        env.cr.execute("SELECT count(*) FROM queue_job WHERE state = 'pending'")
        assert env.cr.fetchone()[0] >= count
    return count / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--jobs', type=int, default=100000)
    parser.add_argument('--rounds', type=int, default=3)
    opts = parser.parse_args()
    load_config(opts.config)
    single, bulk = [], []
    for number in range(opts.rounds):
        single.append(delay_jobs(opts.database, opts.jobs, bulk=False))
        bulk.append(delay_jobs(opts.database, opts.jobs, bulk=True))
        print('round %d: %.0f jobs/s one by one, %.0f jobs/s in bulk' % (
            number + 1, single[-1], bulk[-1]), flush=True)
    report('enqueue of %d jobs in one transaction (median of %d rounds)' % (
        opts.jobs, opts.rounds), [
        ('delay(), one INSERT per job', median(single), 'jobs/s'),
        ('bulk_enqueue, one COPY per 5,000 jobs', median(bulk), 'jobs/s'),
        ('ratio bulk / one by one', median(bulk) / median(single), ''),
    ])
    return 0


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
