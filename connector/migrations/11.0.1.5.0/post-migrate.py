# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.5.0: claims without a lock that every claim takes
(``connector_claim_next_job_v4``): the two lanes of pending jobs, the
channels' shares by weight, and the claim.

Post-migrate: the ORM has added ``queue_job_channel.weight`` by then. It
runs ``schema.sql`` beside it, frozen from ``queue/sql/schema.sql`` as
11.0.1.5.0 wrote it, so a later change of the schema does not change what
this step does; it ends by putting each unfinished job in its lane.
"""
import logging
import os

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a new install: QueueJobChannel.init() ran schema.sql
        return
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'schema.sql'),
              encoding='utf-8') as schema:
        cr.execute(schema.read())
    _logger.info('connector: claims without a database-wide lock: the two lanes and '
                 'connector_claim_next_job_v4 created (11.0.1.5.0)')
