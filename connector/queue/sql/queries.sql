-- Copyright 2026 Connector contributors
-- License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
--
-- Every statement of the job queue, named and described. A block starts at
-- a "-- name: NAME" line and runs to the next one; the comment lines right
-- above the name say what the statement is for. connector/queue/queries.py
-- reads them; only connector/queue/store.py (QueueStore) runs them, as
-- queries.NAME. Values are psycopg2 parameters, %(name)s or %s, never
-- formatted into the text. The functions called here are in schema.sql.
-- tests/integration/test_queue_store.py runs every statement against PostgreSQL.


-- ================================================================ schema

-- Whether the queue's tables exist (the connector addon is installed).
-- name: QUEUE_INSTALLED
SELECT to_regclass('queue_job') IS NOT NULL;


-- =============================================================== enqueue

-- Store one job, pending (or wait_dependencies, a job of a graph, with its
-- graph_uuid). An unfinished job with the same identity key wins: then
-- nothing is inserted and no row is returned (race-free: the unique partial
-- index queue_job_identity_key_unfinished_uniq decides, even between
-- concurrent transactions).
-- name: INSERT_JOB
INSERT INTO queue_job (
    uuid, name, state, func_string, model_name, method_name, record_ids,
    args, kwargs, user_id, company_id, channel, priority, eta, retry,
    max_retries, identity_key, graph_uuid, about_model, about_id,
    backend_model, backend_id, date_created,
    create_uid, create_date, write_uid, write_date)
VALUES (
    %(uuid)s, %(name)s, %(state)s, %(func_string)s, %(model_name)s,
    %(method_name)s, %(record_ids)s, %(args)s, %(kwargs)s, %(user_id)s,
    %(company_id)s, %(channel)s, %(priority)s, %(eta)s, 0, %(max_retries)s,
    %(identity_key)s, %(graph_uuid)s, %(about_model)s, %(about_id)s,
    %(backend_model)s, %(backend_id)s, (now() at time zone 'utc'),
    %(user_id)s, (now() at time zone 'utc'), %(user_id)s, (now() at time zone 'utc'))
ON CONFLICT (identity_key)
    WHERE identity_key IS NOT NULL
      AND state IN ('pending', 'enqueued', 'started', 'wait_dependencies')
    DO NOTHING
RETURNING uuid;

