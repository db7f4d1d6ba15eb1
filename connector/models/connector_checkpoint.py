# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConnectorCheckpoint(models.Model):
    """A record that a person should review after a synchronization.

    For example a partner created by an import whose address could not be
    matched: the importer calls ``add_checkpoint(...)`` and a connector
    manager finds it in Connectors > Checkpoints, then marks it reviewed.
    """

    _name = 'connector.checkpoint'
    _description = 'Connector Checkpoint'
    _order = 'id desc'

    name = fields.Char(compute='_compute_name', store=True)
    model_id = fields.Many2one('ir.model', required=True, ondelete='cascade', readonly=True)
    record_id = fields.Integer(string='Record ID', required=True, readonly=True)
    record = fields.Reference(selection='_select_models', compute='_compute_record',
                              string='Record to review')
    backend_model = fields.Char(required=True, readonly=True)
    backend_res_id = fields.Integer(string='Backend ID', required=True, readonly=True)
    backend_id = fields.Reference(selection='_select_models', compute='_compute_backend')
    message = fields.Text(readonly=True)
    state = fields.Selection([('need_review', 'Need review'), ('reviewed', 'Reviewed')],
                             required=True, default='need_review', readonly=True)
    # A conflict (see connector/unit/conflict.py): one field of a binding
    # changed on both sides; the values are comparable values in JSON.
    conflict_field = fields.Char(readonly=True, help='Technical name of the field in conflict.')
    local_value = fields.Text(readonly=True)
    remote_value = fields.Text(readonly=True)
    local_display = fields.Char(string='Value in Odoo', readonly=True)
    remote_display = fields.Char(string='Value on the backend', readonly=True)
    local_changed = fields.Char(string='Changed in Odoo', readonly=True)
    remote_changed = fields.Char(string='Changed on the backend', readonly=True)
    resolution = fields.Selection([('local', 'Odoo value kept'), ('remote', 'Backend value kept')],
                                  readonly=True)

    @api.model
    def _select_models(self):
        return [(model.model, model.name) for model in self.env['ir.model'].search([])]

    @api.depends('model_id', 'record_id')
    def _compute_name(self):
        for checkpoint in self:
            checkpoint.name = '%s,%s' % (checkpoint.model_id.model, checkpoint.record_id)

    @api.depends('model_id', 'record_id')
    def _compute_record(self):
        for checkpoint in self:
            checkpoint.record = '%s,%s' % (checkpoint.model_id.model, checkpoint.record_id)

    @api.depends('backend_model', 'backend_res_id')
    def _compute_backend(self):
        for checkpoint in self:
            checkpoint.backend_id = '%s,%s' % (checkpoint.backend_model,
                                               checkpoint.backend_res_id)

    @api.multi
    def action_reviewed(self):
        """Mark the checkpoints as reviewed."""
        self.write({'state': 'reviewed'})
        return True

    @api.multi
    def action_keep_local(self):
        """Conflict: keep the Odoo value; it is sent to the backend by a job."""
        return self._settle_conflict('local')

    @api.multi
    def action_keep_remote(self):
        """Conflict: keep the backend value; it is imported by a job."""
        return self._settle_conflict('remote')

    def _settle_conflict(self, winner):
        for checkpoint in self:
            if not checkpoint.conflict_field or checkpoint.state != 'need_review':
                raise UserError(_('Checkpoint %s is not an open conflict: nothing to choose.')
                                % checkpoint.name)
            binding = self.env[checkpoint.model_id.model].browse(checkpoint.record_id).exists()
            if not binding:
                raise UserError(_('Checkpoint %(checkpoint)s: the binding %(binding)s no '
                                  'longer exists; mark the checkpoint reviewed.') % {
                    'checkpoint': checkpoint.name,
                    'binding': '%s,%s' % (checkpoint.model_id.model, checkpoint.record_id)})
            binding._settle_conflict(checkpoint.conflict_field, winner,
                                     json.loads(checkpoint.remote_value))
            checkpoint.write({'state': 'reviewed', 'resolution': winner})
        return True

    @api.multi
    def action_open_record(self):
        """Open the record to review."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': self.model_id.model,
            'res_id': self.record_id,
            'view_mode': 'form',
            'target': 'current',
        }
