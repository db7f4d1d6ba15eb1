# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Oscar's order signals -> the outbox and the order's change stamp.

- ``order_placed`` (oscar's ``OrderCreator.place_order``): ``order.placed``;
- ``order_status_changed`` (``Order.set_status``): ``order.updated``;
- any other save of an order (an address, a note of the dashboard, a line
  status cascade saves the order too): ``order.updated``.
Each also moves the order's ``OrderStamp`` to now (the delta poll's key).
"""
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from oscar.apps.order.signals import order_placed, order_status_changed
from oscar.core.loading import get_model

from .models import OrderStamp
from .outbox import PLACED, UPDATED, log_order_event

Order = get_model('order', 'Order')


def touch(order):
    OrderStamp.objects.update_or_create(order_id=order.pk,
                                        defaults={'date_updated': timezone.now()})


@receiver(order_placed, dispatch_uid='connector_webhooks_order_placed')
def on_order_placed(sender, order, **kwargs):
    touch(order)
    log_order_event(order, PLACED)


@receiver(order_status_changed, dispatch_uid='connector_webhooks_order_status_changed')
def on_order_status_changed(sender, order, **kwargs):
    touch(order)
    log_order_event(order, UPDATED)


@receiver(post_save, sender=Order, dispatch_uid='connector_webhooks_order_saved')
def on_order_saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # loaddata
        return
    touch(instance)
    if not created:
        # a new order is not "updated": order_placed follows in its transaction
        log_order_event(instance, UPDATED)
