# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Check ``queue-sql``: the queue's SQL runs through one door, the store.

The queue's statements live in ``connector/queue/sql/*.sql``, read by
``connector/queue/queries.py``; ``QueueStore`` (``connector/queue/store.py``)
alone executes them, and every other module asks the store. This check reads
the addons' Python files (their tests aside) and reports any line elsewhere
that executes a statement of ``queries`` or holds SQL reading or writing a
``queue_job`` table. It reads the text, not the imports: a layer contract in
``.importlinter`` cannot see SQL.
"""
import os
import re

from .venv import ADDONS, REPO, rel

#: The Python files allowed to hold the queue's SQL (the reader) and run it (the store).
QUEUE_SQL_FILES = ('connector/queue/store.py', 'connector/queue/queries.py')

_RUNS_QUEUE_SQL = re.compile(r'\.execute\(.*(queries\.|queue_job)')
_QUEUE_TABLE_SQL = re.compile(r'(FROM|UPDATE|INTO|JOIN)\s+queue_job', re.I)


def _sources():
    """Path and text of each Python file of the addons, tests left out."""
    for addon in ADDONS:
        for root, dirs, files in os.walk(os.path.join(REPO, addon)):
            dirs[:] = sorted(d for d in dirs if d not in ('tests', '__pycache__'))
            for name in sorted(files):
                if name.endswith('.py'):
                    path = os.path.join(root, name)
                    with open(path) as handle:
                        yield rel(path), handle.read()


def queue_sql_outside_the_store():
    """'file:line: code' for each line outside ``QUEUE_SQL_FILES`` that runs
    or holds the queue's SQL."""
    found = []
    for path, text in _sources():
        if path in QUEUE_SQL_FILES:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if _RUNS_QUEUE_SQL.search(line) or _QUEUE_TABLE_SQL.search(line):
                found.append('%s:%d: %s' % (path, number, line.strip()))
    return found
