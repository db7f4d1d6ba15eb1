# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Eight claimers at once keep every channel's bound: capacity, sequence, rate.

A claim takes no lock that every claim waits for: it locks the rows of the
bounded channels on its job's path only (``connector_take_channels_v1`` in
``queue/sql/schema.sql``). These tests start 8 threads, each with its own
connection to the real PostgreSQL database, released together by a
barrier, each claiming (and committing) until nothing more can start; then
they judge by the rows: how many jobs each channel started, in which order,
and, after every claim's commit, how many of a channel's jobs were started
at that moment. A claim that counted a channel's started jobs before
another claim of the same channel committed would start one job too many:
the storms are repeated so that such a race shows.

Run with ``tools/dev.py pytest tests/integration/test_claim_concurrency.py``.
"""
import threading

import psycopg2

from odoo.addons.connector.queue.channels import ChannelSpec
from odoo.addons.connector.queue.outcome import Outcome
from odoo.addons.connector.queue.rate_limits import RateLimit

from test_queue_store import Queue, connect, open_claimers, tag_fixture  # noqa: F401 (a fixture)

CLAIMERS = 8
ROUNDS = 3

#: Started jobs of a channel and its subchannels, as a new statement sees them.
STARTED_IN = """
SELECT count(*) FROM queue_job
WHERE state = ANY(%(states)s) AND (channel = %(channel)s OR channel LIKE %(under)s)
"""


def started_in(queue, channel, states=('started',)):
    """How many jobs of ``channel``'s subtree are in ``states`` now (committed)."""
    return queue.sql(STARTED_IN, {'states': list(states), 'channel': channel,
                                  'under': channel.replace('_', r'\_') + '.%'})[0][0]


