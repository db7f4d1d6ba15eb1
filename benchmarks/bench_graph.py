# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job graphs: what chains cost end to end, and what waiting jobs cost the claim.

Needs a database with the test addon ``test_queue_job`` installed (its
``noop`` job) and no other worker on it, e.g. the pytest database that
``tools/dev.py pytest`` builds::

    .venv/bin/python benchmarks/bench_graph.py -c var/odoo.cfg -d connector_test_pytest

1. end to end, 2 ``odoo-bin jobrunner`` workers already idle, rounds
   alternating between (in each of the 6 orders in turn, so that each
   follows each other as often):

   - **independent**: 1,000 ``noop`` jobs committed at once;
   - **chains**: the same 1,000 jobs as 100 ``chain()`` of 10, stored by 100
     ``delay()`` in one transaction: 100 pending, 900 waiting, each released
     by the transaction that marks the job before it done;
   - **beside waiting**: 1,000 independent jobs beside 10,000 jobs in
     ``wait_dependencies`` (all waiting for one failed job: none is
     released; each worker's upkeep looks at them).

   After 400 jobs to warm the workers up (200 independent, 20 chains of
   10), each variant starts from a vacuumed table and idle workers; time
   from the commit until all are seen done (polled every 10 ms);
   reported as jobs/s and as ratios to the independent jobs of the same
   round (target for chains: at least 0.7).
2. claim latency, no worker running: one claim
   (``queries.CLAIM_NEXT_JOB``, as a worker runs it) of 1,000 pending
   ``noop`` jobs, in a transaction rolled back, beside 10,000 waiting jobs
   (same function, channel and priority, older: the worst case for a claim
   that walks jobs in order, were they in its index) and beside none,
   alternating; p50 and p99 of each.

Everything the benchmark stored is deleted at the end.
"""
import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time

import odoo
import psycopg2
from odoo import SUPERUSER_ID, api

from _odoo import load_config, query, rate_until_done
from bench_claim_scale import percentile, vacuum
from bench_queue import MODEL, start_workers, stop_workers

NAME = 'bench graph'
WAITING_NAME = 'bench graph waiting'
BLOCKER_NAME = 'bench graph blocker'


def commit_independent(db_name, count):
    """``count`` noop jobs committed at once; (uuids, commit time)."""
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
        session = ConnectorSession(cr, SUPERUSER_ID)
        uuids = [noop.delay(session, MODEL, n, description=NAME) for n in range(count)]
        cr.commit()
        return uuids, time.time()


def commit_chains(db_name, chains, length):
    """``chains`` chains of ``length`` noop jobs, one delay() each, one transaction."""
    from odoo.addons.connector.queue.graph import chain
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
        session = ConnectorSession(cr, SUPERUSER_ID)
        uuids = []
        for c in range(chains):
            uuids += chain(*(noop.delayable(session, MODEL, c * length + n, description=NAME)
                             for n in range(length))).delay()
        cr.commit()
        return uuids, time.time()


def store_waiting(db_name, count):
    """``count`` jobs waiting for one failed job, copies of a noop job (SQL, in bulk)."""
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
        session = ConnectorSession(cr, SUPERUSER_ID)
        # an eta a day ahead: the running workers must not claim it before it fails
        blocker = noop.delay(session, MODEL, -1, description=BLOCKER_NAME, eta=86400)
        cr.commit()
    query(db_name, "UPDATE queue_job SET state = 'failed', eta = NULL, exc_info = 'bench', "
                   "date_done = now() at time zone 'utc' WHERE uuid = %s", (blocker,))
    # one transaction: a waiting job committed without its link would look
    # ready to the workers' upkeep (RELEASE_READY_JOBS), which would release it
    query(db_name, """
        INSERT INTO queue_job (uuid, name, state, func_string, model_name, method_name,
            record_ids, args, kwargs, user_id, company_id, channel, priority, retry,
            max_retries, date_created, create_uid, create_date, write_uid, write_date,
            graph_uuid)
        SELECT md5(random()::text || n::text), %(name)s, 'wait_dependencies', func_string,
            model_name, method_name, record_ids, args, kwargs, user_id, company_id, channel,
            priority, 0, max_retries, date_created, create_uid, create_date, write_uid,
            write_date, md5(%(uuid)s || (n / 10)::text)
        FROM queue_job, generate_series(1, %(count)s) n WHERE uuid = %(uuid)s;
        INSERT INTO queue_job_dependency (job_id, depends_on_id)
        SELECT waiting.id, blocker.id FROM queue_job waiting, queue_job blocker
        WHERE waiting.name = %(name)s AND blocker.uuid = %(uuid)s""",
          {'name': WAITING_NAME, 'uuid': blocker, 'count': count})
    check_waiting(db_name, count)
    vacuum(db_name)


def check_waiting(db_name, count):
    """Stop if the waiting jobs are not all waiting (one was released or ran)."""
    found = query(db_name, "SELECT count(*) FROM queue_job WHERE name = %s AND state = "
                           "'wait_dependencies'", (WAITING_NAME,))[0][0]
    if found != count:
        raise SystemExit('%d jobs wait for the failed job, not %d' % (found, count))


def remove_waiting(db_name, count):
    check_waiting(db_name, count)
    query(db_name, 'DELETE FROM queue_job WHERE name IN %s', ((WAITING_NAME, BLOCKER_NAME),))
    vacuum(db_name)


def claim_latencies(db_name, count):
    """``count`` claims (ms), each in a transaction rolled back."""
    from odoo.addons.connector.queue import queries
    conn = psycopg2.connect(**odoo.sql_db.connection_info_for(db_name)[1])
    times = []
    try:
        with conn.cursor() as cr:
            for _ in range(count):
                start = time.perf_counter()
                cr.execute(queries.CLAIM_NEXT_JOB, ('bench-probe',))
                claimed = cr.fetchone()
                times.append((time.perf_counter() - start) * 1000)
                if not claimed or not claimed[0]:
                    raise SystemExit('the claim found nothing to run')
                conn.rollback()
    finally:
        conn.close()
    return times


def bench_end_to_end(db_name, config, rounds, waiting):
    """{variant: [(jobs/s, tries per job), ...]} over ``rounds`` rotated rounds."""
    variants = ['independent', 'chains', 'beside waiting']
    figures = {variant: [] for variant in variants}
    workers = start_workers(config, db_name, 2, tempfile.mkdtemp(prefix='bench-graph-'))
    try:
        rate_until_done(db_name, *commit_independent(db_name, 200))  # warm up: not counted
        rate_until_done(db_name, *commit_chains(db_name, 20, 10))
        orders = list(itertools.permutations(variants))
        for number in range(rounds):
            order = orders[number % len(orders)]
            for variant in order:
                # each variant starts from a vacuumed table (not behind the dead
                # rows of the previous one) and idle workers that had an upkeep
                if variant == 'beside waiting':
                    store_waiting(db_name, waiting)
                else:
                    vacuum(db_name)
                time.sleep(1)
                if variant == 'chains':
                    uuids, committed = commit_chains(db_name, 100, 10)
                else:
                    uuids, committed = commit_independent(db_name, 1000)
                figures[variant].append(rate_until_done(db_name, uuids, committed))
                if variant == 'beside waiting':
                    remove_waiting(db_name, waiting)
                print('  round %d, %-15s %7.1f jobs/s'
                      % (number + 1, variant, figures[variant][-1][0]), flush=True)
    finally:
        stop_workers(workers)
    return figures


def bench_claims(db_name, rounds, claims, waiting):
    """{'none': [ms...], 'waiting': [ms...]}, alternating blocks of ``claims``."""
    uuids, _committed = commit_independent(db_name, 1000)
    figures = {'none': [], 'waiting': []}
    try:
        for number in range(rounds):
            for variant in (('none', 'waiting') if number % 2 == 0 else ('waiting', 'none')):
                if variant == 'waiting':
                    store_waiting(db_name, waiting)
                else:
                    vacuum(db_name)
                figures[variant] += claim_latencies(db_name, claims)
                if variant == 'waiting':
                    remove_waiting(db_name, waiting)
    finally:
        query(db_name, 'DELETE FROM queue_job WHERE uuid IN %s', (tuple(uuids),))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--rounds', type=int, default=6, help='end-to-end rounds')
    parser.add_argument('--claim-rounds', type=int, default=4)
    parser.add_argument('--claims', type=int, default=100, help='claims timed per block')
    parser.add_argument('--waiting', type=int, default=10000)
    opts = parser.parse_args()
    load_config(opts.config)
    db = opts.database
    try:
        print('claim latency beside %d waiting jobs and none...' % opts.waiting, flush=True)
        claims = bench_claims(db, opts.claim_rounds, opts.claims, opts.waiting)
        print('end to end, 2 workers, %d rounds...' % opts.rounds, flush=True)
        runs = bench_end_to_end(db, opts.config, opts.rounds, opts.waiting)
    finally:
        query(db, 'DELETE FROM queue_job WHERE name IN %s', ((NAME, WAITING_NAME, BLOCKER_NAME),))
    median = statistics.median
    rate = {variant: median(r for r, _tries in values) for variant, values in runs.items()}
    tries = {variant: max(t for _r, t in values) for variant, values in runs.items()}

    def ratios(variant):
        return [r / base for (r, _t), (base, _t2) in zip(runs[variant], runs['independent'])]
    print('job graphs (%s), medians of %d rounds' % (db, opts.rounds))
    print('  %-54s %9.1f jobs/s' % ('end to end, 1,000 independent jobs, 2 workers',
                                    rate['independent']))
    print('  %-54s %9.1f jobs/s' % ('end to end, 100 chains of 10', rate['chains']))
    print('  %-54s %9.1f jobs/s' % ('end to end, 1,000 independent beside %d waiting'
                                    % opts.waiting, rate['beside waiting']))
    print('  %-54s %9.2f' % ('chains / independent, median of per-round ratios (>= 0.7)',
                             median(ratios('chains'))))
    print('  %-54s %9.2f' % ('beside waiting / independent, median of ratios',
                             median(ratios('beside waiting'))))
    print('  %-54s %9.2f' % ('tries per job, worst round (chains)', tries['chains']))
    for variant in ('none', 'waiting'):
        label = 'claim beside %s waiting jobs, p50 / p99 (%d)' % (
            opts.waiting if variant == 'waiting' else 'no', len(claims[variant]))
        print('  %-54s %5.2f / %5.2f ms' % (label, median(claims[variant]),
                                            percentile(claims[variant], 0.99)))
    print('  %-54s %9.2f' % ('claim p50 ratio waiting / none',
                             median(claims['waiting']) / median(claims['none'])))
    return 0


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
