# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.exception import ConnectorException
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.synchronizer import DelayedBatchImporter

from ..units.adapter import PartnerAdapter

_logger = logging.getLogger(__name__)

BINDING_MODEL = 'example.res.partner'

#: Job states counted by the status panel: waiting or running, and failed.
PENDING_JOB_STATES = ('wait_dependencies', 'pending', 'enqueued', 'started')
FAILED_JOB_STATES = ('failed',)


class ExampleBackend(models.Model):
    """A remote Odoo database that partners are synchronized with."""

    _name = 'example.backend'
    _inherit = 'connector.backend'
    _description = 'Example Backend (remote Odoo)'
    _backend_type = 'example'

    version = fields.Selection([('11.0', 'Odoo 11.0')], required=True, default='11.0')
    url = fields.Char(string='URL', required=True, help='Root URL, e.g. http://localhost:8069')
    database = fields.Char(required=True)
    login = fields.Char(required=True)
    password = fields.Char(groups='base.group_system')
    timeout = fields.Integer(default=30, help='Seconds to wait for an answer of the remote.')
    deletion_mode = fields.Selection(
        [('delete', 'Delete the remote partner'), ('archive', 'Archive the remote partner')],
        string='When a binding is deleted', required=True, default='archive')
    import_partners_since = fields.Datetime(
        help='Start time of the last partner import whose jobs were all delayed; the next '
             'import reads the remote partners changed since then. Jobs may still be pending '
             'or failed: see the job counts. Empty: import all.')
    connection_status = fields.Char(readonly=True)
    requests_per_second = fields.Float(
        string='Requests per second', default=0,
        help='At most this many jobs of this backend start per second, on all '
             'workers together (each job sends the remote a few requests): the '
             "rate limit of the backend's job channel, root.example.backend_<id>. "
             "0: no limit. The remote's own throttling answers (429, 503 with "
             'Retry-After) pause the channel whatever this says.')
    partner_binding_ids = fields.One2many(BINDING_MODEL, 'backend_id', string='Partner bindings')
    partner_binding_count = fields.Integer(compute='_compute_status')
    pending_job_count = fields.Integer(compute='_compute_status')
    failed_job_count = fields.Integer(compute='_compute_status')

    @api.depends('partner_binding_ids')
    def _compute_status(self):
        pending = self._partner_job_ids(PENDING_JOB_STATES)
        failed = self._partner_job_ids(FAILED_JOB_STATES)
        for backend in self:
            backend.partner_binding_count = len(backend.partner_binding_ids)
            backend.pending_job_count = len(pending.get(backend.id, ()))
            backend.failed_job_count = len(failed.get(backend.id, ()))

    _sql_constraints = [
        ('requests_per_second_positive', 'CHECK (requests_per_second >= 0)',
         'Requests per second cannot be negative (0: no limit).'),
    ]

    @api.model
    def create(self, vals):
        backend = super().create(vals)
        if backend.requests_per_second:
            backend._example_apply_rate()
        return backend

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if 'requests_per_second' in vals:
            self._example_apply_rate()
        return result

    def _example_apply_rate(self):
        """Give each backend its own job channel, limited to ``requests_per_second``
        starts per second (a fraction becomes starts per minute)."""
        channels = self.env['queue.job.channel'].sudo()
        parent = channels.search([('complete_name', '=', 'root.example')]) or channels.create({
            'name': 'example',
            'parent_id': channels.search([('complete_name', '=', 'root')]).id
            or channels.create({'name': 'root'}).id})
        for backend in self:
            rate = backend.requests_per_second
            if float(rate).is_integer():
                limit, period = int(rate), 1
            else:
                limit, period = max(1, int(round(rate * 60))), 60
            values = {'rate_limit': limit, 'rate_period': period}
            channel = backend.job_channel_id.sudo()
            if channel:
                channel.write(values)
            else:
                backend.job_channel_id = channels.create(dict(
                    values, name='backend_%d' % backend.id, parent_id=parent.id))

    def _partner_job_ids(self, states):
        """``{backend id: ids of its partner jobs in states}``, for all of ``self`` at once."""
        return self.env['queue.job'].sudo()._backend_job_ids(BINDING_MODEL, self, states)

    def _example_settings(self):
        """Connection settings for the adapter (password included: call with sudo)."""
        self.ensure_one()
        return {'url': self.url, 'database': self.database, 'login': self.login,
                'password': self.password or '', 'timeout': self.timeout or 30}

    def _example_environment(self, model_name=BINDING_MODEL):
        session = ConnectorSession.from_env(self.env)
        return ConnectorEnvironment(self, session, model_name)

    @api.multi
    def action_test_connection(self):
        """Log in on the remote and say whether it worked."""
        self.ensure_one()
        adapter = self._example_environment().get_connector_unit(PartnerAdapter)
        try:
            adapter.login(fresh=True)
            count = adapter.execute('search_count', [[]])
        except ConnectorException as err:
            self.connection_status = str(err)
            raise UserError(str(err)) from err
        self.connection_status = _(
            'Connected to %(database)s (%(count)s partners) on %(date)s') % {
                'database': self.database, 'count': count, 'date': fields.Datetime.now()}
        return True

    @api.multi
    def import_partners(self):
        """Delay one import job per remote partner changed since the last run.

        Per backend, all or nothing: ``import_partners_since`` moves to the
        time taken before the remote search only once a job is delayed for
        every partner found. When the search or a delay raises, the jobs of
        that run are rolled back (savepoint), ``import_partners_since``
        keeps its value, and the exception propagates: a caller that
        catches it sees that backend as before the run (backends of
        ``self`` imported before it keep their jobs and their new date).
        """
        for backend in self:
            started = fields.Datetime.now()
            filters = {'since': backend.import_partners_since} \
                if backend.import_partners_since else None
            importer = backend._example_environment().get_connector_unit(DelayedBatchImporter)
            try:
                with self.env.cr.savepoint():
                    importer.run(filters=filters)
                    backend.import_partners_since = started
            except Exception:
                self.invalidate_cache()  # values cached inside the rolled back savepoint
                raise
        return True

    @api.multi
    def action_import_partners(self):
        """Button: import the changed partners now (through jobs)."""
        return self.import_partners()

    @api.multi
    def action_open_pending_jobs(self):
        """Stat button: the jobs of this backend counted as pending (waiting or running)."""
        return self._action_open_jobs(PENDING_JOB_STATES, _('Pending jobs of %s'))

    @api.multi
    def action_open_failed_jobs(self):
        """Stat button: the failed jobs of this backend."""
        return self._action_open_jobs(FAILED_JOB_STATES, _('Failed jobs of %s'))

    def _action_open_jobs(self, states, title):
        """The jobs list, showing exactly the jobs the status panel counts in ``states``."""
        self.ensure_one()
        action = self.env.ref('connector.queue_job_action').read()[0]
        action.update(name=title % self.name,
                      domain=[('id', 'in', self._partner_job_ids(states).get(self.id, []))])
        return action

    @api.model
    def _cron_import_partners(self):
        """Cron: delta import of every backend.

        A backend whose import fails (remote down, bad credentials) is
        logged and left as it was, to be tried again at the next run; the
        other backends are imported all the same.
        """
        for backend in self.search([]):  # a handful of records  # pylint: disable=no-search-all
            try:
                backend.import_partners()
            except ConnectorException as err:
                _logger.warning('Example backend %r (id %s): partner import failed, '
                                'nothing delayed; the next run tries again: %s',
                                backend.name, backend.id, err)
