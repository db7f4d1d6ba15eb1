# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The claim's two lanes, and the shares of a bounded parent's children by weight.

A pending job is in the bounded lane when a channel on its path has a
capacity, a rate limit, a sequence or a pause, else in the free lane
(``queue_job.claim_bounded``, ``queue/sql/schema.sql``). These tests judge by
the rows: each job's lane after the channels change, and the order in which
one claimer starts the jobs of a parent's children, on one connection, in a
rolled-back transaction (the ``queue`` fixture).

Run with ``tools/dev.py pytest tests/integration/test_claim_lanes.py``.
"""
import select
import time

import psycopg2

from odoo.addons.connector.queue import queries
from odoo.addons.connector.queue.channels import ChannelSpec
from odoo.addons.connector.queue.outcome import Outcome
from odoo.addons.connector.queue.store import QueueStore

from test_queue_store import (Queue, RecordingCursor, connect, queue_fixture,  # noqa: F401
                              tag_fixture)


def lanes(queue):
    """``{job name: bounded}`` of the unfinished jobs."""
    return dict(queue.sql("SELECT name, claim_bounded FROM queue_job "
                          "WHERE state IN ('pending', 'wait_dependencies')"))


def test_a_job_is_bounded_when_a_channel_on_its_path_has_a_bound(queue):
    queue.store.apply_channels([ChannelSpec('root.shop', 2), ChannelSpec('root.erp', 0)])
    queue.add('shop', channel='root.shop')
    queue.add('shop-eu', channel='root.shop.eu')
    queue.add('erp', channel='root.erp')
    queue.add('shopping', channel='root.shopping')  # not under root.shop
    queue.add('waiting', channel='root.shop.eu', state='wait_dependencies')
    assert lanes(queue) == {'shop': True, 'shop-eu': True, 'erp': False, 'shopping': False,
                            'waiting': True}


def test_a_channel_getting_or_losing_a_bound_moves_its_subtree(queue):
    queue.add('a', channel='root.a')
    queue.add('a-x', channel='root.a.x')
    queue.add('b', channel='root.b')
    queue.store.apply_channels([ChannelSpec('root.a', 0, True)])
    assert lanes(queue) == {'a': True, 'a-x': True, 'b': False}
    queue.store.apply_channels([ChannelSpec('root.a', 0)])
    assert lanes(queue) == {'a': False, 'a-x': False, 'b': False}
    queue.store.pause_channel('root.a.x', 60, 'Shop answered 429')
    assert lanes(queue) == {'a': False, 'a-x': True, 'b': False}
    queue.sql("UPDATE queue_job_channel SET paused_until = NULL WHERE complete_name = 'root.a.x'")
    assert lanes(queue) == {'a': False, 'a-x': False, 'b': False}
    queue.store.apply_channels([ChannelSpec('root', 4)])
    assert lanes(queue) == {'a': True, 'a-x': True, 'b': True}
    queue.sql("DELETE FROM queue_job_channel WHERE complete_name = 'root.a.x'")
    assert lanes(queue) == {'a': True, 'a-x': True, 'b': True}
    queue.store.apply_channels([ChannelSpec('root', 0)])
    assert lanes(queue) == {'a': False, 'a-x': False, 'b': False}


def test_a_job_moved_to_another_channel_changes_lane(queue):
    queue.store.apply_channels([ChannelSpec('root.slow', 1)])
    queue.add('job', channel='root.fast')
    queue.set('job', channel='root.slow')
    assert lanes(queue) == {'job': True}


def test_the_queue_order_holds_across_the_lanes(queue):
    """Free and bounded jobs interleaved: claimed by priority, then eta, then id."""
    queue.store.apply_channels([ChannelSpec('root.bounded', 10)])
    past = queue.now.replace(year=queue.now.year - 1)
    queue.add('free-late', channel='root.free', priority=5)
    queue.add('bounded-eta', channel='root.bounded', priority=5, eta=past)
    queue.add('bounded-first', channel='root.bounded', priority=1)
    queue.add('free-eta', channel='root.free', priority=5, eta=past.replace(month=1, day=1))
    queue.add('bounded-late', channel='root.bounded', priority=5)
    assert queue.claims() == ['bounded-first', 'free-late', 'bounded-late', 'free-eta',
                              'bounded-eta']


def run_shares(queue, starts, worker='w1'):
    """Claim and end ``starts`` jobs one after the other; their channels, in order."""
    channels = []
    for _ in range(starts):
        job_id = queue.store.claim_next(worker)
        assert job_id is not None, 'no job could start after %s' % channels
        channels.append(queue.sql('SELECT channel FROM queue_job WHERE id = %s', (job_id,))[0][0])
        queue.store.record_outcome(job_id, Outcome('done'))
    return channels


def add_backlogs(queue, backlogs):
    """Jobs of each ``(channel, count)``, in this order (the first are the oldest)."""
    for channel, count in backlogs:
        for number in range(count):
            queue.add('%s-%d' % (channel, number), channel=channel)


def test_children_of_a_bounded_parent_share_its_starts_equally_not_by_age(queue):
    """root.p capacity 1: 40 old jobs in root.p.old, then 20 in root.p.young. By age
    the young would wait for the 40; with equal weights they take turns."""
    queue.store.apply_channels([ChannelSpec('root.p', 1)])
    add_backlogs(queue, [('root.p.old', 40), ('root.p.young', 20)])
    channels = run_shares(queue, 20)
    assert channels.count('root.p.young') == 10, channels


def test_children_of_a_bounded_parent_share_its_starts_by_weight(queue):
    """root.p.young has weight 3: three starts for one of root.p.old's."""
    queue.store.apply_channels([ChannelSpec('root.p', 1)])
    queue.sql("INSERT INTO queue_job_channel (name, complete_name, parent_id, weight) "
              "SELECT 'young', 'root.p.young', id, 3 FROM queue_job_channel "
              "WHERE complete_name = 'root.p'")
    add_backlogs(queue, [('root.p.old', 40), ('root.p.young', 40)])
    channels = run_shares(queue, 40)
    assert channels.count('root.p.young') == 30, channels


