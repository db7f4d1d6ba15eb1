# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: after every sync both sides are equal, field by field.

A real remote Odoo (``support.example``) holding the partners real
databases hold (``devkit.seeding.seed_awkward_partners``), real worker
processes, two of them where order matters. Every test ends by comparing
every synchronized field of every partner on both sides
(``assert_both_sides_equal``), not counts.
"""
import os
import signal

import odoo
import pytest

from devkit import seeding
from support.example import (BINDING, assert_both_sides_equal, import_partners, jobs, last_job_id,
                             local_env, local_state, remote_state, settle, wait_jobs_done)
from support.jobrunner import FAST, db_name, query, wait_until


def _sync(backend, workers, full=False, timeout=120):
    """A (delta, or full) import through the running workers (two started if none)."""
    if full:
        with local_env() as env:
            env['example.backend'].browse(backend).import_partners_since = False
    first = last_job_id()
    # exports delayed by writes made before (while no worker ran) are waited for too:
    # the sides are compared only once they ran
    waiting = query("SELECT min(id) FROM queue_job WHERE model_name = %s AND state IN "
                    "('wait_dependencies', 'pending', 'enqueued', 'started')", (BINDING,))[0][0]
    if waiting:
        first = min(first, waiting - 1)
    import_partners(backend)
    if not [proc for proc in workers.processes if proc.poll() is None]:
        workers.start_many(['two-way-a%d' % first, 'two-way-b%d' % first], *FAST)
    wait_jobs_done(first, timeout, workers)
    rows = jobs(first)
    assert {row[2] for row in rows} <= {'done'}, [r for r in rows if r[2] != 'done']
    return rows


def _binding(backend, external_id):
    with local_env() as env:
        return env[BINDING].search([('backend_id', '=', backend),
                                    ('external_id', '=', external_id)]).id


def _write_local(binding_id, values):
    """A user's write on the bound partner, committed: it delays an export job."""
    with local_env() as env:
        env[BINDING].browse(binding_id).openerp_id.write(values)


def _write_remote(remote, external_id, values):
    remote.client.execute('res.partner', 'write', [int(external_id)], values)


def test_awkward_partners_end_equal_after_imports_by_two_workers_and_reimports(
        remote, backend, workers):
    """Companies without an address whose contacts have their own, first contacts that
    gave their address, 3-level chains, archived parents, other scripts, empty values:
    imported by two workers, then imported again in full, then after an export touched a
    company, then after the remote changed a company's address: equal every time."""
    awkward = seeding.seed_awkward_partners(remote.client, remote.suffix)
    remote.seed(25, contacts_per_company=4)

    _sync(backend, workers)
    there = assert_both_sides_equal(remote, backend)
    ghost_tokyo = there[str(awkward['Ghost Tokyo'])]
    assert (ghost_tokyo['city'], ghost_tokyo['country']) == ('東京', 'JP'), ghost_tokyo
    assert there[str(awkward['Ghost Corp'])]['street'] is False

    # a full import again: nothing to change, and nothing changes
    _sync(backend, workers, full=True)
    assert_both_sides_equal(remote, backend)

    # an export touches the address-less company; the delta import reads it again
    ghost = _binding(backend, str(awkward['Ghost Corp']))
    settle()
    _write_local(ghost, {'phone': '+32 2 000 00 01'})
    settle()
    _sync(backend, workers)
    there = assert_both_sides_equal(remote, backend)
    assert there[str(awkward['Ghost Corp'])]['phone'] == '+32 2 000 00 01'
    assert there[str(awkward['Ghost Brussels'])]['street'] == 'Rue Haute 1'

    # the remote moves a company: Odoo copies the address onto its contacts there;
    # here, the local-only contact of that company follows it too
    with local_env() as env:
        sales = env[BINDING].browse(_binding(backend, str(awkward['Mega Sales'])))
        local_only = env['res.partner'].create({'name': 'Local Only' + remote.suffix,
                                                'parent_id': sales.openerp_id.id})
        local_only_id = local_only.id
    settle()
    _write_remote(remote, awkward['Mega Sales'], {'street': '3 New Sales Lane',
                                                  'city': 'Bruges'})
    _sync(backend, workers)
    there = assert_both_sides_equal(remote, backend)
    assert there[str(awkward['Mega Seller'])]['street'] == '3 New Sales Lane'
    assert there[str(awkward['Mega Warehouse'])]['street'] == 'Dock 9'
    with local_env() as env:
        assert env['res.partner'].browse(local_only_id).street == '3 New Sales Lane'
        env['res.partner'].browse(local_only_id).unlink()


def test_different_fields_changed_on_both_sides_end_on_both_sides(remote, backend, workers):
    """phone changed here and email there, before either was synchronized: both
    changes end on both sides; no conflict is recorded."""
    remote.seed(6, contacts_per_company=2)
    _sync(backend, workers)
    contact = remote.partner_id('Contact 0001-1')
    binding = _binding(backend, contact)
    workers.stop_all()

    _write_local(binding, {'phone': '+32 470 11 11 11'})
    _write_remote(remote, contact, {'email': 'new@remote.example'})
    _sync(backend, workers)

    there = assert_both_sides_equal(remote, backend)
    assert (there[contact]['phone'], there[contact]['email']) == (
        '+32 470 11 11 11', 'new@remote.example')
    assert query('SELECT count(*) FROM connector_checkpoint WHERE record_id = %s AND '
                 'conflict_field IS NOT NULL', (binding,))[0][0] == 0


