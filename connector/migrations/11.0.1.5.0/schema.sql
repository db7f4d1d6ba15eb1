-- Copyright 2026 Connector contributors
-- License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
--
-- What 11.0.1.5.0 changes in the queue's schema (claims without a lock
-- that every claim takes), as connector/queue/sql/schema.sql wrote it then,
-- frozen here: the claim's two lanes (a column, indexes, triggers), the
-- channels' shares, and connector_claim_next_job_v4, which replaces
-- connector_claim_next_job_v3. post-migrate.py runs it.

DROP FUNCTION connector_claim_next_job_v3(varchar);
DROP FUNCTION connector_pending_groups_v2(varchar);
DROP INDEX queue_job_pending_claim_idx;
DROP INDEX queue_job_started_idx;
DROP INDEX queue_job_blocking_c_idx;
DROP TRIGGER connector_queue_job_notify_insert ON queue_job;
DROP TRIGGER connector_queue_job_notify_update ON queue_job;
DROP FUNCTION connector_queue_job_notify_v2();
DROP FUNCTION connector_start_job_v1(integer, varchar);

-- NOTIFY the workers when there may be a job for them: a job was inserted
-- (statement-level: 2,000 inserts in a transaction cost one notification),
-- a job became pending (requeued, postponed) or a bounded job (one with a
-- capacity, sequence, rate or pause on its path, queue_job.claim_bounded)
-- left 'started' or 'failed': a slot was freed, a sequential channel may be
-- unblocked. A claim (pending -> started) notifies nobody, nor does the end
-- of a free job: nobody waits for it. The function decides, not a WHEN on
-- the trigger: PostgreSQL compiles a trigger's WHEN again for each UPDATE
-- statement, which cost more than this call that returns at once
-- (benchmarks/bench_job_update.py, two runs of 30 rounds: a start and an
-- end of a free job 12 to 19 us less without the WHEN, of a bounded job 26
-- to 38 us less).
-- Measured: notifying every finished job cost a quarter of the
-- throughput; and a transaction that notifies takes, at its commit, a lock
-- every notifying commit of the database takes. PostgreSQL delivers at
-- commit and folds identical notifications of one transaction. The channel
-- is queries.NOTIFY_CHANNEL, where the workers LISTEN. Since 11.0.1.5.0
-- (v2 notified every end once some channel had a capacity).
CREATE FUNCTION connector_queue_job_notify_v3() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.state IS NOT DISTINCT FROM OLD.state THEN
            RETURN NULL;  -- written again, not changed
        ELSIF OLD.claim_bounded AND OLD.state IN ('started', 'failed') THEN
            PERFORM nextval('connector_queue_ends_seq');  -- a bounded channel may be open
        ELSIF NEW.state <> 'pending' THEN
            RETURN NULL;  -- a start, the end of a free job: nobody waits for it
        END IF;
    END IF;
    PERFORM pg_notify('connector_queue_job', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Moved on each change to the channels that may open a bounded channel or
-- change which channels are bounded: a channel's limits changed
-- (connector_channel_lanes_v1), a rate limit's state moved back. A claimer
-- keeps the blocked channels it read while this has not moved
-- (connector_blocked_channels_cached_v1).
CREATE SEQUENCE connector_queue_bounds_seq;
-- Moved when a bounded job left 'started' or 'failed' (the notify trigger
-- above): a full capacity or a sequential channel may be open. Apart from
-- connector_queue_bounds_seq because most ends open nothing: while no
-- channel is blocked, a claimer keeps what it read whatever this says (an
-- end opens no channel that was open). Measured with a bounded job in
-- five (benchmarks/bench_claim.py, 4 claimers): re-read after one claim in
-- four, the channels were a fifth of the claims' time. Since 11.0.1.5.0.
CREATE SEQUENCE connector_queue_ends_seq;

CREATE TRIGGER connector_queue_job_notify_insert
    AFTER INSERT ON queue_job
    FOR EACH STATEMENT EXECUTE PROCEDURE connector_queue_job_notify_v3();
-- (its trigger for updates is made with the lanes, below: its WHEN reads the lane)


-- Start pending job p_id for worker p_worker; whether it was pending. The
-- one way a job starts: the claim (connector_claim_next_job_v4) and
-- START_JOB (perform_jobs() in tests) call it, so both write the same row.
-- PL/pgSQL, whose plan is kept for the session: v1, in SQL, was planned at
-- each call (a fifth of a claim's start). Since 11.0.1.5.0.
CREATE FUNCTION connector_start_job_v2(p_id integer, p_worker varchar)
RETURNS boolean AS $$
BEGIN
    UPDATE queue_job
    SET state = 'started', worker_name = p_worker, retry = retry + 1,
        date_started = (now() at time zone 'utc'), date_done = NULL,
        write_date = (now() at time zone 'utc')
    WHERE id = p_id AND state = 'pending';
    RETURN FOUND;
END;
$$ LANGUAGE plpgsql;


-- The started jobs of a channel's subtree, counted against its capacity: a
-- range of names in "C" order (the subchannels of root.a sort between
-- 'root.a.' and 'root.a/'); those of a worker (REQUEUE_MY_ORPHANS); and the
-- started or failed ones of a sequential channel's subtree (two ranges).
-- One index for both states, the state first: a start writes one entry
-- (two with an index per use), and every UPDATE of queue_job opens one
-- index less. Since 11.0.1.5.0 (queue_job_started_idx, with no "C" range,
-- and queue_job_blocking_c_idx before it).
CREATE INDEX queue_job_started_failed_c_idx
    ON queue_job (state, channel COLLATE "C", worker_name)
    WHERE state IN ('started', 'failed');

-- ================================================================= claim
--
-- How a worker picks and starts its next job, with no lock that every claim
-- takes (11.0.1.5.0; v3 before it took one advisory lock per database).
--
-- Two lanes of pending jobs. A job is *bounded* when a channel on its path
-- (its own or a parent) has a capacity, a rate limit, a sequence or a pause
-- (connector_channel_bounded_v1); otherwise it is *free*. A free job can
-- start whenever it is due: the claim takes the first due one, in queue
-- order, with FOR UPDATE SKIP LOCKED, the loop every PostgreSQL queue runs,
-- and touches no shared row. A bounded job starts only under the row locks
-- of the bounded channels on its path (connector_take_channels_v1), which
-- make counting a channel's started jobs and starting one more atomic. So
-- claims of free channels never wait for each other, and claims of bounded
-- channels wait only for claims that share a bound with them. Story: the
-- shop's channel allows 5 starts a second and holds 10,000 jobs older than
-- every ERP job; in one lane, each claim would read past the shop's backlog
-- to reach an ERP job, or walk every channel; here the ERP jobs are the
-- head of their own lane, and the shop's channel is one skipped entry of
-- the other.
--
-- queue_job.claim_bounded says the lane, set when a job is stored and moved
-- when a channel's bounds change (triggers below). It is a hint for
-- finding jobs, never the rule for starting them: a job stored by a
-- transaction that began before its channel got a bound is flagged free;
-- the claim checks the path of every free job it takes, and moves it.
ALTER TABLE queue_job ADD COLUMN claim_bounded boolean NOT NULL DEFAULT false;
-- The notify trigger's half for updates (connector_queue_job_notify_v3,
-- which tells the changes it notifies; no WHEN, it says why).
CREATE TRIGGER connector_queue_job_notify_update
    AFTER UPDATE OF state ON queue_job FOR EACH ROW
    EXECUTE PROCEDURE connector_queue_job_notify_v3();
-- The free lane in queue order: priority, eta (none first), id.
CREATE INDEX queue_job_pending_free_idx
    ON queue_job (priority, coalesce(eta, '-infinity'::timestamp), id)
    WHERE state = 'pending' AND NOT claim_bounded;
-- The bounded lane by (priority, channel): the claim walks it channel by
-- channel, a "loose index scan" (one index probe per channel).
CREATE INDEX queue_job_pending_bounded_idx
    ON queue_job (priority, channel COLLATE "C", eta NULLS FIRST, id)
    WHERE state = 'pending' AND claim_bounded;
-- The bounded lane in queue order, as the free lane: where the claim finds
-- its head (connector_bounded_head_v1) with one probe instead of walking
-- every channel.
CREATE INDEX queue_job_pending_bounded_order_idx
    ON queue_job (priority, coalesce(eta, '-infinity'::timestamp), id)
    WHERE state = 'pending' AND claim_bounded;
-- The unfinished jobs of a channel's subtree: moved from lane to lane when
-- the channel's bounds change.
CREATE INDEX queue_job_unfinished_channel_idx
    ON queue_job (channel COLLATE "C")
    WHERE state IN ('pending', 'enqueued', 'wait_dependencies');

-- What the claims keep of a channel, written by claims only: the state of
-- its rate limit (rate_next_start, connector_rate_allows_v1), and the shares
-- of a parent's starts by weight (connector_start_bounded_v1: a child's pass,
-- a parent's clock). Not on queue_job_channel: a person editing a channel
-- in Odoo (REPEATABLE READ) would be refused, "could not serialize", when a
-- claim had changed its row since the edit began; a claim only locks that
-- row. Keyed by the channel's full name: a channel with no record of its
-- own has shares too. Since 11.0.1.5.0 (rate_next_start was a column of
-- queue_job_channel).
CREATE TABLE queue_job_channel_state (
    channel varchar PRIMARY KEY,
    rate_next_start timestamp,
    pass double precision NOT NULL DEFAULT 0,
    clock double precision NOT NULL DEFAULT 0
);

-- A rate limit's state moved back or cleared (a changed limit, a person or a
-- test setting it): a channel may be open sooner than the claims kept
-- (connector_blocked_channels_cached_v1). A claim's spend moves it forward:
-- no call.
CREATE FUNCTION connector_channel_state_opened_v1() RETURNS trigger AS $$
BEGIN
    PERFORM nextval('connector_queue_bounds_seq');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER connector_channel_state_opened
    AFTER UPDATE OF rate_next_start ON queue_job_channel_state FOR EACH ROW
    WHEN (NEW.rate_next_start IS NULL AND OLD.rate_next_start IS NOT NULL
          OR NEW.rate_next_start < OLD.rate_next_start)
    EXECUTE PROCEDURE connector_channel_state_opened_v1();
