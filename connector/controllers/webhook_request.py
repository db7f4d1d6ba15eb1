# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Keep Odoo 11 away from a webhook's body until the route has checked its size.

Odoo 11 turns every request sent as ``application/json`` (what webhook
senders send) into a JSON-RPC request: it reads the whole body, whatever
its size, parses it, and logs the body when it is not JSON -- before any
route runs -- and answers in a JSON-RPC envelope with status 200. A plain
HTTP request instead reads the body when it is a form. So the requests
under ``/connector/webhook/`` become ``WebhookRequest``: a plain HTTP
request that reads nothing of the body; the route checks Content-Length
and then reads the raw bytes itself.

Installed by the addon's ``post_load`` hook (Odoo runs it when it loads
the addon, at the latest when a database with it is loaded); Odoo has no
public hook to choose a request's class.
"""
import collections

from odoo import http

WEBHOOK_PREFIX = '/connector/webhook/'


class WebhookRequest(http.HttpRequest):
    """An HTTP request whose parameters come from the URL only, never the body."""

    def __init__(self, httprequest):
        http.WebRequest.__init__(self, httprequest)  # pylint: disable=non-parent-init-called
        self.params = collections.OrderedDict(httprequest.args)
        self.params.pop('session_id', None)


def install():
    """Make ``odoo.http.Root`` build a ``WebhookRequest`` for the webhook paths (once)."""
    original = http.Root.get_request
    if getattr(original, 'connector_webhook', False):
        return

    def get_request(self, httprequest):
        if httprequest.path.startswith(WEBHOOK_PREFIX):
            return WebhookRequest(httprequest)
        return original(self, httprequest)

    get_request.connector_webhook = True
    http.Root.get_request = get_request
