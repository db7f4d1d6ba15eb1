# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TestBackend(models.Model):
    """A backend of the test service."""

    _name = 'test.backend'
    _inherit = 'connector.backend'
    _description = 'Test Backend'
    _backend_type = 'test_connector'

    version = fields.Selection([('1.0', 'Test 1.0'), ('2.0', 'Test 2.0')], required=True)


class TestUntypedBackend(models.Model):
    """A backend model that forgot its _backend_type (for error tests)."""

    _name = 'test.untyped.backend'
    _inherit = 'connector.backend'
    _description = 'Test Backend without _backend_type'

    version = fields.Selection([('1.0', '1.0')], required=True)
