# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Modifiers: the source side of a direct mapping, when a plain copy is not enough.

A direct mapping ``(source, target)`` copies ``record[source]`` to
``values[target]``. A modifier replaces the source: it is called as
``modifier(mapper, record, target)`` and returns the value::

    direct = [
        ('name', 'name'),                                # plain copy
        (convert('qty', float), 'product_qty'),          # '2.5' -> 2.5
        (none('email'), 'email'),                        # '' -> None
        (none(convert('age', int)), 'age'),              # modifiers nest
        (backend_to_m2o('country', binding='shop.res.country'), 'country_id'),
    ]

Every modifier knows the field it reads (``source_field``), so that an
ExportMapper called with ``values(fields=[...])`` applies it only when
that field changed. A hand-written modifier is any callable
``(mapper, record, to_attr) -> value``; give it a ``source_field``
attribute, otherwise it is applied only when no ``fields`` are given.
"""
from typing import Any, Callable, Optional, Union

from odoo import models

__all__ = ['Modifier', 'convert', 'none', 'm2o_to_backend', 'backend_to_m2o']

Source = Union[str, Callable]


class Modifier(object):
    """Base of the modifiers: reads its source, a field name or another modifier.

    Override ``__call__(mapper, record, to_attr)`` to compute the value from
    ``self.read(mapper, record, to_attr)``.
    """

    __slots__ = ('source', 'source_field')
    source: Source
    source_field: Optional[str]  # the field it reads in the end, when known

    def __init__(self, source: Source):
        if isinstance(source, str):
            self.source_field = source
        elif callable(source):
            self.source_field = getattr(source, 'source_field', None)
        else:
            raise TypeError('%s() expects a field name or a modifier, got %r'
                            % (type(self).__name__, source))
        self.source = source

    # (not a model's read(): no super() to call)
    def read(self, mapper, record, to_attr: str) -> Any:  # pylint: disable=method-required-super
        """The value of the source: the field's value, or the inner modifier's result."""
        if isinstance(self.source, str):
            return mapper._read_source(record, self.source, to_attr)
        return self.source(mapper, record, to_attr)

    def __call__(self, mapper, record, to_attr: str) -> Any:
        raise NotImplementedError

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self.source)


class convert(Modifier):
    """Convert the value with ``binding_type`` (``float``, ``int``, ``str``...).

    A missing value (None or False) is kept as it is; a value that cannot
    be converted raises a MappingError naming the field and the value.
    """

    __slots__ = ('binding_type',)

    def __init__(self, source: Source, binding_type: Callable):
        super().__init__(source)
        self.binding_type = binding_type

    def __call__(self, mapper, record, to_attr):
        value = self.read(mapper, record, to_attr)
        if value is None or value is False:
            return value
        try:
            return self.binding_type(value)
        except (TypeError, ValueError) as err:
            raise mapper._error(
                record, 'field %r: cannot convert %r to %s (%s)' % (
                    self.source_field, value, self.binding_type.__name__, err),
                'Fix the value on the source side, or map the field with a '
                '@mapping method that accepts it.') from err

    def __repr__(self):
        return 'convert(%r, %s)' % (self.source, self.binding_type.__name__)


class none(Modifier):
    """Give None for a falsy value (``''``, ``0``, ``False``, ``[]``), else the value."""

    __slots__ = ()

    def __call__(self, mapper, record, to_attr):
        return self.read(mapper, record, to_attr) or None


class m2o_to_backend(Modifier):
    """Export a many2one: the external id of the related record.

    :param binding: name of the binding model when the field points to the
        Odoo model (``parent_id`` -> ``res.partner``): the related record
        is wrapped, i.e. its binding on this backend is looked up. Without
        it, the field must point to a binding model.

    An empty many2one gives None; a related record without an external id
    on this backend raises a MappingError: export it first.
    """

    __slots__ = ('binding',)

    def __init__(self, source: Source, binding: Optional[str] = None):
        super().__init__(source)
        self.binding = binding

    def __call__(self, mapper, record, to_attr):
        value = self.read(mapper, record, to_attr)
        if not value:
            return None
        if isinstance(value, models.BaseModel):
            binding_model = self.binding or value._name
            label = '%s,%s' % (value._name, value.id)
        elif self.binding:
            binding_model = self.binding
            label = 'the record with id %r' % (value,)
        else:
            raise mapper._error(
                record, 'field %r: m2o_to_backend() got %r, not a record' % (
                    self.source_field, value),
                'Map a many2one field, or give binding= when the value is an id.')
        binder = mapper._binder_of(record, binding_model, self)
        external_id = binder.to_backend(value, wrap=self.binding is not None)
        if not external_id:
            raise mapper._error(
                record, 'field %r refers to %s, which has no external id on this '
                'backend (looked up in %s)' % (self.source_field, label, binding_model),
                'Export %s first: an exporter exports the records a record '
                'depends on before it.' % label)
        return external_id

    def __repr__(self):
        return 'm2o_to_backend(%r, binding=%r)' % (self.source, self.binding)


class backend_to_m2o(Modifier):
    """Import a many2one: the Odoo id of the record bound to an external id.

    :param binding: name of the binding model the external id is bound in,
        when the target field points to the Odoo model (``parent_id`` ->
        ``res.partner``): the binding is unwrapped. Without it, the target
        field must point to the binding model itself.

    An empty external id gives False; an external id not bound yet on this
    backend raises a MappingError: the importer must import it first.
    """

    __slots__ = ('binding',)

    def __init__(self, source: Source, binding: Optional[str] = None):
        super().__init__(source)
        self.binding = binding

    def __call__(self, mapper, record, to_attr):
        external_id = self.read(mapper, record, to_attr)
        if not external_id:
            return False
        binding_model = self.binding or mapper._comodel_of(record, to_attr, self)
        binder = mapper._binder_of(record, binding_model, self)
        odoo_id = binder.to_openerp(external_id, unwrap=self.binding is not None)
        if isinstance(odoo_id, models.BaseModel):
            odoo_id = odoo_id.id
        if not odoo_id:
            raise mapper._error(
                record, 'field %r refers to %s %r, which is not imported yet on this '
                'backend (no binding)' % (self.source_field, binding_model, external_id),
                'Import %s %r first: an importer imports the records a record '
                'depends on before it.' % (binding_model, external_id))
        return odoo_id

    def __repr__(self):
        return 'backend_to_m2o(%r, binding=%r)' % (self.source, self.binding)
