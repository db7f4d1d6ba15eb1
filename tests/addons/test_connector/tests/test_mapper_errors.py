# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad input: each mapping error names backend, mapper, model, record and field or method."""
from odoo.addons.connector.exception import MappingError, NoConnectorUnitError, RetryableJobError
from odoo.addons.connector.unit.mapper import (ExportMapper, ImportMapper, changed_by, convert,
                                               mapping)

from ..mappers import PartnerExportMapper, PartnerImportMapper
from .common import TestBackendCase
from .test_mapper_direct import external_partner


class TestMappingErrors(TestBackendCase):

    def setUp(self):
        super().setUp()
        self.prefix = "Backend 'Shop One' (test.backend,%d), " % self.backend_v1.id
        self.env_v1 = self.connector_env(self.backend_v1)

    def test_method_raising_is_wrapped(self):
        """An exception in a mapping method becomes a MappingError naming the method."""
        class BrokenMapper(PartnerImportMapper):
            @mapping
            def address(self, record):
                return {'city': record['city'].title()}
        with self.assertRaises(MappingError) as caught:
            BrokenMapper(self.env_v1).map_record(external_partner(city=None)).values()
        self.assertEqual(
            str(caught.exception), self.prefix +
            "BrokenMapper: cannot import test.res.partner 'C-17': mapping method 'address' "
            "raised AttributeError: 'NoneType' object has no attribute 'title'. Fix the "
            "source record, or make BrokenMapper.address handle it.")
        self.assertIsInstance(caught.exception.__cause__, AttributeError)

    def test_method_errors_with_fields(self):
        """With fields (an export of changed fields), method errors get the same messages."""
        class BrokenExportMapper(PartnerExportMapper):
            @mapping
            def address(self, record):
                return {'address': record.street.upper()}

            @changed_by('name')
            @mapping
            def name_list(self, record):
                return ['name']
        binding = self.env['test.res.partner'].create({
            'name': 'Acme Corp', 'backend_id': self.backend_v1.id, 'external_id': 'C-17'})
        map_record = BrokenExportMapper(self.env_v1).map_record(binding)
        label = "BrokenExportMapper: cannot export test.res.partner,%d (external id 'C-17'): " % (
            binding.id)
        with self.assertRaises(MappingError) as caught:
            map_record.values(fields=['street'])
        self.assertEqual(
            str(caught.exception), self.prefix + label +
            "mapping method 'address' raised AttributeError: 'bool' object has no attribute "
            "'upper'. Fix the source record, or make BrokenExportMapper.address handle it.")
        with self.assertRaises(MappingError) as caught:
            map_record.values(fields=['name'])
        self.assertEqual(
            str(caught.exception), self.prefix + label +
            "mapping method 'name_list' returned ['name']. A mapping method returns a dict "
            "of values, or None.")

    def test_finalize_raising_is_wrapped(self):
        """An exception in finalize() names the hook."""
        class FinalMapper(PartnerImportMapper):
            def finalize(self, map_record, values):
                return dict(values, name=values['name'] + 1)
        for fields in (None, ['name']):
            with self.assertRaises(MappingError) as caught:
                FinalMapper(self.env_v1).map_record(external_partner()).values(fields=fields)
            self.assertEqual(
                str(caught.exception), self.prefix +
                "FinalMapper: cannot import test.res.partner 'C-17': finalize() raised "
                "TypeError: can only concatenate str (not \"int\") to str. Fix "
                "FinalMapper.finalize.")

    def test_children_that_are_not_lines(self):
        """Children whose source is not a list of lines name the source field."""
        map_record = PartnerImportMapper(self.env_v1).map_record(external_partner(contacts=5))
        for fields in (None, ['contacts']):
            with self.assertRaises(MappingError) as caught:
                map_record.values(fields=fields)
            self.assertEqual(
                str(caught.exception), self.prefix +
                "PartnerImportMapper: cannot import test.res.partner 'C-17': the lines of "
                "'contacts' raised TypeError: 'int' object is not iterable. Fix the source "
                "record, or the MapChild of these lines.")

    def test_retryable_error_passes_through(self):
        """A RetryableJobError from a mapping method is not wrapped: the job retries."""
        class NetworkMapper(ImportMapper):
            _model_name = 'res.partner'

            @mapping
            def remote(self, record):
                raise RetryableJobError('backend unreachable')
        with self.assertRaises(RetryableJobError):
            NetworkMapper(self.env_v1).map_record({}).values()

    def test_method_returning_a_non_dict_is_refused(self):
        """A mapping method returning something else than a dict or None is refused."""
        class ListMapper(ImportMapper):
            _model_name = 'test.res.partner'

            @mapping
            def name(self, record):
                return [('name', record['name'])]
        for source in ({'id': 'C-17', 'name': 'Acme'}, {'name': 'Acme'}):
            with self.assertRaises(MappingError) as caught:
                ListMapper(self.env_v1).map_record(source).values()
        self.assertEqual(
            str(caught.exception), self.prefix +
            "ListMapper: cannot import test.res.partner (external record without 'id'): "
            "mapping method 'name' returned [('name', 'Acme')]. A mapping method returns "
            "a dict of values, or None.")

    def test_import_of_record_missing_a_field(self):
        """An external record without a key of a direct mapping is refused."""
        record = external_partner()
        del record['email']
        with self.assertRaises(MappingError) as caught:
            PartnerImportMapper(self.env_v1).map_record(record).values()
        self.assertEqual(
            str(caught.exception), self.prefix +
            "PartnerImportMapper: cannot import test.res.partner 'C-17': the external record "
            "has no field 'email' (mapped to 'email'). Fix the record on the backend, or "
            "map 'email' with a @mapping method that accepts its absence.")
        del record['name']
        with self.assertRaises(MappingError) as caught:
            PartnerImportMapper(self.env_v1).map_record(record).values()
        self.assertIn("has no field 'name' (mapped to 'name')", str(caught.exception))

    def test_convert_of_bad_value(self):
        """A value convert() cannot convert names the field and the value."""
        with self.assertRaises(MappingError) as caught:
            PartnerImportMapper(self.env_v1).map_record(external_partner(color='red')).values()
        self.assertEqual(
            str(caught.exception), self.prefix +
            "PartnerImportMapper: cannot import test.res.partner 'C-17': field 'color': "
            "cannot convert 'red' to int (invalid literal for int() with base 10: 'red'). "
            "Fix the value on the source side, or map the field with a @mapping method "
            "that accepts it.")

    def test_export_of_field_not_on_model(self):
        """A direct mapping on a field the model does not have is refused on export."""
        class TypoMapper(PartnerExportMapper):
            direct = PartnerExportMapper.direct + [('emial', 'email2')]
        binding = self.env['test.res.partner'].create({
            'name': 'Acme Corp', 'backend_id': self.backend_v1.id})
        with self.assertRaises(MappingError) as caught:
            TypoMapper(self.env_v1).map_record(binding).values(fields=['name'])
        self.assertEqual(
            str(caught.exception), self.prefix +
            "TypoMapper: cannot export test.res.partner,%d (not exported yet): "
            "test.res.partner has no field 'emial' (mapped to 'email2'). Fix the mappings "
            "of TypoMapper." % binding.id)

    def test_export_of_missing_field_through_modifier(self):
        """A modifier reading a field the model does not have gives the same message."""
        class TypoMapper(ExportMapper):
            _model_name = 'test.res.partner'
            direct = [(convert('colour', str), 'color')]
        binding = self.env['test.res.partner'].create({
            'name': 'Acme Corp', 'backend_id': self.backend_v1.id, 'external_id': 'C-5'})
        with self.assertRaises(MappingError) as caught:
            TypoMapper(self.env_v1).map_record(binding).values()
        self.assertIn("cannot export test.res.partner,%d (external id 'C-5'): "
                      "test.res.partner has no field 'colour' (mapped to 'color')" % binding.id,
                      str(caught.exception))

    def test_export_of_relational_field_without_modifier(self):
        """A plain direct mapping of a many2one is refused: a record cannot be sent."""
        class RawParentMapper(ExportMapper):
            _model_name = 'test.res.partner'
            direct = [('parent_id', 'parent')]
        binding = self.env['test.res.partner'].create({
            'name': 'Acme Corp', 'backend_id': self.backend_v1.id})
        with self.assertRaises(MappingError) as caught:
            RawParentMapper(self.env_v1).map_record(binding).values()
        self.assertIn("field 'parent_id' is a many2one: the direct mapping 'parent_id' -> "
                      "'parent' would send a record. Use (m2o_to_backend('parent_id', "
                      "binding=...), 'parent') for a many2one", str(caught.exception))

    def test_child_mapper_not_registered(self):
        """Children of a model without a registered mapper name the model and the fix."""
        class TagsMapper(ImportMapper):
            _model_name = 'test.res.partner'
            children = [('tags', 'category_id', 'res.partner.category')]
        with self.assertRaises(MappingError) as caught:
            TagsMapper(self.env_v1).map_record({'id': 'C-17', 'tags': [{'name': 'VIP'}]}).values()
        message = str(caught.exception)
        self.assertTrue(message.startswith(
            self.prefix + "TagsMapper: cannot import test.res.partner 'C-17': the lines of "
            "'tags' (-> 'category_id') need the ImportMapper of res.partner.category, and "
            "none is registered: No ImportMapper for model 'res.partner.category' on "
            "Backend('test_connector', '1.0')"), message)
        self.assertTrue(message.endswith(
            "Register an ImportMapper with _model_name = 'res.partner.category' on the "
            "backend."), message)
        self.assertIsInstance(caught.exception.__cause__, NoConnectorUnitError)

    def test_children_source_missing(self):
        """An external record without the children's key is refused like a direct field."""
        record = external_partner()
        del record['contacts']
        with self.assertRaises(MappingError) as caught:
            PartnerImportMapper(self.env_v1).map_record(record).values()
        self.assertIn("the external record has no field 'contacts' (mapped to 'child_ids')",
                      str(caught.exception))

    def test_malformed_declarations_are_refused_at_class_creation(self):
        """A direct or children entry of the wrong shape is refused when the class is made."""
        with self.assertRaises(MappingError) as caught:
            class BadDirect(ImportMapper):
                _model_name = 'res.partner'
                direct = [('name', 'name'), ('email',)]
        self.assertEqual(
            str(caught.exception),
            "BadDirect.direct[1] is ('email',): each direct mapping is a (source, target) "
            "pair, source a field name or a modifier such as convert('qty', float), target "
            "a field name.")
        with self.assertRaises(MappingError) as caught:
            class BadChildren(ImportMapper):
                _model_name = 'res.partner'
                children = [('contacts', 'child_ids')]
        self.assertIn("BadChildren.children[0] is ('contacts', 'child_ids')",
                      str(caught.exception))

    def test_nothing_is_written(self):
        """A failed mapping leaves the database as it was."""
        count = self.env['res.partner'].search_count([])
        with self.assertRaises(MappingError):
            PartnerImportMapper(self.env_v1).map_record(
                external_partner(contacts=[{'id': 'x', 'name': 'Ann', 'email': ''}],
                                 color='red')).values(for_create=True)
        self.assertEqual(self.env['res.partner'].search_count([]), count)
