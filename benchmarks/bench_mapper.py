# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mapper overhead: an ImportMapper against the hand-written function it replaces.

Maps N external records (default 10,000) with a 15-field ImportMapper
(10 direct mappings, 4 of them through convert/none, and 5 @mapping
methods) and with a hand-written function producing the same dicts,
alternating the two over several rounds in one run (this machine's speed
drifts between runs; in each round the fastest of ``--repeat`` passes
counts), and prints records/s of each and their ratio.

The mapper needs a ConnectorEnvironment, hence an Odoo database with
``test_connector`` installed; the script works in a cursor it rolls back.
Nothing is written to the database (the mapper never writes; only a
backend record is created, and rolled back).

    python benchmarks/bench_mapper.py -d DB [-c ODOO_CONFIG] [--addons-path PATHS]
        [--records 10000] [--rounds 7] [--repeat 3]
"""
import argparse
import gc
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, api

LANGS = {'fr': 'fr_FR', 'en': 'en_US', 'de': 'de_DE'}


def make_records(count):
    """External partner records with varied values (empty ones included)."""
    records = []
    for index in range(count):
        records.append({
            'id': 'C-%d' % index,
            'name': 'Partner %d' % index,
            'ref': 'R%05d' % index,
            'street': '%d Main Street' % index,
            'street2': '' if index % 3 else 'Building B',
            'zip': '%05d' % (index % 99999),
            'phone': '+33 1 23 45 %02d %02d' % (index % 100, index % 97),
            'email': '' if index % 5 == 0 else 'p%d@example.test' % index,
            'color': str(index % 11),
            'credit': None if index % 4 == 0 else '%d.50' % (index % 1000),
            'active': index % 10 != 0,
            'city': 'lyon' if index % 2 else 'PARIS',
            'domain': '' if index % 7 == 0 else 'p%d.example.test' % index,
            'kind': 'company' if index % 3 == 0 else 'person',
            'note': '  imported from the shop  ',
            'lang': ('fr', 'en', 'de', 'it')[index % 4],
        })
    return records


def hand_map(record):
    """What a developer writes without the mapper, for the same values."""
    credit = record['credit']
    values = {
        'name': record['name'],
        'ref': record['ref'],
        'street': record['street'],
        'street2': record['street2'],
        'zip': record['zip'],
        'phone': record['phone'],
        'email': record['email'] or None,
        'color': int(record['color']),
        'credit_limit': (float(credit) if credit is not None else None) or None,
        'active': bool(record['active']),
        'city': record['city'].title(),
    }
    if record['domain']:
        values['website'] = 'https://%s' % record['domain']
    values['is_company'] = record['kind'] == 'company'
    values['comment'] = record['note'].strip()
    values['lang'] = LANGS.get(record['lang'], 'en_US')
    return values


def build_mapper_class():
    from odoo.addons.connector.unit.mapper import ImportMapper, convert, mapping, none

    class BenchPartnerImportMapper(ImportMapper):
        _model_name = 'res.partner'

        direct = [
            ('name', 'name'),
            ('ref', 'ref'),
            ('street', 'street'),
            ('street2', 'street2'),
            ('zip', 'zip'),
            ('phone', 'phone'),
            (none('email'), 'email'),
            (convert('color', int), 'color'),
            (none(convert('credit', float)), 'credit_limit'),
            (convert('active', bool), 'active'),
        ]

        @mapping
        def city(self, record):
            return {'city': record['city'].title()}

        @mapping
        def website(self, record):
            if record['domain']:
                return {'website': 'https://%s' % record['domain']}
            return None

        @mapping
        def is_company(self, record):
            return {'is_company': record['kind'] == 'company'}

        @mapping
        def comment(self, record):
            return {'comment': record['note'].strip()}

        @mapping
        def lang(self, record):
            return {'lang': LANGS.get(record['lang'], 'en_US')}

    return BenchPartnerImportMapper


def run(env, record_count, rounds, repeat):
    from odoo.addons.connector.connector import ConnectorEnvironment
    from odoo.addons.connector.session import ConnectorSession

    backend = env['test.backend'].create({'name': 'Benchmark', 'version': '1.0'})
    connector_env = ConnectorEnvironment(backend, ConnectorSession.from_env(env), 'res.partner')
    mapper = build_mapper_class()(connector_env)
    records = make_records(record_count)

    def by_mapper():
        return [mapper.map_record(record).values() for record in records]

    def by_hand():
        return [hand_map(record) for record in records]

    mapped, handmade = by_mapper(), by_hand()
    if mapped != handmade:
        first = next(index for index, pair in enumerate(zip(mapped, handmade))
                     if pair[0] != pair[1])
        raise SystemExit('The mapper and the hand-written function disagree on record %d:\n'
                         '%r\n%r' % (first, mapped[first], handmade[first]))
    print('Checked: the mapper and the hand-written function give the same %d dicts '
          '(%d keys each at most).' % (len(mapped), max(len(values) for values in mapped)))

    hand_rates, mapper_rates = [], []
    for round_number in range(rounds):
        # Alternate which one goes first, so that drift hits both alike; keep
        # the best of a few passes, since other processes share the cores.
        order = (('hand', by_hand), ('mapper', by_mapper))
        for name, function in (order if round_number % 2 == 0 else order[::-1]):
            best = None
            for _pass in range(repeat):
                gc.collect()
                start = time.perf_counter()
                function()
                elapsed = time.perf_counter() - start
                best = elapsed if best is None else min(best, elapsed)
            (hand_rates if name == 'hand' else mapper_rates).append(record_count / best)
        print('round %d: hand-written %9.0f records/s   mapper %9.0f records/s   ratio %.2fx'
              % (round_number + 1, hand_rates[-1], mapper_rates[-1],
                 hand_rates[-1] / mapper_rates[-1]))
    ratios = [hand / mapped for hand, mapped in zip(hand_rates, mapper_rates)]
    print('median: hand-written %.0f records/s, mapper %.0f records/s, mapper is %.2fx '
          'slower (median of per-round ratios; best round %.2fx, worst %.2fx)' % (
              statistics.median(hand_rates), statistics.median(mapper_rates),
              statistics.median(ratios), min(ratios), max(ratios)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-d', '--database', required=True,
                        help='database with test_connector installed')
    parser.add_argument('-c', '--config', help='Odoo configuration file')
    parser.add_argument('--addons-path', help='Odoo addons path (when not in the config)')
    parser.add_argument('--records', type=int, default=10000)
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--repeat', type=int, default=3,
                        help='passes per round and function; the fastest counts')
    args = parser.parse_args()

    odoo_args = ['-d', args.database, '--log-level=warn']
    if args.config:
        odoo_args += ['-c', args.config]
    if args.addons_path:
        odoo_args += ['--addons-path', args.addons_path]
    odoo.tools.config.parse_config(odoo_args)
    registry = odoo.registry(args.database)
    with api.Environment.manage(), registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if 'test.backend' not in env:
                raise SystemExit('Database %r has no test_connector: install it first '
                                 '(-i test_connector).' % args.database)
            run(env, args.records, args.rounds, args.repeat)
        finally:
            cr.rollback()


if __name__ == '__main__':
    main()
