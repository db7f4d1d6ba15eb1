# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures of the example connector's end-to-end tests: a real remote Odoo.

One remote Odoo server process (``devkit.remote_odoo``) serves a whole
test module on a free port; each test gets a database of its own on it
(``remote``), seeded by the test, and an ``example.backend`` pointing to
it in the pytest database (``backend``), committed. At the end of each
test its remote database is dropped and everything it committed locally is
deleted: its jobs, bindings, partners, categories and backend. Workers are
real ``odoo-bin jobrunner`` processes (the ``workers`` fixture of
``support.jobrunner``), killed at the end of the test.
"""
import itertools
import os
import time
import uuid
from contextlib import contextmanager

import odoo
import pytest
from odoo import SUPERUSER_ID, api

from devkit import partner_state, seeding
from devkit.remote_odoo import RemoteOdoo

from .jobrunner import db_name, query, wait_until

BINDING = 'example.res.partner'
_numbers = itertools.count(1)


@contextmanager
def local_env():
    """An environment on a new cursor of the pytest database, committed at the end."""
    with api.Environment.manage():
        with odoo.registry(db_name()).cursor() as cr:  # commits on success
            yield api.Environment(cr, SUPERUSER_ID, {})


class Remote(object):
    """One test's database on the shared remote server."""

    def __init__(self, server, database, suffix):
        self.server = server
        self.database = database
        self.suffix = suffix
        self.client = server.client(database)

    @property
    def url(self):
        return self.server.url

    def seed(self, count, contacts_per_company=4):
        return seeding.seed_partners(self.client, count, contacts_per_company,
                                     suffix=self.suffix)

    def partner_id(self, name):
        """Remote id (text) of the seeded partner named ``name`` (+ the test's suffix)."""
        found = self.client.execute('res.partner', 'search', [('name', '=', name + self.suffix)])
        assert len(found) == 1, 'remote partner %r: %s' % (name + self.suffix, found)
        return str(found[0])

    def partners(self, domain=(), fields=('name', 'parent_id', 'country_id', 'category_id',
                                          'active', 'phone', 'email')):
        """Every remote partner, archived ones included.

        A full import reads them all: the seeded ones and the few that come
        with ``base`` (the company, the administrator, archived ones).
        """
        return self.client.execute(
            'res.partner', 'search_read', list(domain),
            fields=list(fields), context={'active_test': False})


@pytest.fixture(scope='module')
def remote_server(venv_python):
    """The remote Odoo process, shared by a test module; one database per test."""
    server = RemoteOdoo('connector_test_remote_%d' % os.getpid(),
                        python=venv_python, db_filter='.*')
    with server:
        yield server


@pytest.fixture
def remote(remote_server):
    """A fresh remote database (base only, admin / admin) on the shared server."""
    if not remote_server.running():  # a test stopped it and failed before restarting
        remote_server.start()
    suffix = ' %s' % uuid.uuid4().hex[:6]
    database = remote_server.add_database('%s_%d' % (remote_server.database, next(_numbers)))
    yield Remote(remote_server, database, suffix)
    remote_server.drop_database(database)


def last_job_id():
    return query('SELECT coalesce(max(id), 0) FROM queue_job')[0][0]


@pytest.fixture
def backend(remote):
    """A committed example.backend on ``remote``; the test's local data is removed after."""
    first_job = last_job_id()
    with local_env() as env:
        record = env['example.backend'].create({
            'name': 'E2E remote%s' % remote.suffix, 'url': remote.url,
            'database': remote.database, 'login': 'admin', 'password': 'admin',
            'timeout': 10})
        backend_id = record.id
    yield backend_id
    query("DELETE FROM queue_job WHERE id > %s AND model_name = %s", (first_job, BINDING))
    query('DELETE FROM res_partner WHERE id IN (SELECT openerp_id FROM example_res_partner '
          'WHERE backend_id = %s)', (backend_id,))
    query('DELETE FROM res_partner_category WHERE name LIKE %s', ('%' + remote.suffix,))
    query('DELETE FROM example_backend WHERE id = %s', (backend_id,))


def job_counts(after_id):
    """{state: count} of the example jobs created after job ``after_id``."""
    return dict(query('SELECT state, count(*) FROM queue_job WHERE id > %s AND model_name = %s '
                      'GROUP BY state', (after_id, BINDING)))


def jobs(after_id, func=None):
    """(uuid, func_string, state, retry, args, result, exc_info) of those jobs, by id."""
    sql = ('SELECT uuid, func_string, state, retry, args, result, exc_info FROM queue_job '
           'WHERE id > %s AND model_name = %s')
    params = [after_id, BINDING]
    if func:
        sql += ' AND func_string LIKE %s'
        params.append('%' + func)
    return query(sql + ' ORDER BY id', tuple(params))


def wait_jobs_done(after_id, timeout=60, workers=None):
    """Wait until no job created after ``after_id`` is pending or started; their counts."""
    def finished():
        counts = job_counts(after_id)
        busy = sum(counts.get(state, 0) for state in ('pending', 'enqueued', 'started'))
        return counts if not busy else None

    def message():
        logs = '\n'.join('--- %s\n%s' % (p.worker_name, workers.log(p))
                         for p in (workers.processes if workers else []))
        return 'jobs still running: %s\n%s' % (job_counts(after_id), logs[-4000:])
    return wait_until(finished, timeout, message)


def bindings(backend_id):
    """{external id: (partner id, name, parent external id, country code, category names,
    active)} of the backend's bindings, as committed."""
    rows = query(
        "SELECT b.external_id, p.id, p.name, pb.external_id, c.code, p.active, "
        "       array_remove(array_agg(cat.name ORDER BY cat.name), NULL) "
        "FROM example_res_partner b JOIN res_partner p ON p.id = b.openerp_id "
        "LEFT JOIN example_res_partner pb ON pb.openerp_id = p.parent_id "
        "     AND pb.backend_id = b.backend_id "
        "LEFT JOIN res_country c ON c.id = p.country_id "
        "LEFT JOIN res_partner_res_partner_category_rel r ON r.partner_id = p.id "
        "LEFT JOIN res_partner_category cat ON cat.id = r.category_id "
        "WHERE b.backend_id = %s GROUP BY b.id, p.id, pb.external_id, c.code",
        (backend_id,))
    return {row[0]: (row[1], row[2], row[3], row[4], row[6], row[5]) for row in rows}


def remote_state(remote):
    """{remote id: {field: value}} of every remote partner, as the example syncs them."""
    return partner_state.remote_partner_state(remote.client)


def local_state(backend_id):
    """{external id: {field: value}} of the backend's bound partners, as committed."""
    with local_env() as env:
        return partner_state.local_partner_state(env, backend_id, BINDING)


def assert_both_sides_equal(remote, backend_id):
    """Every remote partner has one local partner equal to it, field by field."""
    there = remote_state(remote)
    differences = partner_state.state_differences(there, local_state(backend_id))
    assert not differences, '%d differences:\n%s' % (len(differences), '\n'.join(differences))
    return there


def import_partners(backend_id):
    """Run the backend's "Import partners now" in a committed transaction."""
    with local_env() as env:
        env['example.backend'].browse(backend_id).import_partners()


def settle():
    """Wait until the clock is in a later second than when called: write dates are
    compared to the second, so what is written after is newer than what was before."""
    now = int(time.time())
    wait_until(lambda: int(time.time()) > now, 60, 'the clock did not move')
