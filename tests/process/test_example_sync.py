# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: connector_example against a real remote Odoo, through real workers.

Import (full, then delta), export of a local change and of a new binding,
deletions on either side. The remote is a real Odoo server process reached
over XML-RPC (``support.example``); jobs run in real ``odoo-bin jobrunner``
processes.
"""
import json

import pytest

from support.example import (BINDING, bindings, import_partners, jobs, last_job_id, local_env,
                             settle, wait_jobs_done)
from support.jobrunner import FAST, query


def _remote_by_id(remote):
    return {str(p['id']): p for p in remote.partners()}


def _import_all(backend, workers, timeout=90):
    """Full or delta import through one worker; the jobs it created."""
    first = last_job_id()
    import_partners(backend)
    if not workers.processes:
        workers.start('example-a', *FAST)
    wait_jobs_done(first, timeout, workers)
    return jobs(first)


def test_full_import_creates_partners_with_parents_countries_and_categories(
        remote, backend, workers):
    """Every remote partner becomes one local partner with one binding, parent,
    country and categories as on the remote."""
    base = len(remote.partners())
    remote.seed(15, contacts_per_company=4)
    remote_partners = _remote_by_id(remote)
    total = len(remote_partners)
    assert total == base + 15

    created = _import_all(backend, workers)

    assert len(created) == total, 'one import job per remote partner: %s' % (created,)
    assert {job[2] for job in created} == {'done'}, [j for j in created if j[2] != 'done']
    local = bindings(backend)
    assert sorted(local) == sorted(remote_partners), 'one binding per remote partner'
    categories = {cat['id']: cat['name'] for cat in remote.client.execute(
        'res.partner.category', 'search_read', [], fields=['name'])}
    codes = {c['id']: c['code'] for c in remote.client.execute(
        'res.country', 'search_read', [], fields=['code'])}
    for external_id, remote_partner in remote_partners.items():
        _pid, name, parent, code, category_names, active = local[external_id]
        assert name == remote_partner['name']
        assert parent == (str(remote_partner['parent_id'][0])
                          if remote_partner['parent_id'] else None), name
        country = remote_partner['country_id']
        assert code == (codes[country[0]] if country else None), name
        assert sorted(category_names) == sorted(
            categories[i] for i in remote_partner['category_id']), name
        assert active == remote_partner['active'], name
    companies = [v[1] for v in local.values() if v[1].startswith('Company')]
    assert len(companies) == 3
    assert all(local[local[remote.partner_id('Contact 0002-%d' % i)][2]][1] ==
               'Company 0002' + remote.suffix for i in range(1, 5)), 'contacts under the company'
    assert local[remote.partner_id('Company 0001')][4] == ['Prospect' + remote.suffix,
                                                           'Supplier' + remote.suffix]
    assert local[remote.partner_id('Contact 0002-1')][3] == 'DE'
    partner_ids = [v[0] for v in local.values()]
    assert len(set(partner_ids)) == total, 'no partner bound twice'
    with local_env() as env:
        assert env[BINDING].with_context(active_test=False).search_count(
            [('backend_id', '=', backend)]) == total
        assert env['example.backend'].browse(backend).import_partners_since


def test_second_import_reads_only_what_changed(remote, backend, workers):
    """A delta import delays jobs for the changed remote partners only, and updates them."""
    remote.seed(12, contacts_per_company=3)
    settle()  # the import must start in a later second than the seeding
    _import_all(backend, workers)
    before = bindings(backend)
    write_dates = dict((r[0], r[1]) for r in _write_dates(backend))
    settle()
    changed = sorted(before)[2:4]
    for external_id in changed:
        remote.client.execute('res.partner', 'write', [int(external_id)],
                              {'phone': '+32 470 00 00 %s' % external_id})

    second = _import_all(backend, workers)

    imported = sorted(_external_id_of(job) for job in second)
    assert imported == changed, 'only the changed partners are read: %s' % imported
    assert all(job[2] == 'done' for job in second), second
    after = bindings(backend)
    assert sorted(after) == sorted(before), 'no partner created or lost'
    with local_env() as env:
        phones = {b.external_id: b.phone for b in env[BINDING].search(
            [('backend_id', '=', backend)])}
    for external_id in changed:
        assert phones[external_id] == '+32 470 00 00 %s' % external_id
    unchanged = [r for r in _write_dates(backend) if r[0] not in changed]
    assert all(write_dates[eid] == date for eid, date in unchanged), \
        'the unchanged bindings were not written'


def _write_dates(backend):
    return query('SELECT external_id, write_date FROM example_res_partner WHERE backend_id = %s',
                 (backend,))


def _external_id_of(job):
    return json.loads(job[4])[-1]


def test_local_change_and_new_binding_reach_the_remote(remote, backend, workers):
    """Writing a bound partner exports the changed field; a new binding creates a remote
    partner under its (bound) parent company."""
    remote.seed(5, contacts_per_company=4)
    _import_all(backend, workers)
    first = last_job_id()
    with local_env() as env:
        company = env[BINDING].search([('backend_id', '=', backend),
                                       ('external_id', '=', remote.partner_id('Company 0001'))])
        # (not an address field: those are copied to the contacts, which would export too)
        company.openerp_id.write({'phone': '+32 2 555 01 01', 'email': 'hq@example.com'})
        new = env[BINDING].create({'name': 'New Contact', 'backend_id': backend,
                                   'parent_id': company.openerp_id.id,
                                   'email': 'new@example.com'})
        new_id, company_external_id = new.id, company.external_id

    done = wait_jobs_done(first, 60, workers)

    assert done == {'done': 2}, jobs(first)
    company_remote = remote.client.execute('res.partner', 'read', [int(company_external_id)],
                                           ['phone', 'email'])[0]
    assert (company_remote['phone'], company_remote['email']) == ('+32 2 555 01 01',
                                                                  'hq@example.com')
    with local_env() as env:
        new_external_id = env[BINDING].browse(new_id).external_id
    assert new_external_id, 'the new binding is bound to the remote partner it created'
    created = remote.client.execute('res.partner', 'read', [int(new_external_id)],
                                    ['name', 'email', 'parent_id'])[0]
    assert created['name'] == 'New Contact' and created['email'] == 'new@example.com'
    assert created['parent_id'][0] == int(company_external_id)


@pytest.mark.parametrize('mode', ['delete', 'archive'])
def test_deleting_a_binding_deletes_or_archives_the_remote_partner(
        mode, remote, backend, workers):
    """Unlinking a binding runs a job that deletes or archives the remote partner,
    following the backend's deletion mode; the local partner stays."""
    remote.seed(3, contacts_per_company=2)
    _import_all(backend, workers)
    count = len(remote.partners())
    first = last_job_id()
    with local_env() as env:
        env['example.backend'].browse(backend).deletion_mode = mode
        contact = env[BINDING].search([('backend_id', '=', backend),
                                       ('external_id', '=', remote.partner_id('Contact 0001-1'))])
        external_id, partner = contact.external_id, contact.openerp_id
        contact.unlink()

    assert wait_jobs_done(first, 60, workers) == {'done': 1}, jobs(first)
    remote_rows = remote.client.execute('res.partner', 'search_read',
                                        [('id', '=', int(external_id))], fields=['active'],
                                        context={'active_test': False})
    if mode == 'delete':
        assert remote_rows == [], 'the remote partner is deleted'
    else:
        assert remote_rows == [{'id': int(external_id), 'active': False}]
    with local_env() as env:
        assert partner.with_env(env).exists(), 'the local partner is kept'
    assert len(remote.partners()) == count - (mode == 'delete')


