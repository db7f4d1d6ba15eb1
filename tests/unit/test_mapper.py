# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The mapper DSL on dict records: decorators, modifiers, MapRecord and the Mapper itself.

An ImportMapper maps an external record, a dict: with direct mappings,
modifiers and mapping methods it needs no ORM, so it runs here on a fake
connector environment (backend record named 'Shop'). Children, the
binder-backed modifiers and the ExportMapper read Odoo records: they are
tested under Odoo (tests/addons/test_connector).
"""
import pytest

from odoo.addons.connector.exception import MappingError
from odoo.addons.connector.unit.mapper import (ImportMapper, MapOptions, Modifier, changed_by,
                                               convert, mapping, none, only_create)

from fakes import fake_connector_env

PREFIX = "Backend 'Shop' (shop.backend,3), %s: cannot import shop.res.partner 'C-17': "


class CustomerMapper(ImportMapper):
    _model_name = 'shop.res.partner'
    direct = [('name', 'name'), (none('email'), 'email'), (convert('points', int), 'points')]

    @changed_by('street', 'city')
    @mapping
    def address(self, record):
        return {'street': record['street'], 'city': record['city'].title()}

    @only_create
    @mapping
    def customer(self, record):
        return {'customer': True}

    @mapping
    def note(self, record):
        return None  # nothing to add


def customer(**values):
    record = {'id': 'C-17', 'name': 'Acme Corp', 'email': '', 'points': '12',
              'street': '1 Main St', 'city': 'LYON'}
    record.update(values)
    return record


def mapped(mapper_class, record, **options):
    return mapper_class(fake_connector_env()).map_record(record).values(**options)


def mapping_error(mapper_class, record, **options):
    with pytest.raises(MappingError) as caught:
        mapped(mapper_class, record, **options)
    return str(caught.value)


# -- decorators -------------------------------------------------------------

def test_decorators_mark_the_function_and_return_it():
    """@mapping, @changed_by and @only_create only set attributes, in any order."""
    def method(self, record):
        return {}
    assert only_create(changed_by('a', 'b')(mapping(method))) is method
    assert (method.is_mapping, method.changed_by, method.only_create) == (
        True, frozenset({'a', 'b'}), True)


# -- the mapping as a whole -------------------------------------------------

def test_update_values_apply_direct_modifiers_and_methods_not_only_create():
    """An update gets the direct mappings and the mapping methods, not @only_create ones."""
    assert mapped(CustomerMapper, customer()) == {
        'name': 'Acme Corp', 'email': None, 'points': 12, 'street': '1 Main St',
        'city': 'Lyon'}


def test_create_values_also_apply_only_create_methods():
    """for_create=True adds the @only_create mapping methods."""
    assert mapped(CustomerMapper, customer(), for_create=True)['customer'] is True


def test_fields_select_direct_mappings_and_methods_changed_by_them():
    """values(fields=[...]) applies only what reads those fields."""
    assert mapped(CustomerMapper, customer(), fields=['city']) == {
        'street': '1 Main St', 'city': 'Lyon'}
    assert mapped(CustomerMapper, customer(), fields=['email', 'points']) == {
        'email': None, 'points': 12}
    assert mapped(CustomerMapper, customer(), fields=['fax']) == {}


def test_empty_fields_list_applies_everything():
    """fields=[] means no restriction, as the classic connector did."""
    assert mapped(CustomerMapper, customer(), fields=[]) == mapped(CustomerMapper, customer())


def test_forced_values_win_over_mapped_ones():
    """MapRecord.update() values are applied last, whatever the options."""
    map_record = CustomerMapper(fake_connector_env()).map_record(customer())
    map_record.update({'name': 'Forced'}, backend_id=3)
    assert map_record.values(fields=['city']) == {
        'street': '1 Main St', 'city': 'Lyon', 'name': 'Forced', 'backend_id': 3}
    assert map_record.source == customer() and map_record.parent is None


def test_mapping_methods_read_the_options_of_the_call():
    """Options given to values() are read by the methods as self.options, then forgotten."""
    class PricedMapper(ImportMapper):
        _model_name = 'shop.product'

        @mapping
        def price(self, record):
            rate = 1.2 if self.options.tax_included else 1
            return {'price': round(record['price'] * rate, 2)}
    mapper = PricedMapper(fake_connector_env())
    assert mapper.map_record({'price': 10}).values(tax_included=True) == {'price': 12.0}
    assert mapper.map_record({'price': 10}).values() == {'price': 10}
    assert mapper.options == MapOptions() and mapper.options.tax_included is None


def test_finalize_sees_every_value_and_returns_the_final_dict():
    """A finalize override runs after the mappings, before the forced values."""
    class Finalized(CustomerMapper):
        def finalize(self, map_record, values):
            return dict(values, label='%(name)s (%(city)s)' % values)
    map_record = Finalized(fake_connector_env()).map_record(customer())
    map_record.update(name='Forced')
    assert map_record.values()['label'] == 'Acme Corp (Lyon)'
    assert map_record.values()['name'] == 'Forced'


# -- inheritance --------------------------------------------------------------

def test_subclass_replaces_a_method_keeping_its_changed_by_and_drops_one_with_none():
    """Same-name method: still a mapping, same @changed_by; name = None removes it."""
    class Child(CustomerMapper):
        def address(self, record):
            return {'city': record['city']}
        note = None
    assert sorted(Child._map_methods) == ['address', 'customer']
    assert Child._map_methods['address'].changed_by == frozenset({'street', 'city'})
    assert mapped(Child, customer(), fields=['street']) == {'city': 'LYON'}


def test_redecorated_override_adds_its_changed_by_to_the_parents():
    """@changed_by on an override adds fields to those of the method it replaces."""
    class Child(CustomerMapper):
        @changed_by('zip')
        @mapping
        def address(self, record):
            return {'zip': record['zip']}
    assert Child._map_methods['address'].changed_by == frozenset({'street', 'city', 'zip'})
    assert mapped(Child, customer(zip='69001'), fields=['city']) == {'zip': '69001'}


def test_changed_by_fields_are_what_direct_and_methods_read():
    """changed_by_fields(): the direct mappings' sources and the @changed_by fields."""
    assert CustomerMapper.changed_by_fields() == {'name', 'email', 'points', 'street', 'city'}


