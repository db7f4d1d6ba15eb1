# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The connection a worker runs its jobs' transactions on, kept from one job to the next.

Odoo's connection pool resets a connection each time it lends it (``DISCARD
ALL``): one more round trip per job, and the statements prepared on it are
gone, so that the row lock and the "done" update of every job were planned
again (about a quarter of the job's own PostgreSQL time; benchmarks/README.md,
"Where a worker's time per job goes"). A worker runs one job at a time: it
keeps one connection for them, prepares those statements there once
(``QueueStore.prepare_job_statements``), claims its jobs there too, and
undoes what a job left in the session in the round trip of the next claim
and its row lock (``queries.RESET_JOB_SESSION``, ``execute.claim_job``).
Odoo's ``Cursor`` takes the
pool it borrows from as an argument: ``JobConnection`` is that pool, with
one connection; the job gets a real Odoo cursor.
"""
import contextlib
from typing import Optional

import odoo
import psycopg2
from psycopg2 import errorcodes

from ..queue.store import QueueStore


class JobConnection(object):
    """A worker's connection for jobs to one database (see the module docstring)."""

    def __init__(self, db_name: str):
        self.db_name = db_name
        self.cnx: Optional[odoo.sql_db.PsycoConnection] = None
        _db, self.connection_info = odoo.sql_db.connection_info_for(db_name)
        #: What the last claim of this session kept of the channels, given to
        #: the next one (``QueueStore.claim_and_lock``); '' in a new session.
        self.channels_hint = ''

    def cursor(self) -> odoo.sql_db.Cursor:
        """An Odoo cursor on the job connection (opened, its statements prepared, if
        it is not yet): a transaction, closed by the caller."""
        if self.cnx is None or self.cnx.closed:
            self._open()
        return odoo.sql_db.Cursor(self, self.db_name, self.connection_info)

    def _open(self):
        cnx = psycopg2.connect(connection_factory=odoo.sql_db.PsycoConnection,
                               application_name='connector-jobrunner-job',
                               **self.connection_info)
        try:
            prepare_job_statements(cnx)
        except psycopg2.Error:
            cnx.close()
            raise
        self.cnx = cnx
        self.channels_hint = ''

    def close(self):
        """Close the connection (a lost one, a stopping worker); the next cursor opens
        a new one."""
        if self.cnx is not None:
            with contextlib.suppress(psycopg2.Error):  # closing what may be lost already
                self.cnx.close()
        self.cnx = None

    # -- the pool's side, as odoo.sql_db.Cursor calls it ------------------------

    def borrow(self, connection_info) -> odoo.sql_db.PsycoConnection:
        return self.cnx

    def give_back(self, connection, keep_in_pool=True):
        if not keep_in_pool:  # Odoo's cursor keeps no connection to a template database
            self.close()


def prepare_job_statements(cnx):
    """(Re)prepare the job's statements on ``cnx`` (a job connection, not in a
    transaction), in a transaction of their own."""
    with cnx.cursor() as cr:
        # DEALLOCATE first: a job may have dropped only some of them
        cr.execute('DEALLOCATE ALL')
        QueueStore(cr).prepare_job_statements()
    cnx.commit()


def statements_lost(err: psycopg2.Error, stale_too: bool = False) -> bool:
    """Whether ``err`` says a prepared statement is gone (a job ran DEALLOCATE); with
    ``stale_too``, or stale: "cached plan must not change result type", after a
    column the row lock reads changed type (an upgrade while the worker ran)."""
    return err.pgcode == errorcodes.INVALID_SQL_STATEMENT_NAME or (
        stale_too and err.pgcode == errorcodes.FEATURE_NOT_SUPPORTED)
