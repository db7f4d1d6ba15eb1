-- Copyright 2026 Connector contributors
-- License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
--
-- The queue's schema beside the tables the ORM makes (queue.job and its
-- friends): partial indexes, the notify trigger, and the functions the
-- statements of queries.sql call. Loaded once, when the connector addon is
-- installed (models/queue_job.py, QueueJob.init); a database installed
-- with an earlier version is brought here by connector/migrations/.
--
-- Changing a function: give it a new name (_v3 after _v2), change the
-- statements to call it, and write the migration that creates it and drops
-- the old one. So a worker still running the old code during an upgrade
-- calls a function that exists, and nothing here is dropped "just in case".
--
-- Times are UTC "timestamp without time zone", as Odoo stores them:
-- (now() at time zone 'utc') is the transaction's time; the present is
-- (clock_timestamp() at time zone 'utc').


-- Indexes for the runner's queries (Odoo cannot declare partial indexes).
-- Waiting jobs (wait_dependencies) are not in the claim's index, which holds
-- pending jobs only: they cost a claim nothing.
CREATE INDEX queue_job_pending_claim_idx
    ON queue_job (priority, channel COLLATE "C", eta NULLS FIRST, id)
    WHERE state = 'pending';
CREATE INDEX queue_job_blocking_c_idx
    ON queue_job (channel COLLATE "C") WHERE state IN ('started', 'failed');
CREATE INDEX queue_job_done_date_idx
    ON queue_job (date_done) WHERE state IN ('done', 'cancelled');
-- An identity key is unique among unfinished jobs (queries.UNFINISHED_STATES):
-- INSERT_JOB's ON CONFLICT names this predicate.
CREATE UNIQUE INDEX queue_job_identity_key_unfinished_uniq
    ON queue_job (identity_key)
    WHERE identity_key IS NOT NULL
      AND state IN ('pending', 'enqueued', 'started', 'wait_dependencies');
CREATE INDEX queue_job_graph_uuid_idx
    ON queue_job (graph_uuid) WHERE graph_uuid IS NOT NULL;
-- A backend's jobs in a few states (SELECT_JOBS_BY_BACKEND, the status panel
-- of a backend), read without visiting its done ones. What a job is about
-- (about_model, about_id) has no index: no statement reads it yet, and an
-- index costs every insert. Since 11.0.1.3.0 (connector/migrations/).
CREATE INDEX queue_job_backend_idx
    ON queue_job (backend_model, backend_id, state) WHERE backend_id IS NOT NULL;


-- NOTIFY the workers when there may be a job for them: a job was inserted
-- (statement-level: 2,000 inserts in a transaction cost one notification),
-- a job became pending (requeued, postponed) or, when some channel has a
-- capacity or is sequential, a job left 'started' or 'failed' (a slot was
-- freed, a sequential channel may be unblocked). A claim (pending ->
-- started) notifies nobody. Measured: notifying every finished job cost a
-- quarter of the throughput. PostgreSQL delivers at commit and folds
-- identical notifications of one transaction. The channel is
-- queries.NOTIFY_CHANNEL, where the workers LISTEN.
CREATE FUNCTION connector_queue_job_notify_v2() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.state <> 'pending' AND NOT EXISTS (
                SELECT 1 FROM queue_job_channel WHERE capacity > 0 OR sequential) THEN
            RETURN NULL;  -- no channel has a limit: no worker waits for a slot
        END IF;
    END IF;
    PERFORM pg_notify('connector_queue_job', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER connector_queue_job_notify_insert
    AFTER INSERT ON queue_job
    FOR EACH STATEMENT EXECUTE PROCEDURE connector_queue_job_notify_v2();
CREATE TRIGGER connector_queue_job_notify_update
    AFTER UPDATE OF state ON queue_job FOR EACH ROW
    WHEN (NEW.state IS DISTINCT FROM OLD.state
          AND (NEW.state = 'pending' OR OLD.state IN ('started', 'failed')))
    EXECUTE PROCEDURE connector_queue_job_notify_v2();


-- The rate rule (connector/queue/rate_limits.py tells it: GCRA, a token
-- bucket told with one timestamp). A rate-limited channel's interval
-- between starts is period / limit; a job may start at "now" when the
-- channel's rate_next_start <= now + connector_rate_tolerance_v1 (burst - 1
-- intervals): connector_rate_allows_v1; starting it moves rate_next_start
-- to connector_rate_spend_v1. The claim and NEXT_WAKE_DELAY use them, and
-- tests/integration/test_queue_store.py plays them on generated attempts. IMMUTABLE:
-- the planner inlines them.
CREATE FUNCTION connector_rate_interval_v1(p_limit integer, p_period integer)
RETURNS interval AS $$
    SELECT p_period * interval '1 second' / nullif(p_limit, 0)
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION connector_rate_tolerance_v1(p_limit integer, p_period integer,
                                            p_burst integer)
