# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: a remote that throttles its callers, met through the example's adapter.

A real HTTP proxy (``throttling_proxy``) sits between the example backend
and the real remote Odoo and answers "429 Too Many Requests" with
``Retry-After: 1`` beyond a number of requests per second, as a shop API
does. Two real workers import the remote's partners: the jobs that meet a
429 pause the backend's channel on both workers and are tried again, none
fails, every partner ends imported. With the backend's "requests per
second" set below what the remote allows, the remote has nothing to refuse.
"""
import time

import pytest

from devkit import seeding
from support.example import (BINDING, assert_both_sides_equal, bindings, import_partners, jobs,
                             last_job_id, local_env)
from support.jobrunner import query, wait_until
from support.throttling_proxy import ThrottlingProxy

#: Requests per second the proxy forwards; beyond, it answers 429.
REMOTE_ALLOWS = 15

#: Liveness of the workers: a job's remote calls may stall for seconds on this
#: shared machine; a worker is not taken for dead (its job requeued, that try
#: counted) unless silent for 10 s.
LIVENESS = ['--heartbeat-interval', '0.5', '--dead-after', '10']


@pytest.fixture(name='proxy')
def proxy_fixture(remote_server, backend):
    """A throttling proxy in front of the remote; the backend talks to the remote through it."""
    with ThrottlingProxy(remote_server.port, per_second=REMOTE_ALLOWS, retry_after=1) as proxy:
        with local_env() as env:
            env['example.backend'].browse(backend).url = proxy.url
        yield proxy


def _channel_of(backend):
    return query('SELECT c.complete_name FROM example_backend b '
                 'JOIN queue_job_channel c ON c.id = b.job_channel_id WHERE b.id = %s',
                 (backend,))[0][0]


def _import_watching_pauses(backend, workers, timeout=120):
    """Import the remote partners with the jobs' channel watched; the pauses seen
    ((paused_until, pause_reason) of the backend's channel while paused, and the last
    one its row records), the time taken."""
    channel = _channel_of(backend)
    first = last_job_id()
    started = time.time()
    import_partners(backend)
    pauses = set()

    def finished():
        pauses.update(query("SELECT paused_until, pause_reason FROM queue_job_channel "
                            "WHERE complete_name = %s AND paused_until > "
                            "(now() at time zone 'utc')", (channel,)))
        counts = dict(query('SELECT state, count(*) FROM queue_job WHERE id > %s AND '
                            'model_name = %s GROUP BY state', (first, BINDING)))
        return counts and not any(counts.get(state) for state in ('pending', 'started'))
    wait_until(finished, timeout, lambda: 'jobs still running: %s\n%s' % (
        [(row[2], row[3], row[5]) for row in jobs(first) if row[2] != 'done'][:10],
        '\n'.join(workers.log(p) for p in workers.processes)[-3000:]))
    took = time.time() - started
    # A pause of 1 s may come and go between two looks: the channel's row keeps the
    # last one (its end and reason), which is the record that counts.
    pauses.update(query('SELECT paused_until, pause_reason FROM queue_job_channel '
                        'WHERE complete_name = %s AND pause_reason IS NOT NULL', (channel,)))
    return first, pauses, took


def _log_lines(workers):
    lines = []
    for process in workers.processes:
        with open(process.log_path) as log:
            lines += log.readlines()
    return lines


def _postponements(workers):
    """The workers' log lines of postponed jobs: (by a 429, for another reason)."""
    lines = [line for line in _log_lines(workers) if ' postponed in ' in line]
    throttled = [line for line in lines if ': 429 Too Many Requests>' in line]
    return throttled, [line for line in lines if line not in throttled]


def _assert_every_remote_partner_imported(remote, backend, first):
    rows = jobs(first)
    assert {row[2] for row in rows} == {'done'}, [r for r in rows if r[2] != 'done']
    there = sorted(str(partner['id']) for partner in remote.partners(fields=('name',)))
    assert sorted(bindings(backend)) == there
    assert_both_sides_equal(remote, backend)  # field by field: no value lost to a 429


