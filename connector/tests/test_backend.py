# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Backends in a real database: a lookup given Odoo's own objects.

The lookup rules (parents, versions, replacements, errors, the registry of
backends) are tested without a database in ``tests/unit/test_backend.py``,
and the gating by installed addons across two real databases in
``tests/integration/test_gating_across_databases.py``. What is left here
needs a real registry: the model given as a recordset, the session as a
real ``ConnectorSession``, the installed addons read from this database.
"""
from odoo.tests import common

from odoo.addons.connector.backend import Backend, backend_registry
from odoo.addons.connector.connector import ConnectorUnit
from odoo.addons.connector.exception import NoConnectorUnitError
from odoo.addons.connector.session import ConnectorSession


class Importer(ConnectorUnit):
    """A unit kind of these tests."""


class BankImporter(Importer):
    _model_name = ['res.bank', 'res.partner.bank']


class GhostBankImporter(Importer):
    """A unit of an addon that is not installed in the test database."""
    __module__ = 'odoo.addons.connector_ghost_addon.units'
    _model_name = 'res.bank'


class TestBackendLookupInADatabase(common.TransactionCase):

    def setUp(self):
        super().setUp()
        isolation = backend_registry.isolated()
        isolation.__enter__()
        self.addCleanup(isolation.__exit__, None, None, None)
        self.backend = Backend('shop')

    def test_lookup_with_a_session_and_a_recordset_in_a_real_database(self):
        """Given a ConnectorSession and the model as a recordset, the lookup finds the
        unit of connector (installed here) and ignores the ghost addon's (not installed)."""
        self.backend(BankImporter)
        self.backend(GhostBankImporter)
        session = ConnectorSession.from_env(self.env)
        self.assertIs(self.backend.get_class(Importer, session, self.env['res.bank']),
                      BankImporter)
        self.assertIs(self.backend.get_class(Importer, self.env, 'res.partner.bank'),
                      BankImporter)
        self.backend.unregister_class(BankImporter)
        with self.assertRaises(NoConnectorUnitError) as caught:
            self.backend.get_class(Importer, session, self.env['res.bank'])
        self.assertIn("in database %r" % self.env.cr.dbname, str(caught.exception))
