# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Connector units: the pieces a connector is made of.

A unit (binder, mapper, importer, adapter...) is a class registered on a
``Backend`` for one or more models. Code never instantiates a unit class
by name: it asks its environment for "the Importer of this model", and
the backend answers with the class registered for that backend, version
and model, in an addon installed in the current database.
"""
from typing import Sequence, Union

from .exception import NoModelNameError
from .installed import get_odoo_module

#: What ``_model_name`` holds: a model name, a list of them, or None (not set)
ModelNames = Union[None, str, Sequence[str]]


class MetaConnectorUnit(type):
    """Metaclass of the units: remembers the addon of each class in ``_module``.

    Lookups compare ``_module`` with the addons installed in the current
    database, the way Odoo filters its model classes.
    """

    _model_name: ModelNames  # the attribute of the unit classes

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._module = get_odoo_module(cls)

    @property
    def model_name(cls):
        """The list of model names the unit class serves.

        :raise NoModelNameError: (a ``NotImplementedError``) when the class
            has no ``_model_name``
        """
        if cls._model_name is None:
            raise NoModelNameError(
                '%s.%s has no _model_name: set it to the model (or list of '
                'models) this unit serves.' % (cls.__module__, cls.__name__))
        if isinstance(cls._model_name, str):
            return [cls._model_name]
        return list(cls._model_name)


class ConnectorUnit(metaclass=MetaConnectorUnit):
    """Base class of every unit registered on a Backend.

    :param connector_env: the ``ConnectorEnvironment`` the unit works in:
        it gives the backend, the backend record, the session and the model
    """

    _model_name: ModelNames = None  # a model name or a list of model names

    def __init__(self, connector_env):
        self.connector_env = connector_env
        self.backend = connector_env.backend
        self.backend_record = connector_env.backend_record
        self.session = connector_env.session

    @property
    def environment(self):
        """The classic API's name for ``connector_env``."""
        return self.connector_env

    @property
    def env(self):
        """The Odoo environment of the session (follows user/context switches)."""
        return self.session.env

    @property
    def model(self):
        """The Odoo model the unit works on, in the current environment."""
        return self.env[self.connector_env.model_name]

    @classmethod
    def match(cls, session, model):
        """True when the class serves ``model`` (a model name or a model)."""
        model_name = model if isinstance(model, str) else model._name
        return model_name in cls.model_name

    def unit_for(self, connector_unit_class, model=None):
        """The unit of class ``connector_unit_class`` for ``model``.

        :param model: a model name or a model, when the unit is for another
            model than the current one; same backend record and session
        """
        connector_env = self.connector_env
        if model is not None:
            connector_env = connector_env.for_model(model)
        return connector_env.get_connector_unit(connector_unit_class)

    def binder_for(self, model=None):
        """The Binder of ``model`` (the current model by default)."""
        connector_env = self.connector_env
        if model is not None:
            connector_env = connector_env.for_model(model)
        return connector_env.get_binder()

    def get_connector_unit_for_model(self, connector_unit_class, model=None):
        """Long name of ``unit_for`` kept from the classic API."""
        return self.unit_for(connector_unit_class, model=model)

    def get_binder_for_model(self, model=None):
        """Long name of ``binder_for`` kept from the classic API."""
        return self.binder_for(model=model)
