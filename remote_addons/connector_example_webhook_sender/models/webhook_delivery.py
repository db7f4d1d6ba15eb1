# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The delivery log, and the sender that drains it after each commit.

A partner change writes a ``webhook.delivery`` row in its own transaction
(an outbox): the change and its delivery commit together or not at all.
After the commit (``cr.after('commit', ...)``), a sender thread of this
process sends the pending deliveries, each in its own short transaction,
signed in the Standard Webhooks format with a timestamp of the attempt.
A delivery not answered with a 2xx is tried again after 1, 2, 4... seconds
(at most ``MAX_BACKOFF``) with the same webhook id, so that the receiver
keeps it once; the thread sleeps until the next try is due. The cron
``Webhook Sender: send pending deliveries`` picks up what a restart left.
"""
import base64
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields, models

_logger = logging.getLogger(__name__)

#: Longest wait between two tries of a delivery, in seconds.
MAX_BACKOFF = 300
#: Deliveries sent per transaction of the sender.
BATCH = 20

_drainers = {}  # database name -> _Drainer
_drainers_lock = threading.Lock()


def _signature(secret, msg_id, timestamp, body):
    key = base64.b64decode(secret[len('whsec_'):] if secret.startswith('whsec_') else secret)
    digest = hmac.new(key, b'%s.%d.%s' % (msg_id.encode(), timestamp, body),
                      hashlib.sha256).digest()
    return 'v1,' + base64.b64encode(digest).decode('ascii')


def backoff(attempts):
    """Seconds before the next try of a delivery tried ``attempts`` times."""
    return min(MAX_BACKOFF, 2 ** max(attempts - 1, 0))


class _Drainer(threading.Thread):
    """Sends the due deliveries of one database, then sleeps until the next is due."""

    def __init__(self, dbname):
        super().__init__(name='webhook-sender-%s' % dbname, daemon=True)
        self.dbname = dbname
        self.wake = threading.Event()

    def run(self):
        while True:
            try:
                with api.Environment.manage():
                    with odoo.registry(self.dbname).cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        delay = env['webhook.delivery']._send_due()
            except Exception:  # the thread must go on: log, and try again later
                _logger.exception('webhook sender of %s: sending failed', self.dbname)
                delay = 5
            with _drainers_lock:
                if delay is None and not self.wake.is_set():
                    del _drainers[self.dbname]
                    return
            self.wake.wait(0 if delay is None else min(delay, 60))
            self.wake.clear()


def wake_sender(dbname):
    """Make this process send ``dbname``'s due deliveries now (a thread per database)."""
    with _drainers_lock:
        drainer = _drainers.get(dbname)
        if drainer is None or not drainer.is_alive():
            drainer = _drainers[dbname] = _Drainer(dbname)
            drainer.start()
        drainer.wake.set()


