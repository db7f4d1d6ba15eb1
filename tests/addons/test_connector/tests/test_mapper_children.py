# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Children: a partner's contacts mapped as child_ids lines, both directions."""
from odoo.addons.connector.unit.mapper import ExportMapper, ImportMapChild, ImportMapper, mapping

from ..mappers import ContactImportMapChild, PartnerImportMapper
from .common import TestBackendCase
from .test_mapper_direct import external_partner

CONTACTS = [
    {'id': 'C-17-1', 'name': 'Ann Smith', 'email': 'ann@acme.test'},
    {'id': 'C-17-2', 'name': 'Bob Jones', 'email': ''},
    {'id': 'C-17-3', 'name': 'Gone Away', 'email': '', 'deleted': True},
]


class TestImportChildren(TestBackendCase):

    def setUp(self):
        super().setUp()
        self.mapper = self.connector_env(self.backend_v1).get_connector_unit(ImportMapper)
        self.map_record = self.mapper.map_record(external_partner(contacts=CONTACTS))

    def test_children_on_create(self):
        """Contacts become (0, 0, values) lines, mapped for creation; deleted ones skipped."""
        values = self.map_record.values(for_create=True)
        self.assertEqual(values['child_ids'], [
            (0, 0, {'name': 'Ann Smith', 'email': 'ann@acme.test', 'type': 'contact'}),
            (0, 0, {'name': 'Bob Jones', 'email': None, 'type': 'contact'}),
        ])
        self.map_record.update(backend_id=self.backend_v1.id)
        binding = self.env['test.res.partner'].create(self.map_record.values(for_create=True))
        self.assertEqual(binding.child_ids.mapped('name'), ['Ann Smith', 'Bob Jones'])

    def test_children_on_update(self):
        """On an update the lines are still creations: they are added to the partner."""
        without_contacts = self.mapper.map_record(external_partner())
        without_contacts.update(backend_id=self.backend_v1.id)
        binding = self.env['test.res.partner'].create(without_contacts.values(for_create=True))
        self.assertFalse(binding.child_ids)
        values = self.map_record.values()
        self.assertNotIn('customer', values)
        self.assertEqual([line[2]['type'] for line in values['child_ids']],
                         ['contact', 'contact'])
        binding.write(values)
        self.assertEqual(sorted(binding.child_ids.mapped('name')), ['Ann Smith', 'Bob Jones'])

    def test_registered_map_child_is_used(self):
        """The MapChild registered for the child model is the one used."""
        self.assertIsInstance(self.mapper._map_child_unit('res.partner'), ContactImportMapChild)

    def test_default_map_child_without_registration(self):
        """A child model without a registered MapChild uses the default ImportMapChild."""
        class TagMapper(ImportMapper):
            _model_name = 'res.partner.category'
            direct = [('name', 'name')]
        mapper = TagMapper(self.connector_env(self.backend_v1, 'res.partner.category'))
        unit = self.mapper._map_child_unit('res.partner.category')
        self.assertIs(type(unit), ImportMapChild)
        unit._cached_mapper = mapper
        self.assertEqual(unit.get_items([{'name': 'VIP'}], None, 'category_id', {}),
                         [(0, 0, {'name': 'VIP'})])

    def test_items_know_their_parent_and_options(self):
        """skip_item sees the parent's MapRecord; get_item_values gets the parent's options."""
        seen = []

        class SpyMapChild(ContactImportMapChild):
            def skip_item(self, map_record):
                seen.append(map_record.parent.source['id'])
                return super().skip_item(map_record)

            def get_item_values(self, map_record, to_attr, options):
                seen.append((to_attr, options.note))
                return super().get_item_values(map_record, to_attr, options)

        class SpyMapper(PartnerImportMapper):
            _map_child_class = SpyMapChild
        # SpyMapChild is not registered: the mapper falls back to an instance of it.
        mapper = SpyMapper(self.connector_env(self.backend_v1))
        mapper.map_record(external_partner(contacts=CONTACTS)).values(note='n')
        self.assertEqual(seen, ['C-17', ('child_ids', 'n'), 'C-17', ('child_ids', 'n'),
                                'C-17'])

    def test_children_filtered_by_fields(self):
        """With fields, children are mapped only when their source field is listed."""
        self.assertEqual(self.map_record.values(fields=['name']), {'name': 'Acme Corp'})
        self.assertEqual(len(self.map_record.values(fields=['contacts'])['child_ids']), 2)


class TestExportChildren(TestBackendCase):

    def test_contacts_export_as_list_of_dicts(self):
        """An export maps child_ids with the contacts' ExportMapper: a list of dicts."""
        binding = self.env['test.res.partner'].create({
            'name': 'Acme Corp', 'backend_id': self.backend_v1.id, 'is_company': True,
            'child_ids': [(0, 0, {'name': 'Ann Smith', 'email': 'ann@acme.test'}),
                          (0, 0, {'name': 'Bob Jones'})]})
        mapper = self.connector_env(self.backend_v1).get_connector_unit(ExportMapper)
        values = mapper.map_record(binding).values()
        self.assertEqual(sorted(values['contacts'], key=lambda item: item['name']), [
            {'name': 'Ann Smith', 'email': 'ann@acme.test'},
            {'name': 'Bob Jones', 'email': None}])
        self.assertEqual(values['kind'], 'company')
        self.assertEqual(mapper.map_record(binding).values(fields=['child_ids']),
                         {'contacts': values['contacts']})

    def test_export_children_mapped_whole_when_fields_given(self):
        """The parent's fields name parent fields: the lines are mapped whole."""
        binding = self.env['test.res.partner'].create({
            'name': 'Acme Corp', 'backend_id': self.backend_v1.id,
            'child_ids': [(0, 0, {'name': 'Ann Smith'})]})

        class ContactMapper(ExportMapper):
            _model_name = 'res.partner'
            direct = [('name', 'name')]

            @mapping
            def kind(self, record):
                return {'kind': 'contact'}
        mapper = self.connector_env(self.backend_v1).get_connector_unit(ExportMapper)
        unit = mapper._map_child_unit('res.partner')
        unit._cached_mapper = ContactMapper(self.connector_env(self.backend_v1, 'res.partner'))
        self.assertEqual(mapper.map_record(binding).values(fields=['child_ids']),
                         {'contacts': [{'name': 'Ann Smith', 'kind': 'contact'}]})
