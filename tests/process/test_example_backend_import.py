# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: "Import partners" and its cron against a real remote Odoo.

What ``example.backend.import_partners()`` and ``_cron_import_partners()``
store, committed, in the pytest database: the delayed ``import_record``
jobs (one per remote partner changed since ``import_partners_since``),
the new ``import_partners_since`` and the backend's pending job count. No
worker runs the jobs. The remote is a real Odoo server process
(``support.example``); a backend that is down is a real refused
connection (a closed port of 127.0.0.1).
"""
import json
import logging
import socket
import uuid
from unittest import mock

import pytest
from odoo import fields

from odoo.addons.connector.queue.bulk import waiting_batch
from odoo.addons.connector.unit.synchronizer import DelayedBatchImporter

from support.example import import_partners, jobs, last_job_id, local_env, settle
from support.jobrunner import query

BACKEND_LOGGER = 'odoo.addons.connector_example.models.example_backend'


def closed_port():
    """A port of 127.0.0.1 on which nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(name='down_backend')
def down_backend_fixture():
    """A committed example.backend whose remote refuses connections; deleted after."""
    with local_env() as env:
        backend_id = env['example.backend'].create({
            'name': 'Down %s' % uuid.uuid4().hex[:6],
            'url': 'http://127.0.0.1:%d' % closed_port(), 'database': 'remote',
            'login': 'admin', 'password': 'admin', 'timeout': 10}).id
    try:
        yield backend_id
    finally:
        query('DELETE FROM example_backend WHERE id = %s', (backend_id,))


def _seed_after(remote, count, contacts_per_company=2):
    """``(since, ids)``: a time after every remote partner so far, then ``count`` partners
    seeded on the remote (their ids as text, ascending), the only ones changed since."""
    settle()  # the partners that come with the remote's base are from an earlier second
    since = fields.Datetime.now()
    seeded = remote.seed(count, contacts_per_company=contacts_per_company)
    settle()  # the import starts in a later second than the seeding
    return since, sorted((str(i) for i in seeded['companies'] + seeded['contacts']), key=int)


def _set_since(backend_ids, since):
    with local_env() as env:
        env['example.backend'].browse(backend_ids).write({'import_partners_since': since})


def _delayed_imports(after_id):
    """(backend id, external id, state) of each import job created after job ``after_id``."""
    found = []
    for row in jobs(after_id):
        assert row[1].endswith('.import_record'), 'only import jobs are delayed: %s' % (row,)
        backend, external_id = json.loads(row[4])
        assert backend['model'] == 'example.backend' and len(backend['ids']) == 1, row
        found.append((backend['ids'][0], external_id, row[2]))
    return found


def _company_then_contacts(backend_id, seeded):
    """The jobs delayed for a company and its contacts (``seeded``, company first): the
    company's pending, its contacts' waiting for it (a job graph)."""
    return [(backend_id, seeded[0], 'pending')] + [
        (backend_id, external_id, 'wait_dependencies') for external_id in seeded[1:]]


def _backend_state(backend_id):
    """(import_partners_since, pending_job_count) of a backend, as committed."""
    with local_env() as env:
        record = env['example.backend'].browse(backend_id)
        return record.import_partners_since, record.pending_job_count


def test_import_partners_since_moves_once_every_job_is_delayed(remote, backend):
    """A run that delays a job for every remote partner changed since the last run
    moves ``import_partners_since`` to the time taken before the remote search."""
    since, seeded = _seed_after(remote, 3)
    _set_since(backend, since)
    first = last_job_id()

    before = fields.Datetime.now()
    import_partners(backend)
    after = fields.Datetime.now()

    assert _delayed_imports(first) == _company_then_contacts(backend, seeded)
    moved, pending = _backend_state(backend)
    assert since < before <= moved <= after, (since, before, moved, after)
    assert pending == len(seeded) == 3
    # The next run reads the remote since then: nothing has changed, nothing is delayed.
    second = last_job_id()
    import_partners(backend)
    assert _delayed_imports(second) == []


def test_jobs_delayed_before_a_failure_are_rolled_back(remote, backend):
    """When the second delay of a run raises, the first job is gone and the field stays.

    The failure is injected (``mock.patch`` of ``DelayedBatchImporter._import_record``)
    because a delay failing after another succeeded cannot be produced for real; the
    remote, its search and the first delay are real. The caller catches the error and
    commits, as the cron does, so only the importer's savepoint undoes the first job.
    """
    # three companies: each job is delayed alone, through _import_record
    since, seeded = _seed_after(remote, 3, contacts_per_company=0)
    _set_since(backend, since)
    first = last_job_id()
    original = DelayedBatchImporter._import_record
    calls, delayed_when_failing = [], []

    def fail_second(importer, external_id):
        calls.append(external_id)
        if len(calls) == 2:
            # the batch importer delays in a bulk_enqueue block: store the first job now,
            # as a full page of 5,000 would be, so that the savepoint has one to undo
            waiting_batch(importer.env.cr).flush()
            importer.env.cr.execute('SELECT count(*) FROM queue_job WHERE id > %s', (first,))
            delayed_when_failing.append(importer.env.cr.fetchone()[0])
            raise RuntimeError('second delay failed')
        return original(importer, external_id)

    with local_env() as env:
        record = env['example.backend'].browse(backend)
        with mock.patch.object(DelayedBatchImporter, '_import_record', fail_second), \
                pytest.raises(RuntimeError, match='second delay failed'):
            record.import_partners()
        assert record.import_partners_since == since, 'the caller sees it as before the run'

    assert calls == seeded[:2]
    assert delayed_when_failing == [1], 'the first job was delayed before the failure'
    assert jobs(first) == []
    assert _backend_state(backend) == (since, 0)


def test_cron_imports_the_other_backends_when_one_fails(down_backend, remote, backend, caplog):
    """The cron logs a backend whose remote is down and imports the others."""
    assert down_backend < backend, 'the cron meets the down backend first'
    since, seeded = _seed_after(remote, 3)
    _set_since([down_backend, backend], since)
    others = query('SELECT id, import_partners_since FROM example_backend WHERE id NOT IN %s',
                   ((down_backend, backend),))
    first = last_job_id()
    try:
        with caplog.at_level(logging.WARNING, logger=BACKEND_LOGGER), local_env() as env:
            env['example.backend']._cron_import_partners()
    finally:  # leave the other backends of the database as they were
        for backend_id, value in others:
            query('UPDATE example_backend SET import_partners_since = %s WHERE id = %s',
                  (value, backend_id))

    failures = [r.getMessage() for r in caplog.records if r.name == BACKEND_LOGGER and
                '(id %d)' % down_backend in r.getMessage()]
    assert len(failures) == 1, caplog.text
    assert 'partner import failed' in failures[0] and 'ConnectionRefusedError' in failures[0]
    assert not [r for r in caplog.records if '(id %d)' % backend in r.getMessage()]
    assert _backend_state(down_backend) == (since, 0)
    ours = [job for job in _delayed_imports(first) if job[0] in (down_backend, backend)]
    assert ours == _company_then_contacts(backend, seeded)
    moved, pending = _backend_state(backend)
    assert moved > since and pending == 3
