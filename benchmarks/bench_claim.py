# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The claim beside the physical limit: claims per second as claimers grow.

Needs a database with the connector addon installed and no worker running
on it (its own claims would mix in), e.g. a copy of the pytest database::

    .venv/bin/python benchmarks/bench_claim.py -c var/odoo.cfg -d DB \\
        [--jobs 100000] [--clients 2 4 8 16] [--seconds 5]

For each N of ``--clients``, side by side in one run:

1. bare: N processes, each on its own connection, run the loop a queue
   without channels would: ``UPDATE ... SET state = 'done'`` of the row it
   took before, ``SELECT id ... ORDER BY priority, id LIMIT 1 FOR UPDATE
   SKIP LOCKED``, ``UPDATE ... SET state = 'started'``, ``COMMIT``, on a
   bare table of ``--jobs`` rows (three columns and the partial index);
2. claim: N processes run, with the worker's session settings, the same
   ``UPDATE`` of the job they took before (done: a job lasts no time) and
   the real claim, ``CLAIM_NEXT_JOB`` (the connector's claim function and
   the signaling sequences), then ``COMMIT``, on ``--jobs`` pending jobs
   spread over 50 channels: 5 of capacity 4, 5 limited to 200 starts per
   second (burst 20), 40 free. The rate-limited channels cannot keep up:
   their backlog, older than what is left of the free channels, piles up
   at the head of the queue (the case the claim's bounded lane is for).

Each run lasts ``--seconds``; the jobs are pending again before each.
Reported: claims per second of each, and their ratio (target at least
0.5 at every N, and a claim rate that does not fall as N grows). The
jobs, channels and table the benchmark made are deleted at the end.
"""
import argparse
import multiprocessing
import time

import odoo
import psycopg2

from _odoo import load_config, query, report

PREFIX = 'root.bench_claim'
CHANNELS = 50

SETUP_CHANNELS = """
INSERT INTO queue_job_channel (name, complete_name, capacity, sequential, rate_limit,
                               rate_period, rate_burst, create_date, write_date)
SELECT 'c' || lpad(i::text, 2, '0'), %(prefix)s || '.c' || lpad(i::text, 2, '0'),
       CASE WHEN i < 5 THEN 4 ELSE 0 END, false,
       CASE WHEN i BETWEEN 5 AND 9 THEN 200 ELSE 0 END, 1, 20,
       now() at time zone 'utc', now() at time zone 'utc'
FROM generate_series(0, 9) i
"""

SETUP_JOBS = """
INSERT INTO queue_job (uuid, name, state, func_string, args, kwargs, user_id, company_id,
                       channel, priority, retry, max_retries, date_created)
SELECT md5('bench_claim' || n), 'bench_claim', 'pending', 'bench.claim', '[]', '{}', 1, 1,
       %(prefix)s || '.c' || lpad((n %% %(channels)s)::text, 2, '0'), 10, 0, 0,
       now() at time zone 'utc'
FROM generate_series(1, %(jobs)s) n
"""

RESET_JOBS = """
UPDATE queue_job SET state = 'pending', worker_name = NULL, date_started = NULL, retry = 0,
    date_done = NULL, claim_bounded = false
WHERE name = 'bench_claim' AND (state <> 'pending' OR claim_bounded);
UPDATE queue_job_channel SET rate_next_start = NULL WHERE complete_name LIKE %(like)s;
"""

BARE_CLAIM = ("SELECT id FROM bench_claim_bare WHERE state = 'pending' "
              "ORDER BY priority, id LIMIT 1 FOR UPDATE SKIP LOCKED")


def _loop(info, kind, claim_sql, stop_at, counter):
    """Claim and commit until ``stop_at``; put the count in ``counter``."""
    from odoo.addons.connector.queue import queries
    cnx = psycopg2.connect(application_name='bench_claim', **info)
    cr = cnx.cursor()
    cr.execute(queries.SETUP_CLAIM_CONNECTION)
    cnx.commit()
    worker = 'bench-claim-%d' % multiprocessing.current_process().pid
    done = 0
    previous = None
    while time.time() < stop_at:
        if kind == 'bare':
            cr.execute("UPDATE bench_claim_bare SET state = 'done' WHERE id = %s", (previous,))
            cr.execute(claim_sql)
            row = cr.fetchone()
            if row is None:
                break
            cr.execute("UPDATE bench_claim_bare SET state = 'started' WHERE id = %s", row)
            previous = row[0]
        else:
            cr.execute("UPDATE queue_job SET state = 'done', date_done = now() at time zone 'utc' "
                       "WHERE id = %s", (previous,))
            cr.execute(claim_sql, (worker,))
            previous = cr.fetchone()[0]
            if previous is None:
                break
        cnx.commit()
        done += 1
    cnx.commit()
    counter.put(done)
    cnx.close()


def measure(info, kind, clients, seconds):
    """Claims per second of ``clients`` processes running ``kind``'s loop."""
    from odoo.addons.connector.queue import queries
    claim_sql = BARE_CLAIM if kind == 'bare' else queries.CLAIM_NEXT_JOB
    counter = multiprocessing.Queue()
    stop_at = time.time() + seconds
    procs = [multiprocessing.Process(target=_loop,
                                     args=(info, kind, claim_sql, stop_at, counter))
             for _ in range(clients)]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    total = sum(counter.get() for _ in procs)
    for proc in procs:
        proc.join()
    return total / (time.perf_counter() - start)


def reset(db_name, info):
    """Every job pending again, the tables vacuumed: each run starts alike."""
    query(db_name, RESET_JOBS, {'like': PREFIX + '.%'})
    query(db_name, "UPDATE bench_claim_bare SET state = 'pending' WHERE state <> 'pending'")
    cnx = psycopg2.connect(**info)
    cnx.autocommit = True
    with cnx.cursor() as cr:
        cr.execute('VACUUM ANALYZE queue_job')
        cr.execute('VACUUM ANALYZE bench_claim_bare')
    cnx.close()


def cleanup(db_name):
    query(db_name, "DELETE FROM queue_job WHERE name = 'bench_claim'")
    query(db_name, 'DELETE FROM queue_job_channel WHERE complete_name LIKE %s', (PREFIX + '.%',))
    query(db_name, 'DROP TABLE IF EXISTS bench_claim_bare')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--jobs', type=int, default=100000)
    parser.add_argument('--clients', type=int, nargs='+', default=[2, 4, 8, 16])
    parser.add_argument('--seconds', type=float, default=5)
    args = parser.parse_args()
    load_config(args.config)
    db_name = args.database
    _db, info = odoo.sql_db.connection_info_for(db_name)
    if query(db_name, "SELECT count(*) FROM queue_job_worker")[0][0]:
        raise SystemExit('%s: workers are registered (queue_job_worker): stop them, their '
                         'claims would mix in' % db_name)
    cleanup(db_name)  # what an interrupted run left
    query(db_name, 'CREATE TABLE bench_claim_bare (id serial PRIMARY KEY, priority int, '
                   'state varchar)')
    query(db_name, "CREATE INDEX ON bench_claim_bare (priority, id) WHERE state = 'pending'")
    query(db_name, "INSERT INTO bench_claim_bare (priority, state) "
                   "SELECT 10, 'pending' FROM generate_series(1, %s)", (args.jobs,))
    query(db_name, SETUP_CHANNELS, {'prefix': PREFIX})
    query(db_name, SETUP_JOBS, {'prefix': PREFIX, 'channels': CHANNELS, 'jobs': args.jobs})
    rows = []
    try:
        for clients in args.clients:
            reset(db_name, info)
            bare = measure(info, 'bare', clients, args.seconds)
            reset(db_name, info)
            claim = measure(info, 'claim', clients, args.seconds)
            rows += [
                ('%d clients: bare SKIP LOCKED loop' % clients, bare, 'claims/s'),
                ('%d clients: claim (CLAIM_NEXT_JOB)' % clients, claim, 'claims/s'),
                ('%d clients: ratio claim / bare (>= 0.5)' % clients, claim / bare, ''),
            ]
            print('%2d clients: bare %8.0f  claim %8.0f  ratio %.3f' % (
                clients, bare, claim, claim / bare), flush=True)
    finally:
        cleanup(db_name)
    report('Claims per second (%s, %d jobs over %d channels, %.0f s per run)' % (
        db_name, args.jobs, CHANNELS, args.seconds), rows)


if __name__ == '__main__':
    main()
