# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The base of every synchronizer: its units and its lock."""
import hashlib
import struct

from ...connector_unit import ConnectorUnit
from ...exception import RetryableJobError
from ..backend_adapter import BackendAdapter


class Synchronizer(ConnectorUnit):
    """Base class of importers, exporters and deleters.

    Gives the units a synchronization works with, created on first use:
    ``backend_adapter``, ``binder`` and ``mapper`` (of ``_base_mapper``).
    """

    _model_name = None
    _base_mapper = None
    _base_backend_adapter = BackendAdapter

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self._backend_adapter = None
        self._binder = None
        self._mapper = None

    def run(self, *args, **kwargs):
        """Run the synchronization. Subclasses implement it."""
        raise NotImplementedError

    @property
    def backend_adapter(self):
        if self._backend_adapter is None:
            self._backend_adapter = self.unit_for(self._base_backend_adapter)
        return self._backend_adapter

    @property
    def binder(self):
        if self._binder is None:
            self._binder = self.binder_for()
        return self._binder

    @property
    def mapper(self):
        if self._mapper is None:
            self._mapper = self.unit_for(self._base_mapper)
        return self._mapper

    def advisory_lock_or_retry(self, subject, retry_seconds=5):
        """Hold a lock on ``subject`` until the transaction ends, or retry later.

        Job 1 imports customer 17 and creates its binding; before job 1
        commits, job 2 imports customer 17 too. Job 2 cannot see job 1's
        uncommitted binding, so it would create a second partner. With
        this lock job 2 stops at once with a ``RetryableJobError``; when it
        runs again, job 1 has committed and job 2 updates the binding.

        The lock is a PostgreSQL transaction-level advisory lock keyed on
        the backend record, the model and ``subject`` (an external id or a
        binding id): it is released at commit or rollback, also when the
        process dies.
        """
        name = '%s,%s|%s|%s' % (self.backend_record._name, self.backend_record.id,
                                self.connector_env.model_name, subject)
        key = struct.unpack('>q', hashlib.sha1(name.encode('utf-8')).digest()[:8])[0]
        self.env.cr.execute('SELECT pg_try_advisory_xact_lock(%s)', (key,))
        if not self.env.cr.fetchone()[0]:
            raise RetryableJobError(
                'Backend %r (%s,%s): %s %s is being synchronized by another '
                'transaction; retrying in %s seconds.' % (
                    self.backend_record.display_name, self.backend_record._name,
                    self.backend_record.id, self.connector_env.model_name, subject,
                    retry_seconds),
                seconds=retry_seconds, ignore_retry=True)
