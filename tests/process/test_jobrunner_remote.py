# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: a runner as on another machine -- over TCP, with a password, as a
PostgreSQL role that has only the rights a runner needs.

The role gets exactly ``RUNNER_GRANTS`` (the list the operator's manual
gives, ``connector/jobrunner/MANUAL.rst``) and the runner reads
``db_host``/``db_port``/``db_user``/``db_password`` from its own Odoo
configuration file. It shares the queue with a runner on the Unix socket:
both run jobs, none twice; it wakes on notifications (LISTEN), holds its
name's advisory lock and refreshes its heartbeat over TCP, and takes its
name back at once after kill -9.

Needs a ``host`` line with password authentication (md5 or scram-sha-256)
for 127.0.0.1 in pg_hba.conf, as Debian's default cluster has; the tests
skip, saying so, without one.
"""
import configparser
import os
import secrets
import signal
import subprocess
import time
import uuid

import psycopg2
import pytest
from odoo import SUPERUSER_ID

from odoo.addons.connector.session import ConnectorSessionHandler
from odoo.addons.test_queue_job import jobs

from support.jobrunner import (ROW_MODEL, Gate, config_path, db_name, delay, delay_many, job_states,
                               query, rows, wait_until)

#: What a runner's role needs, by purpose ({role} is the role). The runner's
#: connections and the jobs' ORM cursors use the same Odoo configuration,
#: hence one role for the three.
RUNNER_GRANTS = [
    # 1. The runner's own statements (claims, outcomes, heartbeat, upkeep);
    #    LISTEN, advisory locks, pg_locks and pg_stat_activity need no grant.
    'GRANT SELECT, UPDATE ON queue_job TO {role}',
    'GRANT SELECT, INSERT, UPDATE, DELETE ON queue_job_worker TO {role}',
    'GRANT USAGE ON SEQUENCE queue_job_worker_id_seq TO {role}',
    'GRANT SELECT ON queue_job_dependency TO {role}',  # job graphs (see OPTIONAL_TABLES)
    # pauses of throttled jobs, --channels; the claims' own state of a channel
    # (rate limits spent, shares) and the sequences that say a bound may be open
    'GRANT SELECT, INSERT, UPDATE ON queue_job_channel TO {role}',
    'GRANT USAGE ON SEQUENCE queue_job_channel_id_seq TO {role}',
    'GRANT SELECT, INSERT, UPDATE ON queue_job_channel_state TO {role}',
    'GRANT SELECT, USAGE ON SEQUENCE connector_queue_bounds_seq, connector_queue_ends_seq '
    'TO {role}',
    # 2. Loading Odoo's registry (once per database, again when it changes);
    #    the connector addon lists the @job functions at each load.
    'GRANT SELECT ON ir_module_module, ir_model, ir_model_fields, res_lang TO {role}',
    # read at each claim; bumped after a job that changed Odoo's caches
    'GRANT SELECT, USAGE ON SEQUENCE base_registry_signaling, base_cache_signaling TO {role}',
    'GRANT SELECT, INSERT, UPDATE ON queue_job_function TO {role}',
    'GRANT USAGE ON SEQUENCE queue_job_function_id_seq TO {role}',
    # 3. Running jobs: the ORM's access checks for the job's user...
    'GRANT SELECT ON res_users, res_partner, res_groups_users_rel, ir_model_access, '
    'ir_rule, rule_group_rel, ir_default TO {role}',
    # ... and what the jobs themselves read and write (here: test rows).
    'GRANT SELECT, INSERT ON test_queue_job_row TO {role}',
    'GRANT USAGE ON SEQUENCE test_queue_job_row_id_seq TO {role}',
    # The server probes the role's TCP sessions: a lost machine's end within ~90 s.
    'ALTER ROLE {role} SET tcp_keepalives_idle = 60',
    'ALTER ROLE {role} SET tcp_keepalives_interval = 10',
    'ALTER ROLE {role} SET tcp_keepalives_count = 3',
]

#: Tables some grants name that a branch of the queue may not have yet.
OPTIONAL_TABLES = ('queue_job_dependency',)


def _server():
    """(port, whether pg_hba lets 127.0.0.1 in with a password)."""
    port = query('SHOW port')[0][0]
    allowed = query("SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host' "
                    "AND address = '127.0.0.1' AND auth_method IN ('md5', 'scram-sha-256') "
                    "AND 'all' = ANY(database) AND 'all' = ANY(user_name)")[0][0]
    return int(port), bool(allowed)


@pytest.fixture(name='runner_role')
def runner_role_fixture():
    """A login role with a password and RUNNER_GRANTS only; (name, password)."""
    port, allowed = _server()
    if not allowed:
        pytest.skip('pg_hba.conf has no host line with md5/scram-sha-256 for 127.0.0.1')
    name = 'connector_runner_%s' % uuid.uuid4().hex[:8]
    password = secrets.token_urlsafe(18)
    query('CREATE ROLE %s LOGIN PASSWORD %%s' % name, (password,))
    try:
        for grant in RUNNER_GRANTS:
            missing = [table for table in OPTIONAL_TABLES if table in grant
                       and query('SELECT to_regclass(%s) IS NULL', (table,))[0][0]]
            if not missing:
                query(grant.format(role=name))
        yield name, password
    finally:
        query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s',
              (name,))
        query('DROP OWNED BY %s' % name)
        query('DROP ROLE %s' % name)


@pytest.fixture(name='tcp_config')
def tcp_config_fixture(runner_role, tmp_path):
    """An Odoo configuration file like the tests', connecting over TCP as the role."""
    name, password = runner_role
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config_path())
    parser['options'].update({'db_host': '127.0.0.1', 'db_port': str(_server()[0]),
                              'db_user': name, 'db_password': password})
    path = str(tmp_path / 'odoo-tcp.cfg')
    with open(path, 'w') as handle:
        parser.write(handle)
    os.chmod(path, 0o600)
    return path


