# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bulk enqueue: many ``delay()`` calls stored in a few multi-row INSERTs.

A first import delays a job per external record: 100,000 of them. One
INSERT per job costs a round trip each; in a ``bulk_enqueue`` block the
jobs wait in memory and are stored 5,000 at a time with one COPY, in the
same transaction::

    with bulk_enqueue(env):
        for external_id in external_ids:
            import_record.delay(session, 'shop.res.partner', backend, external_id)
    # every job is stored here (or when 5,000 are waiting)

Inside the block ``delay()`` returns the job's uuid at once, as usual; the
jobs are in the database when the block ends, not before (a statement of
the block that reads ``queue_job`` does not see them yet). A job with an
identity key is stored at once, as outside a block, since its uuid may be
another job's. When the block raises, the jobs still waiting are dropped
(the transaction will be rolled back anyway). Blocks nest: the outermost
one stores. ``DelayedBatchImporter`` runs in one.
"""
import weakref
from contextlib import contextmanager
from typing import Any, MutableMapping

from .store import QueueStore

#: cursor -> _Batch of the open block
_WAITING: MutableMapping[Any, '_Batch'] = weakref.WeakKeyDictionary()


class _Batch(object):
    """The jobs waiting to be stored for one cursor."""

    def __init__(self, cr, page_size):
        self.cr = cr
        self.page_size = page_size
        self.rows = []
        self._companies = {}

    def company_id(self, env):
        """The company of ``env``'s user (read once per user: it costs as much as a job)."""
        if env.uid not in self._companies:
            self._companies[env.uid] = env.user.company_id.id
        return self._companies[env.uid]

    def add(self, row):
        self.rows.append(row)
        if len(self.rows) >= self.page_size:
            self.flush()

    def flush(self):
        if self.rows:
            QueueStore(self.cr).enqueue_many(self.rows)
            self.rows = []


@contextmanager
def bulk_enqueue(env, page_size=5000):
    """Store the jobs delayed in the block (on ``env``'s cursor) in multi-row INSERTs."""
    cr = env.cr
    if cr in _WAITING:  # nested: the outer block stores
        yield
        return
    batch = _WAITING[cr] = _Batch(cr, page_size)
    try:
        yield
        batch.flush()
    finally:
        del _WAITING[cr]


def waiting_batch(cr):
    """The batch of the open ``bulk_enqueue`` block on ``cr``, or None."""
    return _WAITING.get(cr)