class WebhookDelivery(models.Model):
    """One partner event to push to one webhook sender: its log of tries."""

    _name = 'webhook.delivery'
    _description = 'Webhook Delivery'
    _order = 'id desc'

    sender_id = fields.Many2one('webhook.sender', required=True, ondelete='cascade',
                                readonly=True)
    webhook_id = fields.Char(string='Webhook id', required=True, readonly=True,
                             default=lambda self: 'msg_%s' % uuid.uuid4().hex)
    event_type = fields.Char(required=True, readonly=True)
    partner_id = fields.Integer(string='Partner ID', required=True, readonly=True)
    transaction = fields.Char(readonly=True, help='The transaction that logged it.')
    state = fields.Selection([('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed')],
                             required=True, default='pending', readonly=True, index=True)
    attempts = fields.Integer(readonly=True)
    next_try = fields.Datetime(readonly=True, default=fields.Datetime.now, index=True)
    last_status = fields.Char(readonly=True, help='HTTP status or error of the last try.')
    date_sent = fields.Datetime(readonly=True)

    @api.model
    def _log_partner_event(self, event_type, partner_ids):
        """Log one delivery per sender and partner, in the current transaction;
        send after commit. A partner changed twice in one transaction is logged once."""
        sender_ids = self.env['webhook.sender']._active_ids()
        if not sender_ids or not partner_ids:
            return
        cr = self.env.cr
        cr.execute('SELECT txid_current()')
        transaction = str(cr.fetchone()[0])
        cr.execute('SELECT sender_id, partner_id FROM webhook_delivery WHERE transaction = %s '
                   'AND event_type = %s AND partner_id IN %s',
                   (transaction, event_type, tuple(partner_ids)))
        logged = set(cr.fetchall())
        deliveries = self.sudo()
        for sender_id in sender_ids:
            for partner_id in partner_ids:
                if (sender_id, partner_id) not in logged:
                    deliveries.create({'sender_id': sender_id, 'event_type': event_type,
                                       'partner_id': partner_id, 'transaction': transaction})
        dbname = cr.dbname
        cr.after('commit', lambda: wake_sender(dbname))

    def _body(self):
        return json.dumps({'type': self.event_type, 'data': {'id': self.partner_id}},
                          sort_keys=True).encode('utf-8')

    def _send_one(self):
        """One try: True when the receiver answered 2xx."""
        sender = self.sender_id.sudo()
        body = self._body()
        timestamp = int(time.time())
        request = urllib.request.Request(sender.url, data=body, method='POST', headers={
            'Content-Type': 'application/json', 'webhook-id': self.webhook_id,
            'webhook-timestamp': str(timestamp),
            'webhook-signature': _signature(sender.secret, self.webhook_id, timestamp, body)})
        try:
            with urllib.request.urlopen(request, timeout=sender.timeout or 10) as answer:
                status = answer.status
        except urllib.error.HTTPError as err:
            status = err.code
        except (OSError, ValueError) as err:  # refused, timeout, bad URL
            self.last_status = type(err).__name__
            return False
        self.last_status = str(status)
        return 200 <= status < 300

    @api.model
    def _send_due(self):
        """Send the due pending deliveries; seconds until the next one is due, or None."""
        cr = self.env.cr
        while True:
            cr.execute("SELECT id FROM webhook_delivery WHERE state = 'pending' "
                       "AND next_try <= now() at time zone 'UTC' ORDER BY id LIMIT %s "
                       "FOR UPDATE SKIP LOCKED", (BATCH,))
            ids = [row[0] for row in cr.fetchall()]
            if not ids:
                break
            for delivery in self.browse(ids):
                delivery.attempts += 1
                if delivery._send_one():
                    delivery.write({'state': 'sent', 'date_sent': fields.Datetime.now()})
                else:
                    delivery.next_try = fields.Datetime.to_string(
                        fields.Datetime.from_string(fields.Datetime.now())
                        + timedelta(seconds=backoff(delivery.attempts)))
                    _logger.info('webhook delivery %s to %s: %s, try %d again in %d s',
                                 delivery.webhook_id, delivery.sender_id.name,
                                 delivery.last_status, delivery.attempts,
                                 backoff(delivery.attempts))
            # the sender thread owns this cursor: each batch's outcome is kept even
            # if a later batch fails
            cr.commit()  # pylint: disable=invalid-commit
        cr.execute("SELECT extract(epoch FROM min(next_try) - (now() at time zone 'UTC')) "
                   "FROM webhook_delivery WHERE state = 'pending'")
        seconds = cr.fetchone()[0]
        return None if seconds is None else max(float(seconds), 0.05)

    @api.model
    def _cron_send(self):
        """Cron: send what is due (after a restart, nothing wakes the sender)."""
        wake_sender(self.env.cr.dbname)

    @api.multi
    def action_retry_now(self):
        """Button: try these deliveries again now."""
        self.write({'state': 'pending', 'next_try': fields.Datetime.now()})
        self.env.cr.after('commit', lambda dbname=self.env.cr.dbname: wake_sender(dbname))
        return True
