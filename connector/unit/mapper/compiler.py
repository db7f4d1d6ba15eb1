# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Compiles a mapper class's ``direct`` list into one Python function.

Mapping a record walks the same ``direct`` list every time; interpreting
it (a loop, a test and a call per entry) costs more than the work itself.
So, once per class, the list is turned into the source of a function
that reads each field and returns the values dict, and that source is
compiled. Plain copies become ``record['name']``; the standard modifiers
``none`` and ``convert`` are written inline; any other modifier is called
as ``modifier(mapper, record, target)``.

>>> function, source = compile_direct([('name', 'name'), (none('email'), 'email'),
...                                    (none(convert('age', int)), 'age')])
>>> print(source)
def map_direct(mapper, record):
    v0 = record['age']
    v0 = v0 if v0 is None or v0 is False else c0(v0)
    return {'name': record['name'], 'email': (record['email'] or None), 'age': (v0 or None)}
>>> function(None, {'name': 'Ann', 'email': '', 'age': '7'})
{'name': 'Ann', 'email': None, 'age': 7}

The compiled function does not explain errors: when it raises, the
mapper maps the record again entry by entry, which raises a MappingError
naming the field. A modifier subclass inlines itself through
``_compile(writer, target)`` only when the class defining it also
defines ``__call__``; otherwise it is called.
"""

__all__ = ['compile_direct']


def _defining_class(cls, name):
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass
    return None


class SourceWriter(object):
    """Collects the statements and constants of the function being written."""

    def __init__(self):
        self.statements = []
        self.namespace = {}
        self._counters = {}

    def name(self, prefix, value=None):
        """A new variable name; bound to ``value`` in the namespace when given."""
        number = self._counters.get(prefix, 0)
        self._counters[prefix] = number + 1
        name = '%s%d' % (prefix, number)
        if value is not None:
            self.namespace[name] = value
        return name

    def emit(self, statement):
        self.statements.append(statement)

    def source_expr(self, source, target):
        """An expression giving the value of ``source`` (a field name or a modifier)."""
        if isinstance(source, str):
            return 'record[%r]' % source
        cls = type(source)
        if (getattr(cls, '_compile', None) is not None
                and _defining_class(cls, '_compile') is _defining_class(cls, '__call__')):
            return source._compile(self, target)
        return '%s(mapper, record, %r)' % (self.name('m', source), target)


def compile_direct(direct):
    """(function, source) for a list of (source, target) direct mappings.

    ``function(mapper, record)`` returns the dict of the direct mappings.
    """
    writer = SourceWriter()
    items = ['%r: %s' % (target, writer.source_expr(source, target))
             for source, target in direct]
    source = '\n'.join(['def map_direct(mapper, record):']
                       + ['    %s' % statement for statement in writer.statements]
                       + ['    return {%s}' % ', '.join(items)])
    namespace = dict(writer.namespace)
    exec(compile(source, '<direct mappings>', 'exec'), namespace)
    return namespace['map_direct'], source