CREATE TRIGGER connector_channel_state_deleted
    AFTER DELETE ON queue_job_channel_state
    FOR EACH STATEMENT EXECUTE PROCEDURE connector_channel_state_opened_v1();


-- Whether a channel has a bound of its own: what puts its subtree's jobs
-- in the bounded lane. A pause counts until it is cleared (resumed), not
-- only until it ends.
CREATE FUNCTION connector_channel_has_bound_v1(p_capacity integer, p_rate_limit integer,
                                               p_sequential boolean, p_paused_until timestamp)
RETURNS boolean AS $$
    SELECT coalesce(p_capacity, 0) > 0 OR coalesce(p_rate_limit, 0) > 0
        OR coalesce(p_sequential, false) OR p_paused_until IS NOT NULL
$$ LANGUAGE sql IMMUTABLE;

-- Whether a job of channel p_channel is bounded: a channel on its path has
-- a bound. PL/pgSQL: queue_job_channel may not exist yet when this is made.
CREATE FUNCTION connector_channel_bounded_v1(p_channel varchar) RETURNS boolean AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM queue_job_channel c
        WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit, c.sequential,
                                             c.paused_until)
          AND (p_channel = c.complete_name OR starts_with(p_channel, c.complete_name || '.')));
END;
$$ LANGUAGE plpgsql STABLE;

-- A job's lane when it is stored.
CREATE FUNCTION connector_queue_job_lane_v1() RETURNS trigger AS $$
BEGIN
    NEW.claim_bounded := connector_channel_bounded_v1(NEW.channel);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER connector_queue_job_lane
    BEFORE INSERT ON queue_job
    FOR EACH ROW EXECUTE PROCEDURE connector_queue_job_lane_v1();

-- A job moved to another channel: its lane again, after the move. Not a
-- BEFORE UPDATE trigger: with one on queue_job, even one that fires only
-- for changes of channel, PostgreSQL locks each row again (a WAL record)
-- and reads it before every UPDATE of the table, every start and end of a
-- job (pg_waldump counted two row locks per SET_DONE with it, one without).
-- An AFTER trigger that names a column costs an UPDATE that does not set
-- that column nothing.
CREATE FUNCTION connector_queue_job_relane_v1() RETURNS trigger AS $$
BEGIN
    UPDATE queue_job SET claim_bounded = NOT claim_bounded
    WHERE id = NEW.id AND claim_bounded <> connector_channel_bounded_v1(channel);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER connector_queue_job_relane
    AFTER UPDATE OF channel ON queue_job FOR EACH ROW
    WHEN (NEW.channel IS DISTINCT FROM OLD.channel)
    EXECUTE PROCEDURE connector_queue_job_relane_v1();

-- A channel got or lost a bound, or was renamed or deleted: the unfinished
-- jobs of its subtree (old and new name) move to the lane they belong to now;
-- and its rate limit's state is cleared when the limit changed.
CREATE FUNCTION connector_channel_lanes_v1() RETURNS trigger AS $$
DECLARE
    v_name varchar;
BEGIN
    PERFORM nextval('connector_queue_bounds_seq');  -- the blocked channels may change
    -- a changed rate limit starts afresh: a limit lowered from 100/s to
    -- 1/min must not wait out an allowance spent at the old pace
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (
            (OLD.rate_limit, OLD.rate_period) IS DISTINCT FROM (NEW.rate_limit, NEW.rate_period)
            OR OLD.complete_name IS DISTINCT FROM NEW.complete_name)) THEN
        UPDATE queue_job_channel_state SET rate_next_start = NULL
        WHERE channel = OLD.complete_name AND rate_next_start IS NOT NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.complete_name IS NOT DISTINCT FROM NEW.complete_name
            AND connector_channel_has_bound_v1(OLD.capacity, OLD.rate_limit, OLD.sequential,
                                               OLD.paused_until)
                = connector_channel_has_bound_v1(NEW.capacity, NEW.rate_limit, NEW.sequential,
                                                 NEW.paused_until) THEN
        RETURN NULL;  -- a pause made longer, a rate changed: the same lane
    END IF;
    FOREACH v_name IN ARRAY ARRAY[
            CASE WHEN TG_OP <> 'INSERT' THEN OLD.complete_name END,
            CASE WHEN TG_OP <> 'DELETE' THEN NEW.complete_name END] LOOP
        CONTINUE WHEN v_name IS NULL;
        UPDATE queue_job j SET claim_bounded = NOT j.claim_bounded
        WHERE j.state IN ('pending', 'enqueued', 'wait_dependencies')
          AND j.channel COLLATE "C" >= v_name AND j.channel COLLATE "C" < v_name || '/'
          AND (j.channel = v_name OR starts_with(j.channel, v_name || '.'))
          AND j.claim_bounded <> connector_channel_bounded_v1(j.channel);
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER connector_channel_lanes
    AFTER INSERT OR DELETE
          OR UPDATE OF capacity, rate_limit, rate_period, sequential, paused_until,
                       complete_name
    ON queue_job_channel
    FOR EACH ROW EXECUTE PROCEDURE connector_channel_lanes_v1();


