# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""MapChild: maps the lines of a one2many with the child model's mapper.

A mapper's ``children = [('contacts', 'child_ids', 'res.partner')]`` maps
each item of ``record['contacts']`` with the mapper of ``res.partner``
(an ImportMapper for an import, an ExportMapper for an export) and puts
the result in ``values['child_ids']``. The MapChild unit of the child
model decides which items are kept and how the result is shaped; the
default ones need no code. This module holds what both directions
share; ``ImportMapChild`` and ``ExportMapChild`` live in ``directions``,
next to the mapper of their direction. Register a subclass for the child
model to change them::

    @shop_backend
    class ContactImportMapChild(ImportMapChild):
        _model_name = 'res.partner'

        def skip_item(self, map_record):
            return map_record.source.get('deleted')
"""
from typing import Type

from ...connector_unit import ConnectorUnit

__all__ = ['MapChild']


class MapChild(ConnectorUnit):
    """Maps the items of a one2many; subclass ImportMapChild or ExportMapChild.

    Override ``skip_item``, ``get_item_values`` or ``format_items`` to
    change what is produced.
    """

    _model_name = None
    # The kind of mapper the child model's lines use: ImportMapper or
    # ExportMapper, set by ImportMapChild and ExportMapChild.
    _mapper_class: Type[ConnectorUnit]

    @property
    def _mapper_class_name(self):
        return self._mapper_class.__name__

    def _child_mapper(self):
        """The mapper of the child model (cached: one lookup per MapChild)."""
        mapper = self.__dict__.get('_cached_mapper')
        if mapper is None:
            mapper = self.unit_for(self._mapper_class)
            self._cached_mapper = mapper
        return mapper

    def skip_item(self, map_record):
        """Override this method to leave an item out: return True to skip it.

        :param map_record: the item's MapRecord; its ``parent`` is the
            MapRecord of the record that owns the lines
        """
        return False

    def get_items(self, items, parent, to_attr, options):
        """The values of the items kept, shaped by ``format_items``.

        :param items: the lines read from the parent record
        :param parent: the parent's MapRecord
        :param to_attr: the target field of the lines
        :param options: the parent's MapOptions
        """
        mapper = self._child_mapper()
        mapped = []
        for item in items:
            map_record = mapper.map_record(item, parent=parent)
            if self.skip_item(map_record):
                continue
            mapped.append(self.get_item_values(map_record, to_attr, options))
        return self.format_items(mapped)

    def get_item_values(self, map_record, to_attr, options):
        """Override this method to change the values of one item.

        By default, the item is mapped with the parent's options, except
        ``fields``: those name fields of the parent, so the items are
        mapped whole.
        """
        return map_record.values(**self._item_options(options))

    def _item_options(self, options):
        item_options = dict(options)
        item_options['fields'] = None
        return item_options

    def format_items(self, items_values):
        """Override this method to shape the list of item values."""
        return items_values
