# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""List the external records to import, then import each one."""
from ...queue.bulk import bulk_enqueue
from ...queue.graph import group
from .base import Synchronizer
from .importer import Importer


class BatchImporter(Synchronizer):
    """Searches external ids with the adapter and imports each one.

    ``run(filters=None)`` passes ``filters`` to ``_search`` (by default the
    adapter's ``search``; for example the records changed since a date)
    and calls ``_import_record`` for every external id found.
    """

    def run(self, filters=None):
        """Import the records matching ``filters``; returns their external ids."""
        external_ids = self._search(filters)
        with bulk_enqueue(self.env):  # delayed jobs: stored 5,000 per COPY
            self._import_records(external_ids)
        return external_ids

    def _search(self, filters):
        """The external ids to import, in order.

        Override this method to read more about each record in the same
        remote call (see ``DelayedBatchImporter._dependency_groups``).
        """
        return self.backend_adapter.search(filters)

    def _import_records(self, external_ids):
        for external_id in external_ids:
            self._import_record(external_id)

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

    Records to import before others -- a company before its contacts --
    are told by ``_dependency_groups``: their jobs are then delayed as a
    job graph (``queue/graph.py``), and a contact's job runs only once its
    company's is done, instead of racing it on another worker and being
    retried. The example connector's ``PartnerBatchImporter``
    (``connector_example/units/synchronizers.py``, tested by
    ``connector_example/tests/test_batch_import_graph.py``) shows the whole
    of it: its ``_search`` keeps each listed id's parent, read in the same
    remote call as the ids, and its ``_dependency_groups`` returns
    ``(company id, [its contacts' ids])`` pairs.
    """

    _job_options = {}

    def _dependency_groups(self, external_ids):
        """Which records must be imported before which; none by default.

        Override this method to return ``(external_id, [dependent external
        ids])`` pairs: the dependents' jobs wait until ``external_id``'s is
        done (among them, no order). Pairs chain: ``('A', ['B'])`` and
        ``('B', ['C'])`` import A, then B, then C. Only ids of
        ``external_ids`` count: a dependent whose record is not listed in
        this batch (say, a contact changed since the last run while its
        company was not) is delayed alone, and its importer's
        ``_import_dependencies`` imports what it needs. Each set of linked
        jobs is one graph (its own ``graph_uuid``); jobs that depend on
        nothing and that nothing depends on are stored as usual, 5,000 per
        COPY. A cycle (A before B before A) raises ``JobError`` and nothing
        is delayed.
        """
        return []

    def _import_records(self, external_ids):
        listed = set(external_ids)
        graph_jobs = {}

        def delayable(external_id):
            if external_id not in graph_jobs:
                graph_jobs[external_id] = self.backend_record._delayable_import(
                    self.connector_env.model_name, external_id,
                    **self._job_options_for(external_id))
            return graph_jobs[external_id]

        for external_id, dependents in self._dependency_groups(external_ids):
            dependents = [other for other in dependents
                          if other in listed and other != external_id]
            if external_id in listed and dependents:
                delayable(external_id).on_done(group(*map(delayable, dependents)))
        for external_id in external_ids:
            graph_job = graph_jobs.get(external_id)
            if graph_job is None:
                self._import_record(external_id)
            elif not graph_job.stored:
                graph_job.delay()  # with every job linked to it, in one COPY

    def _job_options_for(self, external_id):
        """The options of ``external_id``'s import job: ``_job_options`` and a description."""
        options = dict(self._job_options)
        options.setdefault('description', 'Import %s %s from %s' % (
            self.connector_env.model_name, external_id, self.backend_record.display_name))
        return options

    def _import_record(self, external_id):
        self.backend_record._delay_import(self.connector_env.model_name, external_id,
                                          **self._job_options_for(external_id))
