# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The claim beside the physical limit: claims per second as claimers grow.

Needs a database with the connector addon installed, no worker registered
on it (their claims would mix in) and no pending job of its own, e.g. a
fresh copy of the template with ``connector`` and ``test_queue_job`` (what
``bench_queue.py`` and ``bench_claim_scale.py`` need too), made from
``tools/``::

    python3 -c "from devkit.template import create_db_from_template as c; \\
        from devkit.odoo_run import install_addons as i; from devkit.paths import \\
        TEST_CONFIG; c('DB'); i(TEST_CONFIG, 'DB', ['connector', 'test_queue_job'], \\
        '/tmp/install-DB.log')"

then::

    .venv/bin/python benchmarks/bench_claim.py -c var/odoo.cfg -d DB \\
        [--jobs 100000] [--clients 2 4 8 16] [--seconds 5] [--rounds 2] \\
        [--beside-jobs 10000] [--beside-clients 2] [--beside-rounds 4] \\
        [--baseline OTHER_DB] [--text] [--cpu]

Every claim goes through the queue store (``QueueStore(cr,
prepared=True)``): the worker's session settings (``prepare_claims``),
``queries.CLAIM_NEXT_JOB`` and ``queries.SET_DONE`` prepared once per
session (``prepare_claim_statement``, ``prepare_job_statements``) and run
by ``claim_next`` and ``record_outcome``; a job a claimer took is ended
with ``SET_DONE`` in the transaction of its next claim (a job lasts no
time). It is the claim function a worker runs, prepared as a worker runs
it; a worker sends it in one message with the claimed job's row lock and
the start of the job's transaction (``QueueStore.claim_and_lock``), which
this loop leaves out: that whole path is measured end to end by
``bench_queue.py`` and ``bench_job_gap.py``. Each claimer is a process
with its own connection.

Part 1, the physical limit (issue 20, item 2). For each N of
``--clients``, side by side, in ``--rounds`` rounds whose order of the two
loops alternates:

* bare: N processes run the loop of a queue without channels: ``UPDATE``
  the row taken before to done, ``SELECT id ... ORDER BY priority, id
  LIMIT 1 FOR UPDATE SKIP LOCKED``, ``UPDATE`` it to started, ``COMMIT``,
  on a bare table of ``--jobs`` rows (three columns and a partial index);
  its three statements prepared too, so that neither loop plans per run;
* claim: N processes run ``SET_DONE`` of the job taken before and the real
  claim, then ``COMMIT``, on ``--jobs`` pending jobs over 50 channels: 5 of
  capacity 4, 5 limited to 200 starts per second (burst 20), 40 free. The
  rate-limited channels cannot keep up: their backlog, older than what is
  left of the free channels, piles up at the head of the queue.

Each run lasts ``--seconds``; every job is pending again, and the tables
vacuumed, before each. Reported: claims per second of each (median of the
rounds) and the ratio claim / bare (target: at least 0.5 at every N, and a
claim rate that does not fall as N grows).

