-- Copyright 2026 Connector contributors
-- License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
--
-- 11.0.1.4.0: the objects of claims without a database-wide lock, as
-- connector/queue/sql/claim.sql creates them at an install (a copy: see
-- post-migrate.py).

-- The two lanes of pending jobs. A job of a channel with a capacity, a
-- rate limit or a sequence on its path ("bounded") can wait long behind
-- its bound; a backlog of such jobs older than every free job would sit at
-- the head of the queue, and a claim walking the queue in order would read
-- it whole at every claim. So the claim moves them to their own lane: it
-- sets claim_bounded on a bounded channel's jobs when it meets them among
-- the free ones (and clears it on the jobs of a channel no longer
-- bounded), and reads each lane through its own partial indexes. The flag
-- is a hint for finding jobs, never a rule for starting them: a stale one
-- only makes a job found in the other lane, and what may start is checked
-- under the channels' row locks (connector_take_channels_v1).
ALTER TABLE queue_job ADD COLUMN claim_bounded boolean NOT NULL DEFAULT false;
-- Free lane in queue order (priority, eta none first, id): the claim reads
-- its first 32 entries.
CREATE INDEX queue_job_pending_free_idx
    ON queue_job (priority, eta NULLS FIRST, id)
    WHERE state = 'pending' AND NOT claim_bounded;
-- Each lane by (priority, channel): the claim's walks channel by channel.
CREATE INDEX queue_job_pending_free_channel_idx
    ON queue_job (priority, channel COLLATE "C", eta NULLS FIRST, id)
    WHERE state = 'pending' AND NOT claim_bounded;
CREATE INDEX queue_job_pending_bounded_idx
    ON queue_job (priority, channel COLLATE "C", eta NULLS FIRST, id)
    WHERE state = 'pending' AND claim_bounded;
-- The started jobs of a channel's subtree, counted against its capacity:
-- a range of names in "C" order (the subchannels of root.a are between
-- 'root.a.' and 'root.a/'); and those of a worker (REQUEUE_MY_ORPHANS).
-- It replaces queue_job_started_idx, whose collation allowed no range: a
-- claim's count read every started job.
CREATE INDEX queue_job_started_c_idx
    ON queue_job (channel COLLATE "C", worker_name) WHERE state = 'started';


-- The first pending job of channel p_channel's subtree in queue order
-- (priority, eta none first, id), due or not: the only job a sequential
-- channel may start. One index probe per (priority, channel) group of the
-- subtree (connector_pending_groups_v2).
CREATE FUNCTION connector_channel_head_v1(p_channel varchar) RETURNS integer AS $$
BEGIN
    RETURN (
        SELECT h.id FROM connector_pending_groups_v2(p_channel) g
        CROSS JOIN LATERAL (
            SELECT o.id, o.eta FROM queue_job o
            WHERE o.state = 'pending' AND o.priority = g.priority
              AND o.channel COLLATE "C" = g.channel
            ORDER BY o.eta NULLS FIRST, o.id LIMIT 1) h
        ORDER BY h.eta NULLS FIRST, h.id LIMIT 1);
END;
$$ LANGUAGE plpgsql STABLE;


-- Channels whose subtree can start no job at p_clock, as this statement's
-- snapshot sees them: paused, rate limit spent, capacity full (started jobs
-- in the subtree), sequential with a job started or failed in the subtree.
-- A hint that spares the claim the jobs it could not start: read without a
-- lock, it may be stale by the time the claim starts a job, which is why
-- connector_take_channels_v1 checks again under the channels' row locks.
CREATE FUNCTION connector_blocked_channels_v1(p_clock timestamp) RETURNS text[] AS $$
BEGIN
    RETURN (SELECT coalesce(array_agg(c.complete_name), '{}')
    FROM queue_job_channel c
    WHERE c.paused_until > p_clock
       OR (c.rate_limit > 0 AND NOT connector_rate_allows_v1(
               c.rate_next_start, p_clock, c.rate_limit, c.rate_period, c.rate_burst))
       OR (c.capacity > 0 AND c.capacity <= (
              SELECT count(*) FROM queue_job o
              WHERE o.state = 'started'
                AND o.channel COLLATE "C" >= c.complete_name
                AND o.channel COLLATE "C" < c.complete_name || '/'
                AND (o.channel = c.complete_name
                     OR starts_with(o.channel, c.complete_name || '.'))))
       OR (c.sequential AND EXISTS (
              SELECT 1 FROM queue_job o
              WHERE o.state IN ('started', 'failed')
                AND (o.channel COLLATE "C" = c.complete_name
                     OR (o.channel COLLATE "C" > c.complete_name || '.'
                         AND o.channel COLLATE "C" < c.complete_name || '/')))));
