# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Mapper: direct mappings, mapping methods and children, applied to a record.

A mapper declares ``direct`` mappings (copies, optionally through a
modifier), ``@mapping`` methods and ``children`` (one2many lines mapped by
the child model's own mapper). ``ImportMapper`` and ``ExportMapper``
(module ``directions``) say how a source record is read; this module holds
what they share:

- ``MetaMapper`` collects, when a class is created, its mapping methods
  from the whole MRO into ``_map_methods`` and checks ``direct`` and
  ``children``: a mistake there fails at import time, naming the class;
- ``MapRecord.values()`` calls ``_apply``, which applies them in order:
  direct mappings, mapping methods, children, then ``finalize``; with
  ``fields``, only what those fields concern.

Inheritance: a subclass inherits the mapping methods of its parents and
may replace one by defining a method of the same name (it stays a
mapping, keeping the parent's ``@changed_by`` fields), or drop one by
setting its name to None. ``direct`` and ``children`` are plain class
attributes: a subclass that sets ``direct`` replaces its parent's list;
extend it explicitly with ``direct = ParentMapper.direct + [...]``.
Both lists are read when the class is created.
"""
from typing import Any, Dict, FrozenSet, List, NamedTuple, Optional, Tuple

import psycopg2

from ...connector_unit import ConnectorUnit, MetaConnectorUnit
from ...exception import MappingError, NoConnectorUnitError, RetryableJobError
from .map_record import MapOptions, MapRecord

__all__ = ['MappingDefinition', 'MetaMapper', 'Mapper']


class MappingDefinition(NamedTuple):
    """What the decorators said of a mapping method."""

    changed_by: FrozenSet[str]
    only_create: bool


class _Direct(NamedTuple):
    source: Any    # a field name, or a modifier (a callable)
    target: str
    plain: bool    # source is a field name


class _Child(NamedTuple):
    source: str
    target: str
    model_name: str


# Errors that say nothing about the data: raised unchanged, so that a job
# is retried (network, concurrent update) or keeps its precise message.
PASS_THROUGH = (MappingError, RetryableJobError, psycopg2.Error)

_NO_OPTIONS = MapOptions()


def _collect_map_methods(cls) -> Dict[str, MappingDefinition]:
    """{name: MappingDefinition} of the mapping methods of ``cls`` and its bases."""
    map_methods: Dict[str, MappingDefinition] = {}
    for klass in reversed(cls.__mro__):
        for name, attr in vars(klass).items():
            if getattr(attr, 'is_mapping', False):
                changed_by = frozenset(getattr(attr, 'changed_by', ()))
                if name in map_methods:
                    changed_by |= map_methods[name].changed_by
                map_methods[name] = MappingDefinition(
                    changed_by, getattr(attr, 'only_create', False))
            elif attr is None and name in map_methods:
                del map_methods[name]
    return map_methods


def _source_field(direct_entry):
    """The field a direct mapping reads; None for a modifier that does not say."""
    if direct_entry.plain:
        return direct_entry.source
    return getattr(direct_entry.source, 'source_field', None)


def _direct_entries(cls):
    entries = []
    for index, entry in enumerate(cls.direct):
        if not (isinstance(entry, (tuple, list)) and len(entry) == 2
                and isinstance(entry[1], str)
                and (isinstance(entry[0], str) or callable(entry[0]))):
            raise MappingError(
                '%s.direct[%d] is %r: each direct mapping is a (source, target) pair, '
                'source a field name or a modifier such as convert(\'qty\', float), '
                'target a field name.' % (cls.__name__, index, entry))
        source, target = entry
        entries.append(_Direct(source, target, isinstance(source, str)))
    return tuple(entries)


def _children_entries(cls):
    entries = []
    for index, entry in enumerate(cls.children):
        if not (isinstance(entry, (tuple, list)) and len(entry) == 3
                and all(isinstance(part, str) for part in entry)):
            raise MappingError(
                '%s.children[%d] is %r: each child mapping is a (source field, target '
                'field, child model name) triple of strings.' % (cls.__name__, index, entry))
        entries.append(_Child(*entry))
    return tuple(entries)


class MetaMapper(MetaConnectorUnit):
    """Collects the mapping methods and checks ``direct``/``children`` per class."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._map_methods = _collect_map_methods(cls)
        cls._direct_plan = _direct_entries(cls)
        cls._children_plan = _children_entries(cls)
        finalize = cls.finalize  # type: ignore[attr-defined]  # defined by Mapper
        cls._custom_finalize = not getattr(finalize, 'is_default_finalize', False)


class Mapper(ConnectorUnit, metaclass=MetaMapper):
    """Base of ImportMapper and ExportMapper; subclass one of those.

    Hooks: ``finalize(map_record, values)``; ``_map_child_class`` (the
    MapChild kind used for ``children`` when none is registered for the
    child model).
    """

    _model_name = None
    direct: List[Tuple[Any, str]] = []  # [(source field or modifier, target field), ...]
    children: List[Tuple[str, str, str]] = []  # [(source field, target field, child model)]
    _direction: Optional[str] = None  # 'import' or 'export', for messages

    # Set on each class by MetaMapper.
    _map_methods: Dict[str, MappingDefinition]
    _direct_plan: Tuple[_Direct, ...]
    _children_plan: Tuple[_Child, ...]
    _custom_finalize: bool

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self._options: Optional[MapOptions] = None
        self._map_child_units: Dict[str, Any] = {}

    @property
    def _map_child_class(self):
        """The MapChild class used for ``children`` whose model has none registered.

        ImportMapper and ExportMapper each give the MapChild of their direction.
        """
        raise NotImplementedError

    @property
    def options(self):
        """The options of the ``values()`` call being mapped (read-only; empty outside)."""
        return self._options if self._options is not None else _NO_OPTIONS

    @property
    def map_methods(self):
        """(bound method, MappingDefinition) of every mapping method, in definition order."""
        return [(getattr(self, name), definition)
                for name, definition in self._map_methods.items()]

    def map_record(self, record, parent=None):
        """A MapRecord for ``record``; ``parent`` is the parent's MapRecord for a line."""
        return MapRecord(self, record, parent)

    @classmethod
    def changed_by_fields(cls):
        """The source fields whose change changes the mapped values (a set).

        The fields read by ``direct`` mappings and ``children``, and the
        ``@changed_by`` fields of the mapping methods.
        """
        fields = {_source_field(entry) for entry in cls._direct_plan}
        fields.update(entry.source for entry in cls._children_plan)
        for definition in cls._map_methods.values():
            fields.update(definition.changed_by)
        fields.discard(None)
        return fields

    def finalize(self, map_record, values):
        """Override this method to change the mapped values as a whole.

        Called after the direct mappings, mapping methods and children, with
        ``self.options`` still set; returns the final dict. Values given to
        ``MapRecord.update()`` are applied after it.
        """
        return values
    finalize.is_default_finalize = True  # type: ignore[attr-defined]

    # -- mapping one record ----------------------------------------------

    def _apply(self, map_record, options):
        """The values of ``map_record`` for ``options``; ``MapRecord.values()`` calls it.

        Direct mappings first, in order, then the mapping methods, the
        children and ``finalize``. With ``options['fields']`` (not empty),
        only what reads one of those fields is applied.
        """
        fields = set(options['fields'] or ())
        record = map_record._source
        previous = self._options
        self._options = options
        try:
            values: Dict[str, Any] = {}
            direct = self._direct_plan
            if fields:
                direct = tuple(entry for entry in direct if _source_field(entry) in fields)
            self._map_direct(record, direct, values)
            for name, definition in self._map_methods.items():
                if definition.only_create and not options['for_create']:
                    continue
                if not fields or definition.changed_by & fields:
                    self._map_method(record, name, values)
            for child in self._children_plan:
                if fields and child.source not in fields:
                    continue
                try:
                    values[child.target] = self._map_child(map_record, child)
                except PASS_THROUGH:
                    raise
                except Exception as err:
                    raise self._children_error(record, child.source, err) from err
            if self._custom_finalize:
                try:
                    values = self.finalize(map_record, values)
                except PASS_THROUGH:
                    raise
                except Exception as err:
                    raise self._finalize_error(record, err) from err
            return values
        finally:
            self._options = previous

    def _map_method(self, record, name, values):
        """Apply the mapping method ``name``: the dict it returns updates ``values``."""
        try:
            result = getattr(self, name)(record)
        except PASS_THROUGH:
            raise
        except Exception as err:
            raise self._method_error(record, name, err) from err
        if result is not None:
            if not isinstance(result, dict):
                self._bad_result(record, name, result)
            values.update(result)

    def _method_error(self, record, name, err):
        return self._error(record, 'mapping method %r raised %s: %s' % (
            name, type(err).__name__, err),
            'Fix the source record, or make %s.%s handle it.' % (type(self).__name__, name))

    def _children_error(self, record, source, err):
        return self._error(record, 'the lines of %r raised %s: %s' % (
            source, type(err).__name__, err),
            'Fix the source record, or the MapChild of these lines.')

    def _finalize_error(self, record, err):
        return self._error(record, 'finalize() raised %s: %s' % (type(err).__name__, err),
                           'Fix %s.finalize.' % type(self).__name__)

    def _bad_result(self, record, name, result):
        raise self._error(record, 'mapping method %r returned %r' % (name, result),
                          'A mapping method returns a dict of values, or None.')

    def _map_direct(self, record, direct, values):
        try:
            for source, target, plain in direct:
                if plain:
                    values[target] = record[source]
                else:
                    values[target] = source(self, record, target)
        except PASS_THROUGH:
            raise
        except KeyError as err:
            if not plain:
                raise self._error(record, 'direct mapping %r -> %r raised KeyError: %s' % (
                    source, target, err), 'Fix the modifier.') from err
            raise self._missing_source(record, source, target) from err
        except Exception as err:
            raise self._error(record, 'direct mapping %r -> %r raised %s: %s' % (
                source, target, type(err).__name__, err),
                'Fix the source record, or map %r with a @mapping method that handles '
                'it.' % (target,)) from err

    def _map_child(self, map_record, child):
        """The values of the lines of ``child``, mapped by the MapChild of their model."""
        record = map_record._source
        items = self._read_source(record, child.source, child.target)
        map_child = self._map_child_unit(child.model_name)
        try:
            return map_child.get_items(items, map_record, child.target, self.options)
        except NoConnectorUnitError as err:
            raise self._error(record, 'the lines of %r (-> %r) need the %s of %s, and '
                              'none is registered: %s' % (
                                  child.source, child.target,
                                  map_child._mapper_class_name, child.model_name, err),
                              'Register an %s with _model_name = %r on the backend.' % (
                                  map_child._mapper_class_name, child.model_name)) from err

    def _map_child_unit(self, model_name):
        """The MapChild of ``model_name``: the registered one, else the default one."""
        unit = self._map_child_units.get(model_name)
        if unit is None:
            try:
                unit = self.unit_for(self._map_child_class, model=model_name)
            except NoConnectorUnitError:
                unit = self._map_child_class(self.connector_env.for_model(model_name))
            self._map_child_units[model_name] = unit
        return unit

    # -- reading the source, for the subclasses --------------------------

    def _read_source(self, record, field, to_attr):
        """Value of ``field`` in the source record; a MappingError when it has none."""
        try:
            return record[field]
        except KeyError as err:
            raise self._missing_source(record, field, to_attr) from err

    def _missing_source(self, record, field, to_attr):
        raise NotImplementedError

    def _binder_of(self, record, model_name, modifier):
        """The Binder of ``model_name``, for a modifier; a MappingError when none."""
        try:
            return self.binder_for(model_name)
        except NoConnectorUnitError as err:
            raise self._error(record, '%r needs the Binder of %s, and none is registered' % (
                modifier, model_name),
                'Register a Binder for %s on the backend, or give the modifier the '
                'binding model: binding=\'<binding model>\'.' % model_name) from err

    # -- messages ----------------------------------------------------------

    def _error(self, record, detail, hint):
        """A MappingError naming the backend, mapper, model and record."""
        return MappingError('Backend %r (%s,%s), %s: cannot %s %s: %s. %s' % (
            self.backend_record.display_name, self.backend_record._name,
            self.backend_record.id, type(self).__name__, self._direction,
            self._record_label(record), detail, hint))

    def _record_label(self, record):
        raise NotImplementedError