@pytest.fixture(name='clerk')
def clerk_fixture(tag):
    """A plain internal user (not the superuser: the ORM checks its rights)."""
    with ConnectorSessionHandler(db_name(), SUPERUSER_ID).session() as session:
        user = session.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Remote clerk %s' % tag, 'login': tag + '-clerk',
            'groups_id': [(6, 0, [session.env.ref('base.group_user').id])]})
        user_id, partner_id = user.id, user.partner_id.id
    yield user_id
    query('DELETE FROM queue_job WHERE user_id = %s', (user_id,))
    query('DELETE FROM res_users WHERE id = %s', (user_id,))
    query('DELETE FROM res_partner WHERE id = %s', (partner_id,))


def _sessions(role):
    """(client address, application name) of the role's open sessions."""
    return query('SELECT host(client_addr), application_name FROM pg_stat_activity '
                 'WHERE usename = %s ORDER BY 2', (role,))


def test_the_role_has_only_the_granted_rights(runner_role):
    """The role logs in over TCP with its password, its sessions are probed by TCP
    keepalives, and it can do what a runner does and no more."""
    role, password = runner_role
    cnx = psycopg2.connect(host='127.0.0.1', port=_server()[0], dbname=db_name(), user=role,
                           password=password, connect_timeout=5)
    try:
        with cnx.cursor() as cr:
            cr.execute("SELECT current_user, inet_client_addr()::text, "
                       "current_setting('tcp_keepalives_idle'), "
                       "current_setting('tcp_keepalives_count')")
            assert cr.fetchone() == (role, '127.0.0.1/32', '60', '3')
    finally:
        cnx.close()
    checks = {('queue_job', 'UPDATE'): True, ('queue_job', 'DELETE'): False,
              ('queue_job', 'INSERT'): False, ('res_users', 'UPDATE'): False,
              ('res_partner', 'INSERT'): False, ('ir_config_parameter', 'SELECT'): False,
              ('queue_job_worker', 'DELETE'): True}
    found = {key: query('SELECT has_table_privilege(%s, %s, %s)', (role,) + key)[0][0]
             for key in checks}
    assert found == checks
    assert query("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles "
                 "WHERE rolname = %s", (role,)) == [(False,)]


def test_a_runner_over_tcp_and_one_on_the_socket_share_the_queue(
        tag, workers, runner_role, tcp_config, clerk):
    """300 jobs (50 of a plain user), one runner on the Unix socket, one over TCP as
    the restricted role: every job done once, after one try, both runners ran jobs."""
    fast = ['--heartbeat-interval', '0.5', '--dead-after', '2']
    socket_worker = workers.start(tag + 'sock', *fast)
    tcp_worker = workers.start(tag + 'tcp', '-c', tcp_config, *fast)
    wanted = {'connector-jobrunner-listen', 'connector-jobrunner-upkeep',
              'connector-jobrunner-heartbeat'}
    wait_until(lambda: wanted <= {app for _a, app in _sessions(runner_role[0])}, 60,
               lambda: 'sessions: %s' % _sessions(runner_role[0]))
    assert {address for address, _app in _sessions(runner_role[0])} == {'127.0.0.1'}
    keys = ['%s-%03d' % (tag, i) for i in range(300)]
    delay_many(jobs.insert_row, [(key,) for key in keys[:250]])
    with ConnectorSessionHandler(db_name(), clerk).session() as session:
        for key in keys[250:]:
            jobs.insert_row.delay(session, ROW_MODEL, key)
    wait_until(lambda: job_states(tag).get('done') == 300, 90,
               lambda: 'jobs not all done: %s\n%s' % (
                   job_states(tag), workers.log(tcp_worker)))
    written = query('SELECT key, count(*) FROM test_queue_job_row WHERE key LIKE %s '
                    'GROUP BY key', (tag + '%',))
    assert sorted(key for key, _n in written) == keys
    assert all(count == 1 for _key, count in written), [w for w in written if w[1] != 1]
    assert query('SELECT retry, count(*) FROM queue_job WHERE args LIKE %s GROUP BY retry',
                 ('%' + tag + '%',)) == [(1, 300)]
    by_pid = {}
    for _key, pid, _s, _e in rows(tag):
        by_pid[pid] = by_pid.get(pid, 0) + 1
    assert set(by_pid) == {socket_worker.pid, tcp_worker.pid}, by_pid
    print('jobs run: %d on the Unix socket, %d over TCP' % (
        by_pid[socket_worker.pid], by_pid[tcp_worker.pid]))
    assert 'ERROR' not in workers.log(tcp_worker), workers.log(tcp_worker)