END;
$$ LANGUAGE plpgsql STABLE;


-- The LIKE patterns that match the subchannels of p_channels: 'root.a_b'
-- gives 'root.a\_b.%' ("_" and "%" are LIKE's wildcards; channel names may
-- hold "_"). PL/pgSQL, not SQL: its plan is kept for the session.
CREATE FUNCTION connector_subchannel_patterns_v1(p_channels text[]) RETURNS text[] AS $$
BEGIN
    RETURN (SELECT coalesce(array_agg(
                replace(replace(replace(c, '\', '\\'), '_', '\_'), '%', '\%') || '.%'), '{}')
            FROM unnest(p_channels) c);
END;
$$ LANGUAGE plpgsql IMMUTABLE;


-- The first runnable job of a lane, found channel by channel. At each
-- priority, from the first, it walks the channels that hold pending jobs of
-- the lane through the lane's (priority, channel) index, jumping from one
-- channel to the next (a "loose index scan": one index probe per channel),
-- skips a channel of p_blocked as a whole however many jobs it holds, and
-- in any other looks at its first job only (eta sorted, none first: if the
-- first is not due, none is). It stops at the first priority that has a
-- runnable job. Cost: (channels of the lane at the priorities it walks) x
-- (one or two probes), whatever the backlog (tests/integration/test_claim_scale.py
-- counts them). Jobs of p_skipped are passed over.
--
-- connector_first_free_v1, the free lane: the claim's second look, when none of
-- the first 32 free jobs can start. A channel met there that is bounded
-- (p_bounded) has its jobs moved to the bounded lane, a thousand per claim
-- (a backlog stored before its channel was bounded moves over a few claims). The job returned is
-- locked (FOR UPDATE SKIP LOCKED: a channel whose first job another claim
-- holds gives the next channel's).
-- connector_first_bounded_v1, the bounded lane: a channel met there that is no longer bounded has its jobs
-- moved back to the free lane. The job returned is not locked.
CREATE FUNCTION connector_first_free_v1(
        p_now timestamp, p_blocked text[], p_blocked_under text[],
        p_sequential text[], p_sequential_under text[], p_heads integer[],
        p_bounded text[], p_bounded_under text[], p_skipped integer[])
RETURNS integer AS $$
DECLARE
    v_priority integer := -2147483648;
    v_id integer;
    v_moved text[];        -- bounded channels met in the free lane
    v_candidates integer[];  -- the first job of each other channel, in queue order
BEGIN
    LOOP
        SELECT o.priority INTO v_priority FROM queue_job o
        WHERE o.state = 'pending' AND NOT o.claim_bounded AND o.priority > v_priority
        ORDER BY o.priority LIMIT 1;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        WITH RECURSIVE channels(channel) AS (
            (SELECT o.channel FROM queue_job o
             WHERE o.state = 'pending' AND NOT o.claim_bounded AND o.priority = v_priority
             ORDER BY o.channel COLLATE "C" LIMIT 1)
          UNION ALL
            SELECT (SELECT o.channel FROM queue_job o
                    WHERE o.state = 'pending' AND NOT o.claim_bounded
                      AND o.priority = v_priority AND o.channel COLLATE "C" > c.channel
                    ORDER BY o.channel COLLATE "C" LIMIT 1)
            FROM channels c WHERE c.channel IS NOT NULL
        ), sorted AS (
            SELECT c.channel, (c.channel = ANY(p_bounded) OR c.channel LIKE ANY(p_bounded_under)) AS moved,
                   c.channel = ANY(p_blocked) OR c.channel LIKE ANY(p_blocked_under) AS blocked
            FROM channels c WHERE c.channel IS NOT NULL
        )
        SELECT coalesce(array_agg(s.channel) FILTER (WHERE s.moved), '{}'),
               coalesce(array_agg(head.id ORDER BY head.eta NULLS FIRST, head.id)
                        FILTER (WHERE head.id IS NOT NULL), '{}')
          INTO v_moved, v_candidates
        FROM sorted s
        LEFT JOIN LATERAL (
            SELECT o.id, o.eta FROM queue_job o
            WHERE NOT s.moved AND NOT s.blocked
              AND o.state = 'pending' AND NOT o.claim_bounded
              AND o.priority = v_priority AND o.channel COLLATE "C" = s.channel
              AND NOT o.id = ANY(p_skipped)
            ORDER BY o.eta NULLS FIRST, o.id LIMIT 1) head
          ON (head.eta IS NULL OR head.eta <= p_now)
             AND (head.id = ANY(p_heads) OR (s.channel <> ALL(p_sequential)
                                             AND NOT s.channel LIKE ANY(p_sequential_under)));
        IF v_moved <> '{}' THEN
            UPDATE queue_job SET claim_bounded = true
            WHERE id = ANY(ARRAY(
                SELECT o.id FROM queue_job o
                WHERE o.state = 'pending' AND NOT o.claim_bounded
                  AND o.priority = v_priority AND o.channel COLLATE "C" = ANY(v_moved)
                LIMIT 1000 FOR UPDATE SKIP LOCKED));  -- a claim stays short
        END IF;
        FOREACH v_id IN ARRAY v_candidates LOOP
            PERFORM 1 FROM queue_job o WHERE o.id = v_id AND o.state = 'pending'
            FOR UPDATE SKIP LOCKED;
            IF FOUND THEN
                RETURN v_id;
            END IF;
        END LOOP;
    END LOOP;
END;
$$ LANGUAGE plpgsql;


CREATE FUNCTION connector_first_bounded_v1(
        p_now timestamp, p_blocked text[], p_blocked_under text[],
        p_sequential text[], p_sequential_under text[], p_heads integer[],
        p_bounded text[], p_bounded_under text[], p_skipped integer[])
RETURNS integer AS $$
DECLARE
    v_priority integer := -2147483648;
    v_id integer;
    v_moved text[];        -- channels of the lane no longer bounded
    v_candidates integer[];  -- the first job of each other channel, in queue order
BEGIN
    LOOP
        SELECT o.priority INTO v_priority FROM queue_job o
        WHERE o.state = 'pending' AND o.claim_bounded AND o.priority > v_priority
        ORDER BY o.priority LIMIT 1;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        WITH RECURSIVE channels(channel) AS (
            (SELECT o.channel FROM queue_job o
             WHERE o.state = 'pending' AND o.claim_bounded AND o.priority = v_priority
             ORDER BY o.channel COLLATE "C" LIMIT 1)
          UNION ALL
            SELECT (SELECT o.channel FROM queue_job o
                    WHERE o.state = 'pending' AND o.claim_bounded
                      AND o.priority = v_priority AND o.channel COLLATE "C" > c.channel
                    ORDER BY o.channel COLLATE "C" LIMIT 1)
            FROM channels c WHERE c.channel IS NOT NULL
        ), sorted AS (
            SELECT c.channel, NOT (c.channel = ANY(p_bounded) OR c.channel LIKE ANY(p_bounded_under)) AS moved,
                   c.channel = ANY(p_blocked) OR c.channel LIKE ANY(p_blocked_under) AS blocked
            FROM channels c WHERE c.channel IS NOT NULL
        )
        SELECT coalesce(array_agg(s.channel) FILTER (WHERE s.moved), '{}'),
               coalesce(array_agg(head.id ORDER BY head.eta NULLS FIRST, head.id)
                        FILTER (WHERE head.id IS NOT NULL), '{}')
          INTO v_moved, v_candidates
        FROM sorted s
        LEFT JOIN LATERAL (
            SELECT o.id, o.eta FROM queue_job o
            WHERE NOT s.blocked  -- a channel moving back is still a candidate
              AND o.state = 'pending' AND o.claim_bounded
              AND o.priority = v_priority AND o.channel COLLATE "C" = s.channel
              AND NOT o.id = ANY(p_skipped)
            ORDER BY o.eta NULLS FIRST, o.id LIMIT 1) head
          ON (head.eta IS NULL OR head.eta <= p_now)
             AND (head.id = ANY(p_heads) OR (s.channel <> ALL(p_sequential)
                                             AND NOT s.channel LIKE ANY(p_sequential_under)));
        IF v_moved <> '{}' THEN
            UPDATE queue_job SET claim_bounded = false
            WHERE id = ANY(ARRAY(
                SELECT o.id FROM queue_job o
                WHERE o.state = 'pending' AND o.claim_bounded
                  AND o.priority = v_priority AND o.channel COLLATE "C" = ANY(v_moved)
                LIMIT 1000 FOR UPDATE SKIP LOCKED));  -- a claim stays short
        END IF;
        IF v_candidates <> '{}' THEN
            RETURN v_candidates[1];
        END IF;
    END LOOP;
END;
$$ LANGUAGE plpgsql;


-- Take the channels that bound a start of job p_job (channel p_channel),
-- check them, and spend their rate limits: NULL when the job may start,
-- else the name of the first channel that refuses it. Only channels with a
-- capacity, a rate limit or a sequence (or paused) on the job's path are
-- taken: each one's row, FOR NO KEY UPDATE, root first, until the claim's
-- transaction ends. Every claim that starts a job under such a channel takes
-- its row first, so the claims of one bounded channel take turns, and
-- claims of channels with nothing bounded on their path never wait for
-- each other.
--
-- Story: channel root.shop has capacity 1. Worker A claims job 1 while
-- worker B claims job 2; both read "0 started" in their hints. A takes
-- root.shop's row first; B waits for it. A counts 0 started, starts job 1
-- and commits, which releases the row. B then takes the row and counts
-- again in a new statement, whose snapshot is taken after A's commit: it
-- sees job 1 started and refuses job 2. Without the count after the lock,
-- both would start. The same holds for a rate limit: B reads the
-- allowance A left in the row (its latest version, once locked) and spends
-- from there; and for a sequential channel: B sees A's job started, or, if
-- A's job is already done, checks that job 2 is now the channel's head.
--
-- With p_wait false, a row another claim holds is not waited for: that
-- channel is returned as refused (busy), and the claim looks elsewhere --
-- sixteen claimers meeting one rate-limited channel would otherwise queue
-- on its row, each to find the allowance spent. With p_wait true (the
-- claim found nothing else) the rows are waited for, taken in one order
-- (shortest name first, then by name), so two claims never wait for each
-- other in a cycle. The claim runs under
-- READ COMMITTED (the worker's claim connection): each statement sees what
-- was committed before it began.
CREATE FUNCTION connector_take_channels_v1(p_channel varchar, p_job integer, p_wait boolean,
                                           OUT o_refused varchar, OUT o_busy boolean) AS $$
DECLARE
    v_ids integer[];
    v_clock timestamp;
BEGIN
    o_busy := false;
    IF p_wait THEN
        WITH taken AS (
            SELECT c.id FROM queue_job_channel c
            WHERE (c.complete_name = p_channel
                   OR starts_with(p_channel, c.complete_name || '.'))
              AND (c.capacity > 0 OR c.sequential OR c.rate_limit > 0
                   OR c.paused_until > (now() at time zone 'utc'))
            ORDER BY length(c.complete_name), c.complete_name
            FOR NO KEY UPDATE OF c)
        SELECT coalesce(array_agg(taken.id), '{}') INTO v_ids FROM taken;
    ELSE
        WITH taken AS (
            SELECT c.id FROM queue_job_channel c
            WHERE (c.complete_name = p_channel
                   OR starts_with(p_channel, c.complete_name || '.'))
              AND (c.capacity > 0 OR c.sequential OR c.rate_limit > 0
                   OR c.paused_until > (now() at time zone 'utc'))
            FOR NO KEY UPDATE OF c SKIP LOCKED)
        SELECT coalesce(array_agg(taken.id), '{}') INTO v_ids FROM taken;
        SELECT c.complete_name INTO o_refused FROM queue_job_channel c
        WHERE (c.complete_name = p_channel OR starts_with(p_channel, c.complete_name || '.'))
          AND (c.capacity > 0 OR c.sequential OR c.rate_limit > 0
               OR c.paused_until > (now() at time zone 'utc'))
          AND NOT c.id = ANY(v_ids)
        LIMIT 1;
        IF FOUND THEN
            o_busy := true;  -- another claim holds it: not waited for
            RETURN;
        END IF;
    END IF;
    IF v_ids = '{}' THEN
        RETURN;
    END IF;
    v_clock := (clock_timestamp() at time zone 'utc');  -- once every row is taken
    SELECT c.complete_name INTO o_refused FROM queue_job_channel c
    WHERE c.id = ANY(v_ids) AND (
        c.paused_until > v_clock
        OR (c.rate_limit > 0 AND NOT connector_rate_allows_v1(
                c.rate_next_start, v_clock, c.rate_limit, c.rate_period, c.rate_burst))
        OR (c.capacity > 0 AND c.capacity <= (
               SELECT count(*) FROM queue_job o
               WHERE o.state = 'started'
                 AND o.channel COLLATE "C" >= c.complete_name
                 AND o.channel COLLATE "C" < c.complete_name || '/'
                 AND (o.channel = c.complete_name
                      OR starts_with(o.channel, c.complete_name || '.'))))
        OR (c.sequential AND (
               EXISTS (SELECT 1 FROM queue_job o
                       WHERE o.state IN ('started', 'failed')
                         AND (o.channel COLLATE "C" = c.complete_name
                              OR (o.channel COLLATE "C" > c.complete_name || '.'
                                  AND o.channel COLLATE "C" < c.complete_name || '/')))
               OR connector_channel_head_v1(c.complete_name) IS DISTINCT FROM p_job)))
    ORDER BY length(c.complete_name) LIMIT 1;
    IF FOUND THEN
        RETURN;
    END IF;
    UPDATE queue_job_channel c
    SET rate_next_start = connector_rate_spend_v1(
            c.rate_next_start, v_clock, c.rate_limit, c.rate_period)
    WHERE c.id = ANY(v_ids) AND c.rate_limit > 0;
END;
$$ LANGUAGE plpgsql;


-- The claim: start the next runnable job for worker p_worker and return its
-- id (NULL when none can run). CLAIM_NEXT_JOB calls it.
--
-- Runnable: pending, eta reached, every channel on its path (itself and its
-- parents) below capacity, not paused, with its rate limit allowing a start
-- (the start spends the allowance in this same transaction), and, under a
-- sequential channel, the first in line (by priority, eta, id, due or not)
-- with nothing started or failed there. The chosen job is the first
-- runnable one by priority, eta (none first), id -- as
-- tests/integration/test_queue_store.py shows; under contention, a job another claim
-- is taking is passed over (SKIP LOCKED) for the next.
--
-- No lock is common to every claim. Worker A claims a job of root.orders
-- while worker B claims one of root.stock, neither bounded: each locks the
-- row of its job (FOR UPDATE SKIP LOCKED: B passes over the job A is
-- taking instead of waiting for it) and they never wait for each other.
-- Only the rows of bounded channels on the chosen job's path are locked
-- (connector_take_channels_v1, which tells why capacities and rates stay
-- exact); the blocked channels read first are a hint.
--
-- Its cost does not grow with the jobs it cannot run, nor with the free
-- channels that hold them. The free lane (queue_job_pending_free_idx): it
-- reads the first 32 free jobs in queue order and takes the first that can
-- start -- future jobs sort after the due ones of their priority, so they
-- cost nothing there; a bounded channel's jobs met among them move to the
-- bounded lane, once. Only when none of those 32 can start (a paused
-- channel's backlog) does it walk the free lane channel by channel. The
-- bounded lane is walked channel by channel (connector_first_bounded_v1),
-- but only while one of its bounds may allow a start: beside bounded
-- channels that are all full, spent or paused, a claim reads 32 index
-- entries and the channels' rows, however long their backlogs.
CREATE FUNCTION connector_claim_next_job_v3(p_worker varchar) RETURNS integer AS $$
DECLARE
    v_now timestamp := (now() at time zone 'utc');
    v_blocked text[];            -- channels that can start no job now (a hint)
    v_blocked_under text[];      -- LIKE patterns of their subchannels
    v_sequential text[];         -- sequential channels, not blocked
    v_sequential_under text[];
    v_heads integer[];           -- the first pending job of each of v_sequential
    v_bounded text[];            -- channels with a capacity, a rate or a sequence
    v_bounded_under text[];
    v_skipped integer[] := '{}';  -- jobs refused, or another claim's
    v_wait boolean := false;     -- wait for a bounded channel's row another claim holds
    v_busy text[] := '{}';       -- channels refused only because another claim held them
    v_busy_jobs integer[] := '{}';
    v_window integer[];          -- jobs that may start, in queue order
    v_head_priority integer;     -- the first of them, in the free lane
    v_head_eta timestamp;
    v_key record;
    v_moved integer[];           -- jobs of bounded channels met in the free lane
    v_job record;
    v_id integer;
    v_refused varchar;
    v_busy_refusal boolean;
BEGIN
    v_blocked := connector_blocked_channels_v1((clock_timestamp() at time zone 'utc'));
    SELECT coalesce(array_agg(c.complete_name ORDER BY c.complete_name), '{}'),
           coalesce(array_agg(coalesce(connector_channel_head_v1(c.complete_name), 0)
                              ORDER BY c.complete_name), '{}')
      INTO v_sequential, v_heads
    FROM queue_job_channel c
    WHERE c.sequential AND NOT c.complete_name = ANY(v_blocked);
    SELECT coalesce(array_agg(c.complete_name), '{}') INTO v_bounded
    FROM queue_job_channel c
    WHERE c.capacity > 0 OR c.sequential OR c.rate_limit > 0;
    v_blocked_under := connector_subchannel_patterns_v1(v_blocked);
    v_sequential_under := connector_subchannel_patterns_v1(v_sequential);
    v_bounded_under := connector_subchannel_patterns_v1(v_bounded);
    LOOP
        -- The first 32 jobs of the free lane: those of bounded channels move to
        -- their lane; of the others, the first that can start is taken.
        SELECT coalesce(array_agg(w.id ORDER BY w.priority, w.eta NULLS FIRST, w.id)
                        FILTER (WHERE w.open), '{}'),
               (array_agg(w.priority ORDER BY w.priority, w.eta NULLS FIRST, w.id)
                FILTER (WHERE w.open))[1],
               (array_agg(w.eta ORDER BY w.priority, w.eta NULLS FIRST, w.id)
                FILTER (WHERE w.open))[1],
               coalesce(array_agg(w.id) FILTER (WHERE w.bounded), '{}')
          INTO v_window, v_head_priority, v_head_eta, v_moved
        FROM (SELECT l.*, NOT l.bounded AND (l.eta IS NULL OR l.eta <= v_now)
                          AND NOT l.id = ANY(v_skipped) AND l.channel <> ALL(v_blocked)
                          AND NOT l.channel LIKE ANY(v_blocked_under) AS open
              FROM (SELECT q.id, q.channel, q.priority, q.eta,
                           q.channel = ANY(v_bounded) OR q.channel LIKE ANY(v_bounded_under)
                               AS bounded
                    FROM queue_job q
                    WHERE q.state = 'pending' AND NOT q.claim_bounded
                    ORDER BY q.priority, q.eta NULLS FIRST, q.id LIMIT 32) l) w;
        IF v_moved <> '{}' THEN
            UPDATE queue_job SET claim_bounded = true
            WHERE id = ANY(ARRAY(SELECT o.id FROM queue_job o
                                 WHERE o.id = ANY(v_moved) AND o.state = 'pending'
                                 FOR UPDATE SKIP LOCKED));
        END IF;
        -- The bounded lane, while one of its bounds may allow a start; also
        -- when the free lane's first jobs cannot start, and at one claim in a
        -- hundred, so that the jobs of a channel whose bounds were removed
        -- while every other bound was full go back to the free lane. Its
        -- candidate takes its place in queue order among the free ones.
        IF v_window = '{}' OR random() < 0.01 OR EXISTS (
                SELECT 1 FROM unnest(v_bounded) b
                WHERE b <> ALL(v_blocked) AND NOT b LIKE ANY(v_blocked_under)) THEN
            v_id := connector_first_bounded_v1(
                v_now, v_blocked, v_blocked_under, v_sequential, v_sequential_under,
                v_heads, v_bounded, v_bounded_under, v_skipped);
            IF v_id IS NOT NULL THEN  -- first if it precedes the free lane's head
                SELECT o.priority, o.eta INTO v_key FROM queue_job o WHERE o.id = v_id;
                IF v_window = '{}' OR v_key.priority < v_head_priority
                        OR (v_key.priority = v_head_priority AND (
                            (v_key.eta IS NULL AND v_head_eta IS NOT NULL)
                            OR v_key.eta < v_head_eta
                            OR (v_key.eta IS NOT DISTINCT FROM v_head_eta
                                AND v_id < v_window[1]))) THEN
                    v_window := v_id || v_window;
                ELSE
                    v_window := v_window || v_id;
                END IF;
            END IF;
        END IF;
        SELECT NULL::integer AS id, NULL::varchar AS channel INTO v_job;
        FOREACH v_id IN ARRAY v_window LOOP
            SELECT o.id, o.channel INTO v_job FROM queue_job o
            WHERE o.id = v_id AND o.state = 'pending'
            FOR UPDATE SKIP LOCKED;
            EXIT WHEN FOUND;  -- else another claim is taking it
        END LOOP;
        IF v_job.id IS NULL THEN
            v_id := connector_first_free_v1(
                v_now, v_blocked, v_blocked_under, v_sequential, v_sequential_under,
                v_heads, v_bounded, v_bounded_under, v_skipped);
            IF v_id IS NULL THEN  -- that walk may have moved jobs to the bounded lane
                v_id := connector_first_bounded_v1(
                    v_now, v_blocked, v_blocked_under, v_sequential, v_sequential_under,
                    v_heads, v_bounded, v_bounded_under, v_skipped);
                IF v_id IS NOT NULL THEN
                    PERFORM 1 FROM queue_job o WHERE o.id = v_id AND o.state = 'pending'
                    FOR UPDATE SKIP LOCKED;
                    IF NOT FOUND THEN
                        v_skipped := v_skipped || v_id;  -- another claim's
                        CONTINUE;
                    END IF;
                END IF;
            END IF;
            SELECT o.id, o.channel INTO v_job FROM queue_job o WHERE o.id = v_id;
        END IF;
        IF v_job.id IS NULL THEN
            IF v_busy = '{}' THEN
                RETURN NULL;
            END IF;
            -- only channels another claim was taking are left: wait for them
            v_wait := true;
            v_blocked := ARRAY(SELECT b FROM unnest(v_blocked) b WHERE b <> ALL(v_busy));
            v_blocked_under := connector_subchannel_patterns_v1(v_blocked);
            v_skipped := ARRAY(SELECT j FROM unnest(v_skipped) j WHERE j <> ALL(v_busy_jobs));
            v_busy := '{}';
            CONTINUE;
        END IF;
        SELECT * INTO v_refused, v_busy_refusal
        FROM connector_take_channels_v1(v_job.channel, v_job.id, v_wait);
        IF v_refused IS NULL THEN
            UPDATE queue_job
            SET state = 'started', worker_name = p_worker, retry = retry + 1,
                date_started = v_now, date_done = NULL, write_date = v_now
            WHERE id = v_job.id;
            RETURN v_job.id;
        END IF;
        -- a bounded channel filled up since the hints were read, or another
        -- claim is taking it: nothing under it starts in this pass
        IF v_busy_refusal THEN
            v_busy := v_busy || v_refused::text;
            v_busy_jobs := v_busy_jobs || v_job.id;
        END IF;
        v_blocked := v_blocked || v_refused::text;
        v_blocked_under := connector_subchannel_patterns_v1(v_blocked);
        v_skipped := v_skipped || v_job.id;
    END LOOP;
END;
$$ LANGUAGE plpgsql;
