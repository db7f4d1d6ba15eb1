# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Backends: registration, lookups through parents and versions, replacing."""
from odoo.tests import common

from odoo.addons.connector.backend import Backend, backend_registry, get_backend
from odoo.addons.connector.connector import ConnectorUnit
from odoo.addons.connector.exception import (BackendNotFound, ConnectorException,
                                             ManyConnectorUnitError, NoConnectorUnitError,
                                             NoModelNameError)


class Importer(ConnectorUnit):
    """A unit kind of these tests."""


class PartnerImporter(Importer):
    _model_name = 'res.partner'


class OtherPartnerImporter(Importer):
    _model_name = 'res.partner'


class PartnerImporterOverride(PartnerImporter):
    _model_name = 'res.partner'


class BankImporter(Importer):
    _model_name = ['res.bank', 'res.partner.bank']


class GhostPartnerImporter(PartnerImporter):
    """A unit of an addon that is not installed in the test database."""
    __module__ = 'odoo.addons.connector_ghost_addon.units'
    _model_name = 'res.partner'


class TestBackendLookups(common.TransactionCase):
    """Which unit class a backend returns for a model."""

    def setUp(self):
        super().setUp()
        isolation = backend_registry.isolated()
        isolation.__enter__()
        self.addCleanup(isolation.__exit__, None, None, None)
        self.parent = Backend('shop')
        self.v1 = Backend(parent=self.parent, version='1.0')
        self.v2 = Backend(parent=self.parent, version='2.0')

    def test_unit_registered_on_backend_is_found(self):
        """A class registered with the decorator is returned for its model."""
        self.parent(PartnerImporter)
        self.assertIs(self.parent.get_class(Importer, self.env, 'res.partner'), PartnerImporter)

    def test_lookup_falls_back_to_parent(self):
        """A version without its own unit uses its parent's one."""
        self.parent(PartnerImporter)
        self.assertIs(self.v1.get_class(Importer, self.env, 'res.partner'), PartnerImporter)

    def test_version_overrides_parent(self):
        """A version's own unit wins over its parent's; other versions keep the parent's."""
        self.parent(PartnerImporter)
        self.v2(PartnerImporterOverride)
        self.assertIs(self.v2.get_class(Importer, self.env, 'res.partner'),
                      PartnerImporterOverride)
        self.assertIs(self.v1.get_class(Importer, self.env, 'res.partner'), PartnerImporter)
        self.assertIs(self.parent.get_class(Importer, self.env, 'res.partner'), PartnerImporter)

    def test_lookup_accepts_a_model(self):
        """The model may be given as a model instead of a name."""
        self.parent(BankImporter)
        self.assertIs(self.parent.get_class(Importer, self.env, self.env['res.bank']),
                      BankImporter)
        self.assertIs(self.parent.get_class(Importer, self.env, 'res.partner.bank'),
                      BankImporter)

    def test_lookup_filters_by_unit_class(self):
        """Only subclasses of the class asked for are returned."""
        class Exporter(ConnectorUnit):
            pass
        self.parent(PartnerImporter)
        with self.assertRaises(NoConnectorUnitError):
            self.parent.get_class(Exporter, self.env, 'res.partner')

    def test_replacing_class_wins(self):
        """replacing= makes the new class answer instead of the old one."""
        self.parent(PartnerImporter)
        self.parent(replacing=PartnerImporter)(PartnerImporterOverride)
        self.assertIs(self.parent.get_class(Importer, self.env, 'res.partner'),
                      PartnerImporterOverride)

    def test_replacing_class_of_uninstalled_addon_is_ignored(self):
        """A replacement from an addon not installed here leaves the original in place."""
        self.parent(PartnerImporter)
        self.parent(replacing=PartnerImporter)(GhostPartnerImporter)
        self.assertIs(self.parent.get_class(Importer, self.env, 'res.partner'), PartnerImporter)

    def test_replacement_applies_only_to_its_models(self):
        """The replaced class still serves the models the replacement does not."""
        class PartnerAndBankImporter(Importer):
            _model_name = ['res.partner', 'res.bank']
        self.parent(PartnerAndBankImporter)
        self.parent(replacing=PartnerAndBankImporter)(PartnerImporterOverride)
        self.assertIs(self.parent.get_class(Importer, self.env, 'res.partner'),
                      PartnerImporterOverride)
        self.assertIs(self.parent.get_class(Importer, self.env, 'res.bank'),
                      PartnerAndBankImporter)

    def test_replacing_a_parent_class_leaves_the_parent_alone(self):
        """A version replacing its parent's class changes only the version's lookups."""
        self.parent(PartnerImporter)
        self.v2(replacing=PartnerImporter)(PartnerImporterOverride)
        self.assertIs(self.v2.get_class(Importer, self.env, 'res.partner'),
                      PartnerImporterOverride)
        self.assertIs(self.parent.get_class(Importer, self.env, 'res.partner'), PartnerImporter)

    def test_replacing_an_unregistered_class_is_refused(self):
        """replacing= a class the backend does not know names both classes and the backend."""
        with self.assertRaises(ConnectorException) as caught:
            self.v1(replacing=PartnerImporter)(PartnerImporterOverride)
        self.assertEqual(
            str(caught.exception),
            "PartnerImporterOverride cannot replace PartnerImporter on Backend('shop', '1.0'): "
            "PartnerImporter is not registered on that backend nor on its parents. "
            "Register it first, or replace a registered class.")

    def test_unit_of_uninstalled_addon_is_invisible(self):
        """A unit whose addon is not installed in this database is never returned."""
        self.parent(GhostPartnerImporter)
        self.assertEqual(GhostPartnerImporter._module, 'connector_ghost_addon')
        with self.assertRaises(NoConnectorUnitError):
            self.parent.get_class(Importer, self.env, 'res.partner')

    def test_no_unit_message_names_backend_model_and_class(self):
        """The error for a missing unit says where it looked and what to do."""
        with self.assertRaises(NoConnectorUnitError) as caught:
            self.v1.get_class(Importer, self.env, 'res.partner')
        self.assertEqual(
            str(caught.exception),
            "No Importer for model 'res.partner' on Backend('shop', '1.0') (searched "
            "Backend('shop', '1.0') -> Backend('shop')) in database %r. Hint: register a "
            "subclass of Importer with _model_name = 'res.partner' on the backend, and "
            "check that its addon is installed and calls install_in_connector()."
            % self.env.cr.dbname)

    def test_several_units_message_names_them(self):
        """Two classes for the same model and kind is an error naming both."""
        self.parent(PartnerImporter)
        self.parent(OtherPartnerImporter)
        with self.assertRaises(ManyConnectorUnitError) as caught:
            self.v1.get_class(Importer, self.env, 'res.partner')
        self.assertEqual(
            str(caught.exception),
            "Several Importer classes serve model 'res.partner' on Backend('shop', '1.0'): "
            "PartnerImporter (addon connector), OtherPartnerImporter (addon connector). "
            "Keep one, or register the newer one with replacing= the older one.")

    def test_unit_without_model_name_is_refused_at_registration(self):
        """Registering a class without _model_name names the class and the backend."""
        with self.assertRaises(NoModelNameError) as caught:
            self.parent(Importer)
        self.assertEqual(
            str(caught.exception),
            "Cannot register odoo.addons.connector.tests.test_backend.Importer on "
            "Backend('shop'): it has no _model_name. Set _model_name to the model "
            "(or list of models) it serves.")

    def test_registering_twice_is_harmless(self):
        """The same class registered twice is still found once."""
        self.parent(PartnerImporter)
        self.parent(PartnerImporter)
        self.assertIs(self.parent.get_class(Importer, self.env, 'res.partner'), PartnerImporter)

    def test_unregister_class(self):
        """unregister_class removes a class and its replacements' hook."""
        self.parent(PartnerImporter)
        self.parent.unregister_class(PartnerImporter)
        with self.assertRaises(NoConnectorUnitError):
            self.parent.get_class(Importer, self.env, 'res.partner')


