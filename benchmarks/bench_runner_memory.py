# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A worker's memory over a long run: resident size after 1,000 jobs and after 100,000.

Needs a database with the test addon ``test_queue_job`` installed and no
other worker on it, e.g. the pytest database of ``tools/dev.py pytest``::

    .venv/bin/python benchmarks/bench_runner_memory.py -c var/odoo.cfg \\
        -d connector_test_pytest --jobs 100000

One ``odoo-bin jobrunner`` process runs ``--jobs`` trivial ``noop`` jobs,
stored in bulk ahead of it (10,000 at a time, so that the queue never runs
dry); its resident memory (``VmRSS`` of ``/proc/PID/status``) is read when
1,000, 10,000, 50,000 and all the jobs are done. Target: after all of them,
within 10% of the size after the first 1,000 (a leak grows with jobs).
"""
import argparse
import os
import sys
import tempfile
import time

import odoo
from odoo import SUPERUSER_ID, api

from _odoo import load_config, query
from bench_queue import MODEL, start_workers, stop_workers

NAME = 'bench memory'


def rss_kib(pid):
    with open('/proc/%d/status' % pid) as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    raise RuntimeError('no VmRSS for pid %s' % pid)


def store_jobs(db_name, count):
    from odoo.addons.connector.queue.bulk import bulk_enqueue
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
        session = ConnectorSession(cr, SUPERUSER_ID)
        with bulk_enqueue(session.env):
            for number in range(count):
                noop.delay(session, MODEL, number, description=NAME)


def done(db_name):
    return query(db_name, "SELECT count(*) FROM queue_job WHERE name = %s AND state = 'done'",
                 (NAME,))[0][0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--jobs', type=int, default=100000)
    opts = parser.parse_args()
    load_config(opts.config)
    db = opts.database
    marks = [mark for mark in (1000, 10000, 50000) if mark < opts.jobs] + [opts.jobs]
    stored = min(opts.jobs, 10000)
    store_jobs(db, stored)
    pool = start_workers(opts.config, db, 1, tempfile.mkdtemp(prefix='bench-memory-'))
    pid = pool.processes[0].pid
    sizes = []
    start = time.time()
    try:
        while marks:
            count = done(db)
            if stored < opts.jobs and count > stored - 5000:
                batch = min(10000, opts.jobs - stored)
                store_jobs(db, batch)
                stored += batch
            if count >= marks[0]:
                sizes.append((marks.pop(0), rss_kib(pid), time.time() - start))
                print('  %7d jobs done: %8d KiB resident, %.0f s' % sizes[-1], flush=True)
            time.sleep(0.2)
    finally:
        stop_workers(pool)
        query(db, 'DELETE FROM queue_job WHERE name = %s', (NAME,))
    first = sizes[0][1]
    print('worker memory over %d trivial jobs (one worker)' % opts.jobs)
    for jobs, kib, seconds in sizes:
        print('  after %7d jobs  %8d KiB  %5.2f of the size after %d  (%.0f s)' % (
            jobs, kib, kib / first, sizes[0][0], seconds))
    return 0


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
