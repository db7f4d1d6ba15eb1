# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""MapRecord: one source record waiting to be mapped, and the options of a mapping.

``mapper.map_record(record)`` gives a MapRecord; nothing is computed until
``values()`` is called, so the caller decides then whether it creates or
updates, which fields changed, and any option its mapping methods read::

    map_record = mapper.map_record(external_record)
    map_record.update(backend_id=backend.id)       # wins over mapped values
    binding = model.create(map_record.values(for_create=True))

The mapper never writes to the database: the values are for the caller.
"""
from typing import Any, Iterable, Optional

__all__ = ['MapOptions', 'MapRecord']


class MapOptions(dict):
    """The options of one ``values()`` call, read-only, as seen by mapping methods.

    Items read as attributes, and a missing option reads as None:

    >>> options = MapOptions(for_create=True, fields=None, tax_included=True)
    >>> options.for_create, options['tax_included'], options.currency
    (True, True, None)
    >>> options['currency'] = 'EUR'
    Traceback (most recent call last):
    ...
    TypeError: MapOptions are read-only: pass options to values(...) instead.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith('__'):
            raise AttributeError(name)
        return self.get(name)

    def _read_only(self, *args, **kwargs):
        raise TypeError('MapOptions are read-only: pass options to values(...) instead.')

    __setitem__ = __delitem__ = __setattr__ = _read_only
    # (the type checker: dict's own signatures are replaced by one that refuses all)
    clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]


class MapRecord(object):
    """A source record and its mapper; ``values()`` maps it.

    :param mapper: the Mapper that maps it
    :param source: the source record (an external dict for an import, a
        binding record for an export)
    :param parent: the MapRecord of the parent record, for the lines of a
        one2many mapped as children
    """

    __slots__ = ('_mapper', '_source', '_parent', '_forced_values')

    def __init__(self, mapper, source: Any, parent: Optional['MapRecord'] = None):
        self._mapper = mapper
        self._source = source
        self._parent = parent
        self._forced_values: Optional[dict] = None

    @property
    def source(self) -> Any:
        """The record being mapped."""
        return self._source

    @property
    def parent(self) -> Optional['MapRecord']:
        """The parent's MapRecord when this record is a child line, else None."""
        return self._parent

    def values(self, for_create: bool = False, fields: Optional[Iterable[str]] = None,
               **options) -> dict:
        """The mapped values, as a new dict.

        :param for_create: the values are for a creation: ``@only_create``
            mapping methods are applied too
        :param fields: names of the source fields that changed; when given
            (and not empty), only the direct mappings reading one of them,
            the mapping methods whose ``@changed_by`` meets them and the
            children read from them are applied
        :param options: anything else, for the mapping methods to read in
            ``self.options`` during this call
        """
        values = self._mapper._apply(self, MapOptions(
            options, for_create=bool(for_create), fields=fields))
        if self._forced_values:
            values.update(self._forced_values)
        return values

    def update(self, *args, **kwargs) -> None:
        """Add values that win over the mapped ones (same arguments as ``dict.update``)."""
        if self._forced_values is None:
            self._forced_values = {}
        self._forced_values.update(*args, **kwargs)

    def __repr__(self):
        return '<MapRecord %s of %r>' % (type(self._mapper).__name__, self._source)