def test_full_import_archives_partners_deleted_on_the_remote(remote, backend, workers):
    """A remote partner deleted: the next full import archives its local partner and
    keeps the binding; a remote partner archived is imported as archived."""
    remote.seed(6, contacts_per_company=5)
    _import_all(backend, workers)
    total = len(remote.partners())
    deleted, archived = remote.partner_id('Contact 0001-2'), remote.partner_id('Contact 0001-3')
    remote.client.execute('res.partner', 'unlink', [int(deleted)])
    remote.client.execute('res.partner', 'write', [int(archived)], {'active': False})
    with local_env() as env:
        env['example.backend'].browse(backend).import_partners_since = False  # full import

    second = _import_all(backend, workers)

    assert len(second) == total - 1, 'one job per remote partner still there: %s' % (second,)
    local = bindings(backend)
    assert len(local) == total, 'bindings are kept'
    assert local[deleted][5] is False, 'the partner deleted on the remote is archived here'
    assert local[archived][5] is False, 'the partner archived on the remote is archived here'
    others = [row for eid, row in local.items()
              if row[1].endswith(remote.suffix) and eid not in (deleted, archived)]
    assert len(others) == 4 and all(row[5] for row in others), others
    assert not [job for job in second if 'export' in job[1]], 'archiving exports nothing'
