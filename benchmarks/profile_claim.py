# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where a claim's time goes: part 1 of ``bench_claim.py``, profiled by PostgreSQL.

N claimers run part 1's loop (``queries.SET_DONE`` of the job taken before,
``queries.CLAIM_NEXT_JOB``, commit; both prepared once per session, run
through ``QueueStore(cr, prepared=True)`` as a worker runs them, or sent as
text with ``--text``) on the same 100,000 jobs over 50 channels for
``--seconds``; their sessions count what PostgreSQL spent, read
afterwards:

* ``--track functions`` (the default): ``track_functions = 'all'``, then
  calls, total and self time of each function (``pg_stat_user_functions``),
  per claim; how many claims re-read the blocked channels
  (``connector_blocked_channels_v1``) and how many tries of a channel's
  row locks (``connector_take_channels_v1``) it took per bounded start
  show in the calls;
* ``--track statements``: the statements inside them too, with
  ``pg_stat_statements.track = 'all'``; ``--track top``: the top-level
  statements with their planning time. Both need the extension
  (``shared_preload_libraries = 'pg_stat_statements'`` and
  ``CREATE EXTENSION pg_stat_statements`` in the database).

The counters cost time themselves: read them as shares, and take rates
from ``bench_claim.py``. Also printed: the claimers' own clock per claim
(``SET_DONE``, the claim, the commit) and how many jobs of each kind of
channel started. The database is prepared as for ``bench_claim.py``, whose
docstring tells how; the counters are reset (``pg_stat_reset``) before::

    .venv/bin/python benchmarks/profile_claim.py -c var/odoo.cfg -d DB \\
        [--clients 4] [--seconds 5] [--jobs 100000] [--track functions] [--text]
