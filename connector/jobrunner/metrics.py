# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Prometheus metrics of a worker: ``odoo-bin jobrunner --metrics-port 9464``.

Served in the Prometheus text format on ``http://127.0.0.1:PORT/metrics``
(``--metrics-host`` to listen elsewhere; loopback by default: the figures
name databases, channels and functions), by the maintained
``prometheus_client`` library, from a thread of the worker:

==========================================  =================================
metric                                      what
==========================================  =================================
``connector_queue_jobs``                    jobs by database, channel and
                                            state (pending, started, failed,
                                            ...; not done nor cancelled),
                                            read at each scrape
``connector_queue_failed_jobs``             failed jobs by database and
                                            function, read at each scrape
``connector_queue_retrying_jobs``           unfinished jobs tried more than
                                            once, by database and function
``connector_queue_retries``                 their tries beyond the first
``connector_workers_alive``                 workers whose heartbeat is newer
                                            than ``--dead-after``, by database
``connector_worker_heartbeat_age_seconds``  seconds since each worker's last
                                            heartbeat (``worker``, ``host``)
``connector_channel_paused_seconds``        seconds left of each paused
                                            channel's pause (backpressure), by
                                            database and channel; 0 when it
                                            is rate-limited and not paused
``connector_channel_rate_limit``            starts per second allowed in each
                                            rate-limited channel
``connector_webhook_deliveries_total``      webhook deliveries by database and
                                            outcome: ``accepted``,
                                            ``duplicate``, or the reason of a
                                            refusal (``bad_signature``,
                                            ``stale_timestamp``, ``too_large``,
                                            ...), counted by the route
``connector_job_run_seconds``               histogram of the run time of the
                                            jobs *this* worker ran, by
                                            database, function and outcome
                                            (done, failed, pending: retried)
==========================================  =================================

The queue figures are the same whichever worker is scraped (they come from
the database, with a query per metric family at each scrape); the run-time
histogram is this worker's own: sum it over the workers.
"""
import logging
from typing import Callable, Dict, List

import psycopg2
from prometheus_client import CollectorRegistry, Histogram, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from psycopg2.extensions import connection

from ..queue.store import QueueStore

_logger = logging.getLogger(__name__)

#: Bucket bounds of the run-time histogram, in seconds: a trivial job takes
#: milliseconds, an import a tenth of a second to seconds, a batch minutes.
#: The webhook route's counters (connector/models/connector_webhook_delivery.py),
#: read when the database has the table (a connector older than the webhooks has not).
WEBHOOK_OUTCOMES = """
    SELECT outcome, sum(count) FROM connector_webhook_counter GROUP BY outcome
"""
RUN_SECONDS_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
                       900, 3600)


class QueueCollector(Collector):
    """Reads the queue's figures from each database at scrape time."""

    def __init__(self, databases: List[str], connect: Callable[[str], connection],
                 dead_after: float):
        self.databases = databases
        self.connect = connect
        self.dead_after = dead_after

    def collect(self):
        depth = GaugeMetricFamily('connector_queue_jobs', 'Jobs by channel and state '
                                  '(done and cancelled ones left out)',
                                  labels=['database', 'channel', 'state'])
        failed = GaugeMetricFamily('connector_queue_failed_jobs', 'Failed jobs by function',
                                   labels=['database', 'function'])
        retrying = GaugeMetricFamily('connector_queue_retrying_jobs',
                                     'Unfinished jobs tried more than once, by function',
                                     labels=['database', 'function'])
        retries = GaugeMetricFamily('connector_queue_retries', 'Tries beyond the first of the '
                                    'unfinished jobs, by function',
                                    labels=['database', 'function'])
        alive = GaugeMetricFamily('connector_workers_alive', 'Workers whose heartbeat is '
                                  'newer than --dead-after', labels=['database'])
        age = GaugeMetricFamily('connector_worker_heartbeat_age_seconds', 'Seconds since '
                                'the last heartbeat of each worker',
                                labels=['database', 'worker', 'host'])
        paused = GaugeMetricFamily('connector_channel_paused_seconds', 'Seconds left of the '
                                   'pause of each paused or rate-limited channel',
                                   labels=['database', 'channel'])
        rate = GaugeMetricFamily('connector_channel_rate_limit', 'Starts per second allowed '
                                 'in each rate-limited channel', labels=['database', 'channel'])
        webhooks = CounterMetricFamily('connector_webhook_deliveries', 'Webhook deliveries '
                                       'by outcome (accepted, duplicate, or the reason of a '
                                       'refusal)', labels=['database', 'outcome'])
        for db_name in self.databases:
            try:
                cnx = self.connect(db_name)
            except psycopg2.Error as err:
                _logger.warning('metrics: database %s unreachable: %s', db_name, err)
                continue
            try:
                with cnx.cursor() as cr:
                    store = QueueStore(cr)
                    for channel, state, count in store.queue_depth():
                        depth.add_metric([db_name, channel, state], count)
                    for function, n_failed, n_retrying, n_retries in store.jobs_by_function():
                        failed.add_metric([db_name, function], n_failed)
                        retrying.add_metric([db_name, function], n_retrying)
                        retries.add_metric([db_name, function], n_retries)
                    for channel, seconds, per_second in store.channel_limits():
                        paused.add_metric([db_name, channel], float(seconds))
                        if per_second is not None:
                            rate.add_metric([db_name, channel], float(per_second))
                    workers = store.workers()
                    cr.execute("SELECT to_regclass('connector_webhook_counter')")
                    if cr.fetchone()[0]:
                        cr.execute(WEBHOOK_OUTCOMES)
                        for outcome, count in cr.fetchall():
                            webhooks.add_metric([db_name, outcome], float(count))
                cnx.rollback()
            finally:
                cnx.close()
            alive.add_metric([db_name], sum(1 for w in workers if w[3] <= self.dead_after))
            for name, host, _pid, seconds in workers:
                age.add_metric([db_name, name, host or ''], float(seconds))
        return [depth, failed, retrying, retries, paused, rate, alive, age, webhooks]


class WorkerMetrics(object):
    """The metrics of one worker process, and their HTTP endpoint."""

    def __init__(self, databases: List[str], connect: Callable[[str], connection],
                 dead_after: float):
        self.registry = CollectorRegistry()
        self.run_seconds = Histogram(
            'connector_job_run_seconds', 'Run time of the jobs this worker ran',
            ['database', 'function', 'outcome'], buckets=RUN_SECONDS_BUCKETS,
            registry=self.registry)
        self.registry.register(QueueCollector(databases, connect, dead_after))

    def job_finished(self, db_name: str, function: str, outcome: str, seconds: float):
        """Record a job this worker ran (``outcome``: done, failed or pending)."""
        self.run_seconds.labels(db_name, function or '', outcome).observe(seconds)

    def serve(self, host: str, port: int):
        """Serve ``/metrics`` on ``host:port`` from a daemon thread."""
        start_http_server(port, addr=host, registry=self.registry)
        _logger.info('metrics on http://%s:%s/metrics', host, port)


def parse_metrics(text: str) -> Dict[tuple, float]:
    """``{(name, (label, value), ...): value}`` of a scrape (for tests and tools).

    >>> parse_metrics('# HELP x y\\nx{a="1",b="q"} 2.0\\nz 3\\n')
    {('x', ('a', '1'), ('b', 'q')): 2.0, ('z',): 3.0}
    """
    from prometheus_client.parser import text_string_to_metric_families
    values = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            values[(sample.name,) + tuple(sorted(sample.labels.items()))] = sample.value
    return values
