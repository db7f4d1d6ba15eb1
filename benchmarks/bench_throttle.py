# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rate limits: what they cost an unlimited channel, and how closely a limit is held.

Needs a database with the test addon ``test_queue_job`` installed (its
``noop`` job function), no other worker running on it, and a git checkout
(the claim function *before* rate limits is read with ``git show``).
Starts 2 real ``odoo-bin jobrunner`` processes (kills them at the end) and
removes every job and channel it created; the current claim function is
put back at the end.

    .venv/bin/python benchmarks/bench_throttle.py -c var/odoo.cfg -d DB

1. cost: 1,000 ``noop`` jobs of channel ``root`` committed at once, 2 workers
   already idle; time from the commit until all are seen done (polled every
   10 ms), in alternating rounds of three kinds:

   - before: the claim function of commit 8fb48ed (no rate limits, no
     pauses), installed in the database for the round (the workers' Python
     is the current one; only the claim differs);
   - after: the current claim function, no rate-limited channel (the claim
     only looks whether one exists);
   - after, one rated: the same with an unrelated channel limited to
     1000/s present, so every claim also runs the UPDATE of the limited
     channels above the started job (which matches none).

   First of all (before the workers start), one claim
   (``queries.CLAIM_NEXT_JOB``) beside 200 pending jobs, rolled back, timed
   from the client, for each kind in turn: the claim's own cost, which the
   noise of the end-to-end figures hides.

2. accuracy: a channel limited to 20/s, 2 workers, 700 ``noop`` jobs of it
   committed at once: the starts (``date_started``, written by the claim) in
   each 1-second window of the first 30 s after the first start; min /
   median / max per window. Once with burst 1, once with burst 2.