def storm(tag, claim_once):
    """Run ``claim_once(queue, worker)`` in CLAIMERS threads, released together, each
    on its own connection, until it returns False; errors are raised here."""
    barrier = threading.Barrier(CLAIMERS)
    errors = []

    def claimer(number):
        queue = Queue(connect())
        try:
            queue.store.prepare_claims()
            queue.cnx.commit()
            barrier.wait(30)
            while claim_once(queue, '%s-w%d' % (tag, number)):
                pass
        except Exception as err:  # shown by the test
            errors.append(err)
        finally:
            queue.close()
    threads = [threading.Thread(target=claimer, args=(number,), daemon=True)
               for number in range(CLAIMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
        assert not thread.is_alive(), 'a claimer never finished'
    if errors:
        raise errors[0]


def add_jobs(tag, specs, jobs):
    """Write the channels ``specs`` and commit the jobs ``[(name, channel, priority)]``."""
    setup = Queue(connect())
    setup.store.apply_channels(specs)
    for name, channel, priority in jobs:
        setup.add(name, channel=channel, priority=priority)
    setup.cnx.commit()
    setup.close()


def claim_count_and_end(queue, worker, channel, counted, counts, on_start=None):
    """Claim one job and commit; append to ``counts`` how many of ``channel``'s jobs
    are in the states ``counted`` after that commit; end the job (done). False when
    nothing started and the channel has nothing left to run."""
    job_id = queue.store.claim_next(worker)
    if job_id is not None and on_start:
        on_start(job_id)
    queue.cnx.commit()
    counts.append(started_in(queue, channel, counted))
    queue.cnx.commit()
    if job_id is None:
        return started_in(queue, channel, ('pending', 'started')) > 0
    queue.store.record_outcome(job_id, Outcome('done'))
    queue.cnx.commit()
    return True


def claim_and_keep(queue, worker):
    """Claim one job and commit, leaving it started; False when none could start."""
    job_id = queue.store.claim_next(worker)
    queue.cnx.commit()
    return job_id is not None


def test_eight_claimers_start_no_more_than_a_capacity(tag):
    """Capacity 3 on root.T.cap (jobs there and in root.T.cap.sub), nothing ever
    finishes: after each storm exactly 3 of its jobs are started, and every job of
    an unbounded channel beside it."""
    cap, free = 'root.%s.cap' % tag, 'root.%s.free' % tag
    for round_ in range(ROUNDS):
        jobs = [('%s-r%d-c%d' % (tag, round_, i), cap if i % 2 else cap + '.sub', 5)
                for i in range(24)]
        jobs += [('%s-r%d-f%d' % (tag, round_, i), free, 5) for i in range(24)]
        add_jobs(tag, [ChannelSpec(cap, 3)], jobs)
        storm(tag, claim_and_keep)
        check = Queue(connect())
        try:
            assert started_in(check, cap) == 3, 'round %d' % round_
            assert started_in(check, free) == 24 * (round_ + 1)
            # the next round starts from an empty channel
            check.sql("UPDATE queue_job SET state = 'done', date_done = now() at time zone 'utc' "
                      "WHERE channel LIKE %s AND state = 'started'", (cap + '%',))
            check.sql("DELETE FROM queue_job WHERE channel LIKE %s AND state = 'pending'",
                      (cap + '%',))
            check.cnx.commit()
        finally:
            check.close()


def test_eight_claimers_running_jobs_never_exceed_a_capacity(tag):
    """Capacity 2, jobs that end: each claimer claims, commits, counts the channel's
    started jobs, then ends its job. No count exceeds 2, and every job ran."""
    cap = 'root.%s.cap' % tag
    add_jobs(tag, [ChannelSpec(cap, 2)],
             [('%s-%d' % (tag, i), cap, 5) for i in range(60)])
    counts = []

    storm(tag, lambda queue, worker: claim_count_and_end(
        queue, worker, cap, ('started',), counts))
    check = Queue(connect())
    try:
        assert started_in(check, cap, ('done',)) == 60
        assert max(counts) <= 2
    finally:
        check.close()


def test_eight_claimers_run_a_sequential_channel_one_job_at_a_time_in_order(tag):
    """A sequential channel: the order in which its jobs started (a sequence read in
    each claim's transaction, after the claim) is the queue order (priority, then
    creation), and after each claim's commit at most one of them is started."""
    line = 'root.%s.line' % tag
    jobs = [('%s-%02d' % (tag, i), line if i % 3 else line + '.eu', 20 - i % 4)
            for i in range(30)]
    add_jobs(tag, [ChannelSpec(line, 1, True)], jobs)
    setup = Queue(connect())
    setup.sql('CREATE SEQUENCE "%s_order"' % tag)
    expected = [name for name, in setup.sql(
        "SELECT name FROM queue_job WHERE channel LIKE %s ORDER BY priority, id",
        (line + '%',))]
    setup.cnx.commit()
    setup.close()
    started = []
    counts = []

    def claim_in_line(queue, worker):
        return claim_count_and_end(
            queue, worker, line, ('started', 'failed'), counts,
            on_start=lambda job_id: started.append(queue.sql(
                'SELECT nextval(%s), name FROM queue_job WHERE id = %s',
                ('"%s_order"' % tag, job_id))[0]))
    try:
        storm(tag, claim_in_line)
        assert [name for _order, name in sorted(started) if name in expected] == expected
        assert max(counts) <= 1
    finally:
        cleanup = Queue(connect())
        cleanup.sql('DROP SEQUENCE "%s_order"' % tag)
        cleanup.cnx.commit()
        cleanup.close()


def test_eight_claimers_spend_a_rate_limit_exactly(tag):
    """root.T.shop at 4 per hour, burst 4: a storm starts exactly 4 of its jobs (and
    its subchannel's); one interval (15 minutes) later, exactly one more."""
    shop = 'root.%s.shop' % tag
    add_jobs(tag, [ChannelSpec(shop, 0, False, RateLimit(4, 3600), 4)],
             [('%s-%d' % (tag, i), shop if i % 2 else shop + '.eu', 5) for i in range(30)])
    storm(tag, claim_and_keep)
    check = Queue(connect())
    try:
        assert started_in(check, shop) == 4
        check.sql("UPDATE queue_job_channel_state SET rate_next_start = rate_next_start "
                  "- interval '15 minutes' WHERE channel = %s", (shop,))
        check.cnx.commit()
        storm(tag, claim_and_keep)
        assert started_in(check, shop) == 5
    finally:
        check.close()


def test_eight_claimers_start_one_job_of_a_coalesce_key_at_a_time(tag):
    """Key K has a job postponed after a start (pending, started once) and its next
    waiting job: a storm starts one of them, never both; after it ends, the other."""
    free = 'root.%s.free' % tag
    setup = Queue(connect())
    setup.add(tag + '-k1', channel=free, coalesce_key=tag + '-K')
    setup.set(tag + '-k1', date_started=setup.now)  # it ran once, then was postponed
    setup.add(tag + '-k2', channel=free, coalesce_key=tag + '-K')
    setup.cnx.commit()
    setup.close()
    storm(tag, claim_and_keep)
    check = Queue(connect())
    try:
        assert started_in(check, free) == 1
        first = check.sql("SELECT id FROM queue_job WHERE channel = %s AND state = 'started'",
                          (free,))[0][0]
        check.store.record_outcome(first, Outcome('done'))
        check.cnx.commit()
        storm(tag, claim_and_keep)
        assert started_in(check, free) == 1
        assert started_in(check, free, ('done',)) == 1
    finally:
        check.close()


def test_claims_of_free_channels_never_wait_for_each_other(tag):
    """No lock is common to every claim: while A's open claims hold a free job and a
    bounded channel's row, B claims another free job at once (lock_timeout: a wait
    would fail B's claim)."""
    free, bounded = 'root.%s.free' % tag, 'root.%s.bounded' % tag
    setup = Queue(connect())
    setup.store.apply_channels([ChannelSpec(bounded, 1)])
    setup.add(tag + '-f1', channel=free, priority=0)
    setup.add(tag + '-b1', channel=bounded, priority=1)
    setup.add(tag + '-f2', channel=free, priority=2)
    setup.cnx.commit()
    setup.close()
    first, second = open_claimers('root.%s.%%' % tag)
    try:
        assert first.claims(tag + 'a', limit=2) == [tag + '-f1', tag + '-b1']
        second.sql("SET lock_timeout = '1s'")
        assert second.claims(tag + 'b', limit=1) == [tag + '-f2']
    finally:
        first.close()
        second.close()


def test_a_job_stored_before_its_channel_got_a_bound_keeps_the_bound(tag):
    """Transaction T's snapshot predates capacity 1 on root.T.late: the 6 jobs T
    stores there are flagged free (the lane trigger reads T's snapshot). The claim
    checks the path of the free jobs it takes: a storm starts one of them."""
    late = 'root.%s.late' % tag
    cnx = connect()
    cnx.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ)
    early = Queue(cnx)
    early.sql('SELECT count(*) FROM queue_job_channel')  # T's snapshot is taken
    add_jobs(tag, [ChannelSpec(late, 1)], [])
    for number in range(6):
        early.add('%s-%d' % (tag, number), channel=late)
    assert early.sql('SELECT DISTINCT claim_bounded FROM queue_job WHERE channel = %s',
                     (late,)) == [(False,)]
    early.cnx.commit()
    early.close()
    storm(tag, claim_and_keep)
    check = Queue(connect())
    try:
        assert started_in(check, late) == 1
        assert check.sql("SELECT DISTINCT claim_bounded FROM queue_job "
                         "WHERE channel = %s AND state = 'pending'", (late,)) == [(True,)]
    finally:
        check.close()


def test_a_person_edits_a_rate_limited_channel_while_claims_spend_its_allowance(tag):
    """Odoo's transactions are REPEATABLE READ: an edit of a channel whose row a claim
    had changed since the edit began was refused ("could not serialize access"), and
    a script had to retry it. Claims only lock the channel's row; the allowance they
    spend is in queue_job_channel_state: the edit goes through."""
    shop = 'root.%s.shop' % tag
    add_jobs(tag, [ChannelSpec(shop, 0, False, RateLimit(100, 1), 10)],
             [('%s-%d' % (tag, i), shop, 0) for i in range(3)])
    cnx = connect()
    cnx.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ)
    person = Queue(cnx)  # the edit begins: its snapshot is taken
    worker = Queue(connect())
    try:
        assert worker.claims(tag + '-w', limit=2) == [tag + '-0', tag + '-1']
        worker.cnx.commit()
        person.sql('UPDATE queue_job_channel SET capacity = 5 WHERE complete_name = %s', (shop,))
        person.cnx.commit()
        assert worker.sql('SELECT capacity FROM queue_job_channel WHERE complete_name = %s',
                          (shop,)) == [(5,)]
    finally:
        person.close()
        worker.close()
