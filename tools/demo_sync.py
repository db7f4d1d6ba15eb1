# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The README's demo: a two-way partner sync with a real remote Odoo.

Run by ``make demo`` (``tools/dev.py demo``) once ``connector_demo`` has
``connector`` and ``connector_example`` installed; by hand::

    .venv/bin/python tools/demo_sync.py -c var/odoo-demo.cfg -d connector_demo

1. starts a remote Odoo (``devkit/remote_odoo.py``) on a free port with its
   own database ``connector_demo_remote``, and seeds it with partners
   (companies with contacts, countries, categories, and the awkward ones
   real databases hold: companies without an address, 3-level chains,
   archived parents, other scripts);
2. creates the example backend "Demo remote" in ``connector_demo`` and
   tests its connection;
3. imports every remote partner: one job per partner, run by two real
   ``odoo-bin jobrunner`` processes, with a progress line;
4. changes a partner on each side (a phone on the remote, an email here),
   then syncs again: a delta import (only what changed since the first
   import) and the export job of the local change;
5. changes the same partner's phone on both sides: the backend's conflict
   policy (``ask`` by default) decides; with ``ask`` a checkpoint holds both
   values, and the demo keeps the remote's, as a person would with the
   checkpoint's button;
6. compares every synchronized field of every partner on both sides;
7. push: with the delta import's cron off, serves this database over HTTP
   (``devkit/local_odoo.py``), generates the backend's webhook secret,
   installs ``connector_example_webhook_sender`` on the remote and gives it
   the backend's webhook URL and secret; a phone changed on the remote
   arrives here by itself (the remote posts a signed delivery after its
   commit, the route stores an import job, a worker runs it);
8. prints what happened: imported, exported, skipped, failed, time taken,
   what the policy decided, and how long the pushed change took.

