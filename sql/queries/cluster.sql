-- Queries the embedded local cluster runs as its superuser.

-- name: cluster.database_exists
SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1;

-- name: cluster.create_database
CREATE DATABASE backdesk;
