# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mapper cost per record: compiled mapping against the interpreted one.

Two sets of mappers, each mapped by the class's compiled function
(``Mapper._compiled``) and by the interpreted ``Mapper._apply``, side by
side, alternating over several rounds in one run (this machine's speed
drifts between runs; in each round the fastest of ``--repeat`` passes
counts):

synthetic
    N external records (``--records``, default 10,000) mapped by a
    15-field ImportMapper (10 direct mappings, 4 of them through
    convert/none, and 5 @mapping methods), and by the hand-written
    function producing the same dicts (checked equal first);
example (when ``connector_example`` is installed)
    the example connector's own ``PartnerImportMapper`` on remote partner
    dicts shaped as its adapter gives them (one company in five, contacts
    with their company as parent, country codes, category names), and its
    ``PartnerExportMapper`` on bindings of the same partners, each mapped
    ``for_create`` as an import job and an export job do. Their mapping
    methods search countries and categories and their modifiers look up
    bindings: the ORM work of a real mapping. Then the same two mappers
    with those lookups replaced by constants, which leaves the mapper's
    own work: its difference is too small to see beside the ORM's noise.

It prints microseconds per record of each, the compiled mapping's saving
per record and, with ``--import-ms``, that saving as a share of the
example import's time per record.

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
# The remote partners of the example import, as tools/remote_odoo.py seeds them
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


def stubbed_example_mappers(import_mapper, export_mapper):
    """The example's mapper classes with constants where they search or look up."""
    from odoo.addons.connector.unit.mapper import (Modifier, backend_to_m2o, m2o_to_backend,
                                                   mapping)

    class read_only(Modifier):
        """Reads the field as the binder modifiers do, and looks nothing up."""
        def __call__(self, mapper, record, to_attr):
            return self.read(mapper, record, to_attr) and None

    def stubbed(direct):
        return [(read_only(source.source), target)
                if isinstance(source, (backend_to_m2o, m2o_to_backend)) else (source, target)
                for source, target in direct]

    class StubbedImportMapper(import_mapper):
        direct = stubbed(import_mapper.direct)

        @mapping
        def country(self, record):
            return {'country_id': record.get('country_code') and 1}

        @mapping
        def categories(self, record):
            return {'category_id': [(6, 0, [len(record.get('category_names') or [])])]}

    class StubbedExportMapper(export_mapper):
        direct = stubbed(export_mapper.direct)

        @mapping
        def country(self, record):
            return {'country_code': None}

        @mapping
        def categories(self, record):
            return {'category_names': []}

    return StubbedImportMapper, StubbedExportMapper


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


def compare(label, contenders, rounds, repeat, count, import_ms):
    """Time compiled vs interpreted (and any other contender); print the saving."""
    times = per_record_times(contenders, rounds, repeat, count, label)
    medians = {name: statistics.median(values) * 1e6 for name, values in times.items()}
    savings = [(interpreted - compiled) * 1e6 for compiled, interpreted
               in zip(times['compiled'], times['interpreted'])]
    ratios = [interpreted / compiled for compiled, interpreted
              in zip(times['compiled'], times['interpreted'])]
    print('%s, median of %d rounds: %s' % (label, rounds, ', '.join(
        '%s %.2f us/record' % (name, medians[name]) for name, _function in contenders)))
    print('  interpreted/compiled %.2fx (rounds %.2fx .. %.2fx); compiled saves %.2f us/record '
          '(rounds %.2f .. %.2f)' % (statistics.median(ratios), min(ratios), max(ratios),
                                     statistics.median(savings), min(savings), max(savings)))
    if 'hand-written' in medians:
        print('  mapper/hand-written: compiled %.2fx, interpreted %.2fx' % (
            medians['compiled'] / medians['hand-written'],
            medians['interpreted'] / medians['hand-written']))
    if import_ms:
        print('  saving / example import time per record (%.1f ms): %.4f%%' % (
            import_ms, statistics.median(savings) / (import_ms * 1000) * 100))
    return statistics.median(savings)


def contenders_for(mapper, sources, options):
    from odoo.addons.connector.unit.mapper.map_record import MapOptions
    options = MapOptions(options)
    compiled = mapper._compiled[bool(options['for_create'])].function

    def by_compiled():
        return [compiled(mapper, mapper.map_record(source), options) for source in sources]

    def by_interpreter():
        return [mapper._apply(mapper.map_record(source), options) for source in sources]

    if by_compiled() != by_interpreter():
        raise SystemExit('%s: compiled and interpreted mappings disagree.'
                         % type(mapper).__name__)
    return [('compiled', by_compiled), ('interpreted', by_interpreter)]


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

    mapper = build_mapper_class()(ConnectorEnvironment(backend, session, 'res.partner'))
    records = make_records(args.records)
    if [mapper.map_record(record).values() for record in records] != [
            hand_map(record) for record in records]:
        raise SystemExit('The mapper and the hand-written function disagree.')
    contenders = contenders_for(mapper, records, {'for_create': False, 'fields': None})
    contenders.append(('hand-written', lambda: [hand_map(record) for record in records]))
    print('synthetic: %d records, 15-field ImportMapper' % len(records))
    compare('synthetic', contenders, args.rounds, args.repeat, len(records), args.import_ms)

    if 'example.backend' not in env:
        print('example: skipped (connector_example is not installed in this database)')
        return
    from odoo.addons.connector_example.units.export_mapper import PartnerExportMapper
    from odoo.addons.connector_example.units.import_mapper import PartnerImportMapper
    connector_env = ConnectorEnvironment(backend, session, 'example.res.partner')
    partners = remote_partners(args.example_records)
    bindings = example_bindings(env, backend, partners)
    create = {'for_create': True, 'fields': None}
    print('example: %d remote partners (%d companies), and their bindings' % (
        len(partners), sum(1 for partner in partners if partner['is_company'])))
    compare('example import', contenders_for(
        connector_env.get_connector_unit(PartnerImportMapper), partners, create),
        args.rounds, args.repeat, len(partners), args.import_ms)
    compare('example export', contenders_for(
        connector_env.get_connector_unit(PartnerExportMapper), bindings, create),
        args.rounds, args.repeat, len(bindings), args.import_ms)
    # The same mappers with their ORM lookups (country and category searches,
    # binder lookups) replaced by constants: what is left is the mapper's
    # own work, which the rounds above cannot resolve under the ORM's noise.
    import_stub, export_stub = stubbed_example_mappers(
        PartnerImportMapper, PartnerExportMapper)
    compare('example import, lookups stubbed', contenders_for(
        import_stub(connector_env), partners, create),
        args.rounds, args.repeat, len(partners), args.import_ms)
    compare('example export, lookups stubbed', contenders_for(
        export_stub(connector_env), bindings, create),
        args.rounds, args.repeat, len(bindings), args.import_ms)


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
                        help='the example import time per record, to express the saving in')
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
