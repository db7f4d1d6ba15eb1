# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop's side of connector_oscar: order webhooks and the connector's endpoints.

Installed in the django-oscar shop of ``remote_oscar/`` (never in Odoo):

- an outbox (``WebhookDelivery``) written in the transaction of each order
  change, drained after the commit by the ``connector_webhook_sender``
  process in the Standard Webhooks format (``signing``, ``sender``);
- the endpoints oscar-api lacks for a connector (``api``): an order delta
  list, one order with everything an import needs, an order status change;
- ``OrderStamp``: when each order last changed, for that delta list;
- commands: ``connector_shop_setup`` (a new shop's fixed data),
  ``connector_webhook_target`` (where to send), ``connector_webhook_sender``,
  ``connector_shop_offer`` (a percentage discount for the demo).
"""
