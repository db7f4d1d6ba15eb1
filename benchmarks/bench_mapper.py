# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mapper cost per record: against a hand-written function, and inside the example import.

synthetic
    N external records (``--records``, default 10,000) mapped by a
    15-field ImportMapper (10 direct mappings, 4 of them through
    convert/none, and 5 @mapping methods) and by the hand-written
    function producing the same dicts (checked equal first): the DSL's
    own cost.
example (when ``connector_example`` is installed)
    the example connector's own ``PartnerImportMapper`` on remote partner
    dicts shaped as its adapter gives them (one company in five, contacts
    with their company as parent, country codes, category names), and its
    ``PartnerExportMapper`` on bindings of the same partners, each mapped
    ``for_create`` as an import job and an export job do, with the ORM
    work of a real mapping (country and category searches, binder
    lookups). With ``--import-ms`` (the example import's time per record,
    from ``bench_example_import.py``), the mapping's share of it.

The contenders alternate over several rounds in one run (this machine's
speed drifts between runs; in each round the fastest of ``--repeat``
passes counts); the script prints microseconds per record and the median
of the per-round figures.

Everything runs in a cursor that is rolled back: only a backend and the
partners and bindings of the example part are created, then undone.

    python benchmarks/bench_mapper.py -d DB [-c ODOO_CONFIG] [--addons-path PATHS]
        [--records 10000] [--example-records 250] [--rounds 7] [--repeat 3]
        [--import-ms MS]
"""
import argparse
import gc
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, api

LANGS = {'fr': 'fr_FR', 'en': 'en_US', 'de': 'de_DE'}
# The remote partners of the example import, as tools/devkit/seeding.py seeds them
CATEGORIES = ['Customer', 'Supplier', 'Prospect', 'Reseller']
COUNTRY_CODES = ['BE', 'FR', 'DE', 'NL', 'ES', 'IT', 'GB', 'US', 'CA', 'JP']
CITIES = ['Brussels', 'Paris', 'Berlin', 'Amsterdam', 'Madrid', 'Rome', 'London',
          'New York', 'Toronto', 'Tokyo']


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


def remote_partners(count):
    """Remote partner dicts as the example's adapter gives them (see seed_partners)."""
    records, company = [], None
    for index in range(count):
        number = index // 5 + 1
        code = COUNTRY_CODES[number % len(COUNTRY_CODES)]
        if index % 5 == 0:
            company = {
                'id': str(1000 + index), 'name': 'Company %04d' % number, 'type': 'contact',
                'email': 'info@company%04d.example.com' % number,
                'phone': '+32 2 %03d %02d %02d' % (number % 1000, number % 97, number % 89),
                'street': '%d Main Street' % number, 'city': CITIES[number % len(CITIES)],
                'zip': '%05d' % (1000 + number), 'is_company': True, 'active': True,
                'parent_id': None, 'country_code': code,
                'category_names': sorted(CATEGORIES[number % 4:number % 4 + 1 + number % 2]),
                'write_date': '2026-11-30 10:00:00'}
            records.append(company)
            continue
        contact = index % 5
        records.append(dict(
            company, id=str(1000 + index), name='Contact %04d-%d' % (number, contact),
            email='person%d@company%04d.example.com' % (contact, number), phone=False,
            is_company=False, parent_id=company['id'],
            category_names=CATEGORIES[contact % 4:contact % 4 + contact % 2]))
    return records


def example_bindings(env, backend, records):
    """Bind every remote partner to a local one, as an import leaves them."""
    countries = {country.code: country.id for country in env['res.country'].search([])}
    categories = {}
    for name in CATEGORIES:
        found = env['res.partner.category'].search([('name', '=', name)], limit=1)
        categories[name] = found.id or found.create({'name': name}).id
    model = env['example.res.partner'].with_context(connector_no_export=True,
                                                    tracking_disable=True)
    by_external_id = {}
    for record in records:
        parent = by_external_id.get(record['parent_id'])
        by_external_id[record['id']] = model.create({
            'backend_id': backend.id, 'external_id': record['id'], 'name': record['name'],
            'email': record['email'], 'phone': record['phone'] or False,
            'street': record['street'], 'city': record['city'], 'zip': record['zip'],
            'is_company': record['is_company'], 'country_id': countries[record['country_code']],
            'category_id': [(6, 0, [categories[name] for name in record['category_names']])],
            'parent_id': parent.openerp_id.id if parent else False})
    return list(by_external_id.values())


