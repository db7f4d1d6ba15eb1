# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Direct mappings and their modifiers: convert, none, m2o in both directions."""
from odoo.addons.connector.exception import MappingError
from odoo.addons.connector.unit.mapper import (ExportMapper, ImportMapper, backend_to_m2o, convert,
                                               m2o_to_backend, none)

from ..mappers import PartnerExportMapper, PartnerImportMapper
from .common import TestBackendCase


def external_partner(**values):
    """An external partner as the test backend sends it."""
    record = {'id': 'C-17', 'name': 'Acme Corp', 'email': 'info@acme.test', 'color': '3',
              'street': '1 Main St', 'city': 'LYON', 'parent': None, 'contacts': []}
    record.update(values)
    return record


class TestImportDirect(TestBackendCase):

    def setUp(self):
        super().setUp()
        self.mapper = self.connector_env(self.backend_v1).get_connector_unit(ImportMapper)

    def test_lookup_gives_registered_mapper(self):
        """The backend gives the ImportMapper registered for the binding model."""
        self.assertIsInstance(self.mapper, PartnerImportMapper)
        export = self.connector_env(self.backend_v1).get_connector_unit(ExportMapper)
        self.assertIsInstance(export, PartnerExportMapper)

    def test_plain_convert_and_none(self):
        """A field is copied, convert() converts, none() turns '' into None."""
        values = self.mapper.map_record(external_partner(email='')).values()
        self.assertEqual(values['name'], 'Acme Corp')
        self.assertEqual(values['color'], 3)
        self.assertIsNone(values['email'])
        values = self.mapper.map_record(external_partner()).values()
        self.assertEqual(values['email'], 'info@acme.test')

    def test_convert_keeps_missing_values(self):
        """convert() leaves None and False as they are instead of converting them."""
        for missing in (None, False):
            values = self.mapper.map_record(external_partner(color=missing)).values()
            self.assertIs(values['color'], missing)

    def test_none_around_convert(self):
        """none() wraps another modifier: none(convert('x', int)) maps '0' to None."""
        class AgeMapper(ImportMapper):
            _model_name = 'res.partner'
            direct = [(none(convert('age', int)), 'age')]
        mapper = AgeMapper(self.connector_env(self.backend_v1, 'res.partner'))
        self.assertEqual(mapper.map_record({'age': '0'}).values(), {'age': None})
        self.assertEqual(mapper.map_record({'age': '42'}).values(), {'age': 42})
        self.assertEqual(AgeMapper._direct_plan[0].source.source_field, 'age')

    def test_backend_to_m2o_unwraps_bound_partner(self):
        """An external id bound through TestBinder gives the Odoo partner's id."""
        parent = self.env['test.res.partner'].create({
            'name': 'Acme Holding', 'backend_id': self.backend_v1.id, 'external_id': 'C-1'})
        values = self.mapper.map_record(external_partner(parent='C-1')).values()
        self.assertEqual(values['parent_id'], parent.openerp_id.id)

    def test_backend_to_m2o_of_empty_id_is_false(self):
        """No parent on the backend gives False (the many2one is emptied)."""
        values = self.mapper.map_record(external_partner(parent=None)).values()
        self.assertIs(values['parent_id'], False)

    def test_backend_to_m2o_of_unbound_id_is_refused(self):
        """An external id not imported yet names backend, model, record and the id."""
        with self.assertRaises(MappingError) as caught:
            self.mapper.map_record(external_partner(parent='C-99')).values()
        self.assertEqual(
            str(caught.exception),
            "Backend 'Shop One' (test.backend,%d), PartnerImportMapper: cannot import "
            "test.res.partner 'C-17': field 'parent' refers to test.res.partner 'C-99', "
            "which is not imported yet on this backend (no binding). Import "
            "test.res.partner 'C-99' first: an importer imports the records a record "
            "depends on before it." % self.backend_v1.id)

    def test_backend_to_m2o_without_binding_uses_target_comodel(self):
        """Without binding=, the target field's model is the binding model: here it has
        no Binder, and the error says what to register."""
        class BackendMapper(ImportMapper):
            _model_name = 'test.res.partner'
            direct = [(backend_to_m2o('shop'), 'backend_id')]
        mapper = BackendMapper(self.connector_env(self.backend_v1))
        with self.assertRaises(MappingError) as caught:
            mapper.map_record({'id': 'C-17', 'shop': 'S-1'}).values()
        self.assertIn("backend_to_m2o('shop', binding=None) needs the Binder of test.backend, "
                      "and none is registered. Register a Binder for test.backend on the "
                      "backend, or give the modifier the binding model", str(caught.exception))

    def test_import_copies_values_as_given(self):
        """A plain direct mapping does not change falsy values."""
        class PlainMapper(ImportMapper):
            _model_name = 'res.partner'
            direct = [('ref', 'ref'), ('color', 'color')]
        mapper = PlainMapper(self.connector_env(self.backend_v1, 'res.partner'))
        self.assertEqual(mapper.map_record({'ref': '', 'color': 0}).values(),
                         {'ref': '', 'color': 0})

    def test_later_direct_mapping_wins_on_same_target(self):
        """Direct mappings apply in order: the last one for a target wins."""
        class TwiceMapper(ImportMapper):
            _model_name = 'res.partner'
            direct = [('name', 'name'), ('display', 'name')]
        mapper = TwiceMapper(self.connector_env(self.backend_v1, 'res.partner'))
        self.assertEqual(mapper.map_record({'name': 'a', 'display': 'b'}).values(),
                         {'name': 'b'})

    def test_hand_written_modifiers(self):
        """A plain function and a modifier subclass overriding __call__ are called;
        a function without source_field is left out by fields."""
        def initials(mapper, record, to_attr):
            return ''.join(word[0] for word in record['name'].split())

        class shout(none):
            def __call__(self, mapper, record, to_attr):
                return super().__call__(mapper, record, to_attr).upper()

        class HandMapper(ImportMapper):
            _model_name = 'res.partner'
            direct = [(initials, 'ref'), (shout('name'), 'name')]
        mapper = HandMapper(self.connector_env(self.backend_v1, 'res.partner'))
        map_record = mapper.map_record({'name': 'Acme Corp'})
        self.assertEqual(map_record.values(), {'ref': 'AC', 'name': 'ACME CORP'})
        self.assertEqual(map_record.values(fields=['name']), {'name': 'ACME CORP'})

    def test_modifier_repr(self):
        """Modifiers show how they were built, for error messages."""
        self.assertEqual(repr(none(convert('qty', float))), "none(convert('qty', float))")
        self.assertEqual(repr(m2o_to_backend('parent_id', binding='test.res.partner')),
                         "m2o_to_backend('parent_id', binding='test.res.partner')")

    def test_modifier_refuses_bad_source(self):
        """A modifier built on something that is neither a field nor a modifier is refused."""
        with self.assertRaises(TypeError) as caught:
            none(42)
        self.assertEqual(str(caught.exception),
                         'none() expects a field name or a modifier, got 42')


