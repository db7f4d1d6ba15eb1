# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The seed API of the connector, importable from one place.

Each name lives in the module of its concept (``connector_unit``,
``environment``, ``binder``, ``installed``); this module gathers them under
the classic path ``odoo.addons.connector.connector``.
"""
from .binder import Binder
from .connector_unit import ConnectorUnit, MetaConnectorUnit
from .environment import ConnectorEnvironment, Environment
from .installed import get_odoo_module, install_in_connector, is_module_installed

__all__ = [
    'Binder', 'ConnectorEnvironment', 'ConnectorUnit', 'Environment',
    'MetaConnectorUnit', 'get_odoo_module', 'install_in_connector',
    'is_module_installed',
]
