-- The migrator's own bookkeeping (see include/backdesk/migrate.h).

-- name: migrate.lock
-- Until the end of the transaction that applies one migration: a lock that
-- conflicts with itself, which no operator can take (they may only read the
-- table, whose ACCESS SHARE lock does not conflict with it). An advisory
-- lock would not do: any role may take its key and stall every upgrade.
LOCK TABLE bd_meta.migrations IN SHARE ROW EXCLUSIVE MODE;

-- name: migrate.recorded
-- $1 version: its checksum when a concurrent migrator applied it meanwhile.
SELECT checksum FROM bd_meta.migrations WHERE version = $1::integer;

-- name: migrate.create_schema
CREATE SCHEMA IF NOT EXISTS bd_meta;

-- name: migrate.create_table
CREATE TABLE IF NOT EXISTS bd_meta.migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT session_user
);

-- name: migrate.grant_schema
GRANT USAGE ON SCHEMA bd_meta TO PUBLIC;

-- name: migrate.grant_table
GRANT SELECT ON bd_meta.migrations TO PUBLIC;

-- name: migrate.applied
SELECT version, name, checksum FROM bd_meta.migrations ORDER BY version;

-- name: migrate.has_table
SELECT pg_catalog.to_regclass('bd_meta.migrations') IS NOT NULL;

-- name: migrate.newest
SELECT coalesce(max(version), 0) FROM bd_meta.migrations;

-- name: migrate.check
-- At sign-on, in one round trip: the newest migration applied, and whether
-- the database holds this binary's stamp $1 (085_seats.sql: migrate writes
-- it once the schema and every function file are this binary's; any change
-- to them deletes it). (Fails when bd_meta has no stamp table yet: the
-- caller then asks step by step.)
SELECT (SELECT coalesce(max(version), 0) FROM bd_meta.migrations) AS newest,
       EXISTS (SELECT 1 FROM bd_meta.stamp WHERE one AND stamp = $1) AS stamped;

-- name: migrate.stamp
-- At the end of migrate's run, in the transaction that applied the
-- repeatable files, under its lock: the binary's stamp ($1).
INSERT INTO bd_meta.stamp (one, stamp) VALUES (true, $1)
ON CONFLICT (one) DO UPDATE
   SET stamp = EXCLUDED.stamp, written_at = now(), written_by = session_user;

-- name: migrate.checksum
SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to($1, 'UTF8')), 'hex');

-- name: migrate.record
INSERT INTO bd_meta.migrations (version, name, checksum) VALUES ($1, $2, $3);

-- name: migrate.repeatables_recorded
-- The checksum each repeatable file (sql/functions/) was last applied with.
SELECT path, checksum FROM bd_meta.repeatables ORDER BY path;

-- name: migrate.no_body_checks
-- For the rest of the transaction: a function may name one defined later.
SELECT pg_catalog.set_config('check_function_bodies', 'off', true);

-- name: migrate.repeatable_record
INSERT INTO bd_meta.repeatables (path, checksum) VALUES ($1, $2)
ON CONFLICT (path) DO UPDATE
   SET checksum = EXCLUDED.checksum, applied_at = now(), applied_by = session_user;