-- The (priority, channel) groups of bounded pending jobs in the subtree of
-- p_channel, at the first priority that has any: a loose index scan on
-- queue_job_pending_bounded_idx, one index probe per group. The claim uses
-- it to find the head of a sequential channel (whose jobs are bounded).
CREATE FUNCTION connector_pending_groups_v3(p_channel varchar)
RETURNS TABLE (priority integer, channel varchar) AS $$
DECLARE
    v_priority integer := -2147483648;
    v_channel varchar;
    v_found boolean := false;
BEGIN
    LOOP
        SELECT o.priority INTO v_priority FROM queue_job o
        WHERE o.state = 'pending' AND o.claim_bounded AND o.priority > v_priority
        ORDER BY o.priority LIMIT 1;
        EXIT WHEN NOT FOUND;
        PERFORM 1 FROM queue_job o
        WHERE o.state = 'pending' AND o.claim_bounded AND o.priority = v_priority
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
            WHERE o.state = 'pending' AND o.claim_bounded AND o.priority = v_priority
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

-- The first pending job of sequential channel p_channel's subtree in queue
-- order (priority, eta none first, id), due or not: the only job it may start.
CREATE FUNCTION connector_channel_head_v1(p_channel varchar) RETURNS integer AS $$
BEGIN
    RETURN (
        SELECT h.id FROM connector_pending_groups_v3(p_channel) g
        CROSS JOIN LATERAL (
            SELECT o.id, o.eta FROM queue_job o
            WHERE o.state = 'pending' AND o.claim_bounded AND o.priority = g.priority
              AND o.channel COLLATE "C" = g.channel
            ORDER BY o.eta NULLS FIRST, o.id LIMIT 1) h
        ORDER BY h.eta NULLS FIRST, h.id LIMIT 1);
END;
$$ LANGUAGE plpgsql STABLE;


-- Whether a job of a coalesce key may start: no other transaction is
-- starting one of the key, none has delayed the key without seeing its
-- waiting job (both hold the key's advisory lock: the delay shared, a
-- claim exclusive until it commits), and, read after that lock, no job of
-- the key has started. Story: job J of key K runs; K's next job L waits.
-- Claims A and B both pick L... no: A and B pick two pending jobs of K (L,
-- and J' postponed after a start); A locks K, sees none started, starts L;
-- B's try fails until A commits, and then B sees L started.
CREATE FUNCTION connector_coalesce_key_free_v1(p_key varchar) RETURNS boolean AS $$
BEGIN
    IF p_key IS NULL THEN
        RETURN true;
    END IF;
    IF NOT pg_try_advisory_xact_lock(hashtext('connector_queue_job_coalesce'),
                                     hashtext(p_key)) THEN
        RETURN false;
    END IF;
    RETURN NOT EXISTS (SELECT 1 FROM queue_job s
                       WHERE s.coalesce_key = p_key AND s.state = 'started');
END;
$$ LANGUAGE plpgsql;


-- The free lane's first due job in queue order that is not in p_skipped:
-- at each priority, from the first, one index range (eta none or reached).
-- With p_lock, the first that no other transaction holds, locked (FOR
-- UPDATE SKIP LOCKED). NULLs when there is none. Its channel is not
-- checked here, but whether it is bounded now (connector_channel_bounded_v1,
-- read in the same statement rather than by a call of its own) is said:
-- then it is in the free lane only because it was stored before its
-- channel got a bound.
CREATE FUNCTION connector_first_free_v1(
        p_now timestamp, p_skipped integer[], p_lock boolean, OUT id integer,
        OUT priority integer, OUT eta timestamp, OUT channel varchar,
        OUT coalesce_key varchar, OUT bounded boolean)
AS $$
DECLARE
    v_priority integer := -2147483648;
BEGIN
    LOOP
        SELECT o.priority INTO v_priority FROM queue_job o
        WHERE o.state = 'pending' AND NOT o.claim_bounded AND o.priority > v_priority
        ORDER BY o.priority LIMIT 1;
        EXIT WHEN NOT FOUND;
        -- the same query, locking or not: PL/pgSQL cannot make FOR UPDATE a
        -- parameter
        IF p_lock THEN
            SELECT o.id, o.priority, o.eta, o.channel, o.coalesce_key,
                   EXISTS (SELECT 1 FROM queue_job_channel c
                           WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit,
                                                                c.sequential, c.paused_until)
                             AND (o.channel = c.complete_name
                                  OR starts_with(o.channel, c.complete_name || '.')))
              INTO id, priority, eta, channel, coalesce_key, bounded
            FROM queue_job o
            WHERE o.state = 'pending' AND NOT o.claim_bounded AND o.priority = v_priority
              AND coalesce(o.eta, '-infinity'::timestamp) <= p_now
              AND o.id <> ALL(p_skipped)
            ORDER BY coalesce(o.eta, '-infinity'::timestamp), o.id
            LIMIT 1 FOR UPDATE OF o SKIP LOCKED;
        ELSE
            SELECT o.id, o.priority, o.eta, o.channel, o.coalesce_key,
                   EXISTS (SELECT 1 FROM queue_job_channel c
                           WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit,
                                                                c.sequential, c.paused_until)
                             AND (o.channel = c.complete_name
                                  OR starts_with(o.channel, c.complete_name || '.')))
              INTO id, priority, eta, channel, coalesce_key, bounded
            FROM queue_job o
            WHERE o.state = 'pending' AND NOT o.claim_bounded AND o.priority = v_priority
              AND coalesce(o.eta, '-infinity'::timestamp) <= p_now
              AND o.id <> ALL(p_skipped)
            ORDER BY coalesce(o.eta, '-infinity'::timestamp), o.id
            LIMIT 1;
        END IF;
        EXIT WHEN FOUND;
    END LOOP;
END;
$$ LANGUAGE plpgsql;


-- connector_first_free_v1's locked read, of the jobs that come before job
-- p_id (of priority p_priority, eta or '-infinity' p_key) in queue order,
-- from the free lane's first priority p_first (read by the statement that
-- found the job, connector_bounded_head_v1; NULL: the lane was empty):
-- at each priority before p_priority, one index range; at p_priority, the
-- jobs of an earlier eta (none when p_key is '-infinity'), then those of
-- the same eta and a lower id, two ranges (a row comparison, (eta, id) <
-- (p_key, p_id), bounds a btree scan by its first column only: it read
-- every job of the same eta). One row, of NULLs when there is none (no
-- set to return: a set-returning function keeps its rows in a store).
CREATE FUNCTION connector_free_before_v1(
        p_now timestamp, p_skipped integer[], p_priority integer, p_key timestamp,
        p_id integer, p_first integer, OUT id integer, OUT priority integer,
        OUT eta timestamp, OUT channel varchar, OUT coalesce_key varchar,
        OUT bounded boolean)
AS $$
DECLARE
    v_priority integer := p_first;
