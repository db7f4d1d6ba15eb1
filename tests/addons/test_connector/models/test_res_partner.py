# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TestResPartner(models.Model):
    """A binding of res.partner on the test backend, following the convention."""

    _name = 'test.res.partner'
    _inherit = 'external.binding'
    _inherits = {'res.partner': 'openerp_id'}
    _description = 'Test Partner Binding'

    openerp_id = fields.Many2one('res.partner', required=True, ondelete='cascade')
    backend_id = fields.Many2one('test.backend', required=True, ondelete='restrict')
    external_id = fields.Char()
