-- Copyright 2026 Connector contributors
-- License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
--
-- What 11.0.1.4.0 changes in the queue's schema (coalesce keys), as
-- connector/queue/sql/schema.sql wrote it then, frozen here: the indexes on
-- queue_job.coalesce_key (a column the ORM has just added), and
-- connector_claim_next_job_v3, which replaces connector_claim_next_job_v2.
-- post-migrate.py runs it.

-- A coalesce key is unique among the jobs that have not started yet
-- (date_started is set by the first start and never cleared: a job postponed
-- or requeued after a start is not "waiting" any more): INSERT_COALESCING_JOB's
-- ON CONFLICT names this predicate. Since 11.0.1.4.0.
CREATE UNIQUE INDEX queue_job_coalesce_key_waiting_uniq
    ON queue_job (coalesce_key)
    WHERE coalesce_key IS NOT NULL AND date_started IS NULL
      AND state IN ('pending', 'enqueued', 'wait_dependencies');
-- The started jobs of a coalesce key: the claim starts no second one.
CREATE INDEX queue_job_coalesce_key_started_idx
    ON queue_job (coalesce_key) WHERE coalesce_key IS NOT NULL AND state = 'started';
-- The claim: start the next runnable job for worker p_worker and return
-- its id (NULL when none can run). CLAIM_NEXT_JOB calls it.
--
-- First it serializes the claims of this database for the span of the
-- claim transaction, so that counting the started jobs of a channel and
-- starting one more is atomic across all workers. Story: channel capacity
-- 1, workers A and B claim at once; without the lock both count 0 started
-- jobs and both start one. With it, B waits for A's commit and then counts
-- 1. The lock is held for about a millisecond, never during a job.
--
-- Runnable: pending, eta reached, every channel on its path (itself and its
-- parents) below capacity, not paused, with its rate limit allowing a start
-- (the start spends the allowance in this same transaction), and, under a
-- sequential channel, the first in line (by priority, eta, id, due or not)
-- with nothing started or failed there, and, for a job with a coalesce key,
-- no job of its key started and no transaction delaying that key still open
-- (see below). The chosen job is the first runnable one by priority, eta
-- (none first), id -- as tests/integration/test_queue_store.py shows.
--
-- Coalesce keys (queries.INSERT_COALESCING_JOB): at most one job of a key
-- runs at a time, and a job waiting for its key is skipped like a locked
-- one. Story: job J exports the stock of product P and runs; a stock move
-- commits and delays P's export again: J has started, so a new job K is
-- stored; K must not start before J ends, or the two could send their
-- quantities in the wrong order. A transaction that coalesced its delay
-- into a waiting job holds that job's row (FOR SHARE) or, when it could not
-- see that job, the key's shared advisory lock, until it ends: the claim
-- skips the job meanwhile, so the job starts after the change it was asked
-- for is committed, and reads it. At most one waiting job per key, so the
-- jobs skipped this way are at most the started ones plus the keys being
-- delayed right now.
--
-- Its cost does not grow with the jobs it cannot run. It never walks jobs:
-- it walks *groups*, the (priority, channel) pairs that hold pending jobs,
-- through the index queue_job_pending_claim_idx (priority, channel, eta,
-- id), jumping from one group to the next (a "loose index scan": one index
-- probe per group). A group whose channel is blocked (a full capacity, a
-- blocked sequential channel) is skipped as a whole, however many jobs it
-- holds; in any other group only its first job can be the best (eta
-- sorted, none first: if the first is not due, none is), one probe. It
-- stops at the first priority that has a runnable job. So a claim costs
-- (groups of the priorities it walks) x (one probe): with 100 channels of
-- 1,000 blocked or future jobs each, about 100 probes, whatever the
-- backlog (tests/integration/test_claim_scale.py counts them). What stays
-- proportional: a sequential channel's subchannels are each one group;
-- jobs locked by another transaction (being edited, or coalesced into by a
-- transaction still open) and jobs waiting for their coalesce key are
-- skipped one by one. Since 11.0.1.4.0 (v2 had no coalesce keys).
CREATE FUNCTION connector_claim_next_job_v3(p_worker varchar) RETURNS integer AS $$
DECLARE
    v_now timestamp := (now() at time zone 'utc');
    v_clock timestamp;      -- the rate limits' clock: the time once the lock is granted
    v_rated boolean;        -- some channel has a rate limit
    v_blocked text[];       -- channels whose subtree can start nothing now
    v_sequential text[];    -- sequential channels, not blocked
    v_heads integer[];      -- the first pending job of each of v_sequential
    v_priority integer;
    v_channel varchar;
    v_job record;
    v_best_id integer;
    v_best_eta timestamp;
    v_best_channel varchar;
    v_skipped integer[] := '{}';  -- candidates locked by another transaction, or whose
                                  -- coalesce key is busy
    v_key varchar;              -- the coalesce key of the chosen job
    v_startable boolean;
    v_index integer;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('connector_queue_job_claim'));
    v_clock := (clock_timestamp() at time zone 'utc');
    -- Channels full (started jobs in their subtree >= capacity), sequential
    -- channels with a job started or failed in their subtree, paused channels,
    -- and channels whose rate limit allows no start now.
    SELECT coalesce(array_agg(c.complete_name), '{}') INTO v_blocked
    FROM queue_job_channel c
    WHERE c.paused_until > v_clock
       OR (c.rate_limit > 0 AND NOT connector_rate_allows_v1(
               c.rate_next_start, v_clock, c.rate_limit, c.rate_period, c.rate_burst))
       OR (c.capacity > 0 AND c.capacity <= (
              SELECT count(*) FROM queue_job o
              WHERE o.state = 'started'
                AND (o.channel = c.complete_name
                     OR starts_with(o.channel, c.complete_name || '.'))))
       OR (c.sequential AND EXISTS (
              SELECT 1 FROM queue_job o
              WHERE o.state IN ('started', 'failed')
                AND (o.channel COLLATE "C" = c.complete_name
                     OR (o.channel COLLATE "C" > c.complete_name || '.'
                         AND o.channel COLLATE "C" < c.complete_name || '/'))));
    SELECT coalesce(array_agg(c.complete_name), '{}') INTO v_sequential
    FROM queue_job_channel c
    WHERE c.sequential AND NOT c.complete_name = ANY(v_blocked);
    SELECT EXISTS (SELECT 1 FROM queue_job_channel c WHERE c.rate_limit > 0) INTO v_rated;
    v_heads := '{}';
    FOR v_index IN 1 .. coalesce(array_length(v_sequential, 1), 0) LOOP
        SELECT h.id INTO v_job
        FROM connector_pending_groups_v2(v_sequential[v_index]) g
        CROSS JOIN LATERAL (
            SELECT o.id, o.eta FROM queue_job o
            WHERE o.state = 'pending' AND o.priority = g.priority
              AND o.channel COLLATE "C" = g.channel
            ORDER BY o.eta NULLS FIRST, o.id LIMIT 1) h
        ORDER BY h.eta NULLS FIRST, h.id LIMIT 1;
        v_heads := v_heads || (CASE WHEN FOUND THEN v_job.id ELSE 0 END);
    END LOOP;
    LOOP
        v_best_id := NULL;
        v_priority := -2147483648;
        <<priorities>>
        LOOP
            SELECT o.priority INTO v_priority FROM queue_job o
            WHERE o.state = 'pending' AND o.priority > v_priority
            ORDER BY o.priority LIMIT 1;
            EXIT priorities WHEN NOT FOUND;
            v_channel := '';
            LOOP
                SELECT o.channel INTO v_channel FROM queue_job o
                WHERE o.state = 'pending' AND o.priority = v_priority
                  AND o.channel COLLATE "C" > v_channel
                ORDER BY o.channel COLLATE "C" LIMIT 1;
                EXIT WHEN NOT FOUND;
                CONTINUE WHEN EXISTS (
                    SELECT 1 FROM unnest(v_blocked) b
                    WHERE v_channel = b OR starts_with(v_channel, b || '.'));
                SELECT o.id, o.eta INTO v_job FROM queue_job o
                WHERE o.state = 'pending' AND o.priority = v_priority
                  AND o.channel COLLATE "C" = v_channel AND NOT o.id = ANY(v_skipped)
                ORDER BY o.eta NULLS FIRST, o.id LIMIT 1;
                CONTINUE WHEN NOT FOUND OR v_job.eta > v_now;
                CONTINUE WHEN EXISTS (
                    SELECT 1 FROM unnest(v_sequential, v_heads) s(name, head)
                    WHERE (v_channel = s.name OR starts_with(v_channel, s.name || '.'))
                      AND s.head <> v_job.id);
                IF v_best_id IS NULL
                        OR (v_job.eta IS NULL AND v_best_eta IS NOT NULL)
                        OR (v_job.eta IS NOT DISTINCT FROM v_best_eta AND v_job.id < v_best_id)
                        OR v_job.eta < v_best_eta THEN
                    v_best_id := v_job.id;
                    v_best_eta := v_job.eta;
                    v_best_channel := v_channel;
                END IF;
            END LOOP;
            EXIT priorities WHEN v_best_id IS NOT NULL;
        END LOOP;
        IF v_best_id IS NULL THEN
            RETURN NULL;
        END IF;
        SELECT o.coalesce_key INTO v_key FROM queue_job o
        WHERE o.id = v_best_id AND o.state = 'pending'
        FOR UPDATE SKIP LOCKED;
        v_startable := FOUND;
        IF v_startable AND v_key IS NOT NULL THEN
            -- not while another job of its key runs, nor while a transaction
            -- that delayed the key without seeing this job is open
            v_startable := NOT EXISTS (SELECT 1 FROM queue_job s
                                       WHERE s.coalesce_key = v_key AND s.state = 'started')
                AND pg_try_advisory_xact_lock(hashtext('connector_queue_job_coalesce'),
                                              hashtext(v_key));
        END IF;
        IF v_startable THEN
            PERFORM connector_start_job_v1(v_best_id, p_worker);
            IF v_rated THEN  -- the start spends the allowance of each limited channel above
                UPDATE queue_job_channel c
                SET rate_next_start = connector_rate_spend_v1(
                        c.rate_next_start, v_clock, c.rate_limit, c.rate_period)
                WHERE c.rate_limit > 0 AND (c.complete_name = v_best_channel
                                            OR starts_with(v_best_channel, c.complete_name || '.'));
            END IF;
            RETURN v_best_id;
        END IF;
        v_skipped := v_skipped || v_best_id;  -- being edited: take the next one
    END LOOP;
END;
$$ LANGUAGE plpgsql;

DROP FUNCTION connector_claim_next_job_v2(varchar);