BEGIN
    LOOP
        EXIT WHEN v_priority IS NULL OR v_priority > p_priority;
        IF v_priority < p_priority OR p_key > '-infinity' THEN
            SELECT o.id, o.priority, o.eta, o.channel, o.coalesce_key,
                   EXISTS (SELECT 1 FROM queue_job_channel c
                           WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit,
                                                                c.sequential, c.paused_until)
                             AND (o.channel = c.complete_name
                                  OR starts_with(o.channel, c.complete_name || '.')))
              INTO id, priority, eta, channel, coalesce_key, bounded
            FROM queue_job o
            WHERE o.state = 'pending' AND NOT o.claim_bounded AND o.priority = v_priority
              AND coalesce(o.eta, '-infinity'::timestamp) <= p_now
              AND coalesce(o.eta, '-infinity'::timestamp)
                  < CASE WHEN v_priority < p_priority THEN 'infinity' ELSE p_key END
              AND o.id <> ALL(p_skipped)
            ORDER BY coalesce(o.eta, '-infinity'::timestamp), o.id
            LIMIT 1 FOR UPDATE OF o SKIP LOCKED;
            EXIT WHEN FOUND;
        END IF;
        IF v_priority = p_priority THEN
            SELECT o.id, o.priority, o.eta, o.channel, o.coalesce_key,
                   EXISTS (SELECT 1 FROM queue_job_channel c
                           WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit,
                                                                c.sequential, c.paused_until)
                             AND (o.channel = c.complete_name
                                  OR starts_with(o.channel, c.complete_name || '.')))
              INTO id, priority, eta, channel, coalesce_key, bounded
            FROM queue_job o
            WHERE o.state = 'pending' AND NOT o.claim_bounded AND o.priority = v_priority
              AND coalesce(o.eta, '-infinity'::timestamp) = p_key AND o.id < p_id
              AND o.id <> ALL(p_skipped)
            ORDER BY o.id
            LIMIT 1 FOR UPDATE OF o SKIP LOCKED;
            EXIT;
        END IF;
        SELECT min(o.priority) INTO v_priority FROM queue_job o
        WHERE o.state = 'pending' AND NOT o.claim_bounded AND o.priority > v_priority;
    END LOOP;
END;
$$ LANGUAGE plpgsql;


-- Channels whose subtree can start no job at p_clock, as this statement's
-- snapshot sees them: paused, rate limit spent, capacity full, sequential
-- with a job started or failed in the subtree; how many channels with a
-- bound are not blocked (none: every bounded job is blocked, for each has a
-- bound channel on its path); the first moment a pause or a rate limit
-- opens one of them again; and, for connector_bounded_head_v1, the
-- sequential channels and the channels with a capacity or a rate limit (a
-- sharing parent of the channels below it). A hint that spares the walk the
-- channels it could not start: connector_take_channels_v1 decides, under
-- the channels' row locks. One read of the channels' table.
CREATE FUNCTION connector_blocked_channels_v1(p_clock timestamp, OUT blocked text[],
                                              OUT open_bounds integer, OUT opens_at timestamp,
                                              OUT sequential text[], OUT parents text[])
AS $$
BEGIN
    -- the started jobs, counted once by channel (as many as jobs run at once)
    WITH started AS (
        SELECT o.channel, count(*) AS jobs FROM queue_job o
        WHERE o.state = 'started' GROUP BY o.channel
    ), bounds AS (
        SELECT c.complete_name, coalesce(
               c.paused_until > p_clock
               OR (c.rate_limit > 0 AND NOT connector_rate_allows_v1(
                       r.rate_next_start, p_clock, c.rate_limit, c.rate_period, c.rate_burst))
               OR (c.capacity > 0 AND c.capacity <= (
                      SELECT coalesce(sum(s.jobs), 0) FROM started s
                      WHERE s.channel = c.complete_name
                         OR starts_with(s.channel, c.complete_name || '.')))
               -- (one range per state: "state IN (...)" is the index's
               -- predicate, and a scan bounded by the channel alone reads it all)
               OR (c.sequential AND EXISTS (
                      SELECT 1 FROM unnest('{started,failed}'::varchar[]) b(state)
                      CROSS JOIN LATERAL (
                          SELECT 1 FROM queue_job o
                          WHERE o.state = b.state AND o.state IN ('started', 'failed')
                            AND o.channel COLLATE "C" >= c.complete_name
                            AND o.channel COLLATE "C" < c.complete_name || '/'
                            AND (o.channel = c.complete_name
                                 OR starts_with(o.channel, c.complete_name || '.'))
                          LIMIT 1) o)),
               false) AS closed,
               -- when its pause ends or its rate allows a start again
               greatest(CASE WHEN c.paused_until > p_clock THEN c.paused_until END,
                        CASE WHEN c.rate_limit > 0 THEN r.rate_next_start
                             - connector_rate_tolerance_v1(c.rate_limit, c.rate_period,
                                                           c.rate_burst) END) AS opens_at,
               c.sequential, c.capacity > 0 OR c.rate_limit > 0 AS parent
        FROM queue_job_channel c
        LEFT JOIN queue_job_channel_state r ON r.channel = c.complete_name
        WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit, c.sequential,
                                             c.paused_until)
    )
    SELECT coalesce(array_agg(b.complete_name) FILTER (WHERE b.closed), '{}'),
           count(*) FILTER (WHERE NOT b.closed),
           min(b.opens_at) FILTER (WHERE b.closed),
           coalesce(array_agg(b.complete_name) FILTER (WHERE b.sequential), '{}'),
           coalesce(array_agg(b.complete_name) FILTER (WHERE b.parent), '{}')
      INTO blocked, open_bounds, opens_at, sequential, parents
    FROM bounds b;
