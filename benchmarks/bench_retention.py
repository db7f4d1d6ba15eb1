# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Retention: purge a million old done jobs while two workers keep running jobs.

Needs a database with the test addon ``test_queue_job`` installed and no
other worker on it (e.g. the pytest database of ``tools/dev.py pytest``)::

    .venv/bin/python benchmarks/bench_retention.py -c var/odoo.cfg \\
        -d connector_test_pytest --done 1000000

1. stores ``--done`` jobs done 40 days ago (SQL, in bulk);
2. starts two ``odoo-bin jobrunner`` workers;
3. throughput without the purge: trivial jobs committed in batches of 200,
   for ``--seconds`` seconds, jobs done per second;
4. the same while ``queue.job.autovacuum(commit=True)`` (what the daily
   cron runs: batches of 1,000 deletions, each committed) purges them in
   another process; the purge's own rate;
5. throughput without the purge again (the machine drifts).

Prints the throughput during the purge as a ratio of the mean of the two
runs without it (target: at least 0.7).
"""
import argparse
import multiprocessing
import os
import sys
import tempfile
import time

import odoo
from odoo import SUPERUSER_ID, api

from _odoo import load_config, query
from bench_queue import MODEL, start_workers, stop_workers


def store_done_jobs(db_name, count):
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
        template = noop.delay(ConnectorSession(cr, SUPERUSER_ID), MODEL, 0,
                              description='bench retention template')
    step = 100000
    for start in range(0, count, step):
        query(db_name, "INSERT INTO queue_job (uuid, name, state, func_string, model_name, "
                       "args, kwargs, user_id, company_id, channel, priority, retry, "
                       "max_retries, date_created, date_started, date_done, result) "
                       "SELECT md5(random()::text || n), 'bench retention', 'done', "
                       "func_string, model_name, args, kwargs, user_id, company_id, channel, "
                       "priority, 1, max_retries, date_created - interval '40 days', "
                       "date_created - interval '40 days', date_created - interval '40 days', "
                       "'done long ago' FROM queue_job, generate_series(1, %s) n "
                       "WHERE uuid = %s", (min(step, count - start), template))
        print('  stored %d done jobs' % min(count, start + step), flush=True)
    query(db_name, 'DELETE FROM queue_job WHERE uuid = %s', (template,))
    query(db_name, 'ANALYZE queue_job')


def commit_batch(db_name, size):
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
        session = ConnectorSession(cr, SUPERUSER_ID)
        return [noop.delay(session, MODEL, n, description='bench retention run')
                for n in range(size)]


def throughput(db_name, seconds, until=None):
    """Jobs done per second while batches are fed for ``seconds`` (or until ``until()``)."""
    start = time.time()
    done_before = query(db_name, "SELECT count(*) FROM queue_job WHERE state = 'done' AND "
                                 "name = 'bench retention run'")[0][0]
    while True:
        pending = query(db_name, "SELECT count(*) FROM queue_job WHERE state = 'pending' AND "
                                 "name = 'bench retention run'")[0][0]
        if pending < 400:
            commit_batch(db_name, 200)
        time.sleep(0.05)
        if (until is not None and until()) or (until is None and time.time() - start > seconds):
            break
    elapsed = time.time() - start
    done = query(db_name, "SELECT count(*) FROM queue_job WHERE state = 'done' AND "
                          "name = 'bench retention run'")[0][0] - done_before
    return done / elapsed, elapsed


def purge(config, db_name, result):
    load_config(config)
    with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.time()
        result['deleted'] = env['queue.job'].autovacuum(days=30, commit=True, max_seconds=3600)
        result['seconds'] = time.time() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--done', type=int, default=1000000)
    parser.add_argument('--seconds', type=float, default=30)
    opts = parser.parse_args()
    load_config(opts.config)
    db = opts.database
    print('storing %d done jobs of 40 days ago...' % opts.done, flush=True)
    store_done_jobs(db, opts.done)
    workers = start_workers(opts.config, db, 2, tempfile.mkdtemp(prefix='bench-retention-'))
    try:
        print('running jobs without the purge...', flush=True)
        before, _ = throughput(db, opts.seconds)
        print('running jobs during the purge...', flush=True)
        # spawn: a fresh interpreter, not a fork sharing this one's connections
        context = multiprocessing.get_context('spawn')
        result = context.Manager().dict()
        purger = context.Process(target=purge, args=(opts.config, db, result))
        purger.start()
        during, elapsed = throughput(db, None, until=lambda: not purger.is_alive())
        purger.join()
        left = query(db, "SELECT count(*) FROM queue_job WHERE name = 'bench retention'")[0][0]
        print('running jobs without the purge again...', flush=True)
        after, _ = throughput(db, opts.seconds)
    finally:
        stop_workers(workers)
        query(db, "DELETE FROM queue_job WHERE name IN ('bench retention', "
                  "'bench retention run')")
    print('retention: purge of %d done jobs while 2 workers run trivial jobs' % opts.done)
    print('  %-44s %12.1f jobs/s' % ('throughput without the purge (before)', before))
    print('  %-44s %12.1f jobs/s' % ('throughput during the purge', during))
    print('  %-44s %12.1f jobs/s' % ('throughput without the purge (after)', after))
    print('  %-44s %12.2f' % ('ratio during / without (target >= 0.7)',
                              during / ((before + after) / 2)))
    print('  %-44s %12d in %.0f s (%.0f jobs/s)' % (
        'purged', result.get('deleted', 0), result.get('seconds', elapsed),
        result.get('deleted', 0) / max(result.get('seconds', elapsed), 0.001)))
    print('  %-44s %12d' % ('old done jobs left (expected 0)', left))
    return 0


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
