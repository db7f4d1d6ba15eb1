# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the claim's lane trigger costs a job's insert.

Each job stored runs ``connector_queue_job_lane`` (``queue/sql/schema.sql``):
a BEFORE INSERT trigger that reads the channels to say whether the job is
bounded. Needs a database with the connector addon installed::

    .venv/bin/python benchmarks/bench_lane_trigger.py -c var/odoo.cfg -d DB \\
        [--rows 20000] [--rounds 6]

Each round inserts ``--rows`` jobs in one ``INSERT ... SELECT`` (half in a
channel of capacity 2, half in a free one), rolled back, once with the
trigger and once with it disabled in the same transaction, the order
alternating between rounds. Reported: rows per second of each (medians)
and their ratio, and the trigger's cost per row.
"""
import argparse
import statistics
import time

import odoo
import psycopg2

from _odoo import load_config, report

CHANNEL = 'root.bench_lane_trigger'

INSERT_JOBS = """
INSERT INTO queue_job (uuid, name, state, func_string, args, kwargs, user_id, company_id,
                       channel, priority, retry, max_retries, date_created)
SELECT md5(random()::text || n), 'bench_lane_trigger', 'pending', 'bench.lane', '[]', '{}',
       1, 1, CASE WHEN n %% 2 = 0 THEN %(bounded)s ELSE %(free)s END, 10, 0, 0,
       now() at time zone 'utc'
FROM generate_series(1, %(rows)s) n
"""


def one_insert(cr, rows, trigger):
    """Seconds to insert ``rows`` jobs, with the lane trigger or without; rolled back."""
    if not trigger:
        cr.execute('ALTER TABLE queue_job DISABLE TRIGGER connector_queue_job_lane')
    start = time.perf_counter()
    cr.execute(INSERT_JOBS, {'rows': rows, 'bounded': CHANNEL, 'free': CHANNEL + '_free'})
    seconds = time.perf_counter() - start
    cr.connection.rollback()
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--rows', type=int, default=20000)
    parser.add_argument('--rounds', type=int, default=6)
    args = parser.parse_args()
    load_config(args.config)
    _db, info = odoo.sql_db.connection_info_for(args.database)
    cnx = psycopg2.connect(**info)
    cr = cnx.cursor()
    cr.execute("INSERT INTO queue_job_channel (name, complete_name, capacity, sequential, "
               "rate_limit, rate_period, rate_burst) VALUES (%s, %s, 2, false, 0, 1, 1) "
               "ON CONFLICT (complete_name) DO NOTHING", (CHANNEL.split('.')[-1], CHANNEL))
    cnx.commit()
    rates = {True: [], False: []}
    try:
        for number in range(args.rounds):
            for trigger in ((True, False) if number % 2 == 0 else (False, True)):
                rates[trigger].append(args.rows / one_insert(cr, args.rows, trigger))
    finally:
        cr.execute('DELETE FROM queue_job_channel WHERE complete_name = %s', (CHANNEL,))
        cnx.commit()
        cnx.close()
    with_trigger, without = statistics.median(rates[True]), statistics.median(rates[False])
    report('Lane trigger on insert (%s, %d rows per insert, medians of %d rounds)'
           % (args.database, args.rows, args.rounds), [
               ('insert with the lane trigger', with_trigger, 'rows/s'),
               ('insert with the trigger disabled', without, 'rows/s'),
               ('ratio with / without', with_trigger / without, ''),
               ('cost of the trigger per row', 1e6 / with_trigger - 1e6 / without, 'us')])


if __name__ == '__main__':
    main()