END;
$$ LANGUAGE plpgsql STABLE
-- its plan made once for the session: a plan made for each of the first
-- calls (PostgreSQL's default, before it settles on one) cost 2 to 9 ms
-- each, where the read costs 0.3 ms
SET plan_cache_mode = force_generic_plan;


-- connector_blocked_channels_v1, kept for the session (a setting of the claim
-- connection) while connector_queue_bounds_seq has not moved, nor
-- connector_queue_ends_seq unless no channel was blocked (an end opens
-- nothing then), no pause or rate limit it saw closed has opened, and for
-- 100 ms at most, or 1 s when no channel was blocked and some are bounded.
-- Beside full channels, that read was a third of a claim of a free job.
-- Stale in one way only: a channel kept as open may be full by now
-- (another claim filled it), and connector_take_channels_v1 says so under
-- its lock. The 100 ms bound the other way: a sequence moves before the
-- commit that opened the channel is visible, and a claim in between keeps
-- it closed. With nothing blocked, nothing is kept closed: the 1 s bound
-- only limits how long a claim may keep the sequential and parent
-- channels of before a change that a claim read before its commit (a
-- channel made sequential is refused by connector_take_channels_v1, which
-- reads it again; a new capacity's shares by weight wait that long).
-- Channel names hold no ',' nor ';' (check_channel_name,
-- connector/queue/channels.py).
CREATE FUNCTION connector_blocked_channels_cached_v1(p_clock timestamp, OUT blocked text[],
                                                     OUT open_bounds integer,
                                                     OUT sequential text[], OUT parents text[])
AS $$
DECLARE
    -- the setting holds the bounds sequence, the ends sequence, valid until,
    -- open_bounds, then the blocked, sequential and parent channels
    v_kept text[] := string_to_array(current_setting('connector.claim_blocked', true), ';');
    -- (0 before a sequence's first nextval: pg_sequence_last_value says NULL)
    v_bounds bigint := coalesce(pg_sequence_last_value('connector_queue_bounds_seq'), 0);
    v_ends bigint := coalesce(pg_sequence_last_value('connector_queue_ends_seq'), 0);
    v_opens_at timestamp;
BEGIN
    -- expressions, not a statement with a FROM: PL/pgSQL evaluates them
    -- without starting the executor (a third of this function's time was
    -- the executor of one SELECT reading both sequences)
    IF v_kept[1]::bigint = v_bounds AND (v_kept[2]::bigint = v_ends OR v_kept[5] = '')
            AND p_clock < v_kept[3]::timestamp THEN
        open_bounds := v_kept[4]::integer;
        blocked := string_to_array(v_kept[5], ',');
        sequential := string_to_array(v_kept[6], ',');
        parents := string_to_array(v_kept[7], ',');
        RETURN;
    END IF;
    SELECT * INTO blocked, open_bounds, v_opens_at, sequential, parents
    FROM connector_blocked_channels_v1(p_clock);
    PERFORM set_config('connector.claim_blocked', concat_ws(';', v_bounds, v_ends,
        least(v_opens_at, p_clock + CASE WHEN blocked = '{}' AND open_bounds > 0
                                         THEN interval '1 second'
                                         ELSE interval '100 milliseconds' END),
        open_bounds,
        array_to_string(blocked, ','), array_to_string(sequential, ','),
        array_to_string(parents, ',')), false);
END;
$$ LANGUAGE plpgsql;


-- The bounded lane's first due job in queue order (priority, eta none
-- first, id) that is not in p_skipped nor of a channel of p_excluded (or a
-- subchannel), when it is the job the walk would pick
-- (connector_bounded_candidates_v1, connector_pick_bounded_v1): one that
-- has no sequential channel on its path (p_sequential: only a head may
-- start there) and no channel with a capacity or a rate limit above it
-- (p_parents: their children share their starts by weight). A job whose
-- channel another claim of this kind is taking (its ticket: a transaction
-- advisory lock on the channel's name, taken here until the commit) is
-- passed over for the next: so concurrent claims spread over the bounded
-- channels instead of all trying the same one's row locks and walking
-- again (measured with 8 claimers: 4 of 5 tries of a channel found it
-- locked). The ticket only spreads the claims; the channels' row locks
-- (connector_take_channels_v1) are what keeps the bounds. verdict 'job':
-- that job (id, priority, eta, channel), its ticket held until the commit
-- whatever the claim starts after all, and the free lane's first priority
-- (free_priority, NULL when it is empty: read in the same statement, for
-- connector_free_before_v1); 'busy': the channels of the first jobs are
-- being taken by other claims (they are passed over, as a channel whose
-- row another claim holds); 'none': the lane holds no due job outside
-- p_excluded; 'walk': ask the walk. At most 8 jobs read per priority: a backlog
-- of excluded channels at the lane's head is left to the walk, which skips
-- each such channel as a whole. In the common case, two index probes where
-- the walk makes one per channel of the lane.
CREATE FUNCTION connector_bounded_head_v1(
        p_now timestamp, p_excluded text[], p_skipped integer[], p_sequential text[],
        p_parents text[], OUT verdict text, OUT id integer, OUT priority integer,
        OUT eta timestamp, OUT channel varchar, OUT free_priority integer)
AS $$
DECLARE
    v_priority integer := -2147483648;
    v_walk boolean;
BEGIN
    LOOP
        -- the lane's next priority, and at it the first of the window not
        -- excluded and whose channel no other claim is taking (the window's
        -- rows are read one by one, up to that one, and the ticket tried
        -- last): one row, the priority NULL when the lane holds no more
        SELECT n.priority, w.id, w.eta, w.channel, w.walk,
               (SELECT min(x.priority) FROM queue_job x
                WHERE x.state = 'pending' AND NOT x.claim_bounded)
          INTO v_priority, id, eta, channel, v_walk, free_priority
        FROM (SELECT min(x.priority) AS priority FROM queue_job x
              WHERE x.state = 'pending' AND x.claim_bounded AND x.priority > v_priority) n
        LEFT JOIN LATERAL (
            SELECT u.id, u.eta, u.channel, u.walk
            FROM (SELECT o.id, o.eta, o.channel,
                         p_excluded <> '{}' AND EXISTS (
                             SELECT 1 FROM unnest(p_excluded) b
                             WHERE o.channel = b OR starts_with(o.channel, b || '.'))
                             AS excluded,
                         EXISTS (SELECT 1 FROM unnest(p_sequential) q
                                 WHERE o.channel = q OR starts_with(o.channel, q || '.'))
                         OR EXISTS (SELECT 1 FROM unnest(p_parents) p
                                    WHERE starts_with(o.channel, p || '.')) AS walk
                  FROM queue_job o
                  WHERE o.state = 'pending' AND o.claim_bounded AND o.priority = n.priority
                    AND coalesce(o.eta, '-infinity'::timestamp) <= p_now
                    AND o.id <> ALL(p_skipped)
                  ORDER BY coalesce(o.eta, '-infinity'::timestamp), o.id LIMIT 8) u
            WHERE NOT u.excluded
              AND (u.walk OR pg_try_advisory_xact_lock(hashtext('connector_claim_channel'),
                                                       hashtext(u.channel)))
            LIMIT 1) w ON true;
        EXIT WHEN v_priority IS NULL;
        IF id IS NOT NULL THEN
            IF v_walk THEN
                verdict := 'walk'; id := NULL; eta := NULL; channel := NULL;
            ELSE
                verdict := 'job'; priority := v_priority;
            END IF;
            RETURN;
        END IF;
        -- none: some being taken by other claims (busy), or all excluded (a
        -- full window may hide more: left to the walk)
        SELECT CASE WHEN bool_or(NOT w.excluded) THEN 'busy'
                    WHEN count(*) = 8 THEN 'walk' END INTO verdict
        FROM (SELECT p_excluded <> '{}' AND EXISTS (
                         SELECT 1 FROM unnest(p_excluded) b
                         WHERE o.channel = b OR starts_with(o.channel, b || '.')) AS excluded
              FROM queue_job o
              WHERE o.state = 'pending' AND o.claim_bounded AND o.priority = v_priority
                AND coalesce(o.eta, '-infinity'::timestamp) <= p_now
                AND o.id <> ALL(p_skipped)
              ORDER BY coalesce(o.eta, '-infinity'::timestamp), o.id LIMIT 8) w;
        IF verdict IS NOT NULL THEN
            RETURN;
        END IF;
    END LOOP;
    verdict := 'none';
END;
$$ LANGUAGE plpgsql;


-- The bounded lane's candidates: at the first priority (not after
-- p_max_priority) that has one, the first due job of each channel that
-- is not blocked (p_blocked, and their subchannels) nor passed over
-- (p_skipped), and, under a sequential channel, only its head. One index
-- probe per channel of the lane, whatever the backlog.
CREATE FUNCTION connector_bounded_candidates_v1(
        p_now timestamp, p_max_priority integer, p_blocked text[], p_skipped integer[])
RETURNS TABLE (id integer, priority integer, eta timestamp, channel varchar) AS $$
DECLARE
    v_priority integer := -2147483648;
    v_channel varchar;
    v_job record;
    v_found boolean := false;
    v_sequential text[];
    v_heads integer[] := '{}';
    v_index integer;
BEGIN
    SELECT coalesce(array_agg(c.complete_name), '{}') INTO v_sequential
    FROM queue_job_channel c
    WHERE c.sequential AND NOT c.complete_name = ANY(p_blocked);
    FOR v_index IN 1 .. coalesce(array_length(v_sequential, 1), 0) LOOP
        v_heads := v_heads || coalesce(connector_channel_head_v1(v_sequential[v_index]), 0);
    END LOOP;
    LOOP
        SELECT o.priority INTO v_priority FROM queue_job o
        WHERE o.state = 'pending' AND o.claim_bounded AND o.priority > v_priority
        ORDER BY o.priority LIMIT 1;
        EXIT WHEN NOT FOUND OR v_priority > p_max_priority;
        v_channel := '';
        LOOP
            -- the next channel and its first job (not passed over): one probe,
            -- the index being sorted by channel, then eta (none first), then id
            SELECT o.channel, o.id, o.eta,
                   EXISTS (SELECT 1 FROM unnest(p_blocked) b
                           WHERE o.channel = b OR starts_with(o.channel, b || '.')) AS blocked,
                   EXISTS (SELECT 1 FROM unnest(v_sequential, v_heads) q(name, head)
                           WHERE (o.channel = q.name OR starts_with(o.channel, q.name || '.'))
                             AND q.head <> o.id) AS behind_head
              INTO v_job
            FROM queue_job o
            WHERE o.state = 'pending' AND o.claim_bounded AND o.priority = v_priority
              AND o.channel COLLATE "C" > v_channel AND o.id <> ALL(p_skipped)
            ORDER BY o.channel COLLATE "C", o.eta NULLS FIRST, o.id LIMIT 1;
            EXIT WHEN NOT FOUND;
            v_channel := v_job.channel;
            CONTINUE WHEN v_job.blocked OR v_job.behind_head OR v_job.eta > p_now;
            id := v_job.id; priority := v_priority; eta := v_job.eta; channel := v_channel;
            v_found := true;
            RETURN NEXT;
        END LOOP;
        EXIT WHEN v_found;
    END LOOP;
END;
$$ LANGUAGE plpgsql;


-- The parent whose starts are shared between its children by weight, for a
-- job of channel p_channel: the nearest channel above p_channel (strictly)
-- with a capacity or a rate limit; NULL when none.
CREATE FUNCTION connector_sharing_parent_v1(p_channel varchar) RETURNS varchar AS $$
BEGIN
    RETURN (SELECT c.complete_name FROM queue_job_channel c
            WHERE (c.capacity > 0 OR c.rate_limit > 0)
              AND starts_with(p_channel, c.complete_name || '.')
            ORDER BY length(c.complete_name) DESC LIMIT 1);
END;
$$ LANGUAGE plpgsql STABLE;

-- The child of p_parent on the path of p_channel: 'root.a' for 'root' and
-- 'root.a.b'.
CREATE FUNCTION connector_child_on_path_v1(p_parent varchar, p_channel varchar)
RETURNS varchar AS $$
    SELECT p_parent || '.' || split_part(substr(p_channel, length(p_parent) + 2), '.', 1)
$$ LANGUAGE sql IMMUTABLE;


-- Lock the bounded channels on p_channel's path (FOR NO KEY UPDATE, in name
-- order; SKIP LOCKED unless p_wait) and check, under those locks, that a job of
-- p_channel (job p_id) may start at p_clock: no pause, each rate limit has
-- an allowance, each capacity has room (the started jobs counted by a
-- statement after the locks, so after any claim that held them committed),
-- each sequential channel has nothing started or failed and p_id is its
-- head. 'locked': another claim holds one of the rows (and not p_wait);
-- 'blocked': a bound says no; 'ok': the job may start.
CREATE FUNCTION connector_take_channels_v1(p_channel varchar, p_id integer,
                                           p_clock timestamp, p_wait boolean)
RETURNS text AS $$
DECLARE
    v_short boolean;
BEGIN
    IF p_wait THEN
        PERFORM 1 FROM queue_job_channel c
        WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit, c.sequential,
                                             c.paused_until)
          AND (p_channel = c.complete_name OR starts_with(p_channel, c.complete_name || '.'))
        ORDER BY c.complete_name FOR NO KEY UPDATE;
    ELSE
        -- fewer rows locked than wanted: another claim holds one
        SELECT w.n > l.n INTO v_short
        FROM (SELECT count(*) AS n FROM queue_job_channel c
              WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit, c.sequential,
                                                   c.paused_until)
                AND (p_channel = c.complete_name
                     OR starts_with(p_channel, c.complete_name || '.'))) w,
             (SELECT count(*) AS n FROM (
                  SELECT 1 FROM queue_job_channel c
                  WHERE connector_channel_has_bound_v1(c.capacity, c.rate_limit, c.sequential,
                                                       c.paused_until)
                    AND (p_channel = c.complete_name
                         OR starts_with(p_channel, c.complete_name || '.'))
                  ORDER BY c.complete_name FOR NO KEY UPDATE SKIP LOCKED) x) l;
        IF v_short THEN
            RETURN 'locked';
        END IF;
    END IF;
    IF EXISTS (
        SELECT 1 FROM queue_job_channel c
        LEFT JOIN queue_job_channel_state r ON r.channel = c.complete_name
        WHERE (p_channel = c.complete_name OR starts_with(p_channel, c.complete_name || '.'))
          AND (c.paused_until > p_clock
               OR (c.rate_limit > 0 AND NOT connector_rate_allows_v1(
                       r.rate_next_start, p_clock, c.rate_limit, c.rate_period, c.rate_burst))
               OR (c.capacity > 0 AND c.capacity <= (
                      SELECT count(*) FROM queue_job o
                      WHERE o.state = 'started'
                        AND o.channel COLLATE "C" >= c.complete_name
                        AND o.channel COLLATE "C" < c.complete_name || '/'
                        AND (o.channel = c.complete_name
                             OR starts_with(o.channel, c.complete_name || '.'))))
               OR (c.sequential AND (
                      connector_channel_head_v1(c.complete_name) IS DISTINCT FROM p_id
                      OR EXISTS (  -- one range per state (connector_blocked_channels_v1)
                          SELECT 1 FROM unnest('{started,failed}'::varchar[]) b(state)
                          CROSS JOIN LATERAL (
                              SELECT 1 FROM queue_job o
                              WHERE o.state = b.state AND o.state IN ('started', 'failed')
                                AND o.channel COLLATE "C" >= c.complete_name
                                AND o.channel COLLATE "C" < c.complete_name || '/'
                                AND (o.channel = c.complete_name
                                     OR starts_with(o.channel, c.complete_name || '.'))
                              LIMIT 1) o))))) THEN
        RETURN 'blocked';
    END IF;
    RETURN 'ok';