# -- modifiers -----------------------------------------------------------------

def test_convert_keeps_a_missing_value_and_none_empties_falsy_ones():
    """convert() leaves None/False as they are; none() turns '', 0, [] into None."""
    class Modified(ImportMapper):
        _model_name = 'shop.res.partner'
        direct = [(convert('a', float), 'a'), (convert('b', float), 'b'),
                  (none('c'), 'c'), (none('d'), 'd'), (none(convert('e', int)), 'e')]
    values = mapped(Modified, {'a': None, 'b': False, 'c': 0, 'd': 'x', 'e': '0'})
    assert values == {'a': None, 'b': False, 'c': None, 'd': 'x', 'e': None}
    assert values['b'] is False  # not float(False), which equals False


def test_modifiers_know_the_field_they_read_through_nesting():
    """source_field follows nested modifiers, so fields=[...] can select them."""
    assert none(convert('age', int)).source_field == 'age'
    assert repr(none(convert('age', int))) == "none(convert('age', int))"


def test_hand_written_modifier_without_source_field_runs_only_without_fields():
    """A plain callable is applied when no fields are given, not with a fields list."""
    class Shouting(ImportMapper):
        _model_name = 'shop.res.partner'
        direct = [(lambda mapper, record, to_attr: record['name'].upper(), 'name')]
    assert mapped(Shouting, {'name': 'acme'}) == {'name': 'ACME'}
    assert mapped(Shouting, {'name': 'acme'}, fields=['name']) == {}


