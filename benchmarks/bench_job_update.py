# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a start and an end of a job cost PostgreSQL, beside variants of the
table's CHECK constraints and of the notify trigger's ``WHEN``.

PostgreSQL compiles a table's CHECK constraints and a row trigger's
``WHEN`` again for each statement that updates the table (a prepared
statement too); a worker runs two such statements per job (the claim's
start, ``connector_start_job_v2``, and ``SET_DONE``). This measures them in
PostgreSQL alone, without clients: one session runs a ``DO`` loop of
``--jobs`` starts and ends of free jobs (plans cached, as in a worker),
in a transaction that first changes the table into a variant (``VARIANTS``)
and is rolled back after; rounds go through the variants in turn, the
order reversed every other round, the table vacuumed between runs.
Needs a database with the connector addon installed (``bench_claim.py``'s
docstring tells how to make one)::

    .venv/bin/python benchmarks/bench_job_update.py -c var/odoo.cfg -d DB \\
        [--jobs 2000] [--rounds 6] [--variants as-is one-check ...]

Reported: microseconds per job (a start and an end) of each variant,
median of the rounds, and the difference to the first variant given. The
variants are what was tried (``benchmarks/README.md``, *Claims beside the
physical limit*, third pass): the two CHECK constraints as one, or written
otherwise, or none; the notify trigger's ``WHEN`` as it was, shorter, as a
function call, or none (the function deciding); ``--bounded`` runs jobs of
a channel with a capacity, whose end calls the notify function anyway.
"""
import argparse
import statistics
import time

import odoo
import psycopg2

from _odoo import load_config, query, report

NAME = 'bench_job_update'
CHANNEL = 'root.bench_job_update'

DROP_CHECKS = ('ALTER TABLE queue_job DROP CONSTRAINT IF EXISTS queue_job_started_has_worker, '
               'DROP CONSTRAINT IF EXISTS queue_job_date_done_when_ended, '
               'DROP CONSTRAINT IF EXISTS queue_job_state_fields')
NOTIFY_UPDATE = ('DROP TRIGGER connector_queue_job_notify_update ON queue_job; '
                 'CREATE TRIGGER connector_queue_job_notify_update '
                 'AFTER UPDATE OF state ON queue_job FOR EACH ROW WHEN (%s) '
                 'EXECUTE PROCEDURE connector_queue_job_notify_v3()')

#: The notify function for 'when-short': what the WHEN no longer says.
SHORT_WHEN_FUNCTION = '''
CREATE OR REPLACE FUNCTION connector_queue_job_notify_v3() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.state = OLD.state THEN
            RETURN NULL;
        ELSIF OLD.claim_bounded AND OLD.state IN ('started', 'failed') THEN
            PERFORM nextval('connector_queue_ends_seq');
        ELSIF NEW.state <> 'pending' THEN
            RETURN NULL;
        END IF;
    END IF;
    PERFORM pg_notify('connector_queue_job', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql'''

#: The WHEN as one call, for 'when-function'.
WHEN_FUNCTION = '''
CREATE FUNCTION connector_job_notifies(p_old varchar, p_new varchar, p_bounded boolean)
RETURNS boolean AS $$
BEGIN
    RETURN p_new <> p_old AND (p_new = 'pending'
                               OR (p_bounded AND p_old IN ('started', 'failed')));
END;
$$ LANGUAGE plpgsql IMMUTABLE'''

#: {variant: DDL run before the loop, in its transaction}.
VARIANTS = {
    'as-is': '',
    'no-checks': DROP_CHECKS,
    'one-check': DROP_CHECKS + (
        ', ADD CONSTRAINT queue_job_state_fields CHECK ('
        "(state <> 'started' OR worker_name IS NOT NULL) AND "
        "(state IN ('done', 'failed', 'cancelled')) = (date_done IS NOT NULL))"),
    'no-notify-update': 'DROP TRIGGER connector_queue_job_notify_update ON queue_job',
    'when-short': NOTIFY_UPDATE % "NEW.state = 'pending' OR OLD.claim_bounded" + ';' + (
        SHORT_WHEN_FUNCTION),
    'no-when': NOTIFY_UPDATE.replace(' WHEN (%s)', '') + ';' + SHORT_WHEN_FUNCTION,
    'when-function': WHEN_FUNCTION + ';' + NOTIFY_UPDATE % (
        'connector_job_notifies(OLD.state, NEW.state, OLD.claim_bounded)'),
    # the WHEN of 11.0.1.5.0's drafts until 2026-12-07 (f893be3 removed it)
    'when-before': NOTIFY_UPDATE % (
        "NEW.state IS DISTINCT FROM OLD.state AND (NEW.state = 'pending' OR "
        "(OLD.claim_bounded AND OLD.state IN ('started', 'failed')))"),
    'when-ne': NOTIFY_UPDATE % (
        "NEW.state <> OLD.state AND (NEW.state = 'pending' OR "
        "(OLD.claim_bounded AND OLD.state IN ('started', 'failed')))"),
    'when-or': NOTIFY_UPDATE % (
        "NEW.state IS DISTINCT FROM OLD.state AND (NEW.state = 'pending' OR "
        "(OLD.claim_bounded AND (OLD.state = 'started' OR OLD.state = 'failed')))"),
    'when-or-ne': NOTIFY_UPDATE % (
        "NEW.state <> OLD.state AND (NEW.state = 'pending' OR "
        "(OLD.claim_bounded AND (OLD.state = 'started' OR OLD.state = 'failed')))"),
    'checks-or': DROP_CHECKS + (
        ", ADD CONSTRAINT queue_job_started_has_worker CHECK ("
        "state <> 'started' OR worker_name IS NOT NULL)"
        ", ADD CONSTRAINT queue_job_date_done_when_ended CHECK ("
        "(state = 'done' OR state = 'failed' OR state = 'cancelled') = "
        "(date_done IS NOT NULL))"),
}

INSERT_JOBS = """
INSERT INTO queue_job (uuid, name, state, func_string, args, kwargs, user_id, company_id,
                       channel, priority, retry, max_retries, date_created)
