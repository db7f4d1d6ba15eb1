# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Mapper DSL: ``from odoo.addons.connector.unit.mapper import ImportMapper, mapping``.

One concept per module: ``decorators`` (mapping, changed_by, only_create),
``modifiers`` (convert, none, m2o_to_backend, backend_to_m2o),
``map_record`` (MapRecord, MapOptions), ``mapper`` (Mapper, MetaMapper),
``directions`` (ImportMapper, ExportMapper and the MapChild of each
direction, ImportMapChild and ExportMapChild), ``children`` (MapChild,
the lines of a one2many mapped by the child model's mapper).

Semantics worth knowing (the classic connector's):

- ``values(fields=[...])`` with a non-empty list applies only the direct
  mappings reading one of those fields, the mapping methods whose
  ``@changed_by`` fields meet them (a method without ``@changed_by`` is
  not applied then) and the children read from them; without ``fields``
  (or with an empty list) everything is applied.
- ``direct`` and ``children`` on a subclass replace the parent's lists;
  write ``direct = Parent.direct + [...]`` to extend. Mapping methods are
  inherited; a same-name method replaces one, ``name = None`` drops it.
"""
from .children import MapChild
from .decorators import changed_by, mapping, only_create
from .directions import ExportMapChild, ExportMapper, ImportMapChild, ImportMapper
from .map_record import MapOptions, MapRecord
from .mapper import Mapper, MappingDefinition, MetaMapper
from .modifiers import Modifier, backend_to_m2o, convert, m2o_to_backend, none

__all__ = [
    'Mapper', 'MetaMapper', 'MappingDefinition', 'ImportMapper', 'ExportMapper',
    'mapping', 'changed_by', 'only_create',
    'Modifier', 'convert', 'none', 'm2o_to_backend', 'backend_to_m2o',
    'MapChild', 'ImportMapChild', 'ExportMapChild', 'MapOptions', 'MapRecord',
]
