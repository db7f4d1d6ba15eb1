# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..event import on_record_create, on_record_unlink, on_record_write
from ..session import ConnectorSession


class Base(models.AbstractModel):
    """Fires the connector's record events for every model.

    When no consumer listens to a model (the usual case), the cost is one
    or two dict lookups per call: no session is built.
    """

    _inherit = 'base'

    @api.model
    def create(self, vals):
        record = super().create(vals)
        if on_record_create.has_consumer_for(self.env, self._name):
            on_record_create.fire(ConnectorSession.from_env(self.env), self._name,
                                  record.id, vals)
        return record

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if on_record_write.has_consumer_for(self.env, self._name):
            session = ConnectorSession.from_env(self.env)
            for record_id in self.ids:
                on_record_write.fire(session, self._name, record_id, vals)
        return result

    @api.multi
    def unlink(self):
        if on_record_unlink.has_consumer_for(self.env, self._name):
            session = ConnectorSession.from_env(self.env)
            for record_id in self.ids:
                on_record_unlink.fire(session, self._name, record_id)
        return super().unlink()
