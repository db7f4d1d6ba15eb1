# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.connector.queue.job import job


class TestSyncPartner(models.Model):
    """Binding of a partner to a remote partner of a test.sync.backend."""

    _name = 'test.sync.partner'
    _inherit = 'external.binding'
    _inherits = {'res.partner': 'openerp_id'}
    _description = 'Synchronizer Test Partner Binding'

    openerp_id = fields.Many2one('res.partner', required=True, ondelete='cascade')
    backend_id = fields.Many2one('test.sync.backend', required=True, ondelete='restrict')
    external_id = fields.Char()

    @job
    @api.multi
    def mark_reviewed(self):
        """A job method on bindings: a connector's own job, delayed with with_delay()."""
        return len(self)
