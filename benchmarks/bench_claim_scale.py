# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The claim beside a backlog of jobs it cannot run: latency and throughput at scale.

Needs a database with the test addon ``test_queue_job`` installed (its
``noop`` job) and no other worker on it, e.g. the pytest database that
``tools/dev.py pytest`` builds::

    .venv/bin/python benchmarks/bench_claim_scale.py -c var/odoo.cfg \\
        -d connector_test_pytest --sizes 1000 10000 100000

For each backlog size N, the backlog is stored (SQL, in bulk), all at the
same priority as the measured jobs and older than them (the worst case for
a claim that walks jobs in order). ``--layout mixed`` (the default), 50
channels:

- 15 channels of capacity 1, each held by one started job of a live
  (heart-beating) placeholder worker: a third of N, blocked;
- 15 sequential channels, each blocked by a failed job: a third of N;
- 20 channels whose jobs wait on an eta a day ahead: a third of N.

``--layout issue20``, issue 20's item 1, 60 channels: 10 of capacity 1,
each held as above (a sixth of N), 50 whose jobs wait on an eta a day
ahead (five sixths). Size 0 is the empty queue (nothing stored, not even
the placeholders' jobs); a size may be given more than once, so that runs
alternate, e.g. (target: the 10,000 rows' ratio at least 0.8)::

    .venv/bin/python benchmarks/bench_claim_scale.py -c var/odoo.cfg \\
        -d DB --layout issue20 --sizes 0 10000 0 10000 0 10000

Then, with that backlog in place:

1. claim latency: one claim of a job of a free channel (which holds 1,000
   pending jobs) in a transaction rolled back, 200 times, alternating the
   claim of this version (``queries.CLAIM_NEXT_JOB``, as a worker runs it)
   and the claim statement of commit 11886c2 (``OLD_CLAIM_SQL`` below, with
   its index and the lock it ran under); p50 and p99 of each;
2. end to end: 1,000 ``noop`` jobs committed in the free channel while two
   ``odoo-bin jobrunner`` processes wait; jobs/s until all are done.

The report gives, per run, both latencies and the throughput, and the
throughput as a ratio of the first run's; when a size was run more than
once, then per size the median throughput and its ratio to the first
size's median (target: at least 0.8 at 100,000, and beside the issue20
layout against the empty queue). Everything the benchmark stored is deleted at the end.
"""
import argparse
import os
import statistics
import sys
import tempfile
import threading
import time

import odoo
import psycopg2
from odoo import SUPERUSER_ID, api

from _odoo import load_config, query, rate_until_done
from bench_queue import MODEL, start_workers, stop_workers

PREFIX = 'root.bench_scale'
HOLDER = 'bench-scale-holder'

#: The claim statement this version replaced (commit 11886c2), kept to
#: compare in the same run; it walks the pending jobs in order.
OLD_CLAIM_SQL = """
WITH busy AS MATERIALIZED (
    SELECT channel, count(*) AS n FROM queue_job
    WHERE state = 'started' GROUP BY channel
), blocked AS MATERIALIZED (
    SELECT coalesce(array_agg(name), '{}') AS names FROM (
        SELECT c.complete_name AS name FROM queue_job_channel c
        WHERE c.capacity > 0 AND c.capacity <= (
            SELECT coalesce(sum(b.n), 0) FROM busy b
            WHERE starts_with(b.channel || '.', c.complete_name || '.'))
        UNION ALL
        SELECT c.complete_name FROM queue_job_channel c
        WHERE c.sequential AND EXISTS (
            SELECT 1 FROM queue_job o
            WHERE o.state IN ('started', 'failed')
              AND starts_with(o.channel || '.', c.complete_name || '.'))
    ) full_or_busy
), heads AS MATERIALIZED (
    SELECT coalesce(array_agg(c.complete_name), '{}') AS names,
           coalesce(array_agg(head.id), '{}') AS ids
    FROM queue_job_channel c CROSS JOIN LATERAL (
        SELECT o.id FROM queue_job o
        WHERE o.state = 'pending'
          AND starts_with(o.channel || '.', c.complete_name || '.')
        ORDER BY o.priority, o.eta NULLS FIRST, o.id LIMIT 1) head
    WHERE c.sequential
), candidate AS (
    SELECT j.id FROM queue_job j
    WHERE j.state = 'pending'
      AND (j.eta IS NULL OR j.eta <= (now() at time zone 'utc'))
      AND NOT coalesce((
          SELECT bool_or(starts_with(j.channel || '.', b || '.'))
          FROM unnest((SELECT names FROM blocked)) b), false)
      AND NOT coalesce((
          SELECT bool_or(starts_with(j.channel || '.', h.name || '.') AND h.id <> j.id)
          FROM unnest((SELECT names FROM heads), (SELECT ids FROM heads)) h(name, id)),
          false)
    ORDER BY j.priority, j.eta NULLS FIRST, j.id
    LIMIT 1
    FOR UPDATE OF j SKIP LOCKED
)
UPDATE queue_job SET state = 'started', worker_name = $1, retry = retry + 1,
    date_started = (now() at time zone 'utc'), date_done = NULL,
    write_date = (now() at time zone 'utc')
FROM candidate WHERE queue_job.id = candidate.id
RETURNING queue_job.id
"""
OLD_INDEX = ("CREATE INDEX IF NOT EXISTS bench_old_pending_order_idx ON queue_job "
             "(priority, eta NULLS FIRST, id) WHERE state = 'pending'")
LOCK = "SELECT pg_advisory_xact_lock(hashtext('connector_queue_job_claim'))"


#: Per layout, per kind of channel: (how many channels, share of the backlog).
LAYOUTS = {
    'mixed': {'capacity': (15, 1 / 3), 'sequential': (15, 1 / 3), 'eta': (20, 1 / 3)},
    'issue20': {'capacity': (10, 1 / 6), 'sequential': (0, 0), 'eta': (50, 5 / 6)},
}


def channel_names(layout='mixed'):
    counts = LAYOUTS[layout]
    names = {kind: ['%s.%s%02d' % (PREFIX, kind[:3], i) for i in range(counts[kind][0])]
             for kind in ('capacity', 'sequential', 'eta')}
    names['free'] = ['%s.free' % PREFIX]
    return names


def create_channels(db_name, layout='mixed'):
    """The benchmark's channels (capacity 1, sequential, plain), as the web client would."""
    registry = odoo.registry(db_name)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        channels = env['queue.job.channel']
        parent = channels.search([('complete_name', '=', PREFIX)]) or channels.create(
            {'name': PREFIX.split('.')[-1], 'parent_id': channels.search(
                [('complete_name', '=', 'root')]).id})
        names = channel_names(layout)
        for kind, values in (('capacity', {'capacity': 1}), ('sequential', {'sequential': True}),
                             ('eta', {}), ('free', {})):
            for name in names[kind]:
                if not channels.search([('complete_name', '=', name)]):
                    channels.create(dict(values, name=name.split('.')[-1], parent_id=parent.id))


def store_backlog(db_name, template_uuid, size, layout='mixed'):
    """``size`` pending jobs across the blocked and waiting channels, copies of a noop job
    (nothing for 0: the empty queue)."""
    if not size:
        return
    names = channel_names(layout)
    shares = {kind: int(size * share) for kind, (_count, share) in LAYOUTS[layout].items()}
    shares['eta'] = size - shares['capacity'] - shares['sequential']
    copy = ("INSERT INTO queue_job (uuid, name, state, func_string, model_name, method_name, "
            "record_ids, args, kwargs, user_id, company_id, channel, priority, eta, retry, "
            "max_retries, date_created, create_uid, create_date, write_uid, write_date, "
            "worker_name, date_started, date_done) "
            "SELECT md5(random()::text || n::text), 'bench backlog', %(state)s, func_string, "
            "model_name, method_name, record_ids, args, kwargs, user_id, company_id, "
            "(%(channels)s)[1 + n %% array_length(%(channels)s, 1)], priority, "
            "CASE WHEN %(future)s THEN (now() at time zone 'utc') + interval '1 day' END, "
            "0, max_retries, date_created, create_uid, create_date, write_uid, write_date, "
            "%(worker)s, CASE WHEN %(state)s = 'started' THEN (now() at time zone 'utc') END, "
            "CASE WHEN %(state)s = 'failed' THEN (now() at time zone 'utc') END "
            "FROM queue_job, generate_series(1, %(count)s) n WHERE uuid = %(uuid)s")
    for params in (
            # the holders: one started job per capacity-1 channel, one failed per sequential
            dict(state='started', channels=names['capacity'], future=False,
                 count=len(names['capacity']), worker=HOLDER),
            dict(state='failed', channels=names['sequential'], future=False,
                 count=len(names['sequential']), worker=None),
            dict(state='pending', channels=names['capacity'], future=False,
                 count=shares['capacity'], worker=None),
            dict(state='pending', channels=names['sequential'], future=False,
                 count=shares['sequential'], worker=None),
            dict(state='pending', channels=names['eta'], future=True,
                 count=shares['eta'], worker=None)):
        if params['count']:
            query(db_name, copy, dict(params, uuid=template_uuid))
    vacuum(db_name)


def vacuum(db_name):
    """VACUUM ANALYZE queue_job, as autovacuum would after a bulk change: the
    dead index entries of deleted jobs are not what is measured."""
    conn = psycopg2.connect(**odoo.sql_db.connection_info_for(db_name)[1])
    try:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute('VACUUM ANALYZE queue_job')
    finally:
        conn.close()


def heartbeat_forever(db_name, stop):
    """The placeholder worker holding the capacity-1 channels stays alive."""
    while not stop.wait(1):
        query(db_name, "UPDATE queue_job_worker SET heartbeat = (now() at time zone 'utc') "
                       "WHERE name = %s", (HOLDER,))


def claim_latencies(db_name, rounds):
    """(new, old) claim times in ms, alternating, each in a rolled-back transaction."""
    from odoo.addons.connector.queue import queries
    conn = psycopg2.connect(**odoo.sql_db.connection_info_for(db_name)[1])
    new, old = [], []
    try:
        with conn.cursor() as cr:
            cr.execute(OLD_INDEX)
            conn.commit()
            cr.execute('PREPARE bench_old_claim(varchar) AS ' + OLD_CLAIM_SQL)
            for number in range(rounds):
                for name, statement, times in (
                        ('new', queries.CLAIM_NEXT_JOB, new),
                        ('old', "EXECUTE bench_old_claim(%s)", old)):
                    if name == 'old':
                        cr.execute(LOCK)  # the old statement relied on it
                    start = time.perf_counter()
                    cr.execute(statement, ('bench-probe',))
                    claimed = cr.fetchone()
                    times.append((time.perf_counter() - start) * 1000)
                    if not claimed or not claimed[0]:
                        raise SystemExit('%s claim found nothing to run' % name)
                    conn.rollback()
            cr.execute('DROP INDEX IF EXISTS bench_old_pending_order_idx')
            conn.commit()
    finally:
        conn.close()
    return new, old


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def commit_free_jobs(db_name, count, description='bench'):
    """``count`` noop jobs in the free channel, committed; their uuids."""
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
        session = ConnectorSession(cr, SUPERUSER_ID)
        return [noop.delay(session, MODEL, n, channel='%s.free' % PREFIX,
                           description=description) for n in range(count)]


def throughput(db_name, count):
    uuids = commit_free_jobs(db_name, count)
    return rate_until_done(db_name, uuids, time.time())[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--sizes', type=int, nargs='+', default=[1000, 10000, 100000])
    parser.add_argument('--rounds', type=int, default=200, help='claims timed per size')
    parser.add_argument('--jobs', type=int, default=1000, help='jobs run end to end per size')
    parser.add_argument('--layout', choices=sorted(LAYOUTS), default='mixed',
                        help='channels of the backlog (see the docstring)')
    opts = parser.parse_args()
    load_config(opts.config)
    db = opts.database
    create_channels(db, opts.layout)
    query(db, "INSERT INTO queue_job_worker (name, pid, host, date_started, heartbeat) "
              "VALUES (%s, 0, 'bench', now() at time zone 'utc', now() at time zone 'utc') "
              "ON CONFLICT (name) DO UPDATE SET heartbeat = EXCLUDED.heartbeat", (HOLDER,))
    stop = threading.Event()
    beat = threading.Thread(target=heartbeat_forever, args=(db, stop), daemon=True)
    beat.start()
    results = []
    log_dir = tempfile.mkdtemp(prefix='bench-claim-')
    try:
        template = commit_free_jobs(db, 1, description='bench template')
        query(db, "UPDATE queue_job SET state = 'done', date_done = now() at time zone 'utc' "
                  "WHERE uuid = %s", (template[0],))
        for size in opts.sizes:
            print('backlog %d: storing...' % size, flush=True)
            store_backlog(db, template[0], size, opts.layout)
            free = commit_free_jobs(db, 1000)
            vacuum(db)
            print('backlog %d: timing %d claims of each version...' % (size, opts.rounds),
                  flush=True)
            new, old = claim_latencies(db, opts.rounds)
            query(db, 'DELETE FROM queue_job WHERE uuid IN %s', (tuple(free),))
            vacuum(db)
            print('backlog %d: %d jobs end to end with 2 workers...' % (size, opts.jobs),
                  flush=True)
            workers = start_workers(opts.config, db, 2, log_dir)
            try:
                rate = throughput(db, opts.jobs)
            finally:
                stop_workers(workers)
            results.append((size, new, old, rate))
            query(db, "DELETE FROM queue_job WHERE name = 'bench backlog'")
            vacuum(db)
    finally:
        stop.set()
        query(db, "DELETE FROM queue_job WHERE name IN ('bench backlog', 'bench', "
                  "'bench template')")
        query(db, 'DELETE FROM queue_job_worker WHERE name = %s', (HOLDER,))
        query(db, 'DROP INDEX IF EXISTS bench_old_pending_order_idx')
    base_rate = results[0][3]
    print('claim beside a backlog of blocked and waiting jobs (same priority, older; '
          'layout %s)' % opts.layout)
    print('  %9s  %19s  %19s  %10s  %8s' % (
        'backlog', 'claim p50/p99 (ms)', 'old claim p50/p99', 'jobs/s', 'ratio'))
    for size, new, old, rate in results:
        print('  %9d  %8.2f / %8.2f  %8.2f / %8.2f  %10.1f  %8.2f' % (
            size, statistics.median(new), percentile(new, 0.99), statistics.median(old),
            percentile(old, 0.99), rate, rate / base_rate))
    sizes = list(dict.fromkeys(size for size, _new, _old, _rate in results))
    if len(sizes) < len(results):
        medians = {size: statistics.median(rate for s, _n, _o, rate in results if s == size)
                   for size in sizes}
        print('  per size, median of its runs')
        for size in sizes:
            print('  %9d  %41s  %10.1f  %8.2f' % (size, '', medians[size],
                                                  medians[size] / medians[sizes[0]]))
    return 0


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
