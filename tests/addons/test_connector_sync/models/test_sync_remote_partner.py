# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TestSyncRemotePartner(models.Model):
    """The "external system" of the tests: a real table, reached only by the adapter.

    Being a table, it is shared by every connection to the database, which
    lets tests run two imports of one record from two real transactions.
    """

    _name = 'test.sync.remote.partner'
    _description = 'Remote partner (test stand-in for an external system)'

    name = fields.Char()
    email = fields.Char()
    is_company = fields.Boolean()
    parent_id = fields.Many2one('test.sync.remote.partner', string='Company')
