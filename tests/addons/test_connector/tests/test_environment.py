# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Environments and units seen from a backend record."""
from odoo.addons.connector.backend import get_backend
from odoo.addons.connector.connector import Binder, ConnectorUnit, Environment
from odoo.addons.connector.exception import (BackendNotFound, ConnectorException,
                                             NoConnectorUnitError)

from ..backend import test_backend_v1, test_backend_v2
from ..units import GenericPartnerDescriber, PartnerDescriber, PartnerDescriberV2, TestBinder
from .common import TestBackendCase


class TestBackendRecord(TestBackendCase):

    def test_get_backend_follows_type_and_version(self):
        """get_backend() returns the Backend of the record's service and version."""
        self.assertIs(self.backend_v1.get_backend(), test_backend_v1)
        self.assertIs(self.backend_v2.get_backend(), test_backend_v2)
        self.assertIs(get_backend('test_connector', '2.0'), test_backend_v2)

    def test_version_without_backend_names_the_record(self):
        """A record whose version has no Backend gets an error naming the record."""
        self.env.cr.execute("UPDATE test_backend SET version = '9.9' WHERE id = %s",
                            (self.backend_v1.id,))
        self.backend_v1.invalidate_cache()
        with self.assertRaises(BackendNotFound) as caught:
            self.backend_v1.get_backend()
        self.assertEqual(
            str(caught.exception),
            "Backend record 'Shop One' (test.backend,%s): No backend registered for "
            "service 'test_connector' version '9.9' (known versions of 'test_connector': "
            "'1.0', '2.0', None). Install the addon that defines it, or choose one of the "
            "known versions." % self.backend_v1.id)

    def test_model_without_backend_type_is_explained(self):
        """A backend model without _backend_type says what to set."""
        untyped = self.env['test.untyped.backend'].create({'name': 'Bare', 'version': '1.0'})
        with self.assertRaises(ConnectorException) as caught:
            untyped.get_backend()
        self.assertEqual(
            str(caught.exception),
            "Model test.untyped.backend has no _backend_type: set it to the service name "
            "used by its Backend, e.g. _backend_type = 'test'.")


class TestEnvironment(TestBackendCase):

    def test_attributes(self):
        """An environment gives the backend, record, session, model and env."""
        connector_env = self.connector_env(self.backend_v1)
        self.assertIs(connector_env.backend, test_backend_v1)
        self.assertEqual(connector_env.backend_record, self.backend_v1)
        self.assertIs(connector_env.session, self.session)
        self.assertEqual(connector_env.model_name, 'test.res.partner')
        self.assertEqual(connector_env.model._name, 'test.res.partner')
        self.assertIs(connector_env.pool, self.env.registry)
        self.assertEqual(connector_env.env.uid, self.env.uid)
        self.assertIs(Environment, type(connector_env))

    def test_unit_from_parent_and_version(self):
        """Version 1.0 uses the parent's unit; version 2.0 its own."""
        unit_v1 = self.connector_env(self.backend_v1).get_connector_unit(PartnerDescriber)
        unit_v2 = self.connector_env(self.backend_v2).get_connector_unit(PartnerDescriber)
        self.assertIsInstance(unit_v1, GenericPartnerDescriber)
        self.assertEqual(unit_v1.describe(), 'generic')
        self.assertIsInstance(unit_v2, PartnerDescriberV2)
        self.assertEqual(unit_v2.describe(), 'version 2.0')

    def test_unit_attributes(self):
        """A unit exposes its environment's backend, record, session, env and model."""
        connector_env = self.connector_env(self.backend_v1)
        unit = connector_env.get_connector_unit(PartnerDescriber)
        self.assertIs(unit.connector_env, connector_env)
        self.assertIs(unit.environment, connector_env)
        self.assertIs(unit.backend, test_backend_v1)
        self.assertEqual(unit.backend_record, self.backend_v1)
        self.assertIs(unit.session, self.session)
        self.assertEqual(unit.model._name, 'test.res.partner')
        self.assertEqual(unit.env.uid, self.env.uid)

    def test_unit_for_another_model(self):
        """unit_for and binder_for build units for another model, same backend."""
        unit = self.connector_env(self.backend_v2, 'res.partner').get_connector_unit(
            PartnerDescriber)
        self.assertEqual(unit.model._name, 'res.partner')
        other = unit.unit_for(PartnerDescriber, model='test.res.partner')
        self.assertEqual(other.model._name, 'test.res.partner')
        self.assertEqual(other.backend_record, self.backend_v2)
        self.assertIsInstance(other, PartnerDescriberV2)
        by_model = unit.get_connector_unit_for_model(PartnerDescriber,
                                                     self.env['test.res.partner'])
        self.assertEqual(by_model.model._name, 'test.res.partner')
        binder = unit.binder_for('test.res.partner')
        self.assertIsInstance(binder, TestBinder)
        self.assertIsInstance(unit.get_binder_for_model('test.res.partner'), TestBinder)

    def test_binder_for_current_model(self):
        """binder_for() without a model gives the binder of the unit's model."""
        unit = self.connector_env(self.backend_v1).get_connector_unit(PartnerDescriber)
        self.assertIsInstance(unit.binder_for(), Binder)

    def test_no_unit_for_model(self):
        """Asking for a unit kind nobody registered raises NoConnectorUnitError."""
        class Exporter(ConnectorUnit):
            pass
        with self.assertRaises(NoConnectorUnitError) as caught:
            self.connector_env(self.backend_v1).get_connector_unit(Exporter)
        self.assertIn("No Exporter for model 'test.res.partner' on "
                      "Backend('test_connector', '1.0')", str(caught.exception))

    def test_set_lang_reaches_later_units(self):
        """set_lang changes the language that units created afterwards work in."""
        self.env['res.lang'].load_lang('fr_FR')
        connector_env = self.connector_env(self.backend_v1, 'res.partner')
        connector_env.set_lang('fr_FR')
        unit = connector_env.get_connector_unit(PartnerDescriber)
        self.assertEqual(unit.env.context['lang'], 'fr_FR')
        self.assertEqual(self.session.context['lang'], 'fr_FR')
