# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: channel rate limits and backpressure pauses hold across two workers.

Real ``odoo-bin jobrunner`` processes: a rate limit bounds the starts per
second of both workers together; a job raising ``RemoteThrottled`` pauses
its channel on both, other channels go on, and the channel resumes by
itself; a rate changed in the table is followed without restart; a bad
rate configuration is refused at start with the option named.
"""
import os
import subprocess
import time

import odoo
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.example import local_env
from support.jobrunner import (FAST, ROW_MODEL, Workers, db_name, job_states, query, rows,
                               wait_for_progress, wait_until)

#: Workers whose upkeep (a poll of the queue) comes only every 30 s: a start that
#: follows the previous one or a pause's end sooner than that was woken by the
#: rate's or the pause's own end (the wake delay), whatever the machine's speed.
UPKEEP = 30
SLOW_UPKEEP = ['--heartbeat-interval', str(UPKEEP), '--dead-after', str(10 * UPKEEP)]


def _create_channel(name, **values):
    """Create channel ``name`` (as an operator does in Queue > Channels) under root."""
    with local_env() as env:
        channels = env['queue.job.channel']
        parent = channels.search([('complete_name', '=', name.rsplit('.', 1)[0])])
        return channels.create(dict(values, name=name.rsplit('.', 1)[1],
                                    parent_id=parent.id)).id


def _delay_all(calls, **options):
    """Delay ``(func, args)`` calls in one committed transaction; the commit's time."""
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        for func, args in calls:
            func.delay(session, ROW_MODEL, *args, **options)
    return time.time()


def _busiest_window(starts, width=1.0):
    """The most starts in any window of ``width`` seconds (closed): (count, first start)."""
    starts = sorted(starts)
    best = (0, None)
    for i, first in enumerate(starts):
        count = sum(1 for start in starts[i:] if start <= first + width)
        best = max(best, (count, first), key=lambda pair: pair[0])
    return best


def _longest_gap(starts):
    """The longest time between two consecutive starts: (seconds, the first of them)."""
    starts = sorted(starts)
    return max(((b - a, a) for a, b in zip(starts, starts[1:])), default=(0.0, None))


def _logs(workers):
    return '\n'.join('--- %s\n%s' % (p.worker_name, workers.log(p))
                     for p in workers.processes)[-4000:]


def test_two_workers_start_at_most_the_rate_plus_the_burst_per_second(tag, workers):
    """root.<tag>:rate=5/s:burst=2 on 2 workers, 60 jobs: no 1-s window holds more than
    7 starts, the first to the last start take at least 58 / 5 = 11.6 s, each start
    was woken by the rate (none waited for an upkeep), and both workers ran jobs."""
    channel = 'root.' + tag
    _create_channel(channel)
    workers.start_many([tag + 'a', tag + 'b'], *SLOW_UPKEEP,
                       '--channels', channel + ':rate=5/s:burst=2')

    def rate():
        return query('SELECT rate_limit, rate_period, rate_burst FROM queue_job_channel '
                     'WHERE complete_name = %s', (channel,))
    # a worker is registered (connect) before it writes its --channels (start):
    # the jobs are delayed once the rate is in the row
    wait_until(lambda: rate() == [(5, 1, 2)], 30, lambda: 'rate not written: %s' % rate())

    committed = _delay_all([(jobs.insert_row, ('%s-%02d' % (tag, i),)) for i in range(60)],
                           channel=channel)
    wait_for_progress(lambda: job_states(tag).get('done', 0), 60, 2 * UPKEEP,
                      lambda: 'jobs not done: %s\n%s' % (job_states(tag), _logs(workers)))
    took = time.time() - committed

    # date_started is set by the claim itself: the time the allowance was spent
    started = [row[0] for row in query(
        "SELECT extract(epoch FROM date_started) FROM queue_job WHERE args LIKE %s",
        ('%' + tag + '%',))]
    count, at = _busiest_window([float(s) for s in started])
    assert count <= 5 + 2, '%d jobs started within 1 s of %s (limit 5/s, burst 2)' % (count, at)
    span = float(max(started) - min(started))
    # The rate's own spacing (the claim spends the allowance at its statement's start,
    # date_started is its transaction's: the slack is that gap, not the machine's speed)
    assert span >= 58 / 5 - 0.3, 'first to last start %.2f s: faster than 5/s' % span
    # Not held back beyond the limit either: no start waited for an upkeep (that a
    # slow machine stretches the gaps is no fault of the limit: no bound on the span)
    gap, after = _longest_gap([float(s) for s in started])
    assert gap < UPKEEP, 'no start for %.2f s after the one of %s: the workers waited ' \
        'for their upkeep, not for the rate\'s next start' % (gap, after)
    pids = {pid for _key, pid, _s, _e in rows(tag)}
    assert len(pids) == 2, 'both workers should have run jobs, pids: %s' % pids
    print('\n60 jobs at 5/s burst 2: first to last start %.1f s, all done %.1f s after the '
          'commit, busiest second %d starts, longest gap %.2f s' % (span, took, count, gap))


