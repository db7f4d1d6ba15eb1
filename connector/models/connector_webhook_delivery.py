# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The webhook deliveries received, kept to refuse a replay, and the route's counters.

A job's identity key dedups only unfinished jobs: once the import of a
delivery is done, the same delivery sent again would import again. So the
route inserts each delivery's id here first (unique per backend) and
stores its jobs only when the row is new. A row is kept twice the
backend's timestamp tolerance: a replay older than that has a stale
timestamp and is refused before it gets here.
"""
from odoo import api, fields, models

#: One statement claims a delivery id: a row when it is new, none when it was
#: received before (or by a concurrent request that committed first); and
#: counts it as accepted or duplicate (one round trip less per delivery).
CLAIM_DELIVERY = """
    WITH claimed AS (
        INSERT INTO connector_webhook_delivery
            (backend_model, backend_id, webhook_id, event_type, received_at, create_date)
        VALUES (%(model)s, %(backend)s, %(webhook_id)s, %(event_type)s,
                now() at time zone 'UTC', now() at time zone 'UTC')
        ON CONFLICT (backend_model, backend_id, webhook_id) DO NOTHING
        RETURNING id
    ), counted AS (
        INSERT INTO connector_webhook_counter (outcome, count)
        SELECT CASE WHEN EXISTS (SELECT 1 FROM claimed) THEN 'accepted'
                    ELSE 'duplicate' END, 1
    )
    SELECT id FROM claimed
"""
#: Notes the jobs a delivery stored.
SET_DELIVERY_JOBS = """
    UPDATE connector_webhook_delivery SET job_uuids = %(uuids)s WHERE id = %(id)s
"""
#: Forgets the deliveries of one backend received before a date.
PURGE_DELIVERIES = """
    DELETE FROM connector_webhook_delivery
    WHERE backend_model = %(model)s AND backend_id = %(backend)s
      AND received_at < (now() at time zone 'UTC') - %(keep)s * interval '1 second'
"""
#: Counts one delivery of an outcome (accepted, duplicate, or a refusal reason).
#: A row per delivery, not an update of one row per outcome: concurrent
#: requests updating one row fail to serialize (Odoo's transactions are
#: REPEATABLE READ) and are retried, which a burst of deliveries would pay.
COUNT_OUTCOME = """
    INSERT INTO connector_webhook_counter (outcome, count) VALUES (%(outcome)s, 1)
"""
#: Folds the counter rows into one row per outcome, totals unchanged (rows
#: committed meanwhile by other requests are not seen, so not deleted: they
#: stay as they are until the next time).
COMPACT_COUNTERS = """
    WITH gone AS (DELETE FROM connector_webhook_counter RETURNING outcome, count)
    INSERT INTO connector_webhook_counter (outcome, count)
    SELECT outcome, sum(count) FROM gone GROUP BY outcome
"""
#: The totals by outcome (the metrics).
OUTCOME_TOTALS = """
    SELECT outcome, sum(count) FROM connector_webhook_counter GROUP BY outcome ORDER BY outcome
"""


class ConnectorWebhookDelivery(models.Model):
    """A webhook delivery accepted by a backend's route, and the jobs it stored."""

    _name = 'connector.webhook.delivery'
    _description = 'Webhook delivery received'
    _order = 'id desc'
    _log_access = False

    backend_model = fields.Char(required=True, readonly=True, index=True)
    backend_id = fields.Integer(string='Backend ID', required=True, readonly=True)
    webhook_id = fields.Char(string='Webhook id', required=True, readonly=True)
    event_type = fields.Char(readonly=True)
    received_at = fields.Datetime(required=True, readonly=True, index=True)
    create_date = fields.Datetime(readonly=True)
    job_uuids = fields.Char(string='Jobs', readonly=True,
                            help='Uuids of the jobs this delivery stored (or found pending).')

    _sql_constraints = [
        ('webhook_id_unique', 'UNIQUE (backend_model, backend_id, webhook_id)',
         'A webhook delivery is received once per backend.'),
    ]

    @api.model
    def _claim(self, backend, webhook_id, event_type):
        """The id of a new row for this delivery, or None when it was received before
        (counted as accepted or duplicate)."""
        self.env.cr.execute(CLAIM_DELIVERY, {'model': backend._name, 'backend': backend.id,
                                             'webhook_id': webhook_id,
                                             'event_type': event_type[:100]})
        row = self.env.cr.fetchone()
        return row[0] if row else None

    @api.model
    def _set_jobs(self, delivery_id, uuids):
        """Note the uuids of the jobs delivery ``delivery_id`` stored."""
        self.env.cr.execute(SET_DELIVERY_JOBS, {'id': delivery_id, 'uuids': ' '.join(uuids)})

    @api.model
    def _purge(self, backend, keep_seconds):
        """Forget the deliveries of ``backend`` received more than ``keep_seconds`` ago."""
        self.env.cr.execute(PURGE_DELIVERIES, {'model': backend._name, 'backend': backend.id,
                                               'keep': keep_seconds})


class ConnectorWebhookCounter(models.Model):
    """How many deliveries the webhook routes accepted, or refused by reason
    (read by the job runner's metrics)."""

    _name = 'connector.webhook.counter'
    _description = 'Webhook deliveries by outcome'
    _log_access = False
    _order = 'outcome'

    outcome = fields.Char(required=True, readonly=True, index=True)
    count = fields.Integer(readonly=True)

    @api.model
    def _count(self, outcome):
        """Add one to ``outcome``'s counter (in the caller's transaction)."""
        self.env.cr.execute(COUNT_OUTCOME, {'outcome': outcome})

    @api.model
    def _compact(self):
        """One row per outcome again (the route calls it when it purges old deliveries)."""
        self.env.cr.execute(COMPACT_COUNTERS)

    @api.model
    def _totals(self):
        """``{outcome: count}`` of every delivery counted so far."""
        self.env.cr.execute(OUTCOME_TOTALS)
        return {outcome: int(total) for outcome, total in self.env.cr.fetchall()}