@pytest.mark.parametrize('policy', ['remote', 'local', 'ask'])
def test_same_field_changed_on_both_sides_follows_the_policy(policy, remote, backend,
                                                             workers):
    """The phone changed on both sides: the backend's policy decides, the decision is
    logged on the binding; with 'ask' neither side is overwritten until a person keeps
    one value on the checkpoint, which then reaches both sides."""
    remote.seed(6, contacts_per_company=2)
    _sync(backend, workers)
    contact = remote.partner_id('Contact 0002-1')
    binding = _binding(backend, contact)
    with local_env() as env:
        env['example.backend'].browse(backend).conflict_policy = policy
    workers.stop_all()

    _write_local(binding, {'phone': '+1 111 local'})
    _write_remote(remote, contact, {'phone': '+2 222 remote'})
    _sync(backend, workers)

    here, there = local_state(backend)[contact], remote_state(remote)[contact]
    with local_env() as env:
        log = env[BINDING].browse(binding).sync_log or ''
    assert 'phone changed on both sides' in log and 'decided: %s' % policy in log, log
    checkpoints = query('SELECT id, local_display, remote_display FROM connector_checkpoint '
                        'WHERE record_id = %s AND conflict_field = %s AND state = %s',
                        (binding, 'phone', 'need_review'))
    if policy == 'ask':
        assert (here['phone'], there['phone']) == ('+1 111 local', '+2 222 remote')
        assert [row[1:] for row in checkpoints] == [('+1 111 local', '+2 222 remote')]
        first = last_job_id()
        with local_env() as env:
            env['connector.checkpoint'].browse(checkpoints[0][0]).action_keep_remote()
        wait_jobs_done(first, 60, workers)
        assert remote_state(remote)[contact]['phone'] == '+2 222 remote'
    else:
        expected = '+1 111 local' if policy == 'local' else '+2 222 remote'
        assert (here['phone'], there['phone']) == (expected, expected)
        assert checkpoints == []
    assert_both_sides_equal(remote, backend)


def test_export_killed_after_the_remote_created_the_partner_creates_it_once(
        remote, backend, workers):
    """kill -9 of the worker after the remote created the partner, before our commit
    (the binding row is held by the test so that the worker waits there): the job runs
    again on another worker, finds the partner by its export key, and binds it."""
    remote.seed(3, contacts_per_company=1)
    _sync(backend, workers)
    workers.stop_all()
    name = 'Created Once' + remote.suffix
    first = last_job_id()
    with local_env() as env:
        binding = env[BINDING].create({'name': name, 'backend_id': backend,
                                       'email': 'once@example.com'}).id
    assert [row[1].rsplit('.', 1)[-1] for row in jobs(first)] == ['export_record']

    holder = odoo.sql_db.db_connect(db_name()).cursor()
    try:
        holder.execute('SELECT id FROM example_res_partner WHERE id = %s FOR UPDATE',
                       (binding,))
        doomed = workers.start('two-way-doomed', *FAST)
        found = wait_until(lambda: remote.client.execute(
            'res.partner', 'search', [('name', '=', name)]), 60,
            lambda: 'the remote partner was not created: %s' % workers.log(doomed))
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(10)
    finally:
        holder.rollback()
        holder.close()
    assert query('SELECT external_id FROM example_res_partner WHERE id = %s',
                 (binding,))[0][0] is None, 'the killed worker must not have committed'

    workers.start('two-way-survivor', *FAST)
    wait_jobs_done(first, 60, workers)
    assert [row[2] for row in jobs(first)] == ['done']
    remote_ids = remote.client.execute('res.partner', 'search', [('name', '=', name)])
    assert remote_ids == found, 'exactly one remote partner: %s' % remote_ids
    assert query('SELECT external_id FROM example_res_partner WHERE id = %s',
                 (binding,))[0][0] == str(found[0])
    assert_both_sides_equal(remote, backend)


def test_ten_contacts_of_a_new_company_exported_by_two_workers_create_it_once(
        remote, backend, workers):
    """10 new contacts of a company not on the remote yet, exported by two workers at
    once: one remote company, every contact under it, no job failed."""
    remote.seed(2, contacts_per_company=1)
    _sync(backend, workers)
    company_name = 'New Company' + remote.suffix
    first = last_job_id()
    with local_env() as env:
        company = env['res.partner'].create({'name': company_name, 'is_company': True,
                                             'street': '10 Race Street', 'city': 'Namur'})
        for number in range(10):
            contact = env['res.partner'].create({
                'name': 'Racer %d%s' % (number, remote.suffix), 'parent_id': company.id,
                'email': 'racer%d@example.com' % number})
            env[BINDING].create({'openerp_id': contact.id, 'backend_id': backend})

    wait_jobs_done(first, 120, workers)
    rows = jobs(first)
    assert len(rows) == 10 and {row[2] for row in rows} == {'done'}, rows
    companies = remote.client.execute('res.partner', 'search', [('name', '=', company_name)])
    assert len(companies) == 1, 'one remote company: %s' % companies
    contacts = remote.client.execute('res.partner', 'search_read',
                                     [('name', 'like', 'Racer %')],
                                     fields=['parent_id', 'name'])
    contacts = [c for c in contacts if c['name'].endswith(remote.suffix)]
    assert len(contacts) == 10 and {c['parent_id'][0] for c in contacts} == set(companies)
    assert_both_sides_equal(remote, backend)
