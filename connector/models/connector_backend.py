# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..backend import get_backend
from ..exception import BackendNotFound, ConnectorException
from ..session import ConnectorSession
from ..unit.conflict import ASK, POLICIES
from ..unit.synchronizer.jobs import import_record


class ConnectorBackend(models.AbstractModel):
    """Base of the backend models: one record per external system to sync with.

    A concrete backend model names its service in ``_backend_type`` and
    fills the ``version`` selection::

        class ShopBackend(models.Model):
            _name = 'shop.backend'
            _inherit = 'connector.backend'
            _backend_type = 'shop'

            version = fields.Selection([('2.0', 'Shop 2.0')])
    """

    _name = 'connector.backend'
    _description = 'Connector Backend'
    _backend_type = None

    name = fields.Char(required=True)
    version = fields.Selection(selection=[], required=True)
    conflict_policy = fields.Selection(
        POLICIES, string='When both sides changed a field', required=True, default=ASK,
        help='A field changed both in Odoo and on the backend since the last '
             'synchronization: which value both sides get. "Ask a person" overwrites '
             'neither and adds a checkpoint with both values and buttons to keep one. '
             'Each decision is logged on the binding.')
    job_channel_id = fields.Many2one(
        'queue.job.channel', string='Job channel', ondelete='restrict',
        help="The channel of this backend's jobs (imports, exports, deletions): give it "
             'a capacity or a rate limit in Queue > Channels to spare the external '
             "account. Empty: each job goes to its function's channel.")

    @api.multi
    def get_backend(self):
        """The ``Backend`` registered for this record's service and version."""
        self.ensure_one()
        if not self._backend_type:
            raise ConnectorException(
                'Model %s has no _backend_type: set it to the service name '
                'used by its Backend, e.g. _backend_type = %r.'
                % (self._name, self._name.split('.')[0]))
        try:
            return get_backend(self._backend_type, self.version)
        except BackendNotFound as err:
            raise BackendNotFound(
                'Backend record %r (%s,%s): %s' % (self.name, self._name, self.id, err)
            ) from err

    @api.multi
    def _delay_import(self, model_name, external_id, **job_options):
        """Delay the import of ``external_id`` into binding model ``model_name``; its uuid.

        The synchronizers delay their jobs through this method (and the
        binding's ``_delay_export``/``_delay_import``), so that they need
        not import the job functions, which import them.
        """
        self.ensure_one()
        return import_record.delay(ConnectorSession.from_env(self.env), model_name, self,
                                   external_id, **job_options)

    @api.multi
    def _delayable_import(self, model_name, external_id, **job_options):
        """The import of ``external_id`` as a job of a graph, not stored yet: a
        ``Delayable`` to link with ``chain``/``group``/``on_done`` (``queue/graph.py``)."""
        self.ensure_one()
        return import_record.delayable(ConnectorSession.from_env(self.env), model_name, self,
                                       external_id, **job_options)
