# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The environment of a synchronization: backend record, session and model.

Units are always created from an environment, and create the units they
need from it, so that a whole synchronization shares one backend record
and one session.
"""
from .binder import Binder


class ConnectorEnvironment(object):
    """Backend record, session and model name that units work with.

    :param backend_record: a record of a model inheriting
        ``connector.backend``; its ``get_backend()`` gives ``backend``
    :param session: a ``ConnectorSession``
    :param model_name: the Odoo model the units of this environment serve
    """

    def __init__(self, backend_record, session, model_name):
        self.backend_record = backend_record
        self.backend = backend_record.get_backend()
        self.session = session
        self.model_name = model_name

    def __repr__(self):
        return '<ConnectorEnvironment %s %s,%s %s>' % (
            self.backend, self.backend_record._name, self.backend_record.id, self.model_name)

    @property
    def env(self):
        return self.session.env

    @property
    def pool(self):
        return self.session.pool

    @property
    def model(self):
        return self.env[self.model_name]

    def for_model(self, model):
        """An environment of the same kind for another model (a name or a model)."""
        model_name = model if isinstance(model, str) else model._name
        return self.__class__(self.backend_record, self.session, model_name)

    def get_connector_unit(self, base_class):
        """An instance of the unit of class ``base_class`` for this model.

        :raise NoConnectorUnitError: when none is registered
        :raise ManyConnectorUnitError: when several are
        """
        cls = self.backend.get_class(base_class, self.session, self.model_name)
        return cls(self)

    def get_binder(self):
        """The Binder of this model."""
        return self.get_connector_unit(Binder)

    def set_lang(self, code):
        """Work in language ``code`` from now on: it becomes the session's ``lang``."""
        self.session.context = dict(self.session.context, lang=code)


# The classic API's name.
Environment = ConnectorEnvironment
