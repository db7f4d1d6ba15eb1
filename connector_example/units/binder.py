# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.connector.connector import Binder

from ..backend import example


@example
class ExampleBinder(Binder):
    """The framework's default binder, for every binding model of the example."""
    _model_name = ['example.res.partner']
