# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The example's webhook handler: a partner pushed by the remote becomes a job.

The remote Odoo (with ``connector_example_webhook_sender``) posts
``partner.created``, ``partner.updated`` and ``partner.deleted`` events
whose data is ``{"id": <remote partner id>}``. A created or updated
partner is imported by the usual import job (which reads the remote: the
event carries no values to trust); a deleted one has its local partner
archived, as a full import would. The jobs go to the backend's channel
and carry a key per partner: ten events about one partner while its job
is pending store one job.
"""
from odoo.addons.connector.event import NO_EXPORT_KEY
from odoo.addons.connector.exception import IDMissingInBackend
from odoo.addons.connector.queue.job import job
from odoo.addons.connector.unit.synchronizer.jobs import about_backend_argument
from odoo.addons.connector.unit.webhook_handler import WebhookHandler
from odoo.addons.connector.webhook import WebhookRefused

from ..backend import example
from .adapter import PartnerAdapter

BINDING_MODEL = 'example.res.partner'


@example
class ExampleWebhookHandler(WebhookHandler):
    """Imports or archives the partner named by a remote partner event."""

    _model_name = 'example.backend'
    _event_types = ('partner.created', 'partner.updated', 'partner.deleted')

    def handle(self, event, webhook_id):
        remote_id = event['data'].get('id')
        if not isinstance(remote_id, int) or isinstance(remote_id, bool) or remote_id <= 0:
            raise WebhookRefused(400, 'bad_data', 'event %s: data.id must be the remote '
                                 'partner id (a positive integer)' % event['type'])
        backend = self.backend_record
        external_id = str(remote_id)
        if event['type'] == 'partner.deleted':
            return [archive_deleted_partner.delay(
                self.session, BINDING_MODEL, backend, external_id,
                description='Archive partner %s deleted on the remote' % external_id,
                identity_key='example-webhook-delete-%d-%s' % (backend.id, external_id))]
        return [backend._delay_import(
            BINDING_MODEL, external_id,
            description='Import partner %s pushed by the remote' % external_id,
            identity_key='example-webhook-import-%d-%s' % (backend.id, external_id))]


# about its backend: counted with it, in its channel (connector/queue/about.py)
@job(default_channel='root', about=about_backend_argument)
def archive_deleted_partner(session, model_name, backend_record, external_id):
    """Archive the local partner of a remote partner deleted on the remote.

    The remote is asked first: a partner still there (the event was about
    another change, or was forged upstream) is imported instead.
    """
    backend_record = backend_record.with_env(session.env)
    connector_env = backend_record._connector_environment(session, model_name)
    try:
        connector_env.get_connector_unit(PartnerAdapter).read(external_id)
    except IDMissingInBackend:
        binding = connector_env.get_binder().to_openerp(external_id, browse=True)
        if not binding:
            return 'Remote partner %s is not bound here: nothing to archive.' % external_id
        binding.openerp_id.with_context(**{NO_EXPORT_KEY: True}).write({'active': False})
        return 'Partner %s archived: remote partner %s was deleted.' % (
            binding.openerp_id.display_name, external_id)
    backend_record._delay_import(model_name, external_id)
    return 'Remote partner %s still exists: import delayed instead.' % external_id
