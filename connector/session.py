# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sessions: the cursor, user and context a synchronization works with.

A ``ConnectorSession`` carries what the classic API passed around as
``cr, uid, context`` and gives the matching Odoo 11 ``env``. Its user and
context can be switched for the span of a ``with`` block.
``ConnectorSessionHandler`` opens a session on its own new cursor, for
code that runs outside of a request (a job worker, a script).
"""
from contextlib import contextmanager

import odoo
from odoo import api, models

from .installed import is_module_installed


class ConnectorSession(object):
    """The cursor, user id and context of a synchronization.

    >>> session = ConnectorSession(env.cr, env.uid, context={'lang': 'fr_FR'})
    >>> session.env['res.partner'].search_count([]) >= 0
    True
    >>> with session.change_context(tz='UTC'):
    ...     sorted(session.context)
    ['lang', 'tz']
    """

    def __init__(self, cr, uid, context=None):
        self.cr = cr
        self.uid = uid
        self._context = dict(context or {})
        self._env = None

    @classmethod
    def from_env(cls, env):
        """Session with the cursor, user and context of an Odoo environment."""
        return cls(env.cr, env.uid, context=dict(env.context))

    @property
    def context(self):
        return self._context

    @context.setter
    def context(self, value):
        self._context = dict(value or {})

    @property
    def env(self):
        """Odoo environment for the current cursor, user and context.

        The same object while they stay the same (Odoo would find it again,
        by walking every live environment: a tenth of a bulk ``delay()``).
        """
        env = self._env
        if env is None or env.cr is not self.cr or env.uid != self.uid \
                or env.context != self._context:
            env = self._env = api.Environment(self.cr, self.uid, self._context)
        return env

    @property
    def pool(self):
        """The database's model registry (the classic API's ``pool``)."""
        return self.env.registry

    @contextmanager
    def change_user(self, uid):
        """Work as another user (an id or a ``res.users`` record) in the block."""
        if isinstance(uid, models.BaseModel):
            uid = uid.id
        previous = self.uid
        self.uid = uid
        try:
            yield self
        finally:
            self.uid = previous

    @contextmanager
    def change_context(self, *args, **kwargs):
        """Work with the context updated by a dict and/or keywords in the block."""
        previous = self._context
        updated = dict(previous)
        updated.update(*args, **kwargs)
        self._context = updated
        try:
            yield self
        finally:
            self._context = previous

    def is_module_installed(self, module_name):
        return is_module_installed(self.env, module_name)

    def __repr__(self):
        return '<ConnectorSession db=%s uid=%s context=%r>' % (
            self.cr.dbname, self.uid, self._context)


class ConnectorSessionHandler(object):
    """Opens sessions on a new cursor of a database, outside of any request.

    The block runs in its own transaction, committed when it ends normally
    and rolled back when it raises::

        handler = ConnectorSessionHandler('shop_db', SUPERUSER_ID)
        with handler.session() as session:
            session.env['res.partner'].create({'name': 'Anne'})
    """

    def __init__(self, db_name, uid, context=None):
        self.db_name = db_name
        self.uid = uid
        self.context = dict(context or {})

    @contextmanager
    def session(self):
        registry = odoo.registry(self.db_name).check_signaling()
        with api.Environment.manage(), registry.cursor() as cr:
            yield ConnectorSession(cr, self.uid, context=self.context)
        registry.signal_changes()
