# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Webhooks: how fast the route accepts deliveries, and how soon a pushed change lands.

Needs a database with ``connector_example`` installed and no worker running
on it. Starts the local Odoo's HTTP server on it (threaded, as the tests
do), a remote Odoo with the webhook sender (a copy of the template
database) and 2 ``odoo-bin jobrunner`` processes; stops them and removes
what it created at the end.

    .venv/bin/python benchmarks/bench_webhooks.py -c var/odoo.cfg -d DB

1. throughput: in alternating rounds, ``--requests`` POSTs from
   ``--concurrency`` client threads (a new connection each, as senders do)
   to (a) Odoo's own trivial JSON route ``/web/webclient/version_info``
   (JSON-RPC, ``auth='none'``: dispatch, no database work) and (b) the
   webhook route, each delivery signed, new and accepted (a delivery row
   and an import job stored and committed). Requests per second, and the
   ratio webhook / trivial (target >= 0.7).
2. latency: ``--changes`` partners created one at a time on the remote
   over XML-RPC; from just before the create call (so the figure
   includes the remote's commit and its answer) until the partner's
   binding is committed here by a worker (polled every 10 ms); 2 workers
   idle. Median and p90 (target: under 2 s).
"""
import argparse
import http.client
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'tools'))

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402

from _odoo import load_config, median, query, report  # noqa: E402
from devkit.local_odoo import LocalOdoo  # noqa: E402
from devkit.remote_odoo import RemoteOdoo  # noqa: E402
from devkit.workers import Workers  # noqa: E402


def post(port, path, body, headers):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    try:
        conn.request('POST', path, body=body, headers=dict(
            {'Content-Type': 'application/json'}, **headers))
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def run_clients(requests, concurrency, make_request):
    """Requests per second of ``requests`` calls of ``make_request(n)`` (a status)."""
    numbers = iter(range(requests))
    lock = threading.Lock()
    bad = []

    def client():
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            status = make_request(number)
            if not 200 <= status < 300:
                bad.append('%s %s' % (make_request.__name__, status))
    threads = [threading.Thread(target=client) for _i in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if bad:
        raise RuntimeError('%d requests failed: %s' % (len(bad), sorted(set(bad))))
    return requests / elapsed


def make_backend(db_name, remote_url='http://127.0.0.1:1', remote_db='none'):
    with api.Environment.manage():
        with odoo.registry(db_name).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            backend = env['example.backend'].create({
                'name': 'bench webhooks %s' % uuid.uuid4().hex[:6], 'url': remote_url,
                'database': remote_db, 'login': 'admin', 'password': 'admin'})
            backend.action_generate_webhook_secret()
            return backend.id, backend.webhook_secret


def cleanup(db_name, backend_id):
    query(db_name, "DELETE FROM queue_job WHERE model_name = 'example.res.partner' AND "
          "args LIKE %s", ('%%"example.backend", %d]%%' % backend_id,))
    query(db_name, 'DELETE FROM res_partner WHERE id IN (SELECT openerp_id FROM '
          'example_res_partner WHERE backend_id = %s)', (backend_id,))
    query(db_name, "DELETE FROM connector_webhook_delivery WHERE backend_model = "
          "'example.backend' AND backend_id = %s", (backend_id,))
    query(db_name, 'DELETE FROM example_backend WHERE id = %s', (backend_id,))


def throughput(args, server):
    from odoo.addons.connector.webhook import delivery_headers
    backend_id, secret = make_backend(args.database)
    path = '/connector/webhook/example.backend/%d' % backend_id
    trivial = json.dumps({'jsonrpc': '2.0', 'method': 'call', 'params': {}}).encode()
    next_partner = iter(range(10 ** 6, 10 ** 7))
    partner_lock = threading.Lock()

    def webhook(_number):
        with partner_lock:
            partner = next(next_partner)
        body = json.dumps({'type': 'partner.updated', 'data': {'id': partner}}).encode()
        headers = delivery_headers(secret, 'msg_%s' % uuid.uuid4().hex, int(time.time()), body)
        return post(server.port, path, body, headers)

    def version_info(_number):
        return post(server.port, '/web/webclient/version_info', trivial, {})

    rates = {'trivial': [], 'webhook': []}
    try:
        run_clients(20, args.concurrency, webhook)  # warm up both
        run_clients(20, args.concurrency, version_info)
        for _round in range(args.rounds):
            rates['trivial'].append(run_clients(args.requests, args.concurrency, version_info))
            rates['webhook'].append(run_clients(args.requests, args.concurrency, webhook))
    finally:
        cleanup(args.database, backend_id)
    trivial_rate, webhook_rate = median(rates['trivial']), median(rates['webhook'])
    report('throughput: %d rounds of %d requests, %d client threads (medians)'
           % (args.rounds, args.requests, args.concurrency), [
               ('trivial JSON route (version_info)', trivial_rate, 'requests/s'),
               ('webhook deliveries accepted', webhook_rate, 'requests/s'),
               ('ratio webhook/trivial (target >= 0.7)', webhook_rate / trivial_rate, '')])


def latency(args, server, log_dir):
    remote = RemoteOdoo('connector_bench_webhook_remote', python=sys.executable,
                        with_sender=True)
    remote.create_database()
    pool = Workers(args.config, args.database, log_dir, python=sys.executable)
    backend_id = None
    try:
        remote.start()
        remote.install_webhook_sender()
        backend_id, secret = make_backend(args.database, remote.url, remote.database)
        client = remote.client()
        client.execute('webhook.sender', 'create', {
            'name': 'bench', 'url': server.url + '/connector/webhook/example.backend/%d'
            % backend_id, 'secret': secret})
        pool.start_many(['bench-webhook-a', 'bench-webhook-b'])
        client.execute('res.partner', 'create', {'name': 'Warm-up'})  # first import: caches
        seconds = []
        for number in range(args.changes + 1):
            start = time.time()
            remote_id = client.execute('res.partner', 'create',
                                       {'name': 'Pushed %d' % number})
            while not query(args.database, 'SELECT 1 FROM example_res_partner WHERE '
                            'backend_id = %s AND external_id = %s',
                            (backend_id, str(remote_id))):
                if time.time() - start > 60:
                    raise SystemExit('partner %s not imported within 60 s' % remote_id)
                time.sleep(0.01)
            seconds.append(time.time() - start)
        seconds = sorted(seconds[1:])  # the first one warms up the second worker
        p90 = seconds[max(0, int(round(0.9 * len(seconds))) - 1)]
        report('latency: %d partners created on the remote, one at a time, 2 idle workers'
               % len(seconds), [
                   ('remote create to binding committed, median', median(seconds), 's'),
                   ('p90 (target < 2 s)', p90, 's'),
                   ('max', seconds[-1], 's')])
    finally:
        pool.stop()
        query(args.database, "DELETE FROM queue_job_worker WHERE name LIKE 'bench-webhook-%%'")
        if backend_id:
            cleanup(args.database, backend_id)
        remote.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--requests', type=int, default=300)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--concurrency', type=int, default=4)
    parser.add_argument('--changes', type=int, default=20)
    parser.add_argument('--keep-logs', action='store_true', help='keep the servers\' logs')
    args = parser.parse_args()
    args.config = os.path.abspath(args.config)
    load_config(args.config)
    log_dir = tempfile.mkdtemp(prefix='bench-webhooks-')
    server = LocalOdoo(args.database, args.config, log_level='warn', python=sys.executable,
                       log_path=os.path.join(log_dir, 'odoo.log'))
    failed = True
    try:
        server.start()
        throughput(args, server)
        latency(args, server, log_dir)
        failed = False
    finally:
        server.close()
        if not (args.keep_logs or failed):
            shutil.rmtree(log_dir, ignore_errors=True)
        else:
            print('logs in', log_dir)


if __name__ == '__main__':
    main()