def test_modifier_source_must_be_a_field_name_or_a_modifier():
    """convert(3, int) is a mistake caught where it is written."""
    with pytest.raises(TypeError) as caught:
        convert(3, int)
    assert str(caught.value) == 'convert() expects a field name or a modifier, got 3'
    with pytest.raises(NotImplementedError):
        Modifier('name')(None, {}, 'name')


# -- errors name the backend, mapper, record and the next step ------------------

def test_missing_key_is_a_mapping_error_naming_the_record():
    """The external record lacks a mapped key: the error names it and the fix."""
    record = customer()
    del record['name']
    assert mapping_error(CustomerMapper, record) == PREFIX % 'CustomerMapper' + (
        "the external record has no field 'name' (mapped to 'name'). Fix the record on the "
        "backend, or map 'name' with a @mapping method that accepts its absence.")


def test_value_that_cannot_be_converted_names_field_and_value():
    """convert('points', int) on 'twelve' names the field, the value and the way out."""
    assert mapping_error(CustomerMapper, customer(points='twelve')) == \
        PREFIX % 'CustomerMapper' + (
            "field 'points': cannot convert 'twelve' to int (invalid literal for int() with "
            "base 10: 'twelve'). Fix the value on the source side, or map the field with a "
            "@mapping method that accepts it.")


def test_mapping_method_error_names_the_method():
    """An exception in a mapping method becomes a MappingError naming it, cause kept."""
    with pytest.raises(MappingError) as caught:
        mapped(CustomerMapper, customer(city=None))
    assert str(caught.value) == PREFIX % 'CustomerMapper' + (
        "mapping method 'address' raised AttributeError: 'NoneType' object has no attribute "
        "'title'. Fix the source record, or make CustomerMapper.address handle it.")
    assert isinstance(caught.value.__cause__, AttributeError)


def test_mapping_method_must_return_a_dict():
    """A method returning a list is refused with the rule."""
    class Wrong(ImportMapper):
        _model_name = 'shop.res.partner'

        @mapping
        def name(self, record):
            return ['name', record['name']]
    assert mapping_error(Wrong, {'id': 'C-17', 'name': 'x'}) == PREFIX % 'Wrong' + (
        "mapping method 'name' returned ['name', 'x']. A mapping method returns a dict of "
        "values, or None.")


def test_record_without_external_id_is_named_as_such():
    """A record without its 'id' key is still named in the message."""
    message = mapping_error(CustomerMapper, {'name': 'x'})
    assert message.startswith("Backend 'Shop' (shop.backend,3), CustomerMapper: cannot import "
                              "shop.res.partner (external record without 'id'): the external "
                              "record has no field 'email'")


@pytest.mark.parametrize('attribute, value, message', [
    ('direct', [('name',)], "Bad.direct[0] is ('name',): each direct mapping is a (source, "
                            "target) pair, source a field name or a modifier such as "
                            "convert('qty', float), target a field name."),
    ('children', [('lines', 'line_ids')],
     "Bad.children[0] is ('lines', 'line_ids'): each child mapping is a (source field, target "
     "field, child model name) triple of strings."),
])
def test_malformed_declarations_fail_when_the_class_is_created(attribute, value, message):
    """A wrong direct or children entry fails at import time, naming class and entry."""
    with pytest.raises(MappingError) as caught:
        type(ImportMapper)('Bad', (ImportMapper,), {'_model_name': 'x', attribute: value})
    assert str(caught.value) == message


# -- MapOptions ----------------------------------------------------------------------

def test_options_are_read_only_and_missing_ones_read_as_none():
    """Mapping methods cannot change the options of the call they run in."""
    options = MapOptions(for_create=True)
    assert (options.for_create, options.fields) == (True, None)
    for change in (lambda: options.update(a=1), lambda: setattr(options, 'a', 1),
                   lambda: options.pop('for_create'), lambda: options.clear()):
        with pytest.raises(TypeError) as caught:
            change()
        assert str(caught.value) == 'MapOptions are read-only: pass options to values(...) instead.'
    with pytest.raises(AttributeError):
        options.__missing_dunder__
