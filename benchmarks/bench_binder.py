# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Binder lookups on a small and a large binding table.

Fills ``test.res.partner`` (addon test_connector) with 1,000 bindings in one
database and 100,000 in another (SQL inserts, in transactions rolled back at
the end), then times ``Binder.to_openerp`` on random external ids, rounds
alternating between the two databases. The unique index on (backend_id,
external_id) should keep the large table within 1.5x of the small one.

    .venv/bin/python benchmarks/bench_binder.py -c var/odoo.cfg \\
        --small-db DB1 --large-db DB2
"""
import argparse
import random
from contextlib import ExitStack

from _odoo import load_config, median, report, rolled_back_env, timed


def fill(env, rows):
    """A backend with ``rows`` bindings whose external ids are 'E-1'..'E-rows'."""
    backend = env['test.backend'].create({'name': 'Bench', 'version': '1.0'})
    env.cr.execute("""
        WITH partners AS (
            INSERT INTO res_partner (name, active, display_name)
            SELECT 'Bench ' || n, true, 'Bench ' || n FROM generate_series(1, %s) n
            RETURNING id
        )
        INSERT INTO test_res_partner (openerp_id, backend_id, external_id)
        SELECT id, %s, 'E-' || row_number() OVER (ORDER BY id) FROM partners
    """, (rows, backend.id))
    env.cr.execute('ANALYZE res_partner')
    env.cr.execute('ANALYZE test_res_partner')
    return backend


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('--small-db', required=True)
    parser.add_argument('--large-db', required=True)
    parser.add_argument('--small-rows', type=int, default=1000)
    parser.add_argument('--large-rows', type=int, default=100000)
    parser.add_argument('--lookups', type=int, default=1000)
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args()
    load_config(args.config)

    from odoo.addons.connector.connector import ConnectorEnvironment
    from odoo.addons.connector.session import ConnectorSession
    from odoo.addons.test_connector.units import TestBinder

    sizes = {args.small_db: args.small_rows, args.large_db: args.large_rows}
    timings = {db: [] for db in sizes}
    with ExitStack() as stack:
        binders = {}
        for db_name, rows in sizes.items():
            env = stack.enter_context(rolled_back_env(db_name))
            backend = fill(env, rows)
            session = ConnectorSession.from_env(env)
            binders[db_name] = ConnectorEnvironment(
                backend, session, 'test.res.partner').get_connector_unit(TestBinder)
        rng = random.Random(7)
        for round_index in range(args.rounds):
            order = list(sizes) if round_index % 2 == 0 else list(reversed(list(sizes)))
            for db_name in order:
                binder = binders[db_name]
                ids = ['E-%d' % rng.randint(1, sizes[db_name]) for _ in range(args.lookups)]
                assert binder.to_openerp(ids[0]), 'lookup found nothing'

                def work():
                    for external_id in ids:
                        binder.to_openerp(external_id)
                timings[db_name].append(timed(work) / args.lookups)
    small = median(timings[args.small_db])
    large = median(timings[args.large_db])
    report('Binder.to_openerp: %d rounds of %d lookups (median per lookup)' % (
        args.rounds, args.lookups), [
        ('%d bindings' % args.small_rows, small * 1e6, 'us/lookup'),
        ('%d bindings' % args.large_rows, large * 1e6, 'us/lookup'),
        ('ratio large/small (target <= 1.5)', large / small, ''),
    ])


if __name__ == '__main__':
    main()