class TestBackendRegistry(common.TransactionCase):
    """get_backend and the registry of backends."""

    def setUp(self):
        super().setUp()
        isolation = backend_registry.isolated()
        isolation.__enter__()
        self.addCleanup(isolation.__exit__, None, None, None)

    def test_get_backend_by_service_and_version(self):
        """get_backend finds a backend by service and version."""
        parent = Backend('market')
        version = Backend(parent=parent, version='3')
        self.assertIs(get_backend('market'), parent)
        self.assertIs(get_backend('market', '3'), version)
        self.assertEqual(version.service, 'market')

    def test_unknown_backend_lists_known_versions(self):
        """An unknown version gives an error listing the known ones."""
        parent = Backend('market')
        Backend(parent=parent, version='3')
        with self.assertRaises(BackendNotFound) as caught:
            get_backend('market', '4')
        self.assertEqual(
            str(caught.exception),
            "No backend registered for service 'market' version '4' (known versions of "
            "'market': '3', None). Install the addon that defines it, or choose one of "
            "the known versions.")

    def test_isolated_forgets_backends(self):
        """Backends registered inside isolated() are gone after it."""
        with backend_registry.isolated():
            Backend('ephemeral')
            self.assertEqual(get_backend('ephemeral').service, 'ephemeral')
        with self.assertRaises(BackendNotFound):
            get_backend('ephemeral')

    def test_same_service_and_version_twice_is_refused(self):
        """Two backends for one service and version would make lookups ambiguous."""
        Backend('market', '1')
        with self.assertRaises(ConnectorException) as caught:
            Backend('market', '1')
        self.assertIn("service 'market' version '1' is already registered", str(caught.exception))

    def test_backend_needs_service_or_parent(self):
        """A backend with neither a service nor a parent is refused."""
        with self.assertRaises(ConnectorException):
            Backend()

    def test_child_of_another_service_is_refused(self):
        """A child backend serves its parent's service."""
        parent = Backend('market')
        with self.assertRaises(ConnectorException):
            Backend('shop', '1', parent=parent)
