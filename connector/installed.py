# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which addons take part in the connector, database by database.

One Odoo server process serves several databases, each with its own set
of installed addons, while Python imports every addon's code once for the
whole process. So a unit class, an event consumer or a backend defined in
an addon exists in memory even for a database where that addon is not
installed, and the framework must ignore it there.

``install_in_connector()``, called once from an addon's ``__init__.py``,
declares an abstract model ``<addon>.installed``. Odoo loads that model
into a database's registry only where the addon is installed, which is
what ``is_module_installed()`` checks.
"""
import sys

from odoo import models

from .exception import ConnectorException

_ADDON_PREFIXES = ('odoo.addons.', 'openerp.addons.')

# addon name -> its ``<addon>.installed`` model class; makes a second call
# of install_in_connector() from the same addon harmless.
_installed_models = {}


def _addon_of_module(module_name):
    """Addon name for a Python module name, or None outside of an addon."""
    for prefix in _ADDON_PREFIXES:
        if module_name.startswith(prefix):
            return module_name[len(prefix):].split('.')[0]
    return None


def get_odoo_module(cls_or_func):
    """Name of the Odoo addon where a top-level class or function lives.

    Returns None for code outside of ``odoo.addons`` (a script, a pytest
    module): such code is not tied to an addon and is never filtered out.
    """
    return _addon_of_module(cls_or_func.__module__)


def is_module_installed(env, module_name):
    """True when ``module_name`` takes part in the connector in this database.

    :param env: an Odoo ``Environment`` (a ``ConnectorSession`` or a
        registry are accepted too)
    :param module_name: an addon name; ``None`` (code outside of an addon)
        is always installed
    """
    if module_name is None:
        return True
    registry = getattr(env, 'registry', None) or getattr(env, 'pool', None) or env
    return '%s.installed' % module_name in registry


def install_in_connector():
    """Plug the calling addon into the connector framework.

    Call it once, at import time, from the addon's ``__init__.py``::

        from odoo.addons.connector.connector import install_in_connector
        install_in_connector()

    Units, consumers and backends of the addon are then used only in the
    databases where the addon is installed.
    """
    caller_module = sys._getframe(1).f_globals.get('__name__', '')
    addon = _addon_of_module(caller_module)
    if addon is None:
        raise ConnectorException(
            "install_in_connector() was called from %r, which is not an "
            "Odoo addon: call it from the __init__.py of your addon "
            "(odoo.addons.<addon>)." % caller_module)
    if addon in _installed_models:
        return _installed_models[addon]
    model_class = type(models.AbstractModel)('ConnectorInstalled', (models.AbstractModel,), {
        '_name': '%s.installed' % addon,
        '_description': 'Marks the addon %s as installed for the connector' % addon,
        '__module__': 'odoo.addons.%s' % addon,
    })
    _installed_models[addon] = model_class
    return model_class
