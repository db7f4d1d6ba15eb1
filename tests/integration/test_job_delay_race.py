# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Integration: two Odoo transactions delay one identity key at the same moment.

Each transaction is a real Odoo cursor on its own connection, REPEATABLE
READ as every Odoo transaction, in its own thread: the second ``delay()``
returns the uuid of the job the first stored, whether it waited for the
first to commit or the first committed after its snapshot, and one job is
stored.
"""
import threading
import time

from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import ROW_MODEL, db_name, query


class Transaction(threading.Thread):
    """``delay()`` in an Odoo transaction of its own thread, step by step.

    ``step(name)`` lets it go on to its next step and waits until that one is
    done or blocked; ``backend_pid`` is its connection's PostgreSQL backend.
    """

    def __init__(self, tag, key):
        super().__init__(daemon=True)
        self.tag, self.key = tag, key
        self.go = {name: threading.Event() for name in ('snapshot', 'delay', 'commit')}
        self.done = {name: threading.Event() for name in self.go}
        self.uuid = self.error = self.backend_pid = None
        self.start()

    def run(self):
        try:
            handler = ConnectorSessionHandler(db_name(), SUPERUSER_ID)
            with handler.session() as session:
                self._wait('snapshot')
                session.env.cr.execute('SELECT count(*) FROM queue_job')  # snapshot taken
                self.backend_pid = session.env.cr._cnx.get_backend_pid()
                self.done['snapshot'].set()
                self._wait('delay')
                self.uuid = jobs.insert_row.delay(session, ROW_MODEL, self.tag,
                                                  identity_key=self.key)
                self.done['delay'].set()
                self._wait('commit')
        except Exception as err:  # shown by the test
            self.error = err
        finally:
            for event in self.done.values():
                event.set()

    def _wait(self, name):
        assert self.go[name].wait(30), 'the test never said %s' % name

    def step(self, name, blocks=False):
        self.go[name].set()
        if blocks:
            _wait_for_lock(self.backend_pid)
        else:
            assert self.done[name].wait(30), '%s never ended' % name
        if self.error is not None:
            raise self.error

    def finish(self):
        self.go['commit'].set()
        self.join(30)
        assert not self.is_alive(), 'the transaction never ended'
        if self.error is not None:
            raise self.error


def _wait_for_lock(pid):
    deadline = time.time() + 60
    while time.time() < deadline:
        if query('SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s',
                 (pid,)) == [('Lock',)]:
            return
        time.sleep(0.01)
    raise AssertionError('backend %s never waited for a lock' % pid)


def _stored(key):
    return query('SELECT uuid FROM queue_job WHERE identity_key = %s', (key,))


def test_second_delay_waiting_for_the_first_returns_its_uuid(tag):
    """B delays key K while A's job with K is not committed: B waits; A commits; B's
    delay() returns A's uuid and B commits; one job."""
    key = tag + '-key'
    first, second = Transaction(tag + '-a', key), Transaction(tag + '-b', key)
    for transaction in (first, second):
        transaction.step('snapshot')
    first.step('delay')
    second.step('delay', blocks=True)
    first.finish()
    second.done['delay'].wait(30)
    second.finish()
    assert second.uuid == first.uuid
    assert _stored(key) == [(first.uuid,)]


def test_second_delay_after_the_first_committed_returns_its_uuid(tag):
    """B's snapshot is taken, then A delays key K and commits: B cannot see A's job, yet
    its delay() returns A's uuid, and B goes on and commits; one job."""
    key = tag + '-key'
    first, second = Transaction(tag + '-a', key), Transaction(tag + '-b', key)
    second.step('snapshot')
    first.step('snapshot')
    first.step('delay')
    first.finish()
    second.step('delay')
    second.finish()
    assert second.uuid == first.uuid
    assert _stored(key) == [(first.uuid,)]