def test_throttled_job_pauses_its_channel_on_both_workers_and_it_resumes(tag, workers):
    """A job of root.<tag> raises RemoteThrottled(seconds=3): no job of root.<tag> starts
    on either worker for 3 s after that try ended, jobs of root.<tag>other start on
    both meanwhile, then the channel resumes by itself (at the pause's end, not at an
    upkeep): every job done, the throttled one tried twice with its retry count 1 (the
    throttled try not counted)."""
    throttled, other = 'root.' + tag, 'root.%sother' % tag
    _create_channel(throttled)
    _create_channel(other)
    # Capacity 1: no other job of the channel runs while the throttled try does, so
    # the pause is the only thing that can hold the channel's next job back.
    workers.start_many([tag + 'a', tag + 'b'], *SLOW_UPKEEP, '--channels', throttled + ':1')
    _delay_all([(jobs.throttled_once, (tag + '-t', 3))], channel=throttled, priority=1)
    _delay_all([(jobs.sleep_then_insert, ('%s-x%02d' % (tag, i), 0.05)) for i in range(8)],
               channel=throttled, priority=5)
    _delay_all([(jobs.sleep_then_insert, ('%s-y%02d' % (tag, i), 0.2)) for i in range(40)],
               channel=other, priority=10)

    paused = wait_until(lambda: query(
        'SELECT paused_until, pause_reason FROM queue_job_channel WHERE complete_name = %s '
        'AND paused_until IS NOT NULL', (throttled,)), 30,
        lambda: 'channel %s never paused: %s\n%s' % (throttled, job_states(tag), _logs(workers)))
    assert paused[0][1] == 'remote of %s-t answered 429 Too Many Requests' % tag, paused
    wait_for_progress(lambda: job_states(tag).get('done', 0), 49, 2 * UPKEEP,
                      lambda: 'jobs not done: %s\n%s' % (job_states(tag), _logs(workers)))

    written = {key[len(tag) + 1:]: (pid, started, ended)
               for key, pid, started, ended in rows(tag)}
    throttled_end = written['t-throttled'][2]
    in_channel = {key: run for key, run in written.items()
                  if key.startswith('x') or key == 't'}
    during = sorted(key for key, (_pid, started, _e) in in_channel.items()
                    if throttled_end < started < throttled_end + 3)
    assert during == [], 'jobs of %s started during its pause: %s' % (throttled, [
        (key, '%.2f s after the throttled try' % (in_channel[key][1] - throttled_end))
        for key in during])
    assert written['t'][1] >= throttled_end + 3, 'the throttled job ran again %.2f s after' % (
        written['t'][1] - throttled_end)
    others = [(pid, started) for key, (pid, started, _e) in written.items()
              if key.startswith('y') and throttled_end < started < throttled_end + 3]
    # (how many is the machine's speed; that both ran some is the verdict)
    assert len({pid for pid, _s in others}) == 2, \
        'both workers should run %s during the pause: %s' % (other, others)
    resumed = min(started for key, (_p, started, _e) in in_channel.items()
                  if started > throttled_end)
    # On the database's clock: the first start of the channel after its pause's end,
    # sooner than an upkeep would come (the pause's end woke a worker, or a worker
    # busy with the other channel claimed again at once).
    (late,), = query('SELECT extract(epoch FROM min(date_started) - %s) FROM queue_job '
                     'WHERE channel = %s AND date_started >= %s',
                     (paused[0][0], throttled, paused[0][0]))
    assert 0 <= late < UPKEEP, 'the channel resumed %s s after its pause ended: not woken ' \
        'by the pause\'s end' % late
    tries = query('SELECT retry, result FROM queue_job WHERE args LIKE %s', ('%' + tag + '-t"%',))
    assert tries == [(1, None)], 'the throttled job: %s' % (tries,)
    print('\npause: next job of the channel %.2f s after the throttled try (%.3f s after '
          'the pause\'s end); %d jobs of the other channel started meanwhile'
          % (resumed - throttled_end, late, len(others)))


