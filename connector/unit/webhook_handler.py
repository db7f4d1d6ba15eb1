# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Webhook handlers: what a connector does with the events its remote system pushes.

The route ``/connector/webhook/<backend model>/<backend id>``
(``controllers/webhook.py``) checks a delivery (size, signature,
timestamp, replay) and then asks the backend for its ``WebhookHandler``,
registered like every unit on the connector's ``Backend`` for the
*backend model*. The handler names the event types it knows and delays
the jobs an event calls for; it runs inside the HTTP request, as the
backend's *Webhook jobs run as* user, so it must only delay jobs: no call
to the remote system, no import (the jobs do that, on the workers)::

    @shop
    class ShopWebhookHandler(WebhookHandler):
        _model_name = 'shop.backend'
        _event_types = ('customer.updated', 'customer.deleted')

        def handle(self, event, webhook_id):
            external_id = str(event['data']['id'])
            backend = self.backend_record
            return [backend._delay_import('shop.res.partner', external_id,
                                          identity_key='shop-customer-%s-%s'
                                          % (backend.id, external_id))]

An identity key per external record makes a burst of events about one
record store one job while it is pending. The example connector's handler
(``connector_example/units/webhook_handler.py``) is a complete one.
"""
from typing import Any, Dict, List, Optional

from ..connector_unit import ConnectorUnit


class WebhookHandler(ConnectorUnit):
    """Turns one pushed event into jobs; subclass it for the backend model.

    Override ``handle``; list the event types in ``_event_types`` (a
    delivery of another type is refused with a 422 and stores nothing).
    """

    _event_types = ()  # the event types this handler accepts

    def event_types(self) -> List[str]:
        """The event types accepted. Override this method to decide per backend record."""
        return list(self._event_types)

    def handle(self, event: Dict[str, Any], webhook_id: str) -> List[Optional[str]]:
        """Delay the jobs ``event`` calls for; the uuids of the jobs.

        :param event: the delivery's JSON object; ``event['type']`` is one of
            ``event_types()``, ``event['data']`` is an object
        :param webhook_id: the delivery's id (received once per backend)
        :raise WebhookRefused: from ``odoo.addons.connector.webhook`` (status
            400 or 422) for data the handler cannot use: nothing is stored
        """
        raise NotImplementedError('%s.%s handles no event: override handle().'
                                  % (type(self).__module__, type(self).__name__))
