# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PostgreSQL's time per claim cycle in one session, two databases alternating.

The cycle of ``bench_claim.py``'s claimers without the clients: one session
runs a ``DO`` loop of ``--cycles`` cycles (``SET_DONE``'s ``UPDATE`` of the
job taken before, ``connector_claim_next_job_v4``, ``COMMIT``; plans
cached as in a worker) on part 1's 100,000 jobs over 50 channels, in each
database in turn, the order reversed every other round, every job pending
again and the table vacuumed before each loop. For a change of the schema
measured against the schema before it (``DB`` and ``OTHER_DB`` made from
two trees, as ``bench_claim.py --baseline`` wants them)::

    .venv/bin/python benchmarks/bench_claim_cycle.py -c var/odoo.cfg -d DB \\
        --baseline OTHER_DB [--cycles 4000] [--rounds 20]

Reported: microseconds per cycle of each database, median and best of the
rounds.
"""
import argparse
import statistics
import time

import odoo
import psycopg2

from _odoo import load_config, report
from bench_claim import SCALE_JOBS, check_database, cleanup, reset, setup_scale

LOOP = """
DO $$
DECLARE
    previous integer;
BEGIN
    FOR i IN 1..%(cycles)s LOOP
        IF previous IS NOT NULL THEN
            UPDATE queue_job SET state = 'done', result = NULL, exc_info = NULL,
                date_done = (clock_timestamp() at time zone 'utc'),
                write_date = (now() at time zone 'utc')
            WHERE id = previous;
        END IF;
        previous := connector_claim_next_job_v4('bench-claim-cycle');
        IF previous IS NULL THEN
            RAISE 'bench_claim_cycle: no job to claim after %% cycles', i;
        END IF;
        COMMIT;
    END LOOP;
    UPDATE queue_job SET state = 'done', date_done = (now() at time zone 'utc')
    WHERE id = previous;
END;
$$
"""


def one_loop(info, cycles):
    """Microseconds per cycle of one loop on the database of ``info``."""
    cnx = psycopg2.connect(application_name='bench_claim_cycle', **info)
    cnx.autocommit = True  # the DO block commits itself
    try:
        cr = cnx.cursor()
        cr.execute('SET synchronous_commit = off')  # as a claim's transaction (CLAIM_INTO_SESSION)
        start = time.perf_counter()
        cr.execute(LOOP, {'cycles': cycles})
        return 1e6 * (time.perf_counter() - start) / cycles
    finally:
        cnx.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--baseline', metavar='OTHER_DB', required=True)
    parser.add_argument('--cycles', type=int, default=4000)
    parser.add_argument('--rounds', type=int, default=20)
    opts = parser.parse_args()
    load_config(opts.config)
    names = [opts.database, opts.baseline]
    infos = {name: odoo.sql_db.connection_info_for(name)[1] for name in names}
    for name in names:
        check_database(name)
        cleanup(name)  # what an interrupted run left
    times = {name: [] for name in names}
    try:
        for name in names:
            setup_scale(name, 100000)
        for number in range(opts.rounds):
            for name in (names if number % 2 == 0 else names[::-1]):
                reset(name, infos[name], SCALE_JOBS)
                times[name].append(one_loop(infos[name], opts.cycles))
                print('round %d, %-20s %7.1f us per cycle' % (
                    number + 1, name, times[name][-1]), flush=True)
    finally:
        for name in names:
            cleanup(name)
    rows = []
    for name in names:
        rows += [('%s: median' % name, statistics.median(times[name]), 'us per cycle'),
                 ('%s: best' % name, min(times[name]), 'us per cycle')]
    report('A claim cycle in PostgreSQL, one session (%d cycles, %d rounds)' % (
        opts.cycles, opts.rounds), rows)


if __name__ == '__main__':
    main()
