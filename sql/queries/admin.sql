-- Admin screens and `backdesk admin ...`: clients, operators, assignments and
-- the audit trail. Writes go through the core.* functions of migration 002,
-- which only bd_admin may execute and which raise BD001..BD004 with a
-- message for the user. Arrays are passed as text, e.g. '{ACME,GLOBEX}'.

-- name: admin.client_add
-- $1 code, $2 name. Returns the new client_id.
SELECT core.client_add($1::text, $2::text) AS client_id;

-- name: admin.client_rename
-- $1 code, $2 new name.
SELECT core.client_rename($1::text, $2::text);

-- name: admin.client_set_active
-- $1 code, $2 'true' or 'false'.
SELECT core.client_set_active($1::text, $2::boolean);

-- name: admin.client_list
-- Every client an admin may see (all of them), with how many active
-- operators are assigned. $1 'true' to list active clients only, else NULL.
SELECT c.code, c.name, c.active, c.created_at,
       (SELECT count(*) FROM core.assignments a
	JOIN core.operators o ON o.login = a.login
	WHERE a.client_id = c.client_id AND NOT o.disabled) AS operators
FROM core.clients c
WHERE $1::boolean IS NOT TRUE OR c.active
ORDER BY c.code;

-- name: admin.client_get
-- $1 code. One row, or none. operators: the logins assigned.
SELECT c.code, c.name, c.active, c.created_at,
       coalesce((SELECT array_agg(a.login ORDER BY a.login)
		 FROM core.assignments a WHERE a.client_id = c.client_id), '{}') AS operators
FROM core.clients c
WHERE c.code = upper(btrim($1::text));

-- name: admin.operator_add
-- $1 login, $2 full name, $3 role (clerk, accountant, supervisor, admin),
-- $4 client codes as '{A,B}' (NULL or '{}' for none).
SELECT core.operator_add($1::text, $2::text, $3::text, coalesce($4::text[], '{}'));

-- name: admin.operator_update
-- $1 login, $2 full name, $3 role.
SELECT core.operator_update($1::text, $2::text, $3::text);

-- name: admin.operator_list
-- Operators, filtered by $1 role (NULL: all) and $2 'true' to hide disabled
-- ones. can_login: whether the database role may log in now.
SELECT o.login, o.full_name, o.role, o.disabled,
       coalesce(r.rolcanlogin, false) AS can_login,
       coalesce((SELECT array_agg(c.code ORDER BY c.code)
		 FROM core.assignments a JOIN core.clients c ON c.client_id = a.client_id
		 WHERE a.login = o.login), '{}') AS clients,
       o.created_at
FROM core.operators o
LEFT JOIN pg_catalog.pg_roles r ON r.rolname = o.login
WHERE ($1::text IS NULL OR o.role = $1::text)
  AND ($2::boolean IS NOT TRUE OR NOT o.disabled)
ORDER BY o.login;

-- name: admin.operator_get
-- $1 login. One row, or none.
SELECT o.login, o.full_name, o.role, o.disabled,
       coalesce(r.rolcanlogin, false) AS can_login,
       coalesce((SELECT array_agg(c.code ORDER BY c.code)
		 FROM core.assignments a JOIN core.clients c ON c.client_id = a.client_id
		 WHERE a.login = o.login), '{}') AS clients,
       o.created_at,
       (SELECT count(*) FROM pg_catalog.pg_stat_activity s
	WHERE s.usename = o.login AND s.datname = current_database()) AS sessions
FROM core.operators o
LEFT JOIN pg_catalog.pg_roles r ON r.rolname = o.login
WHERE o.login = $1::text;

-- name: admin.operator_disable
-- $1 login. Returns the number of sessions ended, and a message that says
-- when the operator was disabled already (the list shows it). The state is
-- read from the statement's snapshot, before the call changes it.
WITH before AS MATERIALIZED (SELECT disabled FROM core.operators WHERE login = $1::text)
SELECT core.operator_disable($1::text) AS sessions_ended,
       CASE WHEN (SELECT disabled FROM before)
	    THEN $1::text || ' was already disabled: nothing changed' END AS message;

-- name: admin.operator_enable
-- $1 login. A message when the operator was enabled already (see above).
WITH before AS MATERIALIZED (SELECT disabled FROM core.operators WHERE login = $1::text)
SELECT core.operator_enable($1::text),
       CASE WHEN (SELECT NOT disabled FROM before)
	    THEN $1::text || ' was already enabled: nothing changed' END AS message;

-- name: admin.assign
-- $1 login, $2 client code.
SELECT core.assign($1::text, $2::text);

-- name: admin.unassign
-- $1 login, $2 client code.
SELECT core.unassign($1::text, $2::text);

-- name: admin.audit_list
-- The audit trail, newest first. Filters, each NULL for none: $1 client code
-- ('*' the firm-level chain of clients, operators and assignments), $2 table
-- (e.g. 'core.clients' or 'clients'), $3 actor login, $4 from date, $5 to
-- date (inclusive, ISO dates, the session's time zone). Paging: $6 rows
-- (default 100, at most 1000), $7 rows to skip (default 0). Rows of chains
-- the caller may not read are not visible (RLS).
SELECT CASE WHEN l.client_id = 0 THEN '*' ELSE c.code END AS client_code,
       l.seq, l.at, l.actor, l.table_name, l.op, l.row_key, l.old, l.new
FROM core.audit_log l
LEFT JOIN core.clients c ON c.client_id = l.client_id
WHERE ($1::text IS NULL
       OR (btrim($1::text) = '*' AND l.client_id = 0)
       OR c.code = upper(btrim($1::text)))
  AND ($2::text IS NULL OR l.table_name = $2::text
       OR (position('.' IN $2::text) = 0 AND split_part(l.table_name, '.', 2) = $2::text))
  AND ($3::text IS NULL OR l.actor = $3::text)
  AND ($4::date IS NULL OR l.at >= $4::date)
  AND ($5::date IS NULL OR l.at < $5::date + 1)
ORDER BY l.at DESC, l.client_id DESC, l.seq DESC
LIMIT least(coalesce($6::integer, 100), 1000) OFFSET greatest(coalesce($7::integer, 0), 0);
