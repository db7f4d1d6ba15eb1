# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The webhook route: ``POST /connector/webhook/<backend model>/<backend id>``.

A remote system pushes its changes here (Standard Webhooks format, see
``connector/webhook.py``). The route runs without a user (anonymous
input), so it does only checks and two inserts, in this order:

1. the declared body size (413 above ``connector_webhook_max_body`` bytes
   of the server configuration, 256 KiB by default), before reading it;
2. the backend (404 when unknown, or without a secret or a *Webhook jobs
   run as* user), read with SQL, not as a privileged user;
3. the signature over the raw body with the current secret, or the
   previous one during a rotation (401), then the timestamp (400 outside
   the backend's tolerance);
4. the event (400 not a JSON object, 422 a type the backend's
   ``WebhookHandler`` does not handle);
5. the delivery id: a row in ``connector.webhook.delivery``; an id
   received before stores nothing and answers 200 (duplicate);
6. the handler delays its jobs, as the backend's user; 202 once they are
   committed (Odoo commits before it answers).

A refusal stores nothing (no delivery row, no job), is logged without the
secret nor the body, and is counted in ``connector.webhook.counter`` with
the accepted and duplicate deliveries (the job runner's metrics read it).

The database is the one the server selects for the request: run the
server with a ``--db-filter`` that selects one database (by host name,
``%d``, or a single database).
"""
import json
import logging
import time

from odoo import api, fields, http
from odoo.http import request
from odoo.tools import config

from ..exception import NoConnectorUnitError
from ..session import ConnectorSession
from ..unit.webhook_handler import WebhookHandler
from ..webhook import (DEFAULT_MAX_BODY, DEFAULT_TOLERANCE, WebhookRefused, check_size, parse_event,
                       verify)
from .webhook_request import WEBHOOK_PREFIX

_logger = logging.getLogger(__name__)

#: The backend's webhook settings, read without the ORM (no user yet); the
#: table name comes from the registry, never from the request.
BACKEND_SETTINGS = """
    SELECT webhook_secret, webhook_previous_secret, webhook_previous_until,
           webhook_tolerance, webhook_user_id
    FROM {table} WHERE id = %s
"""

#: The old deliveries of a backend are forgotten, and the counters folded
#: into a row per outcome, once every this many accepted deliveries (by id):
#: a row is kept at least twice the tolerance, the tables stay small, and
#: most requests skip the DELETEs.
PURGE_EVERY = 50


def _answer(http_status, content):
    return http.Response(json.dumps(content), status=http_status, mimetype='application/json')


class WebhookController(http.Controller):
    """Receives the webhook deliveries of every backend model."""

    @http.route(WEBHOOK_PREFIX + '<string:backend_model>/<int:backend_id>', type='http',
                auth='none', methods=['POST'], csrf=False)
    def receive(self, backend_model, backend_id, **_url_params):
        """Check a delivery and store its jobs; see the module docstring."""
        cr = request.cr
        headers = {key.lower(): value for key, value in request.httprequest.headers.items()}
        webhook_id = headers.get('webhook-id', '')[:80]
        try:
            with cr.savepoint():
                status, content = self._receive(backend_model, backend_id, headers)
        except WebhookRefused as refused:
            _logger.warning('Webhook delivery %r for backend %s,%s refused (%d %s): %s',
                            webhook_id, backend_model, backend_id, refused.status,
                            refused.reason, refused.message)
            self._count(refused.reason)
            return _answer(refused.status, {'error': refused.reason, 'message': refused.message})
        return _answer(status, content)  # counted by the claim

    def _receive(self, backend_model, backend_id, headers):
        max_body = int(config.get('connector_webhook_max_body') or DEFAULT_MAX_BODY)
        check_size(request.httprequest.content_length, max_body)
        settings = self._settings(backend_model, backend_id)
        body = request.httprequest.get_data()
        secrets = [settings['secret']]
        until = settings['previous_until']
        if settings['previous_secret'] and until and until > fields.Datetime.now():
            secrets.append(settings['previous_secret'])
        tolerance = settings['tolerance'] if (settings['tolerance'] or 0) > 0 \
            else DEFAULT_TOLERANCE
        webhook_id, _timestamp = verify(secrets, headers, body, now=time.time(),
                                        tolerance=tolerance)
        # From here the delivery is authentic: work as the backend's user.
        # prefetch_fields=False: read the few backend fields used, not its every
        # column (a third of the request's time when measured)
        env = api.Environment(request.cr, settings['user_id'], {'prefetch_fields': False})
        backend = env[backend_model].browse(backend_id)
        handler = self._handler(env, backend)
        event = parse_event(body, handler.event_types())
        deliveries = env['connector.webhook.delivery'].sudo()
        delivery_id = deliveries._claim(backend, webhook_id, event['type'])
        if delivery_id is None:
            return 200, {'status': 'duplicate', 'message': 'delivery %s was received before'
                         % webhook_id}
        uuids = [uuid for uuid in handler.handle(event, webhook_id) if uuid]
        deliveries._set_jobs(delivery_id, uuids)
        if delivery_id % PURGE_EVERY == 0:
            deliveries._purge(backend, 2 * tolerance)
            env['connector.webhook.counter'].sudo()._compact()
        return 202, {'status': 'accepted', 'jobs': uuids}

    def _settings(self, backend_model, backend_id):
        """The webhook settings of the backend, or a 404 refusal."""
        unknown = WebhookRefused(404, 'unknown_backend', 'no backend %s,%s with webhooks in '
                                 'this database' % (backend_model, backend_id))
        model = request.registry.get(backend_model) if request.registry else None
        if model is None or model._abstract or 'webhook_secret' not in model._fields:
            raise unknown
        request.cr.execute(BACKEND_SETTINGS.format(table=model._table), (backend_id,))
        row = request.cr.fetchone()
        if not row:
            raise unknown
        secret, previous, until, tolerance, user_id = row
        if not secret or not user_id:
            raise WebhookRefused(404, 'not_configured', 'backend %s,%s has no webhook secret '
                                 'or no "Webhook jobs run as" user: generate a secret on its '
                                 'form' % (backend_model, backend_id))
        return {'secret': secret, 'previous_secret': previous, 'previous_until': until,
                'tolerance': tolerance, 'user_id': user_id}

    def _handler(self, env, backend):
        """The backend's ``WebhookHandler``, or a 404 refusal naming what to register."""
        session = ConnectorSession.from_env(env)
        connector_env = backend._connector_environment(session)
        try:
            return connector_env.get_connector_unit(WebhookHandler)
        except NoConnectorUnitError as err:
            raise WebhookRefused(404, 'no_handler', 'backend %s,%s handles no webhook: its '
                                 'connector registers no WebhookHandler for %s'
                                 % (backend._name, backend.id, backend._name)) from err

    def _count(self, outcome):
        if request.registry and 'connector.webhook.counter' in request.registry:
            request.env['connector.webhook.counter'].sudo()._count(outcome)