class TestExportDirect(TestBackendCase):

    def setUp(self):
        super().setUp()
        self.mapper = self.connector_env(self.backend_v1).get_connector_unit(ExportMapper)
        self.binding = self.env['test.res.partner'].create({
            'name': 'Acme Corp', 'email': False, 'color': 5, 'backend_id': self.backend_v1.id,
            'external_id': 'C-17', 'street': '1 Main St', 'city': 'Lyon'})

    def test_plain_convert_and_none(self):
        """An export copies fields, converts with convert(), gives None for empty fields."""
        values = self.mapper.map_record(self.binding).values()
        self.assertEqual(values['name'], 'Acme Corp')
        self.assertEqual(values['color'], '5')
        self.assertIsNone(values['email'])

    def test_m2o_to_backend_wraps_bound_parent(self):
        """A parent bound on the backend exports as its external id."""
        parent = self.env['test.res.partner'].create({
            'name': 'Acme Holding', 'backend_id': self.backend_v1.id, 'external_id': 'C-1'})
        self.binding.parent_id = parent.openerp_id
        values = self.mapper.map_record(self.binding).values()
        self.assertEqual(values['parent'], 'C-1')

    def test_m2o_to_backend_of_empty_many2one_is_none(self):
        """No parent exports as None."""
        self.assertIsNone(self.mapper.map_record(self.binding).values()['parent'])

    def test_m2o_to_backend_of_unbound_record_is_refused(self):
        """A parent without external id names the record and says to export it first."""
        parent = self.env['res.partner'].create({'name': 'Initech'})
        self.binding.parent_id = parent
        with self.assertRaises(MappingError) as caught:
            self.mapper.map_record(self.binding).values()
        self.assertEqual(
            str(caught.exception),
            "Backend 'Shop One' (test.backend,%d), PartnerExportMapper: cannot export "
            "test.res.partner,%d (external id 'C-17'): field 'parent_id' refers to "
            "res.partner,%d, which has no external id on this backend (looked up in "
            "test.res.partner). Export res.partner,%d first: an exporter exports the "
            "records a record depends on before it."
            % (self.backend_v1.id, self.binding.id, parent.id, parent.id))
