# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The example's mappers, on remote records as the adapter gives them."""
from odoo.tests import common

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.exception import MappingError
from odoo.addons.connector.session import ConnectorSession

from ..units.binder import ExampleBinder
from ..units.export_mapper import PartnerExportMapper
from ..units.import_mapper import PartnerImportMapper


def remote_partner(**values):
    record = {'id': '17', 'name': 'Agrolait', 'type': 'contact', 'email': 'info@agrolait.example',
              'phone': False, 'street': '69 rue de Namur', 'city': 'Wavre', 'zip': '1300',
              'is_company': True, 'active': True, 'parent_id': None, 'country_code': 'BE',
              'category_names': ['Wholesale'], 'write_date': '2026-01-01 10:00:00'}
    record.update(values)
    return record


class ExampleCase(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.backend = self.env['example.backend'].create({
            'name': 'Head office', 'url': 'http://localhost:1', 'database': 'remote',
            'login': 'admin', 'password': 'secret'})
        self.connector_env = ConnectorEnvironment(
            self.backend, ConnectorSession.from_env(self.env), 'example.res.partner')

    def unit(self, unit_class):
        return self.connector_env.get_connector_unit(unit_class)


class TestImportMapper(ExampleCase):

    def test_values_for_create(self):
        """A remote company maps to local values, country by code, category by name."""
        wholesale = self.env['res.partner.category'].create({'name': 'Wholesale'})
        values = self.unit(PartnerImportMapper).map_record(remote_partner()).values(
            for_create=True)
        self.assertEqual(values, {
            'name': 'Agrolait', 'type': 'contact', 'email': 'info@agrolait.example', 'phone': None,
            'street': '69 rue de Namur', 'city': 'Wavre', 'zip': '1300', 'is_company': True,
            'active': True, 'parent_id': False, 'country_id': self.env.ref('base.be').id,
            'category_id': [(6, 0, [wholesale.id])]})

    def test_unknown_category_is_created(self):
        """A category name unknown locally creates the category."""
        values = self.unit(PartnerImportMapper).map_record(
            remote_partner(category_names=['Prospect 2026'])).values()
        category = self.env['res.partner.category'].browse(values['category_id'][0][2])
        self.assertEqual(category.name, 'Prospect 2026')

    def test_parent_through_its_binding(self):
        """The remote parent id becomes the local partner bound to it."""
        parent = self.env['example.res.partner'].create({
            'name': 'Agrolait', 'backend_id': self.backend.id})
        self.unit(ExampleBinder).bind('17', parent)
        values = self.unit(PartnerImportMapper).map_record(
            remote_partner(id='18', name='Ann', is_company=False, parent_id='17')).values()
        self.assertEqual(values['parent_id'], parent.openerp_id.id)

    def test_unbound_parent_is_a_mapping_error(self):
        """A parent that was not imported first is refused with its id."""
        with self.assertRaises(MappingError) as caught:
            self.unit(PartnerImportMapper).map_record(remote_partner(parent_id='404')).values()
        self.assertIn("'404'", str(caught.exception))
        self.assertIn('Head office', str(caught.exception))

    def test_unknown_country_is_a_mapping_error(self):
        """A country code unknown here names the backend, the partner and the code."""
        with self.assertRaises(MappingError) as caught:
            self.unit(PartnerImportMapper).map_record(remote_partner(country_code='XX')).values()
        self.assertIn("Backend 'Head office': remote partner 17 has country code 'XX', "
                      "unknown here", str(caught.exception))


class TestExportMapper(ExampleCase):

    def setUp(self):
        super().setUp()
        self.company = self.env['example.res.partner'].create({
            'name': 'Camptown', 'is_company': True, 'backend_id': self.backend.id,
            'country_id': self.env.ref('base.fr').id,
            'category_id': [(0, 0, {'name': 'Retail'}), (0, 0, {'name': 'Export'})]})
        self.unit(ExampleBinder).bind('40', self.company)

    def test_values_for_create(self):
        """A binding maps to remote values with country code and category names."""
        contact = self.env['example.res.partner'].create({
            'name': 'Jo', 'email': 'jo@camptown.example', 'backend_id': self.backend.id,
            'parent_id': self.company.openerp_id.id})
        values = self.unit(PartnerExportMapper).map_record(contact).values(for_create=True)
        self.assertEqual(values['parent_id'], '40')
        self.assertEqual(values['email'], 'jo@camptown.example')
        self.assertEqual(values['country_code'], 'FR')
        self.assertEqual(values['category_names'], [])

    def test_changed_fields_only(self):
        """With fields, only what those fields map to is sent."""
        mapper = self.unit(PartnerExportMapper)
        self.assertEqual(mapper.map_record(self.company).values(fields=['category_id']),
                         {'category_names': ['Export', 'Retail']})
        self.assertEqual(mapper.map_record(self.company).values(fields=['country_id']),
                         {'country_code': 'FR'})
        self.assertEqual(mapper.map_record(self.company).values(fields=['city']),
                         {'city': False})
