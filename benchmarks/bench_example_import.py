# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""connector_example: import N partners from a real remote Odoo, framework vs bare.

Starts a remote Odoo (``devkit/remote_odoo.py``, database
``connector_bench_remote``), seeds it with N partners, then in the given
local database (``connector_example`` installed), one after the other:

bare
    a plain script, no framework: XML-RPC reads of the same records (same
    fields, in batches of 200, countries and categories read once) and ORM
    creates of the same partners with their parent, country and
    categories, committed once; then removed.
framework
    ``example.backend.import_partners()`` (one ``import_record`` job per
    remote partner; a company's first, its contacts' waiting for it: a job
    graph) run by W real ``odoo-bin jobrunner`` processes, from the
    commit of the jobs until the last one is done (the workers are started
    and ready before); tries per job is ``sum(retry) / count`` (1.00 when
    no job was retried).
delta
    C remote partners changed, then a second ``import_partners()``: the
    number of remote partners listed, jobs created (each job reads one
    record) and the time until they are done.

Everything the script created is removed at the end (remote database,
backend, partners, jobs, categories); every process it started is stopped.

    .venv/bin/python benchmarks/bench_example_import.py -c var/odoo-demo.cfg \\
        -d connector_demo [--partners 2000] [--workers 2] [--changed 20] \\
        [--profile /tmp/worker.prof]

