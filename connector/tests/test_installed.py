# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Addons taking part in the connector: install_in_connector and friends."""
from odoo.tests import common

from odoo.addons.connector.connector import (ConnectorUnit, MetaConnectorUnit, get_odoo_module,
                                             install_in_connector, is_module_installed)
from odoo.addons.connector.exception import ConnectorException, NoModelNameError
from odoo.addons.connector.session import ConnectorSession


class TestInstalled(common.TransactionCase):

    def test_connector_declares_its_installed_model(self):
        """The connector addon itself is plugged in: connector.installed exists."""
        self.assertIn('connector.installed', self.env.registry)
        self.assertTrue(is_module_installed(self.env, 'connector'))

    def test_addon_not_installed(self):
        """An addon without its .installed model in this database is not installed."""
        self.assertFalse(is_module_installed(self.env, 'connector_ghost_addon'))
        # base is installed, but never called install_in_connector()
        self.assertFalse(is_module_installed(self.env, 'base'))

    def test_is_module_installed_accepts_session_and_registry(self):
        """An env, a ConnectorSession or a registry can be given."""
        session = ConnectorSession.from_env(self.env)
        self.assertTrue(is_module_installed(session, 'connector'))
        self.assertTrue(is_module_installed(self.env.registry, 'connector'))
        self.assertTrue(session.is_module_installed('connector'))

    def test_code_outside_addons_is_not_gated(self):
        """None (code outside of an addon) counts as installed."""
        self.assertTrue(is_module_installed(self.env, None))

    def test_get_odoo_module(self):
        """The addon of a class or function comes from its module path."""
        self.assertEqual(get_odoo_module(TestInstalled), 'connector')
        self.assertEqual(get_odoo_module(is_module_installed), 'connector')

        class Legacy(object):
            __module__ = 'openerp.addons.magentoerpconnect.unit'
        self.assertEqual(get_odoo_module(Legacy), 'magentoerpconnect')

        class Script(object):
            __module__ = 'my_script'
        self.assertIsNone(get_odoo_module(Script))

    def test_install_in_connector_outside_an_addon_is_refused(self):
        """Calling install_in_connector() from a non-addon module names that module."""
        code = compile('install_in_connector()', '<script>', 'exec')
        with self.assertRaises(ConnectorException) as caught:
            # runs the call from a module named my_script  # pylint: disable-next=exec-used
            exec(code, {'__name__': 'my_script', 'install_in_connector': install_in_connector})
        self.assertIn("called from 'my_script', which is not an Odoo addon", str(caught.exception))

    def test_install_in_connector_twice_returns_the_same_model(self):
        """A second call from the same addon changes nothing."""
        first = exec_in_addon('connector')
        self.assertIs(first, exec_in_addon('connector'))
        self.assertEqual(first._name, 'connector.installed')


def exec_in_addon(addon):
    namespace = {'__name__': 'odoo.addons.%s' % addon,
                 'install_in_connector': install_in_connector}
    exec('result = install_in_connector()', namespace)  # pylint: disable=exec-used
    return namespace['result']


class TestMetaConnectorUnit(common.TransactionCase):

    def test_module_is_set_on_each_class(self):
        """_module is the addon of each class, not of its parent."""
        class Ghost(ConnectorUnit):
            __module__ = 'odoo.addons.connector_ghost_addon.units'
        self.assertEqual(ConnectorUnit._module, 'connector')
        self.assertEqual(Ghost._module, 'connector_ghost_addon')
        self.assertIsInstance(Ghost, MetaConnectorUnit)

    def test_model_name_is_a_list(self):
        """model_name gives a list for a single name or a list."""
        class One(ConnectorUnit):
            _model_name = 'res.partner'

        class Many(ConnectorUnit):
            _model_name = ('res.partner', 'res.users')
        self.assertEqual(One.model_name, ['res.partner'])
        self.assertEqual(Many.model_name, ['res.partner', 'res.users'])

    def test_model_name_missing_raises_not_implemented(self):
        """model_name without _model_name raises NotImplementedError naming the class."""
        class Nameless(ConnectorUnit):
            pass
        with self.assertRaises(NotImplementedError) as caught:
            Nameless.model_name
        self.assertIsInstance(caught.exception, NoModelNameError)
        self.assertIn('Nameless has no _model_name', str(caught.exception))

    def test_match_with_name_or_model(self):
        """match() accepts a model name or a model."""
        class PartnerUnit(ConnectorUnit):
            _model_name = 'res.partner'
        session = ConnectorSession.from_env(self.env)
        self.assertTrue(PartnerUnit.match(session, 'res.partner'))
        self.assertTrue(PartnerUnit.match(session, self.env['res.partner']))
        self.assertFalse(PartnerUnit.match(session, 'res.users'))
        self.assertFalse(PartnerUnit.match(session, self.env['res.users']))