def test_a_runner_over_tcp_listens_beats_and_holds_its_name(
        tag, workers, runner_role, tcp_config, tmp_path):
    """Over TCP: a notification wakes it, each job starting long before its next
    upkeep would poll the queue; with a 3 s heartbeat, its heartbeat advances; its name
    is refused to a process on the Unix socket; killed with -9 and restarted over TCP,
    it takes its name back and runs its job again at once."""
    # A worker polls the queue at each upkeep (every --heartbeat-interval when
    # idle): with 60 s between them, a job that starts within 30 s of its commit was
    # woken by the notification. Each job is committed once the previous one ran, so
    # none is picked up by the loop iteration after the worker's first upkeep.
    listening = workers.start(tag + 'wake', '-c', tcp_config, '--heartbeat-interval', '60',
                              '--dead-after', '600')
    for number in range(3):
        delay(jobs.insert_row, '%s-wake-%d' % (tag, number))
        committed = time.time()  # just after the commit
        wait_until(lambda: len(rows(tag)) == number + 1, 60, 'job not run')
        latency = rows(tag)[-1][2] - committed
        assert latency < 30, 'job %d started %.2fs after its commit: polled, not woken ' \
            '(heartbeat interval 60 s)' % (number, latency)
    listening.send_signal(signal.SIGTERM)
    assert listening.wait(60) == 0, workers.log(listening)

    name = tag + 'tcp'
    slow = ['--heartbeat-interval', '3', '--dead-after', '60']
    worker = workers.start(name, '-c', tcp_config, *slow)
    beat = query('SELECT heartbeat FROM queue_job_worker WHERE name = %s', (name,))
    wait_until(lambda: query('SELECT heartbeat FROM queue_job_worker WHERE name = %s',
                             (name,)) != beat, 10, 'the heartbeat did not advance')

    holder = query("SELECT a.usename, host(a.client_addr) FROM pg_locks l "
                   "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                   "AND l.objsubid = 2 AND l.objid = hashtext(%s)::oid", (name,))
    assert holder == [(runner_role[0], '127.0.0.1')]
    done = subprocess.run(workers.command('--worker-name', name, *slow),
                          env=dict(os.environ, ODOO_RC=config_path()),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 2, done
    assert 'is used by a live worker (pid %d' % worker.pid in done.stderr.decode()

    gate = Gate(tmp_path)  # the job runs until released: killed mid-job
    job_uuid = delay(jobs.gated_insert, tag + '-long', gate.path)
    try:
        wait_until(lambda: gate.waiting() == [worker.pid], 30, lambda: 'job not at the gate: '
                   '%s' % query('SELECT state FROM queue_job WHERE uuid = %s', (job_uuid,)))
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        killed_at = time.time()
    finally:
        gate.release()
    again = workers.start(name, '-c', tcp_config, *slow, wait=False)
    wait_until(lambda: query('SELECT 1 FROM test_queue_job_row WHERE key = %s',
                             (tag + '-long',)), 60,
               lambda: 'job not run again: %s' % workers.log(again))
    started = query('SELECT started, pid FROM test_queue_job_row WHERE key = %s',
                    (tag + '-long',))[0]
    assert started[1] == again.pid
    # Requeued by the restarted worker at its start (its name's lock free), as its log
    # records; not by the other way back, which waits out --dead-after (60 s)
    with open(again.log_path) as handle:
        log = handle.read()
    assert ('job %s of worker %s was left started by a previous process of this name, '
            'which is gone (its database session ended): now pending' % (job_uuid, name)
            ) in log, log
    (since_registered,), = query(
        'SELECT extract(epoch FROM j.date_started - w.date_started) FROM queue_job j, '
        'queue_job_worker w WHERE j.uuid = %s AND w.name = %s', (job_uuid, name))
    print('over TCP: ran again %.2fs after the restarted worker registered (%.2fs after '
          'the kill)' % (since_registered, started[0] - killed_at))
