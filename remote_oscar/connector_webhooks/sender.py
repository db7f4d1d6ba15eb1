# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The sender: posts the pending deliveries of the outbox, retries with backoff.

It runs as its own process (``manage.py connector_webhook_sender``,
started and stopped beside gunicorn by ``tools/devkit/remote_oscar.py``),
not as a thread of the web server: gunicorn forks several workers and
recycles them, so a thread per worker would mean several senders racing
for the same rows and a sender that dies with its worker; one process
owns the outbox and survives worker restarts. It sleeps on PostgreSQL's
``LISTEN`` (the outbox NOTIFYs after each commit) and wakes when the
next retry is due, or every ``POLL_SECONDS`` in case a notification was
lost (a sender restarted meanwhile).

A try that is not answered 2xx (an error status, a refused connection, a
timeout) is tried again after 1, 2, 4... seconds, at most ``MAX_BACKOFF``,
with the same webhook id and a new timestamp and signature.
"""
import json
import logging
import select
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from . import signing
from .models import WebhookDelivery
from .outbox import CHANNEL

_logger = logging.getLogger(__name__)

MAX_BACKOFF = 300
POLL_SECONDS = 5.0
BATCH = 20


def backoff(attempts):
    """Seconds before the next try of a delivery tried ``attempts`` times.

    >>> [backoff(n) for n in (1, 2, 3, 10)]
    [1, 2, 4, 300]
    """
    return min(MAX_BACKOFF, 2 ** max(attempts - 1, 0))


def body(delivery):
    return json.dumps({
        'type': delivery.event_type,
        'timestamp': delivery.date_created.isoformat(),
        'data': {'number': delivery.order_number, 'id': delivery.order_id},
    }, sort_keys=True).encode('utf-8')


def send_one(delivery):
    """One try of ``delivery``: its status text, and whether it was a 2xx."""
    target = delivery.target
    payload = body(delivery)
    timestamp = int(time.time())
    try:
        request = urllib.request.Request(target.url, data=payload, method='POST',
                                         headers=signing.headers(target.secret,
                                                                 delivery.webhook_id,
                                                                 timestamp, payload))
        with urllib.request.urlopen(request, timeout=target.timeout or 10) as answer:
            status = answer.status
    except urllib.error.HTTPError as err:
        status = err.code
    except (OSError, ValueError) as err:  # refused, timeout, bad URL or secret
        return type(err).__name__, False
    return str(status), 200 <= status < 300


def send_due():
    """Send the due pending deliveries; seconds until the next is due, or None."""
    while True:
        with transaction.atomic():
            due = list(WebhookDelivery.objects.select_for_update(skip_locked=True)
                       .select_related('target')
                       .filter(state=WebhookDelivery.PENDING, next_try__lte=timezone.now())
                       .order_by('id')[:BATCH])
            for delivery in due:
                delivery.attempts += 1
                delivery.last_status, ok = send_one(delivery)
                if ok:
                    delivery.state = WebhookDelivery.SENT
                    delivery.date_sent = timezone.now()
                else:
                    wait = backoff(delivery.attempts)
                    delivery.next_try = timezone.now() + timedelta(seconds=wait)
                    _logger.info('delivery %s (%s of order %s) to %s: %s, try %d, again in '
                                 '%d s', delivery.webhook_id, delivery.event_type,
                                 delivery.order_number, delivery.target.url,
                                 delivery.last_status, delivery.attempts, wait)
                delivery.save()
        if not due:
            break
    nxt = (WebhookDelivery.objects.filter(state=WebhookDelivery.PENDING)
           .order_by('next_try').values_list('next_try', flat=True).first())
    if nxt is None:
        return None
    return max((nxt - timezone.now()).total_seconds(), 0.05)


def run_forever(stop=lambda: False):
    """LISTEN, send what is due, sleep until woken or the next try; until ``stop()``.

    A lost database connection (PostgreSQL restarted) is logged, closed and
    opened again after ``POLL_SECONDS``, LISTEN included.
    """
    while not stop():
        try:
            _listen_and_send(stop)
        except Exception:  # the loop must go on: log, reconnect, try again
            _logger.exception('webhook sender: failed; reconnecting in %s s', POLL_SECONDS)
            connection.close()
            time.sleep(POLL_SECONDS)


def _listen_and_send(stop):
    connection.ensure_connection()
    raw = connection.connection
    with connection.cursor() as cr:
        cr.execute('LISTEN %s' % CHANNEL)
    _logger.info('webhook sender listening on %s', CHANNEL)
    while not stop():
        delay = send_due()
        wait = POLL_SECONDS if delay is None else min(delay, POLL_SECONDS)
        if select.select([raw], [], [], wait)[0]:
            raw.poll()
            del raw.notifies[:]
