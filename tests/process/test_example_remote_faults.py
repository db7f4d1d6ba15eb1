# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: transient faults of the remote Odoo are retried, and nothing is lost.

A real TCP proxy (``fault_proxy``) sits between the example backend and the
real remote Odoo and breaks some answers on the wire, as a remote dying
mid-response does; the remote is killed while it answers; a real
concurrent update on the remote's database makes its write fail. Jobs run
in real worker processes; each must end done, retried, with every remote
partner imported once and equal to the remote.
"""
import re

import psycopg2
import pytest

from support.example import (BINDING, bindings, import_partners, jobs, last_job_id, local_env,
                             wait_jobs_done)
from support.fault_proxy import FaultProxy
from support.jobrunner import FAST, query, wait_until


@pytest.fixture(name='proxy')
def proxy_fixture(remote_server, backend):
    """A fault proxy in front of the remote; the backend talks to the remote through it."""
    with FaultProxy(remote_server.port) as proxy:
        with local_env() as env:
            env['example.backend'].browse(backend).url = proxy.url
        yield proxy


def _failure_classes(after_id, seen):
    """Add to ``seen`` the exception classes named by the jobs postponed so far; ``seen``."""
    for (result,) in query('SELECT result FROM queue_job WHERE id > %s AND model_name = %s '
                           'AND state = %s AND retry >= 1', (after_id, BINDING, 'pending')):
        seen.update(re.findall(r' failed: (\w+):', result or ''))
    return seen


def _wait_done_watching_failures(first, timeout, workers):
    """Wait for the jobs after ``first`` to finish; the failure classes met on the way:
    as seen in the postponed jobs' rows while waiting, and as the workers' logs record
    every postponed try (a try postponed for a moment may come and go between two
    looks at the rows)."""
    seen = set()

    def finished():
        _failure_classes(first, seen)
        counts = dict(query('SELECT state, count(*) FROM queue_job WHERE id > %s AND '
                            'model_name = %s GROUP BY state', (first, BINDING)))
        return not any(counts.get(state) for state in ('pending', 'enqueued', 'started'))
    wait_until(finished, timeout, lambda: 'jobs still running: %s; failures seen: %s' % (
        [(row[2], row[3], row[5]) for row in jobs(first) if row[2] != 'done'], seen))
    for process in workers.processes:
        with open(process.log_path) as log:
            for line in log:
                if ') postponed in ' in line:
                    seen.update(re.findall(r' failed: (\w+):', line))
    return seen


def _assert_every_remote_partner_imported_once_and_equal(remote, backend):
    """One binding per remote partner, with its name, email, phone and parent."""
    there = {str(p['id']): p for p in remote.partners(
        fields=('name', 'email', 'phone', 'parent_id'))}
    local = bindings(backend)
    assert sorted(local) == sorted(there), 'missing %s, extra %s' % (
        sorted(set(there) - set(local)), sorted(set(local) - set(there)))
    rows = query('SELECT b.external_id, p.name, p.email, p.phone, pb.external_id '
                 'FROM example_res_partner b JOIN res_partner p ON p.id = b.openerp_id '
                 'LEFT JOIN example_res_partner pb ON pb.openerp_id = p.parent_id '
                 '     AND pb.backend_id = b.backend_id WHERE b.backend_id = %s', (backend,))
    assert len(rows) == len(there), 'a remote partner is bound twice'
    differences = []
    for external_id, name, email, phone, parent in rows:
        remote_partner = there[external_id]
        expected = (remote_partner['name'], remote_partner['email'] or None,
                    remote_partner['phone'] or None,
                    str(remote_partner['parent_id'][0]) if remote_partner['parent_id'] else None)
        if (name, email or None, phone or None, parent) != expected:
            differences.append('%s: here %r, remote %r' % (
                external_id, (name, email, phone, parent), expected))
    assert not differences, '\n'.join(differences)
    duplicates = query('SELECT name, count(*) FROM res_partner WHERE name LIKE %s '
                       'GROUP BY name HAVING count(*) > 1', ('%' + remote.suffix,))
    assert duplicates == [], 'partners created twice here: %s' % duplicates


def test_import_through_answers_cut_short_retries_and_imports_every_partner_once(
        remote, backend, proxy, workers):
    """One answer in three cut short on the wire (headers only, half a body, closed,
    reset) for a while: the jobs that met one are retried, all end done, and every
    remote partner is imported once, equal to the remote."""
    remote.seed(40, contacts_per_company=4)
    first = last_job_id()
    import_partners(backend)  # through the proxy, before it breaks anything
    proxy.cut(('headers', 'partial', 'close', 'reset'), times=20, every=3)
    workers.start('example-a', *FAST)

    seen = _wait_done_watching_failures(first, 90, workers)

    rows = jobs(first)
    assert {row[2] for row in rows} == {'done'}, [r for r in rows if r[2] != 'done']
    assert proxy.cuts_left == 0, 'the proxy broke only %d answers' % len(proxy.broken)
    retried = [row for row in rows if row[3] >= 2]
    assert len(retried) >= 10, 'few jobs met a broken answer: %s; broken: %s' % (
        len(retried), proxy.broken)
    assert {'ExpatError', 'RemoteDisconnected', 'ConnectionResetError'} <= seen, seen
    print('\nbroken answers: %s\nfailures the jobs met: %s' % (
        sorted(set(mode for mode, _method in proxy.broken)), sorted(seen)))
    _assert_every_remote_partner_imported_once_and_equal(remote, backend)


def test_remote_killed_in_the_middle_of_its_answer_loses_nothing(
        remote_server, remote, backend, proxy, workers):
    """The remote kill -9'ed while an answer is on the wire (the proxy forwarded its
    headers and holds the rest): that job and those meeting the dead remote are
    postponed, none fails; once the remote is back every partner is imported once."""
    remote.seed(24, contacts_per_company=3)
    first = last_job_id()
    import_partners(backend)
    workers.start('example-a', *FAST)
    wait_until(lambda: query('SELECT count(*) FROM queue_job WHERE id > %s AND state = %s',
                             (first, 'done'))[0][0] >= 3, 60, 'no import job ran')
    proxy.hold()
    proxy.wait_held()

    remote_server.kill()
    proxy.release(cut=True)  # the client gets what a dead server leaves: headers, no body
    wait_until(lambda: query(
        'SELECT count(*) FROM queue_job WHERE id > %s AND state = %s AND result LIKE %s',
        (first, 'pending', '%ExpatError: no element found%'))[0][0], 30,
        lambda: 'the job whose answer was cut is not postponed: %s' % (
            [(r[2], r[3], r[5], r[6]) for r in jobs(first) if r[2] != 'done'],))
    failed = [row for row in jobs(first) if row[2] == 'failed']
    assert not failed, 'a job failed on the dying remote: %s' % (failed,)
    remote_server.start()

    seen = _wait_done_watching_failures(first, 90, workers)

    rows = jobs(first)
    assert {row[2] for row in rows} == {'done'}, [r for r in rows if r[2] != 'done']
    assert max(row[3] for row in rows) >= 2
    assert 'ExpatError' in seen, seen
    _assert_every_remote_partner_imported_once_and_equal(remote, backend)


def _wait_for_a_lock_wait(database, timeout=30):
    def waiting():
        return query("SELECT pid FROM pg_stat_activity WHERE datname = %s "
                     "AND wait_event_type = 'Lock' AND query LIKE %s",
                     (database, 'UPDATE "res_partner"%'))
    return wait_until(waiting, timeout, 'the remote never waited for the partner row')


def test_export_meeting_a_concurrent_update_on_the_remote_is_retried_and_succeeds(
        remote, backend, workers):
    """A real concurrent update on the remote's database: a transaction holds the remote
    partner's row while the export writes it, then commits. The remote's write fails
    on a serialization error, Odoo 11 retries it and fails again ("Unable to use a closed
    cursor"): the job is postponed with a message naming the fault, then succeeds."""
    remote.seed(5, contacts_per_company=4)
    first = last_job_id()
    import_partners(backend)
    workers.start('example-a', *FAST)
    wait_jobs_done(first, 60, workers)
    external_id = remote.partner_id('Company 0001')

    holder = psycopg2.connect(dbname=remote.database)  # the remote's own database
    try:
        with holder.cursor() as cr:  # a concurrent update: holds the row until commit
            cr.execute('UPDATE res_partner SET write_date = write_date WHERE id = %s',
                       (int(external_id),))
        first = last_job_id()
        with local_env() as env:
            binding = env[BINDING].search([('backend_id', '=', backend),
                                           ('external_id', '=', external_id)])
            binding.openerp_id.write({'name': 'Company 0001 renamed' + remote.suffix,
                                      'phone': '+32 2 555 01 01'})
        _wait_for_a_lock_wait(remote.database)
    finally:
        holder.commit()  # the remote's write now meets a serialization failure
        holder.close()

    postponed = wait_until(lambda: query(
        'SELECT retry, result FROM queue_job WHERE id > %s AND model_name = %s AND state = %s '
        'AND retry >= 1', (first, BINDING, 'pending')), 30,
        lambda: 'the export was not postponed: %s' % (jobs(first),))
    message = postponed[0][1]
    assert ("Backend 'E2E remote%s' (example.backend,%s): res.partner.write of "
            "example.res.partner '%s' failed: Fault 1: " % (remote.suffix, backend, external_id)
            ) in message, message
    assert 'Unable to use a closed cursor' in message or 'could not serialize' in message, \
        message
    assert message.endswith('the remote Odoo met a concurrent update of the same records (a '
                            'transient fault of its database); the job will be retried.'), message

    wait_jobs_done(first, 60, workers)
    rows = jobs(first)
    exports = [row for row in rows if 'export' in row[1]]
    assert [row[2] for row in rows] == ['done'] * len(rows), rows
    assert len(exports) == 1 and exports[0][3] >= 2, 'the export was retried: %s' % (rows,)
    there = remote.client.execute('res.partner', 'read', [int(external_id)], ['name', 'phone'])
    assert (there[0]['name'], there[0]['phone']) == ('Company 0001 renamed' + remote.suffix,
                                                     '+32 2 555 01 01')


def test_new_partner_whose_create_answer_is_lost_is_created_once_on_the_remote(
        remote, backend, proxy, workers):
    """The remote creates the partner, then the connection closes before its answer: the
    export is retried (not re-sent by the transport) and finds the partner it created."""
    remote.seed(3, contacts_per_company=2)
    first = last_job_id()
    import_partners(backend)
    workers.start('example-a', *FAST)
    wait_jobs_done(first, 60, workers)
    first = last_job_id()
    proxy.cut('close', when='res.partner.create')
    with local_env() as env:
        company = env[BINDING].search([('backend_id', '=', backend),
                                       ('external_id', '=', remote.partner_id('Company 0001'))])
        new = env[BINDING].create({'name': 'New Contact' + remote.suffix, 'backend_id': backend,
                                   'parent_id': company.openerp_id.id,
                                   'email': 'new@example.com'})
        new_id = new.id

    wait_jobs_done(first, 60, workers)

    assert proxy.broken == [('close', 'res.partner.create')], proxy.broken
    created = remote.client.execute('res.partner', 'search_read',
                                    [('name', '=', 'New Contact' + remote.suffix)],
                                    fields=['email'])
    assert len(created) == 1, 'the remote partner was created %d times' % len(created)
    rows = jobs(first)
    assert [row[2] for row in rows] == ['done'], rows
    assert rows[0][3] >= 2, 'the export was retried'
    with local_env() as env:
        assert env[BINDING].browse(new_id).external_id == str(created[0]['id'])
