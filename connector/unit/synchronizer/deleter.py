# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Delete one record of the external system."""
from .base import Synchronizer


class Deleter(Synchronizer):
    """Deletes an external record: ``run(external_id)``.

    Typically delayed by a consumer of ``on_record_unlink`` on a binding:
    the binding is gone by the time the job runs, so the deleter gets the
    external id. Override ``_delete`` to archive instead of deleting.
    """

    def run(self, external_id):
        self.advisory_lock_or_retry(external_id)
        self._delete(external_id)
        return 'Record %s deleted on the backend.' % (external_id,)

    def _delete(self, external_id):
        self.backend_adapter.delete(external_id)
