# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: channel weights share a full parent's starts between its children.

Three real ``odoo-bin jobrunner`` processes, a parent channel of capacity 2
(so the capacity, not the workers, is what limits starts), an old backlog
of 300 jobs in ``<parent>.old`` delayed first, then 30 jobs in
``<parent>.young``, both while the parent is paused: the claims begin with
both in the queue, so no old job starts before the young ones are there,
however long this process takes to delay them. Each job takes a short fixed
time (the workload, not a synchronization). The tests judge by counts of
the jobs' rows, in start order (``date_started``, set by the claim itself).

- Equal weights: the young channel gets starts while the old backlog is
  still pending, instead of waiting behind all of it (claims by age).
- Weights 3 (young) to 1 (old): over the window where both channels have
  runnable jobs, about 3 starts in 4 go to the young channel.
"""
from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, delay_many, query, wait_until

BACKLOG = 300
YOUNG = 30
JOB_SECONDS = 0.1
#: Fail only when no job of the test ended for this long (a busy machine is slow).
STALLED_AFTER = 90


def _start_workers(workers, tag, old_weight, young_weight):
    """Three workers; ``root.<tag>`` of capacity 2 with its two weighted children."""
    parent = 'root.' + tag
    workers.start_many([tag + 'a', tag + 'b', tag + 'c'], *FAST, '--channels',
                       '%s:2,%s.old:weight=%d,%s.young:weight=%d'
                       % (parent, parent, old_weight, parent, young_weight))
    assert query('SELECT complete_name, capacity, weight FROM queue_job_channel '
                 'WHERE complete_name LIKE %s ORDER BY complete_name', (parent + '%',)) == [
        (parent, 2, 1), (parent + '.old', 0, old_weight),
        (parent + '.young', 0, young_weight)], 'the --channels weights were not written'


def _delay_backlog_then_young(tag):
    """The old backlog in one transaction, then the young jobs in a later one, while
    the parent channel is paused (no claim starts any); then the pause is lifted."""
    parent = 'root.' + tag
    query("UPDATE queue_job_channel SET paused_until = (now() at time zone 'utc') "
          "+ interval '1 hour', pause_reason = 'the test delays its jobs' "
          "WHERE complete_name = %s", (parent,))
    delay_many(jobs.sleep_then_insert,
               [('%s-old-%03d' % (tag, i), JOB_SECONDS) for i in range(BACKLOG)],
               channel=parent + '.old')
    delay_many(jobs.sleep_then_insert,
               [('%s-young-%02d' % (tag, i), JOB_SECONDS) for i in range(YOUNG)],
               channel=parent + '.young')
    query('UPDATE queue_job_channel SET paused_until = NULL, pause_reason = NULL '
          'WHERE complete_name = %s', (parent,))


def _done_by_child(tag):
    """{'old': n, 'young': m}: done jobs of each child channel."""
    return dict(query("SELECT split_part(channel, '.', 3), count(*) FROM queue_job "
                      "WHERE channel LIKE %s AND state = 'done' GROUP BY 1",
                      ('root.%s.%%' % tag,)))


def _wait_until_young_done(tag):
    """Wait until every young job is done; fail only when no job of the test ended
    for STALLED_AFTER seconds (progress, not a total time)."""
    wait_until(lambda: _done_by_child(tag).get('young', 0) >= YOUNG, STALLED_AFTER,
               lambda: 'jobs stopped ending: %s done of %d old and %d young'
               % (_done_by_child(tag), BACKLOG, YOUNG),
               progress=lambda: sum(_done_by_child(tag).values()))


def _starts(tag):
    """('old' or 'young', date_started) of the started jobs, in start order."""
    return [(child, started) for child, started in query(
        "SELECT split_part(channel, '.', 3), date_started FROM queue_job "
        "WHERE channel LIKE %s AND date_started IS NOT NULL ORDER BY date_started, id",
        ('root.%s.%%' % tag,))]


def _old_pending_at(starts, moment):
    """Old jobs not started yet at ``moment``."""
    return BACKLOG - sum(1 for child, started in starts if child == 'old' and started <= moment)


def _picture(starts):
    """The start order as a short text: 'o' an old job, 'Y' a young one."""
    return ''.join('Y' if child == 'young' else 'o' for child, _started in starts)


def _run(workers, tag, old_weight, young_weight):
    """Start the workers, delay the backlog then the young jobs, wait for the young
    ones: (every start, the young starts), in start order."""
    _start_workers(workers, tag, old_weight, young_weight)
    _delay_backlog_then_young(tag)
    _wait_until_young_done(tag)
    starts = _starts(tag)
    young = [started for child, started in starts if child == 'young']
    assert len(young) == YOUNG
    return starts, young


def test_equal_weights_let_a_young_channel_start_beside_an_old_backlog(tag, workers):
    """Weights 1 and 1: the young jobs start while most of the old backlog waits."""
    starts, young = _run(workers, tag, 1, 1)
    pending = [_old_pending_at(starts, started) for started in young]
    first_young = _picture(starts).index('Y') + 1
    assert pending[-1] >= BACKLOG // 2, (
        'the young channel got its starts behind the old backlog: its first job was start '
        '#%d; when its last job started, only %d of %d old jobs were still pending (equal '
        'shares would leave most of them); old jobs pending at each young start: %s' % (
            first_young, pending[-1], BACKLOG, pending))


def test_weights_3_to_1_give_the_young_channel_about_three_starts_in_four(tag, workers):
    """Weights 3 (young) and 1 (old): over the window where both have runnable jobs,
    the young channel's share of the starts is about 3/4 (asserted above 0.6)."""
    starts, young = _run(workers, tag, 1, 3)
    first, last = young[0], young[-1]
    still_pending = _old_pending_at(starts, last)
    assert still_pending > 0, (
        'no window where both channels had runnable jobs: the old backlog had all started '
        'before the last young job did (claims by age?); start order: %s'
        % _picture(starts)[-200:])
    window = [child for child, started in starts if first <= started <= last]
    share = window.count('young') / len(window)
    assert share > 0.6, (
        'the young channel (weight 3) got %d of the %d starts between its first and last '
        'start (share %.2f, expected about 0.75; old jobs still pending at the end: %d); '
        'start order in the window: %s' % (
            window.count('young'), len(window), share, still_pending,
            _picture([s for s in starts if first <= s[1] <= last])[:300]))
