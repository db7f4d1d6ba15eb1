# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: the example's full import as job graphs, run by two real workers.

``import_partners()`` delays each remote company's import, then its
contacts' as a group waiting for it (``PartnerBatchImporter``). Two real
``odoo-bin jobrunner`` processes run them against a real remote Odoo: no
contact's job starts before its company's is done, so none meets its
company locked by the other worker and none is retried.
"""
import json

from devkit import seeding
from support.example import (assert_both_sides_equal, bindings, import_partners, job_counts,
                             last_job_id)
from support.jobrunner import FAST, query, wait_until


def test_companies_then_contacts_each_job_tried_once_on_two_workers(remote, backend, workers):
    """Given companies with contacts, contacts with no company and awkward partners on
    the remote,
    when two workers run a full import, each contact's job starts after its
    company's ended, every job is tried once, and both sides are equal."""
    seeded = remote.seed(40, contacts_per_company=4)  # 8 companies, 32 contacts
    # and what real databases hold: companies without an address whose contacts have
    # their own, a 3-level chain, an archived company, other scripts, empty values
    seeding.seed_awkward_partners(remote.client, remote.suffix)
    loners = [str(remote.client.execute('res.partner', 'create', {
        'name': 'Loner %d%s' % (number, remote.suffix), 'email': 'loner%d@example.com' % number,
    })) for number in range(1, 4)]
    parents = {str(p['id']): str(p['parent_id'][0]) if p['parent_id'] else None
               for p in remote.partners(fields=('parent_id',))}
    workers.start_many(['graph-a', 'graph-b'], *FAST)
    first = last_job_id()

    import_partners(backend)

    def postponed():
        """What the workers logged of jobs postponed or failed (why a job was tried again)."""
        return '\n'.join(line for worker in workers.processes
                         for line in workers.log(worker).splitlines()
                         if ' postponed in ' in line or ' failed in ' in line)

    counts = wait_until(lambda: set(job_counts(first)) == {'done'} and job_counts(first), 120,
                        lambda: 'jobs not all done: %s\n%s' % (job_counts(first), postponed()))

    rows = query('SELECT id, args, state, retry, date_started, date_done, result FROM queue_job '
                 'WHERE id > %s AND model_name = %s ORDER BY id', (first, 'example.res.partner'))
    by_external_id = {json.loads(args)[1]: (job_id, state, retry, started, done, result)
                      for job_id, args, state, retry, started, done, result in rows}
    assert counts == {'done': len(parents)}, counts
    assert sorted(by_external_id) == sorted(parents), 'one job per remote partner'
    assert {eid: job[2] for eid, job in by_external_id.items() if job[2] != 1} == {}, \
        'every job tried exactly once (no retry); the workers logged:\n' + postponed()
    # date_done is the time the job's transaction began (now()): the times below show the
    # order of the claims; that no contact imported its company itself shows the rest
    assert {eid: job[5] for eid, job in by_external_id.items()
            if not (job[5] or '').startswith('Imported')} == {}, \
        'each partner imported by its own job, none found already imported by another'
    contacts = {eid: parent for eid, parent in parents.items() if parent}
    assert len(contacts) >= len(seeded['contacts'])  # and base's admin under its company
    for contact, company in contacts.items():
        contact_started, company_done = by_external_id[contact][3], by_external_id[company][4]
        assert contact_started >= company_done, \
            'contact %s started at %s, before its company %s ended at %s' % (
                contact, contact_started, company, company_done)
    links = set(query('SELECT job_id, depends_on_id FROM queue_job_dependency WHERE job_id IN %s',
                      (tuple(row[0] for row in rows),)))
    assert links == {(by_external_id[contact][0], by_external_id[company][0])
                     for contact, company in contacts.items()}
    assert all(parents[loner] is None for loner in loners)
    assert set(loners) <= set(bindings(backend)), 'contacts with no company imported too'
    assert_both_sides_equal(remote, backend)