SELECT md5(%(name)s || n || random()), %(name)s, 'pending', 'bench.update', '[]', '{}', 1, 1,
       %(channel)s, 10, 0, 0, now() at time zone 'utc'
FROM generate_series(1, %(count)s) n
"""

# A start as the claim makes it and an end as SET_DONE writes it, per job.
LOOP = """
DO $$
DECLARE
    job record;
BEGIN
    FOR job IN SELECT id FROM queue_job WHERE name = 'bench_job_update' ORDER BY id LOOP
        PERFORM connector_start_job_v2(job.id, 'bench-job-update');
        UPDATE queue_job SET state = 'done', result = NULL, exc_info = NULL,
            date_done = (clock_timestamp() at time zone 'utc'),
            write_date = (now() at time zone 'utc')
        WHERE id = job.id;
    END LOOP;
END;
$$
"""


def one_run(cnx, variant):
    """Microseconds per job of the loop under ``variant``; rolled back."""
    cr = cnx.cursor()
    if VARIANTS[variant]:
        cr.execute(VARIANTS[variant])
    cr.execute("SELECT count(*) FROM queue_job WHERE name = %s AND state = 'pending'",
               (NAME,))
    jobs = cr.fetchone()[0]
    start = time.perf_counter()
    cr.execute(LOOP)
    seconds = time.perf_counter() - start
    cr.execute("SELECT count(*) FROM queue_job WHERE name = %s AND state = 'done'", (NAME,))
    if cr.fetchone()[0] != jobs:
        raise SystemExit('bench_job_update: the loop did not end every job (%s)' % variant)
    cnx.rollback()
    cnx.autocommit = True
    cr.execute('VACUUM queue_job')
    cnx.autocommit = False
    return 1e6 * seconds / jobs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--jobs', type=int, default=2000)
    parser.add_argument('--rounds', type=int, default=6)
    parser.add_argument('--bounded', action='store_true',
                        help='the jobs in a channel with a capacity (the bounded lane)')
    parser.add_argument('--variants', nargs='+', choices=sorted(VARIANTS),
                        default=['as-is', 'when-before', 'one-check', 'no-checks'])
    opts = parser.parse_args()
    load_config(opts.config)
    db_name = opts.database
    _db, info = odoo.sql_db.connection_info_for(db_name)
    query(db_name, 'DELETE FROM queue_job WHERE name = %s', (NAME,))
    query(db_name, 'DELETE FROM queue_job_channel WHERE complete_name = %s', (CHANNEL,))
    if opts.bounded:
        query(db_name, "INSERT INTO queue_job_channel (name, complete_name, capacity, "
                       "sequential, rate_limit, rate_period, rate_burst) "
                       "VALUES ('bench_job_update', %s, 1000000, false, 0, 1, 1)", (CHANNEL,))
    query(db_name, INSERT_JOBS, {'name': NAME, 'channel': CHANNEL, 'count': opts.jobs})
    if query(db_name, 'SELECT count(*) FROM queue_job WHERE name = %s AND claim_bounded <> %s',
             (NAME, opts.bounded))[0][0]:
        raise SystemExit('bench_job_update: the jobs of %s in %s are not all in the %s lane'
                         % (CHANNEL, db_name, 'bounded' if opts.bounded else 'free'))
    cnx = psycopg2.connect(application_name=NAME, **info)
    times = {variant: [] for variant in opts.variants}
    try:
        one_run(cnx, opts.variants[0])  # warm the session and the caches
        for number in range(opts.rounds):
            for variant in (opts.variants if number % 2 == 0 else opts.variants[::-1]):
                times[variant].append(one_run(cnx, variant))
                print('round %d, %-18s %7.1f us per job' % (
                    number + 1, variant, times[variant][-1]), flush=True)
    finally:
        cnx.close()
        query(db_name, 'DELETE FROM queue_job WHERE name = %s', (NAME,))
        query(db_name, 'DELETE FROM queue_job_channel WHERE complete_name = %s', (CHANNEL,))
    base = statistics.median(times[opts.variants[0]])
    rows = []
    for variant in opts.variants:
        median = statistics.median(times[variant])
        rows += [('%s: a start and an end' % variant, median, 'us per job'),
                 ('%s: minus %s' % (variant, opts.variants[0]), median - base, 'us per job')]
    report('A start and an end in PostgreSQL (%s; %d %s jobs, medians of %d rounds)' % (
        db_name, opts.jobs, 'bounded' if opts.bounded else 'free', opts.rounds), rows)


if __name__ == '__main__':
    main()
