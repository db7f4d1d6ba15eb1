# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A busy machine on demand: ``tools/dev.py test --under-load`` runs the suite
beside processes that burn CPU, one per core by default.

The suite must pass when the machine is shared: its tests wait on conditions
and judge by database rows, counters and recorded timestamps. This is how
that claim is checked, by a load this run makes and stops itself.
"""
import contextlib
import os
import subprocess
import sys

from . import procs
from .shell import say

#: What each burner runs: a busy loop, nothing else (no I/O, no memory).
BURN = 'while True: pass'


@contextlib.contextmanager
def cpu_load(burners):
    """Run ``burners`` CPU-burning processes (0: none) for the span of the block."""
    started = [subprocess.Popen([sys.executable, '-c', BURN], stdin=subprocess.DEVNULL,
                                start_new_session=True) for _ in range(burners)]
    if started:
        say('load: %d CPU-burning processes (pids %s) for the whole run'
            % (len(started), ' '.join(str(p.pid) for p in started)))
    try:
        yield
    finally:
        for proc in started:
            procs.kill(proc)
        if started:
            say('load: stopped; load average at the end %.1f' % os.getloadavg()[0])


def default_burners():
    """One burner per core."""
    return os.cpu_count() or 1
