# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .. import webhook
from ..backend import get_backend
from ..environment import ConnectorEnvironment
from ..exception import BackendNotFound, ConnectorException
from ..session import ConnectorSession
from ..unit.conflict import ASK, POLICIES
from ..unit.synchronizer.jobs import import_record


class ConnectorBackend(models.AbstractModel):
    """Base of the backend models: one record per external system to sync with.

    A concrete backend model names its service in ``_backend_type`` and
    fills the ``version`` selection::

        class ShopBackend(models.Model):
            _name = 'shop.backend'
            _inherit = 'connector.backend'
            _backend_type = 'shop'

            version = fields.Selection([('2.0', 'Shop 2.0')])
    """

    _name = 'connector.backend'
    _description = 'Connector Backend'
    _backend_type = None

    name = fields.Char(required=True)
    version = fields.Selection(selection=[], required=True)
    conflict_policy = fields.Selection(
        POLICIES, string='When both sides changed a field', required=True, default=ASK,
        help='A field changed both in Odoo and on the backend since the last '
             'synchronization: which value both sides get. "Ask a person" overwrites '
             'neither and adds a checkpoint with both values and buttons to keep one. '
             'Each decision is logged on the binding.')
    job_channel_id = fields.Many2one(
        'queue.job.channel', string='Job channel', ondelete='restrict',
        help="The channel of this backend's jobs (imports, exports, deletions): give it "
             'a capacity or a rate limit in Queue > Channels to spare the external '
             "account. Empty: each job goes to its function's channel.")

    # Webhooks (controllers/webhook.py): the remote system POSTs its changes
    # to webhook_url, signed with the secret generated here.
    webhook_url = fields.Char(
        string='Webhook URL', compute='_compute_webhook_url',
        help='Give this URL and the secret to the remote system: it POSTs each change '
             'there in the Standard Webhooks format (webhook-id, webhook-timestamp and '
             'webhook-signature headers). The Odoo server must select this database for '
             'the request (a --db-filter matching only it, e.g. by host name). The '
             "backend's WebhookHandler unit decides which jobs an event stores.")
    webhook_secret = fields.Char(
        copy=False, readonly=True, groups='base.group_system',
        help='Shared with the remote system, which signs each delivery with it. '
             'Generate a new one with the button; the previous one stays accepted '
             'for the rotation period.')
    webhook_previous_secret = fields.Char(copy=False, readonly=True, groups='base.group_system')
    webhook_previous_until = fields.Datetime(
        string='Previous secret accepted until', copy=False, readonly=True)
    webhook_rotation_hours = fields.Integer(
        string='Rotation period (hours)', default=24,
        help='After a new secret is generated, deliveries signed with the previous '
             'one are still accepted for this many hours: time to give the new secret '
             'to the remote system.')
    webhook_tolerance = fields.Integer(
        string='Timestamp tolerance (s)', default=webhook.DEFAULT_TOLERANCE,
        help='A delivery whose timestamp is older or newer than this many seconds is '
             'refused (a replay, or a clock to fix).')
    webhook_user_id = fields.Many2one(
        'res.users', string='Webhook jobs run as', ondelete='restrict',
        help="The user the deliveries' jobs run as (a Connector Manager, not the "
             'administrator): the route itself only checks and stores. Set to you '
             'when you generate a secret, if empty.')

    @api.depends()
    def _compute_webhook_url(self):
        base_url = self.env['ir.config_parameter'].sudo().get_param('web.base.url', '')
        for backend in self:
            backend.webhook_url = backend.id and '%s/connector/webhook/%s/%d' % (
                base_url.rstrip('/'), backend._name, backend.id)

    @api.multi
    def action_generate_webhook_secret(self):
        """Button: a new webhook secret; the current one stays accepted for the
        rotation period."""
        self.ensure_one()
        if not self.env.user.has_group('base.group_system'):
            raise AccessError(_('Backend %r: only an administrator (Settings) can generate '
                                'its webhook secret, which only administrators can read.')
                              % self.name)
        values = {'webhook_secret': webhook.generate_secret()}
        current = self.sudo().webhook_secret
        if current:
            until = fields.Datetime.from_string(fields.Datetime.now()) + timedelta(
                hours=max(self.webhook_rotation_hours, 0))
            values.update(webhook_previous_secret=current,
                          webhook_previous_until=fields.Datetime.to_string(until))
        if not self.webhook_user_id:
            values['webhook_user_id'] = self.env.uid
        self.sudo().write(values)
        return True

    def _webhook_secrets(self):
        """The secrets a delivery may be signed with now (read with sudo)."""
        self.ensure_one()
        backend = self.sudo()
        secrets = [backend.webhook_secret] if backend.webhook_secret else []
        until = backend.webhook_previous_until
        if backend.webhook_previous_secret and until and until > fields.Datetime.now():
            secrets.append(backend.webhook_previous_secret)
        return secrets

    def _connector_environment(self, session, model_name=None):
        """A ``ConnectorEnvironment`` of this backend (its own model by default)."""
        self.ensure_one()
        return ConnectorEnvironment(self, session, model_name or self._name)

    @api.multi
    def get_backend(self):
        """The ``Backend`` registered for this record's service and version."""
        self.ensure_one()
        if not self._backend_type:
            raise ConnectorException(
                'Model %s has no _backend_type: set it to the service name '
                'used by its Backend, e.g. _backend_type = %r.'
                % (self._name, self._name.split('.')[0]))
        try:
            return get_backend(self._backend_type, self.version)
        except BackendNotFound as err:
            raise BackendNotFound(
                'Backend record %r (%s,%s): %s' % (self.name, self._name, self.id, err)
            ) from err

    def _job_about(self):
        """A job about a backend is counted with it, and goes to its job channel
        when its caller names none (``queue/about.py``).

        Jobs about the backend's bindings ask it too. Override this method to
        route them otherwise: return ``super()._job_about()._replace(channel=...)``.
        """
        about = super()._job_about()
        if about.res_id is None:  # several backends, or none
            return about
        return about._replace(backend_model=self._name, backend_id=self.id,
                              channel=self.job_channel_id.complete_name or None)

    @api.multi
    def _delay_import(self, model_name, external_id, **job_options):
        """Delay the import of ``external_id`` into binding model ``model_name``; its uuid.

        The synchronizers delay their jobs through this method (and the
        binding's ``_delay_export``/``_delay_import``), so that they need
        not import the job functions, which import them. The job is about
        this backend and goes to its job channel (``import_record``'s
        ``@job(about=...)``).
        """
        self.ensure_one()
        return import_record.delay(ConnectorSession.from_env(self.env), model_name, self,
                                   external_id, **job_options)

    @api.multi
    def _delayable_import(self, model_name, external_id, **job_options):
        """The import of ``external_id`` as a job of a graph, not stored yet: a
        ``Delayable`` to link with ``chain``/``group``/``on_done`` (``queue/graph.py``)."""
        self.ensure_one()
        return import_record.delayable(ConnectorSession.from_env(self.env), model_name, self,
                                       external_id, **job_options)
