# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mapping methods: changed_by, only_create, options, update(), finalize, inheritance."""
from odoo.addons.connector.unit.mapper import (ExportMapper, ImportMapper, MapOptions, changed_by,
                                               mapping)

from ..mappers import PartnerExportMapper, PartnerImportMapper
from .common import TestBackendCase
from .test_mapper_direct import external_partner


class TestImportMethods(TestBackendCase):

    def setUp(self):
        super().setUp()
        self.mapper = self.connector_env(self.backend_v1).get_connector_unit(ImportMapper)

    def test_mapping_methods_add_their_values(self):
        """Each @mapping method's dict joins the direct mappings' values."""
        values = self.mapper.map_record(external_partner()).values()
        self.assertEqual(values, {
            'name': 'Acme Corp', 'email': 'info@acme.test', 'color': 3, 'parent_id': False,
            'street': '1 Main St', 'city': 'Lyon', 'child_ids': []})

    def test_only_create(self):
        """An @only_create method runs only for values(for_create=True)."""
        map_record = self.mapper.map_record(external_partner())
        self.assertNotIn('customer', map_record.values())
        self.assertNotIn('customer', map_record.values(for_create=False))
        self.assertIs(map_record.values(for_create=True)['customer'], True)

    def test_update_wins_over_mapped_values(self):
        """update() adds values, and they win over the mapped ones."""
        map_record = self.mapper.map_record(external_partner())
        map_record.update({'name': 'Forced'}, backend_id=self.backend_v1.id)
        map_record.update(ref='R-1')
        values = map_record.values(for_create=True)
        self.assertEqual((values['name'], values['backend_id'], values['ref']),
                         ('Forced', self.backend_v1.id, 'R-1'))
        self.assertEqual(map_record.source['name'], 'Acme Corp')

    def test_values_create_a_binding(self):
        """The values of an import create the binding as they are."""
        map_record = self.mapper.map_record(external_partner(email=''))
        map_record.update(backend_id=self.backend_v1.id)
        binding = self.env['test.res.partner'].create(map_record.values(for_create=True))
        self.assertEqual((binding.name, binding.city, binding.color, binding.email,
                          binding.customer), ('Acme Corp', 'Lyon', 3, False, True))

    def test_options_reach_mapping_methods(self):
        """Options given to values() are read in self.options during that call only."""
        map_record = self.mapper.map_record(external_partner())
        self.assertEqual(map_record.values(note='imported by the nightly job')['comment'],
                         'imported by the nightly job')
        self.assertNotIn('comment', map_record.values())
        self.assertEqual(dict(self.mapper.options), {})
        self.assertIsNone(self.mapper.options.note)

    def test_options_are_read_only(self):
        """A mapping method cannot change the options of the call."""
        seen = []

        class SpyMapper(ImportMapper):
            _model_name = 'res.partner'

            @mapping
            def spy(self, record):
                seen.append(dict(self.options))
                try:
                    self.options['for_create'] = False
                except TypeError as err:
                    seen.append(str(err))
                return None
        mapper = SpyMapper(self.connector_env(self.backend_v1, 'res.partner'))
        mapper.map_record({}).values(for_create=True, channel='web')
        self.assertEqual(seen, [{'for_create': True, 'fields': None, 'channel': 'web'},
                                'MapOptions are read-only: pass options to values(...) instead.'])
        self.assertIsInstance(mapper.options, MapOptions)

    def test_finalize_gives_the_final_values(self):
        """finalize() sees every mapped value and returns the final dict; update() wins."""
        class FinalMapper(PartnerImportMapper):
            def finalize(self, map_record, values):
                values = dict(values, display_name='%s (%s)' % (values['name'], values['city']))
                values.pop('child_ids')
                return values
        mapper = FinalMapper(self.connector_env(self.backend_v1))
        map_record = mapper.map_record(external_partner())
        values = map_record.values()
        self.assertEqual(values['display_name'], 'Acme Corp (Lyon)')
        self.assertNotIn('child_ids', values)
        map_record.update(display_name='Forced')
        self.assertEqual(map_record.values()['display_name'], 'Forced')