-- Savepoint taken, in the same round trip, before INSERT_JOB of a job with
-- an identity key, so that a refused insert (below) does not end the
-- caller's transaction. Story: under REPEATABLE READ (Odoo's transactions)
-- A and B both delay key K; A's insert commits after B's snapshot was
-- taken. B's insert meets A's row in the unique index but cannot see it
-- (it is newer than B's snapshot), and PostgreSQL refuses it with a
-- serialization failure. B rolls back to this savepoint and reads A's uuid
-- from a new transaction (FIND_BY_IDENTITY_KEY), which sees it.
-- name: ENQUEUE_SAVEPOINT
SAVEPOINT connector_enqueue;

-- The insert went through, or found a key's holder that this transaction
-- sees: the savepoint is no longer needed.
-- name: RELEASE_ENQUEUE_SAVEPOINT
RELEASE SAVEPOINT connector_enqueue;

-- The insert was refused (ENQUEUE_SAVEPOINT): undo it, keep the transaction,
-- and drop the savepoint: ROLLBACK TO keeps it, and a savepoint left open
-- nests every later one under it (a transaction delaying one key a thousand
-- times, each refused, ran out of PostgreSQL's lock table).
-- name: ROLLBACK_TO_ENQUEUE_SAVEPOINT
ROLLBACK TO SAVEPOINT connector_enqueue;
RELEASE SAVEPOINT connector_enqueue;

-- The uuid of the unfinished job holding an identity key.
-- name: FIND_BY_IDENTITY_KEY
SELECT uuid FROM queue_job
WHERE identity_key = %(identity_key)s
  AND state IN ('pending', 'enqueued', 'started', 'wait_dependencies');

-- Store one job with a coalesce key, pending (or wait_dependencies, in a
-- graph): unless a job of that key is waiting -- not started yet, ever --,
-- then nothing is inserted and no row is returned. A job of the key that has
-- started (running, or postponed or requeued after a start) does not count:
-- the new job is stored, and the claim starts it only after that one
-- (connector_claim_next_job_v4). Race-free like INSERT_JOB: the unique
-- partial index queue_job_coalesce_key_waiting_uniq decides. Taken under
-- ENQUEUE_SAVEPOINT, as a keyed INSERT_JOB.
-- name: INSERT_COALESCING_JOB
INSERT INTO queue_job (
    uuid, name, state, func_string, model_name, method_name, record_ids,
    args, kwargs, user_id, company_id, channel, priority, eta, retry,
    max_retries, coalesce_key, graph_uuid, about_model, about_id,
    backend_model, backend_id, date_created,
    create_uid, create_date, write_uid, write_date)
VALUES (
    %(uuid)s, %(name)s, %(state)s, %(func_string)s, %(model_name)s,
    %(method_name)s, %(record_ids)s, %(args)s, %(kwargs)s, %(user_id)s,
    %(company_id)s, %(channel)s, %(priority)s, %(eta)s, 0, %(max_retries)s,
    %(coalesce_key)s, %(graph_uuid)s, %(about_model)s, %(about_id)s,
    %(backend_model)s, %(backend_id)s, (now() at time zone 'utc'),
    %(user_id)s, (now() at time zone 'utc'), %(user_id)s, (now() at time zone 'utc'))
ON CONFLICT (coalesce_key)
    WHERE coalesce_key IS NOT NULL AND date_started IS NULL
      AND state IN ('pending', 'enqueued', 'wait_dependencies')
    DO NOTHING
RETURNING uuid;

-- The waiting job of a coalesce key (INSERT_COALESCING_JOB found one),
-- locked FOR SHARE until this transaction ends; its uuid. The claim skips a
-- locked job, so it cannot start before the change this delay was made for
-- is committed. Story: transaction T changes product P's stock and delays
-- its export; job J of P's key waits, T coalesces into it. Unlocked, J
-- could start at once and read P's stock before T commits: the change would
-- never be sent. FOR SHARE, not FOR UPDATE: many transactions may coalesce
-- into J at once. Under REPEATABLE READ, a job changed since this
-- transaction began (a worker started it) cannot be locked: PostgreSQL
-- refuses with a serialization failure, and the store decides again
-- (QueueStore.enqueue). Only the newest is locked: this transaction's
-- snapshot may still show, as waiting, the job that waited when it began
-- and has started since; once this transaction stored the key's next job,
-- that stale one also matches, and locking it was refused on every later
-- delay of the key, for ever (a benchmark's transaction spun). The next
-- job has the higher id: it was stored after it.
-- name: LOCK_WAITING_BY_COALESCE_KEY
SELECT uuid FROM queue_job
WHERE coalesce_key = %(coalesce_key)s AND date_started IS NULL
  AND state IN ('pending', 'enqueued', 'wait_dependencies')
ORDER BY id DESC
LIMIT 1
FOR SHARE;

-- Hold a coalesce key until this transaction ends (a shared advisory lock:
-- many transactions may hold it): the claim starts no job of that key
-- meanwhile. Taken when the waiting job of the key was committed after this
-- transaction began: this transaction cannot see it, so cannot lock its row
-- (LOCK_WAITING_BY_COALESCE_KEY), and reads its uuid from a new transaction
-- (FIND_WAITING_BY_COALESCE_KEY). The key is the pair (hashtext of
-- 'connector_queue_job_coalesce', hashtext of the key), as the claim tries
-- it; two keys of one hash only wait for each other a little.
-- name: HOLD_COALESCE_KEY
SELECT pg_advisory_xact_lock_shared(hashtext('connector_queue_job_coalesce'),
                                    hashtext(%(coalesce_key)s));

-- The uuid of the waiting job of a coalesce key (not started yet, ever).
-- name: FIND_WAITING_BY_COALESCE_KEY
SELECT uuid FROM queue_job
WHERE coalesce_key = %(coalesce_key)s AND date_started IS NULL
  AND state IN ('pending', 'enqueued', 'wait_dependencies');

-- A stored job's row (queries.JOB_ROW_COLUMNS), by uuid: to load it outside
-- of a run.
-- name: SELECT_JOB_ROW
SELECT uuid, name, func_string, model_name, method_name, record_ids,
       args, kwargs, user_id, company_id, channel, retry, max_retries,
       priority, eta, identity_key
FROM queue_job WHERE uuid = %(uuid)s;

-- Store many jobs without identity keys in one statement (enqueue_many),
-- three times as fast as a multi-row INSERT: one line per job, the values
-- of queries.COPY_JOBS_FIELDS in PostgreSQL's text format, tab-separated.
-- "now" is the transaction's time (TRANSACTION_NOW), as INSERT_JOB writes
-- it. The notify trigger fires once for the statement, as for an INSERT.
-- name: COPY_JOBS
COPY queue_job (
    uuid, name, func_string, model_name, method_name, record_ids, args, kwargs,
    user_id, company_id, channel, priority, eta, max_retries, create_uid, write_uid,
    date_created, create_date, write_date, state, retry, graph_uuid, about_model,
    about_id, backend_model, backend_id)
FROM STDIN;

-- The transaction's time, as the statements write it.
-- name: TRANSACTION_NOW
SELECT (now() at time zone 'utc');


-- ================================================================= claim

-- One claim: run the claim function (schema.sql, connector_claim_next_job_v4:
-- the two lanes, the bounded channels' locks), in one round trip. Parameter: the
-- worker name. With the job's id come Odoo's registry and cache signaling
-- sequences (other processes bump them when they change the models or what
-- Odoo caches per process): the worker reloads its registry or clears its
-- caches before the job only when they moved, without a round trip of its
-- own per job.
-- name: CLAIM_NEXT_JOB
SELECT connector_claim_next_job_v4(%s),
       (SELECT last_value FROM base_registry_signaling),
       (SELECT last_value FROM base_cache_signaling);

-- Session settings of a session that claims alone (CLAIM_NEXT_JOB: tests,
-- the claim benchmark) and of a worker's upkeep connection; the worker's
-- claims run on its job connection, CLAIM_INTO_SESSION, with the same
-- setting for their own transaction. Claims and upkeep commit without
-- waiting for the WAL flush: a claim lost in a crash of PostgreSQL leaves
-- its job pending, which is safe, and a job's own commit (synchronous)
-- flushes every earlier claim with it.
-- name: SETUP_CLAIM_CONNECTION
SET synchronous_commit = off;

-- Seconds until something may become runnable with no notification (NULL
-- when nothing will): the earliest pending job with a future eta is due, or
-- a paused or rate-limited channel with pending jobs in its subtree may
-- start one again. How long an idle worker may sleep. One clock, read once
-- (the CTE): the moments kept are those after it, and it is what they are
-- measured from, so the delay is never negative. Story: a retried job's eta
-- falls between the transaction's start (now()) and the present; kept as
-- "future" by now() but measured from the present, it gave a negative
-- delay, and select() refused it: the worker exited.
-- name: NEXT_WAKE_DELAY
WITH clock AS (SELECT (clock_timestamp() at time zone 'utc') AS t)
SELECT extract(epoch FROM least(
    (SELECT min(eta) FROM queue_job WHERE state = 'pending' AND eta > clock.t),
    (SELECT min(greatest(c.paused_until, r.rate_next_start
                - connector_rate_tolerance_v1(c.rate_limit, c.rate_period, c.rate_burst)))
     FROM queue_job_channel c
     LEFT JOIN queue_job_channel_state r ON r.channel = c.complete_name
     WHERE (c.paused_until > clock.t
            OR (c.rate_limit > 0
                AND r.rate_next_start > clock.t
                    + connector_rate_tolerance_v1(c.rate_limit, c.rate_period, c.rate_burst)))
       AND EXISTS (SELECT 1 FROM queue_job o
                   WHERE o.state = 'pending'
                     AND (o.channel COLLATE "C" = c.complete_name
                          OR (o.channel COLLATE "C" > c.complete_name || '.'
                              AND o.channel COLLATE "C" < c.complete_name || '/'))))
) - clock.t)
FROM clock;


-- =============================================================== execute

-- First statement of a job's transaction: lock the job's row until the job
-- commits, and check it is still this worker's; its row
-- (queries.JOB_ROW_COLUMNS). The lock is what protects a running job from
-- being requeued (see REQUEUE_DEAD_WORKERS_JOBS). It is FOR NO KEY UPDATE,
-- not FOR UPDATE: a graph that names this job (its identity key) links a
-- dependent to it, and the link's foreign key takes FOR KEY SHARE on this
-- row. Story: job K (key "import C-1") runs for 2 s; a graph delays
-- chain(import C-1, its contacts). With FOR UPDATE the link waited for K's
-- whole run, then PostgreSQL refused it (the row changed after the graph's
-- snapshot), and the retried graph, finding K done, stored a second
-- "import C-1". FOR NO KEY UPDATE lets the link through at once, and K's
-- later update of its state is no key change, so no refusal.
-- name: LOCK_STARTED_JOB
SELECT uuid, name, func_string, model_name, method_name, record_ids,
       args, kwargs, user_id, company_id, channel, retry, max_retries,
       priority, eta, identity_key
FROM queue_job
WHERE id = %(id)s AND state = 'started' AND worker_name = %(worker)s
FOR NO KEY UPDATE;

-- What a job left in the session of a worker's job connection, undone
-- before the next job: sent in the round trip of each claim (see "claim and
-- lock" below), and with LOCK_STARTED_JOB when a job's row is locked again
-- in a new transaction (its outcome after a rollback). The worker keeps that connection
-- across jobs (jobrunner/job_connection.py) instead of borrowing one from
-- Odoo's pool, whose DISCARD ALL costs a round trip per job and drops the
-- prepared statements of the job's transaction (planning them was a quarter
-- of the job's own PostgreSQL time). This is DISCARD ALL without DEALLOCATE
-- ALL and DISCARD PLANS: a SET, a role, a session advisory lock, a cursor
-- WITH HOLD, a LISTEN, a temporary table or sequence values a job left do
-- not reach the next one. RESET ALL in a transaction is undone if that
-- transaction rolls back: the claim's is committed, the outcome's
-- transaction sends it again.
-- name: RESET_JOB_SESSION
SET SESSION AUTHORIZATION DEFAULT; RESET ALL; SELECT pg_advisory_unlock_all(); CLOSE ALL;
UNLISTEN *; DISCARD TEMP; DISCARD SEQUENCES;

-- ============================================== claim and lock, one round trip
--
-- A worker claims on its job connection and locks the claimed job's row there,
-- in one round trip (QueueStore.claim_and_lock): CLAIM_ISOLATION,
-- RESET_JOB_SESSION, CLAIM_INTO_SESSION, COMMIT_CLAIM_BEGIN_JOB,
-- LOCK_CLAIMED_JOB joined into one string, sent in the transaction psycopg2
-- opens for Odoo's cursor: from the wake-up to the job, two round trips
-- (psycopg2's BEGIN, this string) where there were three (the claim on a
-- connection of its own, BEGIN, the reset and row lock), and on a busy machine
-- each waited for a core (benchmarks/README.md, "Where a worker's time per
-- job goes"). A claim that finds nothing costs three (its ROLLBACK). The claim is
-- committed before the job's transaction begins, as when it ran alone: a job
-- that fails or rolls back never un-claims another. The claimed job's id goes
-- from one transaction to the next in a session setting.

-- First statement of the claim's transaction: READ COMMITTED, as the claim
-- connection's claims ran (the claim function skips the rows other workers
-- lock; under REPEATABLE READ, the isolation of Odoo's cursor, a row changed
-- after the snapshot would be a serialization failure).
-- name: CLAIM_ISOLATION
SET TRANSACTION ISOLATION LEVEL READ COMMITTED;

-- The claim (connector_claim_next_job_v4, as CLAIM_NEXT_JOB), and Odoo's
-- registry and cache signaling sequences read after it, kept in the session
-- setting connector.claim as "<token> <job id> <registry> <cache>" (no job:
-- the id is empty) until the next claim: it outlives the claim's
-- transaction, and the token, new at each claim, tells the worker whether
-- this claim was committed when the round trip fails after it
-- (QueueStore.committed_claim). The sequences are read here, before the
-- job's snapshot is taken: every change signaled up to them is seen by the
-- job (a cache cleared for them is refilled from data that has it).
-- Committed without waiting for the WAL flush, as SETUP_CLAIM_CONNECTION
-- sets a claiming session: the job's own commit flushes it.
-- Before the claim, the channels' hint the worker's last claim kept
-- (connector.claim_blocked, connector_blocked_channels_cached_v1) is put
-- back in the session: RESET_JOB_SESSION's RESET ALL has just wiped it, and
-- without it every claim read the channels again (about 100 us of
-- PostgreSQL's time per claim, benchmarks/README.md, "Where a worker's
-- time per job goes"). The worker holds it between claims
-- (LOCK_CLAIMED_JOB returns it); it is only a hint, checked against the
-- sequences and its time limit by the function that kept it. Set in a
-- sub-select of FROM, so that it is set before the claim reads it.
-- name: CLAIM_INTO_SESSION
SELECT set_config('synchronous_commit', 'off', true),
       set_config('connector.claim', concat_ws(' ', %(token)s::text,
                  coalesce(connector_claim_next_job_v4(%(worker)s)::text, ''),
                  (SELECT last_value FROM base_registry_signaling),
                  (SELECT last_value FROM base_cache_signaling)), false)
FROM (SELECT set_config('connector.claim_blocked', %(channels_hint)s::text, false)) hint;

-- Commit the claim and open the job's transaction, in Odoo's isolation.
-- name: COMMIT_CLAIM_BEGIN_JOB
COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ;

-- First statement of the job's transaction after CLAIM_INTO_SESSION: what
-- the claim kept (connector.claim), the channels' hint for the worker's
-- next claim (connector.claim_blocked), and the claimed job's row locked as
-- LOCK_STARTED_JOB locks it (queries.JOB_ROW_COLUMNS) -- NULLs when no job
-- was claimed, or when the claimed row is no longer started by this worker
-- (requeued by another worker's sweep, cancelled) and so not locked.
-- name: LOCK_CLAIMED_JOB
SELECT claimed.setting, claimed.channels_hint, job.*
FROM (SELECT current_setting('connector.claim', true) AS setting,
             current_setting('connector.claim_blocked', true) AS channels_hint) claimed
LEFT JOIN LATERAL (
    SELECT uuid, name, func_string, model_name, method_name, record_ids,
           args, kwargs, user_id, company_id, channel, retry, max_retries,
           priority, eta, identity_key
    FROM queue_job
    WHERE id = nullif(split_part(claimed.setting, ' ', 2), '')::integer
      AND state = 'started' AND worker_name = %(worker)s
    FOR NO KEY UPDATE) job ON true;

-- The claim this session committed last (CLAIM_INTO_SESSION's setting), read
-- after a claim's round trip failed; NULL when the session has made none.
-- name: COMMITTED_CLAIM
SELECT current_setting('connector.claim', true);

-- Start one given pending job as worker, whatever its eta and channel, as
-- the claim would (the same function): perform_jobs() runs jobs this way
-- in a test. False when the job is not pending.
-- name: START_JOB
SELECT connector_start_job_v2(%(id)s, %(worker)s);

-- The job succeeded (or had nothing to do): done, with its result. Its end
-- (date_done) is the moment the outcome is written, however long its
-- transaction ran: the present, not the transaction's start. Returns
-- whether a job waits for it (a link in queue_job_dependency, seen as
-- RELEASE_DEPENDENTS would see it in this transaction, links this
-- transaction stored included): without one, the release is skipped -- a
-- savepoint and two round trips for every job of no graph.
-- name: SET_DONE
UPDATE queue_job SET state = 'done', result = %(result)s, exc_info = NULL,
    date_done = (clock_timestamp() at time zone 'utc'),
    write_date = (now() at time zone 'utc')
WHERE id = %(id)s
RETURNING EXISTS (SELECT 1 FROM queue_job_dependency link
                  WHERE link.depends_on_id = queue_job.id);

-- Try again later: pending with an eta. retry_delta is 0, or -1 to not
-- count this try (RetryableJobError(ignore_retry=True)).
-- name: SET_POSTPONED
UPDATE queue_job SET state = 'pending', worker_name = NULL,
    eta = (now() at time zone 'utc') + %(seconds)s * interval '1 second',
    retry = retry + %(retry_delta)s, result = %(result)s,
    write_date = (now() at time zone 'utc')
WHERE id = %(id)s;

-- The job failed: kept with the message and traceback for a person.
-- name: SET_FAILED
UPDATE queue_job SET state = 'failed', exc_info = %(exc_info)s,
    date_done = (clock_timestamp() at time zone 'utc'),
    write_date = (now() at time zone 'utc')
WHERE id = %(id)s;

-- Same three outcomes for a job whose own transaction is gone (the
-- connection was lost): only while it is still started by this worker.
-- name: SET_OUTCOME_IF_MINE
UPDATE queue_job SET
    state = %(state)s, worker_name = NULL,
    eta = CASE WHEN %(state)s::varchar = 'pending'
               THEN (now() at time zone 'utc') + %(seconds)s * interval '1 second' END,
    exc_info = %(exc_info)s,
    date_done = CASE WHEN %(state)s::varchar IN ('done', 'failed')
                     THEN (clock_timestamp() at time zone 'utc') END,
    write_date = (now() at time zone 'utc')
WHERE id = %(id)s AND state = 'started' AND worker_name = %(worker)s;


-- ============================================================ job graphs

-- Link jobs to the jobs they wait for, by uuid (two parallel arrays): one
-- row per pair in queue_job_dependency, the relation table of queue.job's
-- dependency_ids (created by the ORM: a foreign key with ON DELETE CASCADE
-- and an index on each column, unique pairs). A pair already linked is
-- skipped.
-- name: INSERT_DEPENDENCIES
INSERT INTO queue_job_dependency (job_id, depends_on_id)
SELECT job.id, dependency.id
FROM unnest(%(job_uuids)s::varchar[], %(dependency_uuids)s::varchar[])
     AS link(job_uuid, dependency_uuid)
JOIN queue_job job ON job.uuid = link.job_uuid
JOIN queue_job dependency ON dependency.uuid = link.dependency_uuid
ON CONFLICT DO NOTHING;

-- The jobs ids are done: release (make pending) those of their waiting
-- dependents whose dependencies are all done, in the transaction that
-- marked them done -- a crash cannot come between the two. Returns the
-- released uuids and how many of their dependents still wait.
--
-- Story of the one case it cannot decide: c waits for a and b, which two
-- workers run at once. Each job transaction reads with the snapshot it took
-- when its job started (REPEATABLE READ, as every Odoo transaction), so a's
-- sees b started and b's sees a started: neither releases c, both commit.
-- Hence the worker runs this statement again after its commit, in a new
-- transaction whose snapshot sees both (jobrunner/execute.py: the later of
-- the two releases c), and each worker's upkeep runs RELEASE_READY_JOBS for
-- a worker killed in between. In a chain (one dependency each) the job's
-- own transaction always decides.
-- name: RELEASE_DEPENDENTS
WITH dependent AS (
    SELECT DISTINCT job.id, NOT EXISTS (
        SELECT 1 FROM queue_job_dependency other
        JOIN queue_job dependency ON dependency.id = other.depends_on_id
        WHERE other.job_id = job.id AND dependency.state <> 'done') AS ready
    FROM queue_job_dependency link
    JOIN queue_job job ON job.id = link.job_id
    WHERE link.depends_on_id = ANY(%(ids)s) AND job.state = 'wait_dependencies'
), released AS (
    UPDATE queue_job job SET state = 'pending', write_date = (now() at time zone 'utc')
    FROM dependent WHERE job.id = dependent.id AND dependent.ready
    RETURNING job.uuid
)
SELECT coalesce((SELECT array_agg(uuid) FROM released), '{}'),
       (SELECT count(*) FROM dependent WHERE NOT ready);

-- Savepoint around RELEASE_DEPENDENTS in a job's transaction: a dependent
-- changed by a transaction committed after this one began (a person
-- cancelled it) makes PostgreSQL refuse the update (serialization
-- failure); the job stays done and the release is left to the statement's
-- second run after the commit.
-- name: RELEASE_SAVEPOINT
SAVEPOINT connector_release;

-- The release went through.
-- name: RELEASE_RELEASE_SAVEPOINT
RELEASE SAVEPOINT connector_release;

-- The release was refused: undo it, keep the job's transaction.
-- name: ROLLBACK_TO_RELEASE_SAVEPOINT
ROLLBACK TO SAVEPOINT connector_release;

-- The safety net, run at each worker's upkeep: release every waiting job
-- whose dependencies are all done (or gone) -- left waiting by a worker
-- killed between its job's commit and its second RELEASE_DEPENDENTS, or
-- linked to a job that ended while the graph was being stored. A row
-- another transaction holds is left for the next upkeep.
-- name: RELEASE_READY_JOBS
UPDATE queue_job job SET state = 'pending', write_date = (now() at time zone 'utc')
WHERE job.state = 'wait_dependencies' AND job.id IN (
    SELECT waiting.id FROM queue_job waiting
    WHERE waiting.state = 'wait_dependencies' AND NOT EXISTS (
        SELECT 1 FROM queue_job_dependency link
        JOIN queue_job dependency ON dependency.id = link.depends_on_id
        WHERE link.job_id = waiting.id AND dependency.state <> 'done')
    FOR UPDATE SKIP LOCKED)
RETURNING job.uuid;

-- A person requeues jobs ids (the Requeue button): pending again, tries
-- reset, their outcome forgotten. A job of a graph with a dependency not
-- done waits for it instead (a dependency requeued with it is not done any
-- more); the jobs downstream that were cancelled with it (CANCEL_JOBS) wait
-- again, so requeueing a failed or cancelled job resumes its graph. A
-- started job is refused, and with it the whole request: when one of ids
-- is started nothing changes, and the uuid and name of each started one
-- are returned for the caller's message.
-- name: REQUEUE_JOBS
WITH RECURSIVE requeued AS (
    UPDATE queue_job job SET
        state = CASE WHEN EXISTS (
                SELECT 1 FROM queue_job_dependency link
                JOIN queue_job dependency ON dependency.id = link.depends_on_id
                WHERE link.job_id = job.id
                  AND (dependency.state <> 'done' OR dependency.id = ANY(%(ids)s)))
            THEN 'wait_dependencies' ELSE 'pending' END,
        retry = 0, eta = NULL, exc_info = NULL, result = NULL, worker_name = NULL,
        date_done = NULL, write_uid = %(user_id)s, write_date = (now() at time zone 'utc')
    WHERE job.id = ANY(%(ids)s)
      AND NOT EXISTS (SELECT 1 FROM queue_job started
                      WHERE started.id = ANY(%(ids)s) AND started.state = 'started')
    RETURNING job.id
), downstream(id) AS (
    SELECT link.job_id FROM queue_job_dependency link
    JOIN queue_job job ON job.id = link.job_id
    WHERE link.depends_on_id IN (SELECT id FROM requeued) AND job.state = 'cancelled'
  UNION
    SELECT link.job_id FROM queue_job_dependency link
    JOIN downstream ON link.depends_on_id = downstream.id
    JOIN queue_job job ON job.id = link.job_id
    WHERE job.state = 'cancelled'
), restored AS (
    UPDATE queue_job job SET state = 'wait_dependencies', result = NULL, exc_info = NULL,
        retry = 0, date_done = NULL, write_uid = %(user_id)s,
        write_date = (now() at time zone 'utc')
    FROM downstream
    WHERE job.id = downstream.id AND job.state = 'cancelled' AND NOT job.id = ANY(%(ids)s)
)
SELECT uuid, name FROM queue_job WHERE id = ANY(%(ids)s) AND state = 'started' ORDER BY id;

-- A person marks jobs ids done without running them (the Set done button):
-- done as a run that succeeded leaves a job (SET_DONE: no error kept),
-- with result as its result. As when a job ends done, its waiting
-- dependents whose dependencies are all done become pending: "set done" on
-- a failed job of a graph lets the rest of the graph run without it. A
-- started job is refused, as in REQUEUE_JOBS.
-- name: SET_JOBS_DONE
WITH done AS (
    UPDATE queue_job SET state = 'done', result = %(result)s, exc_info = NULL,
        worker_name = NULL, date_done = (clock_timestamp() at time zone 'utc'),
        write_uid = %(user_id)s, write_date = (now() at time zone 'utc')
    WHERE id = ANY(%(ids)s)
      AND NOT EXISTS (SELECT 1 FROM queue_job started
                      WHERE started.id = ANY(%(ids)s) AND started.state = 'started')
    RETURNING id
), released AS (
    UPDATE queue_job job SET state = 'pending', write_date = (now() at time zone 'utc')
    WHERE job.state = 'wait_dependencies' AND NOT job.id = ANY(%(ids)s)
      AND job.id IN (SELECT link.job_id FROM queue_job_dependency link
                     WHERE link.depends_on_id IN (SELECT id FROM done))
      AND NOT EXISTS (
          SELECT 1 FROM queue_job_dependency other
          JOIN queue_job dependency ON dependency.id = other.depends_on_id
          WHERE other.job_id = job.id AND dependency.state <> 'done'
            AND dependency.id NOT IN (SELECT id FROM done))
)
SELECT uuid, name FROM queue_job WHERE id = ANY(%(ids)s) AND state = 'started' ORDER BY id;

-- A person cancels jobs ids (the Cancel button): they will not run, with
-- result as their result. The waiting jobs that depend on them, directly
-- or not, are cancelled too, their result dependent_result formatted with
-- the uuid and name of the cancelled job they descend from (format()'s
-- %1$s and %2$s). A started job is refused, as in REQUEUE_JOBS.
-- name: CANCEL_JOBS
WITH RECURSIVE cancelled AS (
    UPDATE queue_job SET state = 'cancelled', result = %(result)s, worker_name = NULL,
        date_done = (clock_timestamp() at time zone 'utc'), write_uid = %(user_id)s,
        write_date = (now() at time zone 'utc')
    WHERE id = ANY(%(ids)s)
      AND NOT EXISTS (SELECT 1 FROM queue_job started
                      WHERE started.id = ANY(%(ids)s) AND started.state = 'started')
    RETURNING id, uuid, name
), downstream(id, origin) AS (
    SELECT link.job_id, link.depends_on_id FROM queue_job_dependency link
    WHERE link.depends_on_id IN (SELECT id FROM cancelled)
  UNION
    SELECT link.job_id, downstream.origin FROM queue_job_dependency link
    JOIN downstream ON link.depends_on_id = downstream.id
), dependent AS (
    SELECT DISTINCT ON (downstream.id) downstream.id, cancelled.uuid, cancelled.name
    FROM downstream JOIN cancelled ON cancelled.id = downstream.origin
    ORDER BY downstream.id, downstream.origin
), cancelled_dependent AS (
    UPDATE queue_job job SET state = 'cancelled', worker_name = NULL,
        result = format(%(dependent_result)s, dependent.uuid, dependent.name),
        date_done = (clock_timestamp() at time zone 'utc'), write_uid = %(user_id)s,
        write_date = (now() at time zone 'utc')
    FROM dependent
    WHERE job.id = dependent.id AND job.state = 'wait_dependencies'
      AND NOT job.id = ANY(%(ids)s)
)
SELECT uuid, name FROM queue_job WHERE id = ANY(%(ids)s) AND state = 'started' ORDER BY id;

-- The state invariants that queue.job's CHECK constraints state (a started
-- job names its worker; a job has an end date exactly when it is done,
-- failed or cancelled), made true of the rows written before they existed
-- (connector/migrations/11.0.1.2.0): a started job without a worker runs
-- nowhere this runner knows of and is pending again; an ended job without
-- an end date gets its last change, else its start, else its creation; any
-- other job loses its end date. How many rows each fix changed.
-- name: FIX_STATE_INVARIANTS
WITH unstarted AS (
    UPDATE queue_job SET state = 'pending', date_done = NULL
    WHERE state = 'started' AND worker_name IS NULL
    RETURNING id
), ended AS (
    UPDATE queue_job
    SET date_done = coalesce(write_date, date_started, date_created, create_date,
                             (now() at time zone 'utc'))
    WHERE state IN ('done', 'failed', 'cancelled') AND date_done IS NULL
    RETURNING id
), unended AS (
    UPDATE queue_job SET date_done = NULL
    WHERE state NOT IN ('done', 'failed', 'cancelled') AND date_done IS NOT NULL
      AND NOT (state = 'started' AND worker_name IS NULL)
    RETURNING id
)
SELECT (SELECT count(*) FROM unstarted), (SELECT count(*) FROM ended),
       (SELECT count(*) FROM unended);


-- ============================================================== liveness

-- Wake up on the notifications of queries.NOTIFY_CHANNEL (on an autocommit
-- connection); schema.sql's trigger sends them.
-- name: LISTEN
LISTEN connector_queue_job;

-- Take a worker's name for the life of this session: a session-level
-- advisory lock keyed on the name (true when taken, at once; false when
-- another session holds it). A worker holds it on its LISTEN connection
-- from start to exit. PostgreSQL releases it when that session ends, for
-- whatever reason: a clean stop, kill -9, a crash, a lost connection once
-- the server notices it. So a worker that takes its name's lock knows the
-- previous holder's session is gone: that process is dead, on any machine,
-- and the jobs it left started can run again at once. Story: worker
-- "shop-1" is killed by the OOM killer mid-job; systemd starts it again a
-- second later; the new process takes the lock (the dead one's session
-- ended with it), requeues the job and runs it, instead of being refused as
-- a duplicate until the old heartbeat is stale. The key is the pair
-- (hashtext of 'connector_queue_job_worker', hashtext of the name), apart
-- from the one-key claim lock.
-- name: LOCK_WORKER_NAME
SELECT pg_try_advisory_lock(hashtext('connector_queue_job_worker'), hashtext(%(name)s));

-- The session holding a worker name's lock (LOCK_WORKER_NAME): its backend
-- pid, client address (NULL over the Unix socket, or when the role may not
-- see it) and application name, for a message that tells an operator what
-- to end.
-- name: FIND_WORKER_NAME_HOLDER
SELECT l.pid, host(a.client_addr), a.application_name FROM pg_locks l
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = hashtext('connector_queue_job_worker')::oid
  AND l.objid = hashtext(%(name)s)::oid;

-- A worker starts: insert or take over its name's row, with its pid, host
-- and start date (a row left by a dead process of that name is reused).
-- name: REGISTER_WORKER
INSERT INTO queue_job_worker (name, pid, host, date_started, heartbeat)
VALUES (%(name)s, %(pid)s, %(host)s, (now() at time zone 'utc'), (now() at time zone 'utc'))
ON CONFLICT (name) DO UPDATE SET pid = EXCLUDED.pid, host = EXCLUDED.host,
    date_started = EXCLUDED.date_started, heartbeat = EXCLUDED.heartbeat;

-- Heartbeat of a worker: insert or refresh its row.
-- name: UPSERT_WORKER
INSERT INTO queue_job_worker (name, pid, host, date_started, heartbeat)
VALUES (%(name)s, %(pid)s, %(host)s, (now() at time zone 'utc'), (now() at time zone 'utc'))
ON CONFLICT (name) DO UPDATE SET heartbeat = EXCLUDED.heartbeat;

-- The pid and host of a live worker (heartbeat newer than dead_after
-- seconds) of this name. A worker whose name's lock (LOCK_WORKER_NAME) is
-- held by another session does not start while this finds that holder
-- live; once the holder is silent for dead_after seconds (stopped, frozen,
-- its machine cut off) it starts anyway, as it always did.
-- name: FIND_LIVE_WORKER
SELECT pid, host FROM queue_job_worker
WHERE name = %(name)s
  AND heartbeat >= (now() at time zone 'utc') - %(dead_after)s * interval '1 second';

-- A worker that stops cleanly removes its row.
-- name: DELETE_WORKER
DELETE FROM queue_job_worker WHERE name = %(name)s;

-- Jobs started under this worker's name that no transaction runs (their row
-- is not locked): back to pending now, or failed when out of tries
-- (connector_out_of_tries_v1). The worker runs it when it runs no job
-- itself (at start, on reconnect, at each upkeep), so every such job is an
-- orphan: left by a lost job connection, or by an earlier process of this
-- name (killed, crashed). A job whose row is still locked -- the dead
-- process's backend has not noticed yet, or a frozen process of this name
-- still runs it -- is left alone, and requeued at a later upkeep once its
-- transaction has ended.
-- name: REQUEUE_MY_ORPHANS
WITH orphan AS (
    SELECT id, connector_out_of_tries_v1(retry, max_retries) AS spent
    FROM queue_job
    WHERE state = 'started' AND worker_name = %(worker)s
    FOR UPDATE SKIP LOCKED
)
UPDATE queue_job SET
    state = CASE WHEN spent THEN 'failed' ELSE 'pending' END,
    exc_info = CASE WHEN spent
        THEN %(message)s || ' It was tried ' || retry || ' times (max_retries '
             || max_retries || '): requeue it after checking why.'
        ELSE exc_info END,
    date_done = CASE WHEN spent THEN (now() at time zone 'utc') END,
    worker_name = NULL, write_date = (now() at time zone 'utc')
FROM orphan WHERE queue_job.id = orphan.id
RETURNING queue_job.uuid, queue_job.state;

-- Jobs of dead workers: started by a worker whose heartbeat is older than
-- dead_after seconds (or that has no row), and not locked; pending again,
-- or failed when out of tries (connector_out_of_tries_v1). Story: worker A
-- is killed with -9 while running job J; PostgreSQL ends A's session, which
-- releases J's row lock, but J stays 'started'. A minute later A's
-- heartbeat is stale, worker B runs this statement and J is pending again.
-- While A is alive its job transaction holds J's row lock, so even an A
-- whose heartbeat is late (machine overloaded) never has its running job
-- given to another worker: SKIP LOCKED leaves it alone.
-- name: REQUEUE_DEAD_WORKERS_JOBS
WITH dead AS (
    SELECT j.id, connector_out_of_tries_v1(j.retry, j.max_retries) AS spent
    FROM queue_job j
    WHERE j.state = 'started'
      AND j.date_started < (now() at time zone 'utc') - %(dead_after)s * interval '1 second'
      AND NOT EXISTS (
          SELECT 1 FROM queue_job_worker w
          WHERE w.name = j.worker_name
            AND w.heartbeat >= (now() at time zone 'utc')
                               - %(dead_after)s * interval '1 second')
    FOR UPDATE OF j SKIP LOCKED
)
UPDATE queue_job j SET
    state = CASE WHEN spent THEN 'failed' ELSE 'pending' END,
    exc_info = CASE WHEN spent
        THEN 'Worker ' || coalesce(worker_name, '?') || ' stopped responding while '
             || 'running this job, which was tried ' || retry || ' times (max_retries '
             || max_retries || '). Check the worker logs, then requeue it.'
        ELSE exc_info END,
    date_done = CASE WHEN spent THEN (now() at time zone 'utc') END,
    worker_name = NULL, write_date = (now() at time zone 'utc')
FROM dead WHERE j.id = dead.id
RETURNING j.uuid, j.state;

-- Forget workers silent for ten times dead_after.
-- name: DELETE_DEAD_WORKERS
DELETE FROM queue_job_worker
WHERE heartbeat < (now() at time zone 'utc') - 10 * %(dead_after)s * interval '1 second';


-- ============================================================== channels

-- Create or update a channel given in the runner's configuration: the
-- configuration wins over what the table holds for the settings it names.
-- A changed rate limit starts afresh (the channel trigger of schema.sql
-- clears its state): a limit raised from 1/h to 10/s must not wait out the
-- old hour.
-- name: UPSERT_CHANNEL
INSERT INTO queue_job_channel (name, complete_name, parent_id, capacity,
    sequential, rate_limit, rate_period, rate_burst, weight, create_date, write_date)
VALUES (%(name)s, %(complete_name)s,
    (SELECT id FROM queue_job_channel WHERE complete_name = %(parent)s),
    %(capacity)s, %(sequential)s, %(rate_limit)s, %(rate_period)s, %(rate_burst)s,
    %(weight)s, (now() at time zone 'utc'), (now() at time zone 'utc'))
ON CONFLICT (complete_name) DO UPDATE SET capacity = EXCLUDED.capacity,
    sequential = EXCLUDED.sequential, rate_limit = EXCLUDED.rate_limit,
    weight = EXCLUDED.weight,
    rate_period = EXCLUDED.rate_period, rate_burst = EXCLUDED.rate_burst,
    write_date = EXCLUDED.write_date;

-- Create a parent channel of a configured one (or a paused job's channel)
-- when it does not exist, with the defaults the model gives (no limits):
-- Odoo sets no column defaults in the table, and a rate limit given later
-- in the web client needs its period.
-- name: INSERT_CHANNEL_IF_MISSING
INSERT INTO queue_job_channel (name, complete_name, parent_id, capacity,
    sequential, rate_limit, rate_period, rate_burst, create_date, write_date)
VALUES (%(name)s, %(complete_name)s,
    (SELECT id FROM queue_job_channel WHERE complete_name = %(parent)s),
    0, false, 0, 1, 1, (now() at time zone 'utc'), (now() at time zone 'utc'))
ON CONFLICT (complete_name) DO NOTHING;

-- The table's default weight, for the rows created in SQL without one
-- (INSERT_CHANNEL_IF_MISSING, a configured channel's missing parents): Odoo declares the column
-- NOT NULL but sets no default in the table. Run at each install or
-- update of the addon (QueueJobChannel._auto_init).
-- name: SET_CHANNEL_WEIGHT_DEFAULT
ALTER TABLE queue_job_channel ALTER COLUMN weight SET DEFAULT 1;

-- The channels a rate limit may be given to: those of the table, the
-- channels of the job functions, and those of unfinished jobs (their
-- parents count too: the caller checks the prefixes).
-- name: KNOWN_CHANNELS
SELECT complete_name FROM queue_job_channel
UNION SELECT channel FROM queue_job_function WHERE channel IS NOT NULL
UNION SELECT DISTINCT channel FROM queue_job
      WHERE state IN ('pending', 'enqueued', 'started', 'wait_dependencies');

-- The channel of job id.
-- name: SELECT_JOB_CHANNEL
SELECT channel FROM queue_job WHERE id = %(id)s;

-- Pause a channel (and so its subtree) for seconds from now, on every
-- worker: the remote asked us to slow down (exception.RemoteThrottled). A
-- longer pause already set is kept; the reason is the latest one.
-- name: PAUSE_CHANNEL
UPDATE queue_job_channel
SET paused_until = greatest(paused_until,
                            (now() at time zone 'utc') + %(seconds)s * interval '1 second'),
    pause_reason = %(reason)s, write_date = (now() at time zone 'utc')
WHERE complete_name = %(channel)s;

-- Wake every idle worker of this database (a channel was resumed or its
-- limits changed): the same notification as a new job's.
-- name: NOTIFY_WORKERS
SELECT pg_notify('connector_queue_job', '');


-- ============================================================= functions

-- Register a job function (or @job model method) with its default channel.
-- name: UPSERT_FUNCTION
INSERT INTO queue_job_function (name, channel, retry_pattern, create_date, write_date)
VALUES (%(name)s, %(channel)s, %(retry_pattern)s,
        (now() at time zone 'utc'), (now() at time zone 'utc'))
ON CONFLICT (name) DO UPDATE SET channel = EXCLUDED.channel,
    retry_pattern = EXCLUDED.retry_pattern, write_date = EXCLUDED.write_date
WHERE queue_job_function.channel IS DISTINCT FROM EXCLUDED.channel
   OR queue_job_function.retry_pattern IS DISTINCT FROM EXCLUDED.retry_pattern;


-- ================================================================ status

-- The jobs of one model in some states, grouped by the backend they are
-- counted with (connector/queue/about.py: whoever delayed them stored it),
-- for the backends backend_ids of backend_model: one row per backend, its id
-- and the ids of its jobs. Through queue_job_backend_idx.
-- name: SELECT_JOBS_BY_BACKEND
SELECT backend_id, array_agg(id ORDER BY id) FROM queue_job
WHERE backend_model = %(backend_model)s AND backend_id = ANY(%(backend_ids)s)
  AND state = ANY(%(states)s) AND model_name = %(model_name)s
GROUP BY backend_id;


-- =============================================================== metrics

-- Unfinished and failed jobs by channel and state (done and cancelled ones
-- pile up by the million: they are not a queue's depth).
-- name: METRICS_QUEUE_DEPTH
SELECT channel, state, count(*) FROM queue_job
WHERE state NOT IN ('done', 'cancelled')
GROUP BY channel, state;

-- Per job function: failed jobs, and unfinished jobs tried more than once
-- (being retried), with their tries beyond the first.
-- name: METRICS_BY_FUNCTION
SELECT func_string,
       count(*) FILTER (WHERE state = 'failed'),
       count(*) FILTER (WHERE state <> 'failed' AND retry > 1),
       coalesce(sum(retry - 1) FILTER (WHERE state <> 'failed' AND retry > 1), 0)
FROM queue_job
WHERE state IN ('pending', 'enqueued', 'started', 'failed')
GROUP BY func_string;

-- Channels paused or rate-limited: name, seconds left of the pause (0 when
-- not paused), and the rate limit in starts per second (NULL when none).
-- name: METRICS_CHANNELS
SELECT complete_name,
       greatest(coalesce(extract(epoch FROM paused_until - (now() at time zone 'utc')), 0), 0),
       CASE WHEN rate_limit > 0 THEN rate_limit::float / rate_period END
FROM queue_job_channel
WHERE paused_until > (now() at time zone 'utc') OR rate_limit > 0;

-- Every registered worker: name, host, pid, and seconds since its heartbeat.
-- name: METRICS_WORKERS
SELECT name, host, pid, extract(epoch FROM (now() at time zone 'utc') - heartbeat)
FROM queue_job_worker;


-- ================================================================ vacuum

-- Delete at most limit done and cancelled jobs finished before a date,
-- oldest first, through queue_job_done_date_idx: a batch is short, its
-- locks few, and a row another transaction holds is left for the next
-- batch. Failed jobs are never deleted: they wait for a person.
-- name: DELETE_OLD_DONE_JOBS
DELETE FROM queue_job WHERE id IN (
    SELECT id FROM queue_job
    WHERE state IN ('done', 'cancelled') AND date_done < %(before)s
    ORDER BY date_done LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED);


-- ============================================================ uninstall

-- Drop the functions of schema.sql (connector_*), every version of them,
-- and its table of the claims' channel state and its sequences: uninstalling the addon drops the ORM's
-- tables, and with them the indexes and triggers, but PostgreSQL does not
-- tie a function to the tables its body reads, nor knows the state table
-- and the sequences are the addon's, so they would stay and a new install would fail to
-- create them.
-- name: DROP_SCHEMA_FUNCTIONS
DO $$
DECLARE
    v_function regprocedure;
BEGIN
    FOR v_function IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.proname LIKE 'connector\_%'
          AND p.pronamespace = current_schema()::regnamespace
    LOOP
        EXECUTE 'DROP FUNCTION ' || v_function || ' CASCADE';  -- with the triggers
    END LOOP;
    DROP TABLE IF EXISTS queue_job_channel_state;
    DROP SEQUENCE IF EXISTS connector_queue_bounds_seq;
    DROP SEQUENCE IF EXISTS connector_queue_ends_seq;
END;
$$;
