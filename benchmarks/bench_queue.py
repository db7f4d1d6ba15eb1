# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job queue speed: enqueue rate, end-to-end throughput, idle latency, physical limit.

Needs a database with the test addon ``test_queue_job`` installed (its
``noop`` and ``stamp`` job functions) and no other worker running on it.
Starts real ``odoo-bin jobrunner`` processes (kills them at the end) and
removes every job it created.

    .venv/bin/python benchmarks/bench_queue.py -c var/odoo.cfg -d DB

1. enqueue: 2,000 ``noop.delay()`` in one transaction (default context),
   rolled back; also 2,000 ``with_delay()`` on a model method.
2. end-to-end: 1,000 ``noop`` jobs committed at once, 2 workers already
   idle; time from the commit until all are seen done (polled every 10 ms).
3. idle latency: one job committed while 2 workers are idle, 50 times;
   time from just before the commit to the job's start (the job returns
   ``time.time()``); median and 90th percentile.
4. physical limit: 2 processes claim rows of a bare table with
   ``SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1`` + ``UPDATE`` + ``COMMIT``,
   one row per transaction, as fast as they can.
"""
import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time

import odoo
import psycopg2
from odoo import SUPERUSER_ID, api

from _odoo import load_config, median, report, rolled_back_env

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = 'test.queue.job.row'


def bench_enqueue(db_name, count, rounds):
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_queue_job.jobs import noop
    rates, method_rates = [], []
    for _ in range(rounds):
        with rolled_back_env(db_name) as env:
            session = ConnectorSession.from_env(env)
            start = time.perf_counter()
            for i in range(count):
                noop.delay(session, MODEL, i)
            rates.append(count / (time.perf_counter() - start))
            row = env[MODEL].create({'key': 'bench'})
            start = time.perf_counter()
            for i in range(count):
                row.with_delay().write_note(str(i))
            method_rates.append(count / (time.perf_counter() - start))
    return median(rates), median(method_rates)


def start_workers(config, db_name, count, log_dir):
    env = dict(os.environ, ODOO_RC=config)
    procs = []
    for i in range(count):
        name = 'bench-%d-%d' % (os.getpid(), i)
        log = open(os.path.join(log_dir, '%s.log' % name), 'wb')
        procs.append(subprocess.Popen(
            [sys.executable, os.path.join(REPO, 'tools', 'odoo-bin'), 'jobrunner', '-c', config,
             '-d', db_name, '--worker-name', name], env=env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True))
    names = ['bench-%d-%d' % (os.getpid(), i) for i in range(count)]
    deadline = time.time() + 120
    while query(db_name, 'SELECT count(*) FROM queue_job_worker WHERE name IN %s',
                (tuple(names),))[0][0] < count:
        if time.time() > deadline or any(p.poll() is not None for p in procs):
            raise SystemExit('workers did not start; logs in %s' % log_dir)
        time.sleep(0.1)
    return procs


def stop_workers(procs):
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        proc.wait(30)


def query(db_name, sql, params=None):
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        cr.execute(sql, params)
        rows = cr.fetchall() if cr.description else None
        cr.commit()
        return rows


def commit_jobs(db_name, func, numbers):
    from odoo.addons.connector.session import ConnectorSession
    registry = odoo.registry(db_name)
    with api.Environment.manage():
        cr = registry.cursor()
        try:
            session = ConnectorSession(cr, SUPERUSER_ID)
            uuids = [func.delay(session, MODEL, n, description='bench') for n in numbers]
            committed_at = time.time()
            cr.commit()
        finally:
            cr.close()
    return uuids, committed_at


def bench_throughput(db_name, count, rounds):
    from odoo.addons.test_queue_job.jobs import noop
    rates = []
    for _ in range(rounds):
        uuids, _before_commit = commit_jobs(db_name, noop, range(count))
        committed = time.time()
        while query(db_name, "SELECT count(*) FROM queue_job WHERE uuid IN %s AND state = "
                             "'done'", (tuple(uuids),))[0][0] < count:
            time.sleep(0.01)
        rates.append(count / (time.time() - committed))
        query(db_name, 'DELETE FROM queue_job WHERE uuid IN %s', (tuple(uuids),))
    return median(rates)


def bench_latency(db_name, count):
    from odoo.addons.test_queue_job.jobs import stamp
    latencies = []
    for i in range(count):
        time.sleep(0.1)  # the workers are idle, waiting on LISTEN
        (job_uuid,), before_commit = commit_jobs(db_name, stamp, [i])
        while True:
            rows = query(db_name, "SELECT result FROM queue_job WHERE uuid = %s AND "
                                  "state = 'done'", (job_uuid,))
            if rows:
                break
            time.sleep(0.005)
        latencies.append(float(rows[0][0]) - before_commit)
        query(db_name, 'DELETE FROM queue_job WHERE uuid = %s', (job_uuid,))
    latencies.sort()
    return median(latencies), latencies[int(len(latencies) * 0.9)]


def _claim_loop(dsn_kwargs, counter):
    cnx = psycopg2.connect(**dsn_kwargs)
    done = 0
    while True:
        with cnx.cursor() as cr:
            cr.execute("SELECT id FROM bench_skip_locked WHERE state = 'pending' "
                       "ORDER BY priority, id LIMIT 1 FOR UPDATE SKIP LOCKED")
            row = cr.fetchone()
            if row is None:
                cnx.commit()
                break
            cr.execute("UPDATE bench_skip_locked SET state = 'done' WHERE id = %s", row)
        cnx.commit()
        done += 1
    counter.put(done)
    cnx.close()


def bench_skip_locked(db_name, rows, clients):
    _db, info = odoo.sql_db.connection_info_for(db_name)
    query(db_name, "DROP TABLE IF EXISTS bench_skip_locked")
    query(db_name, "CREATE TABLE bench_skip_locked (id serial PRIMARY KEY, priority int, "
                   "state varchar)")
    query(db_name, "CREATE INDEX ON bench_skip_locked (priority, id) WHERE state = 'pending'")
    query(db_name, "INSERT INTO bench_skip_locked (priority, state) "
                   "SELECT 10, 'pending' FROM generate_series(1, %s)", (rows,))
    query(db_name, "ANALYZE bench_skip_locked")
    counter = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_claim_loop, args=(info, counter))
             for _ in range(clients)]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - start
    total = sum(counter.get() for _ in procs)
    query(db_name, "DROP TABLE bench_skip_locked")
    return total / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--rounds', type=int, default=3)
    args = parser.parse_args()
    load_config(args.config)
    db_name = args.database

    enqueue, enqueue_method = bench_enqueue(db_name, 2000, args.rounds)
    limit = bench_skip_locked(db_name, 20000, 2)
    log_dir = tempfile.mkdtemp(prefix='bench_queue_')
    procs = start_workers(args.config, db_name, 2, log_dir)
    try:
        throughput = bench_throughput(db_name, 1000, args.rounds)
        latency_median, latency_p90 = bench_latency(db_name, 50)
    finally:
        stop_workers(procs)
        query(db_name, "DELETE FROM queue_job WHERE name = 'bench'")
    report('Job queue (%s)' % db_name, [
        ('enqueue, delay() x2000 in one transaction', enqueue, 'jobs/s'),
        ('enqueue, with_delay() x2000 in one transaction', enqueue_method, 'jobs/s'),
        ('end to end, 1,000 noop jobs, 2 workers', throughput, 'jobs/s'),
        ('idle latency commit -> start, median of 50', latency_median * 1000, 'ms'),
        ('idle latency commit -> start, 90th percentile', latency_p90 * 1000, 'ms'),
        ('bare SKIP LOCKED claim+update, 2 clients', limit, 'rows/s'),
        ('runner / bare claim loop', throughput / limit, ''),
    ])


if __name__ == '__main__':
    main()
