# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Check ``pure``: the modules of pure logic reach neither Odoo nor psycopg2.

import-linter cannot say it here (see ``.importlinter``): this module reads
the imports of each file of ``PURE_MODULES``, inside functions too, and
follows those of this repository's other modules.
"""
import ast
import os

from .venv import REPO, rel

#: The modules of pure logic, tested without a database (tests/unit/): channel
#: configuration, retry delays, argument encoding, what a job is about, the
#: queue's SQL text, the job graph drawing, mapping records and decorators,
#: the exceptions. They must not import the
#: ORM or a database driver, not even through another module of ours (check
#: ``pure``; import-linter cannot express it here, see .importlinter).
PURE_MODULES = [
    'connector/exception.py',
    'connector/models/graph_drawing.py',
    'connector/queue/about.py',
    'connector/queue/channels.py',
    'connector/queue/rate_limits.py',
    'connector/queue/encoding.py',
    'connector/queue/queries.py',
    'connector/queue/retry.py',
    'connector/unit/mapper/decorators.py',
    'connector/unit/mapper/map_record.py',
    'connector/webhook.py',
]
IMPURE_PACKAGES = ('odoo', 'psycopg2')


def _imported_modules(path):
    """(line, dotted name) of every import in the file at ``path``, inside
    functions too; relative imports resolved (``odoo.addons.`` dropped)."""
    module = os.path.relpath(path, REPO)[:-3].replace(os.sep, '.')
    package = module.rsplit('.', 1)[0] if not module.endswith('__init__') else module[:-9]
    with open(path) as fh:
        tree = ast.parse(fh.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                parts = package.split('.')[:len(package.split('.')) - node.level + 1]
                base = '.'.join(parts + ([base] if base else []))
            # `from pkg import name`: name may be a submodule of pkg
            names = [base] + ['%s.%s' % (base, alias.name) for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith('odoo.addons.'):
                name = name[len('odoo.addons.'):]
            yield node.lineno, name


def _module_file(name):
    """The file of our module ``name`` (a.b.c), or None when it is not ours."""
    base = os.path.join(REPO, *name.split('.'))
    for path in (base + '.py', os.path.join(base, '__init__.py')):
        if os.path.isfile(path):
            return path
    return None


def impure_imports(start):
    """Import chains from the file ``start`` to Odoo or psycopg2, following our
    own modules; each chain a list of 'file:line name' steps."""
    found, seen, todo = [], {start}, [(start, [])]
    while todo:
        path, chain = todo.pop()
        reported = set()  # one finding per import statement
        for line, name in _imported_modules(path):
            step = chain + ['%s:%d %s' % (rel(path), line, name)]
            if name.split('.')[0] in IMPURE_PACKAGES:
                if line not in reported:
                    reported.add(line)
                    found.append(step)
                continue
            target = _module_file(name)
            if target and target not in seen:
                seen.add(target)
                todo.append((target, step))
    return found
