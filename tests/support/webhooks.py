# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Support of the webhook tests: the local Odoo as an HTTP server, signed deliveries.

``local_odoo()`` is a ``devkit.local_odoo.LocalOdoo``: a real ``odoo-bin``
serving the pytest database with the test configuration, selected by
``--db-filter``, as a production server behind a webhook URL would.
``post`` sends one delivery over a real socket and returns the status and
the decoded JSON answer.
"""
import http.client
import json
import os
import time

from odoo.addons.connector.webhook import delivery_headers

from devkit.local_odoo import LocalOdoo

from .jobrunner import PYTHON, db_name, query

CONFIG = os.environ.get('CONNECTOR_ODOO_CONFIG') or os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    'var', 'odoo.cfg')


def local_odoo():
    """The Odoo under test (the pytest database), not started."""
    return LocalOdoo(db_name(), CONFIG, python=PYTHON)


def webhook_path(backend_id, model='example.backend'):
    return '/connector/webhook/%s/%d' % (model, backend_id)


def post(server, path, body, headers=None, timeout=30):
    """POST ``body`` (bytes) to ``path``: ``(status, answer as JSON or text)``."""
    conn = http.client.HTTPConnection('127.0.0.1', server.port, timeout=timeout)
    try:
        conn.request('POST', path, body=body, headers=dict(
            {'Content-Type': 'application/json'}, **(headers or {})))
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(raw.decode('utf-8'))
    except ValueError:
        return response.status, raw.decode('utf-8', 'replace')


def event_body(event_type, remote_id, **extra):
    return json.dumps({'type': event_type, 'data': dict({'id': remote_id}, **extra)}).encode()


def signed(secret, body, webhook_id, timestamp=None):
    """The headers of a delivery of ``body`` signed with ``secret``."""
    when = time.time() if timestamp is None else timestamp
    return delivery_headers(secret, webhook_id, int(when), body)


def stored(backend_id, after_job):
    """(jobs created after ``after_job``, delivery rows) of a backend: what a refusal
    must leave untouched."""
    jobs = query('SELECT count(*) FROM queue_job WHERE id > %s', (after_job,))[0][0]
    deliveries = query("SELECT count(*) FROM connector_webhook_delivery WHERE "
                       "backend_model = 'example.backend' AND backend_id = %s",
                       (backend_id,))[0][0]
    return jobs, deliveries


def counters():
    """{outcome: count} of the webhook route's counters."""
    return dict(query('SELECT outcome, sum(count)::int FROM connector_webhook_counter '
                      'GROUP BY outcome'))