def per_record_times(contenders, rounds, repeat, count, label):
    """{name: [seconds per record, one per round]}, alternating the order each round."""
    times = {name: [] for name, _function in contenders}
    for round_number in range(rounds):
        order = contenders if round_number % 2 == 0 else contenders[::-1]
        for name, function in order:
            best = None
            for _pass in range(repeat):
                gc.collect()
                start = time.perf_counter()
                function()
                elapsed = time.perf_counter() - start
                best = elapsed if best is None else min(best, elapsed)
            times[name].append(best / count)
        print('  %s round %d: %s' % (label, round_number + 1, '   '.join(
            '%s %8.2f us' % (name, times[name][-1] * 1e6) for name, _function in contenders)))
    return times


def synthetic(mapper, records, args):
    """The 15-field mapper against the hand-written function."""
    if [mapper.map_record(record).values() for record in records] != [
            hand_map(record) for record in records]:
        raise SystemExit('The mapper and the hand-written function disagree.')
    times = per_record_times([
        ('mapper', lambda: [mapper.map_record(record).values() for record in records]),
        ('hand-written', lambda: [hand_map(record) for record in records]),
    ], args.rounds, args.repeat, len(records), 'synthetic')
    ratios = [mapped / hand for mapped, hand in zip(times['mapper'], times['hand-written'])]
    print('synthetic, median of %d rounds: mapper %.2f us/record, hand-written %.2f us/record;'
          ' mapper/hand-written %.2fx (rounds %.2fx .. %.2fx)' % (
              args.rounds, statistics.median(times['mapper']) * 1e6,
              statistics.median(times['hand-written']) * 1e6,
              statistics.median(ratios), min(ratios), max(ratios)))


def example(import_mapper, export_mapper, partners, bindings, args):
    """The example's mappers per record, and their share of the import's time."""
    times = per_record_times([
        ('import', lambda: [import_mapper.map_record(partner).values(for_create=True)
                            for partner in partners]),
        ('export', lambda: [export_mapper.map_record(binding).values(for_create=True)
                            for binding in bindings]),
    ], args.rounds, args.repeat, len(partners), 'example')
    for name, values in times.items():
        median = statistics.median(values) * 1e6
        line = 'example %s mapper, median of %d rounds: %.1f us/record (rounds %.1f .. %.1f)' % (
            name, args.rounds, median, min(values) * 1e6, max(values) * 1e6)
        if args.import_ms:
            line += '; %.2f%% of the import\'s %.1f ms/record' % (
                median / (args.import_ms * 1000) * 100, args.import_ms)
        print(line)


def run(env, args):
    from odoo.addons.connector.connector import ConnectorEnvironment
    from odoo.addons.connector.session import ConnectorSession

    session = ConnectorSession.from_env(env)
    if 'example.backend' in env:
        backend = env['example.backend'].create({
            'name': 'Benchmark', 'url': 'http://localhost:1', 'database': 'remote',
            'login': 'admin', 'password': 'secret'})
    else:
        backend = env['test.backend'].create({'name': 'Benchmark', 'version': '1.0'})

    records = make_records(args.records)
    print('synthetic: %d records, 15-field ImportMapper' % len(records))
    synthetic(build_mapper_class()(ConnectorEnvironment(backend, session, 'res.partner')),
              records, args)

    if 'example.backend' not in env:
        print('example: skipped (connector_example is not installed in this database)')
        return
    from odoo.addons.connector_example.units.export_mapper import PartnerExportMapper
    from odoo.addons.connector_example.units.import_mapper import PartnerImportMapper
    connector_env = ConnectorEnvironment(backend, session, 'example.res.partner')
    partners = remote_partners(args.example_records)
    bindings = example_bindings(env, backend, partners)
    print('example: %d remote partners (%d companies), and their bindings' % (
        len(partners), sum(1 for partner in partners if partner['is_company'])))
    example(connector_env.get_connector_unit(PartnerImportMapper),
            connector_env.get_connector_unit(PartnerExportMapper), partners, bindings, args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-d', '--database', required=True,
                        help='database with connector_example (or test_connector) installed')
    parser.add_argument('-c', '--config', help='Odoo configuration file')
    parser.add_argument('--addons-path', help='Odoo addons path (when not in the config)')
    parser.add_argument('--records', type=int, default=10000)
    parser.add_argument('--example-records', type=int, default=250)
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--repeat', type=int, default=3,
                        help='passes per round and function; the fastest counts')
    parser.add_argument('--import-ms', type=float,
                        help="the example import's time per record, for the mapping's share")
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
            if 'test.backend' not in env and 'example.backend' not in env:
                raise SystemExit('Database %r has neither connector_example nor test_connector: '
                                 'install one first.' % args.database)
            run(env, args)
        finally:
            cr.rollback()


if __name__ == '__main__':
    main()