Every process it started is stopped at the end, also on failure or
Ctrl-C, and the remote database is dropped. Re-running it replaces the
previous demo backend and its partners.
"""
import argparse
import os
import signal
import sys
import time
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api

from devkit.local_odoo import LocalOdoo
from devkit.partner_state import local_partner_state, remote_partner_state, state_differences
from devkit.paths import REPO
from devkit.remote_odoo import RemoteOdoo
from devkit.seeding import seed_awkward_partners, seed_partners
from devkit.workers import Workers

BACKEND_NAME = 'Demo remote'
BINDING = 'example.res.partner'
BUSY = ('pending', 'enqueued', 'started')
"""States of a job still to run. A job waiting for its dependencies (a contact's import
waits for its company's) is made pending in the transaction that ends its last
dependency: once none of these is left, a job still waiting waits for a failed one."""


class Demo(object):

    def __init__(self, opts):
        self.opts = opts
        self.db = opts.database
        self.log_dir = os.path.join(REPO, 'var', 'log')
        self.workers = None
        self.tty = sys.stdout.isatty()

    # -- local database -----------------------------------------------------

    @contextmanager
    def env(self):
        """An environment on a new cursor, committed at the end."""
        with api.Environment.manage(), odoo.registry(self.db).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def query(self, sql, params=None):
        with self.env() as env:
            env.cr.execute(sql, params)
            return env.cr.fetchall()

    def remove_previous_demo(self):
        with self.env() as env:
            old = env['example.backend'].search([('name', '=', BACKEND_NAME)])
            if old:
                env.cr.execute('DELETE FROM queue_job WHERE model_name = %s', (BINDING,))
                env.cr.execute('DELETE FROM res_partner WHERE id IN (SELECT openerp_id FROM '
                               'example_res_partner WHERE backend_id IN %s)', (tuple(old.ids),))
                env.cr.execute('DELETE FROM example_backend WHERE id IN %s', (tuple(old.ids),))
                say('local:  removed the previous demo backend and its partners')

    # -- workers ------------------------------------------------------------

    def start_workers(self, count=2):
        self.workers = Workers(self.opts.config, self.db, self.log_dir)
        self.workers.start_many(['demo-worker-%d' % n for n in range(1, count + 1)])
        say('workers: %d x odoo-bin jobrunner -c %s -d %s (logs var/log/demo-worker-N.log)'
            % (count, os.path.relpath(self.opts.config, REPO), self.db))

    def stop_workers(self):
        if self.workers:
            self.workers.stop(grace=20)
        self.workers = None

    # -- jobs ---------------------------------------------------------------

    def last_job_id(self):
        return self.query('SELECT coalesce(max(id), 0) FROM queue_job')[0][0]

    def job_counts(self, after_id):
        return dict(self.query('SELECT state, count(*) FROM queue_job WHERE id > %s AND '
                               'model_name = %s GROUP BY state', (after_id, BINDING)))

    def wait_jobs(self, after_id, label, timeout=900):
        """Wait for the jobs created after ``after_id``, with a progress line."""
        start = last_print = time.time()
        while True:
            counts = self.job_counts(after_id)
            total = sum(counts.values())
            busy = sum(counts.get(state, 0) for state in BUSY)
            line = '  %s: %d/%d jobs done, %d waiting, %d failed, %d retrying, %.0f s' % (
                label, counts.get('done', 0), total, counts.get('wait_dependencies', 0),
                counts.get('failed', 0),
                self.query("SELECT count(*) FROM queue_job WHERE id > %s AND model_name = %s "
                           "AND state = 'pending' AND retry > 0", (after_id, BINDING))[0][0],
                time.time() - start)
            if self.tty:
                sys.stdout.write('\r' + line + ' ' * 4)
                sys.stdout.flush()
            elif not busy or time.time() - last_print > 3:
                say(line)
                last_print = time.time()
            if not busy:
                if self.tty:
                    sys.stdout.write('\n')
                return time.time() - start
            dead = self.workers.dead()
            if dead:
                raise SystemExit('\nworker exited with %s; see %s'
                                 % (dead[0].returncode, dead[0].log_path))
            if time.time() - start > timeout:
                raise SystemExit('\njobs not finished after %s s: %s' % (timeout, counts))
            time.sleep(0.5)

    def outcomes(self, after_id):
        """(imported, exported, skipped, failed) among the jobs created after ``after_id``."""
        rows = self.query('SELECT func_string, state, result FROM queue_job WHERE id > %s '
                          'AND model_name = %s', (after_id, BINDING))
        imported = sum(1 for f, s, r in rows if s == 'done' and (r or '').startswith('Imported'))
        exported = sum(1 for f, s, r in rows if s == 'done' and (r or '').startswith('Exported'))
        failed = sum(1 for f, s, r in rows if s == 'failed')
        skipped = sum(1 for f, s, r in rows if s == 'done') - imported - exported
        return imported, exported, skipped, failed

    # -- the demo -----------------------------------------------------------

    def run(self):
        t0 = time.time()
        remote = RemoteOdoo('connector_demo_remote', with_sender=True,
                            log_path=os.path.join(self.log_dir, 'demo-remote.log'))
        try:
            with remote:
                say('remote: Odoo 11 on %s, database %s (log var/log/demo-remote.log)'
                    % (remote.url, remote.database))
                self.sync(remote, t0)
        finally:
            self.stop_workers()
            say('stopped: workers and the remote Odoo; dropped database %s'
                % remote.database)

    def sync(self, remote, t0):
        client = remote.client()

        def progress(done, count):
            if self.tty:
                sys.stdout.write('\r  seeding: %d/%d partners' % (done, count))
                sys.stdout.flush()
        seeded = seed_partners(client, self.opts.partners, progress=progress)
        awkward = seed_awkward_partners(client)
        if self.tty:
            sys.stdout.write('\n')
        remote_count = client.execute('res.partner', 'search_count', [],
                                      context={'active_test': False})
        say('remote: seeded %d companies and %d contacts, %d awkward partners (%d partners '
            'with base\'s own), in %.0f s' % (len(seeded['companies']), len(seeded['contacts']),
                                              len(awkward), remote_count, time.time() - t0))

        self.remove_previous_demo()
        with self.env() as env:
            backend = env['example.backend'].create({
                'name': BACKEND_NAME, 'url': remote.url, 'database': remote.database,
                'login': 'admin', 'password': 'admin'})
            backend.action_test_connection()
            backend_id = backend.id
            say('local:  backend %r in %s: %s' % (BACKEND_NAME, self.db,
                                                  backend.connection_status))

        say('\n== 1. full import (one job per remote partner; contacts wait for their '
            'company)')
        first = self.last_job_id()
        t_import = time.time()
        with self.env() as env:
            env['example.backend'].browse(backend_id).import_partners()
        self.start_workers()
        self.wait_jobs(first, 'import')
        import_seconds = time.time() - t_import
        full = self.outcomes(first)
        retried = self.query('SELECT count(*) FROM queue_job WHERE id > %s AND model_name = %s '
                             'AND retry > 1', (first, BINDING))[0][0]

        say('\n== 2. a change on each side, then sync again')
        time.sleep(1.1)  # write dates have second precision: change after the import began
        remote_id = client.execute('res.partner', 'search', [('name', '=', 'Company 0001')])[0]
        client.execute('res.partner', 'write', [remote_id], {'phone': '+32 10 47 00 01'})
        say('remote: Company 0001: phone := +32 10 47 00 01')
        second = self.last_job_id()
        t_sync = time.time()
        with self.env() as env:
            contact = env[BINDING].search([('backend_id', '=', backend_id),
                                           ('name', '=', 'Contact 0002-1')])
            contact.openerp_id.email = 'anna.demo@example.com'
            say('local:  Contact 0002-1: email := anna.demo@example.com (delays an export job)')
            contact_external_id = contact.external_id
        with self.env() as env:
            env['example.backend'].browse(backend_id).import_partners()
        self.wait_jobs(second, 'sync')
        sync_seconds = time.time() - t_sync
        delta = self.outcomes(second)

        with self.env() as env:
            phone = env[BINDING].search([('backend_id', '=', backend_id),
                                         ('external_id', '=', str(remote_id))]).phone
        email = client.execute('res.partner', 'read', [int(contact_external_id)],
                               ['email'])[0]['email']
        say('check:  local Company 0001 phone = %s; remote Contact 0002-1 email = %s'
            % (phone, email))

        say('\n== 3. the same field changed on both sides')
        conflict = self.conflict(client, backend_id)
        differences = self.compare(client, backend_id)
        push = self.push(remote, client, backend_id)

        with self.env() as env:
            backend = env['example.backend'].browse(backend_id)
            bindings = env[BINDING].with_context(active_test=False).search_count(
                [('backend_id', '=', backend_id)])  # archived ones too
            failed_jobs = backend.failed_job_count
        say('\n== report')
        row = '  %-26s %8s %8s %8s %8s %8s'
        say(row % ('', 'imported', 'exported', 'skipped', 'failed', 'time'))
        say(row % (('1. full import',) + full + ('%.1fs' % import_seconds,)))
        say(row % (('2. delta import + export',) + delta + ('%.1fs' % sync_seconds,)))
        say(row % (('3. conflict + resolution',) + conflict['outcomes'] +
                   ('%.1fs' % conflict['seconds'],)))
        say(row % (('4. push (webhook, no cron)',) + push['outcomes'] +
                   ('%.1fs' % push['seconds'],)))
        say('  conflict: %s' % conflict['decision'])
        say('  push: the remote change was here %.2f s after the remote wrote it' % push['seconds'])
        say('  full import: %d jobs tried more than once (0 expected: each contact waited '
            'for its company)' % retried)
        say('  partners bound to %r: %d; failed jobs: %d; partners differing from the remote: '
            '%d; total time %.0f s' % (BACKEND_NAME, bindings, failed_jobs, len(differences),
                                       time.time() - t0))
        ok = (phone == '+32 10 47 00 01' and email == 'anna.demo@example.com'
              and not full[3] and not delta[3] and bindings == remote_count
              and conflict['equal'] and not differences and not failed_jobs and push['ok'])
        say('  result: %s' % ('OK, both sides equal, field by field' if ok
                              else 'PROBLEM (see above)'))
        if not ok:
            raise SystemExit(1)

    def conflict(self, client, backend_id):
        """Change one phone on both sides before either syncs; show what was decided."""
        t0 = time.time()
        self.stop_workers()  # both changes must exist before either job runs
        remote_id = client.execute('res.partner', 'search', [('name', '=', 'Company 0003')])[0]
        first = self.last_job_id()
        with self.env() as env:
            binding = env[BINDING].search([('backend_id', '=', backend_id),
                                           ('external_id', '=', str(remote_id))])
            policy = binding.backend_id.conflict_policy
            binding.openerp_id.phone = '+32 2 111 11 11'
            binding_id = binding.id
        client.execute('res.partner', 'write', [remote_id], {'phone': '+32 2 222 22 22'})
        say('local:  Company 0003: phone := +32 2 111 11 11 (delays an export job)')
        say('remote: Company 0003: phone := +32 2 222 22 22 (before either side syncs)')
        with self.env() as env:
            env['example.backend'].browse(backend_id).import_partners()
        self.start_workers()
        self.wait_jobs(first, 'conflict')
        with self.env() as env:
            binding = env[BINDING].browse(binding_id)
            decided = (binding.sync_log or '').splitlines()[:1]
            checkpoint = env['connector.checkpoint'].search([
                ('record_id', '=', binding_id), ('conflict_field', '=', 'phone'),
                ('model_id.model', '=', BINDING), ('state', '=', 'need_review')])
            decision = 'policy %s' % (decided[0].split('; decided: ', 1)[-1].rstrip('.')
                                      if decided else '%s: no conflict logged' % policy)
            say('local:  binding log: %s' % (decided[0] if decided else '(empty)'))
            if checkpoint:
                say('local:  checkpoint %r: Odoo %s / backend %s; keeping the backend value, '
                    'as a person would with its button' % (
                        checkpoint.name, checkpoint.local_display, checkpoint.remote_display))
                checkpoint.action_keep_remote()
                decision += '; then "Keep the backend value" on the checkpoint'
        self.wait_jobs(first, 'resolution')
        with self.env() as env:
            local_phone = env[BINDING].browse(binding_id).phone
        remote_phone = client.execute('res.partner', 'read', [remote_id], ['phone'])[0]['phone']
        say('check:  Company 0003 phone: here %s, remote %s' % (local_phone, remote_phone))
        return {'outcomes': self.outcomes(first), 'seconds': time.time() - t0,
                'decision': decision, 'equal': local_phone == remote_phone}

    def push(self, remote, client, backend_id):
        """A remote change pushed by webhook and imported, the delta cron off."""
        say('\n== 4. push: a remote change sent by webhook (delta import cron off)')
        phone = '+32 4 444 44 44'
        local = LocalOdoo(self.db, self.opts.config, log_level='warn', python=sys.executable,
                          log_path=os.path.join(self.log_dir, 'demo-local-http.log'))
        cron = 'connector_example.ir_cron_import_partners'
        try:
            local.start()
            with self.env() as env:
                env.ref(cron).active = False
                backend = env['example.backend'].browse(backend_id)
                backend.action_generate_webhook_secret()  # as admin: the jobs' user
                secret = backend.webhook_secret
                url = local.url + '/connector/webhook/example.backend/%d' % backend_id
            say('local:  HTTP server on %s (log var/log/demo-local-http.log); delta import '
                'cron off; webhook URL %s, secret generated on the backend' % (local.url, url))
            remote.install_webhook_sender()
            client.execute('webhook.sender', 'create', {
                'name': 'Demo local Odoo', 'url': url, 'secret': secret})
            say('remote: connector_example_webhook_sender installed, given the URL and secret')
            remote_id = client.execute('res.partner', 'search',
                                       [('name', '=', 'Company 0004')])[0]
            first = self.last_job_id()
            t0 = time.time()
            client.execute('res.partner', 'write', [remote_id], {'phone': phone})
            say('remote: Company 0004: phone := %s' % phone)
            local_phone = None
            while local_phone != phone and time.time() - t0 < 60:
                time.sleep(0.02)
                local_phone = self.query(
                    'SELECT p.phone FROM example_res_partner b JOIN res_partner p ON '
                    'p.id = b.openerp_id WHERE b.backend_id = %s AND b.external_id = %s',
                    (backend_id, str(remote_id)))[0][0]
            seconds = time.time() - t0
            deliveries = client.execute('webhook.delivery', 'search_read', [], fields=[
                'event_type', 'state', 'last_status'], limit=1)
            say('check:  Company 0004 phone here: %s, %.2f s after the remote write '
                '(remote delivery log: %s)' % (local_phone, seconds, deliveries))
            self.wait_jobs(first, 'push')
        finally:
            local.close()
            with self.env() as env:
                env.ref(cron).active = True
        return {'outcomes': self.outcomes(first), 'seconds': seconds,
                'ok': local_phone == phone}

    def compare(self, client, backend_id):
        """Every synchronized field of every partner, both sides; the differences."""
        with self.env() as env:
            local = local_partner_state(env, backend_id, BINDING)
        differences = state_differences(remote_partner_state(client), local)
        say('check:  %d partners compared field by field: %s' % (
            len(local), 'all equal' if not differences else '%d differ' % len(differences)))
        for line in differences[:20]:
            say('  differs: %s' % line)
        return differences


def say(*args):
    print(*args, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-c', '--config', default=os.path.join(REPO, 'var', 'odoo-demo.cfg'))
    parser.add_argument('-d', '--database', default='connector_demo')
    parser.add_argument('--partners', type=int, default=300,
                        help='partners to seed on the remote (default 300)')
    opts = parser.parse_args()
    opts.config = os.path.abspath(opts.config)
    odoo.tools.config.parse_config(['-c', opts.config, '--log-level=warn'])
    odoo.modules.module.initialize_sys_path()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    Demo(opts).run()
    return 0


if __name__ == '__main__':
    sys.exit(main())
