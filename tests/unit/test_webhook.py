# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Webhook deliveries: size, signature, timestamp and event checks, without a server."""
import base64
import hashlib
import hmac

import pytest

from odoo.addons.connector.webhook import (WebhookRefused, check_size, delivery_headers,
                                           generate_secret, parse_event, secret_key, sign, verify)

SECRET = 'whsec_' + base64.b64encode(b'0123456789abcdef0123456789abcdef').decode()
BODY = b'{"type": "partner.updated", "data": {"id": 42}}'
NOW = 1733554800


def refusal(call, *args, **kwargs):
    with pytest.raises(WebhookRefused) as info:
        call(*args, **kwargs)
    return info.value


def test_signature_is_hmac_sha256_of_id_timestamp_and_raw_body():
    """The Standard Webhooks signed content, computed independently here."""
    key = base64.b64decode(SECRET[len('whsec_'):])
    digest = hmac.new(key, b'msg_1.%d.' % NOW + BODY, hashlib.sha256).digest()
    assert sign(SECRET, 'msg_1', NOW, BODY) == 'v1,' + base64.b64encode(digest).decode()


def test_good_delivery_gives_its_id_and_timestamp():
    """A delivery signed with the secret, on time, is accepted."""
    headers = delivery_headers(SECRET, 'msg_1', NOW, BODY)
    assert verify([SECRET], headers, BODY, now=NOW + 5) == ('msg_1', NOW)


def test_changed_body_is_refused_as_a_bad_signature():
    """One byte changed in the body: 401, bad_signature."""
    headers = delivery_headers(SECRET, 'msg_1', NOW, BODY)
    err = refusal(verify, [SECRET], headers, BODY.replace(b'42', b'43'), now=NOW)
    assert (err.status, err.reason) == (401, 'bad_signature')
    assert 'no signature matches' in err.message


def test_wrong_secret_is_refused_and_the_message_never_shows_a_secret():
    """Signed with another secret: 401; the message names neither secret."""
    other = generate_secret()
    headers = delivery_headers(other, 'msg_1', NOW, BODY)
    err = refusal(verify, [SECRET], headers, BODY, now=NOW)
    assert err.status == 401
    assert SECRET not in str(err) and other not in str(err)


def test_any_accepted_secret_and_any_sent_signature_match():
    """Rotation: the previous and the new secret both verify; a sender may send two."""
    new = generate_secret()
    headers = delivery_headers(SECRET, 'msg_1', NOW, BODY)
    assert verify([new, SECRET], headers, BODY, now=NOW)[0] == 'msg_1'
    headers['webhook-signature'] = 'v1,AAAA garbage v1a,xyz ' + sign(SECRET, 'msg_1', NOW, BODY)
    assert verify([SECRET], headers, BODY, now=NOW)[0] == 'msg_1'


def test_timestamp_outside_the_tolerance_is_refused_both_ways():
    """Older or newer than the tolerance: 400 stale/future; the edge is accepted."""
    headers = delivery_headers(SECRET, 'msg_1', NOW, BODY)
    assert refusal(verify, [SECRET], headers, BODY, now=NOW + 301).reason == 'stale_timestamp'
    assert refusal(verify, [SECRET], headers, BODY, now=NOW - 301).reason == 'future_timestamp'
    assert verify([SECRET], headers, BODY, now=NOW + 300, tolerance=300)
    assert refusal(verify, [SECRET], headers, BODY, now=NOW + 31, tolerance=30).status == 400


def test_signature_is_checked_before_the_timestamp():
    """A forged delivery learns nothing about the clock: bad signature first."""
    headers = delivery_headers(generate_secret(), 'msg_1', NOW, BODY)
    assert refusal(verify, [SECRET], headers, BODY, now=NOW + 9999).reason == 'bad_signature'


@pytest.mark.parametrize('drop', ['webhook-id', 'webhook-timestamp', 'webhook-signature'])
def test_missing_header_is_refused(drop):
    """Each of the three headers is required."""
    headers = delivery_headers(SECRET, 'msg_1', NOW, BODY)
    del headers[drop]
    err = refusal(verify, [SECRET], headers, BODY, now=NOW)
    assert (err.status, err.reason) == (400, 'missing_headers')


@pytest.mark.parametrize('value', ['-5', '1.5', 'yesterday', '１２'])
def test_timestamp_not_in_unix_seconds_is_refused(value):
    """Negative, fractional, text, non-ASCII digits: 400 bad_timestamp."""
    headers = delivery_headers(SECRET, 'msg_1', NOW, BODY)
    headers['webhook-timestamp'] = value
    assert refusal(verify, [SECRET], headers, BODY, now=NOW).reason == 'bad_timestamp'


def test_size_is_checked_from_the_declared_length():
    """No Content-Length: 411; larger than the limit: 413; at the limit: fine."""
    assert refusal(check_size, None, 100).status == 411
    assert refusal(check_size, 101, 100).status == 413
    check_size(100, 100)


@pytest.mark.parametrize('body', [b'{"type": ', b'\xff\xfe', b'[1, 2]', b'{"type": 3, "data": {}}',
                                  b'{"type": "partner.updated"}'])
def test_body_not_an_event_object_is_refused(body):
    """Not JSON, not UTF-8, not an object with a type and a data object: 400."""
    err = refusal(parse_event, body, {'partner.updated'})
    assert err.status == 400 and err.reason in ('malformed_json', 'malformed_event')


def test_unknown_event_type_is_refused_naming_it():
    """A type the backend does not handle: 422, the type in the message."""
    err = refusal(parse_event, b'{"type": "order.paid", "data": {}}', {'partner.updated'})
    assert (err.status, err.reason) == (422, 'unknown_event_type')
    assert "'order.paid'" in err.message


def test_generated_secrets_are_distinct_and_valid_keys():
    """whsec_ + base64 of 32 bytes, a new one each time; a bad secret says what to do."""
    first, second = generate_secret(), generate_secret()
    assert first != second and first.startswith('whsec_')
    assert len(secret_key(first)) == 32
    with pytest.raises(ValueError, match='generate a new one'):
        secret_key('whsec_not base64!')
