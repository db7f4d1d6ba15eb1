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

from devkit import pg
from devkit.paths import TEMPLATE_DB
from devkit.procs import free_port

__all__ = ['TemplateCopies', 'free_port']


class TemplateCopies:
    """Copies of the template database, dropped (with their filestore) on exit."""

    def __init__(self, odoo_config_path, group):
        config = configparser.ConfigParser()
        config.read(odoo_config_path)
        self.filestore = os.path.join(config.get('options', 'data_dir'), 'filestore')
        self.prefix = (os.environ.get('CONNECTOR_TEST_DB_PREFIX') or 'connector_test_') + group
        self.names = []

    def __enter__(self):
        if not os.path.isdir(os.path.join(self.filestore, TEMPLATE_DB)):
            raise RuntimeError('template database %s missing: run the tests with `make test`'
                               % TEMPLATE_DB)
        return self

    def __exit__(self, *exc_info):
        for name in self.names:
            self.drop(name)

    def create(self, suffix):
        """A new copy named prefix + group + suffix (an older one is dropped first)."""
        name = pg.copy_db(self.prefix + suffix, TEMPLATE_DB, self.filestore)
        self.names.append(name)
        return name

    def drop(self, name):
        pg.drop_db(name, self.filestore)
