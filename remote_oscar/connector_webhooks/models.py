# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where order events go (targets), what is to be sent (the outbox), and when
each order last changed."""
import uuid

from django.db import models


class WebhookTarget(models.Model):
    """A URL this shop pushes its order events to, with the secret shared with it.

    Set by ``manage.py connector_webhook_target --url ... --secret whsec_...``
    (the URL and secret of an Odoo backend's webhook route).
    """

    name = models.CharField(max_length=64, unique=True)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    timeout = models.PositiveIntegerField(default=10, help_text='Seconds to wait for an answer.')

    def __str__(self):
        return '%s (%s)' % (self.name, self.url)


def new_webhook_id():
    return 'msg_%s' % uuid.uuid4().hex


class WebhookDelivery(models.Model):
    """One order event to send to one target, and the log of its tries.

    Written in the transaction of the order change (an outbox): the change
    and its delivery commit together or not at all. Every try carries the
    same ``webhook_id``, so that the receiver keeps the event once.
    """

    PENDING, SENT = 'pending', 'sent'

    target = models.ForeignKey(WebhookTarget, on_delete=models.CASCADE,
                               related_name='deliveries')
    webhook_id = models.CharField(max_length=64, unique=True, default=new_webhook_id)
    event_type = models.CharField(max_length=64)
    order_id = models.IntegerField()
    order_number = models.CharField(max_length=128)
    #: PostgreSQL transaction id that logged it: one event per order and
    #: transaction (an order saved three times in one request is sent once).
    transaction = models.BigIntegerField(db_index=True)
    state = models.CharField(max_length=16, default=PENDING,
                             choices=[(PENDING, 'Pending'), (SENT, 'Sent')])
    attempts = models.PositiveIntegerField(default=0)
    next_try = models.DateTimeField(db_index=True)
    last_status = models.CharField(max_length=64, blank=True)
    date_created = models.DateTimeField(auto_now_add=True)
    date_sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ['id']
        indexes = [models.Index(fields=['state', 'next_try'])]

    def __str__(self):
        return '%s %s order %s -> %s' % (self.webhook_id, self.event_type,
                                         self.order_number, self.target.name)


class OrderStamp(models.Model):
    """When an order last changed (oscar's Order has no such field): the key
    of the connector's delta poll (``GET /api/connector/orders/?updated_after=``)."""

    order = models.OneToOneField('order.Order', on_delete=models.CASCADE, primary_key=True,
                                 related_name='connector_stamp')
    date_updated = models.DateTimeField(db_index=True)
