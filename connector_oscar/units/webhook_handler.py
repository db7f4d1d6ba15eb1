# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop's pushed events: ``order.placed`` and ``order.updated`` -> the order's import.

The shop (``remote_oscar/connector_webhooks``) posts, after each commit that
places or changes an order, an event whose data is ``{"number": ..., "id":
<shop order id>}``. The import job reads the order from the shop (the event
carries no values to trust) and carries the same key per order as the
delta poll's: a burst of events, and the poll, store one job while it is
pending.
"""
from odoo.addons.connector.unit.webhook_handler import WebhookHandler
from odoo.addons.connector.webhook import WebhookRefused

from ..backend import oscar
from .order import order_import_key

ORDER_BINDING = 'oscar.sale.order'


@oscar
class OscarWebhookHandler(WebhookHandler):
    """Delays the import of the order an event names."""

    _model_name = 'oscar.backend'
    _event_types = ('order.placed', 'order.updated')

    def handle(self, event, webhook_id):
        order_id = event['data'].get('id')
        if not isinstance(order_id, int) or isinstance(order_id, bool) or order_id <= 0:
            raise WebhookRefused(400, 'bad_data', 'event %s: data.id must be the shop order '
                                 'id (a positive integer)' % event['type'])
        backend = self.backend_record
        external_id = str(order_id)
        return [backend._delay_import(
            ORDER_BINDING, external_id,
            description='Import shop order %s (%s)' % (event['data'].get('number'),
                                                       event['type']),
            identity_key=order_import_key(backend, external_id))]
