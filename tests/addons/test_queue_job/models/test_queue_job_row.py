# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.connector.queue.job import job


class TestQueueJobRow(models.Model):
    """A row written by a test job: which job (key), which process, when."""

    _name = 'test.queue.job.row'
    _description = 'Row written by a test job'

    key = fields.Char(index=True)
    note = fields.Char()
    pid = fields.Integer()
    started = fields.Float(digits=(16, 6))
    ended = fields.Float(digits=(16, 6))

    @job(default_channel='root.rows')
    @api.multi
    def write_note(self, note):
        """Write a note on the rows."""
        self.write({'note': note})
        return len(self)


class TestQueueJobSecret(models.Model):
    """Only connector managers may create these: a job of another user fails."""

    _name = 'test.queue.job.secret'
    _description = 'Record only connector managers may create'

    name = fields.Char()