"""
import argparse
import multiprocessing
import time

import odoo
import psycopg2

from _odoo import load_config, query
from bench_claim import (PREFIX, SCALE_JOBS, check_database, cleanup, reset, scale_channels,
                         setup_scale)

#: Session settings of each claimer, by ``--track``.
TRACKING = {
    'functions': ["SET track_functions = 'all'"],
    'statements': ["SET track_functions = 'all'", "SET pg_stat_statements.track = 'all'"],
    'top': ["SET pg_stat_statements.track = 'top'",
            "SET pg_stat_statements.track_planning = on"],
}

FUNCTIONS = """
SELECT funcname, calls, total_time, self_time FROM pg_stat_user_functions
WHERE funcname LIKE 'connector%%' AND calls > 0 ORDER BY self_time DESC
"""

STATEMENTS = """
SELECT regexp_replace(query, '\\s+', ' ', 'g'), calls, total_exec_time, total_plan_time
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND query NOT LIKE '%%pg_stat%%'
ORDER BY total_exec_time DESC LIMIT %s
"""


def _loop(info, track, seconds, start_line, counter, prepared):
    """Part 1's claim loop, timed by the claimer's clock: put (claims, seconds in
    SET_DONE, in the claim, in the commit) in ``counter``."""
    from odoo.addons.connector.queue.outcome import Outcome
    from odoo.addons.connector.queue.store import QueueStore
    cnx = psycopg2.connect(application_name='profile_claim', **info)
    cr = cnx.cursor()
    store = QueueStore(cr, prepared=prepared)
    store.prepare_claims()
    for setting in TRACKING[track]:
        cr.execute(setting)
    if prepared:
        store.prepare_claim_statement()
        store.prepare_job_statements()
    cnx.commit()
    done_outcome = Outcome('done')
    start_line.wait()  # timed once every claimer is connected (bench_claim.measure)
    stop_at = time.time() + seconds
    worker = 'profile-claim-%d' % multiprocessing.current_process().pid
    claims, spent = 0, [0.0, 0.0, 0.0]
    previous = None
    while time.time() < stop_at:
        start = time.perf_counter()
        if previous is not None:
            store.record_outcome(previous, done_outcome, committing=True)
        done = time.perf_counter()
        previous = store.claim_next(worker)
        claimed = time.perf_counter()
        cnx.commit()
        for index, (begin, end) in enumerate(((start, done), (done, claimed),
                                              (claimed, time.perf_counter()))):
            spent[index] += end - begin
        claims += 1
        if previous is None:
            break
    if previous is not None:
        store.record_outcome(previous, done_outcome, committing=True)
    cnx.commit()
    counter.put([claims] + spent)
    cnx.close()


def run(info, opts):
    """Claims per second and the claimers' clocks, summed: [claims, SET_DONE s,
    claim s, commit s]."""
    counter = multiprocessing.Queue()
    start_line = multiprocessing.Barrier(opts.clients + 1)
    procs = [multiprocessing.Process(target=_loop, args=(info, opts.track, opts.seconds,
                                                         start_line, counter, not opts.text))
             for _ in range(opts.clients)]
    for proc in procs:
        proc.start()
    start_line.wait()
    start = time.perf_counter()
    totals = [sum(column) for column in zip(*[counter.get() for _ in procs])]
    elapsed = time.perf_counter() - start
    for proc in procs:
        proc.join()
    return totals[0] / elapsed, totals


def started_by_kind(db_name):
    """How many of part 1's jobs left 'pending', by kind of channel."""
    names = {name: kind for kind, (group, _c, _r, _b) in zip(
        ('capacity', 'rate limit', 'free'), scale_channels()) for name in group}
    counts = {'capacity': 0, 'rate limit': 0, 'free': 0}
    for channel, count in query(db_name, "SELECT channel, count(*) FROM queue_job WHERE name = %s "
                                         "AND state <> 'pending' GROUP BY channel", (SCALE_JOBS,)):
        counts[names[channel]] += count
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--clients', type=int, default=4)
    parser.add_argument('--seconds', type=float, default=5)
    parser.add_argument('--jobs', type=int, default=100000)
    parser.add_argument('--track', choices=sorted(TRACKING), default='functions')
    parser.add_argument('--statements', type=int, default=20,
                        help='how many statements to show (--track statements or top)')
    parser.add_argument('--text', action='store_true',
                        help='send SET_DONE and the claim as text (planned at each run), '
                             'as this script did until 2026-12-07')
    opts = parser.parse_args()
    load_config(opts.config)
    db_name = opts.database
    _db, info = odoo.sql_db.connection_info_for(db_name)
    check_database(db_name)
    cleanup(db_name)  # what an interrupted run left
    try:
        setup_scale(db_name, opts.jobs)
        reset(db_name, info, SCALE_JOBS)
        query(db_name, 'SELECT pg_stat_reset()')
        if opts.track != 'functions':
            query(db_name, 'SELECT pg_stat_statements_reset()')
        rate, (claims, set_done, claim, commit) = run(info, opts)
        time.sleep(1)  # the ended sessions' counters reach the shared statistics
        print('%d claimers, %d claims, %.0f claims/s (counted: read as shares)' % (
            opts.clients, claims, rate))
        print('claimers\' clock per claim: SET_DONE %.3f ms, claim %.3f ms, commit %.3f ms' % (
            1000 * set_done / claims, 1000 * claim / claims, 1000 * commit / claims))
        print('jobs started: %s' % ', '.join(
            '%s %d' % item for item in started_by_kind(db_name).items()))
        print('%-40s %8s %10s %10s %11s' % (
            'function', 'calls', 'total ms', 'self ms', 'self us/claim'))
        for name, calls, total, own in query(db_name, FUNCTIONS):
            print('%-40s %8d %10.1f %10.1f %11.1f' % (
                name, calls, total, own, 1000 * own / claims))
        if opts.track != 'functions':
            print('%8s %9s %9s %9s  %s' % (
                'calls', 'exec us', 'us/claim', 'plan us', 'statement'))
            for text, calls, total, plan in query(db_name, STATEMENTS, (opts.statements,)):
                print('%8d %9.1f %9.1f %9.1f  %s' % (calls, 1000 * total / calls,
                                                     1000 * total / claims,
                                                     1000 * plan / calls, text[:110]))
    finally:
        cleanup(db_name)
        query(db_name, 'DELETE FROM queue_job_channel_state WHERE channel LIKE %s',
              (PREFIX + '.%',))


if __name__ == '__main__':
    main()
