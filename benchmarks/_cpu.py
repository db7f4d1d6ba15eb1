# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""CPU time of one worker process and of its PostgreSQL sessions, for ``bench_job_gap.py``.

On a shared 2-core machine wall time per job moves with the load; CPU time
per job barely does. The kernel's ``/proc/PID/task/TID/schedstat`` gives
each thread's time on a CPU in nanoseconds (``/proc/PID/stat``'s
utime+stime has a 10 ms resolution): summed over the worker's threads (the
loop, the heartbeat) and over the PostgreSQL backends that serve it, found
in ``pg_stat_activity`` by their ``application_name`` -- the worker's own
connections name their purpose (``connector-jobrunner-upkeep``...), and the
worker is started with ``PGAPPNAME`` (``WORKER_APP``) so that libpq names
the connections of Odoo's pool (the job's) too. PostgreSQL's background
processes (WAL writer, checkpointer, autovacuum...) are summed apart: the
commits of every session feed them. The backends must run on this machine
(a Unix socket or localhost).
"""
import glob
import os

import odoo

#: ``PGAPPNAME`` of the benchmarked worker: the application name of the
#: connections libpq opens for it without one (Odoo's pool: the job's cursor).
WORKER_APP = 'bench-worker-odoo'

#: The worker's sessions by application name: what each serves.
SESSION_ROLES = {
    'connector-jobrunner-upkeep': 'upkeep connection',
    'connector-jobrunner-claim': 'claim connection',  # a tree before claim and lock
    'connector-jobrunner-listen': 'listen connection',
    'connector-jobrunner-heartbeat': 'heartbeat connection',
    'connector-jobrunner-job': "job's connection",
    WORKER_APP: "job's connection",  # Odoo's pool, before the worker kept its own
}


def task_cpu_ns(pid):
    """Nanoseconds on a CPU of every thread of process ``pid`` (0 when it is gone)."""
    total = 0
    for path in glob.glob('/proc/%d/task/*/schedstat' % pid):
        try:
            with open(path) as handle:
                total += int(handle.read().split()[0])
        except (OSError, ValueError, IndexError):  # the thread ended meanwhile
            continue
    return total


def snapshot(db_name, worker_pid):
    """``{part: ns}``: CPU so far of the worker's process, of each of its sessions' roles,
    and of PostgreSQL's background processes."""
    with odoo.sql_db.db_connect('postgres').cursor() as cr:
        cr.execute("SELECT pid, application_name, backend_type FROM pg_stat_activity "
                   "WHERE datname = %s OR backend_type <> 'client backend'", (db_name,))
        sessions = cr.fetchall()
    parts = {'worker process (Python)': task_cpu_ns(worker_pid)}
    for pid, app, backend_type in sessions:
        if backend_type != 'client backend':
            role = 'PostgreSQL background processes'
        elif app in SESSION_ROLES:
            role = 'backend: ' + SESSION_ROLES[app]
        else:
            continue  # the benchmark's own sessions
        parts[role] = parts.get(role, 0) + task_cpu_ns(pid)
    return parts


def per_job(before, after, jobs):
    """``{part: ms per job}`` between two snapshots (a session opened meanwhile counts
    from 0: the worker opens its job's connection once, at its first job)."""
    return {part: (after[part] - before.get(part, 0)) / 1e6 / jobs for part in after}


def worker_env():
    """The environment a benchmarked worker is started with (``WORKER_APP``)."""
    return dict(os.environ, PGAPPNAME=WORKER_APP)
