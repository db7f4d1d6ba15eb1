# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class WebhookSender(models.Model):
    """A webhook URL this Odoo pushes its partner changes to, with the shared secret.

    Copy both from the connector's backend form (*Webhook URL*, *Generate a
    new secret*).
    """

    _name = 'webhook.sender'
    _description = 'Webhook Sender'

    name = fields.Char(required=True)
    url = fields.Char(string='URL', required=True,
                      help="The connector's webhook URL, e.g. "
                           'http://odoo.example.com/connector/webhook/example.backend/1')
    secret = fields.Char(required=True, groups='base.group_system',
                         help='whsec_... as shown on the backend form.')
    active = fields.Boolean(default=True)
    timeout = fields.Integer(default=10, help='Seconds to wait for an answer.')
    delivery_ids = fields.One2many('webhook.delivery', 'sender_id', string='Deliveries')

    @api.model
    def _active_ids(self):
        """Ids of the active senders (read without the user's rights: any partner
        change is logged, whoever makes it)."""
        return self.sudo().search([]).ids  # a handful of senders  # pylint: disable=no-search-all
