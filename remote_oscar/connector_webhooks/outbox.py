# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Log an order event in the current transaction; wake the sender after commit.

``log_order_event(order, 'order.placed')`` writes one ``WebhookDelivery``
per active target, in the transaction that changes the order (requests
run in one transaction: ``ATOMIC_REQUESTS``). An order changed several
times in one transaction gets one event: ``order.placed`` when it was
placed there, else one ``order.updated``. After the commit, a PostgreSQL
``NOTIFY`` wakes the sender process, which LISTENs on ``CHANNEL``; a
rolled-back change sends nothing.
"""
import logging

from django.db import connection, transaction
from django.utils import timezone

from .models import WebhookDelivery, WebhookTarget

_logger = logging.getLogger(__name__)

PLACED, UPDATED = 'order.placed', 'order.updated'
#: The PostgreSQL LISTEN/NOTIFY channel of the sender.
CHANNEL = 'connector_webhooks'


def current_transaction_id():
    with connection.cursor() as cr:
        cr.execute('SELECT txid_current()')
        return cr.fetchone()[0]


def wake_sender():
    """NOTIFY the sender (after a commit: the connection is in autocommit)."""
    with connection.cursor() as cr:
        cr.execute('NOTIFY %s' % CHANNEL)


def log_order_event(order, event_type):
    """Log ``event_type`` for ``order`` to every active target (see module doc)."""
    with transaction.atomic():  # a transaction of its own outside a request
        targets = list(WebhookTarget.objects.filter(active=True).values_list('id', flat=True))
        if not targets:
            return
        txid = current_transaction_id()
        logged = {d.target_id: d for d in WebhookDelivery.objects.select_for_update().filter(
            transaction=txid, order_id=order.pk, target_id__in=targets)}
        now = timezone.now()
        for target_id in targets:
            delivery = logged.get(target_id)
            if delivery is None:
                WebhookDelivery.objects.create(
                    target_id=target_id, event_type=event_type, order_id=order.pk,
                    order_number=order.number, transaction=txid, next_try=now)
            elif event_type == PLACED and delivery.event_type != PLACED:
                # saved before oscar sent order_placed, in the same transaction
                delivery.event_type = PLACED
                delivery.save(update_fields=['event_type'])
        transaction.on_commit(wake_sender)