class TestInheritance(TestBackendCase):

    def connector_env_v1(self):
        return self.connector_env(self.backend_v1)

    def test_subclass_extends_methods_and_direct(self):
        """A subclass adds mapping methods and extends direct explicitly."""
        class RichMapper(PartnerImportMapper):
            direct = PartnerImportMapper.direct + [('phone', 'phone')]

            @mapping
            def website(self, record):
                return {'website': 'https://%s' % record['domain']}
        mapper = RichMapper(self.connector_env_v1())
        values = mapper.map_record(external_partner(phone='+33 1', domain='acme.test')).values()
        self.assertEqual((values['phone'], values['website'], values['name'], values['city']),
                         ('+33 1', 'https://acme.test', 'Acme Corp', 'Lyon'))
        self.assertEqual(list(RichMapper._map_methods),
                         ['address', 'customer', 'comment', 'website'])

    def test_subclass_direct_replaces_parent_direct(self):
        """Setting direct on a subclass replaces the parent's list (a class attribute)."""
        class NameOnlyMapper(PartnerImportMapper):
            direct = [('name', 'name')]
            children = []
        values = NameOnlyMapper(self.connector_env_v1()).map_record({
            'id': 'C-1', 'name': 'Ann', 'street': 'x', 'city': 'y'}).values()
        self.assertEqual(values, {'name': 'Ann', 'street': 'x', 'city': 'Y'})

    def test_subclass_replaces_a_method(self):
        """A method of the same name replaces the parent's; super() still works."""
        class UpperCityMapper(PartnerImportMapper):
            def address(self, record):
                values = super().address(record)
                values['city'] = values['city'].upper()
                return values
        values = UpperCityMapper(self.connector_env_v1()).map_record(
            external_partner()).values()
        self.assertEqual(values['city'], 'LYON')
        self.assertIn('address', UpperCityMapper._map_methods)

    def test_replacing_method_keeps_changed_by_and_can_add(self):
        """An override keeps the parent's changed_by fields; a new @changed_by adds to them."""
        class ZipMapper(PartnerExportMapper):
            @changed_by('zip')
            @mapping
            def address(self, record):
                return {'address': record.zip}

        class PlainOverride(PartnerExportMapper):
            def address(self, record):
                return {'address': 'same'}
        self.assertEqual(ZipMapper._map_methods['address'].changed_by,
                         {'street', 'city', 'zip'})
        self.assertEqual(PlainOverride._map_methods['address'].changed_by, {'street', 'city'})

    def test_subclass_drops_a_method_with_none(self):
        """Setting a mapping method's name to None removes the mapping."""
        class NoCustomerMapper(PartnerImportMapper):
            customer = None
        values = NoCustomerMapper(self.connector_env_v1()).map_record(
            external_partner()).values(for_create=True)
        self.assertNotIn('customer', values)
        self.assertIn('customer', PartnerImportMapper._map_methods)


class TestExportChangedBy(TestBackendCase):

    def setUp(self):
        super().setUp()
        self.mapper = self.connector_env(self.backend_v1).get_connector_unit(ExportMapper)
        self.binding = self.env['test.res.partner'].create({
            'name': 'Acme Corp', 'email': 'info@acme.test', 'backend_id': self.backend_v1.id,
            'external_id': 'C-17', 'street': '1 Main St', 'city': 'Lyon', 'color': 2})
        self.map_record = self.mapper.map_record(self.binding)

    def test_without_fields_everything_is_mapped(self):
        """Without fields, every direct mapping and method is applied (changed_by or not)."""
        self.assertEqual(self.map_record.values(), {
            'name': 'Acme Corp', 'email': 'info@acme.test', 'color': '2', 'parent': None,
            'address': '1 Main St, Lyon', 'kind': 'person', 'contacts': []})

    def test_fields_select_direct_mappings_and_changed_by_methods(self):
        """With fields, only direct mappings reading them and methods changed by them run;
        methods without changed_by do not run."""
        self.assertEqual(self.map_record.values(fields=['city']),
                         {'address': '1 Main St, Lyon'})
        self.assertEqual(self.map_record.values(fields=['email', 'parent_id']),
                         {'email': 'info@acme.test', 'parent': None})
        self.assertEqual(self.map_record.values(fields=['comment']), {})

    def test_only_create_with_changed_by(self):
        """An only_create method with changed_by needs both the creation and its field."""
        self.assertEqual(self.map_record.values(for_create=True, fields=['name']),
                         {'name': 'Acme Corp', 'origin': 'odoo'})
        self.assertEqual(self.map_record.values(fields=['name']), {'name': 'Acme Corp'})
        self.assertEqual(self.map_record.values(for_create=True)['origin'], 'odoo')

    def test_empty_fields_maps_everything(self):
        """An empty fields list counts as no filter, as in the classic connector."""
        self.assertEqual(self.map_record.values(fields=[]), self.map_record.values())
