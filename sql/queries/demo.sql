-- The demo command's own queries (run as the embedded cluster's superuser).

-- name: demo.is_seeded
SELECT EXISTS (SELECT 1 FROM core.clients);
