# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: a worker's Prometheus endpoint, scraped while it runs jobs.

A real ``odoo-bin jobrunner --metrics-port`` process; its ``/metrics`` read
over HTTP; the figures compared with the queue's table at the same moment.
"""
import socket
import urllib.request

from odoo.addons.connector.jobrunner.metrics import parse_metrics
from odoo.addons.test_queue_job import jobs

from support.jobrunner import FAST, db_name, delay, delay_many, job_states, query, wait_until


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def scrape(port):
    with urllib.request.urlopen('http://127.0.0.1:%d/metrics' % port, timeout=10) as answer:
        return parse_metrics(answer.read().decode('utf-8'))


def _clock_and_heartbeat(worker, channel):
    """The database's clock (seconds), worker's last heartbeat (seconds) and the seconds
    left of channel's pause, as exact decimals (compared with the scraped floats once
    subtracted), in one committed transaction."""
    (now, beat, left), = query(
        "SELECT extract(epoch FROM now() at time zone 'utc'), extract(epoch FROM w.heartbeat), "
        "extract(epoch FROM c.paused_until - (now() at time zone 'utc')) "
        "FROM queue_job_worker w, queue_job_channel c WHERE w.name = %s AND c.complete_name = %s",
        (worker, channel))
    return {'now': now, 'beat': beat, 'left': left}


def test_metrics_match_the_queue_while_jobs_run(tag, workers):
    """Depth by channel and state, failures by function, live workers, and the run-time
    histogram of the jobs the worker ran: each as the table says."""
    port = free_port()
    channel = 'root.%s' % tag
    delay_many(jobs.insert_row, [('%s-%02d' % (tag, i),) for i in range(20)], channel=channel)
    delay(jobs.fail_with, tag + '-boom', 'zero', channel=channel)
    delay(jobs.insert_row, tag + '-later', channel=channel, eta=3600)
    workers.start(tag + 'm', *(FAST + ['--metrics-port', str(port)]))
    wait_until(lambda: job_states(tag).get('done') == 20 and job_states(tag).get('failed'),
               60, lambda: 'jobs not finished: %s' % job_states(tag))
    paused = channel + '.paused'  # a paused, rate-limited channel (3 per minute)
    query("INSERT INTO queue_job_channel (name, complete_name, capacity, sequential, "
          "rate_limit, rate_period, rate_burst, paused_until) VALUES ('paused', %s, 0, false, "
          "3, 60, 1, (now() at time zone 'utc') + interval '1 hour')", (paused,))

    db = db_name()

    def ran_counts(metrics):
        return {(dict(labels)['function'], dict(labels)['outcome']): value
                for (name, *labels), value in metrics.items()
                if name == 'connector_job_run_seconds_count' and dict(labels)['database'] == db}

    # The worker adds a job to its histogram after it committed the job's outcome
    # (run_job's on_finished): the table says 'done' first, the histogram a moment
    # later. Scrape until it has counted the 21 jobs (then assert the exact counts).
    observed = {}

    def histogram_complete():
        observed['metrics'] = scrape(port)
        ran = ran_counts(observed['metrics'])
        return ran.get((jobs.insert_row.func_string, 'done'), 0) >= 20 and \
            ran.get((jobs.fail_with.func_string, 'failed'), 0) >= 1
    wait_until(histogram_complete, 30, lambda: 'the run-time histogram does not count the '
               '21 jobs: %s' % ran_counts(observed['metrics']))
    # One more scrape, bracketed by the database's clock and the worker's heartbeat row
    # read just before and just after it: the ages it shows are judged against those.
    before = _clock_and_heartbeat(tag + 'm', paused)
    metrics = scrape(port)
    after = _clock_and_heartbeat(tag + 'm', paused)
    table = dict(((channel, state), count) for channel, state, count in query(
        "SELECT channel, state, count(*) FROM queue_job WHERE channel = %s AND "
        "state NOT IN ('done', 'cancelled') GROUP BY channel, state", (channel,)))
    shown = {(dict(labels)['channel'], dict(labels)['state']): value
             for (name, *labels), value in metrics.items()
             if name == 'connector_queue_jobs' and dict(labels)['channel'] == channel
             and dict(labels)['database'] == db}
    assert shown == table == {(channel, 'failed'): 1, (channel, 'pending'): 1}, (shown, table)
    failed_key = ('connector_queue_failed_jobs', ('database', db),
                  ('function', jobs.fail_with.func_string))
    assert metrics[failed_key] >= 1
    assert metrics[('connector_workers_alive', ('database', db))] >= 1
    left = metrics[('connector_channel_paused_seconds', ('channel', paused), ('database', db))]
    # seconds left of the pause, as the database's clock said during the scrape
    assert float(after['left']) <= left <= float(before['left']), (before, left, after)
    assert metrics[('connector_channel_rate_limit', ('channel', paused), ('database', db))] \
        == 0.05
    ran = ran_counts(metrics)
    assert ran[(jobs.insert_row.func_string, 'done')] == 20, ran
    assert ran[(jobs.fail_with.func_string, 'failed')] == 1, ran
    ages = [value for (name, *labels), value in metrics.items()
            if name == 'connector_worker_heartbeat_age_seconds'
            and dict(labels)['worker'] == tag + 'm']
    # Seconds from the worker's last heartbeat to the scrape's clock: no less than from
    # the newest heartbeat seen after the scrape to the clock before it, no more than
    # from the heartbeat seen before it to the clock after it (a heartbeat committed
    # between the scrape's start and its read of the row makes it slightly negative).
    assert len(ages) == 1, ages
    assert float(before['now'] - after['beat']) <= ages[0] \
        <= float(after['now'] - before['beat']), (before, ages[0], after)


def test_metrics_port_must_be_a_port(tag, workers):
    """A metrics port that is not a port number is refused at start, naming the option."""
    proc = workers.start(tag + 'bad', '--metrics-port', 'http', wait=False)
    assert proc.wait(60) == 2
    assert "metrics port 'http': give a TCP port number" in workers.log(proc)
