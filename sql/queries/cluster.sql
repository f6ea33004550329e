-- Queries the embedded local cluster runs as its superuser.

-- name: cluster.database_exists
SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1;

-- name: cluster.create_database
CREATE DATABASE backdesk;

-- name: cluster.drop_database
-- `db restore --force`: the database goes, with any sessions still in it.
DROP DATABASE backdesk WITH (FORCE);

-- name: cluster.has_schema
-- Whether the backdesk database holds Backdesk's schema (any migration run).
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'core');

-- name: cluster.contents
-- What a restore would replace, in words for the refusal.
SELECT (SELECT count(*) FROM core.clients), (SELECT count(*) FROM core.operators),
       (SELECT count(*) FROM core.audit_log);
