# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Cost of the connector's record events when nobody listens.

Creates partners in two databases served by this one process: one with
``connector`` installed (its ``base`` override fires on_record_create on
every create), one without. Rounds alternate between the two, each in a
rolled-back transaction; the report gives the median time per round and
the ratio. Target: connector at most 5% slower.

    .venv/bin/python benchmarks/bench_events.py -c var/odoo.cfg \\
        --with-connector DB1 --without-connector DB2
"""
import argparse

from _odoo import load_config, median, report, rolled_back_env, timed


def create_partners(db_name, count):
    with rolled_back_env(db_name) as env:
        partners = env['res.partner']
        # Warm the registry and caches outside the measure.
        partners.create({'name': 'warm-up'})

        def work():
            for index in range(count):
                partners.create({'name': 'Bench partner %d' % index,
                                 'email': 'bench%d@example.com' % index})
        return timed(work)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('--with-connector', required=True, metavar='DB')
    parser.add_argument('--without-connector', required=True, metavar='DB')
    parser.add_argument('--records', type=int, default=2000)
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args()
    load_config(args.config)
    timings = {args.with_connector: [], args.without_connector: []}
    per_round = max(1, args.records // args.rounds)
    order = [args.without_connector, args.with_connector]
    for round_index in range(args.rounds):
        for db_name in (order if round_index % 2 == 0 else reversed(order)):
            timings[db_name].append(create_partners(db_name, per_round))
    with_connector = median(timings[args.with_connector])
    without = median(timings[args.without_connector])
    report('Events: %d rounds of %d partner creates (median per round)' % (
        args.rounds, per_round), [
        ('without connector (%s)' % args.without_connector, per_round / without, 'creates/s'),
        ('with connector, no consumer (%s)' % args.with_connector,
         per_round / with_connector, 'creates/s'),
        ('time ratio with/without (target <= 1.05)', with_connector / without, ''),
    ])


if __name__ == '__main__':
    main()
