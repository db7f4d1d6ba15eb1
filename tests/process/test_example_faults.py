# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: connector_example when things go wrong, all for real.

The remote Odoo process killed in the middle of an import and started
again; a remote partner that cannot be imported; two worker processes
importing the same batch at once.
"""
import json

from odoo.addons.connector.unit.synchronizer import DelayedBatchImporter

from support.example import (BINDING, bindings, import_partners, jobs, last_job_id, local_env,
                             wait_jobs_done)
from support.jobrunner import FAST, query, wait_until


def _count(after_id, state):
    return query('SELECT count(*) FROM queue_job WHERE id > %s AND model_name = %s '
                 'AND state = %s', (after_id, BINDING, state))[0][0]


def _assert_one_partner_per_remote_partner(remote, backend):
    remote_ids = sorted(str(p['id']) for p in remote.partners())
    local = bindings(backend)
    assert sorted(local) == remote_ids, 'one binding per remote partner'
    names = [row[1] for row in local.values()]
    assert len(names) == len(set(names)), 'a partner was created twice: %s' % sorted(names)
    duplicates = query(
        'SELECT p.name, count(*) FROM res_partner p WHERE p.name LIKE %s '
        'GROUP BY p.name HAVING count(*) > 1', ('%' + remote.suffix,))
    assert duplicates == [], 'duplicate local partners: %s' % duplicates


def test_remote_stopped_mid_import_jobs_retry_then_succeed(
        remote_server, remote, backend, workers):
    """The remote killed while jobs run: they are postponed (not failed) and all succeed
    once it is back, with no partner created twice."""
    remote.seed(24, contacts_per_company=3)
    first = last_job_id()
    import_partners(backend)
    worker = workers.start('example-a', *FAST)
    wait_until(lambda: _count(first, 'done') >= 3, 60, 'no import job ran')

    remote_server.kill()  # kill -9 of the remote Odoo, mid-import
    wait_until(lambda: query(
        'SELECT count(*) FROM queue_job WHERE id > %s AND state = %s AND retry >= 1 '
        'AND result LIKE %s', (first, 'pending', '%could not be reached%'))[0][0] > 0,
        60, lambda: 'no job was postponed (the remote killed once all had run?): %s' % (
            jobs(first),))
    # (a postponed job is the proof that the remote died mid-import, on a machine of
    # any speed: no count of the jobs done before the kill is asked for)
    assert _count(first, 'failed') == 0, 'a network failure must not fail a job: %s' % (
        [j for j in jobs(first) if j[2] == 'failed'],)
    remote_server.start()

    wait_jobs_done(first, 90, workers)
    rows = jobs(first)
    assert {row[2] for row in rows} == {'done'}, [r for r in rows if r[2] != 'done']
    assert max(row[3] for row in rows) >= 2, 'some job ran more than once'
    _assert_one_partner_per_remote_partner(remote, backend)
    assert len(bindings(backend)) == len(remote.partners()) == len(rows)
    assert worker.poll() is None


def test_remote_partner_without_name_fails_its_job_with_a_clear_message(
        remote, backend, workers):
    """A nameless remote partner fails its job, naming backend and external id; the
    other partners are imported."""
    seeded = remote.seed(5, contacts_per_company=4)
    nameless = remote.client.execute('res.partner', 'create', {
        'type': 'delivery', 'parent_id': seeded['companies'][0], 'street': 'Dock 4'})
    first = last_job_id()
    import_partners(backend)
    workers.start('example-a', *FAST)

    total = len(remote.partners())
    assert wait_jobs_done(first, 60, workers) == {'done': total - 1, 'failed': 1}, jobs(first)
    failed = [row for row in jobs(first) if row[2] == 'failed']
    assert json.loads(failed[0][4])[-1] == str(nameless)
    message = failed[0][6]
    assert ("Backend 'E2E remote%s' (example.backend,%s): cannot import "
            "example.res.partner '%s': its 'name' is empty" % (
                remote.suffix, backend, nameless)) in message, message
    assert 'Fix the record on the backend' in message
    local = bindings(backend)
    assert str(nameless) not in local
    assert len(local) == total - 1, 'the other partners are imported'


def test_two_workers_importing_the_same_batch_never_create_a_partner_twice(
        remote, backend, workers):
    """The same batch delayed twice, two workers at once: one partner per remote partner,
    every job done (a lost race is retried, not failed)."""
    remote.seed(30, contacts_per_company=4)
    workers.start_many(['example-a', 'example-b'], *FAST)
    first = last_job_id()
    with local_env() as env:
        example = env['example.backend'].browse(backend)
        batch = example._example_environment().get_connector_unit(DelayedBatchImporter)
        batch.run()
        batch.run()

    wait_jobs_done(first, 120, workers)
    rows = jobs(first)
    assert len(rows) == 2 * len(remote.partners())
    assert {row[2] for row in rows} == {'done'}, '\n'.join(
        '%s %s: %s' % (r[4], r[2], r[6]) for r in rows if r[2] != 'done')
    _assert_one_partner_per_remote_partner(remote, backend)
    assert len(bindings(backend)) == len(remote.partners())
