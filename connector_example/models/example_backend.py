# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.exception import ConnectorException
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.synchronizer import DelayedBatchImporter

from ..units.adapter import PartnerAdapter

BINDING_MODEL = 'example.res.partner'


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
        help='Start of the last successful partner import; the next one reads the partners '
             'changed since then. Empty: import all.')
    connection_status = fields.Char(readonly=True)
    partner_binding_ids = fields.One2many(BINDING_MODEL, 'backend_id', string='Partner bindings')
    partner_binding_count = fields.Integer(compute='_compute_status')
    pending_job_count = fields.Integer(compute='_compute_status')
    failed_job_count = fields.Integer(compute='_compute_status')

    @api.depends('partner_binding_ids')
    def _compute_status(self):
        jobs = self.env['queue.job'].sudo()
        pending = jobs.search_count([('model_name', '=', BINDING_MODEL),
                                     ('state', 'in', ('pending', 'enqueued', 'started'))])
        failed = jobs.search_count([('model_name', '=', BINDING_MODEL),
                                    ('state', '=', 'failed')])
        for backend in self:
            backend.partner_binding_count = len(backend.partner_binding_ids)
            backend.pending_job_count = pending
            backend.failed_job_count = failed

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
            adapter.login()
            count = adapter.execute('search_count', [[]])
        except ConnectorException as err:
            self.connection_status = str(err)
            raise UserError(str(err)) from err
        self.connection_status = _('Connected to %s (%s partners) on %s') % (
            self.database, count, fields.Datetime.now())
        return True

    @api.multi
    def import_partners(self):
        """Delay one import job per remote partner changed since the last run."""
        for backend in self:
            started = fields.Datetime.now()
            filters = {'since': backend.import_partners_since} \
                if backend.import_partners_since else None
            importer = backend._example_environment().get_connector_unit(DelayedBatchImporter)
            importer.run(filters=filters)
            backend.import_partners_since = started
        return True

    @api.multi
    def action_import_partners(self):
        """Button: import the changed partners now (through jobs)."""
        return self.import_partners()

    @api.model
    def _cron_import_partners(self):
        """Cron: delta import of every backend."""
        self.search([]).import_partners()
