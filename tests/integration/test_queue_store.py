# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Integration tier: each statement of ``connector/queue/sql/queries.sql``, run by
``QueueStore`` against the real PostgreSQL database, no worker process.

Most tests run in one transaction that starts by emptying the queue's tables
and is rolled back: they see only their own jobs, channels and workers, and
PostgreSQL's ``now()`` stays the same throughout. The tests of two
concurrent transactions (identity keys, the claim lock, a running job's
row lock) commit their rows under a unique tag and delete them at the end.
The last test checks that every named statement was run.

Run with ``tools/dev.py pytest tests/integration/test_queue_store.py`` (a few seconds).
"""
import contextlib
import importlib.util
import os
import re
import threading
import time
import uuid
from datetime import datetime, timedelta

import odoo
import psycopg2
import pytest
from odoo import SUPERUSER_ID, api
from psycopg2 import sql

from odoo.addons.connector.jobrunner.execute import claim_job, run_job
from odoo.addons.connector.jobrunner.job_connection import JobConnection
from odoo.addons.connector.queue import queries
from odoo.addons.connector.queue.channels import ChannelSpec
from odoo.addons.connector.queue.job import Job
from odoo.addons.connector.queue.outcome import Outcome
from odoo.addons.connector.queue.rate_limits import RateLimit
from odoo.addons.connector.queue.store import QueueStore
from odoo.addons.connector.queue.testing import perform_jobs
from odoo.addons.connector.session import ConnectorSession, ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import ROW_MODEL, db_name, poll_until

#: Texts of the statements run by the stores of this module.
EXECUTED = []
#: Names of the tests of this module that ran (the coverage test needs them all).
RAN = set()
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

COLUMNS = ('id', 'uuid', 'name', 'state', 'channel', 'priority', 'eta', 'retry', 'max_retries',
           'identity_key', 'result', 'exc_info', 'worker_name', 'date_started', 'date_done',
           'write_date')


class RecordingCursor(object):
    """A psycopg2 cursor that remembers the text of every statement it runs."""

    def __init__(self, cr):
        self._cr = cr

    def execute(self, query, params=None):
        EXECUTED.append(query.as_string(self._cr) if isinstance(query, sql.Composable)
                        else query)
        return self._cr.execute(query, params)

    def copy_expert(self, query, data):
        EXECUTED.append(query)
        return self._cr.copy_expert(query, data)

    def __getattr__(self, name):
        return getattr(self._cr, name)


def connect():
    _db, info = odoo.sql_db.connection_info_for(db_name())
    cnx = psycopg2.connect(application_name='test_queue_store', **info)
    cnx.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_READ_COMMITTED)
    # Odoo makes psycopg2 return timestamps as text; here, datetimes as usual
    psycopg2.extensions.register_type(psycopg2.extensions.PYDATETIME, cnx)
    return cnx


class Queue(object):
    """A store on its own connection, with helpers to add jobs and read them back."""

    def __init__(self, cnx):
        self.cnx = cnx
        self.cr = cnx.cursor()
        self.store = QueueStore(RecordingCursor(self.cr))
        self.cr.execute("SELECT now() at time zone 'utc'")
        self.now = self.cr.fetchone()[0]  # the transaction's now(), as the statements see it

    def sql(self, query, params=None):
        self.cr.execute(query, params)
        return self.cr.fetchall() if self.cr.description else None

    def add(self, name, channel='root', priority=10, eta=None, identity_key=None,
            max_retries=5, coalesce_key=None, **columns):
        """Enqueue job ``name``, then set ``columns`` on its row; its id."""
        self.store.enqueue({
            'uuid': str(uuid.uuid4()), 'name': name, 'func_string': 'tests.' + name,
            'model_name': None, 'method_name': None, 'record_ids': None, 'args': '[]',
            'kwargs': '{}', 'user_id': SUPERUSER_ID, 'company_id': 1, 'channel': channel,
            'priority': priority, 'eta': eta, 'max_retries': max_retries,
            'identity_key': identity_key, 'coalesce_key': coalesce_key})
        job_id = self.id(name)
        if columns:
            self.set(name, **columns)
        return job_id

    def set(self, name, **columns):
        if 'state' in columns:  # queue_job's CHECK constraints: what a state implies
            ended = columns['state'] in ('done', 'failed', 'cancelled')
            columns.setdefault('date_done', self.now if ended else None)
            if columns['state'] == 'started':
                columns.setdefault('worker_name', 'w1')
        assignments = sql.SQL(', ').join(sql.SQL('{} = %s').format(sql.Identifier(column))
                                         for column in columns)
        self.cr.execute(sql.SQL('UPDATE queue_job SET {} WHERE name = %s').format(assignments),
                        list(columns.values()) + [name])

    def clock(self):
        """The present, as PostgreSQL's clock reads it (not the transaction's now())."""
        return self.sql("SELECT clock_timestamp() at time zone 'utc'")[0][0]

    def id(self, name):
        return self.sql('SELECT id FROM queue_job WHERE name = %s', (name,))[0][0]

    def row(self, name):
        rows = self.sql('SELECT %s FROM queue_job WHERE name = %%s' % ', '.join(COLUMNS), (name,))
        return dict(zip(COLUMNS, rows[0])) if rows else None

    def state(self, name):
        return self.row(name)['state']

    def claims(self, worker='w1', limit=20):
        """Names of the jobs claimed one after the other until none is runnable."""
        names = []
        for _ in range(limit):
            job_id = self.store.claim_next(worker)
            if job_id is None:
                return names
            names.append(self.sql('SELECT name FROM queue_job WHERE id = %s', (job_id,))[0][0])
        return names

    def close(self):
        self.cnx.rollback()
        self.cnx.close()


@pytest.fixture(autouse=True)
def _count_run(request):
    yield
    RAN.add(getattr(request.node, 'originalname', None) or request.node.name)


@pytest.fixture(name='queue')
def queue_fixture():
    """A rolled-back transaction in which the queue's tables start empty."""
    cnx = connect()
    queue = Queue(cnx)
    queue.sql('DELETE FROM queue_job; DELETE FROM queue_job_worker; '
              'DELETE FROM queue_job_channel; DELETE FROM queue_job_channel_state')
    queue.store.prepare_claims()
    yield queue
    queue.close()


@pytest.fixture(name='tag')
def tag_fixture():
    """A unique tag for committed rows; deletes them at the end."""
    value = 'qs%s' % uuid.uuid4().hex[:10]
    yield value
    cnx = connect()
    with cnx.cursor() as cr:
        cr.execute("DELETE FROM queue_job WHERE name LIKE %s OR channel LIKE %s",
                   (value + '%', 'root.' + value + '%'))
        cr.execute('DELETE FROM queue_job_worker WHERE name LIKE %s', (value + '%',))
        cr.execute('DELETE FROM queue_job_channel WHERE complete_name LIKE %s',
                   ('root.' + value + '.%',))
        cr.execute('DELETE FROM queue_job_channel WHERE complete_name LIKE %s',
                   ('root.' + value + '%',))
        cr.execute('DELETE FROM queue_job_channel_state WHERE channel LIKE %s',
                   ('root.' + value + '%',))
        cr.execute('DELETE FROM test_queue_job_row WHERE key LIKE %s', (value + '%',))
    cnx.commit()
    cnx.close()


def wait_blocked(queue, pid):
    """Wait until the backend ``pid`` waits for a lock held by another transaction."""
    deadline = time.time() + 60
    while time.time() < deadline:
        rows = queue.sql('SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s', (pid,))
        if rows and rows[0][0] == 'Lock':
            return
        time.sleep(0.01)
    pytest.fail('backend %s never waited for a lock' % pid)


def in_thread(func):
    """Run ``func`` in a thread; join() gives its result."""
    result = {}

    def target():
        try:
            result['value'] = func()
        except Exception as err:  # shown by join()
            result['error'] = err
    thread = threading.Thread(target=target, daemon=True)
    thread.start()

    def join():
        thread.join(10)
        assert not thread.is_alive(), 'the waiting transaction never went on'
        if 'error' in result:
            raise result['error']
        return result['value']
    return join


# ------------------------------------------------------------------ schema

def test_schema_sql_is_what_the_install_created():
    """The install ran sql/schema.sql: its indexes, triggers and functions are there,
    under the names the file gives, and no older name is left."""
    queue = Queue(connect())
    try:
        assert queue.store.is_installed()
        created = set(re.findall(r'^CREATE (?:UNIQUE )?(?:INDEX|TRIGGER|FUNCTION) (\w+)',
                                 queries.SCHEMA, re.M))
        assert {'queue_job_pending_free_idx', 'queue_job_pending_bounded_idx',
                'connector_claim_next_job_v4', 'connector_queue_job_notify_update',
                'connector_channel_lanes'} <= created
        present = {row[0] for row in queue.sql(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'queue_job' "
            "UNION SELECT tgname FROM pg_trigger "
            "WHERE tgrelid IN ('queue_job'::regclass, 'queue_job_channel'::regclass, "
            "'queue_job_channel_state'::regclass) "
            "UNION SELECT proname FROM pg_proc WHERE proname LIKE 'connector%'")}
        assert created <= present
        assert {name for name in present if name.startswith('connector_')} <= created
    finally:
        queue.close()


