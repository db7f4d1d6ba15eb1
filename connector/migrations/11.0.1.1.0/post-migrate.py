# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.1.0: the queue's schema moves to ``queue/sql/schema.sql``, with
versioned function names.

Up to 11.0.1.0.0 every update of the addon ran the schema again (CREATE OR
REPLACE, and DROP ... IF EXISTS of the names earlier versions had used).
Since 11.0.1.1.0 the schema is created once at install, and each later
change is a migration here. This one drops every object the queue's schema
had under 11.0.1.0.0 or before -- unversioned functions, the triggers that
call them, the partial indexes of old and current names -- then creates the
11.0.1.1.0 schema. Post-migrate: the models' tables are up to date by then.

It runs ``schema.sql`` beside it: the 11.0.1.1.0 schema, frozen when
11.0.1.3.0 changed ``queue/sql/schema.sql``. So a database upgraded from
11.0.1.0.0 to a later version gets 11.0.1.1.0 here, and each later change
from its own migration.
"""
import logging
import os

_logger = logging.getLogger(__name__)

#: What 11.0.1.0.0 and earlier created: the triggers first (they depend on
#: the notify function), then the functions and the partial indexes.
OLD_OBJECTS = """
DROP TRIGGER IF EXISTS connector_queue_job_notify ON queue_job;
DROP TRIGGER IF EXISTS connector_queue_job_notify_insert ON queue_job;
DROP TRIGGER IF EXISTS connector_queue_job_notify_update ON queue_job;
DROP FUNCTION IF EXISTS connector_queue_job_notify();
DROP FUNCTION IF EXISTS connector_claim_next_job(varchar);
DROP FUNCTION IF EXISTS connector_pending_groups(varchar);
DROP INDEX IF EXISTS queue_job_pending_order_idx;
DROP INDEX IF EXISTS queue_job_pending_claim_idx;
DROP INDEX IF EXISTS queue_job_started_idx;
DROP INDEX IF EXISTS queue_job_blocking_idx;
DROP INDEX IF EXISTS queue_job_blocking_c_idx;
DROP INDEX IF EXISTS queue_job_done_date_idx;
DROP INDEX IF EXISTS queue_job_identity_key_uniq;
DROP INDEX IF EXISTS queue_job_identity_key_unfinished_uniq;
DROP INDEX IF EXISTS queue_job_graph_uuid_idx;
"""


def migrate(cr, version):
    if not version:  # a new install: QueueJob.init() created the schema
        return
    cr.execute(OLD_OBJECTS)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'schema.sql'),
              encoding='utf-8') as schema:
        cr.execute(schema.read())
    _logger.info('connector: queue schema of %s replaced by schema.sql (11.0.1.1.0)', version)
