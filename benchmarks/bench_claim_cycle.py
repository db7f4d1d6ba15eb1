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
        --baseline OTHER_DB [--cycles 4000] [--rounds 20] [--floor]

Reported: microseconds per cycle of each database, median and best of the
rounds.

``--floor``: a third loop in the rounds, on ``DB``, whose claim is only what
every claim of a free job pays: the free lane's first due job read and locked
(one statement, as ``connector_free_before_v1`` reads it, its channel's
bound checked) and started by ``connector_start_job_v2``; the cycle's end
and commit as the others. The claim's cycle minus the floor is what the
claim spends deciding (the blocked channels, the bounded lane's head, the
free lane read again, the bounded jobs' starts). The floor's claims start
only free jobs (the bounded channels' jobs stay pending): it measures a
cost, not a claim.
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
        previous := %(claim)s;
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


#: The claim of a cycle (``LOOP``), as a worker runs it.
CLAIM = "connector_claim_next_job_v4('bench-claim-cycle')"

#: The floor's claim (``--floor``): the first due job of the free lane's priority of part
#: 1's jobs (10), read and locked with its channel's bound (as connector_free_before_v1
#: reads it), started.
FLOOR_CLAIM = """(
    SELECT CASE WHEN NOT f.bounded AND connector_start_job_v2(f.id, 'bench-claim-cycle')
                THEN f.id END
    FROM (SELECT o.id,
                 EXISTS (SELECT 1 FROM queue_job_channel c
                         WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit,
                                                              c.sequential, c.paused_until)
                           AND (o.channel = c.complete_name
                                OR starts_with(o.channel, c.complete_name || '.')))
                     AS bounded
          FROM queue_job o
          WHERE o.state = 'pending' AND NOT o.claim_bounded AND o.priority = 10
            AND coalesce(o.eta, '-infinity'::timestamp)
                <= (clock_timestamp() at time zone 'utc')
          ORDER BY coalesce(o.eta, '-infinity'::timestamp), o.id
          LIMIT 1 FOR UPDATE OF o SKIP LOCKED) f)"""


def one_loop(info, cycles, claim=CLAIM):
    """Microseconds per cycle of one loop on the database of ``info``, each claim
    ``claim`` (an expression)."""
    cnx = psycopg2.connect(application_name='bench_claim_cycle', **info)
    cnx.autocommit = True  # the DO block commits itself
    try:
        cr = cnx.cursor()
        cr.execute('SET synchronous_commit = off')  # as a claim's transaction (CLAIM_INTO_SESSION)
        start = time.perf_counter()
        cr.execute(LOOP % {'cycles': cycles, 'claim': claim})
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
    parser.add_argument('--floor', action='store_true',
                        help="run the floor's loop on DB too, in the same rounds")
    opts = parser.parse_args()
    load_config(opts.config)
    names = [opts.database, opts.baseline]
    infos = {name: odoo.sql_db.connection_info_for(name)[1] for name in names}
    for name in names:
        check_database(name)
        cleanup(name)  # what an interrupted run left
    # (label, database, claim)
    runs = [(name, name, CLAIM) for name in names]
    if opts.floor:
        runs.append(('floor in %s' % opts.database, opts.database, FLOOR_CLAIM))
    times = {label: [] for label, _name, _claim in runs}
    try:
        for name in names:
            setup_scale(name, 100000)
        for number in range(opts.rounds):
            for label, name, claim in (runs if number % 2 == 0 else runs[::-1]):
                reset(name, infos[name], SCALE_JOBS)
                times[label].append(one_loop(infos[name], opts.cycles, claim))
                print('round %d, %-20s %7.1f us per cycle' % (
                    number + 1, label, times[label][-1]), flush=True)
    finally:
        for name in names:
            cleanup(name)
    rows = []
    for label, _name, _claim in runs:
        rows += [('%s: median' % label, statistics.median(times[label]), 'us per cycle'),
                 ('%s: best' % label, min(times[label]), 'us per cycle')]
    report('A claim cycle in PostgreSQL, one session (%d cycles, %d rounds)' % (
        opts.cycles, opts.rounds), rows)


if __name__ == '__main__':
    main()