``--baseline OTHER_DB``: part 1 also runs the claim loop on OTHER_DB, a
database like DB made with another version of the addon (say, the main
branch's), in the same rounds and the same alternation, so that a change
of the claim is measured against the claim before it in one run, on the
same machine load. Its claims per second and its ratio to the same bare
loop are reported beside.

``--text``: part 1 also runs both loops with every statement sent as text
(planned at each run), in the same rounds: how this benchmark ran until
2026-12-07 (the claim's ``SET_DONE`` then cost about 70 us of planning per
job, which no worker pays).

``--shaped``: part 1 also runs the bare loop on a table shaped like
``queue_job`` (``bench_claim_shaped``: its columns, defaults, CHECK
constraints and indexes, and its notify trigger; the same rows), taking
the first pending row in queue order and writing a start and an end as the
claim and ``SET_DONE`` write them, all in the same rounds: the physical
limit of a queue that stores its jobs in that row. Its ratio to the claim
tells what the claim's own deciding costs, apart from the cost of the
row.

``--cpu``: part 1 also reports the CPU time per claim of the claimers'
processes and of their PostgreSQL backends (read in ``/proc``, so PostgreSQL
runs on this machine), medians of the rounds, and the ratio of the CPU per
claim, bare / claim: the ratio of the rates that the CPU allows once the
cores are all busy. It does not count the time the machine gave to other
work (other sessions' suites), which the rates do: on a shared machine it
moves less from run to run.

Part 2, beside channels that cannot run (issue 20, item 1): ``--beside-clients``
claimers take jobs of one free channel (20,000 pending), in rounds that
alternate between

* empty: nothing else pending;
* beside: ``--beside-jobs`` older pending jobs of the same priority in 60
  channels that cannot start them: 50 channels whose jobs wait on an eta a
  day ahead, 10 channels of capacity 1, each full (one job started for a
  placeholder worker by ``queries.START_JOB``).

Between rounds the backlog is switched off (its pending jobs cancelled, the
placeholders' jobs ended with ``SET_DONE``) or on again. Reported: claims
per second of each (median of the rounds) and the ratio beside / empty
(target: at least 0.8).

The jobs, channels and table the benchmark made are deleted at the end
(and at the start, what an interrupted run left).
"""
import argparse
import collections
import multiprocessing
import os
import statistics
import time

import odoo
import psycopg2

from _odoo import load_config, query, report

PREFIX = 'root.bench_claim'
CHANNELS = 50
HOLDER = 'bench-claim-holder'
#: ``name`` of the jobs of each part: part 1; part 2's free channel, its backlog and
#: the placeholders' jobs that fill the full channels.
SCALE_JOBS, FREE_JOBS = 'bench_claim', 'bench_claim_free'
BACKLOG_JOBS, HOLDER_JOBS = 'bench_claim_backlog', 'bench_claim_holder'
ALL_JOBS = (SCALE_JOBS, FREE_JOBS, BACKLOG_JOBS, HOLDER_JOBS)
FREE_COUNT = 20000

# Channel rows as the web client stores them (complete_name is what the
# claim reads; parent_id is left empty, as no claim reads it).
INSERT_CHANNELS = """
INSERT INTO queue_job_channel (name, complete_name, capacity, sequential, rate_limit,
                               rate_period, rate_burst, create_date, write_date)
SELECT split_part(n, '.', 3), n, %(capacity)s, false, %(rate_limit)s, 1, %(rate_burst)s,
       now() at time zone 'utc', now() at time zone 'utc'
FROM unnest(%(names)s::varchar[]) n
"""

# Pending jobs, ``count`` of them spread over ``channels`` in turn;
# ``future``: their eta is a day ahead.
INSERT_JOBS = """
INSERT INTO queue_job (uuid, name, state, func_string, args, kwargs, user_id, company_id,
                       channel, priority, eta, retry, max_retries, date_created)
SELECT md5(%(name)s || n || random()), %(name)s, 'pending', 'bench.claim', '[]', '{}', 1, 1,
       (%(channels)s::varchar[])[1 + n %% array_length(%(channels)s::varchar[], 1)], 10,
       CASE WHEN %(future)s THEN (now() at time zone 'utc') + interval '1 day' END, 0, 0,
       now() at time zone 'utc'
FROM generate_series(1, %(count)s) n
"""

# Every job of ``name`` pending again (as a requeue leaves a job), the
# rate limits' allowance full.
RESET_JOBS = """
UPDATE queue_job SET state = 'pending', worker_name = NULL, date_started = NULL, retry = 0,
    date_done = NULL, result = NULL
WHERE name = %(name)s AND state <> 'pending';
DELETE FROM queue_job_channel_state WHERE channel LIKE %(like)s;
"""

#: One run of a loop: claims per second, and the CPU time per claim (one cycle)
#: of the claimers' processes and of their PostgreSQL backends, in microseconds.
Run = collections.namedtuple('Run', 'rate client_us server_us')

BARE_CLAIM = ("SELECT id FROM bench_claim_bare WHERE state = 'pending' "
              "ORDER BY priority, id LIMIT 1 FOR UPDATE SKIP LOCKED")


def scale_channels():
    """Part 1's channels: (names, capacity, rate limit, burst) of each kind."""
    names = ['%s.c%02d' % (PREFIX, i) for i in range(CHANNELS)]
    return [(names[:5], 4, 0, 1), (names[5:10], 0, 200, 20), (names[10:], 0, 0, 1)]


def beside_channels():
    """Part 2's channels: the free one, the 50 waiting on an eta, the 10 full."""
    return {'free': ['%s.free' % PREFIX],
            'eta': ['%s.eta%02d' % (PREFIX, i) for i in range(50)],
            'full': ['%s.full%02d' % (PREFIX, i) for i in range(10)]}


#: The bare loop's statements, prepared on each bare claimer's session as a
#: worker prepares its own (``bare_statements``).
BARE_STATEMENTS = {
    'done': "UPDATE bench_claim_bare SET state = 'done' WHERE id = $1",
    'claim': BARE_CLAIM,
    'start': "UPDATE bench_claim_bare SET state = 'started' WHERE id = $1",
}


#: The same loop on ``bench_claim_shaped``, queue_job's shape (``--shaped``):
#: the start and the end written as ``connector_start_job_v2`` and
#: ``SET_DONE`` write them, the first pending row taken in queue order.
SHAPED_STATEMENTS = {
    'done': "UPDATE bench_claim_shaped SET state = 'done', result = NULL, exc_info = NULL, "
            "date_done = (clock_timestamp() at time zone 'utc'), "
            "write_date = (now() at time zone 'utc') WHERE id = $1",
    'claim': "SELECT id FROM bench_claim_shaped WHERE state = 'pending' AND NOT claim_bounded "
             "AND coalesce(eta, '-infinity'::timestamp) <= (now() at time zone 'utc') "
             "ORDER BY priority, coalesce(eta, '-infinity'::timestamp), id "
             "LIMIT 1 FOR UPDATE SKIP LOCKED",
    'start': "UPDATE bench_claim_shaped SET state = 'started', worker_name = 'bench-claim', "
             "retry = retry + 1, date_started = (now() at time zone 'utc'), date_done = NULL, "
             "write_date = (now() at time zone 'utc') WHERE id = $1",
}

#: queue_job's shape, filled with part 1's jobs, every one in the free lane.
SHAPED_TABLE = """
CREATE TABLE bench_claim_shaped
    (LIKE queue_job INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE TRIGGER bench_claim_shaped_notify AFTER UPDATE OF state ON bench_claim_shaped
    FOR EACH ROW EXECUTE PROCEDURE connector_queue_job_notify_v3();
INSERT INTO bench_claim_shaped SELECT * FROM queue_job WHERE name = %(name)s;
UPDATE bench_claim_shaped SET claim_bounded = false;
"""


def bare_statements(cr, prepared, statements=BARE_STATEMENTS):
    """The bare loop's three statements as sent on ``cr``: prepared there
    (``EXECUTE``), or as text planned at each run."""
    if not prepared:
        return {name: text.replace('$1', '%s') for name, text in statements.items()}
    for name, text in statements.items():
        cr.execute('PREPARE bench_claim_%s AS %s' % (name, text))
    return {name: 'EXECUTE bench_claim_%s%s' % (name, '(%s)' if '$1' in text else '')
            for name, text in statements.items()}


def backend_cpu(pid):
    """Seconds of CPU (user and system) that process ``pid`` has used so far, from
    ``/proc``; None when it cannot be read (a PostgreSQL on another machine)."""
    try:
        with open('/proc/%d/stat' % pid) as stat:
            fields = stat.read().rsplit(')', 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def _loop(info, kind, seconds, start_line, counter, prepared=True):
    """Connect, wait at ``start_line`` for the other claimers, then claim and
    commit for ``seconds``; put in ``counter`` the count of claims and the CPU
    seconds this process and its PostgreSQL backend used meanwhile (None for
    the backend's when ``/proc`` does not show it).

    ``prepared``: the statements are prepared on the session, as a worker
    prepares the claim and ``SET_DONE`` on its job connection
    (``QueueStore(cr, prepared=True)``); else sent as text, as this
    benchmark did before (each planned at every run)."""
    from odoo.addons.connector.queue.outcome import Outcome
    from odoo.addons.connector.queue.store import QueueStore
    cnx = psycopg2.connect(application_name='bench_claim', **info)
    cr = cnx.cursor()
    cr.execute('SELECT pg_backend_pid()')
    backend = cr.fetchone()[0]
    store = QueueStore(cr, prepared=prepared)
    store.prepare_claims()
    if kind in ('bare', 'shaped'):
        bare = bare_statements(cr, prepared,
                               SHAPED_STATEMENTS if kind == 'shaped' else BARE_STATEMENTS)
    elif prepared:
        store.prepare_claim_statement()
        store.prepare_job_statements()
    cnx.commit()
    start_line.wait()
    own_cpu, server_cpu = time.process_time(), backend_cpu(backend)
    stop_at = time.time() + seconds
    worker = 'bench-claim-%d' % multiprocessing.current_process().pid
    done_outcome = Outcome('done')
    done = 0
    previous = None
    while time.time() < stop_at:
        if kind in ('bare', 'shaped'):
            cr.execute(bare['done'], (previous,))
            cr.execute(bare['claim'])
            row = cr.fetchone()
            if row is None:
                break
            cr.execute(bare['start'], row)
            previous = row[0]
        else:
            if previous is not None:
                store.record_outcome(previous, done_outcome, committing=True)
            previous = store.claim_next(worker)
            if previous is None:
                cnx.commit()
                raise SystemExit('bench_claim: %s found no job to claim after %d claims: '
                                 'raise --jobs or lower --seconds' % (worker, done))
        cnx.commit()
        done += 1
    if kind == 'claim' and previous is not None:
        store.record_outcome(previous, done_outcome, committing=True)
    cnx.commit()
    own_cpu = time.process_time() - own_cpu
    server_cpu = backend_cpu(backend) - server_cpu if server_cpu is not None else None
    counter.put((done, own_cpu, server_cpu))
    cnx.close()


def measure(info, kind, clients, seconds, prepared=True):
    """A ``Run`` of ``clients`` processes running ``kind``'s loop (``prepared``:
    its statements prepared, see ``_loop``), timed from the moment all are
    connected: starting 16 processes and their sessions took seconds of a 5 s
    run on a loaded machine, and counted as time without claims. The CPU per
    claim is the processes' and their backends' own (the clock's ticks, 10
    ms, summed over thousands of claims): unlike the rate, it does not count
    the time the machine gave to other work."""
    counter = multiprocessing.Queue()
    start_line = multiprocessing.Barrier(clients + 1)
    procs = [multiprocessing.Process(target=_loop,
                                     args=(info, kind, seconds, start_line, counter,
                                           prepared))
             for _ in range(clients)]
    for proc in procs:
        proc.start()
    start_line.wait()
    start = time.perf_counter()
    counts = [counter.get() for _ in procs]
    elapsed = time.perf_counter() - start
    for proc in procs:
        proc.join()
    total = sum(count[0] for count in counts)
    server = [count[2] for count in counts]
    return Run(total / elapsed, 1e6 * sum(count[1] for count in counts) / total,
               1e6 * sum(server) / total if None not in server else float('nan'))


def vacuum(info, *tables):
    """VACUUM ANALYZE, as autovacuum would after a bulk change: dead rows of
    the run before are not what is measured."""
    cnx = psycopg2.connect(**info)
    cnx.autocommit = True
    with cnx.cursor() as cr:
        for table in tables:
            cr.execute('VACUUM ANALYZE %s' % table)
    cnx.close()


def reset(db_name, info, name):
    """Every job of ``name`` and every bare row pending again, vacuumed."""
    query(db_name, RESET_JOBS, {'name': name, 'like': PREFIX + '.%'})
    query(db_name, "UPDATE bench_claim_bare SET state = 'pending' WHERE state <> 'pending'")
    shaped = query(db_name, "SELECT to_regclass('bench_claim_shaped') IS NOT NULL")[0][0]
    if shaped:
        query(db_name, "UPDATE bench_claim_shaped SET state = 'pending', worker_name = NULL, "
                       "date_started = NULL, retry = 0, date_done = NULL, result = NULL "
                       "WHERE state <> 'pending'")
    vacuum(info, 'queue_job', 'bench_claim_bare', *(['bench_claim_shaped'] if shaped else []))


def cleanup(db_name):
    query(db_name, 'DELETE FROM queue_job WHERE name IN %s', (ALL_JOBS,))
    query(db_name, 'DELETE FROM queue_job_channel WHERE complete_name LIKE %s', (PREFIX + '.%',))
    query(db_name, 'DROP TABLE IF EXISTS bench_claim_bare, bench_claim_shaped')


def add_channels(db_name, names, capacity=0, rate_limit=0, rate_burst=1):
    query(db_name, INSERT_CHANNELS, {'names': names, 'capacity': capacity,
                                     'rate_limit': rate_limit, 'rate_burst': rate_burst})


def add_jobs(db_name, name, channels, count, future=False):
    query(db_name, INSERT_JOBS, {'name': name, 'channels': channels, 'count': count,
                                 'future': future})


def setup_scale(db_name, jobs):
    """Part 1's bare table, channels and jobs in ``db_name``."""
    query(db_name, 'CREATE TABLE bench_claim_bare (id serial PRIMARY KEY, priority int, '
                   'state varchar)')
    query(db_name, "CREATE INDEX ON bench_claim_bare (priority, id) WHERE state = 'pending'")
    query(db_name, "INSERT INTO bench_claim_bare (priority, state) "
                   "SELECT 10, 'pending' FROM generate_series(1, %s)", (jobs,))
    every = []
    for names, capacity, rate_limit, burst in scale_channels():
        add_channels(db_name, names, capacity, rate_limit, burst)
        every += names
    add_jobs(db_name, SCALE_JOBS, every, jobs)


def part_scale(db_name, info, opts, baseline=None):
    """Part 1: {(clients, kind): Run}, each figure the median of the rounds, for the kinds
    'bare', 'claim', and 'baseline' with ``baseline`` ((database, connection
    info) whose claim loop runs too, in the same rounds), 'bare text' and
    'claim text' with ``opts.text`` (both loops with their statements sent as
    text)."""
    setup_scale(db_name, opts.jobs)
    # (kind, database, connection info, loop, prepared)
    runs = [('bare', db_name, info, 'bare', True), ('claim', db_name, info, 'claim', True)]
    if opts.shaped:
        query(db_name, SHAPED_TABLE, {'name': SCALE_JOBS})
        runs.append(('shaped', db_name, info, 'shaped', True))
    if baseline:
        setup_scale(baseline[0], opts.jobs)
        runs.append(('baseline', baseline[0], baseline[1], 'claim', True))
    if opts.text:
        runs += [('bare text', db_name, info, 'bare', False),
                 ('claim text', db_name, info, 'claim', False)]
    rates = {(clients, run[0]): [] for clients in opts.clients for run in runs}
    for number in range(opts.rounds):
        for clients in opts.clients:
            for kind, run_db, run_info, loop, prepared in (
                    runs if (number + clients) % 2 == 0 else runs[::-1]):
                reset(run_db, run_info, SCALE_JOBS)
                run = measure(run_info, loop, clients, opts.seconds, prepared)
                rates[clients, kind].append(run)
                print('round %d, %2d clients, %-10s %8.0f claims/s, CPU per claim: '
                      'clients %4.0f us, server %4.0f us' % (
                          number + 1, clients, kind, run.rate, run.client_us, run.server_us),
                      flush=True)
    cleanup(db_name)
    if baseline:
        cleanup(baseline[0])
    return {key: Run(*(statistics.median(figures) for figures in zip(*runs)))
            for key, runs in rates.items()}


def backlog_on(db_name, info):
    """The 60 channels hold jobs they cannot start: the full channels' placeholder
    jobs started (the claim's own start, queries.START_JOB), the backlog pending."""
    from odoo.addons.connector.queue import queries
    query(db_name, "UPDATE queue_job SET state = 'pending', worker_name = NULL, "
                   "date_started = NULL, date_done = NULL WHERE name IN %s",
          ((BACKLOG_JOBS, HOLDER_JOBS),))
    for (job_id,) in query(db_name, 'SELECT id FROM queue_job WHERE name = %s', (HOLDER_JOBS,)):
        if not query(db_name, queries.START_JOB, {'id': job_id, 'worker': HOLDER})[0][0]:
            raise SystemExit('bench_claim: placeholder job %d did not start' % job_id)
    vacuum(info, 'queue_job')


def backlog_off(db_name, info):
    """Nothing pending but the free channel: the placeholders' jobs done
    (queries.SET_DONE), the backlog cancelled."""
    from odoo.addons.connector.queue import queries
    for (job_id,) in query(db_name, "SELECT id FROM queue_job WHERE name = %s AND "
                                    "state = 'started'", (HOLDER_JOBS,)):
        query(db_name, queries.SET_DONE, {'id': job_id, 'result': None})
    query(db_name, "UPDATE queue_job SET state = 'cancelled', "
                   "date_done = now() at time zone 'utc' WHERE name IN %s AND state = 'pending'",
          ((BACKLOG_JOBS, HOLDER_JOBS),))
    vacuum(info, 'queue_job')


def part_beside(db_name, info, opts):
    """Part 2: (empty claims/s, beside claims/s), medians of the rounds."""
    channels = beside_channels()
    add_channels(db_name, channels['free'])
    add_channels(db_name, channels['eta'])
    add_channels(db_name, channels['full'], capacity=1)
    # The backlog first: older than the free channel's jobs. One placeholder
    # job per full channel, the rest pending behind it.
    add_jobs(db_name, HOLDER_JOBS, channels['full'], len(channels['full']))
    full_share = opts.beside_jobs // 6  # the jobs spread evenly over the 60 channels
    add_jobs(db_name, BACKLOG_JOBS, channels['full'], full_share)
    add_jobs(db_name, BACKLOG_JOBS, channels['eta'], opts.beside_jobs - full_share, future=True)
    add_jobs(db_name, FREE_JOBS, channels['free'], FREE_COUNT)
    rates = {'empty': [], 'beside': []}
    for number in range(opts.beside_rounds):
        for kind in (('empty', 'beside') if number % 2 == 0 else ('beside', 'empty')):
            query(db_name, RESET_JOBS, {'name': FREE_JOBS, 'like': PREFIX + '.%'})
            (backlog_on if kind == 'beside' else backlog_off)(db_name, info)
            rate = measure(info, 'claim', opts.beside_clients, opts.seconds).rate
            if query(db_name, "SELECT count(*) FROM queue_job WHERE name = %s AND state NOT IN "
                              "('pending', 'cancelled')", (BACKLOG_JOBS,))[0][0]:
                raise SystemExit('bench_claim: a claim started a job of the backlog, which '
                                 'no claim may start (eta a day ahead, or a full channel)')
            rates[kind].append(rate)
            print('round %d, %-6s %8.0f claims/s' % (number + 1, kind, rate), flush=True)
    cleanup(db_name)
    return statistics.median(rates['empty']), statistics.median(rates['beside'])


def cpu_rows(results, opts):
    """Report rows of part 1's CPU per claim: for each N and loop, the claimers'
    and the backends' microseconds per claim (medians of the rounds); and the
    ratio of the CPU per claim, bare / claim: the ratio of the rates that the
    CPU allows once the cores are all busy (on this 2-core machine, from 4
    claimers on)."""
    rows = []
    kinds = (['bare', 'claim'] + (['baseline'] if opts.baseline else [])
             + (['shaped'] if opts.shaped else []))
    for clients in sorted(opts.clients):
        for kind in kinds:
            run = results[clients, kind]
            rows += [('%d clients, %s: CPU per claim, claimers' % (clients, kind),
                      run.client_us, 'us'),
                     ('%d clients, %s: CPU per claim, server' % (clients, kind),
                      run.server_us, 'us')]
        bare = results[clients, 'bare']
        for kind in kinds[1:]:
            run = results[clients, kind]
            rows.append(('%d clients: CPU per claim, ratio bare / %s' % (clients, kind),
                         (bare.client_us + bare.server_us) / (run.client_us + run.server_us),
                         ''))
        if opts.shaped:
            shaped, claim = results[clients, 'shaped'], results[clients, 'claim']
            rows.append(('%d clients: CPU per claim, ratio shaped / claim' % clients,
                         (shaped.client_us + shaped.server_us)
                         / (claim.client_us + claim.server_us), ''))
    return rows


def check_database(db_name):
    """Refuse a database whose own workers or jobs would mix in."""
    if query(db_name, "SELECT count(*) FROM queue_job_worker")[0][0]:
        raise SystemExit('bench_claim: %s has workers registered (queue_job_worker): stop '
                         'them, their claims would mix in' % db_name)
    if query(db_name, "SELECT count(*) FROM queue_job WHERE state IN ('pending', 'started') "
                      "AND name NOT IN %s", (ALL_JOBS,))[0][0]:
        raise SystemExit('bench_claim: %s holds pending or started jobs of its own: use a '
                         'database without them' % db_name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--jobs', type=int, default=100000, help='part 1: pending jobs')
    parser.add_argument('--clients', type=int, nargs='+', default=[2, 4, 8, 16])
    parser.add_argument('--seconds', type=float, default=5, help='length of each run')
    parser.add_argument('--rounds', type=int, default=2, help='part 1: rounds')
    parser.add_argument('--beside-jobs', type=int, default=10000,
                        help='part 2: jobs the 60 channels cannot start (0: skip part 2)')
    parser.add_argument('--beside-clients', type=int, default=2)
    parser.add_argument('--beside-rounds', type=int, default=4)
    parser.add_argument('--baseline', metavar='OTHER_DB',
                        help='part 1: run the claim loop on this database too (another '
                             'version of the addon), in the same rounds')
    parser.add_argument('--cpu', action='store_true',
                        help='part 1: report the CPU per claim of the claimers and of '
                             'their PostgreSQL backends (read in /proc: PostgreSQL on this '
                             'machine), and the ratio of the CPU per claim bare / claim')
    parser.add_argument('--shaped', action='store_true',
                        help="part 1: run the bare loop on a table shaped like queue_job "
                             "too (its columns, constraints, indexes and notify trigger), "
                             "in the same rounds")
    parser.add_argument('--text', action='store_true',
                        help='part 1: run both loops with their statements sent as text '
                             'too (how this benchmark ran before 2026-12-07 18:00), in the '
                             'same rounds')
    opts = parser.parse_args()
    load_config(opts.config)
    db_name = opts.database
    _db, info = odoo.sql_db.connection_info_for(db_name)
    baseline = None
    for name in [db_name] + ([opts.baseline] if opts.baseline else []):
        check_database(name)
        cleanup(name)  # what an interrupted run left
    if opts.baseline:
        baseline = (opts.baseline, odoo.sql_db.connection_info_for(opts.baseline)[1])
    rows = []
    try:
        if opts.clients:
            results = part_scale(db_name, info, opts, baseline)
            for clients in sorted(opts.clients):
                bare, claim = results[clients, 'bare'].rate, results[clients, 'claim'].rate
                rows += [
                    ('%d clients: bare SKIP LOCKED loop' % clients, bare, 'claims/s'),
                    ('%d clients: claim (CLAIM_NEXT_JOB)' % clients, claim, 'claims/s'),
                    ('%d clients: ratio claim / bare (>= 0.5)' % clients, claim / bare, ''),
                ]
                if baseline:
                    before = results[clients, 'baseline'].rate
                    rows += [
                        ('%d clients: claim of %s' % (clients, opts.baseline), before,
                         'claims/s'),
                        ('%d clients: ratio %s / bare' % (clients, opts.baseline),
                         before / bare, ''),
                    ]
                if opts.shaped:
                    shaped = results[clients, 'shaped'].rate
                    rows += [
                        ("%d clients: bare loop on queue_job's shape" % clients, shaped,
                         'claims/s'),
                        ("%d clients: ratio claim / bare on queue_job's shape" % clients,
                         claim / shaped, ''),
                    ]
                if opts.text:
                    bare_text, claim_text = (results[clients, 'bare text'].rate,
                                             results[clients, 'claim text'].rate)
                    rows += [
                        ('%d clients: bare loop, text' % clients, bare_text, 'claims/s'),
                        ('%d clients: claim, text' % clients, claim_text, 'claims/s'),
                        ('%d clients: ratio claim / bare, text' % clients,
                         claim_text / bare_text, ''),
                    ]
            if opts.cpu:
                rows += cpu_rows(results, opts)
        if opts.beside_jobs:
            empty, beside = part_beside(db_name, info, opts)
            rows += [
                ('%d clients, free channel, empty queue' % opts.beside_clients, empty,
                 'claims/s'),
                ('%d clients, beside %d jobs in 60 channels' % (
                    opts.beside_clients, opts.beside_jobs), beside, 'claims/s'),
                ('ratio beside / empty (>= 0.8)', beside / empty, ''),
            ]
    finally:
        cleanup(db_name)
        if baseline:
            cleanup(baseline[0])
    report('Claims per second (%s; part 1: %d jobs over %d channels, medians of %d rounds; '
           'part 2: medians of %d rounds; %.0f s per run)' % (
               db_name, opts.jobs, CHANNELS, opts.rounds, opts.beside_rounds, opts.seconds),
           rows)


if __name__ == '__main__':
    main()
