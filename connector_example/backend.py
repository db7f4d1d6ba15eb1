# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The example service: another Odoo database reached over XML-RPC."""
from odoo.addons.connector.backend import Backend

example = Backend('example')
example_odoo11 = Backend(parent=example, version='11.0')
