# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The check ``sql``: every block of ``connector/queue/sql/`` loaded into PostgreSQL.

Why PostgreSQL itself and not a linter: the claim is PL/pgSQL, which
sqlfluff and the like read as an opaque string (or refuse), and only the
server knows its own dialect, types and catalog. So, in a scratch database
made for the run and dropped after it, in one transaction that is rolled
back: the queue's tables as the ORM makes them (``queue_tables.sql``),
then ``schema.sql`` (the functions' bodies are parsed), then each
statement of ``queries.sql`` is PREPAREd -- parsed, its tables, columns
and types resolved, its parameters' types inferred, nothing run -- or run
when it cannot be prepared (SAVEPOINT, LISTEN, COPY...). Last, the claim
function runs over a few rows, so that its PL/pgSQL statements are planned.

Run by ``tools/static_checks.py`` (``--only sql``), or alone::

    python3 tools/staticcheck/sqlcheck.py

It reaches PostgreSQL with ``psql`` over the Unix socket as the current
user, as ``tools/dev.py`` does, and needs neither Odoo nor psycopg2.
Exit status 1 on a finding (printed with the block's name), 2 when
PostgreSQL cannot be reached.
"""
import importlib.util
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
QUERIES_PY = os.path.join(REPO, 'connector', 'queue', 'queries.py')
STAND_IN_TABLES = os.path.join(HERE, 'queue_tables.sql')

#: Statements PREPARE takes; the others are run as they are.
PREPARABLE = ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'VALUES')

#: After the statements: the claim over a few rows (a rated channel, a
#: sequential one, jobs in both), so that PostgreSQL plans its PL/pgSQL.
EXERCISE = """
INSERT INTO queue_job_channel (name, complete_name, capacity, sequential, rate_limit,
                               rate_period, rate_burst)
VALUES ('root', 'root', 0, false, 0, 1, 1), ('rated', 'root.rated', 1, false, 5, 1, 2),
       ('line', 'root.line', 0, true, 0, 1, 1);
INSERT INTO queue_job (uuid, name, state, channel, priority, retry, max_retries)
VALUES ('u1', 'j1', 'pending', 'root.rated', 10, 0, 5),
       ('u2', 'j2', 'pending', 'root.line.eu', 10, 0, 5);
INSERT INTO queue_job (uuid, name, state, channel, priority, retry, max_retries, coalesce_key)
VALUES ('u3', 'j3', 'pending', 'root', 10, 0, 5, 'stock P-1');
SELECT connector_claim_next_job_v4('sqlcheck'), connector_claim_next_job_v4('sqlcheck'),
       connector_claim_next_job_v4('sqlcheck');
"""


def load_queries_module():
    """``connector/queue/queries.py`` by its path: a pure module (no Odoo)."""
    spec = importlib.util.spec_from_file_location('connector_queue_queries', QUERIES_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def numbered(statement):
    """``statement`` with psycopg2's placeholders as PREPARE's $1, $2..."""
    names = []

    def number(match):
        if match.group(0) == '%%':
            return '%'
        name = match.group(1)
        if name is None or name not in names:
            names.append(name or '#%d' % len(names))
        return '$%d' % (names.index(name) + 1 if name else len(names))
    return re.sub(r'%(?:\((\w+)\))?s|%%', number, statement)


def check_script(queries):
    """The psql script: (its text, the block each of its lines belongs to)."""
    lines, owners = [], []

    def add(text, owner):
        for line in text.splitlines():
            lines.append(line)
            owners.append(owner)
    add('BEGIN;', 'setup')
    with open(STAND_IN_TABLES) as tables:
        add(tables.read(), 'queue_tables.sql')
    add(queries.SCHEMA, 'schema.sql')
    last, transaction_control = [], []
    for name, statement in queries.STATEMENTS.items():
        keyword = statement.split(None, 1)[0].upper().rstrip(';')
        if keyword in ('COMMIT', 'BEGIN') or statement.upper().startswith('SET TRANSACTION'):
            # they would end the check's transaction, or must come first in one
            transaction_control.append((statement + ';', name))
        elif keyword in PREPARABLE:
            add('PREPARE sqlcheck_%s AS %s;' % (name.lower(), numbered(statement)), name)
        elif keyword in ('RELEASE', 'ROLLBACK'):
            add('SAVEPOINT %s; %s;' % (statement.split()[-1], statement), name)
        elif keyword == 'COPY':
            add(statement + ';\n\\.', name)
        elif keyword == 'DO':
            last.append((statement + ';', name))  # it drops the functions
        else:
            add(statement + ';', name)
    add(EXERCISE, 'the claim over a few rows')
    for statement, name in last:
        add(statement, name)
    add('ROLLBACK;', 'setup')
    add('BEGIN;', 'setup')
    for statement, name in sorted(transaction_control, key=lambda item: not item[0].upper()
                                  .startswith('SET TRANSACTION')):
        add(statement, name)
    add('ROLLBACK;', 'setup')
    return '\n'.join(lines) + '\n', owners


def psql(database, *args, **kwargs):
    return subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database] +
                          list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kwargs)


def main():
    script, owners = check_script(load_queries_module())
    scratch = 'connector_sqlcheck_%d' % os.getpid()
    try:
        created = psql('postgres', '-c', 'CREATE DATABASE %s TEMPLATE template0' % scratch)
    except OSError as err:
        print('cannot run psql (%s): install the PostgreSQL client' % err)
        return 2
    if created.returncode != 0:
        print('cannot create the scratch database %s: %s' % (scratch, created.stdout.strip()))
        return 2
    try:
        proc = psql(scratch, '-f', '-', input=script)
    finally:
        psql('postgres', '-c', 'DROP DATABASE IF EXISTS %s' % scratch)
    if proc.returncode == 0:
        return 0
    where = re.search(r'^psql:<stdin>:(\d+): ', proc.stdout, re.M)
    block = owners[int(where.group(1)) - 1] if where and int(where.group(1)) <= len(owners) \
        else '?'
    print('%s: %s' % (block, proc.stdout.strip()))
    return 1


if __name__ == '__main__':
    sys.exit(main())
