# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job queue's SQL, read from ``sql/``: every statement named and described.

The statements are in ``sql/queries.sql``, in blocks that start at a
``-- name: NAME`` line, with the comment lines above it saying what each
is for; ``queries.NAME`` is the text of block ``NAME``. The schema that the
ORM cannot declare (partial indexes, the notify trigger, the claim
functions) is in ``sql/schema.sql``: ``SCHEMA``. SQL lives in ``.sql`` files
so that it reads, diffs and is checked as SQL (``tools/static_checks.py``
loads every block into PostgreSQL); here are only the reader and the few
values the Python side shares with it.

Only ``store.py`` (``QueueStore``) executes these statements. They take
their values as psycopg2 parameters, never formatted into the text.
"""
import os
import re
from typing import Dict, List, Optional, Tuple

#: Name of the PostgreSQL notification channel: a notification is sent at
#: commit whenever a job is inserted or changes state, and wakes the workers.
#: Written as is in ``sql/`` (the trigger, LISTEN, NOTIFY_WORKERS);
#: ``tests/unit/test_queries.py`` checks they agree.
NOTIFY_CHANNEL = 'connector_queue_job'

#: Job states in which a job is not finished: an identity key is unique
#: among them. ``wait_dependencies``: a job of a graph (``queue/graph.py``)
#: waiting for the jobs it depends on to be done; never claimed. Written out
#: in ``sql/`` where a statement names them (``state IN (...)``: the identity
#: index's predicate must be spelled alike), checked by the same test.
UNFINISHED_STATES = ('pending', 'enqueued', 'started', 'wait_dependencies')

#: Job states in which a job may be waiting to start: a coalesce key is
#: unique among the jobs in these states that never started
#: (``date_started IS NULL``). Spelled alike in ``sql/`` (the coalesce index's
#: predicate), checked by the same test.
WAITING_STATES = ('pending', 'enqueued', 'wait_dependencies')

#: The columns of a job row that loading a job needs (``StoredJob``, in
#: ``job_value.py``): the select list of SELECT_JOB_ROW and LOCK_STARTED_JOB,
#: in this order.
JOB_ROW_COLUMNS = ('uuid', 'name', 'func_string', 'model_name', 'method_name', 'record_ids',
                   'args', 'kwargs', 'user_id', 'company_id', 'channel', 'retry',
                   'max_retries', 'priority', 'eta', 'identity_key')

#: The values of each line of COPY_JOBS (``QueueStore.enqueue_many``), in its
#: column order: keys of a job's INSERT_JOB parameters, ``now`` being the
#: transaction's time (TRANSACTION_NOW).
COPY_JOBS_FIELDS = ('uuid', 'name', 'func_string', 'model_name', 'method_name', 'record_ids',
                    'args', 'kwargs', 'user_id', 'company_id', 'channel', 'priority', 'eta',
                    'max_retries', 'user_id', 'user_id', 'now', 'now', 'now', 'state',
                    'retry', 'graph_uuid', 'about_model', 'about_id', 'backend_model',
                    'backend_id')

SQL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sql')

_NAME_LINE = re.compile(r'^-- name: ([A-Z][A-Z0-9_]*)[ \t]*$', re.M)


def parse_blocks(text: str) -> Dict[str, str]:
    """``{name: statement}`` of a file of named blocks.

    A block is the SQL between its ``-- name: NAME`` line and the next
    block's comments; comment lines and the final semicolon are left out, so
    that blocks can be joined with ``;`` into one round trip.

    >>> parse_blocks('-- The one.\\n-- name: ONE\\nSELECT 1;\\n\\n-- name: TWO\\nSELECT 2\\n')
    {'ONE': 'SELECT 1', 'TWO': 'SELECT 2'}
    """
    found = {}  # type: Dict[str, str]
    matches = list(_NAME_LINE.finditer(text))
    for match, following in zip(matches, matches[1:] + [None]):
        body = text[match.end():following.start() if following else len(text)]
        lines = [line for line in body.strip().splitlines()
                 if not line.lstrip().startswith('--')]
        statement = '\n'.join(lines).strip().rstrip(';').strip()
        name = match.group(1)
        if name in found or not statement:
            raise ValueError('SQL block %s: %s' % (
                name, 'named twice' if name in found else 'holds no statement'))
        found[name] = statement
    return found


_PLACEHOLDER = re.compile(r'%(?:\((\w+)\))?s')


def numbered(statement: str) -> Tuple[str, List[Optional[str]]]:
    """``statement`` with its psycopg2 parameters as $1, $2...: a named one keeps
    the number of its first appearance, each positional one (None) gets its own;
    and the parameters' names in the order of their numbers.

    >>> numbered("SELECT %(a)s + %(b)s * %(a)s, '%%'")
    ("SELECT $1 + $2 * $1, '%'", ['a', 'b'])
    >>> numbered('SELECT f(%s, %s)')
    ('SELECT f($1, $2)', [None, None])
    """
    names = []  # type: List[Optional[str]]

    def number(match):
        name = match.group(1)
        if name is None or name not in names:
            names.append(name)
            return '$%d' % len(names)
        return '$%d' % (names.index(name) + 1)

    return _PLACEHOLDER.sub(number, statement).replace('%%', '%'), names


def prepared_name(name: str) -> str:
    """The name block ``name`` is prepared under: ``connector_`` and its name."""
    return 'connector_' + name.lower()


def prepare_statement(name: str) -> str:
    """``PREPARE`` of block ``name``: for a connection that runs it many times,
    planned once instead of at every run (``QueueStore.prepare_job_statements``)."""
    return 'PREPARE %s AS %s' % (prepared_name(name), numbered(STATEMENTS[name])[0])


def execute_prepared(name: str) -> str:
    """``EXECUTE`` of block ``name`` prepared by ``prepare_statement``, taking the
    block's parameters as it does (psycopg2 fills them in), e.g. ``EXECUTE
    connector_set_done(%(result)s, %(id)s)``."""
    return 'EXECUTE %s(%s)' % (prepared_name(name), ', '.join(
        '%s' if param is None else '%%(%s)s' % param
        for param in numbered(STATEMENTS[name])[1]))


def _read(name: str) -> str:
    with open(os.path.join(SQL_DIR, name), encoding='utf-8') as sql_file:
        return sql_file.read()


#: ``{name: statement}``: every block of ``sql/queries.sql``.
STATEMENTS = parse_blocks(_read('queries.sql'))

#: ``sql/schema.sql``, run as one script when the addon is installed.
SCHEMA = _read('schema.sql')


def __getattr__(name: str) -> str:
    """``queries.NAME``: the statement of block NAME (PEP 562, Python 3.7)."""
    try:
        return STATEMENTS[name]
    except KeyError:
        raise AttributeError('connector/queue/sql/queries.sql has no block %r' % name) from None
