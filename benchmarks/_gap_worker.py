# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``odoo-bin`` for ``bench_job_gap.py``: a real ``odoo-bin jobrunner`` that stamps its steps.

Started by ``bench_job_gap.py`` in place of ``tools/odoo-bin`` (same command
line). Before Odoo's command line runs, it wraps the worker's steps --
the claim, the registry check, the job's cursor, the row lock, the job
itself, the outcome, the commit, the cache signaling, the second release
of dependents, the cursor's close, the idle wait (and inside it the wake
delay's statement), the upkeep -- so that each call records (step, start,
end) on ``time.perf_counter()``; at exit (SIGTERM: the worker stops after
its job) the records are written as JSON to the file named by
``CONNECTOR_GAP_PROBE`` (``{pid}`` in that name: the worker's pid, one file
per worker). Nothing of the worker's logic is replaced: each wrapper calls
the real function and returns its result.
With ``CONNECTOR_GAP_PROFILE`` set, the worker also runs under cProfile and
writes its statistics there at exit (read with ``pstats``; its timings are
cProfile's, not comparable with a run without it).
"""
import atexit
import functools
import json
import os
import sys
import time

EVENTS = []


def _stamped(step, func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            EVENTS.append((step, start, time.perf_counter()))
    return wrapper


def _wrap(owner, name, step):
    setattr(owner, name, _stamped(step, getattr(owner, name)))


def install_probes():
    """Wrap the worker's steps (the tree's own modules, whichever tree is loaded)."""
    import odoo
    from odoo.modules.registry import Registry

    from odoo.addons.connector.jobrunner import database, execute, runner
    from odoo.addons.connector.queue import store
    _wrap(database.DatabaseQueue, 'claim', 'claim')
    _wrap(database.DatabaseQueue, 'refresh_registry', 'registry check')
    _wrap(runner.Runner, '_wait', 'idle wait')
    _wrap(runner.Runner, '_upkeep', 'upkeep')
    _wrap(database.DatabaseQueue, 'next_wake_delay', 'next wake delay')
    _wrap(Registry, 'cursor', 'job cursor open')
    try:  # a tree whose worker keeps its own job connection (jobrunner/job_connection.py)
        from odoo.addons.connector.jobrunner import job_connection
    except ImportError:
        pass
    else:
        _wrap(job_connection.JobConnection, 'cursor', 'job cursor open')
    _wrap(store.QueueStore, 'lock_started_job', 'lock row')
    if hasattr(store.QueueStore, 'claim_and_lock'):
        # a tree whose claim locks the row in the same round trip, inside 'claim'
        # (its 'lock row': from the message sent to the answer read)
        _wrap(store.QueueStore, 'claim_and_lock', 'lock row')
    _wrap(execute, 'perform_job', 'job (environment, run)')
    _wrap(store.QueueStore, 'record_outcome', 'outcome, release')
    _wrap(odoo.sql_db.Cursor, 'commit', 'commit')
    _wrap(execute, '_signal_changes', 'cache signaling')
    _wrap(execute, '_release_dependents', 'second release')
    _wrap(odoo.sql_db.Cursor, 'close', 'job cursor close')


def _stamp_collections():
    """Record each run of Python's garbage collector as a step 'gc' (it happens inside
    the other steps)."""
    import gc
    started = []

    def callback(phase, info):
        if phase == 'start':
            started.append(time.perf_counter())
        elif started:
            EVENTS.append(('gc', started.pop(), time.perf_counter()))
    gc.callbacks.append(callback)


def _dump(profiler=None):
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.environ['CONNECTOR_GAP_PROFILE'])
    # '{pid}' in the name: one file per worker, when several run
    with open(os.environ['CONNECTOR_GAP_PROBE'].format(pid=os.getpid()), 'w') as out:
        json.dump(EVENTS, out)


if __name__ == '__main__':
    rc_file = os.environ['ODOO_RC']
    import odoo
    odoo.tools.config.parse_config(['-c', rc_file])
    odoo.modules.module.initialize_sys_path()
    install_probes()
    _stamp_collections()
    profiler = None
    if os.environ.get('CONNECTOR_GAP_PROFILE'):
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    atexit.register(_dump, profiler)
    sys.argv = [sys.argv[0]] + sys.argv[1:]
    odoo.cli.main()
