# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job channels: a tree of lanes, each with a capacity and a weight, maybe
sequential, maybe rate-limited or paused."""
from odoo import _, api, exceptions, fields, models

from ..queue.channels import ChannelConfigError, check_channel_name
from ..queue.rate_limits import RateLimit
from ..queue.store import QueueStore

#: Fields whose change the workers must learn of at once (they may sleep).
LIMIT_FIELDS = ('capacity', 'sequential', 'rate_limit', 'rate_period', 'rate_burst',
                'paused_until')


class QueueJobChannel(models.Model):
    """A channel of the job queue.

    ``capacity`` bounds how many jobs of the channel and its subchannels run
    at once across all workers (0: no bound of its own); a ``sequential``
    channel runs its jobs one at a time, strictly in order, and stops at a
    failed job until it is requeued, set done or cancelled. A job whose
    channel has no record here is bound only by the channels above it.

    ``rate_limit`` jobs per ``rate_period`` seconds may start in the channel
    and its subchannels, on all workers (``queue/rate_limits.py``), with
    ``rate_burst`` at once after a quiet spell. ``paused_until``: no job of
    the subtree starts before then; a job sets it when the remote asks us to
    slow down (``RemoteThrottled``), a person may resume the channel sooner.
    ``weight``: the channel's share of the starts its parent allows when the
    parent's capacity or rate is what holds starts back: a channel of weight
    3 gets three starts for one of a sibling of weight 1 while both have
    jobs to run, however old their jobs; a channel that had nothing to run
    gets no burst to catch up.

    Workers read all of these at each claim: a change here applies at once,
    without restarting them.
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
    rate_limit = fields.Integer(
        string='Rate limit', default=0,
        help='At most this many jobs of this channel and its subchannels start per '
             'period, on all workers together; 0: no rate limit.')
    rate_period = fields.Integer(string='Per (seconds)', default=1,
                                 help='The period of the rate limit, in seconds.')
    rate_burst = fields.Integer(
        string='Burst', default=1,
        help='Jobs that may start at once after a quiet spell; 1: evenly spaced.')
    weight = fields.Integer(
        default=1, required=True,
        help='Share of the starts this channel gets against the other subchannels of its '
             'parent, when the parent\'s capacity or rate limit is full: a channel of weight '
             '3 starts three jobs for one of a sibling of weight 1 while both have jobs to '
             'run, however old their jobs. A whole number from 1 (the default).')
    rate_display = fields.Char(string='Rate', compute='_compute_rate_display')
    paused_until = fields.Datetime(
        copy=False, help='No job of this channel or its subchannels starts before this '
                         'time, on any worker: the remote asked us to slow down.')
    pause_reason = fields.Text(readonly=True, copy=False)
    paused = fields.Boolean(compute='_compute_paused')

    _sql_constraints = [
        ('complete_name_uniq', 'unique(complete_name)', 'A channel with this name exists.'),
        ('capacity_positive', 'CHECK (capacity >= 0)', 'The capacity cannot be negative.'),
        ('rate_limit_positive', 'CHECK (rate_limit >= 0)',
         'The rate limit cannot be negative (0: no limit).'),
        ('rate_period_positive', 'CHECK (rate_period >= 1)',
         'The period of a rate limit is at least 1 second.'),
        ('rate_burst_positive', 'CHECK (rate_burst >= 1)',
         'The burst of a rate limit is at least 1 (evenly spaced starts).'),
        ('weight_positive', 'CHECK (weight >= 1)',
         'The weight of a channel is a whole number from 1 (1: the default share).'),
    ]

    @api.depends('name', 'parent_id.complete_name')
    def _compute_complete_name(self):
        for channel in self:
            if channel.parent_id:
                channel.complete_name = '%s.%s' % (channel.parent_id.complete_name, channel.name)
            else:
                channel.complete_name = channel.name

    @api.depends('rate_limit', 'rate_period', 'rate_burst')
    def _compute_rate_display(self):
        for channel in self:
            if channel.rate_limit > 0 and channel.rate_period > 0:
                text = str(RateLimit(channel.rate_limit, channel.rate_period))
                if channel.rate_burst > 1:
                    text += _(', burst %d') % channel.rate_burst
                channel.rate_display = text
            else:
                channel.rate_display = False

    @api.depends('paused_until')
    def _compute_paused(self):
        now = fields.Datetime.now()
        for channel in self:
            channel.paused = bool(channel.paused_until and channel.paused_until > now)

    @api.model_cr
    def init(self):
        """Create the queue's schema (``queue/sql/schema.sql``) when the addon is
        being installed: here, not on ``queue.job``, because it puts a trigger on
        this table, which Odoo makes after ``queue_job``. Not at an update: the
        schema's objects are versioned, and ``connector/migrations/`` brings an
        older database to them once."""
        installing = self.env['ir.module.module'].sudo().search_count(
            [('name', '=', 'connector'), ('state', '=', 'to install')])
        if installing:
            QueueStore(self.env.cr).create_schema()

    @api.model_cr_context
    def _auto_init(self):
        result = super()._auto_init()
        # The runner creates channel rows in SQL without naming every column
        # (a configured channel's missing parents): the column's default is 1
        # in the table too, not only in the ORM.
        QueueStore(self.env.cr).set_channel_weight_default()
        return result

    @api.model
    def create(self, vals):
        if 'weight' in vals:
            parent = self.browse(vals.get('parent_id'))
            name = '%s.%s' % (parent.complete_name, vals.get('name')) if parent else \
                vals.get('name')
            self._check_weight_value(name, vals['weight'])
        channel = super().create(vals)
        QueueStore(self.env.cr).notify_workers()
        return channel

    @api.multi
    def write(self, vals):
        if 'weight' in vals:
            for channel in self:
                self._check_weight_value(channel.complete_name, vals['weight'])
        result = super().write(vals)
        if any(name in vals for name in LIMIT_FIELDS):
            QueueStore(self.env.cr).notify_workers()
        return result

    @api.multi
    def action_resume(self):
        """Resume a paused channel now, on every worker."""
        self.write({'paused_until': False, 'pause_reason': False})
        return True

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

    @api.model
    def _check_weight_value(self, channel_name, weight):
        """Refuse a weight below 1 with a message naming the channel (before the
        table's CHECK would refuse it with a message naming none). A text of
        digits passes, as the ORM converts it."""
        try:
            number = int(weight)
        except (TypeError, ValueError):
            number = 0
        if isinstance(weight, bool) or number < 1:
            raise exceptions.ValidationError(_(
                'Channel %(channel)s: the weight must be a whole number from 1, not '
                "%(weight)r. It is the channel's share of its parent's starts against its "
                'sibling channels: 1 is the default, 3 gives three starts for one of a '
                'sibling of weight 1.') % {'channel': channel_name, 'weight': weight})
