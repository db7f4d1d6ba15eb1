# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``tools/dev.py oscar create|start|stop|drop``: the django-oscar shop by hand.

- ``create``: (re)create the shop's database (``--database``, default
  ``connector_oscar_shop``) from the template, dropping the old one;
- ``start``: start it (creating the database when missing) on ``--port``
  (default 8010), print its URL and credentials, and stay in the
  foreground until Ctrl-C; with ``--detach``, return and leave it running
  (``var/oscar/<database>.json`` keeps the process ids for ``stop``);
- ``stop``: stop a detached shop; ``drop``: stop it and drop its database.
"""
import json
import os
import signal
import time

from .paths import VAR, rel
from .remote_oscar import RemoteShop
from .shell import say

DEFAULT_DB = 'connector_oscar_shop'
DEFAULT_PORT = 8010


def _state_path(database):
    return os.path.join(VAR, 'oscar', '%s.json' % database)


def _stop_detached(database):
    path = _state_path(database)
    if not os.path.exists(path):
        say('oscar: no detached shop on %s (%s missing)' % (database, rel(path)))
        return
    with open(path) as fh:
        state = json.load(fh)
    for pid in state['pids']:
        try:
            os.killpg(pid, signal.SIGTERM)
        except OSError:
            continue
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                os.killpg(pid, 0)
            except OSError:
                break
            time.sleep(0.2)
        else:
            os.killpg(pid, signal.SIGKILL)
    os.remove(path)
    say('oscar: stopped the shop of %s' % database)


def cmd_oscar(opts):
    shop = RemoteShop(opts.database, port=opts.port)
    if opts.action == 'stop':
        _stop_detached(opts.database)
        return 0
    if opts.action == 'drop':
        _stop_detached(opts.database)
        shop.drop()
        say('oscar: dropped database %s' % opts.database)
        return 0
    if opts.action == 'create' or not shop.exists():
        shop.create()
        say('oscar: database %s created' % opts.database)
        if opts.action == 'create':
            return 0
    shop.start()
    say('oscar: shop on %s (database %s)\n  API: %s/api/  staff login %s / %s, API token %s\n'
        '  logs: %s, %s' % (shop.url, shop.database, shop.url, shop.staff_user,
                            shop.staff_password, shop.token, rel(shop.log_path),
                            rel(shop.sender_log_path)))
    if opts.detach:
        os.makedirs(os.path.dirname(_state_path(opts.database)), exist_ok=True)
        with open(_state_path(opts.database), 'w') as fh:
            json.dump({'url': shop.url, 'pids': [shop.server.pid, shop.sender.pid]}, fh)
        shop.server = shop.sender = None  # leave them running
        say('oscar: detached; stop it with: python3 tools/dev.py oscar stop')
        return 0
    say('oscar: Ctrl-C stops it (the database is kept)')
    try:
        shop.server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        shop.stop()
    return 0


def add_parser(sub):
    p = sub.add_parser('oscar', help='the django-oscar shop by hand: create, start '
                                     '[--detach], stop, drop')
    p.add_argument('action', choices=['create', 'start', 'stop', 'drop'])
    p.add_argument('--database', default=DEFAULT_DB)
    p.add_argument('--port', type=int, default=DEFAULT_PORT)
    p.add_argument('--detach', action='store_true', help='start: return, leave it running')
    return p