def test_a_child_idle_for_a_while_gets_no_burst(queue):
    """root.p.old ran 30 jobs alone; root.p.young's jobs come then: they take turns
    with the old ones from there, instead of 30 young starts in a row to catch up."""
    queue.store.apply_channels([ChannelSpec('root.p', 1)])
    add_backlogs(queue, [('root.p.old', 60)])
    run_shares(queue, 30)
    add_backlogs(queue, [('root.p.young', 30)])
    channels = run_shares(queue, 20)
    assert channels.count('root.p.young') == 10, channels


def test_weights_share_only_between_children_of_one_parent(queue):
    """Unrelated channels keep the queue order: root.a's old job starts before
    root.b's younger ones, whatever their shares."""
    queue.store.apply_channels([ChannelSpec('root.a', 1), ChannelSpec('root.b', 1)])
    queue.add('a-1', channel='root.a.x')
    queue.add('b-1', channel='root.b.x')
    queue.add('b-2', channel='root.b.y')
    assert run_shares(queue, 3) == ['root.a.x', 'root.b.x', 'root.b.y']


def test_the_end_of_a_bounded_job_wakes_the_workers_not_that_of_a_free_one(tag):
    """A worker idles while a bounded channel is full: the end of one of its jobs
    must wake it. The end of a free job frees nothing anyone waits for: no
    notification (a notifying commit takes a lock every notifying commit takes).
    Judged by the notifications in commit order, each end followed by a marker."""
    bounded, free = 'root.%s.cap' % tag, 'root.%s.free' % tag
    setup = Queue(connect())
    setup.store.apply_channels([ChannelSpec(bounded, 1)])
    ids = {name: setup.add('%s-%s' % (tag, name), channel=channel, state='started')
           for name, channel in (('bounded', bounded), ('free', free))}
    setup.cnx.commit()
    listener = connect()
    listener.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    try:
        QueueStore(RecordingCursor(listener.cursor())).listen()
        for name in ('free', 'bounded'):
            setup.store.record_outcome(ids[name], Outcome('done'))
            setup.cnx.commit()
            setup.sql("SELECT pg_notify(%s, %s)", (queries.NOTIFY_CHANNEL, 'after ' + name))
            setup.cnx.commit()
        deadline = time.time() + 60
        while 'after bounded' not in [n.payload for n in listener.notifies]:
            assert time.time() < deadline, 'the markers never came'
            select.select([listener], [], [], 1)  # until PostgreSQL sends something
            listener.poll()
        assert [n.payload for n in listener.notifies] == ['after free', '', 'after bounded']
    finally:
        listener.close()
        setup.close()


#: Calls of a function by this transaction (track_functions on).
CALLS = "SELECT coalesce(pg_stat_get_xact_function_calls(%s::regproc), 0)"


def test_the_kept_blocked_channels_are_read_again_after_an_end_only_when_one_was_blocked(
        queue):
    """A claimer keeps the blocked channels it read (the setting
    connector.claim_blocked) until something may have opened one. The end of a
    bounded job opens nothing while no channel was blocked: kept; once root.cap
    (capacity 1) is full, the end of its job is read again, and its channel is
    open. Judged by PostgreSQL's count of the reads, at one fixed clock."""
    queue.sql("SET track_functions = 'all'")
    queue.store.apply_channels([ChannelSpec('root.cap', 1)])
    first, second = (queue.add(name, channel='root.cap') for name in ('first', 'second'))
    clock = queue.now
    read = "SELECT blocked FROM connector_blocked_channels_cached_v1(%s)"
    reads = "connector_blocked_channels_v1"

    def kept_read():
        """(blocked channels, whether they were read again)."""
        before = queue.sql(CALLS, (reads,))[0][0]
        blocked = queue.sql(read, (clock,))[0][0]
        return blocked, queue.sql(CALLS, (reads,))[0][0] > before

    queue.sql("SELECT set_config('connector.claim_blocked', '', false)")
    assert kept_read() == ([], True)
    queue.store.start_job(first, 'w1')
    queue.store.record_outcome(first, Outcome('done'))
    assert kept_read() == ([], False), 'nothing was blocked: an end opens nothing'
    queue.store.start_job(second, 'w1')
    queue.sql("SELECT set_config('connector.claim_blocked', '', false)")
    assert kept_read() == (['root.cap'], True)
    assert kept_read() == (['root.cap'], False)
    queue.store.record_outcome(second, Outcome('done'))
    assert kept_read() == ([], True), 'the end of a job of a full channel may open it'