END;
$$ LANGUAGE plpgsql;


-- Start job p_id of channel p_channel for p_worker, its channels' locks
-- held (connector_take_channels_v1): the start spends the allowance of each
-- rate-limited channel on the path, and moves the share of p_channel's
-- branch under its sharing parent (connector_sharing_parent_v1): the
-- child's pass moves on by 1 / its weight from where it starts (its pass,
-- or the parent's clock when it has fallen behind: a child idle for a
-- while gets no burst), and the parent's clock to that start.
CREATE FUNCTION connector_start_bounded_v1(p_id integer, p_channel varchar,
                                           p_worker varchar, p_clock timestamp)
RETURNS void AS $$
DECLARE
    v_parent varchar;
    v_child varchar;
    v_start double precision;
    v_weight integer;
BEGIN
    PERFORM connector_start_job_v2(p_id, p_worker);
    INSERT INTO queue_job_channel_state AS r (channel, rate_next_start)
    SELECT c.complete_name, connector_rate_spend_v1(
               (SELECT o.rate_next_start FROM queue_job_channel_state o
                WHERE o.channel = c.complete_name), p_clock, c.rate_limit, c.rate_period)
    FROM queue_job_channel c
    WHERE c.rate_limit > 0 AND (c.complete_name = p_channel
                                OR starts_with(p_channel, c.complete_name || '.'))
    ON CONFLICT (channel) DO UPDATE SET rate_next_start = EXCLUDED.rate_next_start;
    v_parent := connector_sharing_parent_v1(p_channel);
    IF v_parent IS NOT NULL THEN
        v_child := connector_child_on_path_v1(v_parent, p_channel);
        SELECT greatest(coalesce((SELECT s.pass FROM queue_job_channel_state s
                                  WHERE s.channel = v_child), 0),
                        coalesce((SELECT s.clock FROM queue_job_channel_state s
                                  WHERE s.channel = v_parent), 0)),
               coalesce((SELECT c.weight FROM queue_job_channel c
                         WHERE c.complete_name = v_child), 1)
          INTO v_start, v_weight;
        INSERT INTO queue_job_channel_state AS s (channel, pass)
        VALUES (v_child, v_start + 1.0 / greatest(v_weight, 1))
        ON CONFLICT (channel) DO UPDATE SET pass = EXCLUDED.pass;
        INSERT INTO queue_job_channel_state AS s (channel, clock)
        VALUES (v_parent, v_start)
        ON CONFLICT (channel) DO UPDATE SET clock = greatest(s.clock, EXCLUDED.clock);
    END IF;
