# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job channels: a tree of lanes, each with a capacity, maybe sequential."""
from odoo import _, api, exceptions, fields, models

from ..queue.channels import ChannelConfigError, check_channel_name


class QueueJobChannel(models.Model):
    """A channel of the job queue.

    ``capacity`` bounds how many jobs of the channel and its subchannels run
    at once across all workers (0: no bound of its own); a ``sequential``
    channel runs its jobs one at a time, strictly in order, and stops at a
    failed job until it is requeued, set done or cancelled. A job whose
    channel has no record here is bound only by the channels above it.
    """

    _name = 'queue.job.channel'
    _description = 'Job Channel'
    _order = 'complete_name'
    _rec_name = 'complete_name'

    name = fields.Char(required=True)
    complete_name = fields.Char(compute='_compute_complete_name', store=True, readonly=True,
                                index=True)
    parent_id = fields.Many2one('queue.job.channel', string='Parent Channel',
                                ondelete='restrict')
    capacity = fields.Integer(default=0, help='Jobs of this channel and its subchannels '
                                              'running at once, on all workers; 0: no limit.')
    sequential = fields.Boolean(help='One job at a time, in queue order; a failed job '
                                     'blocks the channel until it is requeued or ended.')

    _sql_constraints = [
        ('complete_name_uniq', 'unique(complete_name)', 'A channel with this name exists.'),
        ('capacity_positive', 'CHECK (capacity >= 0)', 'The capacity cannot be negative.'),
    ]

    @api.depends('name', 'parent_id.complete_name')
    def _compute_complete_name(self):
        for channel in self:
            if channel.parent_id:
                channel.complete_name = '%s.%s' % (channel.parent_id.complete_name, channel.name)
            else:
                channel.complete_name = channel.name

    @api.constrains('complete_name', 'capacity', 'sequential')
    def _check_channel(self):
        for channel in self:
            try:
                check_channel_name(channel.complete_name)
            except ChannelConfigError as err:
                raise exceptions.ValidationError(str(err)) from err
            if channel.sequential and channel.capacity > 1:
                raise exceptions.ValidationError(_(
                    'Channel %s is sequential: its capacity can only be 0 or 1.')
                    % channel.complete_name)
