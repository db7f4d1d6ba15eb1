# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.connector.connector import Binder

from ..backend import oscar


@oscar
class OscarBinder(Binder):
    """The framework's default binder, for every binding model of the shop connector."""
    _model_name = ['oscar.product.product', 'oscar.res.partner', 'oscar.sale.order',
                   'oscar.sale.order.line']
