# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``make demo``: a fresh ``connector_demo`` database, then the sync demo.

The database is a copy of the template with ``connector`` and
``connector_example`` installed (with demo data, config
``var/odoo-demo.cfg``: no test addons); then ``tools/demo_sync.py`` runs a
two-way sync with a real remote Odoo through two job workers and prints
its report (``--no-sync`` skips it). The web client it tells the user to
open needs ``lessc`` for its styles: installed into ``.node/`` when missing,
as for the browser tests (``browser_env.ensure_lessc``), and put on the
PATH of the server command it prints.
"""
import os
import signal
import subprocess
import time

from . import browser_env, pg
from .odoo_run import install_addons
from .paths import (DEMO_ADDONS, DEMO_CONFIG, DEMO_DB, LOG_DIR, ODOO_BIN, REPO, TEMPLATE_DB,
                    VENV_PYTHON, rel)
from .shell import DevError, say
from .template import create_db_from_template


def install_demo_addons():
    create_db_from_template(DEMO_DB)
    install_addons(DEMO_CONFIG, DEMO_DB, DEMO_ADDONS, os.path.join(LOG_DIR, 'demo.log'))
    states = pg.module_states(DEMO_DB, DEMO_ADDONS)
    bad = [a for a in DEMO_ADDONS if states.get(a, ('missing',))[0] != 'installed']
    if bad:
        raise DevError('demo: not installed in %s: %s (states %r)' % (DEMO_DB, bad, states))
    return states


def run_demo_sync():
    """Run tools/demo_sync.py: a remote Odoo, an import through the job runner, a change
    on each side, a report. It stops what it starts, also when interrupted."""
    cmd = [VENV_PYTHON, os.path.join(REPO, 'tools', 'demo_sync.py'), '-c', DEMO_CONFIG,
           '-d', DEMO_DB]
    say('\n== demo: two-way partner sync with a remote Odoo (tools/demo_sync.py)')
    say('$ ' + ' '.join(rel(c) if c.startswith(REPO) else c for c in cmd))
    proc = subprocess.Popen(cmd, cwd=REPO, stdin=subprocess.DEVNULL)
    try:
        rc = proc.wait()
    except BaseException:  # Ctrl-C, SIGTERM: let it stop its workers and remote
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise
    if rc != 0:
        raise DevError('demo: tools/demo_sync.py failed (exit %s); logs: var/log/demo-remote.log, '
                       'var/log/demo-worker-*.log' % rc)


def ensure_web_styles():
    """The directory of lessc (the web client's styles), or None when it cannot be had."""
    try:
        return browser_env.ensure_lessc(os.path.join(LOG_DIR, 'lessc-setup.log'))
    except (browser_env.SetupError, OSError) as err:
        say('demo: lessc could not be installed, the web client will be unstyled: %s' % err)
        return None


def report(states, seconds, lessc_dir=None):
    say('\n== demo ready (%.0f s)' % seconds)
    say('database: %s (fresh copy of %s)' % (DEMO_DB, TEMPLATE_DB))
    for name in DEMO_ADDONS:
        say('addon:    %-18s version %s, state %s' % (name, states[name][1], states[name][0]))
    say('config:   %s (no test addons on its addons_path)' % DEMO_CONFIG)
    say('log:      %s' % os.path.join(LOG_DIR, 'demo.log'))
    say('start the server on it (http://localhost:8069, login admin / admin):')
    path = 'PATH=%s:$PATH ' % rel(lessc_dir) if lessc_dir else ''
    say('  %s%s %s -c %s -d %s' % (path, rel(VENV_PYTHON), rel(ODOO_BIN), rel(DEMO_CONFIG),
                                   DEMO_DB))
    if not lessc_dir:
        say('(unstyled: the web client styles need lessc, see var/log/lessc-setup.log)')


def run_demo(sync=True):
    t0 = time.time()
    say('\n== demo: fresh database %s with %s' % (DEMO_DB, ', '.join(DEMO_ADDONS)))
    states = install_demo_addons()
    lessc_dir = ensure_web_styles()
    if sync:
        run_demo_sync()
    report(states, time.time() - t0, lessc_dir)
