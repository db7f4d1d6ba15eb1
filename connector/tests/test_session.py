# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""ConnectorSession: cursor, user and context, switched and restored."""
from odoo import SUPERUSER_ID
from odoo.tests import common

from odoo.addons.connector import session as session_module
from odoo.addons.connector.session import ConnectorSession

from .doctests import assert_doctests_pass


class TestConnectorSession(common.TransactionCase):

    def setUp(self):
        super().setUp()
        self.session = ConnectorSession(self.env.cr, SUPERUSER_ID, context={'lang': 'en_US'})
        self.demo_user = self.env['res.users'].create({
            'name': 'Sync Clerk', 'login': 'sync_clerk@example.com'})

    def test_env_has_cursor_user_and_context(self):
        """env is built from the session's cr, uid and context."""
        env = self.session.env
        self.assertIs(env.cr, self.env.cr)
        self.assertEqual(env.uid, SUPERUSER_ID)
        self.assertEqual(env.context.get('lang'), 'en_US')
        self.assertIs(self.session.pool, self.env.registry)
        self.assertIn('res.partner', self.session.pool)

    def test_from_env(self):
        """from_env copies the cursor, user and context of an environment."""
        env = self.env(user=self.demo_user.id, context={'tz': 'Europe/Brussels'})
        session = ConnectorSession.from_env(env)
        self.assertEqual((session.cr, session.uid, session.context),
                         (env.cr, self.demo_user.id, {'tz': 'Europe/Brussels'}))

    def test_change_user_switches_and_restores(self):
        """change_user works as another user in the block, then restores."""
        with self.session.change_user(self.demo_user.id) as session:
            self.assertIs(session, self.session)
            self.assertEqual(self.session.env.uid, self.demo_user.id)
            self.assertEqual(self.session.env.user, self.demo_user)
        self.assertEqual(self.session.uid, SUPERUSER_ID)

    def test_change_user_accepts_a_record(self):
        """A res.users record works as well as an id."""
        with self.session.change_user(self.demo_user):
            self.assertEqual(self.session.uid, self.demo_user.id)

    def test_change_user_restores_on_exception(self):
        """The user is restored even when the block raises."""
        with self.assertRaises(ZeroDivisionError):
            with self.session.change_user(self.demo_user.id):
                1 / 0
        self.assertEqual(self.session.uid, SUPERUSER_ID)

    def test_change_context_updates_and_restores(self):
        """change_context merges a dict and keywords, then restores the old context."""
        with self.session.change_context({'tz': 'UTC'}, active_test=False):
            self.assertEqual(self.session.context,
                             {'lang': 'en_US', 'tz': 'UTC', 'active_test': False})
            self.assertEqual(self.session.env.context.get('tz'), 'UTC')
        self.assertEqual(self.session.context, {'lang': 'en_US'})

    def test_change_context_restores_on_exception(self):
        """The context is restored even when the block raises."""
        with self.assertRaises(KeyError):
            with self.session.change_context(lang='fr_FR'):
                {}['missing']
        self.assertEqual(self.session.context, {'lang': 'en_US'})

    def test_context_given_is_not_shared(self):
        """The session copies the context it is given."""
        context = {'lang': 'en_US'}
        session = ConnectorSession(self.env.cr, SUPERUSER_ID, context=context)
        with session.change_context(tz='UTC'):
            pass
        session.context = dict(session.context, lang='fr_FR')
        self.assertEqual(context, {'lang': 'en_US'})

    def test_docstring_examples(self):
        """The usage examples in the session module's docstrings run as written, with a real env."""
        assert_doctests_pass(session_module, extraglobs={'env': self.env})