``--profile FILE`` runs the first worker under ``cProfile`` (written to
FILE when it stops; read it with ``pstats``): where a worker's time goes.
It slows that worker: take the figures from a run without it.
"""
import argparse
import os
import sys
import time
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api

from _odoo import load_config, report
from devkit.remote_odoo import RemoteOdoo
from devkit.seeding import seed_partners
from devkit.workers import Workers

BINDING = 'example.res.partner'
FIELDS = ['name', 'email', 'phone', 'street', 'city', 'zip', 'is_company', 'parent_id',
          'country_id', 'category_id', 'active', 'write_date']
SUFFIX = ' bench'


@contextmanager
def local_env(db):
    with api.Environment.manage(), odoo.registry(db).cursor() as cr:  # commits
        yield api.Environment(cr, SUPERUSER_ID, {})


def bare_import(db, client):
    """Read every remote partner over XML-RPC and create it with the ORM; seconds."""
    start = time.perf_counter()
    ids = client.execute('res.partner', 'search', [], order='id',
                         context={'active_test': False})
    records = []
    for index in range(0, len(ids), 200):
        records += client.execute(
            'res.partner', 'search_read', [('id', 'in', ids[index:index + 200])],
            fields=FIELDS, context={'active_test': False})
    codes = {c['id']: c['code'] for c in client.execute('res.country', 'search_read', [],
                                                        fields=['code'])}
    names = {c['id']: c['name'] for c in client.execute('res.partner.category', 'search_read',
                                                        [], fields=['name'])}
    read_seconds = time.perf_counter() - start
    created = {}
    with local_env(db) as env:
        countries = {c.code: c.id for c in env['res.country'].search([])}
        categories = {}
        for name in names.values():
            found = env['res.partner.category'].search([('name', '=', name)], limit=1)
            categories[name] = found.id or found.create({'name': name}).id
        for record in sorted(records, key=lambda r: r['id']):
            parent = record['parent_id'] and created.get(record['parent_id'][0])
            created[record['id']] = env['res.partner'].create({
                'name': record['name'] or '?', 'email': record['email'] or False,
                'phone': record['phone'] or False, 'street': record['street'] or False,
                'city': record['city'] or False, 'zip': record['zip'] or False,
                'is_company': record['is_company'], 'active': record['active'],
                'parent_id': parent or False,
                'country_id': record['country_id'] and countries[codes[record['country_id'][0]]],
                'category_id': [(6, 0, [categories[names[i]] for i in record['category_id']])],
            }).id
    seconds = time.perf_counter() - start
    with local_env(db) as env:
        env.cr.execute('DELETE FROM res_partner WHERE id IN %s', (tuple(created.values()),))
    return len(created), seconds, read_seconds


class ProfiledWorkers(Workers):
    """Workers whose first one runs under cProfile, its statistics written to ``path``."""

    def __init__(self, *args, path, **kwargs):
        super().__init__(*args, **kwargs)
        self.path = path

    def command(self, *extra, databases=None):
        command = super().command(*extra, databases=databases)
        if not self.processes:
            command[1:1] = ['-m', 'cProfile', '-o', self.path]
        return command


def query(db, sql, params=None):
    with local_env(db) as env:
        env.cr.execute(sql, params)
        return env.cr.fetchall() if env.cr.description else None


def wait_jobs(db, after_id, timeout=3600):
    while True:
        counts = dict(query(db, 'SELECT state, count(*) FROM queue_job WHERE id > %s AND '
                                'model_name = %s GROUP BY state', (after_id, BINDING)))
        if not any(counts.get(s) for s in ('pending', 'enqueued', 'started')):
            return counts
        if timeout < 0:
            raise SystemExit('jobs not done: %s' % counts)
        timeout -= 0.2
        time.sleep(0.2)


def last_job(db):
    return query(db, 'SELECT coalesce(max(id), 0) FROM queue_job')[0][0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--partners', type=int, default=2000)
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--changed', type=int, default=20)
    parser.add_argument('--profile', metavar='FILE',
                        help='run the first worker under cProfile, statistics to FILE')
    opts = parser.parse_args()
    config = os.path.abspath(opts.config)
    load_config(config)
    db = opts.database
    remote = RemoteOdoo('connector_bench_remote')
    workers = backend_id = None
    first_job = last_job(db)
    try:
        with remote:
            client = remote.client()
            t0 = time.perf_counter()
            seed_partners(client, opts.partners, suffix=SUFFIX)
            total = client.execute('res.partner', 'search_count', [],
                                   context={'active_test': False})
            print('remote %s: seeded %d partners in %.0f s (%d with base\'s own)'
                  % (remote.url, opts.partners, time.perf_counter() - t0, total), flush=True)

            count, bare_seconds, read_seconds = bare_import(db, client)
            print('bare: %d partners in %.1f s (XML-RPC reads %.1f s)'
                  % (count, bare_seconds, read_seconds), flush=True)

            with local_env(db) as env:
                backend_id = env['example.backend'].create({
                    'name': 'Benchmark remote', 'url': remote.url,
                    'database': remote.database, 'login': 'admin', 'password': 'admin'}).id
            workers = ProfiledWorkers(config, db, '/tmp', path=os.path.abspath(opts.profile)) \
                if opts.profile else Workers(config, db, '/tmp')
            workers.start_many(['bench-%d' % n for n in range(opts.workers)], timeout=120)
            start_job = last_job(db)
            start = time.perf_counter()
            with local_env(db) as env:
                env['example.backend'].browse(backend_id).import_partners()
            counts = wait_jobs(db, start_job)
            framework_seconds = time.perf_counter() - start
            tries, jobs = query(db, 'SELECT sum(retry), count(*) FROM queue_job WHERE id > %s '
                                    'AND model_name = %s', (start_job, BINDING))[0]
            print('framework: %s in %.1f s (%s tries)' % (counts, framework_seconds, tries),
                  flush=True)

            time.sleep(1.1)  # write dates have second precision
            changed = client.execute('res.partner', 'search', [('name', 'like', SUFFIX)],
                                     order='id')[::opts.partners // opts.changed][:opts.changed]
            for remote_id in changed:
                client.execute('res.partner', 'write', [remote_id], {'phone': '+1 555 0100'})
            delta_job = last_job(db)
            start = time.perf_counter()
            with local_env(db) as env:
                env['example.backend'].browse(backend_id).import_partners()
            delayed = query(db, 'SELECT count(*) FROM queue_job WHERE id > %s AND '
                                'model_name = %s', (delta_job, BINDING))[0][0]
            delta_counts = wait_jobs(db, delta_job)
            delta_seconds = time.perf_counter() - start
            updated = query(db, "SELECT count(*) FROM example_res_partner b JOIN res_partner p "
                                "ON p.id = b.openerp_id WHERE b.backend_id = %s AND "
                                "p.phone = '+1 555 0100'", (backend_id,))[0][0]

            report('connector_example import, %d remote partners, %d workers' % (
                total, opts.workers), [
                ('bare: records/s (1 process)', count / bare_seconds, 'rec/s'),
                ('framework: records/s (job runner)', total / framework_seconds, 'rec/s'),
                ('ratio framework/bare (target >= 0.8)',
                 (total / framework_seconds) / (count / bare_seconds), ''),
                ('framework: tries per job (target 1.00)', tries / jobs, ''),
                ('delta: remote partners changed', len(changed), ''),
                ('delta: jobs created = records read', delayed, ''),
                ('delta: local partners updated', updated, ''),
                ('delta: seconds until done', delta_seconds, 's'),
            ])
            print('delta jobs: %s' % delta_counts)
    finally:
        if workers:
            workers.stop()
        query(db, 'DELETE FROM queue_job WHERE id > %s AND model_name = %s',
              (first_job, BINDING))
        if backend_id:
            query(db, 'DELETE FROM res_partner WHERE id IN (SELECT openerp_id FROM '
                      'example_res_partner WHERE backend_id = %s)', (backend_id,))
            query(db, 'DELETE FROM example_backend WHERE id = %s', (backend_id,))
        query(db, 'DELETE FROM res_partner_category WHERE name LIKE %s', ('%' + SUFFIX,))
    return 0


if __name__ == '__main__':
    sys.exit(main())