END;
$$ LANGUAGE plpgsql;


-- Of the bounded candidates (connector_bounded_candidates_v1, one
-- priority), the one to try first: the oldest (eta none first, id); but
-- when it has a sharing parent, the candidate of that parent's subtree
-- whose branch has started least for its weight (the lowest start:
-- greatest of the branch's pass and the parent's clock), the oldest among
-- equals. So a parent's children share its starts by weight, not by the
-- age of their jobs, while unrelated channels keep the queue order.
CREATE FUNCTION connector_pick_bounded_v1(p_ids integer[], p_etas timestamp[],
                                          p_channels varchar[])
RETURNS integer AS $$
DECLARE
    v_oldest integer;
    v_channel varchar;
    v_parent varchar;
BEGIN
    SELECT c.id, c.channel INTO v_oldest, v_channel
    FROM unnest(p_ids, p_etas, p_channels) c(id, eta, channel)
    ORDER BY c.eta NULLS FIRST, c.id LIMIT 1;
    v_parent := connector_sharing_parent_v1(v_channel);
    IF v_parent IS NULL THEN
        RETURN v_oldest;
    END IF;
    RETURN (
        SELECT c.id FROM unnest(p_ids, p_etas, p_channels) c(id, eta, channel)
        LEFT JOIN queue_job_channel_state b
               ON b.channel = connector_child_on_path_v1(v_parent, c.channel)
        LEFT JOIN queue_job_channel_state p ON p.channel = v_parent
        WHERE starts_with(c.channel, v_parent || '.')
        ORDER BY greatest(coalesce(b.pass, 0), coalesce(p.clock, 0)), c.eta NULLS FIRST, c.id
        LIMIT 1);
END;
$$ LANGUAGE plpgsql STABLE;


-- Lock bounded job p_id, its channels' locks held, if it is still pending and no
-- other transaction holds it, and its coalesce key lets it start
-- (connector_coalesce_key_free_v1).
CREATE FUNCTION connector_take_job_v1(p_id integer) RETURNS boolean AS $$
DECLARE
    v_key varchar;
BEGIN
    SELECT o.coalesce_key INTO v_key FROM queue_job o
    WHERE o.id = p_id AND o.state = 'pending'
    FOR UPDATE SKIP LOCKED;
    RETURN FOUND AND connector_coalesce_key_free_v1(v_key);
END;
$$ LANGUAGE plpgsql;


-- The claim: start the next runnable job for worker p_worker and return
-- its id (NULL when none can run). CLAIM_NEXT_JOB calls it.
--
-- Runnable: pending, eta reached, every channel on its path (itself and its
-- parents) below capacity, not paused, with its rate limit allowing a start
-- (the start spends the allowance in this same transaction), and, under a
-- sequential channel, the first in line (by priority, eta, id, due or not)
-- with nothing started or failed there, and, for a job with a coalesce key,
-- no job of its key started and no transaction delaying that key still open
-- (connector_coalesce_key_free_v1; queries.INSERT_COALESCING_JOB tells why).
--
-- Which one: the first by priority, then eta (none first), then id, of the
-- free lane's first due job and the bounded lane's candidates; between the
-- children of a channel with a capacity or a rate limit, by weight
-- (connector_pick_bounded_v1). tests/integration/test_queue_store.py shows
-- the rules, tests/integration/test_claim_concurrency.py that they hold with
-- 8 claimers at once.
--
-- Its cost does not grow with the jobs it cannot run: the free lane holds
-- no blocked job (a future one is outside the index range read), and the
-- bounded lane is read at its head in queue order
-- (connector_bounded_head_v1) or walked channel by channel, a blocked
-- channel skipped as a whole (tests/integration/test_claim_scale.py counts
-- the probes). The bounded lane is read only when some bounded channel is
-- open (connector_blocked_channels_v1), and the free lane only before the
-- bounded lane's head when that is found. Jobs another transaction holds,
-- jobs of a channel another claim is taking, and jobs waiting for their
-- coalesce key are passed over one by one.
CREATE FUNCTION connector_claim_next_job_v4(p_worker varchar) RETURNS integer AS $$
DECLARE
    v_clock timestamp := (clock_timestamp() at time zone 'utc');
    v_next record;                 -- the free lane's first due job, not locked
    v_free record;                 -- the free job taken, locked
    v_blocked text[];              -- the bounded channels that can start nothing now
    v_open integer;                -- how many bounded channels are not blocked
    v_sequential text[];           -- the sequential channels
    v_parents text[];              -- the channels with a capacity or a rate limit
    v_skipped integer[] := '{}';   -- jobs passed over: held, moved, or their key busy
    v_contended text[] := '{}';    -- channels whose rows another claim holds
    v_refused text[] := '{}';      -- channels a bound refused, under their locks
    v_hint record;                 -- connector_blocked_channels_cached_v1
    v_head record;                 -- the bounded lane's head (connector_bounded_head_v1)
    v_started boolean;
    v_head_found boolean;
    v_busy boolean := false;       -- the bounded lane's head was busy (walk it next)
    v_walked boolean;              -- the bounded lane was walked in this turn
    v_rewalk boolean;
    v_ids integer[];               -- the bounded candidates: ids, etas, channels
    v_etas timestamp[];
    v_channels varchar[];
    v_id integer;
    v_channel varchar;
    v_verdict text;
