# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Throwaway databases copied from the template, for tests that run odoo-bin.

``tools/dev.py setup`` builds ``connector_tmpl_base`` (only ``base``, no demo
data); a copy (database and filestore) is an empty Odoo database in a second.
Names start with ``$CONNECTOR_TEST_DB_PREFIX`` (default ``connector_test_``),
so that two runs on one machine do not drop each other's databases::

    with TemplateCopies(odoo_config_path, 'i18n_') as databases:
        db = databases.create('pot')    # connector_test_i18n_pot
        ...                             # dropped on exit, filestore too
"""
import configparser
import os
import re
import shutil
import socket
import subprocess

TEMPLATE_DB = 'connector_tmpl_base'


def _psql(sql):
    subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', 'postgres', '-c', sql],
                   check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def free_port():
    """A TCP port free now, for the HTTP server of an odoo-bin run."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class TemplateCopies:
    """Copies of the template database, dropped (with their filestore) on exit."""

    def __init__(self, odoo_config_path, group):
        config = configparser.ConfigParser()
        config.read(odoo_config_path)
        self.data_dir = config.get('options', 'data_dir')
        self.prefix = (os.environ.get('CONNECTOR_TEST_DB_PREFIX') or 'connector_test_') + group
        self.names = []

    def __enter__(self):
        if not os.path.isdir(self.filestore(TEMPLATE_DB)):
            raise RuntimeError('template database %s missing: run the tests with `make test`'
                               % TEMPLATE_DB)
        return self

    def __exit__(self, *exc_info):
        for name in self.names:
            self.drop(name)

    def filestore(self, name):
        return os.path.join(self.data_dir, 'filestore', name)

    def create(self, suffix):
        """A new copy named prefix + group + suffix (an older one is dropped first)."""
        name = self.prefix + suffix
        if not re.match(r'^[a-z0-9_]+$', name):
            raise ValueError('unexpected database name %r' % name)
        self.drop(name)
        _psql('CREATE DATABASE "%s" TEMPLATE "%s"' % (name, TEMPLATE_DB))
        self.names.append(name)
        shutil.copytree(self.filestore(TEMPLATE_DB), self.filestore(name))
        return name

    def drop(self, name):
        _psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
        shutil.rmtree(self.filestore(name), ignore_errors=True)
