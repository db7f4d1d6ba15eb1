# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``odoo-bin jobrunner``: start one job worker (manual: ``jobrunner/MANUAL.rst``)."""
import argparse
import logging
import sys

import odoo
from odoo.cli import Command

from ..jobrunner import runner
from ..jobrunner.database import WorkerConfig, WorkerStartError
from ..jobrunner.runner import Runner, default_worker_name
from ..queue.channels import ChannelConfigError, parse_channel_config

_logger = logging.getLogger(__name__)


def _number(name, value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1
    if number <= 0:
        raise ChannelConfigError('%s %r: give a number of seconds greater than 0'
                                 % (name, value))
    return number


def build_config(args):
    """Parse the command line (ours, then Odoo's options); a WorkerConfig or an error."""
    parser = argparse.ArgumentParser(
        prog='odoo-bin jobrunner', add_help=False,
        description='Run connector jobs of one or more databases (-d db1,db2).')
    parser.add_argument('--channels', help='e.g. root:4,root.export:1,root.orders:1:sequential,'
                                           'root.shop:2:rate=5/s:burst=3')
    parser.add_argument('--worker-name', '--workers-name', dest='worker_name')
    parser.add_argument('--heartbeat-interval', dest='heartbeat_interval')
    parser.add_argument('--dead-after', dest='dead_after')
    parser.add_argument('--metrics-port', dest='metrics_port')
    parser.add_argument('--metrics-host', dest='metrics_host')
    ours, rest = parser.parse_known_args(args)
    odoo.tools.config.parse_config(rest)
    config = odoo.tools.config

    def setting(name, default=None):
        value = getattr(ours, name)
        return value if value is not None else config.get('jobrunner_' + name, default)

    databases = [db.strip() for db in (config['db_name'] or '').split(',') if db.strip()]
    if not databases:
        raise ChannelConfigError('no database: give one or more with -d db1[,db2]')
    heartbeat = _number('heartbeat interval', setting('heartbeat_interval', 10))
    dead_after = _number('dead-after', setting('dead_after', 60))
    if dead_after < 2 * heartbeat:
        raise ChannelConfigError(
            'dead-after %ss is less than twice the heartbeat interval %ss: a live worker '
            'would look dead; raise --dead-after' % (dead_after, heartbeat))
    metrics_port = setting('metrics_port', 0)
    try:
        metrics_port = int(metrics_port)
        if not 0 <= metrics_port <= 65535:
            raise ValueError
    except (TypeError, ValueError):
        raise ChannelConfigError('metrics port %r: give a TCP port number (0: no metrics)'
                                 % (metrics_port,)) from None
    try:
        channels = parse_channel_config(setting('channels', ''))
    except ChannelConfigError as err:
        raise ChannelConfigError('%s: %s' % (
            '--channels' if ours.channels is not None
            else 'jobrunner_channels (configuration file)', err)) from err
    return WorkerConfig(
        databases=databases,
        worker_name=setting('worker_name') or default_worker_name(),
        channels=channels,
        heartbeat_interval=heartbeat,
        dead_after=dead_after,
        metrics_port=metrics_port,
        metrics_host=setting('metrics_host', '127.0.0.1'),
        channels_text=setting('channels', '') or '',
    )


class Jobrunner(Command):
    """Run connector jobs: odoo-bin jobrunner -c odoo.cfg -d DB [--channels ...]"""

    def run(self, args):
        if '-h' in args or '--help' in args:
            print(runner.manual())  # pylint: disable=print-used
            sys.exit(0)
        try:
            config = build_config(args)
        except ChannelConfigError as err:
            sys.stderr.write('odoo-bin jobrunner: %s\n' % err)
            sys.exit(2)
        try:
            sys.exit(Runner(config).run())
        except WorkerStartError as err:
            sys.stderr.write('odoo-bin jobrunner: %s\n' % err)
            sys.exit(2)