def _migration(version, stage='post'):
    """The module of connector's migration script ``stage`` of ``version``."""
    path = os.path.join(REPO, 'connector', 'migrations', version, '%s-migrate.py' % stage)
    spec = importlib.util.spec_from_file_location(
        'connector_migration_%s_%s' % (version.replace('.', '_'), stage), path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def test_the_migrations_replace_the_old_schema_by_schema_sql():
    """Upgrading from 11.0.1.0.0: the unversioned functions, their triggers and the
    old index names are dropped, and schema.sql's objects are there (rolled back):
    those of 11.0.1.1.0 (frozen beside its migration), then 11.0.1.3.0's index,
    then 11.0.1.4.0's coalesce key indexes and claim, then 11.0.1.5.0's lanes and claim."""
    queue = Queue(connect())
    try:
        catalog = ("SELECT indexname FROM pg_indexes WHERE tablename = 'queue_job' "
                   "UNION SELECT tgname || ' -> ' || tgfoid::regproc FROM pg_trigger "
                   "WHERE tgrelid IN (SELECT oid FROM pg_class WHERE relname IN "
                   "('queue_job', 'queue_job_channel', 'queue_job_channel_state')) "
                   "AND NOT tgisinternal "
                   "UNION SELECT proname FROM pg_proc WHERE proname LIKE 'connector%' "
                   "UNION SELECT column_name FROM information_schema.columns "
                   "WHERE table_name = 'queue_job' AND column_name = 'claim_bounded' "
                   "UNION SELECT tablename FROM pg_tables WHERE tablename LIKE 'queue_job%'")
        installed = queue.sql(catalog)
        # Given the 11.0.1.0.0 schema: no versioned function, the old names
        queue.store.drop_schema_functions()  # and the triggers with them
        queue.sql("""
            CREATE FUNCTION connector_queue_job_notify() RETURNS trigger AS
                $$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql;
            CREATE TRIGGER connector_queue_job_notify_insert AFTER INSERT ON queue_job
                FOR EACH STATEMENT EXECUTE PROCEDURE connector_queue_job_notify();
            CREATE FUNCTION connector_claim_next_job(p_worker varchar) RETURNS integer AS
                $$ SELECT NULL::integer $$ LANGUAGE sql;
            CREATE FUNCTION connector_pending_groups(p_channel varchar) RETURNS integer AS
                $$ SELECT NULL::integer $$ LANGUAGE sql;
            CREATE INDEX queue_job_pending_order_idx ON queue_job (priority);
            DROP INDEX queue_job_backend_idx;
            DROP INDEX queue_job_coalesce_key_waiting_uniq;
            DROP INDEX queue_job_coalesce_key_started_idx;
            DROP INDEX queue_job_started_failed_c_idx;
            DROP INDEX queue_job_unfinished_channel_idx;
            ALTER TABLE queue_job DROP COLUMN claim_bounded""")
        # When the migrations run, each from the version before it
        _migration('11.0.1.1.0').migrate(queue.store.cr, '11.0.1.0.0')
        assert 'queue_job_backend_idx' not in {row[0] for row in queue.sql(catalog)}
        _migration('11.0.1.3.0').migrate(queue.store.cr, '11.0.1.2.0')
        assert 'connector_claim_next_job_v2' in {row[0] for row in queue.sql(catalog)}
        _migration('11.0.1.4.0').migrate(queue.store.cr, '11.0.1.3.0')
        assert 'connector_claim_next_job_v3' in {row[0] for row in queue.sql(catalog)}
        _migration('11.0.1.5.0').migrate(queue.store.cr, '11.0.1.4.0')
        # Then the catalog is the fresh install's
        assert sorted(queue.sql(catalog)) == sorted(installed)
    finally:
        queue.close()


def test_the_sql_checks_stand_in_tables_are_the_orms():
    """tools/staticcheck/queue_tables.sql, the tables the static check loads the SQL
    against, has the columns and types of the queue's tables that the ORM made (the
    columns schema.sql adds itself, ALTER TABLE, are added to the stand-in by it too)."""
    stand_in = os.path.join(REPO, 'tools', 'staticcheck', 'queue_tables.sql')
    with open(stand_in) as handle:
        text = handle.read()
    declared = {}
    for table, body in re.findall(r'CREATE TABLE (queue_job\w*) \((.*?)\);', text, re.S):
        for column in re.split(r',\s*', re.sub(r'\([^)]*\)', '', body)):
            words = column.split()
            if words and words[0] != 'UNIQUE':
                declared[table, words[0]] = {'serial': 'integer', 'varchar': 'character varying',
                                             'timestamp': 'timestamp without time zone'}.get(
                                                 words[1], words[1])
    added = set(re.findall(r'^ALTER TABLE (\w+) ADD COLUMN (\w+)', queries.SCHEMA, re.M))
    assert added, 'schema.sql adds claim_bounded to queue_job'
    queue = Queue(connect())
    try:
        real = {(table, column): kind for table, column, kind in queue.sql(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_name IN %s", (tuple({table for table, _column in declared}),))}
    finally:
        queue.close()
    assert declared == {key: kind for key, kind in real.items() if key not in added}


def test_a_committed_insert_notifies_the_listeners(tag):
    """LISTEN: a transaction that inserts a job wakes the workers at its commit."""
    listener = connect()
    listener.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    try:
        QueueStore(RecordingCursor(listener.cursor())).listen()
        producer = Queue(connect())
        producer.add(tag + '-job')
        listener.poll()
        assert listener.notifies == [], 'notified before the commit'
        producer.cnx.commit()
        producer.close()
        deadline = time.time() + 60
        while not listener.notifies and time.time() < deadline:
            listener.poll()
            time.sleep(0.01)
        assert [n.channel for n in listener.notifies] == [queries.NOTIFY_CHANNEL]
    finally:
        listener.close()


def test_a_change_of_state_notifies_only_when_a_job_may_be_runnable(tag):
    """A job pending again, or the end of a bounded job (its slot freed: the ends
    sequence moves too), wakes the workers; a start, the end of a free job, a state
    written again do not. The notify function decides (its trigger has no WHEN):
    each change is committed, then a marker notification, and what came before the
    marker is what the change sent."""
    bounded = 'root.%sb' % tag
    producer = Queue(connect())
    listener = connect()
    listener.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    try:
        producer.store.apply_channels([ChannelSpec(bounded, 2)])
        free_id = producer.add(tag + '-free')
        bounded_id = producer.add(tag + '-bounded', channel=bounded)
        producer.cnx.commit()
        assert producer.sql('SELECT claim_bounded FROM queue_job WHERE id IN %s ORDER BY id',
                            ((free_id, bounded_id),)) == [(False,), (True,)]
        QueueStore(RecordingCursor(listener.cursor())).listen()
        ends = "SELECT pg_sequence_last_value('connector_queue_ends_seq')"

        def marker_came():
            listener.poll()
            return any(note.payload == 'marker' for note in listener.notifies)

        def change(write):
            """(whether committing ``write()`` notified, whether it moved the ends sequence)"""
            before = producer.sql(ends)[0][0]
            write()
            producer.cnx.commit()
            moved = producer.sql(ends)[0][0] != before
            producer.sql('SELECT pg_notify(%s, %s)', (queries.NOTIFY_CHANNEL, 'marker'))
            producer.cnx.commit()
            assert poll_until(marker_came, 60), 'the marker notification never came'
            payloads = [note.payload for note in listener.notifies]
            del listener.notifies[:]
            return payloads.index('marker') > 0, moved

        def start(job_id):
            return lambda: producer.store.start_job(job_id, tag + '-w')

        def state(name, value):
            return lambda: producer.set(tag + name, state=value)

        assert change(start(free_id)) == (False, False)
        assert change(state('-free', 'started')) == (False, False)
        assert change(state('-free', 'done')) == (False, False)
        assert change(state('-free', 'pending')) == (True, False)
        assert change(state('-free', 'pending')) == (False, False)
        assert change(start(bounded_id)) == (False, False)
        assert change(state('-bounded', 'failed')) == (True, True)
        assert change(state('-bounded', 'pending')) == (True, True)
        assert change(state('-bounded', 'wait_dependencies')) == (False, False)
        assert change(state('-bounded', 'pending')) == (True, False)
    finally:
        listener.close()
        producer.close()


# ----------------------------------------------------------------- enqueue

def test_enqueue_stores_a_pending_job_and_reads_back_its_row(queue):
    queue.add('export', channel='root.export', priority=3, max_retries=7)
    job_uuid = queue.row('export')['uuid']
    row = queue.store.job_row(job_uuid)
    assert tuple(row) == queries.JOB_ROW_COLUMNS
    assert (row['name'], row['channel'], row['retry'], row['max_retries'], row['user_id']) == (
        'export', 'root.export', 0, 7, SUPERUSER_ID)
    assert queue.state('export') == 'pending'
    assert queue.store.job_row('no-such-uuid') is None


def test_enqueue_many_stores_the_rows_enqueue_would(queue):
    """One COPY for many jobs; each row as enqueue() writes it, odd text included, with
    what the job is about."""
    def values(name, **more):
        return dict({'uuid': str(uuid.uuid4()), 'name': name, 'func_string': 'tests.many',
                     'model_name': 'res.partner', 'method_name': None, 'record_ids': None,
                     'args': '["tab\\there", "back\\\\slash"]', 'kwargs': '{}',
                     'user_id': SUPERUSER_ID, 'company_id': 1, 'channel': 'root.many',
                     'priority': 4, 'eta': queue.now + timedelta(hours=1), 'max_retries': 3,
                     'identity_key': None, 'about_model': 'shop.binding', 'about_id': 12,
                     'backend_model': 'shop.backend', 'backend_id': 3}, **more)

    def about(name):
        return queue.sql('SELECT about_model, about_id, backend_model, backend_id '
                         'FROM queue_job WHERE name = %s', (name,))
    odd = 'Import "Ñandú"\tline\nnext \\ end\r'
    queue.store.enqueue(values('single ' + odd))
    assert queue.store.enqueue_many([values('many ' + odd), values('more')]) == 2
    single, many = queue.row('single ' + odd), queue.row('many ' + odd)
    assert many is not None, 'the name came back as it was sent'
    for column in ('id', 'uuid', 'name'):
        single.pop(column), many.pop(column)
    assert many == single
    assert about('many ' + odd) == about('single ' + odd) == [
        ('shop.binding', 12, 'shop.backend', 3)]
    assert queue.state('more') == 'pending'
    for key in ('identity_key', 'coalesce_key'):
        with pytest.raises(ValueError, match='without identity or coalesce key'):
            queue.store.enqueue_many([values('keyed', **{key: 'k'})])
    assert queue.store.enqueue_many([]) == 0


def test_identity_key_returns_the_unfinished_job_holding_it(queue):
    """A second job with the key of an unfinished one is not stored; once done, it is."""
    queue.add('first', identity_key='partner-1')
    first_uuid = queue.row('first')['uuid']
    values = {'uuid': str(uuid.uuid4()), 'name': 'second', 'func_string': 'tests.second',
              'model_name': None, 'method_name': None, 'record_ids': None, 'args': '[]',
              'kwargs': '{}', 'user_id': SUPERUSER_ID, 'company_id': 1, 'channel': 'root',
              'priority': 10, 'eta': None, 'max_retries': 5, 'identity_key': 'partner-1'}
    for state in ('pending', 'started'):
        queue.set('first', state=state)
        assert queue.store.enqueue(values) == first_uuid
        assert queue.row('second') is None
    queue.set('first', state='done')
    assert queue.store.enqueue(values) == values['uuid']
    assert queue.state('second') == 'pending'


def _key_values(tag, name):
    return {'uuid': str(uuid.uuid4()), 'name': '%s-%s' % (tag, name), 'func_string': 'tests.k',
            'model_name': None, 'method_name': None, 'record_ids': None, 'args': '[]',
            'kwargs': '{}', 'user_id': SUPERUSER_ID, 'company_id': 1,
            'channel': 'root.' + tag, 'priority': 10, 'eta': None, 'max_retries': 5,
            'identity_key': tag + '-key'}


def test_two_transactions_delaying_one_key_store_one_job(tag):
    """Transaction A delays key K and has not committed; B delays K too: B waits for
    A, then gets A's job instead of storing a second one."""
    first, second = Queue(connect()), Queue(connect())
    try:
        first_uuid = first.store.enqueue(_key_values(tag, 'a'))
        joined = in_thread(lambda: second.store.enqueue(_key_values(tag, 'b')))
        wait_blocked(first, second.cnx.get_backend_pid())
        first.cnx.commit()
        assert joined() == first_uuid
        second.cnx.commit()
        assert first.sql('SELECT name FROM queue_job WHERE identity_key = %s',
                         (tag + '-key',)) == [(tag + '-a',)]
    finally:
        first.close()
        second.close()


def test_a_key_released_by_a_rollback_is_stored_by_the_waiting_transaction(tag):
    """A delays K then rolls back: B, which waited for A, stores its own job."""
    first, second = Queue(connect()), Queue(connect())
    try:
        first.store.enqueue(_key_values(tag, 'a'))
        second_values = _key_values(tag, 'b')
        joined = in_thread(lambda: second.store.enqueue(second_values))
        wait_blocked(first, second.cnx.get_backend_pid())
        first.cnx.rollback()
        assert joined() == second_values['uuid']
    finally:
        first.close()
        second.close()


def repeatable_read():
    """A Queue whose transaction is REPEATABLE READ (as Odoo's), snapshot taken."""
    cnx = connect()
    cnx.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ)
    return Queue(cnx)


@contextlib.contextmanager
def new_transaction():
    """What ``Job.store`` gives ``enqueue(new_cursor=...)``: a cursor in a new transaction."""
    cnx = connect()
    try:
        with cnx.cursor() as cr:
            yield RecordingCursor(cr)
        cnx.commit()
    finally:
        cnx.close()


def test_a_key_committed_after_the_snapshot_gives_its_uuid_under_repeatable_read(tag):
    """REPEATABLE READ: B's snapshot is older than A's committed job with key K. B cannot
    see it and PostgreSQL refuses B's insert; B rolls back to a savepoint, reads A's
    uuid from a new transaction and goes on. Without new_cursor, the refusal is raised."""
    first, second, third = Queue(connect()), repeatable_read(), repeatable_read()
    try:
        first_uuid = first.store.enqueue(_key_values(tag, 'a'))
        first.cnx.commit()
        assert second.store.enqueue(_key_values(tag, 'b'), new_cursor=new_transaction) \
            == first_uuid
        assert second.row(tag + '-a') is None, 'newer than the snapshot: not seen here'
        assert second.row(tag + '-b') is None
        own = dict(_key_values(tag, 'own'), identity_key=tag + '-own-key')
        assert second.store.enqueue(own, new_cursor=new_transaction) == own['uuid']
        assert second.store.enqueue(dict(own, uuid=str(uuid.uuid4())),
                                    new_cursor=new_transaction) == own['uuid']
        second.cnx.commit()
        with pytest.raises(psycopg2.extensions.TransactionRollbackError) as refused:
            third.store.enqueue(_key_values(tag, 'c'))
        assert refused.value.pgcode == '40001', refused.value
        assert first.sql('SELECT name FROM queue_job WHERE identity_key = %s',
                         (tag + '-key',)) == [(tag + '-a',)]
    finally:
        first.close()
        second.close()
        third.close()


def test_a_key_committed_while_waiting_gives_its_uuid_under_repeatable_read(tag):
    """REPEATABLE READ: B inserts key K while A's job with K is not committed; B waits,
    A commits, and B gets A's uuid (not a serialization failure)."""
    first, second = Queue(connect()), repeatable_read()
    try:
        first_uuid = first.store.enqueue(_key_values(tag, 'a'))
        joined = in_thread(lambda: second.store.enqueue(_key_values(tag, 'b'),
                                                        new_cursor=new_transaction))
        wait_blocked(first, second.cnx.get_backend_pid())
        first.cnx.commit()
        assert joined() == first_uuid
        second.cnx.commit()
        assert first.sql('SELECT name FROM queue_job WHERE identity_key = %s',
                         (tag + '-key',)) == [(tag + '-a',)]
    finally:
        first.close()
        second.close()


# ----------------------------------------------------------- coalesce keys

def _coalescing(tag, name, key=None):
    return dict(_key_values(tag, name), identity_key=None, coalesce_key=key or tag + '-stock')


def _hold_other_pending_jobs(queue, channel):
    """Lock the pending jobs outside ``channel`` (left by other tests) in ``queue``'s
    transaction, so that another connection's claim skips them."""
    queue.sql("SELECT id FROM queue_job WHERE state = 'pending' AND channel <> %s "
              "FOR UPDATE", (channel,))


def test_coalesce_key_joins_the_job_waiting_to_start_not_a_started_one(queue):
    """A delay with the coalesce key of a pending job stores nothing and returns it;
    once that job has started (even postponed again since), a new job is stored, and
    the next delays join the new one. The joined job keeps its eta (debounce)."""
    eta = queue.now + timedelta(seconds=2)
    queue.add('first', coalesce_key='stock P-1', eta=eta)
    first_uuid = queue.row('first')['uuid']
    values = dict(_coalescing('t', 'second', 'stock P-1'), name='second', channel='root')
    assert queue.store.enqueue(dict(values, eta=None)) == first_uuid
    assert queue.row('second') is None
    assert queue.row('first')['eta'] == eta, 'a later delay must not move the eta'
    queue.set('first', state='started', date_started=queue.now)
    assert queue.store.enqueue(values) == values['uuid']
    assert queue.state('second') == 'pending'
    queue.set('first', state='pending', worker_name=None)  # postponed: it started before
    third = dict(values, uuid=str(uuid.uuid4()), name='third')
    assert queue.store.enqueue(third) == values['uuid']
    assert queue.row('third') is None
    assert queue.store.enqueue(dict(third, coalesce_key='stock P-2')) == third['uuid']


def test_the_claim_starts_no_second_job_of_a_coalesce_key(queue):
    """Job 1 of key K runs; job 2 of K, delayed meanwhile, is not claimed until job 1
    has ended; a job of another key runs meanwhile. A postponed job 1 and job 2 are
    never started together either."""
    queue.add('one', coalesce_key='K')
    assert queue.store.claim_next('w1') == queue.id('one')
    queue.add('two', coalesce_key='K')
    queue.add('other', coalesce_key='L')
    assert queue.claims('w2') == ['other']
    queue.store.record_outcome(queue.id('one'), Outcome('pending', 'remote busy', seconds=0))
    assert queue.claims('w2') == ['two']  # no eta: first; one waits for it
    queue.store.record_outcome(queue.id('two'), Outcome('done', 'ok'))
    assert queue.claims('w2') == ['one']


def test_a_coalesced_job_starts_only_after_the_delaying_transaction_ends(tag):
    """Job J of key K waits; transaction T changes the stock and delays K: T gets J,
    and J is not claimed while T is open (it would read the stock before T's change);
    once T commits, J is claimed."""
    channel = 'root.' + tag
    setup = Queue(connect())
    job_uuid = setup.store.enqueue(_coalescing(tag, 'j'))
    setup.cnx.commit()
    setup.close()
    delaying, claiming, others = repeatable_read(), Queue(connect()), Queue(connect())
    try:
        _hold_other_pending_jobs(others, channel)
        assert delaying.store.enqueue(_coalescing(tag, 't'), new_cursor=new_transaction) \
            == job_uuid
        assert claiming.store.claim_next(tag + 'w') is None
        claiming.cnx.commit()
        delaying.cnx.commit()
        assert claiming.store.claim_next(tag + 'w') == claiming.id(tag + '-j')
        claiming.cnx.commit()
    finally:
        for queue in (delaying, claiming, others):
            queue.close()


def test_a_coalesced_job_newer_than_the_snapshot_waits_for_the_transaction_too(tag):
    """REPEATABLE READ: T's snapshot is older than job J of key K. T's insert is refused
    (it cannot see J); T holds K and reads J's uuid from a new transaction: J is not
    claimed until T ends. Without new_cursor the refusal is raised."""
    channel = 'root.' + tag
    delaying, claiming, others, setup = (repeatable_read(), Queue(connect()),
                                         Queue(connect()), Queue(connect()))
    try:
        delaying.sql('SELECT 1 FROM queue_job LIMIT 1')  # the snapshot is taken
        job_uuid = setup.store.enqueue(_coalescing(tag, 'j'))
        setup.cnx.commit()
        assert delaying.store.enqueue(_coalescing(tag, 't'), new_cursor=new_transaction) \
            == job_uuid
        assert delaying.row(tag + '-j') is None, 'newer than the snapshot: not seen here'
        _hold_other_pending_jobs(others, channel)
        assert claiming.store.claim_next(tag + 'w') is None
        claiming.cnx.commit()
        delaying.cnx.commit()
        assert claiming.store.claim_next(tag + 'w') == claiming.id(tag + '-j')
        claiming.cnx.commit()
        refused = repeatable_read()
        try:
            refused.sql('SELECT 1 FROM queue_job LIMIT 1')
            setup.store.enqueue(_coalescing(tag, 'k'))
            setup.cnx.commit()
            with pytest.raises(psycopg2.extensions.TransactionRollbackError) as error:
                refused.store.enqueue(_coalescing(tag, 'r'))
            assert error.value.pgcode == '40001', error.value
        finally:
            refused.close()
    finally:
        for queue in (delaying, claiming, others, setup):
            queue.close()


def _savepoints_left(queue):
    """How many ``connector_enqueue`` savepoints the transaction still has open
    (releasing them one by one; the transaction is unusable after)."""
    left = 0
    while True:
        try:
            queue.sql('RELEASE SAVEPOINT connector_enqueue')
        except psycopg2.Error:
            return left
        left += 1


def test_refused_keyed_inserts_leave_no_savepoint_open(tag):
    """REPEATABLE READ: T delays a coalesce key and an identity key 50 times each,
    both held by jobs newer than its snapshot: every insert is refused and rolled
    back to its savepoint, and that savepoint is released each time. Left open, each
    refusal nested the later savepoints one level deeper: a transaction of a
    thousand stock moves ran out of PostgreSQL's lock table."""
    delaying, setup = repeatable_read(), Queue(connect())
    try:
        delaying.sql('SELECT 1 FROM queue_job LIMIT 1')  # the snapshot is taken
        coalesced = setup.store.enqueue(_coalescing(tag, 'j'))
        keyed = setup.store.enqueue(_key_values(tag, 'k'))
        setup.cnx.commit()
        for number in range(50):
            assert delaying.store.enqueue(_coalescing(tag, 'c%d' % number),
                                          new_cursor=new_transaction) == coalesced
            assert delaying.store.enqueue(_key_values(tag, 'i%d' % number),
                                          new_cursor=new_transaction) == keyed
        assert _savepoints_left(delaying) == 0
    finally:
        delaying.close()
        setup.close()


@pytest.mark.parametrize('meanwhile', ['started', 'done'])
def test_a_key_whose_waiting_job_started_after_the_snapshot_is_delayed_again_at_once(
        tag, meanwhile):
    """REPEATABLE READ: job J of key K waits when T's snapshot is taken, then a worker
    starts it (and finishes it). T delays K: a new job is stored. T delays K again: it
    joins that job at once. T's snapshot still shows J waiting, and locking J too was
    refused on every later delay: T retried for ever (a benchmark's transaction of
    stock moves spun for 20 minutes)."""
    channel = 'root.' + tag
    setup, claiming, others = Queue(connect()), Queue(connect()), Queue(connect())
    opened = []

    @contextlib.contextmanager
    def counted_transaction():
        opened.append(1)
        assert len(opened) < 20, 'the delay keeps retrying'
        with new_transaction() as cr:
            yield cr
    first = setup.store.enqueue(_coalescing(tag, 'j'))
    setup.cnx.commit()
    delaying = repeatable_read()  # its snapshot: J waits
    try:
        _hold_other_pending_jobs(others, channel)
        started = claiming.store.claim_next(tag + 'w')
        assert started == claiming.id(tag + '-j')
        claiming.cnx.commit()
        if meanwhile == 'done':
            claiming.store.record_outcome(started, Outcome('done', 'ok'))
            claiming.cnx.commit()
        second = delaying.store.enqueue(_coalescing(tag, 'a'), new_cursor=counted_transaction)
        assert second != first
        assert delaying.store.enqueue(_coalescing(tag, 'b'),
                                      new_cursor=counted_transaction) == second
        assert opened == []
    finally:
        for queue in (delaying, claiming, others, setup):
            queue.close()


def test_two_transactions_delaying_one_coalesce_key_store_one_job(tag):
    """REPEATABLE READ: A delays key K, not committed; B delays K: B waits for A, then
    gets A's job; one job is stored."""
    first, second = repeatable_read(), repeatable_read()
    try:
        first_uuid = first.store.enqueue(_coalescing(tag, 'a'), new_cursor=new_transaction)
        joined = in_thread(lambda: second.store.enqueue(_coalescing(tag, 'b'),
                                                        new_cursor=new_transaction))
        wait_blocked(first, second.cnx.get_backend_pid())
        first.cnx.commit()
        assert joined() == first_uuid
        second.cnx.commit()
        assert first.sql('SELECT name FROM queue_job WHERE coalesce_key = %s',
                         (tag + '-stock',)) == [(tag + '-a',)]
    finally:
        first.close()
        second.close()


# ------------------------------------------------------------------- claim

def test_claim_order_is_priority_then_eta_none_first_then_creation(queue):
    """The order in which runnable jobs start; a job whose eta is not reached waits."""
    past, future = queue.now - timedelta(minutes=5), queue.now + timedelta(hours=1)
    older_past = queue.now - timedelta(hours=1)
    for name, priority, eta in (('p10', 10, None), ('p1-eta-recent', 1, past),
                                ('p1-no-eta', 1, None), ('p1-eta-older', 1, older_past),
                                ('p1-no-eta-later', 1, None), ('p0-future', 0, future)):
        queue.add(name, priority=priority, eta=eta)
    assert queue.claims() == ['p1-no-eta', 'p1-no-eta-later', 'p1-eta-older', 'p1-eta-recent',
                              'p10']
    assert queue.state('p0-future') == 'pending'
    assert 3590 < queue.store.next_wake_delay() <= 3600


def test_next_wake_delay_is_none_without_a_future_job(queue):
    queue.add('due', eta=queue.now - timedelta(seconds=1))
    assert queue.store.next_wake_delay() is None


def test_claim_marks_the_job_started_by_the_worker_and_counts_the_try(queue):
    queue.add('job', retry=2)
    job_id = queue.store.claim_next('worker-a')
    row = queue.row('job')
    assert job_id == row['id']
    assert (row['state'], row['worker_name'], row['retry']) == ('started', 'worker-a', 3)
    assert (row['date_started'], row['date_done']) == (queue.now, None)
    assert queue.store.claim_next('worker-a') is None


def test_claim_and_start_job_write_the_same_started_row(queue):
    """perform_jobs() starts a job with START_JOB; the worker with the claim: same row."""
    queue.add('claimed')
    queue.add('started')
    queue.store.claim_next('w')
    assert queue.store.start_job(queue.id('started'), 'w')
    assert not queue.store.start_job(queue.id('started'), 'w'), 'only a pending job starts'
    keys = ('state', 'worker_name', 'retry', 'date_started', 'date_done', 'write_date')
    claimed, started = queue.row('claimed'), queue.row('started')
    assert {k: claimed[k] for k in keys} == {k: started[k] for k in keys}


def test_capacity_bounds_a_channel_with_its_subchannels(queue):
    """root.a:1 holds one job of root.a or root.a.sub at a time; root.b:2 two."""
    queue.store.apply_channels([ChannelSpec('root.a', 1), ChannelSpec('root.b', 2)])
    queue.add('a1', channel='root.a', priority=1)
    queue.add('a-sub', channel='root.a.sub', priority=2)
    for i in range(3):
        queue.add('b%d' % i, channel='root.b', priority=3)
    queue.add('other', channel='root.other', priority=4)
    assert queue.claims() == ['a1', 'b0', 'b1', 'other']
    queue.store.record_outcome(queue.id('a1'), Outcome('done'))
    assert queue.claims() == ['a-sub']
    queue.store.record_outcome(queue.id('b0'), Outcome('failed', 'boom'))
    assert queue.claims() == ['b2'], 'a failed job frees its slot'


def test_capacity_of_a_parent_bounds_its_subchannels_together(queue):
    queue.store.apply_channels([ChannelSpec('root.p', 1)])
    queue.add('child-1', channel='root.p.one')
    queue.add('child-2', channel='root.p.two')
    assert queue.claims() == ['child-1']


def test_sequential_channel_runs_its_head_only_and_stops_at_a_failure(queue):
    """One job at a time in queue order (priority first); a failed job blocks the
    channel, subchannels included, until it is done."""
    queue.store.apply_channels([ChannelSpec('root.seq', 1, True)])
    queue.add('s-late', channel='root.seq', priority=10)
    queue.add('s-head', channel='root.seq', priority=5)
    queue.add('s-sub', channel='root.seq.sub', priority=20)
    queue.add('free', channel='root', priority=30)
    assert queue.claims() == ['s-head', 'free']
    queue.store.record_outcome(queue.id('s-head'), Outcome('failed', 'boom'))
    assert queue.claims() == []
    queue.set('s-head', state='done')
    assert queue.claims() == ['s-late']
    queue.store.record_outcome(queue.id('s-late'), Outcome('done'))
    assert queue.claims() == ['s-sub']


def test_sequential_channel_waits_for_its_head_eta(queue):
    """The head of a sequential channel is due later: the jobs behind it wait too."""
    queue.store.apply_channels([ChannelSpec('root.seq', 0, True)])
    queue.add('head', channel='root.seq', priority=1, eta=queue.now + timedelta(hours=1))
    queue.add('behind', channel='root.seq', priority=2)
    assert queue.claims() == []


def test_channel_without_a_record_is_bound_only_by_its_parents(queue):
    queue.store.apply_channels([ChannelSpec('root', 2)])
    for i in range(3):
        queue.add('j%d' % i, channel='root.unknown')
    assert queue.claims() == ['j0', 'j1']


def open_claimers(channels_like):
    """Two claim connections, A and B, set up as a worker's; A holds the pending jobs
    of the channels not LIKE ``channels_like`` (other tests' jobs: SKIP LOCKED makes
    B pass over them, and A's claims are rolled back at the end)."""
    first, second = Queue(connect()), Queue(connect())
    for queue in (first, second):
        queue.store.prepare_claims()
        queue.cnx.commit()
    first.sql("SELECT id FROM queue_job WHERE state = 'pending' AND channel NOT LIKE %s "
              "FOR UPDATE", (channels_like,))
    return first, second


def test_two_claimers_never_exceed_a_capacity(tag):
    """Capacity 1, workers A and B claim at once: B waits for the channel's row,
    which A's claim holds, until A commits, then counts A's started job and claims
    nothing."""
    channel = 'root.' + tag
    setup = Queue(connect())
    setup.store.apply_channels([ChannelSpec(channel, 1)])
    setup.add(tag + '-1', channel=channel, priority=0)
    setup.add(tag + '-2', channel=channel, priority=0)
    setup.cnx.commit()
    setup.close()
    first, second = open_claimers(channel)
    try:
        assert first.store.claim_next(tag + 'a') == first.id(tag + '-1')
        joined = in_thread(lambda: second.store.claim_next(tag + 'b'))
        wait_blocked(first, second.cnx.get_backend_pid())
        first.cnx.commit()
        assert joined() not in (first.id(tag + '-1'), first.id(tag + '-2'))
        assert first.state(tag + '-2') == 'pending'
    finally:
        first.close()
        second.close()


# ----------------------------------------------------------------- outcome

def test_lock_started_job_returns_the_row_only_for_its_worker(queue):
    queue.add('job')
    job_id = queue.store.claim_next('mine')
    row = queue.store.lock_started_job(job_id, 'mine')
    assert tuple(row) == queries.JOB_ROW_COLUMNS
    assert (row['name'], row['retry']) == ('job', 1)
    assert queue.store.lock_started_job(job_id, 'someone-else') is None


def test_prepared_statements_of_a_worker_give_what_the_plain_ones_do(queue):
    """On a worker's connections (``prepared``): the claim, the row lock and "done" run
    as prepared statements, with the same results; the lock first undoes what a
    job left in the session (a setting, a session advisory lock, a temporary table)."""
    store = QueueStore(RecordingCursor(queue.cr), prepared=True)
    store.prepare_claim_statement()
    store.prepare_job_statements()
    queue.add('job')
    job_id = store.claim_next('mine')
    assert job_id == queue.id('job') and queue.state('job') == 'started'
    assert store.claim_next('mine') is None
    queue.sql("SELECT set_config('statement_timeout', '4321', false), pg_advisory_lock(4321)")
    queue.sql('CREATE TEMP TABLE connector_left_behind (x integer)')
    row = store.lock_started_job(job_id, 'mine')
    assert (row['name'], row['retry']) == ('job', 1)
    assert queue.sql("SELECT current_setting('statement_timeout'), (SELECT count(*) FROM "
                     "pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()), "
                     "to_regclass('pg_temp.connector_left_behind')") == [('0', 0, None)]
    assert store.lock_started_job(job_id, 'someone-else') is None
    assert store.record_outcome(job_id, Outcome('done', 'row 17'), committing=True) is False
    row = queue.row('job')
    assert (row['state'], row['result'], row['worker_name']) == ('done', 'row 17', 'mine')
    prepared = {name for name, in queue.sql('SELECT name FROM pg_prepared_statements')}
    assert {'connector_claim_next_job', 'connector_lock_started_job',
            'connector_set_done'} <= prepared


def test_a_worker_claims_and_locks_in_one_round_trip_and_finds_a_committed_claim(tag):
    """On a worker's job connection (REPEATABLE READ, as Odoo's cursor): the claim
    is committed, the row locked in the transaction that follows, with Odoo's
    signaling sequences; nothing runnable gives no job. When the round trip
    fails after the claim's commit (the lock's statement deallocated), the
    committed claim is found by its token, and only by it."""
    worker = tag + '-worker'
    cnx = connect()
    cnx.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ)
    other = Queue(connect())
    store = QueueStore(RecordingCursor(cnx.cursor()), prepared=True)
    try:
        store.prepare_job_statements()
        cnx.commit()
        other.add(tag + '-first', priority=0)
        other.add(tag + '-second', priority=0)
        other.cnx.commit()
        claim = store.claim_and_lock(worker, 'a1')
        assert claim.job_id == other.id(tag + '-first')
        assert (claim.row['name'], claim.row['retry']) == (tag + '-first', 1)
        assert claim.signaling == tuple(other.sql(
            'SELECT (SELECT last_value FROM base_registry_signaling), '
            '(SELECT last_value FROM base_cache_signaling)')[0])
        other.cnx.commit()  # a new snapshot: the claim was committed
        assert (other.row(tag + '-first')['state'], other.row(tag + '-first')['worker_name']) \
            == ('started', worker)
        with pytest.raises(psycopg2.errors.LockNotAvailable):  # locked by the job's transaction
            other.sql('SELECT 1 FROM queue_job WHERE name = %s FOR UPDATE NOWAIT',
                      (tag + '-first',))
        other.cnx.rollback()
        cnx.rollback()
        store.cr.execute('DEALLOCATE connector_lock_claimed_job')
        cnx.commit()  # the claim must be the first statement of its transaction
        with pytest.raises(psycopg2.errors.InvalidSqlStatementName):
            store.claim_and_lock(worker, 'a2')
        cnx.rollback()
        found = store.committed_claim('a2')
        assert found.job_id == other.id(tag + '-second') and found.row is None
        assert store.committed_claim('a1') is None
        other.cnx.rollback()
        assert other.row(tag + '-second')['state'] == 'started'
        cnx.rollback()
        store.cr.execute('DEALLOCATE ALL')
        store.prepare_job_statements()
        cnx.commit()
        other.sql('UPDATE queue_job SET state = %s, date_done = now() WHERE name LIKE %s',
                  ('done', tag + '%'))
        other.cnx.commit()
        nothing = store.claim_and_lock(worker, 'a3')
        cnx.rollback()
        assert (nothing.job_id, nothing.row) == (None, None)
    finally:
        cnx.close()
        other.cnx.rollback()
        other.cnx.close()


def test_done_keeps_the_worker_and_writes_the_result(queue):
    queue.add('job', exc_info='old error')
    job_id = queue.store.claim_next('w')
    queue.store.record_outcome(job_id, Outcome('done', 'row 17'))
    row = queue.row('job')
    assert (row['state'], row['result'], row['exc_info'], row['worker_name']) == (
        'done', 'row 17', None, 'w')
    assert queue.now <= row['date_done'] <= queue.clock(), 'the moment it was written'


def test_postponed_is_pending_again_with_an_eta_and_no_worker(queue):
    queue.add('job')
    job_id = queue.store.claim_next('w')
    queue.store.record_outcome(job_id, Outcome('pending', 'remote busy', 30))
    row = queue.row('job')
    assert (row['state'], row['result'], row['worker_name'], row['retry']) == (
        'pending', 'remote busy', None, 1)
    assert row['eta'] == queue.now + timedelta(seconds=30)
    assert row['date_done'] is None


def test_postponed_without_counting_the_try(queue):
    """RetryableJobError(ignore_retry=True): retry_delta -1 gives the try back."""
    queue.add('job')
    job_id = queue.store.claim_next('w')
    queue.store.record_outcome(job_id, Outcome('pending', 'wait', 0, -1))
    assert queue.row('job')['retry'] == 0


def test_failed_keeps_the_traceback_for_a_person(queue):
    queue.add('job')
    job_id = queue.store.claim_next('w')
    queue.store.record_outcome(job_id, Outcome('failed', 'Traceback ... ZeroDivisionError'))
    row = queue.row('job')
    assert (row['state'], row['exc_info'], row['worker_name']) == (
        'failed', 'Traceback ... ZeroDivisionError', 'w')
    assert queue.now <= row['date_done'] <= queue.clock(), 'the moment it was written'


def test_requeue_if_mine_only_touches_this_workers_job(queue):
    queue.add('job')
    job_id = queue.store.claim_next('w')
    assert not queue.store.requeue_if_mine(job_id, 'other')
    assert queue.state('job') == 'started'
    assert queue.store.requeue_if_mine(job_id, 'w')
    row = queue.row('job')
    assert (row['state'], row['worker_name'], row['eta'], row['retry']) == (
        'pending', None, queue.now, 1)


# ----------------------------------------------------------------- workers

def test_heartbeat_registers_refreshes_and_unregisters_a_worker(queue):
    queue.store.heartbeat('w1', 42, 'host-a')
    queue.store.heartbeat('w1', 42, 'host-a')
    assert queue.store.live_worker('w1', 60) == (42, 'host-a')
    queue.sql("UPDATE queue_job_worker SET heartbeat = heartbeat - interval '2 minutes'")
    assert queue.store.live_worker('w1', 60) is None, 'a silent worker frees its name'
    queue.store.unregister_worker('w1')
    assert queue.sql('SELECT count(*) FROM queue_job_worker') == [(0,)]


def test_dead_workers_jobs_go_back_to_pending_or_fail_when_out_of_tries(queue):
    """Started by a worker silent for dead_after seconds (or without a row): pending
    again, or failed with a message once max_retries tries are used."""
    long_ago = queue.now - timedelta(minutes=5)
    queue.store.heartbeat('alive', 1, 'h')
    queue.store.heartbeat('silent', 2, 'h')
    queue.sql("UPDATE queue_job_worker SET heartbeat = %s WHERE name = 'silent'", (long_ago,))
    queue.add('of-silent', state='started', worker_name='silent', date_started=long_ago,
              retry=1)
    queue.add('of-gone', state='started', worker_name='gone', date_started=long_ago, retry=1)
    queue.add('of-alive', state='started', worker_name='alive', date_started=long_ago, retry=1)
    queue.add('just-started', state='started', worker_name='gone', date_started=queue.now,
              retry=1)
    queue.add('last-try', state='started', worker_name='gone', date_started=long_ago, retry=3,
              max_retries=3)
    changed = dict(queue.store.requeue_dead_workers_jobs(60))
    uuids = {queue.row(name)['uuid']: name for name in ('of-silent', 'of-gone', 'last-try')}
    assert {uuids[u]: state for u, state in changed.items()} == {
        'of-silent': 'pending', 'of-gone': 'pending', 'last-try': 'failed'}
    assert queue.state('of-alive') == queue.state('just-started') == 'started'
    assert queue.row('of-silent')['worker_name'] is None
    assert ('Worker gone stopped responding while running this job, which was tried 3 times'
            ' (max_retries 3)') in queue.row('last-try')['exc_info']
    queue.store.forget_dead_workers(60)
    names = queue.sql('SELECT name FROM queue_job_worker ORDER BY name')
    assert names == [('alive',), ('silent',)]
    queue.sql("UPDATE queue_job_worker SET heartbeat = %s WHERE name = 'silent'",
              (queue.now - timedelta(minutes=11),))
    queue.store.forget_dead_workers(60)
    assert queue.sql('SELECT name FROM queue_job_worker') == [('alive',)]


def test_a_running_jobs_row_lock_protects_it_from_the_dead_worker_requeue(tag):
    """Worker A's heartbeat is late but its job transaction lives (it holds the row
    lock): B's requeue skips the job. Once A's transaction ends, the job is requeued."""
    setup = Queue(connect())
    job_id = setup.add(tag + '-job', channel='root.' + tag, state='started',
                       worker_name=tag + 'a', date_started=setup.now - timedelta(minutes=5))
    setup.cnx.commit()
    setup.close()
    running, upkeep = Queue(connect()), Queue(connect())
    try:
        assert running.store.lock_started_job(job_id, tag + 'a') is not None
        requeued = [u for u, _s in upkeep.store.requeue_dead_workers_jobs(60)]
        assert upkeep.row(tag + '-job')['uuid'] not in requeued
        upkeep.cnx.rollback()
        running.cnx.rollback()
        requeued = dict(upkeep.store.requeue_dead_workers_jobs(60))
        assert requeued[upkeep.row(tag + '-job')['uuid']] == 'pending'
    finally:
        running.close()
        upkeep.close()


def test_orphans_of_this_worker_are_requeued_or_failed(queue):
    """A worker whose connection broke mid-job recovers its started jobs on reconnect."""
    queue.add('orphan', state='started', worker_name='me', retry=1)
    queue.add('spent', state='started', worker_name='me', retry=5, max_retries=5)
    queue.add('not-mine', state='started', worker_name='other', retry=1)
    changed = queue.store.requeue_orphans('me', 'Connection lost.')
    assert sorted(state for _uuid, state in changed) == ['failed', 'pending']
    assert queue.state('orphan') == 'pending'
    assert queue.row('spent')['exc_info'] == (
        'Connection lost. It was tried 5 times (max_retries 5): requeue it after checking why.')
    assert queue.state('not-mine') == 'started'


def test_an_orphan_whose_row_is_locked_is_left_until_its_transaction_ends(tag):
    """A job started under the name whose row a transaction still holds (the dead
    process's backend has not ended yet) is skipped, then requeued once it is free."""
    setup = Queue(connect())
    job_id = setup.add(tag + '-job', channel='root.' + tag, state='started',
                       worker_name=tag + 'w')
    setup.cnx.commit()
    setup.close()
    running, restarted = Queue(connect()), Queue(connect())
    try:
        assert running.store.lock_started_job(job_id, tag + 'w') is not None
        assert restarted.store.requeue_orphans(tag + 'w', 'Gone.') == []
        restarted.cnx.rollback()
        running.cnx.rollback()
        assert [state for _uuid, state in restarted.store.requeue_orphans(
            tag + 'w', 'Gone.')] == ['pending']
    finally:
        running.close()
        restarted.close()


def test_a_worker_name_lock_is_held_by_one_session_until_it_ends(tag):
    """The first session takes the name; another cannot, and sees who holds it; once
    the holder's connection is closed (as when its process is killed), it can."""
    holder, other = connect(), connect()
    for cnx in (holder, other):
        cnx.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    try:
        first = QueueStore(RecordingCursor(holder.cursor()))
        second = QueueStore(RecordingCursor(other.cursor()))
        assert first.lock_worker_name(tag + 'w')
        assert first.lock_worker_name(tag + 'w'), 'its own session takes it again'
        assert not second.lock_worker_name(tag + 'w')
        assert second.lock_worker_name(tag + 'other-name')
        assert second.worker_name_holder(tag + 'w') == (
            holder.get_backend_pid(), None, 'test_queue_store')
        assert second.worker_name_holder(tag + 'nobody') is None
        holder.close()
        deadline = time.time() + 60
        while not second.lock_worker_name(tag + 'w'):
            assert time.time() < deadline, 'the lock outlived its session'
            time.sleep(0.01)
    finally:
        holder.close()
        other.close()


def test_a_starting_worker_takes_over_the_row_of_its_name(queue):
    """register_worker replaces the pid, host and start of a dead process's row."""
    queue.store.heartbeat('w1', 41, 'old-host')
    queue.sql("UPDATE queue_job_worker SET date_started = date_started - interval '1 day'")
    queue.store.register_worker('w1', 42, 'new-host')
    queue.store.register_worker('w2', 7, 'h')
    assert queue.sql('SELECT name, pid, host, date_started, heartbeat FROM queue_job_worker '
                     'ORDER BY name') == [('w1', 42, 'new-host', queue.now, queue.now),
                                          ('w2', 7, 'h', queue.now, queue.now)]


# ------------------------------------------------------ configuration, status

def test_channels_are_written_with_their_missing_parents(queue):
    queue.store.apply_channels([ChannelSpec('root.x.y', 2, False), ChannelSpec('root', 4)])
    queue.store.apply_channels([ChannelSpec('root.x.y', 1, True)])
    rows = queue.sql('SELECT c.complete_name, c.capacity, c.sequential, p.complete_name '
                     'FROM queue_job_channel c LEFT JOIN queue_job_channel p '
                     'ON p.id = c.parent_id ORDER BY c.complete_name')
    assert rows == [('root', 4, False, None), ('root.x', 0, False, 'root'),
                    ('root.x.y', 1, True, 'root.x')]


def test_channel_weights_are_written_and_new_rows_get_the_tables_default_1(queue):
    """--channels writes each entry's weight (1 when not given); parents created in
    SQL without a weight get the column's default, which the addon sets to 1."""
    queue.store.set_channel_weight_default()
    assert queue.sql("SELECT column_default, is_nullable FROM information_schema.columns "
                     "WHERE table_name = 'queue_job_channel' AND column_name = 'weight'") == [
        ('1', 'NO')]
    queue.store.apply_channels([ChannelSpec('root.w.shop', 2, weight=3),
                                ChannelSpec('root.w.erp', weight=2)])
    queue.store.apply_channels([ChannelSpec('root.w.erp')])
    assert queue.sql("SELECT complete_name, weight FROM queue_job_channel "
                     "WHERE complete_name LIKE 'root.w%' ORDER BY complete_name") == [
        ('root.w', 1), ('root.w.erp', 1), ('root.w.shop', 3)]


def test_job_functions_are_listed_and_updated_only_when_changed(queue):
    queue.sql("DELETE FROM queue_job_function WHERE name LIKE 'tests.%'")
    queue.store.upsert_function('tests.export', 'root.export', {1: 10})
    queue.store.upsert_function('tests.export', 'root.export', {1: 10})
    assert queue.cr.rowcount == 0, 'an unchanged function is not rewritten'
    queue.store.upsert_function('tests.export', 'root', None)
    assert queue.sql("SELECT channel, retry_pattern FROM queue_job_function "
                     "WHERE name = 'tests.export'") == [('root', None)]


def test_backend_job_ids_groups_jobs_by_the_backend_stored_with_them(queue):
    """Jobs of one model in some states, by the backend stored with them; other states,
    models, backend models and backends left out; a job without a backend nowhere."""
    def add(name, backend_id, backend_model='shop.backend', model_name='shop.binding',
            **columns):
        queue.add(name, model_name=model_name, backend_model=backend_model,
                  backend_id=backend_id, **columns)
    add('import-1', 1)
    add('export-2', 2, about_model='shop.binding', about_id=12)
    add('method-2', 2, state='started', worker_name='w1')
    add('failed-2', 2, state='failed', date_done=queue.now)
    add('other-model-1', 1, model_name='shop.other')
    add('other-backend-model-1', 1, backend_model='shop.other.backend')
    add('backend-4', 4)
    add('no-backend', None, backend_model=None)
    found = queue.store.backend_job_ids('shop.backend', [1, 2, 3], 'shop.binding',
                                        ['pending', 'started'])
    assert found == {1: [queue.id('import-1')],
                     2: sorted([queue.id('export-2'), queue.id('method-2')])}


def test_vacuum_deletes_done_and_cancelled_jobs_ended_before_a_date(queue):
    old = queue.now - timedelta(days=40)
    queue.add('old-done', state='done', date_done=old)
    queue.add('old-cancelled', state='cancelled', date_done=old)
    queue.add('old-failed', state='failed', date_done=old)
    queue.add('recent-done', state='done', date_done=queue.now)
    assert queue.store.delete_done_jobs(queue.now - timedelta(days=30)) == 2
    names = queue.sql('SELECT name FROM queue_job ORDER BY name')
    assert names == [('old-failed',), ('recent-done',)]


# ------------------------------------------- perform_jobs() writes the runner's rows

ROW_KEYS = ('state', 'result', 'exc_info', 'retry', 'worker_name')


def _stored(cr, job_uuid):
    cr.execute('SELECT state, result, exc_info, retry, worker_name, eta - write_date, '
               'date_started IS NOT NULL, date_done IS NOT NULL FROM queue_job '
               'WHERE uuid = %s', (job_uuid,))
    row = cr.fetchone()
    return dict(zip(ROW_KEYS + ('eta_delay', 'started', 'ended'), row))


def test_perform_jobs_and_the_runner_write_the_same_rows(tag):
    """Each kind of outcome, run by perform_jobs() in a test transaction and by the
    runner's job transaction (run_job, committed), on a cursor of Odoo's pool and on
    a worker's own job connection (prepared statements): the same stored row."""
    calls = [('done', jobs.insert_row, tag + '-done'),
             ('nothing to do', jobs.fail_with, tag + '-nothing', 'nothing'),
             ('failed', jobs.fail_with, tag + '-failed', 'failed'),
             ('crashed', jobs.fail_with, tag + '-crash', 'crash'),
             ('retried', jobs.always_retry, tag + '-retry')]
    worker = tag + '-worker'
    registry = odoo.registry(db_name())
    by_test = {}
    with api.Environment.manage():
        cr = registry.cursor()
        try:
            session = ConnectorSession(cr, SUPERUSER_ID)
            uuids = {kind: func.delay(session, ROW_MODEL, *args, description=tag)
                     for kind, func, *args in calls}
            perform_jobs(session.env, [('uuid', 'in', list(uuids.values()))], worker)
            by_test = {kind: _stored(cr, job_uuid) for kind, job_uuid in uuids.items()}
        finally:
            cr.rollback()
            cr.close()
    by_runner, by_worker_connection = {}, {}
    job_cnx = JobConnection(db_name())
    queue = Queue(connect())
    try:
        for stored, connection in ((by_runner, None), (by_worker_connection, job_cnx)):
            with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
                uuids = {kind: func.delay(session, ROW_MODEL, *args, description=tag)
                         for kind, func, *args in calls}
            for kind, job_uuid in uuids.items():
                job_id = queue.sql('SELECT id FROM queue_job WHERE uuid = %s',
                                   (job_uuid,))[0][0]
                assert queue.store.start_job(job_id, worker)
                queue.cnx.commit()
                run_job(registry, job_id, worker, job_cnx=connection)
                stored[kind] = _stored(queue.cr, job_uuid)
                queue.cnx.commit()
    finally:
        job_cnx.close()
        queue.sql('DELETE FROM queue_job WHERE name = %s', (tag,))
        queue.cnx.commit()
        queue.close()
    assert [by_runner[kind]['state'] for kind, *_ in calls] == [
        'done', 'done', 'failed', 'failed', 'pending']
    assert 'ZeroDivisionError' in by_runner['crashed']['exc_info']
    for kind, *_ in calls:
        assert by_test[kind] == by_runner[kind] == by_worker_connection[kind], kind


def test_a_worker_hands_the_channels_hint_of_a_claim_to_its_next_claim(tag):
    """What a claim kept of the channels (connector.claim_blocked, the blocked
    channels read at most once per change) is wiped by the next claim's session
    reset (RESET ALL): the worker holds it (JobConnection.channels_hint) and
    the next claim puts it back before it claims, so a claim does not read
    every channel again. Shown with a hint that lies: taken from a real claim,
    it is changed to say that the open bounded channel is blocked, and the
    next claim, trusting it, passes over that channel's job; a new session
    (no hint) starts it."""
    worker = tag + '-worker'
    bounded = 'root.%s.bounded' % tag
    job_cnx = JobConnection(db_name())
    queue = Queue(connect())
    try:
        queue.store.apply_channels([ChannelSpec(bounded, 5)])
        queue.add(tag + '-free')
        queue.cnx.commit()
        claimed = claim_job(job_cnx, worker)
        claimed.cr.rollback()
        claimed.cr.close()
        assert claimed.job_id == queue.id(tag + '-free')
        kept = job_cnx.channels_hint.split(';')
        assert len(kept) == 7 and bounded not in kept[4].split(','), kept
        queue.add(tag + '-bounded', channel=bounded)
        queue.cnx.commit()
        kept[2] = 'infinity'  # valid until: no time limit
        kept[4] = ','.join(filter(None, kept[4].split(',') + [bounded]))
        job_cnx.channels_hint = ';'.join(kept)
        assert claim_job(job_cnx, worker) is None
        assert queue.state(tag + '-bounded') == 'pending'
        job_cnx.close()  # a new session: no hint
        claimed = claim_job(job_cnx, worker)
        claimed.cr.rollback()
        claimed.cr.close()
        assert claimed.job_id == queue.id(tag + '-bounded')
    finally:
        job_cnx.close()
        queue.cnx.rollback()
        queue.sql("UPDATE queue_job SET state = 'done', date_done = now() "
                  "WHERE name LIKE %s", (tag + '%',))
        queue.cnx.commit()
        queue.close()


def test_the_worker_connection_prepares_its_statements_again_when_they_went_stale(tag):
    """A column the row lock reads changes type while a worker runs (an upgrade):
    PostgreSQL refuses the prepared lock ("cached plan must not change result
    type"); the worker prepares its statements again and runs the job."""
    worker = tag + '-worker'
    registry = odoo.registry(db_name())
    job_cnx = JobConnection(db_name())
    queue = Queue(connect())

    def run_one(key):
        with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
            job_uuid = jobs.insert_row.delay(session, ROW_MODEL, key, description=tag)
        job_id = queue.sql('SELECT id FROM queue_job WHERE uuid = %s', (job_uuid,))[0][0]
        assert queue.store.start_job(job_id, worker)
        queue.cnx.commit()
        return run_job(registry, job_id, worker, job_cnx=job_cnx)

    try:
        assert run_one(tag + '-before').state == 'done'  # the statements prepared
        queue.sql('ALTER TABLE queue_job ALTER COLUMN name TYPE text')
        queue.cnx.commit()
        try:
            assert run_one(tag + '-after').state == 'done'
        finally:
            queue.cnx.rollback()
            queue.sql('ALTER TABLE queue_job ALTER COLUMN name TYPE varchar')
            queue.cnx.commit()
        assert queue.sql('SELECT count(*) FROM test_queue_job_row WHERE key IN %s',
                         ((tag + '-before', tag + '-after'),)) == [(2,)]
    finally:
        job_cnx.close()
        queue.sql('DELETE FROM queue_job WHERE name = %s', (tag,))
        queue.cnx.commit()
        queue.close()


def test_the_buttons_and_the_store_write_the_same_rows():
    """Requeue, Set done and Cancel: the job form's button (pressed on the ORM record,
    as a person would) and the store's statement called directly leave the same rows,
    the failed job's and its waiting dependent's; a person's set done clears the error
    as the runner's done does."""
    registry = odoo.registry(db_name())
    with api.Environment.manage():
        cr = registry.cursor()
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            session = ConnectorSession(cr, SUPERUSER_ID)
            pairs = {}
            for side in ('button', 'store'):
                failed = jobs.fail_with.delayable(session, ROW_MODEL, side, 'failed',
                                                  description='failed')
                dependent = jobs.insert_row.delayable(session, ROW_MODEL, side + '-next')
                failed.on_done(dependent).delay()
                pairs[side] = failed.job.uuid, dependent.job.uuid
            cr.execute("UPDATE queue_job SET state = 'failed', retry = 2, exc_info = 'boom', "
                       "worker_name = 'w1', date_done = now() at time zone 'utc' "
                       "WHERE uuid IN %s", ((pairs['button'][0], pairs['store'][0]),))
            record = env['queue.job'].search([('uuid', '=', pairs['button'][0])])
            store_id = env['queue.job'].search([('uuid', '=', pairs['store'][0])]).id
            store = QueueStore(cr)
            user = env.user.name
            steps = [
                ('cancel', record.button_cancel, lambda: store.cancel(
                    [store_id], SUPERUSER_ID, 'Cancelled by %s' % user,
                    'Cancelled with job %%1$s (%%2$s), which it depends on, by %s.' % user)),
                ('requeue', record.button_requeue,
                 lambda: store.requeue([store_id], SUPERUSER_ID)),
                ('set done', record.button_done,
                 lambda: store.set_done([store_id], SUPERUSER_ID, 'Set done by %s' % user)),
            ]
            rows = {}
            for action, button, statement in steps:
                button()
                assert statement() == []
                by_side = {side: [_stored(cr, job_uuid) for job_uuid in pairs[side]]
                           for side in pairs}
                for row in by_side['button']:  # the messages name the job of its side
                    row['result'] = (row['result'] or '').replace(pairs['button'][0], 'J')
                for row in by_side['store']:
                    row['result'] = (row['result'] or '').replace(pairs['store'][0], 'J')
                assert by_side['button'] == by_side['store'], action
                rows[action] = by_side['button']
        finally:
            cr.rollback()
            cr.close()
    assert [(job['state'], dependent['state']) for job, dependent in rows.values()] == [
        ('cancelled', 'cancelled'), ('pending', 'wait_dependencies'), ('done', 'pending')]
    assert rows['cancel'][1]['result'] == (
        'Cancelled with job J (failed), which it depends on, by %s.' % user)
    assert rows['requeue'][0] == {'state': 'pending', 'result': '', 'exc_info': None,
                                  'retry': 0, 'worker_name': None, 'eta_delay': None,
                                  'started': False, 'ended': False}
    done = rows['set done'][0]
    assert (done['exc_info'], done['worker_name'], done['ended']) == (None, None, True)


def test_values_leave_the_job_as_it_was_and_store_records_what_was_stored():
    """Job.values() gives the INSERT_JOB parameters without changing the job (its
    channel, user and company); store() then holds what was stored."""
    registry = odoo.registry(db_name())
    with api.Environment.manage():
        cr = registry.cursor()
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            job = Job(func=jobs.insert_row, model_name=ROW_MODEL, args=('values-key',))
            before = dict(vars(job))
            values = job.values(env)
            assert vars(job) == before
            assert (values['user_id'], values['company_id']) == (
                SUPERUSER_ID, env.user.company_id.id)
            job.store(env)
            assert (job.channel, job.user_id, job.company_id, job.state) == (
                values['channel'], SUPERUSER_ID, env.user.company_id.id, 'pending')
        finally:
            cr.rollback()
            cr.close()


# -------------------------------------------------------------- job graphs

def _graph(queue, links, **states):
    """Jobs named after ``links`` ({job: [jobs it waits for]}), waiting when they
    have dependencies unless ``states`` says otherwise; their uuids by name."""
    names = sorted(set(links) | {dep for deps in links.values() for dep in deps})
    for name in names:
        queue.add(name, state=states.get(name, 'wait_dependencies' if links.get(name)
                                         else 'pending'))
    uuids = {name: queue.row(name)['uuid'] for name in names}
    queue.store.link_dependencies((uuids[job], uuids[dep])
                                  for job, deps in links.items() for dep in deps)
    return uuids


def _waits_for(queue, name):
    return sorted(row[0] for row in queue.sql(
        'SELECT d.name FROM queue_job_dependency l JOIN queue_job j ON j.id = l.job_id '
        'JOIN queue_job d ON d.id = l.depends_on_id WHERE j.name = %s', (name,)))


def test_links_are_stored_once_and_waiting_jobs_are_never_claimed(queue):
    """INSERT_DEPENDENCIES by uuid, duplicates skipped; a waiting job is not claimable,
    and enqueue() stores a job waiting with its graph."""
    queue.store.enqueue({
        'uuid': str(uuid.uuid4()), 'name': 'c', 'func_string': 'tests.c', 'model_name': None,
        'method_name': None, 'record_ids': None, 'args': '[]', 'kwargs': '{}',
        'user_id': SUPERUSER_ID, 'company_id': 1, 'channel': 'root', 'priority': 0,
        'eta': None, 'max_retries': 5, 'identity_key': None, 'state': 'wait_dependencies',
        'graph_uuid': 'g-1'})
    uuids = _graph(queue, {'b': ['a']})
    c_uuid = queue.row('c')['uuid']
    queue.store.link_dependencies([(c_uuid, uuids['a']), (c_uuid, uuids['b'])])
    queue.store.link_dependencies([(c_uuid, uuids['a'])])
    assert _waits_for(queue, 'c') == ['a', 'b']
    assert queue.sql("SELECT graph_uuid, state FROM queue_job WHERE name = 'c'") == [
        ('g-1', 'wait_dependencies')]
    assert queue.claims() == ['a']


def test_done_releases_a_dependent_whose_dependencies_are_all_done(queue):
    """record_outcome(done) releases in the same transaction; it asks for a second
    try only while a dependent still waits."""
    _graph(queue, {'c': ['a', 'b'], 'd': ['a']})
    assert queue.claims() == ['a', 'b']
    assert queue.store.record_outcome(queue.id('a'), Outcome('done')) is True
    assert (queue.state('c'), queue.state('d')) == ('wait_dependencies', 'pending')
    assert queue.store.record_outcome(queue.id('b'), Outcome('done')) is False
    assert queue.state('c') == 'pending'
    assert queue.claims() == ['c', 'd']


def test_done_without_dependents_skips_the_release_and_its_savepoint(queue):
    """SET_DONE tells whether a job waits for the done one: a job of no graph runs
    neither the savepoint nor RELEASE_DEPENDENTS (two round trips per job)."""
    queue.add('alone', state='started')
    job_id = queue.id('alone')
    before = len(EXECUTED)
    assert queue.store.record_outcome(job_id, Outcome('done', 'ok')) is False
    assert EXECUTED[before:] == [queries.SET_DONE]
    assert queue.state('alone') == 'done'


def test_done_releases_a_dependent_its_own_transaction_linked(tag):
    """The job's transaction (REPEATABLE READ, its row locked first, as the
    worker's) stores a job waiting for the running job -- a graph naming its own
    key: whether to release is decided when the job is done, not when its row
    was locked, so the dependent is pending at the commit."""
    setup = Queue(connect())
    setup.add(tag + 'a', state='started')
    setup.add(tag + 'b', state='wait_dependencies')
    ids = {name: setup.id(tag + name) for name in 'ab'}
    uuids = {name: setup.row(tag + name)['uuid'] for name in 'ab'}
    setup.cnx.commit()
    job = repeatable_read()
    try:
        assert job.store.lock_started_job(ids['a'], 'w1') is not None
        job.store.link_dependencies([(uuids['b'], uuids['a'])])
        assert job.store.record_outcome(ids['a'], Outcome('done'), committing=True) is False
        job.cnx.commit()
        assert (setup.state(tag + 'a'), setup.state(tag + 'b')) == ('done', 'pending')
    finally:
        job.close()
        setup.close()


def test_a_worker_releases_dependents_with_its_prepared_statement(tag):
    """On a worker's job connection (prepared statements), the release in the job's
    transaction and the second one after the commit run RELEASE_DEPENDENTS
    prepared, not planned again for every job someone waits for."""
    setup = Queue(connect())
    _graph(setup, {tag + 'b': [tag + 'a'], tag + 'c': [tag + 'a', tag + 'x']},
           **{tag + 'a': 'started'})
    ids = {name: setup.id(tag + name) for name in 'abcx'}
    setup.cnx.commit()
    job = repeatable_read()
    store = QueueStore(RecordingCursor(job.cr), prepared=True)
    try:
        store.prepare_job_statements()
        job.cnx.commit()
        before = len(EXECUTED)
        assert store.record_outcome(ids['a'], Outcome('done'), committing=True) is True
        job.cnx.commit()
        assert setup.state(tag + 'b') == 'pending'
        assert setup.state(tag + 'c') == 'wait_dependencies'
        assert store.release_dependents([ids['a']]) == ([], 1)
        job.cnx.commit()
        released = [query for query in EXECUTED[before:] if 'release_dependents' in query]
        assert released == [queries.RELEASE_SAVEPOINT + ';'
                            + queries.execute_prepared('RELEASE_DEPENDENTS'),
                            queries.execute_prepared('RELEASE_DEPENDENTS')], released
    finally:
        job.close()
        setup.close()


def test_a_failed_dependency_keeps_its_dependents_waiting(queue):
    _graph(queue, {'b': ['a']})
    queue.claims()
    assert queue.store.record_outcome(queue.id('a'), Outcome('failed', 'boom')) is False
    assert queue.state('b') == 'wait_dependencies'
    assert queue.store.release_ready_jobs() == []


def test_two_dependencies_done_at_once_release_after_the_commits(tag):
    """REPEATABLE READ, as the runner: c waits for a and b, done by two job
    transactions whose snapshots predate both commits. Neither can release c;
    both ask for a second try, and the later second try releases it."""
    setup = Queue(connect())
    _graph(setup, {tag + 'c': [tag + 'a', tag + 'b']})
    ids = {name: setup.id(tag + name) for name in 'abc'}
    setup.sql("UPDATE queue_job SET state = 'started', worker_name = 'w1' WHERE id IN %s",
              ((ids['a'], ids['b']),))
    setup.cnx.commit()
    first, second = repeatable_read(), repeatable_read()
    try:
        assert first.store.record_outcome(ids['a'], Outcome('done')) is True
        assert second.store.record_outcome(ids['b'], Outcome('done')) is True
        first.cnx.commit()
        second.cnx.commit()
        assert setup.state(tag + 'c') == 'wait_dependencies'
        assert second.store.release_dependents([ids['b']]) == ([setup.row(tag + 'c')['uuid']],
                                                               0)
        second.cnx.commit()
        assert setup.state(tag + 'c') == 'pending'
    finally:
        for queue in (first, second, setup):
            queue.close()


def test_a_release_refused_by_a_concurrent_change_keeps_the_job_done(tag):
    """A person cancels b while a's job transaction runs: a's release meets b changed
    after its snapshot; a stays done (savepoint) and asks for a second try."""
    setup = Queue(connect())
    _graph(setup, {tag + 'b': [tag + 'a']}, **{tag + 'a': 'started'})
    ids = {name: setup.id(tag + name) for name in 'ab'}
    setup.cnx.commit()
    job = repeatable_read()
    try:
        setup.sql("UPDATE queue_job SET state = 'cancelled', date_done = date_created "
                  "WHERE id = %s", (ids['b'],))
        setup.cnx.commit()
        assert job.store.record_outcome(ids['a'], Outcome('done')) is True
        job.cnx.commit()
        assert (setup.state(tag + 'a'), setup.state(tag + 'b')) == ('done', 'cancelled')
    finally:
        job.close()
        setup.close()


def test_the_upkeep_releases_what_a_killed_worker_left_waiting(queue):
    """RELEASE_READY_JOBS: every waiting job whose dependencies are all done."""
    _graph(queue, {'c': ['a', 'b'], 'd': ['c'], 'e': ['x']}, a='done', b='done')
    queue.set('e', state='wait_dependencies')
    assert queue.store.release_ready_jobs() == [queue.row('c')['uuid']]
    assert [queue.state(name) for name in 'cde'] == [
        'pending', 'wait_dependencies', 'wait_dependencies']


def test_deleting_a_done_job_deletes_its_links(queue):
    """Foreign keys cascade: the vacuum can delete done jobs of a graph."""
    _graph(queue, {'b': ['a']}, a='done', b='done')
    queue.set('a', date_done=queue.now - timedelta(days=2))
    assert queue.store.delete_done_jobs(queue.now - timedelta(days=1)) == 1
    assert queue.sql('SELECT count(*) FROM queue_job_dependency') == [(0,)]


# ------------------------------------------------------- a person's decisions

def test_cancel_reaches_every_waiting_job_downstream_and_requeue_restores_them(queue):
    """CANCEL_JOBS cancels the job and what waits for it, directly or not, naming the
    job they depended on; REQUEUE_JOBS makes them wait again."""
    _graph(queue, {'b': ['a'], 'c': ['b'], 'd': ['x']})
    queue.set('a', state='failed', exc_info='boom')
    assert queue.store.cancel([queue.id('a')], SUPERUSER_ID, 'by me',
                              'with %1$s (%2$s)') == []
    assert [queue.state(name) for name in 'abc'] == ['cancelled'] * 3
    assert (queue.row('a')['result'], queue.row('c')['result']) == (
        'by me', 'with %s (a)' % queue.row('a')['uuid'])
    assert queue.state('d') == 'wait_dependencies'
    assert queue.store.requeue([queue.id('a')], SUPERUSER_ID) == []
    assert [queue.state(name) for name in 'abc'] == [
        'pending', 'wait_dependencies', 'wait_dependencies']
    assert (queue.row('c')['result'], queue.row('c')['date_done']) == (None, None)


def test_a_requeued_job_with_a_dependency_not_done_waits(queue):
    """A dependency requeued with its dependent is not done any more: the dependent waits."""
    _graph(queue, {'b': ['a'], 'd': ['c'], 'f': ['e']},
           b='failed', c='done', d='failed', e='done', f='failed')
    assert queue.store.requeue([queue.id(name) for name in 'bdef'], SUPERUSER_ID) == []
    assert [queue.state(name) for name in 'bdef'] == [
        'wait_dependencies', 'pending', 'pending', 'wait_dependencies']
    assert queue.row('d')['retry'] == 0


def test_set_done_releases_the_dependents_whose_dependencies_are_all_done(queue):
    """SET_JOBS_DONE: done as the runner's done (no error kept), and c, whose other
    dependency is done, runs; d still waits for x."""
    _graph(queue, {'c': ['a', 'b'], 'd': ['a', 'x']}, b='done')
    queue.set('a', state='failed', exc_info='boom', worker_name='w1')
    assert queue.store.set_done([queue.id('a')], SUPERUSER_ID, 'set done by me') == []
    row = queue.row('a')
    assert (row['state'], row['result'], row['exc_info'], row['worker_name']) == (
        'done', 'set done by me', None, None)
    assert (queue.state('c'), queue.state('d')) == ('pending', 'wait_dependencies')


def test_a_person_cannot_change_a_running_job_and_then_nothing_changes(queue):
    """Each decision refuses the whole request when one of its jobs is started, and
    names the started ones for the message."""
    queue.add('running', state='started', worker_name='w1')
    queue.add('broken', state='failed')
    ids = [queue.id('running'), queue.id('broken')]
    running = [(queue.row('running')['uuid'], 'running')]
    assert queue.store.requeue(ids, SUPERUSER_ID) == running
    assert queue.store.set_done(ids, SUPERUSER_ID, 'done') == running
    assert queue.store.cancel(ids, SUPERUSER_ID, 'cancelled', '%1$s') == running
    assert (queue.state('running'), queue.state('broken')) == ('started', 'failed')


@pytest.mark.parametrize('columns', [
    {'state': 'started', 'worker_name': None},
    {'state': 'done', 'date_done': None},
    {'state': 'pending', 'date_done': datetime(2026, 1, 1)},
])
def test_the_table_refuses_a_row_that_breaks_the_state_invariants(queue, columns):
    """Started names its worker; an end date exactly when done, failed or cancelled."""
    queue.add('job', state='started', worker_name='w1')
    queue.sql('SAVEPOINT invariant')
    with pytest.raises(psycopg2.IntegrityError) as caught:
        queue.cr.execute(
            sql.SQL('UPDATE queue_job SET {} WHERE name = %s').format(
                sql.SQL(', ').join(sql.SQL('{} = %s').format(sql.Identifier(column))
                                   for column in columns)),
            list(columns.values()) + ['job'])
    queue.sql('ROLLBACK TO SAVEPOINT invariant')
    assert 'queue_job_started_has_worker' in str(caught.value) \
        or 'queue_job_date_done_when_ended' in str(caught.value)


def test_the_11_0_1_2_0_migration_fixes_rows_before_the_constraints_come():
    """Rows written before the CHECK constraints existed are made to meet them, so that
    Odoo can add the constraints (rolled back)."""
    path = os.path.join(REPO, 'connector', 'migrations', '11.0.1.2.0', 'pre-migrate.py')
    spec = importlib.util.spec_from_file_location('connector_migration_11_0_1_2_0', path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    queue = Queue(connect())
    try:
        queue.sql('DELETE FROM queue_job')
        constraints = queue.sql(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'queue_job'::regclass AND contype = 'c'")
        assert len(constraints) == 2
        for name, _definition in constraints:
            queue.sql(sql.SQL('ALTER TABLE queue_job DROP CONSTRAINT {}').format(
                sql.Identifier(name)).as_string(queue.cr))
        # Given rows as the 11.0.1.1.0 buttons could leave them
        queue.add('lost', state='started', worker_name=None, date_done=queue.now)
        queue.add('done', state='done', date_done=None)
        queue.add('requeued', state='pending', date_done=queue.now)
        queue.add('fine', state='failed', date_done=queue.now - timedelta(days=1))
        migration.migrate(queue.store.cr, '11.0.1.1.0')
        rows = {name: (queue.row(name)['state'], queue.row(name)['date_done'] is not None)
                for name in ('lost', 'done', 'requeued', 'fine')}
        assert rows == {'lost': ('pending', False), 'done': ('done', True),
                        'requeued': ('pending', False), 'fine': ('failed', True)}
        for name, definition in constraints:
            queue.sql(sql.SQL('ALTER TABLE queue_job ADD CONSTRAINT {} ').format(
                sql.Identifier(name)).as_string(queue.cr) + definition)
    finally:
        queue.close()


# ------------------------------------------------------------- throttling

def test_a_rate_limit_starts_a_burst_then_one_job_per_interval(queue):
    """root.shop at 2/min, burst 3, covering root.shop.eu: 3 jobs start at once,
    the next one 30 s later; other channels are not held back."""
    queue.store.apply_channels([ChannelSpec('root.shop', 0, False, RateLimit(2, 60), 3)])
    for i in range(4):
        queue.add('shop%d' % i, channel='root.shop', priority=1)
    queue.add('shop-eu', channel='root.shop.eu', priority=2)
    queue.add('other', channel='root.other', priority=3)
    assert queue.claims() == ['shop0', 'shop1', 'shop2', 'other']
    assert 25 < queue.store.next_wake_delay() <= 30
    queue.sql("UPDATE queue_job_channel_state SET rate_next_start = rate_next_start "
              "- interval '30 seconds' WHERE channel = 'root.shop'")
    assert queue.claims() == ['shop3'], 'one interval later, one more start'
    queue.sql("UPDATE queue_job_channel_state SET rate_next_start = rate_next_start "
              "- interval '30 seconds' WHERE channel = 'root.shop'")
    assert queue.claims() == ['shop-eu'], 'a subchannel draws on the same allowance'


#: The rate rule played on attempt times (seconds from t0), one recursive step
#: per attempt, with the functions the claim calls (sql/schema.sql): the
#: times at which a start was allowed.
PLAY_RATE_RULE = """
WITH RECURSIVE play(n, next_start, started) AS (
    SELECT 0, NULL::timestamp, NULL::timestamp
  UNION ALL
    SELECT p.n + 1,
           CASE WHEN allowed THEN connector_rate_spend_v1(p.next_start, at, %(limit)s, %(period)s)
                ELSE p.next_start END,
           CASE WHEN allowed THEN at END
    FROM play p
    CROSS JOIN LATERAL (SELECT timestamp '2026-01-01'
                               + (%(times)s::float8[])[p.n + 1] * interval '1 second' AS at) a
    CROSS JOIN LATERAL (SELECT connector_rate_allows_v1(
        p.next_start, a.at, %(limit)s, %(period)s, %(burst)s) AS allowed) r
    WHERE p.n < cardinality(%(times)s::float8[])
)
SELECT extract(epoch FROM started - timestamp '2026-01-01')::float8 FROM play
WHERE started IS NOT NULL ORDER BY n
"""


def rate_starts(queue, limit, burst, attempts):
    """The attempt times (seconds) at which the SQL rate rule lets a job start."""
    return [row[0] for row in queue.sql(PLAY_RATE_RULE, {
        'limit': limit.starts, 'period': limit.period, 'burst': burst, 'times': attempts})]


def test_the_rate_rule_without_burst_spaces_starts_evenly(queue):
    """5/s, asked every 10 ms for 2 s: one start every 0.2 s, 10 in all."""
    started = rate_starts(queue, RateLimit(5, 1), 1, [i / 100 for i in range(200)])
    assert len(started) == 10
    assert all(abs((b - a) - 0.2) < 1e-6 for a, b in zip(started, started[1:]))


def test_the_rate_rule_starts_a_burst_at_once_then_holds_the_pace(queue):
    """5/s with a burst of 4: 4 starts at t=0, then one per 0.2 s."""
    started = rate_starts(queue, RateLimit(5, 1), 4,
                          [0.0] * 5 + [i / 100 for i in range(1, 101)])
    assert started[:4] == [0.0] * 4
    assert len(started) == 4 + 5  # the 0.2 s pace takes over: t = 0.2 ... 1.0


@pytest.mark.parametrize('burst', [1, 3, 10])
def test_no_window_of_the_rate_rule_holds_more_than_the_limit_plus_the_burst(queue, burst):
    """Asked every millisecond for 10 s, any 1 s window holds at most limit + burst starts."""
    started = rate_starts(queue, RateLimit(20, 1), burst, [i / 1000 for i in range(10000)])
    for first in started:
        in_window = [t for t in started if first <= t < first + 1.0]
        assert len(in_window) <= 20 + burst
    assert 20 * 10 - 1 <= len(started) <= 20 * 10 + burst


def test_a_changed_rate_starts_afresh_and_none_clears_it(queue):
    """The configuration wins; a new rate forgets the old one's state."""
    queue.store.apply_channels([ChannelSpec('root.shop', 0, False, RateLimit(1, 3600))])
    queue.add('first', channel='root.shop')
    queue.add('second', channel='root.shop')
    assert queue.claims() == ['first']
    queue.store.apply_channels([ChannelSpec('root.shop', 2, False, RateLimit(10, 1), 4)])
    assert queue.sql("SELECT capacity, rate_limit, rate_period, rate_burst, r.rate_next_start "
                     "FROM queue_job_channel c LEFT JOIN queue_job_channel_state r "
                     "ON r.channel = c.complete_name WHERE complete_name = 'root.shop'") == [
        (2, 10, 1, 4, None)]
    assert queue.claims() == ['second']
    queue.store.apply_channels([ChannelSpec('root.shop', 2)])
    assert queue.sql("SELECT rate_limit FROM queue_job_channel "
                     "WHERE complete_name = 'root.shop'") == [(0,)]


def test_backpressure_pauses_the_jobs_channel_and_its_subtree_until_it_ends(queue):
    """A job meets "slow down for 60 s": its channel (created for it) starts nothing
    on any worker until then, subchannels included; other channels go on."""
    queue.add('throttled', channel='root.shop', priority=1)
    queue.add('shop-next', channel='root.shop', priority=2)
    queue.add('shop-eu', channel='root.shop.eu', priority=3)
    queue.add('other', channel='root.other', priority=4)
    assert queue.claims(limit=1) == ['throttled']
    queue.store.record_outcome(queue.id('throttled'), Outcome(
        'pending', 'Shop answered 429', seconds=60, retry_delta=-1, pause=60))
    assert queue.sql("SELECT paused_until - %s, pause_reason FROM queue_job_channel "
                     "WHERE complete_name = 'root.shop'", (queue.now,)) == [
        (timedelta(seconds=60), 'Shop answered 429')]
    assert queue.claims() == ['other']
    assert 55 < queue.store.next_wake_delay() <= 60
    queue.store.pause_channel('root.shop', 10, 'shorter')
    assert queue.sql("SELECT paused_until - %s FROM queue_job_channel "
                     "WHERE complete_name = 'root.shop'", (queue.now,)) == [
        (timedelta(seconds=60),)], 'a shorter pause keeps the longer one'
    queue.sql("UPDATE queue_job_channel SET paused_until = %s "
              "WHERE complete_name = 'root.shop'", (queue.now - timedelta(seconds=1),))
    assert queue.claims() == ['shop-next', 'shop-eu'], 'the channel resumes by itself'
    assert queue.sql("SELECT capacity, sequential, rate_limit, rate_period, rate_burst "
                     "FROM queue_job_channel WHERE complete_name = 'root.shop'") == [
        (0, False, 0, 1, 1)], 'a channel created for a pause has the defaults of the model'


def test_backpressure_of_a_job_in_root_postpones_only_that_job(queue):
    """Pausing root would stop every job of the database: only the job waits."""
    queue.add('in-root', channel='root', priority=1)
    queue.add('after', channel='root', priority=2)
    assert queue.claims(limit=1) == ['in-root']
    queue.store.record_outcome(queue.id('in-root'), Outcome(
        'pending', 'slow down', seconds=30, retry_delta=-1, pause=30))
    assert queue.sql('SELECT count(*) FROM queue_job_channel WHERE paused_until IS NOT NULL'
                     ) == [(0,)]
    assert queue.claims() == ['after']


def test_known_channels_are_those_of_records_functions_and_unfinished_jobs(queue):
    """What a rate limit in --channels may name (parents are checked by the caller)."""
    queue.store.apply_channels([ChannelSpec('root.configured', 1)])
    queue.store.upsert_function('tests.known_channel_function', 'root.of_function', None)
    queue.add('waiting', channel='root.of_job.sub')
    queue.add('finished', channel='root.of_done_job', state='done')
    known = queue.store.known_channels()
    assert {'root', 'root.configured', 'root.of_function', 'root.of_job.sub'} <= set(known)
    assert 'root.of_done_job' not in known


# ---------------------------------------------------------------- coverage

def test_metrics_statements_count_what_the_table_holds(queue):
    """Depth by channel and state (done and cancelled left out), failures and retries by
    function, and the workers with their heartbeat's age."""
    queue.add('a', channel='root.m')
    queue.add('b', channel='root.m', state='started', worker_name='w1', retry=3)
    queue.add('c', channel='root.m', state='failed', retry=2)
    queue.add('d', channel='root.n', state='done')
    assert sorted(queue.store.queue_depth()) == [('root.m', 'failed', 1), ('root.m', 'pending', 1),
                                                 ('root.m', 'started', 1)]
    by_function = {row[0]: row[1:] for row in queue.store.jobs_by_function()}
    assert by_function == {'tests.a': (0, 0, 0), 'tests.b': (0, 1, 2), 'tests.c': (1, 0, 0)}
    queue.store.heartbeat('w1', 4242, 'host-1')
    assert [(name, host, pid) for name, host, pid, _age in queue.store.workers()] == [
        ('w1', 'host-1', 4242)]
    assert 0 <= queue.store.workers()[0][3] < 5
    queue.store.apply_channels([ChannelSpec('root.limited', 0, False, RateLimit(30, 60)),
                                ChannelSpec('root.plain', 2)])
    queue.store.pause_channel('root.paused', 90, 'Shop answered 429')
    assert sorted(queue.store.channel_limits()) == [('root.limited', 0, 0.5),
                                                    ('root.paused', 90, None)]


def test_every_named_statement_was_run():
    """Each statement of sql/queries.sql ran at least once in the tests above."""
    tests = {name for name in globals() if name.startswith('test_')}
    if tests - RAN - {'test_every_named_statement_was_run'}:
        pytest.skip('run the whole module to check the coverage of the statements')
    executed = '\n'.join(EXECUTED)
    # a statement run only prepared (the claim and its lock) ran as PREPARE's text
    missing = [name for name, statement in sorted(queries.STATEMENTS.items())
               if statement.split('{')[0] not in executed
               and queries.numbered(statement)[0].split('{')[0] not in executed]
    assert missing == []
