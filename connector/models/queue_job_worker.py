# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job workers: one row per running ``odoo-bin jobrunner`` process."""
from odoo import fields, models


class QueueJobWorker(models.Model):
    """A job worker and its last heartbeat.

    Each worker refreshes its row every few seconds; jobs started by a
    worker whose heartbeat is too old go back to the queue (see
    ``jobrunner/MANUAL.rst``).
    """

    _name = 'queue.job.worker'
    _description = 'Job Worker'
    _order = 'name'
    _log_access = False

    name = fields.Char(required=True, readonly=True)
    pid = fields.Integer(string='PID', readonly=True)
    host = fields.Char(readonly=True)
    date_started = fields.Datetime(string='Started', readonly=True)
    heartbeat = fields.Datetime(string='Last Heartbeat', readonly=True)

    _sql_constraints = [
        ('name_uniq', 'unique(name)', 'A worker with this name exists.'),
    ]