def _starts(tag, since=0.0):
    """The claims of the tag's jobs at or after ``since``: their date_started (the
    database's clock, seconds since the epoch), in order."""
    return [float(start) for start, in query(
        "SELECT extract(epoch FROM date_started) FROM queue_job WHERE args LIKE %s "
        "AND date_started >= to_timestamp(%s) at time zone 'utc' ORDER BY date_started",
        ('%' + tag + '%', since))]


def _set_rate(channel, limit):
    """Write the channel's rate limit through the ORM, as the web client does; the
    database's clock once it is committed."""
    with local_env() as env:
        env['queue.job.channel'].search([('complete_name', '=', channel)]).write(
            {'rate_limit': limit})
    return float(query("SELECT extract(epoch FROM now() at time zone 'utc')")[0][0])


def _starts_after(tag, since, count):
    """The first ``count`` claims at or after ``since``, once there are that many."""
    wait_until(lambda: len(_starts(tag, since)) >= count, 60,
               lambda: 'only %d jobs started since the change: %s' % (
                   len(_starts(tag, since)), job_states(tag)))
    return _starts(tag, since)[:count]


def _interval_spent(channel):
    """(rate limit, seconds from the last claim's date_started to the channel's next
    allowed start), read in one snapshot.

    With burst 1, a claim is allowed once its clock reached the next start and moves
    it to that clock plus one interval, all in its transaction; claims of the channel
    take turns (its row's lock) and date_started is at most the claim's clock, so the
    figure is the interval plus the time from the last claim's transaction start to
    its first statement: at least 1 / rate, whatever the machine's speed.
    """
    (limit, seconds), = query(
        'SELECT c.rate_limit, extract(epoch FROM r.rate_next_start - (SELECT max(j.date_started) '
        'FROM queue_job j WHERE j.channel = c.complete_name)) FROM queue_job_channel c '
        'JOIN queue_job_channel_state r ON r.channel = c.complete_name '
        'WHERE c.complete_name = %s', (channel,))
    return limit, float(seconds)


#: Jobs of the rate-change test.
JOBS = 400


def test_rate_written_to_the_channel_is_followed_by_running_workers(tag, workers):
    """2 running workers at 2/s; the channel's rate written to 20/s in the web client:
    starts speed up; back to 2/s: they slow down; to 0 (no limit): the rest run at once.
    No restart. Judged by the claims' times (date_started), N starts at R/s spanning at
    least (N - 1) / R seconds (burst 1), and by the allowance the claims spent (the
    channel's next start, one interval after the last claim's)."""
    channel = 'root.' + tag
    _create_channel(channel)
    workers.start_many([tag + 'a', tag + 'b'], *FAST, '--channels', channel + ':rate=2/s')
    # enough for the 20/s phase to leave some for the 2/s one however long this
    # process takes to write the rate back (the workers keep going meanwhile)
    _delay_all([(jobs.insert_row, ('%s-%03d' % (tag, i),)) for i in range(JOBS)],
               channel=channel)
    slow = _starts_after(tag, 0, 6)
    assert slow[-1] - slow[0] >= 5 / 2 - 0.3, \
        'at 2/s, 6 starts within %.2f s' % (slow[-1] - slow[0])

    fast = _starts_after(tag, _set_rate(channel, 20), 15)
    spent = _interval_spent(channel)
    assert spent[0] == 20 and spent[1] < 1 / 2, 'the rate raised to 20/s: the last claim ' \
        'moved the next start %.3f s on, as 2/s does (%s)' % (spent[1], spent)

    slowed = _starts_after(tag, _set_rate(channel, 2), 6)
    assert slowed[-1] - slowed[0] >= 5 / 2 - 0.3, \
        'the rate lowered to 2/s: 6 starts within %.2f s' % (slowed[-1] - slowed[0])
    assert job_states(tag).get('pending'), 'all jobs ran: the slowdown shows nothing'

    _set_rate(channel, 0)
    wait_for_progress(lambda: job_states(tag).get('done', 0), JOBS, 60,
                      lambda: 'the limit removed, jobs still not done: %s\n%s' % (
                          job_states(tag), _logs(workers)))
    print('\nspan of 6 starts at 2/s: %.2f s; of 15 at 20/s: %.2f s (next start %.3f s '
          'after the last claim); of 6 at 2/s again: %.2f s' % (
              slow[-1] - slow[0], fast[-1] - fast[0], spent[1], slowed[-1] - slowed[0]))


