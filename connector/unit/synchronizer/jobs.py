# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Job functions running the synchronizers of any connector.

A connector needs no job code of its own for the usual cases: it delays
these with its backend record (stored by reference) and model name::

    import_record.delay(session, 'shop.res.partner', backend, '17')
    export_record.delay(session, 'shop.res.partner', binding.id, fields=['name'])

Each job builds a ``ConnectorEnvironment`` and runs the unit registered
for the model on the backend.

Each job is stored with what it is about (``queue/about.py``): an import or
a deletion is about its backend, an export about its binding and counted
with the binding's backend; either goes to the backend's job channel when
the caller names none. A connector's own job function whose first argument
is its backend record, or a binding id, says so the same way::

    @job(about=about_backend_argument)
    def import_orders(session, model_name, backend_record, since=None):
        ...
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


def about_backend_argument(session, model_name, backend_record, *args, **kwargs):
    """``@job(about=...)`` of a job whose first argument is its backend record:
    the job is about that backend (``connector.backend._job_about``)."""
    return backend_record.with_env(session.env)._job_about()


def about_binding_argument(session, model_name, binding_id, *args, **kwargs):
    """``@job(about=...)`` of a job whose first argument is the id of a binding of
    ``model_name``: the job is about that binding, counted with its backend
    (``external.binding._job_about``)."""
    return session.env[model_name].browse(binding_id)._job_about()


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


@job(default_channel='root', about=about_backend_argument)
@related_action(action=open_imported_binding)
def import_record(session, model_name, backend_record, external_id, force=False):
    """Import one external record."""
    return _unit(session, backend_record, model_name, Importer).run(external_id, force=force)


@job(default_channel='root', about=about_backend_argument)
def import_batch(session, model_name, backend_record, filters=None):
    """Import the external records matching the filters, in this job."""
    _unit(session, backend_record, model_name, DirectBatchImporter).run(filters=filters)


@job(default_channel='root', about=about_binding_argument)
@related_action(action=open_binding)
def export_record(session, model_name, binding_id, fields=None):
    """Export one binding."""
    binding = session.env[model_name].browse(binding_id)
    if not binding.exists():
        return 'Binding %s,%s no longer exists: nothing to export.' % (model_name, binding_id)
    return _unit(session, binding.backend_id, model_name, Exporter).run(binding_id,
                                                                        fields=fields)


@job(default_channel='root', about=about_backend_argument)
def export_delete_record(session, model_name, backend_record, external_id):
    """Delete one external record."""
    return _unit(session, backend_record, model_name, Deleter).run(external_id)
