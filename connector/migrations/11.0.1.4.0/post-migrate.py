# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.4.0: coalesce keys (``Job.store``, ``queue/sql/queries.sql``
INSERT_COALESCING_JOB): the indexes on the new ``queue_job.coalesce_key``
column and the claim that keeps two jobs of a key from running at once.

Post-migrate: the ORM has added the column by then. It runs ``schema.sql``
beside it, frozen from ``queue/sql/schema.sql`` as 11.0.1.4.0 wrote it, so a
later change of the schema does not change what this step does. No job has
a coalesce key before: nothing to fill.
"""
import logging
import os

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a new install: QueueJob.init() ran schema.sql
        return
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'schema.sql'),
              encoding='utf-8') as schema:
        cr.execute(schema.read())
    _logger.info('connector: coalesce keys: their indexes and connector_claim_next_job_v3 '
                 'created (11.0.1.4.0)')
