# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: real ``odoo-bin jobrunner`` processes run committed jobs.

Every job done exactly once with two workers; eta and priority; identity
keys; a job runs as its user; unknown functions and undecodable arguments
fail without stopping the worker; a malformed channel configuration is
refused at start.
"""
import os
import subprocess
import uuid

import pytest
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import (FAST, ROW_MODEL, Workers, db_name, delay, delay_many, job_states,
                               query, query_database, rows, wait_until)


def test_two_workers_run_every_job_exactly_once(tag, workers):
    """500 jobs, 2 workers: 500 rows, one per job, every job done after one try."""
    workers.start(tag + 'a', *FAST)
    workers.start(tag + 'b', *FAST)
    delay_many(jobs.insert_row, [('%s-%03d' % (tag, i),) for i in range(500)])
    wait_until(lambda: job_states(tag).get('done') == 500, 90,
               lambda: 'jobs not all done: %s' % job_states(tag))
    written = query('SELECT key, count(*) FROM test_queue_job_row WHERE key LIKE %s '
                    'GROUP BY key', (tag + '%',))
    assert len(written) == 500, 'expected 500 distinct rows, got %d' % len(written)
    assert all(count == 1 for _key, count in written), \
        'some job ran twice: %s' % [r for r in written if r[1] != 1]
    tries = query("SELECT retry, count(*) FROM queue_job WHERE args LIKE %s GROUP BY retry",
                  ('%' + tag + '%',))
    assert tries == [(1, 500)], 'every job should be tried once: %s' % tries
    pids = {pid for _k, pid, _s, _e in rows(tag)}
    assert len(pids) == 2, 'both workers should have run jobs, pids: %s' % pids


def test_priority_then_eta_order(tag, workers):
    """Smaller priority first; a job with a future eta waits for it."""
    workers.start(tag + 'w', *FAST)
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        eta_uuid = jobs.insert_row.delay(session, ROW_MODEL, tag + '-eta', priority=0, eta=2)
        for priority in (5, 1, 3):
            jobs.insert_row.delay(session, ROW_MODEL, '%s-p%d' % (tag, priority),
                                  priority=priority)
    wait_until(lambda: job_states(tag).get('done') == 4, 60,
               lambda: 'jobs not all done: %s' % job_states(tag))
    order = [key[len(tag) + 1:] for key, _p, _s, _e in rows(tag)]
    # Where the eta job falls among the others depends on the machine's speed (once
    # due, its priority 0 comes first): judge the others' order, and its claim's time
    assert [key for key in order if key != 'eta'] == ['p1', 'p3', 'p5'], order
    # the claim's time against the eta, both on the database's clock: the eta job,
    # of the smallest priority, would start first if its eta were not kept
    (eta, started), = query('SELECT eta, date_started FROM queue_job WHERE uuid = %s',
                            (eta_uuid,))
    assert started >= eta, 'job %s started at %s, before its eta %s' % (eta_uuid, started, eta)


def test_identity_key_stores_one_unfinished_job(tag, workers):
    """A second delay with the key of a pending job gives that job; once done, a new one."""
    key = tag + '-identity'
    first = delay(jobs.insert_row, tag + '-1', identity_key=key)
    second = delay(jobs.insert_row, tag + '-2', identity_key=key)
    assert second == first
    assert job_states(tag) == {'pending': 1}
    workers.start(tag + 'w', *FAST)
    wait_until(lambda: job_states(tag) == {'done': 1}, 30,
               lambda: 'job not done: %s' % job_states(tag))
    third = delay(jobs.insert_row, tag + '-3', identity_key=key)
    assert third != first, 'a done job must not hold its identity key'
    wait_until(lambda: job_states(tag) == {'done': 2}, 30,
               lambda: 'second job not done: %s' % job_states(tag))
    assert [r[0] for r in rows(tag)] == [tag + '-1', tag + '-3']


def test_job_runs_as_the_user_who_delayed_it(tag, workers):
    """A user without rights on a model gets an access error, stored; jobs see their user."""
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        user = session.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Job clerk %s' % tag, 'login': tag, 'lang': 'en_US',
            'groups_id': [(6, 0, [session.env.ref('base.group_user').id])]})
        user_id = user.id
    try:
        delay(jobs.create_secret, tag + '-secret', user_id=user_id)
        delay(jobs.whoami, tag + '-whoami', user_id=user_id)
        workers.start(tag + 'w', *FAST)
        wait_until(lambda: job_states(tag) == {'failed': 1, 'done': 1}, 30,
                   lambda: 'jobs did not end: %s' % job_states(tag))
        exc_info, job_user = query(
            "SELECT exc_info, user_id FROM queue_job WHERE args LIKE %s",
            ('%' + tag + '-secret%',))[0]
        assert job_user == user_id
        assert 'AccessError' in exc_info and 'test.queue.job.secret' in exc_info, exc_info
        note = query('SELECT note FROM test_queue_job_row WHERE key = %s',
                     (tag + '-whoami',))[0][0]
        login, lang, company = note.split('|')
        assert (login, lang) == (tag, 'en_US'), note
        assert company == '1', note
        assert query('SELECT count(*) FROM test_queue_job_secret WHERE name LIKE %s',
                     (tag + '%',)) == [(0,)]
    finally:
        workers.stop_all()
        query("DELETE FROM queue_job WHERE args LIKE %s", ('%' + tag + '%',))
        query('DELETE FROM test_queue_job_row WHERE key LIKE %s', (tag + '%',))
        partner = query('SELECT partner_id FROM res_users WHERE id = %s', (user_id,))[0][0]
        query('DELETE FROM res_users WHERE id = %s', (user_id,))
        query('DELETE FROM res_partner WHERE id = %s', (partner,))


def _insert_raw_job(tag, func_string, args):
    job_uuid = str(uuid.uuid4())
    query("INSERT INTO queue_job (uuid, name, state, func_string, model_name, args, kwargs, "
          "user_id, company_id, channel, priority, retry, max_retries, date_created) "
          "VALUES (%s, %s, 'pending', %s, %s, %s, '{}', 1, 1, 'root', 10, 0, 5, "
          "now() at time zone 'utc')", (job_uuid, tag, func_string, ROW_MODEL, args))
    return job_uuid


def test_unknown_function_and_bad_arguments_fail_and_the_worker_goes_on(tag, workers):
    """A row naming a non-@job function, or with broken JSON, fails; later jobs still run."""
    evil = _insert_raw_job(tag, 'os.system', '["touch /tmp/%s-owned"]' % tag)
    broken = _insert_raw_job(tag, 'odoo.addons.test_queue_job.jobs.insert_row',
                             '["%s-broken", {"_type": "datetime", ' % tag)
    delay(jobs.insert_row, tag + '-after')
    worker = workers.start(tag + 'w', *FAST)
    wait_until(lambda: job_states(tag) == {'failed': 2, 'done': 1}, 30,
               lambda: 'jobs did not end: %s' % job_states(tag))
    messages = dict(query('SELECT uuid, exc_info FROM queue_job WHERE uuid IN %s',
                          ((evil, broken),)))
    assert "calls 'os.system', which is not a function decorated with @job" \
        in messages[evil], messages[evil]
    assert 'not valid JSON' in messages[broken], messages[broken]
    assert not os.path.exists('/tmp/%s-owned' % tag)
    assert worker.poll() is None, 'the worker should still run'
    assert [r[0] for r in rows(tag)] == [tag + '-after']


def test_malformed_channel_configuration_is_refused_at_start(tmp_path):
    """--channels with a bad capacity: exit status 2, the bad part named."""
    pool = Workers(tmp_path)
    env = dict(os.environ, ODOO_RC=pool.command()[4])
    done = subprocess.run(pool.command('--channels', 'root:2,root.export:two'), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 2, done
    assert ("channel configuration 'root.export:two': capacity 'two' is not a whole "
            "number" in done.stderr.decode()), done.stderr
    done = subprocess.run(pool.command('--channels', 'export:1'), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 2, done
    assert "every channel is under 'root'" in done.stderr.decode(), done.stderr


def test_one_worker_serves_two_databases_and_gates_addons(tag, workers):
    """-d A,B: jobs of both run; in B, where test_queue_job is not installed, its job fails."""
    other = os.environ.get('CONNECTOR_TEST_OTHER_DB')
    if not other:
        pytest.skip('CONNECTOR_TEST_OTHER_DB is not set')
    func_string = 'odoo.addons.test_queue_job.jobs.insert_row'
    job_uuid = str(uuid.uuid4())
    query_database(other, "INSERT INTO queue_job (uuid, name, state, func_string, model_name, "
                   "args, kwargs, user_id, company_id, channel, priority, retry, max_retries, "
                   "date_created) VALUES (%s, %s, 'pending', %s, %s, %s, '{}', 1, 1, 'root', "
                   "10, 0, 5, now() at time zone 'utc')",
                   (job_uuid, tag, func_string, ROW_MODEL, '["%s-other"]' % tag))
    try:
        delay(jobs.insert_row, tag + '-main')
        workers.start(tag + 'w', *FAST, databases='%s,%s' % (db_name(), other))

        def other_state():
            return query_database(other, 'SELECT state, exc_info FROM queue_job WHERE uuid = %s',
                                  (job_uuid,))[0]
        wait_until(lambda: job_states(tag) == {'done': 1} and other_state()[0] == 'failed',
                   30, lambda: 'main: %s, other: %s' % (job_states(tag), other_state()))
        assert ('calls %s of addon test_queue_job, which is not installed in database %s'
                % (func_string, other)) in other_state()[1], other_state()[1]
    finally:
        workers.stop_all()
        query_database(other, 'DELETE FROM queue_job WHERE uuid = %s', (job_uuid,))
        query_database(other, 'DELETE FROM queue_job_worker WHERE name = %s', (tag + 'w',))
