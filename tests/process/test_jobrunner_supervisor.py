# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end: a worker under a process supervisor keeps its name across restarts.

What systemd or supervisord does after an OOM kill: the worker is killed
with -9 mid-job and started again at once with the same ``--worker-name``.
It takes its name back (the dead process's database session, which held the
name's lock, is gone) and runs the job again at once, long before
``--dead-after``. A name held by a live worker is still refused; a name
held by a stopped (SIGSTOP) worker is taken after ``--dead-after``, as
before. The systemd unit and the supervisord program of the runner's manual
are checked for real: ``systemd-analyze verify``, and a real supervisord
(when installed) restarting a killed worker.
"""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from odoo.addons.test_queue_job import jobs

from support.jobrunner import Gate, db_name, delay, query, rows, wait_until

#: A long --dead-after: what these tests show must not wait for it.
SLOW_DEATH = ['--heartbeat-interval', '1', '--dead-after', '60']


def _job(job_uuid):
    return query('SELECT state, retry, worker_name FROM queue_job WHERE uuid = %s',
                 (job_uuid,))[0]


def _registered(workers, proc):
    """Wait until ``proc`` has registered its name (its pid in the worker's row)."""
    wait_until(lambda: proc.poll() is not None or query(
        'SELECT 1 FROM queue_job_worker WHERE name = %s AND pid = %s',
        (proc.worker_name, proc.pid)), 60,
        lambda: 'worker %s did not start: %s' % (proc.worker_name, workers.log(proc)))
    assert proc.poll() is None, 'worker %s exited with %s: %s' % (
        proc.worker_name, proc.returncode, workers.log(proc))
    return time.time()


def _claimed_after_registration(job_uuid, name):
    """Seconds from the (re)registration of worker ``name`` to the claim of the job's
    current try, on the database's clock (a figure to print: the verdict that the job
    did not wait for --dead-after is ``_assert_requeued_at_restart``)."""
    (seconds,), = query(
        'SELECT extract(epoch FROM j.date_started - w.date_started) FROM queue_job j, '
        'queue_job_worker w WHERE j.uuid = %s AND w.name = %s', (job_uuid, name))
    return seconds


def _assert_requeued_at_restart(log, job_uuid, name):
    """The restarted worker requeued the job itself, at its start (its name's lock
    free: the killed process's session is gone), as its log records: not the other
    way back, which waits until the killed worker is silent for --dead-after."""
    assert ('job %s of worker %s was left started by a previous process of this name, '
            'which is gone (its database session ended): now pending' % (job_uuid, name)
            ) in log, log


def test_a_worker_killed_and_restarted_with_its_name_runs_its_job_again_at_once(
        tag, workers, tmp_path):
    """kill -9 mid-job, restarted at once with the same name and --dead-after 60: it
    starts, and the job runs again at its first upkeep, long before --dead-after; one
    row, tried twice."""
    name = tag + 'w'
    first = workers.start(name, *SLOW_DEATH)
    gate = Gate(tmp_path)  # the job runs until released: killed mid-job
    job_uuid = delay(jobs.gated_insert, tag + '-long', gate.path)
    try:
        # killed once the job's body waits at the gate (its row locked by the job)
        wait_until(lambda: gate.waiting() == [first.pid], 30,
                   lambda: 'job not at the gate: %s' % (_job(job_uuid),))
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        killed_at = time.time()
    finally:
        gate.release()
    second = workers.start(name, *SLOW_DEATH, wait=False)
    ready_at = _registered(workers, second)
    wait_until(lambda: rows(tag), 60,
               lambda: 'job not run again: %s\n%s' % (_job(job_uuid), workers.log(second)))
    (key, pid, started, _ended), = rows(tag)
    assert pid == second.pid
    since_registered = _claimed_after_registration(job_uuid, name)
    print('kill -9 -> restarted worker registered: %.2fs; -> job running again: %.2fs '
          '(--dead-after 60; claimed %.2fs after the registration)'
          % (ready_at - killed_at, started - killed_at, since_registered))
    wait_until(lambda: _job(job_uuid)[0] == 'done', 20, lambda: str(_job(job_uuid)))
    assert _job(job_uuid)[1] == 2, 'tried twice: killed, then run again'
    log = workers.log(second)
    _assert_requeued_at_restart(log, job_uuid, name)
    assert 'is used by a live worker' not in log


def test_a_name_held_by_a_live_worker_is_refused(tag, workers):
    """A second process with the name of a running worker exits with status 2 and a
    message naming the live worker's pid; the running worker goes on."""
    name = tag + 'w'
    live = workers.start(name, *SLOW_DEATH)
    done = subprocess.run(workers.command('--worker-name', name, *SLOW_DEATH),
                          env=dict(os.environ, ODOO_RC=workers.command()[4]),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 2, done
    message = done.stderr.decode()
    assert ("worker name %r is used by a live worker (pid %d on %s) in database "
            % (name, live.pid, os.uname().nodename)) in message, message
    assert 'give each worker its own --worker-name' in message
    assert live.poll() is None
    job_uuid = delay(jobs.insert_row, tag + '-after')
    wait_until(lambda: _job(job_uuid)[0] == 'done', 20, 'the live worker stopped working')


def test_a_stopped_workers_name_is_taken_after_dead_after(tag, workers):
    """SIGSTOP: the worker's session (and its name's lock) stays open. Another process
    with its name is refused while the heartbeat is fresh, starts once it is older
    than --dead-after (with a warning naming the holding session), and takes the lock
    once the stopped process is killed."""
    name = tag + 'w'
    fast = ['--heartbeat-interval', '0.5', '--dead-after', '2']
    frozen = workers.start(name, *fast)
    os.killpg(frozen.pid, signal.SIGSTOP)
    try:
        # until its heartbeat, as the database sees it, is older than --dead-after
        wait_until(lambda: query(
            "SELECT 1 FROM queue_job_worker WHERE name = %s AND heartbeat < "
            "(now() at time zone 'utc') - interval '2 seconds'", (name,)), 60,
            'the stopped worker\'s heartbeat stays fresh')
        second = workers.start(name, *fast, wait=False)
        _registered(workers, second)
        log = workers.log(second)
        assert ('worker name %s is still held by the database session of backend pid'
                % name) in log, log
        assert 'silent for more than 2.0s' in log, log
    finally:
        os.killpg(frozen.pid, signal.SIGKILL)
    frozen.wait(10)
    wait_until(lambda: 'worker name %s: lock taken' % name in workers.log(second), 20,
               lambda: 'lock never taken: %s' % workers.log(second))
    job_uuid = delay(jobs.insert_row, tag + '-after')
    wait_until(lambda: _job(job_uuid)[0] == 'done', 20, 'the second worker does not work')


# ------------------------------------------------- the manual's units, for real

def _manual_block(first_line, last_line=None):
    """The literal block of the runner's manual from ``first_line`` to ``last_line``
    (or to the block's end), dedented."""
    from odoo.addons.connector.jobrunner import runner
    lines = runner.manual().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == first_line)
    block = []
    for line in lines[start:]:
        if line and not line.startswith('    '):
            break
        block.append(line[4:])
        if last_line is not None and line.strip() == last_line:
            break
    return '\n'.join(block).strip() + '\n'


def test_the_manuals_systemd_unit_is_valid(tmp_path, connector_repo, venv_python):
    """systemd-analyze accepts the manual's unit (the executable made this checkout's)
    and it restarts on failure, stops with SIGTERM and a long timeout, with a fixed name."""
    analyze = shutil.which('systemd-analyze')
    if not analyze:
        pytest.skip('systemd-analyze is not installed')
    unit = _manual_block('[Unit]', 'WantedBy=multi-user.target')
    for setting in ('Restart=on-failure', 'KillSignal=SIGTERM', 'TimeoutStopSec=600',
                    '--worker-name %H-%i'):
        assert setting in unit, unit
    path = tmp_path / 'connector-jobrunner@1.service'
    path.write_text(unit.replace('/opt/odoo/venv/bin/odoo-bin', '%s %s' % (
        venv_python, os.path.join(connector_repo, 'tools', 'odoo-bin'))).replace(
        'User=odoo', 'User=root'))
    done = subprocess.run([analyze, 'verify', str(path)], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, ''), done.stdout


def test_the_manuals_supervisord_program_restarts_a_killed_worker_at_once(
        tag, tmp_path, connector_repo, venv_python, odoo_config_path):
    """The manual's supervisord program, run by a real supervisord (on PATH, or
    $CONNECTOR_SUPERVISORD): both workers start; one killed with -9 mid-job is
    restarted under its name and runs the job again at once; supervisord's stop
    (SIGTERM) ends both with status 0."""
    supervisord = os.environ.get('CONNECTOR_SUPERVISORD') or shutil.which(
        'supervisord', path=os.path.dirname(sys.executable)) or shutil.which('supervisord')
    if not supervisord:
        pytest.skip('supervisord is not installed (set CONNECTOR_SUPERVISORD to run it)')
    program = _manual_block('[program:connector-jobrunner]')
    for setting in ('autorestart=true', 'stopsignal=TERM', 'stopwaitsecs=600',
                    '--worker-name %(host_node_name)s-%(process_num)d'):
        assert setting in program, program
    # This checkout instead of /opt/odoo, the test database, a tag in the names.
    program = program.replace(
        '/opt/odoo/venv/bin/odoo-bin', '%s %s' % (
            venv_python, os.path.join(connector_repo, 'tools', 'odoo-bin'))).replace(
        '/etc/odoo/odoo.cfg', odoo_config_path).replace('shop_db', db_name()).replace(
        '%(host_node_name)s', tag + '-%(host_node_name)s').replace(
        'user=odoo', 'environment=ODOO_RC="%s"' % odoo_config_path).replace(
        '/var/log/odoo', str(tmp_path))
    (tmp_path / 'supervisord.conf').write_text(
        '[supervisord]\nlogfile=%(dir)s/supervisord.log\npidfile=%(dir)s/supervisord.pid\n'
        'nodaemon=true\n\n%(program)s' % {'dir': tmp_path, 'program': program})
    names = ['%s-%s-%d' % (tag, os.uname().nodename, number) for number in (0, 1)]
    daemon = subprocess.Popen([supervisord, '-c', str(tmp_path / 'supervisord.conf')],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                              start_new_session=True)

    def pids():
        return dict(query('SELECT name, pid FROM queue_job_worker WHERE name IN %s',
                          (tuple(names),)))
    gate = Gate(tmp_path)  # the job runs until released: killed mid-job
    try:
        wait_until(lambda: len(pids()) == 2, 60, lambda: (tmp_path / 'supervisord.log')
                   .read_text())
        job_uuid = delay(jobs.gated_insert, tag + '-long', gate.path)
        wait_until(lambda: len(gate.waiting()) == 1, 30,
                   lambda: 'job not at the gate: %s' % (_job(job_uuid),))
        victim = _job(job_uuid)[2]
        old_pid = pids()[victim]
        assert gate.waiting() == [old_pid], 'the job runs in its worker\'s process'
        os.kill(old_pid, signal.SIGKILL)
        killed_at = time.time()
        gate.release()
        wait_until(lambda: pids().get(victim) not in (None, old_pid), 30,
                   lambda: (tmp_path / 'supervisord.log').read_text())
        wait_until(lambda: rows(tag), 60, lambda: 'job not run again: %s' % (_job(job_uuid),))
        (_key, _pid, started, _ended), = rows(tag)
        since_registered = _claimed_after_registration(job_uuid, victim)
        print('supervisord: kill -9 -> job running again after %.2fs (claimed %.2fs after '
              'the restarted worker registered)' % (started - killed_at, since_registered))
        # the program's log: both processes of that number write to it, in turn
        _assert_requeued_at_restart((tmp_path / ('connector-jobrunner-%s.log' % victim[-1]))
                                    .read_text(), job_uuid, victim)
        wait_until(lambda: _job(job_uuid)[0] == 'done', 20, lambda: str(_job(job_uuid)))
    finally:
        gate.release()
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(60)
    log = (tmp_path / 'supervisord.log').read_text()
    for number in (0, 1):
        assert "stopped: connector-jobrunner-%d (exit status 0)" % number in log, log
    assert pids() == {}, 'a worker stopped by SIGTERM removes its row'
