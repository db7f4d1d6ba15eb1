# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.3.0: the index a backend's job count reads (``queue/sql/schema.sql``
says why), on the columns the ORM has just added to ``queue_job``.

Post-migrate: the columns exist by then. ``end-migrate.py`` then fills them
for the jobs delayed before.
"""
import logging

_logger = logging.getLogger(__name__)

#: What 11.0.1.3.0 adds to the queue's schema, as schema.sql writes it.
BACKEND_INDEX = """
CREATE INDEX IF NOT EXISTS queue_job_backend_idx
    ON queue_job (backend_model, backend_id, state) WHERE backend_id IS NOT NULL
"""


def migrate(cr, version):
    if not version:  # a new install: QueueJob.init() ran schema.sql
        return
    cr.execute(BACKEND_INDEX)
    _logger.info('connector: queue_job_backend_idx created (11.0.1.3.0)')