RETURNS interval AS $$
    SELECT (greatest(p_burst, 1) - 1) * connector_rate_interval_v1(p_limit, p_period)
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION connector_rate_allows_v1(p_next_start timestamp, p_now timestamp,
                                         p_limit integer, p_period integer,
                                         p_burst integer)
RETURNS boolean AS $$
    SELECT p_next_start IS NULL
        OR p_next_start <= p_now + connector_rate_tolerance_v1(p_limit, p_period, p_burst)
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION connector_rate_spend_v1(p_next_start timestamp, p_now timestamp,
                                        p_limit integer, p_period integer)
RETURNS timestamp AS $$
    SELECT greatest(p_next_start, p_now) + connector_rate_interval_v1(p_limit, p_period)
$$ LANGUAGE sql IMMUTABLE;


-- Whether a started job left by its worker has used its tries: then it is
-- failed, for a person to look at, instead of pending again
-- (REQUEUE_MY_ORPHANS, REQUEUE_DEAD_WORKERS_JOBS). max_retries 0: no limit.
CREATE FUNCTION connector_out_of_tries_v1(p_retry integer, p_max_retries integer)
RETURNS boolean AS $$
    SELECT p_max_retries > 0 AND p_retry >= p_max_retries
$$ LANGUAGE sql IMMUTABLE;


-- Start pending job p_id for worker p_worker; whether it was pending.
-- START_JOB (perform_jobs() in tests) calls it. The claim
-- (connector_claim_next_job_v3) writes the same columns with an UPDATE of
-- its own: a SQL function is planned again at each call, which cost a
-- claim a fifth of its time. tests/integration/test_queue_store.py checks that both
-- write the same row.
CREATE FUNCTION connector_start_job_v1(p_id integer, p_worker varchar)
RETURNS boolean AS $$
    WITH started AS (
        UPDATE queue_job
        SET state = 'started', worker_name = p_worker, retry = retry + 1,
            date_started = (now() at time zone 'utc'), date_done = NULL,
            write_date = (now() at time zone 'utc')
        WHERE id = p_id AND state = 'pending'
        RETURNING id
    )
    SELECT count(*) = 1 FROM started
$$ LANGUAGE sql;


-- The (priority, channel) groups of pending jobs in the subtree of
-- p_channel, at the first priority that has any: a "loose index scan" on
-- queue_job_pending_claim_idx, one index probe per group. The claim uses it
-- to find the first pending job of a sequential channel.
CREATE FUNCTION connector_pending_groups_v2(p_channel varchar)
RETURNS TABLE (priority integer, channel varchar) AS $$
DECLARE
    v_priority integer := -2147483648;
    v_channel varchar;
    v_found boolean := false;
BEGIN
    LOOP
        SELECT o.priority INTO v_priority FROM queue_job o
        WHERE o.state = 'pending' AND o.priority > v_priority
        ORDER BY o.priority LIMIT 1;
        EXIT WHEN NOT FOUND;
        PERFORM 1 FROM queue_job o
        WHERE o.state = 'pending' AND o.priority = v_priority
          AND o.channel COLLATE "C" = p_channel;
        IF FOUND THEN
            priority := v_priority; channel := p_channel; v_found := true;
            RETURN NEXT;
        END IF;
        -- the subchannels: names between 'p_channel.' and 'p_channel/'
        -- ('/' follows '.' in "C" order)
        v_channel := p_channel || '.';
        LOOP
            SELECT o.channel INTO v_channel FROM queue_job o
            WHERE o.state = 'pending' AND o.priority = v_priority
              AND o.channel COLLATE "C" > v_channel
              AND o.channel COLLATE "C" < p_channel || '/'
            ORDER BY o.channel COLLATE "C" LIMIT 1;
            EXIT WHEN NOT FOUND;
            priority := v_priority; channel := v_channel; v_found := true;
            RETURN NEXT;
        END LOOP;
        EXIT WHEN v_found;
    END LOOP;
END;
$$ LANGUAGE plpgsql STABLE;
