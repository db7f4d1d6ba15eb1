# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.2.0: queue.job gets CHECK constraints for its state invariants.

A started job names its worker; a job has an end date (``date_done``)
exactly when it is done, failed or cancelled. Before this version the job
form's buttons wrote states through the ORM, and a row may break the
rules: Odoo would then fail to add the constraints. So before the models
are loaded (pre-migrate: the constraints come with them), the rows are
fixed up (``FIX_STATE_INVARIANTS`` in ``queue/sql/queries.sql`` says how).
"""
import logging

from odoo.addons.connector.queue.store import QueueStore

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    unstarted, ended, unended = QueueStore(cr).fix_state_invariants()
    _logger.info('connector %s -> 11.0.1.2.0: %d started job(s) without a worker made '
                 'pending, %d ended job(s) given an end date, %d unfinished job(s) '
                 'cleared of one', version, unstarted, ended, unended)
