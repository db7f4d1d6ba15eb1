# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The OCA queue_job side of ``bench_queue.py --oca-venv``: run with THAT venv's python.

Never imports the connector. ``write_addon(dir)`` writes the tiny addon
``bench_oca_queue_job`` (a model with two ``@job`` methods); ``measure``
prints one JSON line with the enqueue rates, and, when the Odoo server
with its jobrunner runs, the end-to-end throughput and idle latency.

    python _oca_side.py write-addon DIR
    python _oca_side.py enqueue -c CFG -d DB [--rounds N]
    python _oca_side.py run -c CFG -d DB [--rounds N] [--samples N]

Prints raw figures (lists); the caller takes medians.
"""
import json
import os
import sys
import time

MANIFEST = """{'name': 'Bench OCA queue_job', 'version': '11.0.1.0.0', 'license': 'LGPL-3',
 'depends': ['queue_job'], 'data': [], 'installable': True}
"""
MODELS = '''import time
from odoo import api, fields, models
from odoo.addons.queue_job.job import job


class BenchOcaJob(models.Model):
    _name = 'bench.oca.job'
    name = fields.Char()

    @job
    @api.multi
    def noop(self, number):
        return None

    @job
    @api.multi
    def stamp(self, number):
        return '%.6f' % time.time()
'''


def write_addon(directory):
    path = os.path.join(directory, 'bench_oca_queue_job')
    os.makedirs(path, exist_ok=True)
    files = {'__manifest__.py': MANIFEST, '__init__.py': 'from . import models\n',
             'models.py': MODELS}
    for name, text in files.items():
        with open(os.path.join(path, name), 'w') as handle:
            handle.write(text)


def _env(args):
    import odoo
    odoo.tools.config.parse_config(['-c', args[args.index('-c') + 1], '--log-level=warn'])
    return odoo, args[args.index('-d') + 1]


def _option(args, name, default):
    return int(args[args.index(name) + 1]) if name in args else default


def enqueue(args, count=2000):
    rounds = _option(args, '--rounds', 3)
    odoo, db_name = _env(args)
    from odoo import SUPERUSER_ID, api
    registry = odoo.registry(db_name)
    results = {}
    for label, context in (('default', {}), ('tracking_disable', {'tracking_disable': True})):
        rates = []
        for _ in range(rounds):
            with api.Environment.manage():
                cr = registry.cursor()
                try:
                    model = api.Environment(cr, SUPERUSER_ID, context)['bench.oca.job']
                    start = time.perf_counter()
                    for i in range(count):
                        model.with_delay().noop(i)
                    rates.append(count / (time.perf_counter() - start))
                finally:
                    cr.rollback()
                    cr.close()
        results['enqueue_' + label] = rates
    return results


def _commit(odoo, db_name, method, numbers):
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage():
        cr = odoo.registry(db_name).cursor()
        try:
            model = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})[
                'bench.oca.job']
            uuids = [getattr(model.with_delay(description='bench'), method)(n).uuid
                     for n in numbers]
            before = time.time()
            cr.commit()
        finally:
            cr.close()
    return uuids, before


def _query(odoo, db_name, sql, params=None):
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        cr.execute(sql, params)
        rows = cr.fetchall() if cr.description else None
        cr.commit()
        return rows


def run(args, count=1000):
    rounds = _option(args, '--rounds', 3)
    samples = _option(args, '--samples', 50)
    odoo, db_name = _env(args)
    rates = []
    for _ in range(rounds):
        uuids, _before = _commit(odoo, db_name, 'noop', range(count))
        committed = time.time()
        deadline = committed + 300
        # polled as the connector's side is (_odoo.wait_all_done): by primary key range
        (low, high), = _query(odoo, db_name, 'SELECT min(id), max(id) FROM queue_job '
                              'WHERE uuid IN %s', (tuple(uuids),))
        while _query(odoo, db_name, "SELECT count(*) FROM queue_job WHERE id BETWEEN %s "
                     "AND %s AND state = 'done'", (low, high))[0][0] < count \
                or _query(odoo, db_name, "SELECT count(*) FROM queue_job WHERE uuid IN %s "
                          "AND state = 'done'", (tuple(uuids),))[0][0] < count:
            if time.time() > deadline:
                raise SystemExit('OCA jobs not done after 300 s')
            time.sleep(0.01)
        rates.append(count / (time.time() - committed))
        _query(odoo, db_name, 'DELETE FROM queue_job WHERE uuid IN %s', (tuple(uuids),))
    latencies = []
    for i in range(samples):
        time.sleep(0.1)
        (job_uuid,), before = _commit(odoo, db_name, 'stamp', [i])
        while True:
            found = _query(odoo, db_name, "SELECT result FROM queue_job WHERE uuid = %s AND "
                           "state = 'done'", (job_uuid,))
            if found:
                break
            time.sleep(0.005)
        latencies.append(float(found[0][0]) - before)
        _query(odoo, db_name, 'DELETE FROM queue_job WHERE uuid = %s', (job_uuid,))
    return {'rates': rates, 'latencies': latencies}


if __name__ == '__main__':
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == 'write-addon':
        write_addon(rest[0])
    else:
        print('RESULT ' + json.dumps(enqueue(rest) if mode == 'enqueue' else run(rest)))
