# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Connector units of the example service."""
from odoo.addons.connector.connector import Binder

from .backend import example


@example
class ExampleBinder(Binder):
    """The default binder serves every binding model of the example."""
    _model_name = ['example.res.partner']
