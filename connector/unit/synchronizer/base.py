# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The base of every synchronizer: its units, its locks, and the plan of each field."""
import hashlib
import struct
from contextlib import contextmanager

import psycopg2
import psycopg2.errorcodes

from ...connector_unit import ConnectorUnit
from ...exception import NoConnectorUnitError, RetryableJobError
from ..backend_adapter import BackendAdapter
from ..conflict import Conflict, ConflictResolver
from .sync_state import EXPORT, IMPORT, UNTRACKED, plan_field


class Synchronizer(ConnectorUnit):
    """Base class of importers, exporters and deleters.

    Gives the units a synchronization works with, created on first use:
    ``backend_adapter``, ``binder`` and ``mapper`` (of ``_base_mapper``).
    """

    _model_name = None
    _base_mapper = None
    _base_backend_adapter = BackendAdapter
    _external_date_field = None
    """Key of the external record holding its last change date, if it has one."""

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self.external_record = None
        self.sync_state = None
        """The binding's ``SyncState`` while an importer or an exporter plans its fields."""
        self._backend_adapter = None
        self._binder = None
        self._mapper = None
        self._conflict_resolver = None

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

    @property
    def conflict_resolver(self):
        """The ConflictResolver registered for the model, or the default one."""
        if self._conflict_resolver is None:
            try:
                self._conflict_resolver = self.unit_for(ConflictResolver)
            except NoConnectorUnitError:
                self._conflict_resolver = ConflictResolver(self.connector_env)
        return self._conflict_resolver

    def _plan_fields(self, direction, binding, names, local, remote):
        """Plan each field of ``names`` (``sync_state.plan_field``); carry out all but the writes.

        ``local`` and ``remote`` hold each side's comparable values (a field
        missing from one is not comparable). A conflict is settled first
        (``ConflictResolver.settle``). Then the values now synchronized are
        recorded in ``self.sync_state`` (a field to send, once sent: the
        exporter does it), and the jobs that carry a conflict's winner
        are delayed. The caller writes and sends.

        :returns: ``{name: FieldPlan}``
        """
        plans = {}
        for name in names:
            last = self.sync_state.get(name, UNTRACKED)
            here, there = local.get(name, UNTRACKED), remote.get(name, UNTRACKED)
            plan = plan_field(direction, last, here, there)
            if plan.undecided:
                decision = self.conflict_resolver.settle(Conflict(
                    binding, name, last, here, there,
                    remote_date=self._get_external_updated_at()))
                plan = plan_field(direction, last, here, there, decision)
            if not plan.send:
                self.sync_state.record(name, plan, here, there)
            if plan.later == IMPORT:  # one import per field, as it always was
                self._delay_later(IMPORT, binding, [name])
            plans[name] = plan
        exported = [name for name, plan in plans.items() if plan.later == EXPORT]
        if exported:
            self._delay_later(EXPORT, binding, exported)
        return plans

    def _delay_later(self, direction, binding, field_names):
        """Delay the job a plan's ``later`` names (``EXPORT`` of ``field_names``, or
        ``IMPORT``): it carries the value that won a conflict where this run cannot."""
        backend = self.backend_record.display_name
        if direction == EXPORT:
            binding._delay_export(
                fields=sorted(field_names),
                description='Export %s of %s to %s (conflict decided for Odoo)' % (
                    ', '.join(sorted(field_names)), binding.display_name, backend))
        else:
            binding._delay_import(description='Import %s from %s (conflict decided for the '
                                              'backend)' % (binding.display_name, backend))

    def _get_external_updated_at(self):
        """Last change date of the external record, or None when unknown."""
        if not self._external_date_field or not self.external_record:
            return None
        return self.external_record.get(self._external_date_field) or None

    def log_on_binding(self, binding, text):
        """Add a dated line to the binding's synchronization log (newest first)."""
        binding._add_sync_log(text)

    @contextmanager
    def retry_if_bound_meanwhile(self, what):
        """Turn a duplicate binding created in the block into a retry: another
        transaction won the race. ``what`` names the binding in the message.

        Job 1 imports company 31 and commits. Job 2, importing a contact of
        31, started its transaction just before that commit: Odoo's
        transactions are REPEATABLE READ, so job 2 does not see job 1's
        binding even after taking the advisory lock (job 1 released it by
        committing), and creates a second one. The unique index on
        (backend, external id) -- or (backend, Odoo record) -- refuses it;
        job 2 is retried and, in a new transaction, finds job 1's binding.
        Nothing is created twice. Exports meet the same race on the
        bindings of their dependencies.
        """
        try:
            yield
        except psycopg2.IntegrityError as err:
            if err.pgcode != psycopg2.errorcodes.UNIQUE_VIOLATION:
                raise
            raise RetryableJobError(
                'Backend %r (%s,%s): %s was bound by another transaction at the same '
                'time (%s); retrying in 2 seconds.' % (
                    self.backend_record.display_name, self.backend_record._name,
                    self.backend_record.id, what, str(err).splitlines()[0]),
                seconds=2) from err

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
