# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Webhook deliveries in the Standard Webhooks format: signing and checking.

An external system pushes a change by POSTing a *delivery*: a JSON body
and three headers::

    webhook-id:         msg_2KWPBgLlAfxdpx2AI54pPJ85f4W   (unique per event)
    webhook-timestamp:  1733554800                        (Unix seconds)
    webhook-signature:  v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=

The signature is the base64 HMAC-SHA256, keyed with the secret shared by
both sides (``whsec_`` + base64 key), of ``"{id}.{timestamp}.{raw body}"``.
Several space-separated signatures may be sent (a sender rotating its
secret signs with both); one match is enough.

This module is pure Python (no Odoo, no database): the route in
``controllers/webhook.py`` calls ``check_size``, then ``verify``, then
``parse_event``, in that order, and turns a ``WebhookRefused`` into its
HTTP status. The PyPI package ``standardwebhooks`` is not used: it takes
one secret (a rotation needs two), a fixed five-minute tolerance, decodes
the body as text before checking it, and brings httpx into the Odoo
process; the check below is a few lines of ``hmac``.

>>> secret = 'whsec_' + base64.b64encode(b'k' * 24).decode()
>>> body = b'{"type": "partner.updated", "data": {"id": 7}}'
>>> headers = {'webhook-id': 'msg_1', 'webhook-timestamp': '1000',
...            'webhook-signature': sign(secret, 'msg_1', 1000, body)}
>>> verify([secret], headers, body, now=1010, tolerance=300)
('msg_1', 1000)
>>> parse_event(body, {'partner.updated'})['data']
{'id': 7}
"""
import base64
import binascii
import hashlib
import hmac
import json
import os
import re
from typing import Any, Container, Dict, Iterable, Mapping, Optional, Tuple

SECRET_PREFIX = 'whsec_'
#: Seconds a delivery's timestamp may differ from the receiver's clock.
DEFAULT_TOLERANCE = 300
#: Largest body accepted, in bytes, unless the server configuration says otherwise.
DEFAULT_MAX_BODY = 256 * 1024
#: Longest webhook id kept (the deliveries table's column).
MAX_ID_LENGTH = 255
_UNIX_SECONDS = re.compile(r'[0-9]{1,12}\Z')


class WebhookRefused(Exception):
    """A delivery is refused: ``status`` is the HTTP answer, ``reason`` a short
    code counted in the metrics, the message says why (never the secret nor
    the body)."""

    def __init__(self, status: int, reason: str, message: str):
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message


def generate_secret() -> str:
    """A new random secret, ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(os.urandom(32)).decode('ascii')


def secret_key(secret: str) -> bytes:
    """The HMAC key of ``secret`` (with or without its ``whsec_`` prefix)."""
    if secret.startswith(SECRET_PREFIX):
        secret = secret[len(SECRET_PREFIX):]
    try:
        return base64.b64decode(secret.encode('ascii'), validate=True)
    except (binascii.Error, UnicodeEncodeError) as err:
        raise ValueError('a webhook secret is "whsec_" followed by base64; '
                         'generate a new one') from err


def _digest(key: bytes, msg_id: str, timestamp: int, body: bytes) -> bytes:
    signed = b'%s.%d.%s' % (msg_id.encode('utf-8'), timestamp, body)
    return hmac.new(key, signed, hashlib.sha256).digest()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value of a delivery (``v1,<base64>``)."""
    digest = _digest(secret_key(secret), msg_id, timestamp, body)
    return 'v1,' + base64.b64encode(digest).decode('ascii')


def delivery_headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> Dict[str, str]:
    """The three headers a sender adds to a delivery of ``body``."""
    return {'webhook-id': msg_id, 'webhook-timestamp': str(timestamp),
            'webhook-signature': sign(secret, msg_id, timestamp, body)}


def check_size(content_length: Optional[int], max_body: int) -> None:
    """Refuse a body without a declared length or larger than ``max_body`` bytes,
    before it is read."""
    if content_length is None:
        raise WebhookRefused(411, 'length_required',
                             'a delivery must declare its Content-Length')
    if content_length > max_body:
        raise WebhookRefused(413, 'too_large', 'body of %d bytes, more than the %d accepted'
                             % (content_length, max_body))


def _signatures(header: str) -> Iterable[bytes]:
    for item in header.split():
        version, _comma, value = item.partition(',')
        if version != 'v1':
            continue  # other schemes (v1a: asymmetric) are not ours
        try:
            yield base64.b64decode(value.encode('ascii'), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            continue


def verify(secrets: Iterable[str], headers: Mapping[str, str], body: bytes, now: float,
           tolerance: int = DEFAULT_TOLERANCE) -> Tuple[str, int]:
    """Check a delivery's signature, then its timestamp; its ``(id, timestamp)``.

    :param secrets: the secrets accepted now (the current one, and the
        previous one during a rotation)
    :param headers: the request headers, looked up by lower-case name
    :raise WebhookRefused: 400 for missing or malformed headers, 401 for no
        matching signature, 400 for a timestamp outside ``now +- tolerance``
    """
    msg_id = headers.get('webhook-id') or ''
    raw_timestamp = headers.get('webhook-timestamp') or ''
    signature = headers.get('webhook-signature') or ''
    if not (msg_id and raw_timestamp and signature):
        raise WebhookRefused(400, 'missing_headers', 'webhook-id, webhook-timestamp and '
                             'webhook-signature headers are required')
    if len(msg_id) > MAX_ID_LENGTH:
        raise WebhookRefused(400, 'bad_id', 'webhook-id longer than %d characters'
                             % MAX_ID_LENGTH)
    if not _UNIX_SECONDS.match(raw_timestamp):
        raise WebhookRefused(400, 'bad_timestamp', 'webhook-timestamp is not Unix seconds')
    timestamp = int(raw_timestamp)
    sent = list(_signatures(signature))
    expected = [_digest(secret_key(secret), msg_id, timestamp, body) for secret in secrets]
    # compare_digest on each pair: no early exit that would time the match
    if not any(hmac.compare_digest(want, got) for want in expected for got in sent):
        raise WebhookRefused(401, 'bad_signature', 'no signature matches a current secret '
                             'of this backend')
    if timestamp < now - tolerance:
        raise WebhookRefused(400, 'stale_timestamp', 'timestamp %d s in the past, more than '
                             'the %d s tolerated' % (now - timestamp, tolerance))
    if timestamp > now + tolerance:
        raise WebhookRefused(400, 'future_timestamp', 'timestamp %d s in the future, more '
                             'than the %d s tolerated' % (timestamp - now, tolerance))
    return msg_id, timestamp


def parse_event(body: bytes, known_types: Container[str]) -> Dict[str, Any]:
    """The event of a verified body: a JSON object with a known ``type`` and a
    ``data`` object.

    :raise WebhookRefused: 400 for a body that is not such an object, 422
        for a type this backend does not handle
    """
    try:
        event = json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as err:
        raise WebhookRefused(400, 'malformed_json', 'the body is not JSON: %s'
                             % type(err).__name__) from err
    if not isinstance(event, dict) or not isinstance(event.get('type'), str) \
            or not isinstance(event.get('data'), dict):
        raise WebhookRefused(400, 'malformed_event', 'the body must be a JSON object with a '
                             '"type" string and a "data" object')
    if event['type'] not in known_types:
        raise WebhookRefused(422, 'unknown_event_type', 'event type %r is not handled by '
                             'this backend' % event['type'][:100])
    return event
