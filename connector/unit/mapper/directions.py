# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""ImportMapper and ExportMapper: how each direction reads and names a record.

Each direction also has its MapChild (``ImportMapChild``, ``ExportMapChild``):
the shape of the one2many lines it produces. A mapper and the MapChild of
its direction refer to each other, so both live here; the MapChild
machinery they share is in ``children``.

An ImportMapper reads an external record, a dict: a direct mapping whose
key is absent is a MappingError (the backend sent an incomplete record),
and the record is named by its external id (key ``id`` by default, see
``_external_id_key``). An ExportMapper reads a binding record: a direct
mapping on a field the model does not have is a MappingError, and so is a
plain direct mapping of a relational field (a record cannot be sent; use
``m2o_to_backend``); the record is named by its id and external id.

Values are copied as they are: an empty Odoo field exports as False, an
empty external value imports as given. Use ``none()`` to get None.
"""
from odoo import models

from .children import MapChild
from .mapper import Mapper

__all__ = ['ImportMapper', 'ExportMapper', 'ImportMapChild', 'ExportMapChild']


class ImportMapper(Mapper):
    """Maps an external record (a dict) to the values of an Odoo binding.

    >>> class ContactImportMapper(ImportMapper):
    ...     _model_name = 'res.partner'
    ...     direct = [('name', 'name'), (none('email'), 'email'),
    ...               (convert('color', int), 'color')]
    ...
    ...     @mapping
    ...     def city(self, record):
    ...         return {'city': record['city'].title()}
    ...
    ...     @only_create
    ...     @mapping
    ...     def customer(self, record):
    ...         return {'customer': True}
    >>> mapper = ContactImportMapper(connector_env)
    >>> map_record = mapper.map_record(
    ...     {'id': 'C-1', 'name': 'Ann', 'email': '', 'color': '4', 'city': 'LYON'})
    >>> map_record.values()
    {'name': 'Ann', 'email': None, 'color': 4, 'city': 'Lyon'}
    >>> map_record.update(customer=False)
    >>> map_record.values(for_create=True)
    {'name': 'Ann', 'email': None, 'color': 4, 'city': 'Lyon', 'customer': False}

    Children give ``[(0, 0, values), ...]`` for the one2many target.
    """

    _direction = 'import'
    _external_id_key = 'id'

    @property
    def _map_child_class(self):
        return ImportMapChild  # defined below

    def _missing_source(self, record, field, to_attr):
        return self._error(
            record, 'the external record has no field %r (mapped to %r)' % (field, to_attr),
            'Fix the record on the backend, or map %r with a @mapping method that '
            'accepts its absence.' % (to_attr,))

    def _record_label(self, record):
        try:
            external_id = record[self._external_id_key]
        except Exception:
            external_id = None
        if external_id is None:
            return '%s (external record without %r)' % (
                self.connector_env.model_name, self._external_id_key)
        return '%s %r' % (self.connector_env.model_name, external_id)

    def _comodel_of(self, record, to_attr, modifier):
        """The model a relational target field points to (for ``backend_to_m2o``)."""
        field = self.model._fields.get(to_attr)
        if field is None or not field.relational:
            raise self._error(
                record, '%r maps to %r, which is not a relational field of %s' % (
                    modifier, to_attr, self.connector_env.model_name),
                'Map it to a many2one field, or give binding=\'<binding model>\'.')
        return field.comodel_name


class ExportMapper(Mapper):
    """Maps a binding record to the values sent to the backend.

    Children give a list of dicts for the target key.
    """

    _direction = 'export'
    _external_id_field = 'external_id'
    _checked_model = None

    @property
    def _map_child_class(self):
        return ExportMapChild  # defined below

    def map_record(self, record, parent=None):
        if self._checked_model != record._name:
            self._check_direct(record)
            self._checked_model = record._name
        return super().map_record(record, parent=parent)

    def _check_direct(self, record):
        """Check once per model that the plain direct mappings read plain fields."""
        for entry in self._direct_plan:
            if not entry.plain:
                continue
            field = record._fields.get(entry.source)
            if field is None:
                raise self._missing_source(record, entry.source, entry.target)
            if field.relational:
                raise self._error(
                    record, 'field %r is a %s: the direct mapping %r -> %r would send a '
                    'record' % (entry.source, field.type, entry.source, entry.target),
                    'Use (m2o_to_backend(%r, binding=...), %r) for a many2one, or a '
                    '@mapping method.' % (entry.source, entry.target))

    def _missing_source(self, record, field, to_attr):
        return self._error(
            record, '%s has no field %r (mapped to %r)' % (record._name, field, to_attr),
            'Fix the mappings of %s.' % (type(self).__name__,))

    def _record_label(self, record):
        if not isinstance(record, models.BaseModel):
            return '%s %r' % (self.connector_env.model_name, record)
        if len(record) != 1:
            return '%s%r' % (record._name, tuple(record.ids))
        label = '%s,%s' % (record._name, record.id)
        if self._external_id_field in record._fields:
            external_id = record[self._external_id_field]
            if external_id:
                return '%s (external id %r)' % (label, external_id)
            return '%s (not exported yet)' % label
        return label


class ImportMapChild(MapChild):
    """Imports lines as ``[(0, 0, values), ...]``: each line is created.

    The items are mapped with ``for_create=True``, since each one becomes
    a new record. On an update, these commands add lines to the existing
    ones: override ``format_items`` to replace them (for example with a
    leading ``(5,)``) or to update the lines matched through a binding.
    """

    _mapper_class = ImportMapper

    def _item_options(self, options):
        item_options = super()._item_options(options)
        item_options['for_create'] = True
        return item_options

    def format_items(self, items_values):
        return [(0, 0, values) for values in items_values]


class ExportMapChild(MapChild):
    """Exports lines as a list of dicts, one per line."""

    _mapper_class = ExportMapper
