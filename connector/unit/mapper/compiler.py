# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Compiles a mapper class into one Python function per kind of call.

Mapping a record walks the same ``direct`` list, mapping methods and
children every time; interpreting them (loops, tests and a call per
entry) costs more than the work itself. So, once per class and for
``for_create`` True and False, they are written as the source of one
function, which is compiled: plain copies become ``record['name']``, the
standard modifiers ``none`` and ``convert`` are written inline, any other
modifier is called as ``modifier(mapper, record, target)``, each mapping
method is called in turn, then the children and ``finalize``. The
function also sets ``mapper._options`` for the span of the call:

>>> compiled = compile_mapping([('name', 'name'), (none('email'), 'email'),
...                             (none(convert('age', int)), 'age')], ['city'])
>>> print(compiled.source)
def map_values(mapper, map_record, options):
    record = map_record._source
    previous = mapper._options
    mapper._options = options
    try:
        v0 = record['age']
        v0 = v0 if v0 is None or v0 is False else c0(v0)
        values = {'name': record['name'], 'email': (record['email'] or None), 'age': (v0 or None)}
        result = mapper.city(record)
        if result is not None:
            if result.__class__ is not dict and not isinstance(result, dict):
                mapper._bad_result(record, 'city', result)
            values.update(result)
        return values
    except PASS_THROUGH:
        raise
    except Exception as err:
        raise mapper._explain(record, compiled, err) from err
    finally:
        mapper._options = previous
>>> class FakeMapper:
...     _options = None
...     def city(self, record):
...         return {'city': record['city'].title()}
>>> class FakeMapRecord:
...     _source = {'name': 'Ann', 'email': '', 'age': '7', 'city': 'PARIS'}
>>> compiled.function(FakeMapper(), FakeMapRecord(), {})
{'name': 'Ann', 'email': None, 'age': 7, 'city': 'Paris'}

Errors are explained by the mapper: ``owner_of(error)`` tells which part
raised (``DIRECT``, a method name, ``('children', source)`` or
``FINALIZE``); for the direct mappings the mapper maps them again one by
one, to name the field. A modifier subclass is written inline through
``_compile(writer, target)`` only when the class defining ``_compile``
also defines ``__call__``; otherwise it is called.
"""
import keyword

__all__ = ['DIRECT', 'FINALIZE', 'CompiledMapping', 'compile_mapping']

DIRECT = 'direct mappings'  # owner of the lines computing the direct mappings
FINALIZE = 'finalize'


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


class CompiledMapping(object):
    """A compiled ``function(mapper, record) -> values``, its source and line owners."""

    __slots__ = ('function', 'source', '_owners')

    def __init__(self, function, source, owners):
        self.function = function
        self.source = source
        self._owners = owners

    def owner_of(self, error):
        """DIRECT or the name of the method whose line raised ``error``; None if unknown."""
        code = self.function.__code__
        traceback = error.__traceback__
        while traceback is not None:
            if traceback.tb_frame.f_code is code:
                return self._owners.get(traceback.tb_lineno)
            traceback = traceback.tb_next
        return None


def compile_mapping(direct, method_names, children=(), finalize=False, namespace=None):
    """Compile a mapper's direct mappings, mapping methods, children and finalize.

    :param direct: ``[(source, target), ...]``
    :param method_names: the mapping methods to call, in order
    :param children: ``[(source, target, child_entry), ...]``, mapped by
        ``mapper._map_child(map_record, child_entry)``
    :param finalize: call ``mapper.finalize(map_record, values)`` at the end
    :param namespace: names the mapper's error handling needs
        (``PASS_THROUGH``: the exceptions raised unchanged)
    :returns: a CompiledMapping whose ``function(mapper, map_record,
        options)`` returns the values
    """
    writer = SourceWriter()
    items = ['%r: %s' % (target, writer.source_expr(source, target))
             for source, target in direct]
    lines = ['def map_values(mapper, map_record, options):',
             '    record = map_record._source',
             '    previous = mapper._options',
             '    mapper._options = options',
             '    try:']
    owners = {}

    def add(line, owner):
        lines.append('        ' + line)
        owners[len(lines)] = owner

    for statement in writer.statements:
        add(statement, DIRECT)
    add('values = {%s}' % ', '.join(items), DIRECT)
    for name in method_names:
        if name.isidentifier() and not keyword.iskeyword(name):
            add('result = mapper.%s(record)' % name, name)
        else:
            add('result = getattr(mapper, %r)(record)' % name, name)
        add('if result is not None:', name)
        add('    if result.__class__ is not dict and not isinstance(result, dict):', name)
        add('        mapper._bad_result(record, %r, result)' % name, name)
        add('    values.update(result)', name)
    for source, target, entry in children:
        add('values[%r] = mapper._map_child(map_record, %s)' % (
            target, writer.name('ch', entry)), ('children', source))
    if finalize:
        add('values = mapper.finalize(map_record, values)', FINALIZE)
    add('return values', None)
    lines += ['    except PASS_THROUGH:',
              '        raise',
              '    except Exception as err:',
              '        raise mapper._explain(record, compiled, err) from err',
              '    finally:',
              '        mapper._options = previous']
    source = '\n'.join(lines)
    namespace = dict(namespace or {'PASS_THROUGH': ()}, **writer.namespace)
    exec(compile(source, '<mapping of %d fields>' % len(direct), 'exec'), namespace)
    compiled = CompiledMapping(namespace['map_values'], source, owners)
    namespace['compiled'] = compiled
    return compiled
