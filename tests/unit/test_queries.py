# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The text of the queue's statements (``connector/queue/sql/``), checked
without PostgreSQL.

Whether each statement is valid SQL is checked by ``tools/static_checks.py``
(``sql``: every block loaded into PostgreSQL) and by the integration tier
(``tests/integration/test_queue_store.py`` runs every one). What the text alone shows:
the blocks are read as written, their parameters are written so that
psycopg2 can pass them, and the values the Python side shares with the SQL
(the notification channel, the unfinished states, the job row's columns)
agree.
"""
import re

import pytest

from odoo.addons.connector.queue import queries
from odoo.addons.connector.queue.job import StoredJob

PLACEHOLDER = re.compile(r'%(?:\((?P<name>[A-Za-z_][A-Za-z0-9_]*)\))?s|%%')

STATEMENTS = sorted(queries.STATEMENTS)


def placeholders(text):
    """(positional count, named parameters) of a statement's text."""
    found = [match for match in PLACEHOLDER.finditer(text) if match.group(0) != '%%']
    named = {match.group('name') for match in found if match.group('name')}
    return len(found) - sum(1 for match in found if match.group('name')), named


def test_statements_are_found_and_read_as_attributes():
    """Each block of queries.sql is queries.NAME: the claim and the outcomes among them."""
    assert {'CLAIM_NEXT_JOB', 'INSERT_JOB', 'SET_DONE', 'SET_FAILED'} <= set(STATEMENTS)
    assert queries.SET_DONE == queries.STATEMENTS['SET_DONE']
    assert queries.SET_DONE.startswith('UPDATE queue_job SET') and ';' not in queries.SET_DONE
    with pytest.raises(AttributeError, match="queries.sql has no block 'SET_DONNE'"):
        queries.SET_DONNE  # pylint: disable=pointless-statement


def test_a_block_named_twice_is_refused():
    """Two blocks of one name would hide one: the reader says which name."""
    with pytest.raises(ValueError, match='SQL block ONE: named twice'):
        queries.parse_blocks('-- name: ONE\nSELECT 1;\n-- name: ONE\nSELECT 2;\n')


@pytest.mark.parametrize('name', STATEMENTS)
def test_parameters_are_all_positional_or_all_named(name):
    """psycopg2 refuses a statement mixing %s and %(name)s: each uses one kind."""
    positional, named = placeholders(queries.STATEMENTS[name])
    assert not (positional and named), '%s mixes %%s with %%(%s)s' % (name, sorted(named)[0])


@pytest.mark.parametrize('name', STATEMENTS)
def test_every_percent_of_a_parametrized_statement_is_a_placeholder(name):
    """With parameters, a bare % (LIKE 'x%') breaks the statement: it must be %%."""
    text = queries.STATEMENTS[name]
    positional, named = placeholders(text)
    if positional or named:
        stray = PLACEHOLDER.sub('', text)
        assert '%' not in stray, '%s has a "%%" that is not a placeholder: %r' % (
            name, stray[max(0, stray.index('%') - 30):stray.index('%') + 10])


def test_workers_listen_where_the_trigger_notifies():
    """The NOTIFY trigger, NOTIFY_WORKERS and the workers' LISTEN use the one channel."""
    assert queries.LISTEN == 'LISTEN %s' % queries.NOTIFY_CHANNEL
    assert queries.NOTIFY_WORKERS == "SELECT pg_notify('%s', '')" % queries.NOTIFY_CHANNEL
    assert "pg_notify('%s', '')" % queries.NOTIFY_CHANNEL in queries.SCHEMA


def test_the_sql_names_the_unfinished_states_as_python_does():
    """Every `state IN (...)` list that holds wait_dependencies is UNFINISHED_STATES
    or WAITING_STATES: the identity key's index, INSERT_JOB's conflict target and
    the lookups agree, and so do the coalesce key's."""
    texts = [queries.SCHEMA] + list(queries.STATEMENTS.values())
    lists = [tuple(re.findall(r"'(\w+)'", found)) for text in texts
             for found in re.findall(r'state IN \(([^)]*)\)', text)
             if 'wait_dependencies' in found]
    # the index, INSERT_JOB, FIND_BY_IDENTITY_KEY, KNOWN_CHANNELS
    assert lists.count(queries.UNFINISHED_STATES) == 4
    # the index, INSERT_COALESCING_JOB, LOCK_ and FIND_WAITING_BY_COALESCE_KEY; the
    # claim lanes' index, the channel trigger and the claim moving a channel's jobs
    assert lists.count(queries.WAITING_STATES) == 7
    assert len(lists) == 11


@pytest.mark.parametrize('name', ['SELECT_JOB_ROW', 'LOCK_STARTED_JOB'])
def test_job_rows_are_read_with_the_columns_job_from_row_expects(name):
    """The select list of the statements that load a Job is JOB_ROW_COLUMNS, in order."""
    select_list = re.match(r'SELECT (.*?)\s+FROM queue_job', queries.STATEMENTS[name], re.S)
    assert tuple(re.split(r',\s*', select_list.group(1))) == queries.JOB_ROW_COLUMNS


def test_the_claim_and_lock_reads_the_job_row_columns_after_the_kept_claim():
    """LOCK_CLAIMED_JOB: the kept claim and channels hint, then the locked row's
    JOB_ROW_COLUMNS in order (QueueStore.claim_and_lock reads them so)."""
    statement = queries.STATEMENTS['LOCK_CLAIMED_JOB']
    outer = re.match(r'SELECT (.*?)\s+FROM \(SELECT', statement, re.S).group(1)
    assert outer == 'claimed.setting, claimed.channels_hint, job.*', outer
    inner = re.search(r'LATERAL \(\s*SELECT (.*?)\s+FROM queue_job', statement, re.S).group(1)
    assert tuple(re.split(r',\s*', inner)) == queries.JOB_ROW_COLUMNS


def test_both_claims_run_the_same_claim_function():
    """The worker's claim (CLAIM_INTO_SESSION) and CLAIM_NEXT_JOB (perform_jobs, the
    benchmarks) call one claim function: a new version of it changes both."""
    called = [re.findall(r'connector_claim_next_job_v\d+', queries.STATEMENTS[name])
              for name in ('CLAIM_INTO_SESSION', 'CLAIM_NEXT_JOB')]
    assert called[0] == called[1] and len(called[0]) == 1, called


def test_the_sql_is_written_out_not_stitched():
    """No statement or schema is assembled from Python pieces any more."""
    source = open(queries.__file__.replace('.pyc', '.py')).read()
    assert '""" +' not in source and "+ '''" not in source


def test_a_stored_job_is_read_from_exactly_the_job_row_columns():
    """StoredJob (job_value.py) takes the row as the statements read it, field by field."""
    assert StoredJob._fields == queries.JOB_ROW_COLUMNS


@pytest.mark.parametrize('name', ['LOCK_STARTED_JOB', 'SET_DONE', 'CLAIM_NEXT_JOB',
                                  'CLAIM_INTO_SESSION', 'LOCK_CLAIMED_JOB',
                                  'RELEASE_DEPENDENTS'])
def test_prepared_statements_take_the_parameters_of_their_block(name):
    """A worker's prepared statement is its block's text, parameters numbered; its
    EXECUTE takes the block's parameters, so the store passes the same values."""
    prepare = queries.prepare_statement(name)
    assert prepare.startswith('PREPARE connector_%s AS ' % name.lower())
    assert '%(' not in prepare and '%s' not in prepare
    execute = queries.execute_prepared(name)
    assert placeholders(execute) == placeholders(queries.STATEMENTS[name])
    numbers = {int(n) for n in re.findall(r'\$(\d+)', prepare)}
    assert numbers == set(range(1, len(queries.numbered(queries.STATEMENTS[name])[1]) + 1))