def _refused(pool, channels, *extra):
    env = dict(os.environ, ODOO_RC=pool.command()[4])
    done = subprocess.run(pool.command('--channels', channels, *extra), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return done.returncode, done.stderr.decode()


def test_bad_rate_configuration_is_refused_at_start_naming_the_option(tag, tmp_path):
    """A negative rate, an unknown unit, a rate on a channel nothing uses: exit status 2
    and a message naming --channels and the entry."""
    pool = Workers(tmp_path)
    status, stderr = _refused(pool, 'root:2,root.x:rate=-5/s')
    assert status == 2, stderr
    assert ("--channels: channel configuration 'root.x:rate=-5/s': rate '-5/s': '-5' is not "
            "a whole number of starts from 1; write for example '5/s'") in stderr, stderr

    status, stderr = _refused(pool, 'root.x:rate=5/d')
    assert status == 2, stderr
    assert ("--channels: channel configuration 'root.x:rate=5/d': rate '5/d': unknown unit "
            "'d'; write N/s, N/m or N/h") in stderr, stderr

    unused = 'root.%snothing' % tag
    status, stderr = _refused(pool, unused + ':rate=5/s', '--worker-name', tag + '-refused')
    assert status == 2, stderr
    assert ("--channels (jobrunner_channels) entry '%s:rate=5/s': channel %s does not "
            "exist" % (unused, unused)) in stderr, stderr  # as typed, not rewritten
    assert 'its rate limit would limit nothing' in stderr, stderr
    assert query('SELECT count(*) FROM queue_job_channel WHERE complete_name = %s',
                 (unused,)) == [(0,)], 'a refused configuration must not be written'
    assert query('SELECT count(*) FROM queue_job_worker WHERE name = %s',
                 (tag + '-refused',)) == [(0,)], 'a refused worker must leave no row'


def test_pause_meeting_another_pause_of_the_channel_is_recorded_again(tag, workers):
    """Worker A's throttled job pauses root.<tag> while another transaction (worker B,
    throttled at the same moment) pauses it too and commits first: A's outcome meets a
    serialization failure, is recorded again, and A goes on (it used to die of it,
    its job left started)."""
    channel = 'root.' + tag
    _create_channel(channel)
    worker = workers.start(tag + 'a', *FAST)
    other_worker = odoo.sql_db.db_connect(db_name()).cursor()
    try:
        other_worker.execute('SELECT id FROM queue_job_channel WHERE complete_name = %s '
                             'FOR UPDATE', (channel,))
        _delay_all([(jobs.throttled_once, (tag + '-t', 1))], channel=channel)
        wait_until(lambda: query(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
            "AND query LIKE %s", (db_name(), '%UPDATE queue_job_channel%paused_until%')), 30,
            lambda: 'the throttled job never waited to pause its channel: %s\n%s' % (
                job_states(tag), _logs(workers)))
        other_worker.execute("UPDATE queue_job_channel SET paused_until = (now() at time zone "
                             "'utc') + interval '1 second', pause_reason = 'worker B: 429' "
                             "WHERE complete_name = %s", (channel,))
        other_worker.commit()
    finally:
        other_worker.close()
    wait_until(lambda: job_states(tag) == {'done': 1}, 30,
               lambda: 'the throttled job did not end: %s\n%s' % (job_states(tag),
                                                                  _logs(workers)))
    assert worker.poll() is None, 'the worker died: %s' % _logs(workers)
    assert 'its outcome met a concurrent update (try 1 of 5), recording it again' \
        in _logs(workers)
    assert query('SELECT pause_reason FROM queue_job_channel WHERE complete_name = %s',
                 (channel,)) == [('remote of %s-t answered 429 Too Many Requests' % tag,)]