def test_throttled_import_pauses_the_backend_channel_and_imports_everything(
        tag, remote, backend, proxy, workers):
    """The remote allows 15 requests/s and answers 429 with Retry-After: 1 beyond; the
    backend's jobs go to its own channel, unlimited: jobs meet 429, the channel pauses
    on both workers and resumes, every partner is imported, no job failed, and the
    throttled tries did not use up their retries."""
    channel = 'root.' + tag
    with local_env() as env:
        root = env['queue.job.channel'].search([('complete_name', '=', 'root')])
        env['example.backend'].browse(backend).job_channel_id = env['queue.job.channel'].create(
            {'name': tag, 'parent_id': root.id})
    remote.seed(40, contacts_per_company=4)
    seeding.seed_awkward_partners(remote.client, remote.suffix)
    proxy.refuse_every = 10  # 429s even when a busy machine stays under 15/s
    workers.start_many([tag + 'a', tag + 'b'], *LIVENESS)

    first, pauses, took = _import_watching_pauses(backend, workers)

    _assert_every_remote_partner_imported(remote, backend, first)
    assert proxy.throttled >= 1, 'the remote never throttled: the test shows nothing'
    assert pauses, 'the channel %s was never seen paused' % channel
    reasons = {reason for _until, reason in pauses}
    reason = sorted(reasons)[0]
    assert reason.startswith("Backend 'E2E remote%s' (example.backend,%d): " % (
        remote.suffix, backend)), reason
    assert ('failed: ProtocolError: <ProtocolError for 127.0.0.1:%d/xmlrpc/2/' % proxy.port
            in reason and ': 429 Too Many Requests>' in reason), reason
    assert reason.endswith("the remote asks us to slow down: no job of this channel starts "
                           "until then; lower the backend's requests per second if this "
                           "recurs."), reason
    assert {row[1] for row in query('SELECT id, channel FROM queue_job WHERE id > %s',
                                    (first,))} == {channel}
    throttled, other = _postponements(workers)
    assert throttled, 'no job was postponed by a 429'
    retries = [row[3] for row in jobs(first)]
    counted = [row[0] for row in jobs(first) if row[3] > 1]
    assert not counted, 'a throttled try was counted: %s' % [
        line[:300] for line in _log_lines(workers) if any(uuid in line for uuid in counted)]
    print('\n%d jobs, %.1f s: the remote answered 429 %d times, forwarded %d requests '
          '(busiest second %d); channel paused %d times; %d tries postponed by a 429, %d '
          'for another reason (a parent imported by two jobs at once)' % (
              len(retries), took, proxy.throttled, len(proxy.forwarded),
              proxy.busiest_second(), len(pauses), len(throttled), len(other)))


def test_backend_requests_per_second_below_the_remote_limit_avoids_429(
        tag, remote, backend, proxy, workers):
    """The same remote, the backend's requests per second set to 2 (each import job
    sends about 4 requests): its channel root.example.backend_<id> limits the jobs'
    starts on both workers, the remote answers next to no 429, every partner is
    imported."""
    try:
        with local_env() as env:
            env['example.backend'].browse(backend).requests_per_second = 2
        channel = _channel_of(backend)
        assert channel == 'root.example.backend_%d' % backend
        assert query('SELECT rate_limit, rate_period FROM queue_job_channel '
                     'WHERE complete_name = %s', (channel,)) == [(2, 1)]
        remote.seed(40, contacts_per_company=4)
        workers.start_many([tag + 'a', tag + 'b'], *LIVENESS)

        first, pauses, took = _import_watching_pauses(backend, workers)

        _assert_every_remote_partner_imported(remote, backend, first)
        count = len(jobs(first))
        assert proxy.throttled <= 2, 'the remote answered 429 %d times (busiest second: ' \
            '%d requests)' % (proxy.throttled, proxy.busiest_second())
        assert took >= (count - 1) / 2 - 1, '%d jobs in %.1f s: faster than 2/s' % (count, took)
        print('\n%d jobs at 2/s, %.1f s: the remote answered 429 %d times, forwarded %d '
              'requests (busiest second %d)' % (
                  count, took, proxy.throttled, len(proxy.forwarded), proxy.busiest_second()))
    finally:  # the channel the backend created; the fixture deletes the backend
        query('UPDATE example_backend SET job_channel_id = NULL WHERE id = %s', (backend,))
        query('DELETE FROM queue_job_channel WHERE complete_name = %s',
              ('root.example.backend_%d' % backend,))
