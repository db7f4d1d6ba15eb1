# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The local Odoo (the side with ``connector``) as an HTTP server, for webhooks.

``LocalOdoo(database, config)`` is a ``RemoteOdoo`` (same start/stop of a
real ``odoo-bin`` process group on a free port, ``--workers=0``: threaded)
that serves an existing database with a configuration file of this
repository (``var/odoo.cfg``, ``var/odoo-demo.cfg``: their addons path
holds the repository's addons), selected by ``--db-filter``, as a
production server behind a webhook URL would be. It never creates nor
drops its database: use ``start()`` and ``close()``, not ``with``.
"""
from .remote_odoo import RemoteOdoo


class LocalOdoo(RemoteOdoo):
    """An existing database with the connector addons, served over HTTP."""

    def __init__(self, database, config, log_level='info', **kwargs):
        super().__init__(database, **kwargs)
        self.config = config
        self.log_level = log_level

    def command(self):
        cmd = []
        for arg in super().command():
            if arg.startswith('--addons-path='):
                cmd += ['-c', self.config]
            elif arg.startswith('--log-level='):
                cmd.append('--log-level=%s' % self.log_level)
            else:
                cmd.append(arg)
        return cmd

    def create_database(self):
        raise AssertionError('LocalOdoo serves an existing database (%s): it never creates '
                             'it; use start() and close(), not a with block' % self.database)

    def close(self):
        """Stop the server and remove its data directory; the database stays."""
        self.databases = []
        super().close()
