# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``make demo-shop``: a fresh shop-Odoo database, then the shop demo.

After ``setup`` (``.venv``, PostgreSQL, the base template): the shop
connector's Odoo (``shop_odoo``: the ``sale_stock`` wheels, ``var/odoo-shop.cfg``,
the template ``connector_tmpl_shop``, built once), then ``connector_oscar_demo``,
a copy of that template with ``connector`` and ``connector_oscar`` installed,
then ``tools/demo_shop.py`` on it: the shop (``.venv-oscar`` and its template
database are built by ``RemoteShop`` when missing), two job workers, the
round trip and its report. Ctrl-C stops what it started.
"""
import os
import signal
import subprocess
import time

from .oscar_env import ensure_oscar_venv
from .oscar_template import ensure_template as ensure_oscar_template
from .paths import LOG_DIR, REPO, VENV_PYTHON, rel
from .shell import DevError, say
from .shop_odoo import create_shop_db, ensure_shop_odoo

DEMO_SHOP_DB = 'connector_oscar_demo'
DEMO_SHOP_ADDONS = ('connector', 'connector_oscar')


def prepare(req_hash):
    """The shop Odoo and a fresh demo database; the configuration's path."""
    config = ensure_shop_odoo(req_hash)
    ensure_oscar_venv()
    ensure_oscar_template()
    t0 = time.time()
    log = os.path.join(LOG_DIR, 'demo-shop-install.log')
    say('\n== demo-shop: fresh database %s (sale_stock, %s)'
        % (DEMO_SHOP_DB, ', '.join(DEMO_SHOP_ADDONS)))
    create_shop_db(DEMO_SHOP_DB, addons=DEMO_SHOP_ADDONS, logfile=log)
    say('demo-shop: %s ready in %.0f s (log %s)' % (DEMO_SHOP_DB, time.time() - t0, rel(log)))
    return config


def run_shop_demo(req_hash):
    """Prepare, then run tools/demo_shop.py; DevError when it fails or the sides differ."""
    config = prepare(req_hash)
    cmd = [VENV_PYTHON, os.path.join(REPO, 'tools', 'demo_shop.py'), '-c', config,
           '-d', DEMO_SHOP_DB]
    say('\n== demo-shop: Odoo and a django-oscar shop, the round trip (tools/demo_shop.py)')
    say('$ ' + ' '.join(rel(c) if c.startswith(REPO) else c for c in cmd))
    proc = subprocess.Popen(cmd, cwd=REPO, stdin=subprocess.DEVNULL)
    try:
        rc = proc.wait()
    except BaseException:  # Ctrl-C, SIGTERM: let it stop its workers, server and shop
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise
    if rc != 0:
        raise DevError('demo-shop: tools/demo_shop.py exited with %s; logs: '
                       'var/log/demo-shop-*.log, var/log/oscar-*.log' % rc)
    say('\nthe demo database stays: serve it (http://localhost:8069, admin / admin) with\n'
        '  %s %s -c %s -d %s' % (rel(VENV_PYTHON), rel(os.path.join(REPO, 'tools', 'odoo-bin')),
                                 rel(config), DEMO_SHOP_DB))
