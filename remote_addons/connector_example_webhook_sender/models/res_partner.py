# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResPartner(models.Model):
    """Logs a webhook delivery, in the same transaction, for each partner change."""

    _inherit = 'res.partner'

    @api.model
    def create(self, vals):
        partner = super().create(vals)
        self.env['webhook.delivery']._log_partner_event('partner.created', partner.ids)
        return partner

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        self.env['webhook.delivery']._log_partner_event('partner.updated', self.ids)
        return result

    @api.multi
    def unlink(self):
        ids = self.ids
        result = super().unlink()
        self.env['webhook.delivery']._log_partner_event('partner.deleted', ids)
        return result
