# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""List the external records to import, then import each one."""
from ...queue.bulk import bulk_enqueue
from .base import Synchronizer
from .importer import Importer


class BatchImporter(Synchronizer):
    """Searches external ids with the adapter and imports each one.

    ``run(filters=None)`` passes ``filters`` to the adapter's ``search``
    (for example the records changed since a date) and calls
    ``_import_record`` for every external id found.
    """

    def run(self, filters=None):
        """Import the records matching ``filters``; returns their external ids."""
        external_ids = self.backend_adapter.search(filters)
        with bulk_enqueue(self.env):  # delayed jobs: stored 5,000 per COPY
            for external_id in external_ids:
                self._import_record(external_id)
        return external_ids

    def _import_record(self, external_id):
        """Import (or delay the import of) one record. Subclasses implement it."""
        raise NotImplementedError


class DirectBatchImporter(BatchImporter):
    """Imports every record at once, in the current transaction."""

    _base_importer = Importer

    def _import_record(self, external_id):
        self.unit_for(self._base_importer).run(external_id)


class DelayedBatchImporter(BatchImporter):
    """Delays one ``import_record`` job per external id.

    ``_job_options`` (priority, max_retries, channel...) are given to
    each job; override it to tune them.
    """

    _job_options = {}

    def _import_record(self, external_id):
        options = dict(self._job_options)
        options.setdefault('description', 'Import %s %s from %s' % (
            self.connector_env.model_name, external_id, self.backend_record.display_name))
        self.backend_record._delay_import(self.connector_env.model_name, external_id,
                                          **options)
