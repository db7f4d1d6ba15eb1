# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An event consumer of the test addon, to check it is called only in the
databases where the addon is installed."""
from odoo.addons.connector.event import on_record_write

RECORD_KEY = 'test_connector_record_events'

recorded_writes = []
"""(database, model, id, vals) of partner writes made with RECORD_KEY in the context."""


@on_record_write(model_names=['res.partner'])
def record_partner_write(session, model_name, record_id, vals):
    if session.context.get(RECORD_KEY):
        recorded_writes.append((session.cr.dbname, model_name, record_id, dict(vals)))
