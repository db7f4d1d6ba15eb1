# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TestSyncBackend(models.Model):
    """A backend whose remote system is the table test.sync.remote.partner."""

    _name = 'test.sync.backend'
    _inherit = 'connector.backend'
    _description = 'Synchronizer Test Backend'
    _backend_type = 'test_sync'

    version = fields.Selection([('1.0', '1.0')], required=True, default='1.0')
