# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job functions running the synchronizers of any connector.

A connector needs no job code of its own for the usual cases: it delays
these with its backend record (stored by reference) and model name::

    import_record.delay(session, 'shop.res.partner', backend, '17')
    export_record.delay(session, 'shop.res.partner', binding.id, fields=['name'])

Each job builds a ``ConnectorEnvironment`` and runs the unit registered
for the model on the backend.
"""
from ...binder import Binder
from ...environment import ConnectorEnvironment
from ...queue.job import job, related_action
from .batch_importer import DirectBatchImporter
from .deleter import Deleter
from .exporter import Exporter
from .importer import Importer


def _unit(session, backend_record, model_name, unit_class):
    backend_record = backend_record.with_env(session.env)
    return ConnectorEnvironment(backend_record, session, model_name).get_connector_unit(
        unit_class)


def open_binding(session, job, **kwargs):
    """Related action of the export jobs: open the exported binding."""
    binding = session.env[job.model_name].browse(job.args[0]).exists()
    if not binding:
        return None
    return {'type': 'ir.actions.act_window', 'res_model': binding._name,
            'res_id': binding.id, 'view_mode': 'form', 'name': job.description}


def open_imported_binding(session, job, **kwargs):
    """Related action of the import jobs: open the binding of the imported record."""
    backend_record, external_id = job.args[0], job.args[1]
    binding = _unit(session, backend_record, job.model_name, Binder).to_openerp(
        external_id, browse=True)
    if not binding:
        return None
    return {'type': 'ir.actions.act_window', 'res_model': binding._name,
            'res_id': binding.id, 'view_mode': 'form', 'name': job.description}


@job(default_channel='root')
@related_action(action=open_imported_binding)
def import_record(session, model_name, backend_record, external_id, force=False):
    """Import one external record."""
    return _unit(session, backend_record, model_name, Importer).run(external_id, force=force)


@job(default_channel='root')
def import_batch(session, model_name, backend_record, filters=None):
    """Import the external records matching the filters, in this job."""
    _unit(session, backend_record, model_name, DirectBatchImporter).run(filters=filters)


@job(default_channel='root')
@related_action(action=open_binding)
def export_record(session, model_name, binding_id, fields=None):
    """Export one binding."""
    binding = session.env[model_name].browse(binding_id)
    if not binding.exists():
        return 'Binding %s,%s no longer exists: nothing to export.' % (model_name, binding_id)
    return _unit(session, binding.backend_id, model_name, Exporter).run(binding_id,
                                                                        fields=fields)


@job(default_channel='root')
def export_delete_record(session, model_name, backend_record, external_id):
    """Delete one external record."""
    return _unit(session, backend_record, model_name, Deleter).run(external_id)
