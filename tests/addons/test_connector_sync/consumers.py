# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Export a bound partner when it is written (directly, without a job)."""
from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.event import on_record_write, skip_if_no_export

from .units import PartnerExporter

exported = []
"""(binding id, fields) of each export triggered by a write."""


@on_record_write(model_names=['test.sync.partner'])
@skip_if_no_export
def export_partner(session, model_name, record_id, vals):
    binding = session.env[model_name].browse(record_id)
    exported.append((record_id, sorted(vals)))
    connector_env = ConnectorEnvironment(binding.backend_id, session, model_name)
    connector_env.get_connector_unit(PartnerExporter).run(record_id, fields=list(vals))
