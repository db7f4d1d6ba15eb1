# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Decorators that turn a Mapper's methods into mappings.

A mapping method takes the source record and returns a dict of values
(or None when it has nothing to add)::

    class PartnerImportMapper(ImportMapper):
        _model_name = 'shop.res.partner'

        @mapping
        def name(self, record):
            return {'name': '%s %s' % (record['first'], record['last'])}

        @only_create
        @mapping
        def customer(self, record):
            return {'customer': True}

        @changed_by('street', 'city')
        @mapping
        def address(self, record):
            return {'address': '%s, %s' % (record.street, record.city)}

The decorators only mark the function (they return it unchanged), so they
stack in any order. The Mapper's metaclass collects the marked methods
when the class is created.
"""
from typing import Any, Callable, TypeVar

__all__ = ['mapping', 'changed_by', 'only_create']

# The decorators return the method itself, marked with attributes: set with
# setattr(), since a type checker refuses new attributes on a function.
Method = TypeVar('Method', bound=Callable[..., Any])


def mapping(func: Method) -> Method:
    """Mark a method ``(self, record) -> dict or None`` as a mapping.

    >>> @mapping
    ... def name(self, record):
    ...     return {'name': record['name']}
    >>> name.is_mapping
    True
    """
    setattr(func, 'is_mapping', True)
    return func


def changed_by(*fields: str) -> Callable[[Method], Method]:
    """Apply a mapping method only when one of ``fields`` changed.

    When ``values(fields=[...])`` is called with a list of changed fields,
    a mapping method runs only if its ``changed_by`` fields meet that list;
    a mapping method without ``changed_by`` does not run then. Without
    ``fields``, every mapping method runs.

    >>> @changed_by('street', 'city')
    ... @mapping
    ... def address(self, record):
    ...     return {}
    >>> sorted(address.changed_by)
    ['city', 'street']
    """
    def decorate(func: Method) -> Method:
        setattr(func, 'changed_by', frozenset(fields))
        return func
    return decorate


def only_create(func: Method) -> Method:
    """Apply a mapping method only for a creation: ``values(for_create=True)``.

    >>> @only_create
    ... @mapping
    ... def customer(self, record):
    ...     return {'customer': True}
    >>> customer.only_create
    True
    """
    setattr(func, 'only_create', True)
    return func