"""
import argparse
import os
import subprocess
import tempfile
import time

import odoo
from odoo import SUPERUSER_ID, api

from _odoo import load_config, median, query, rate_until_done, report
from devkit.workers import Workers

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = 'test.queue.job.row'
BEFORE_COMMIT = '8fb48ed'
RATED = 'root.bench_rated_unrelated'
LIMITED = 'root.bench_rate20'


def claim_function(commit):
    """``CREATE_CLAIM_FUNCTION`` of ``connector/queue/queries.py`` at ``commit``."""
    source = subprocess.check_output(['git', 'show', '%s:connector/queue/queries.py' % commit],
                                     cwd=REPO).decode()
    namespace = {'__name__': 'queries_%s' % commit}
    if 'CREATE_CLAIM_FUNCTION' not in source:
        # since 11.0.1.1.0 the claim is a versioned function of queue/sql/schema.sql,
        # created once: it can no longer be swapped in by running a Python string
        raise SystemExit('this benchmark swaps claim functions written in queries.py; '
                         'run it from a checkout of 2ba73ec or earlier (the figures in '
                         'benchmarks/README are from ad27375)')
    exec(compile(source, 'queries@%s' % commit, 'exec'), namespace)  # pylint: disable=exec-used
    return namespace['CREATE_CLAIM_FUNCTION']


def commit_jobs(db_name, count, channel=None):
    """``count`` noop jobs in one committed transaction; their uuids."""
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    options = {'channel': channel} if channel else {}
    with api.Environment.manage():
        with odoo.registry(db_name).cursor() as cr:
            session = ConnectorSession(cr, SUPERUSER_ID)
            return [noop.delay(session, MODEL, n, description='bench', **options)
                    for n in range(count)]


def create_channel(db_name, complete_name, limit, burst=1):
    query(db_name, "INSERT INTO queue_job_channel (name, complete_name, parent_id, capacity, "
                   "sequential, rate_limit, rate_period, rate_burst, create_date, write_date) "
                   "SELECT %s, %s, id, 0, false, %s, 1, %s, now() at time zone 'utc', "
                   "now() at time zone 'utc' FROM queue_job_channel WHERE complete_name = 'root'",
          (complete_name.split('.')[-1], complete_name, limit, burst))


def drop_channel(db_name, complete_name):
    query(db_name, 'DELETE FROM queue_job_channel WHERE complete_name = %s', (complete_name,))


def throughput(db_name, count):
    """Jobs per second from the commit of ``count`` noop jobs until all are done."""
    uuids = commit_jobs(db_name, count)
    return rate_until_done(db_name, uuids, time.time())[0]


def bench_cost(db_name, count, rounds):
    before, after = claim_function(BEFORE_COMMIT), claim_function('HEAD')
    from odoo.addons.connector.queue import queries
    if after != queries.CREATE_CLAIM_FUNCTION:
        raise SystemExit('connector/queue/queries.py differs from HEAD: commit it first')
    rates = {'before': [], 'after': [], 'after, one rated': []}
    kinds = list(rates)
    try:
        for round_number in range(rounds):
            # each round in another order: the machine's drift favours no kind
            for kind in kinds[round_number % 3:] + kinds[:round_number % 3]:
                query(db_name, before if kind == 'before' else after)
                if kind == 'after, one rated':
                    create_channel(db_name, RATED, 1000)
                rates[kind].append(throughput(db_name, count))
                drop_channel(db_name, RATED)
    finally:
        query(db_name, after)
        drop_channel(db_name, RATED)
    return rates


def bench_claim_latency(db_name, samples):
    """Milliseconds per claim (``queries.CLAIM_NEXT_JOB``, rolled back) beside 200
    pending jobs, for each kind in turn; no worker runs."""
    from odoo.addons.connector.queue import queries
    before, after = claim_function(BEFORE_COMMIT), claim_function('HEAD')
    uuids = commit_jobs(db_name, 200)
    times = {'before': [], 'after': [], 'after, one rated': []}
    try:
        with odoo.sql_db.db_connect(db_name).cursor() as cr:
            for kind in times:
                cr.execute(before if kind == 'before' else after)
                if kind == 'after, one rated':
                    cr.commit()
                    create_channel(db_name, RATED, 1000)
                cr.commit()
                for _ in range(samples):
                    start = time.perf_counter()
                    cr.execute(queries.CLAIM_NEXT_JOB, ('bench-probe',))
                    cr.fetchall()
                    times[kind].append((time.perf_counter() - start) * 1000)
                    cr.rollback()
                drop_channel(db_name, RATED)
            cr.execute(after)
            cr.commit()
    finally:
        drop_channel(db_name, RATED)
        query(db_name, 'DELETE FROM queue_job WHERE uuid IN %s', (tuple(uuids),))
    return times


def bench_accuracy(db_name, limit, burst, seconds, count):
    """Starts per 1-s window over ``seconds`` of a channel limited to ``limit``/s."""
    create_channel(db_name, LIMITED, limit, burst)
    try:
        uuids = commit_jobs(db_name, count, channel=LIMITED)
        time.sleep(seconds + 2)
        # stop the channel (a pause of an hour), let its last jobs end, then read
        query(db_name, "UPDATE queue_job_channel SET paused_until = (now() at time zone 'utc') "
                       "+ interval '1 hour' WHERE complete_name = %s", (LIMITED,))
        time.sleep(1)
        starts = [float(row[0]) for row in query(
            db_name, "SELECT extract(epoch FROM date_started) FROM queue_job "
                     "WHERE uuid IN %s AND date_started IS NOT NULL", (tuple(uuids),))]
        query(db_name, 'DELETE FROM queue_job WHERE uuid IN %s', (tuple(uuids),))
    finally:
        drop_channel(db_name, LIMITED)
    first = min(starts)
    windows = [sum(1 for start in starts if first + k <= start < first + k + 1)
               for k in range(seconds)]
    return windows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--jobs', type=int, default=1000)
    parser.add_argument('--samples', type=int, default=2000)
    args = parser.parse_args()
    load_config(args.config)
    db_name = args.database

    latencies = bench_claim_latency(db_name, args.samples)
    pool = Workers(args.config, db_name, tempfile.mkdtemp(prefix='bench_throttle_'))
    pool.start_many(['bench-%d-%d' % (os.getpid(), i) for i in range(2)], timeout=120)
    try:
        rates = bench_cost(db_name, args.jobs, args.rounds)
        windows = {burst: bench_accuracy(db_name, 20, burst, 30, 700) for burst in (1, 2)}
    finally:
        pool.stop()
        query(db_name, "DELETE FROM queue_job WHERE name = 'bench'")
    m = {kind: median(values) for kind, values in rates.items()}
    report('Rate limits (%s), end to end %d noop jobs, 2 workers, medians of %d alternating '
           'rounds' % (db_name, args.jobs, args.rounds), [
               ('before rate limits (claim of %s)' % BEFORE_COMMIT, m['before'], 'jobs/s'),
               ('with rate limits, no rated channel', m['after'], 'jobs/s'),
               ('with rate limits, one unrelated rated channel', m['after, one rated'],
                'jobs/s'),
               ('time ratio after/before (target <= 1.05)', m['before'] / m['after'], ''),
               ('  median of the rounds\' ratios', median(
                   b / a for b, a in zip(rates['before'], rates['after'])), ''),
               ('time ratio one rated/before (target <= 1.05)',
                m['before'] / m['after, one rated'], ''),
               ('  median of the rounds\' ratios', median(
                   b / a for b, a in zip(rates['before'], rates['after, one rated'])), ''),
           ])
    print('  rounds (jobs/s): %s' % {kind: [round(rate) for rate in values]
                                     for kind, values in rates.items()})
    report('One claim beside 200 pending jobs, rolled back, %d samples each, no worker'
           % args.samples, [('%s: median / 90th percentile' % kind,
                             median(values), 'ms / %.3f ms' % sorted(values)[
                                 int(len(values) * 0.9)])
                            for kind, values in latencies.items()])
    for burst, counts in windows.items():
        report('Limit 20/s, burst %d, 2 workers, starts per 1-s window over 30 s' % burst, [
            ('min', min(counts), 'starts'),
            ('median', median(counts), 'starts'),
            ('max', max(counts), 'starts'),
            ('mean over 30 s', sum(counts) / len(counts), 'starts/s'),
        ])
        print('  windows: %s' % counts)


if __name__ == '__main__':
    main()