BEGIN
    LOOP
        -- the bounded lane, when a bounded channel is open: its head, or,
        -- when that is not simple, its candidates that come before the free
        -- lane's first job
        v_ids := '{}';
        v_head_found := false;
        v_walked := false;
        IF v_blocked IS NULL THEN
            -- (the helpers are called as expressions, each returning one row)
            v_hint := connector_blocked_channels_cached_v1(v_clock);
            v_blocked := v_hint.blocked;
            v_open := v_hint.open_bounds;
            v_sequential := v_hint.sequential;
            v_parents := v_hint.parents;
        END IF;
        -- a bounded job has a bound channel on its path: when all of them
        -- are blocked, so is every bounded job
        IF v_open > 0 THEN
            v_head := connector_bounded_head_v1(
                v_clock, v_blocked || v_refused || v_contended, v_skipped, v_sequential,
                v_parents);
            v_head_found := v_head.verdict = 'job';
            -- the first channels busy (being taken by other claims): the free
            -- lane first, and the walk only when it has nothing
            v_walked := v_head.verdict = 'walk' OR (v_head.verdict = 'busy' AND v_busy);
            v_busy := v_head.verdict = 'busy';
            IF v_walked THEN
                v_next := connector_first_free_v1(v_clock, v_skipped, false);
                SELECT coalesce(array_agg(c.id), '{}'), array_agg(c.eta), array_agg(c.channel)
                  INTO v_ids, v_etas, v_channels
                FROM connector_bounded_candidates_v1(
                    v_clock, coalesce(v_next.priority, 2147483647),
                    v_blocked || v_refused || v_contended, v_skipped) c
                WHERE v_next.id IS NULL OR c.priority < v_next.priority
                   OR (c.eta IS NOT DISTINCT FROM v_next.eta AND c.id < v_next.id)
                   OR (c.eta IS NULL AND v_next.eta IS NOT NULL) OR c.eta < v_next.eta;
            END IF;
        ELSE
            v_busy := false;
        END IF;
        -- try the candidates in turn: one whose channels another claim holds
        -- gives the next; one whose bound says no after all (the hint was
        -- stale), or taken by another claim, means walking again without it
        -- (its channel may hold the next job, or another channel a job of
        -- that priority)
        v_rewalk := false;
        WHILE v_ids <> '{}' LOOP
            v_id := connector_pick_bounded_v1(v_ids, v_etas, v_channels);
            v_channel := v_channels[array_position(v_ids, v_id)];
            v_verdict := connector_take_channels_v1(v_channel, v_id, v_clock, false);
            IF v_verdict = 'ok' THEN
                IF connector_take_job_v1(v_id) THEN
                    PERFORM connector_start_bounded_v1(v_id, v_channel, p_worker, v_clock);
                    RETURN v_id;
                END IF;
                v_skipped := v_skipped || v_id;
                v_rewalk := true;
                EXIT;
            ELSIF v_verdict = 'blocked' THEN
                v_refused := v_refused || v_channel;
                PERFORM set_config('connector.claim_blocked', '', false);
                v_blocked := NULL;  -- read again
                v_rewalk := true;
                EXIT;
            END IF;
            v_contended := v_contended || v_channel;
            SELECT coalesce(array_agg(u.id), '{}'), array_agg(u.eta), array_agg(u.channel)
              INTO v_ids, v_etas, v_channels
            FROM unnest(v_ids, v_etas, v_channels) u(id, eta, channel)
            WHERE u.id <> v_id;
        END LOOP;
        CONTINUE WHEN v_rewalk;
        -- the free lane: its first due job, before the bounded lane's head
        IF v_head_found THEN
            v_free := connector_free_before_v1(
                v_clock, v_skipped, v_head.priority,
                coalesce(v_head.eta, '-infinity'::timestamp), v_head.id,
                v_head.free_priority);
        ELSE
            v_free := connector_first_free_v1(v_clock, v_skipped, true);
        END IF;
        IF v_free.id IS NOT NULL THEN
            IF v_free.bounded THEN
                -- stored before its channel got a bound: to the bounded lane,
                -- with the rest of its channel's jobs (those another
                -- transaction holds are left for a later claim, and the idle
                -- workers told to look again once this one commits); and this
                -- one starts if its bounds allow, as a bounded job
                UPDATE queue_job SET claim_bounded = true
                WHERE id IN (SELECT o.id FROM queue_job o
                             WHERE o.state IN ('pending', 'enqueued', 'wait_dependencies')
                               AND NOT o.claim_bounded
                               AND o.channel COLLATE "C" = v_free.channel
                             FOR UPDATE SKIP LOCKED);
                PERFORM pg_notify('connector_queue_job', '');
                v_verdict := connector_take_channels_v1(v_free.channel, v_free.id, v_clock, false);
                IF v_verdict = 'ok' AND connector_take_job_v1(v_free.id) THEN
                    PERFORM connector_start_bounded_v1(v_free.id, v_free.channel, p_worker,
                                                       v_clock);
                    RETURN v_free.id;
                ELSIF v_verdict = 'locked' THEN
                    v_contended := v_contended || v_free.channel::text;
                END IF;
            ELSIF v_free.coalesce_key IS NULL
                    OR connector_coalesce_key_free_v1(v_free.coalesce_key) THEN
                v_started := connector_start_job_v2(v_free.id, p_worker);
                RETURN v_free.id;
            END IF;
            v_skipped := v_skipped || v_free.id;
            CONTINUE;
        END IF;
        -- the bounded lane's head: started under its channels' locks, or
        -- passed over (its channels held by another claim, its bound
        -- refusing after all, the job taken)
        IF v_head_found THEN
            v_verdict := connector_take_channels_v1(v_head.channel, v_head.id, v_clock, false);
            IF v_verdict = 'ok' THEN
                IF connector_take_job_v1(v_head.id) THEN
                    PERFORM connector_start_bounded_v1(v_head.id, v_head.channel, p_worker,
                                                       v_clock);
                    RETURN v_head.id;
                END IF;
                v_skipped := v_skipped || v_head.id;
            ELSIF v_verdict = 'blocked' THEN
                v_refused := v_refused || v_head.channel::text;
                PERFORM set_config('connector.claim_blocked', '', false);
                v_blocked := NULL;  -- read again
            ELSE
                v_contended := v_contended || v_head.channel::text;
            END IF;
            CONTINUE;
        END IF;
        -- nothing in the free lane beside busy bounded channels: walk them
        CONTINUE WHEN v_busy AND NOT v_walked;
        -- nothing more; but a channel passed over because another claim held
        -- its row may have a job once that claim ends: wait for it, once
        EXIT WHEN v_contended = '{}';
        SELECT o.id, o.channel INTO v_id, v_channel FROM queue_job o
        WHERE o.state = 'pending' AND o.claim_bounded
          AND o.channel COLLATE "C" = ANY(v_contended) AND o.id <> ALL(v_skipped)
          AND coalesce(o.eta, '-infinity'::timestamp) <= v_clock
        ORDER BY o.priority, o.eta NULLS FIRST, o.id LIMIT 1;
        v_contended := '{}';
        CONTINUE WHEN NOT FOUND;
        IF connector_take_channels_v1(v_channel, v_id, v_clock, true) = 'ok' THEN
            IF connector_take_job_v1(v_id) THEN
                PERFORM connector_start_bounded_v1(v_id, v_channel, p_worker, v_clock);
                RETURN v_id;
            END IF;
            v_skipped := v_skipped || v_id;
        ELSE  -- the hint was stale: read it again
            v_refused := v_refused || v_channel;
            PERFORM set_config('connector.claim_blocked', '', false);
            v_blocked := NULL;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;


-- The rate limits' state moves to queue_job_channel_state (claims no longer
-- write the channel's row); the ORM has no field for the column any more.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_name = 'queue_job_channel' AND column_name = 'rate_next_start') THEN
        INSERT INTO queue_job_channel_state (channel, rate_next_start)
        SELECT complete_name, rate_next_start FROM queue_job_channel
        WHERE rate_next_start IS NOT NULL;
        ALTER TABLE queue_job_channel DROP COLUMN rate_next_start;
    END IF;
END;
$$;

-- The jobs stored before: each in its lane.
UPDATE queue_job SET claim_bounded = true
WHERE state IN ('pending', 'enqueued', 'wait_dependencies')
  AND connector_channel_bounded_v1(channel);
