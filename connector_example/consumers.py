# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Local changes of bound partners are exported to the remote through jobs.

Writes made by the synchronizers carry ``connector_no_export``: they are
skipped, so an import never sends back what it just imported.
"""
from odoo.addons.connector.event import (on_record_create, on_record_unlink, on_record_write,
                                         skip_if_no_export)
from odoo.addons.connector.unit.synchronizer.jobs import export_delete_record, export_record

BINDING_MODEL = 'example.res.partner'


@on_record_create(model_names=[BINDING_MODEL])
@skip_if_no_export
def delay_export_new_binding(session, model_name, record_id, vals):
    """A partner bound by hand to a backend is created on the remote."""
    export_record.delay(session, model_name, record_id)


@on_record_write(model_names=['res.partner'])
@skip_if_no_export
def delay_export_partner(session, model_name, record_id, vals):
    """A change of a bound partner is sent to the remote, field by field.

    Only ``res.partner`` is listened to: a write on a binding writes its
    partner's fields through ``_inherits``, which fires this event too.
    """
    partner = session.env[model_name].browse(record_id)
    for binding in partner.example_bind_ids:
        export_record.delay(session, BINDING_MODEL, binding.id, fields=sorted(vals))


@on_record_unlink(model_names=[BINDING_MODEL])
@skip_if_no_export
def delay_delete_remote(session, model_name, record_id):
    """Deleting a binding deletes (or archives) the remote partner."""
    binding = session.env[model_name].browse(record_id)
    if binding.external_id:
        export_delete_record.delay(session, model_name, binding.backend_id,
                                   binding.external_id)
