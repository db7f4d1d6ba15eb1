# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.4.0: claims without a database-wide lock.

Creates what ``claim.sql`` beside this script holds -- the claim
``connector_claim_next_job_v3``, its helper functions, the lane flag
``queue_job.claim_bounded`` and its indexes, as ``queue/sql/claim.sql``
creates them at an install -- and drops ``connector_claim_next_job_v2``,
the claim that took an advisory lock every claim of the database waited
for, and ``queue_job_started_idx`` (replaced by
``queue_job_started_c_idx``).
A worker still running the 11.0.1.3.0 code calls v2 until it is restarted:
stop the workers for the upgrade, as for any code change. ``claim.sql`` is
a copy, frozen with this version: when a later version changes the claim,
this step still creates v3 and the later one's migration replaces it.
"""
import logging
import os

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a new install: QueueJob.init() created the schema
        return
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'claim.sql'),
              encoding='utf-8') as claim:
        cr.execute(claim.read())
    cr.execute('DROP FUNCTION connector_claim_next_job_v2(varchar); '
               'DROP INDEX queue_job_started_idx')
    _logger.info('connector: queue claim of %s replaced by connector_claim_next_job_v3 '
                 '(11.0.1.4.0: no database-wide claim lock)', version)
