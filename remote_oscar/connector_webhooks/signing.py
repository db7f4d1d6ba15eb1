# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Standard Webhooks signatures, as the connector checks them (``connector/webhook.py``).

The signature is ``v1,`` + base64 of HMAC-SHA256, keyed with the base64
key after ``whsec_``, of ``"{webhook id}.{unix timestamp}.{raw body}"``.

>>> import base64
>>> secret = 'whsec_' + base64.b64encode(b'k' * 24).decode()
>>> sign(secret, 'msg_1', 1000, b'{}')[:3]
'v1,'
"""
import base64
import binascii
import hashlib
import hmac

SECRET_PREFIX = 'whsec_'


def secret_key(secret):
    """The HMAC key of ``secret``; ValueError when it is not ``whsec_`` + base64."""
    raw = secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret
    try:
        return base64.b64decode(raw.encode('ascii'), validate=True)
    except (binascii.Error, UnicodeEncodeError) as err:
        raise ValueError('a webhook secret is "whsec_" followed by base64 (copy it from the '
                         'Odoo backend form)') from err


def sign(secret, webhook_id, timestamp, body):
    signed = b'%s.%d.%s' % (webhook_id.encode('utf-8'), timestamp, body)
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return 'v1,' + base64.b64encode(digest).decode('ascii')


def headers(secret, webhook_id, timestamp, body):
    """The headers of one try of a delivery."""
    return {'Content-Type': 'application/json', 'webhook-id': webhook_id,
            'webhook-timestamp': str(timestamp),
            'webhook-signature': sign(secret, webhook_id, timestamp, body)}
