# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One ``odoo-bin`` run with its log file, and installing addons into a database.

Every Odoo (and pytest) process the commands start is remembered in
``RUNNING``; ``kill_running()`` kills them all (on Ctrl-C, SIGTERM or at
exit), and after ``STOPPING`` is set no new Odoo run starts.
"""
import os
import subprocess
import threading

from . import pg, procs
from .paths import ODOO_BIN, REPO, VENV_PYTHON, rel
from .shell import DevError, tail
from .testlog import parse_test_log

ODOO_RUN_TIMEOUT = 30 * 60  # seconds; a hung Odoo run is killed and fails
RUNNING = set()  # Popen objects of Odoo/pytest processes, killed on exit
STOPPING = threading.Event()  # set on interrupt: start no more Odoo runs


def kill_running():
    for proc in list(RUNNING):
        procs.kill(proc)


def wait_tracked(proc, timeout=None, on_interrupt=procs.kill):
    """Wait for ``proc`` (in its own process group); ``on_interrupt(proc)`` if this
    wait is interrupted (Ctrl-C, SIGTERM), so that it never outlives the command."""
    RUNNING.add(proc)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        raise
    except BaseException:
        on_interrupt(proc)
        raise
    finally:
        RUNNING.discard(proc)


def run_odoo(config, args, logfile, timeout=ODOO_RUN_TIMEOUT):
    """Run tools/odoo-bin; Odoo logs to logfile, stdout/stderr to logfile.console.

    Returns the exit code (-9 and a note in the console file on timeout).
    """
    for path in (logfile, logfile + '.console'):
        if os.path.exists(path):
            os.remove(path)
    cmd = [VENV_PYTHON, ODOO_BIN, '-c', config, '--logfile=%s' % logfile,
           '--http-port=%d' % procs.free_port(), '--max-cron-threads=0'] + args
    with open(logfile + '.console', 'w') as out:
        out.write('$ %s\n' % ' '.join(cmd))
        out.flush()
        if STOPPING.is_set():
            return -9
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=REPO, start_new_session=True)
        if STOPPING.is_set():
            procs.kill(proc)
        try:
            return wait_tracked(proc, timeout)
        except subprocess.TimeoutExpired:
            procs.kill(proc)
            out.write('\n[tools/dev.py] killed after %d s\n' % timeout)
            return -9


def install_addons(config, db, addons, logfile, test_enable=False):
    """Install addons (with demo data) into db; DevError on any problem."""
    args = ['-d', db, '-i', ','.join(addons), '--stop-after-init']
    if test_enable:
        args += ['--test-enable', '--log-level=test']
    rc = run_odoo(config, args, logfile)
    parsed = parse_test_log(logfile)
    states = pg.module_states(db, addons)
    bad = [a for a in addons if states.get(a, ('missing',))[0] != 'installed']
    if rc != 0 or parsed['problems'] or bad:
        raise DevError(
            'installing %s into %s failed (exit %s; not installed: %s); log: %s\n%s\n%s'
            % (','.join(addons), db, rc, ', '.join(bad) or '-', rel(logfile),
               '\n'.join(parsed['problems'][:20]),
               tail(logfile + '.console', 10) if rc != 0 else ''))
    return states
