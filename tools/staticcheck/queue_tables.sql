-- The queue's tables as the ORM makes them (Odoo 11 column types, the unique
-- constraints ON CONFLICT names), for the static check "sql"
-- (tools/staticcheck/sqlcheck.py), which runs without Odoo. The ORM owns
-- the real tables: tests/integration/test_queue_store.py checks that these columns are
-- the real ones (test_the_sql_checks_stand_in_tables_are_the_orms).
CREATE TABLE queue_job (
    id serial PRIMARY KEY, uuid varchar UNIQUE, name varchar, state varchar,
    func_string varchar, model_name varchar, method_name varchar, record_ids text,
    args text, kwargs text, user_id integer, company_id integer, channel varchar,
    priority integer, eta timestamp, retry integer, max_retries integer,
    identity_key varchar, coalesce_key varchar, result text, exc_info text, worker_name varchar,
    date_created timestamp, date_started timestamp, date_done timestamp,
    graph_uuid varchar, about_model varchar, about_id integer, backend_model varchar,
    backend_id integer, create_uid integer, create_date timestamp, write_uid integer,
    write_date timestamp);
CREATE TABLE queue_job_channel (
    id serial PRIMARY KEY, name varchar, complete_name varchar UNIQUE,
    parent_id integer REFERENCES queue_job_channel (id), capacity integer,
    sequential boolean, rate_limit integer, rate_period integer, rate_burst integer,
    weight integer NOT NULL DEFAULT 1 CHECK (weight >= 1), paused_until timestamp, pause_reason text,
    create_uid integer, create_date timestamp, write_uid integer, write_date timestamp);
CREATE TABLE queue_job_dependency (
    job_id integer REFERENCES queue_job (id) ON DELETE CASCADE,
    depends_on_id integer REFERENCES queue_job (id) ON DELETE CASCADE,
    UNIQUE (job_id, depends_on_id));
CREATE TABLE queue_job_function (
    id serial PRIMARY KEY, name varchar UNIQUE, channel varchar, retry_pattern varchar,
    create_uid integer, create_date timestamp, write_uid integer, write_date timestamp);
CREATE TABLE queue_job_worker (
    id serial PRIMARY KEY, name varchar UNIQUE, pid integer, host varchar,
    date_started timestamp, heartbeat timestamp);
-- Odoo's base module: the signaling sequences CLAIM_NEXT_JOB reads.
CREATE SEQUENCE base_registry_signaling;
CREATE SEQUENCE base_cache_signaling;
