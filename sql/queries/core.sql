-- Core queries: who am I, my clients, the audit chain check, and the catalog
-- lints the security tests assert on (each lint returns the offending
-- objects: zero rows means it holds).
--
-- "Our schemas" below are every schema except the system ones and bd_meta
-- (the migrator's); objects that belong to an extension are skipped.

-- name: core.whoami
SELECT login, full_name, role, disabled, clients
FROM core.whoami;

-- name: core.my_clients
-- The client picker: the active clients assigned to the session's operator.
SELECT c.code, c.name
FROM core.clients c
WHERE c.client_id = ANY (core.my_clients())
  AND c.active
ORDER BY c.code;

-- name: core.client_channels
-- Live updates (sql/migrations/030_security.sql): the channel of topic $1
-- ('queue', 'approvals') of each client the caller is assigned to, as row
-- security shows them. Notifications carry nothing: re-read on any.
SELECT ch.client_id, core.channel_name($1::text, ch.token) AS channel
FROM core.client_channels ch
ORDER BY ch.client_id;

-- name: core.operator_channel
-- The caller's own channel: their assignments, role or state changed.
SELECT core.channel_name('operator', oc.token) AS channel
FROM core.operator_channels oc
WHERE oc.login = session_user;

-- name: core.audit_verify
-- Checks the hash chain of each audit chain the caller can read: $1 a client
-- code, '*' for the firm-level chain, or NULL for all. One row per chain:
-- ok, or the first broken link (broken_seq), problem (vanished, missing,
-- inserted, relinked, edited) and a sentence for the user. Every chain the
-- caller may read must exist (core.audit_chains(): each client's chain is
-- opened by its creation, the firm's by the first client or operator), so a
-- chain deleted whole, head and all, is reported too. Chains the caller may
-- not read are not listed.
WITH sel AS (
	SELECT a.client_id, a.client_code
	FROM core.audit_chains() a
	WHERE $1::text IS NULL
	   OR (a.client_id = 0 AND btrim($1::text) = '*')
	   OR (a.client_id <> 0 AND a.client_code = upper(btrim($1::text)))
),
heads AS (
	SELECT s.client_id, s.client_code, h.seq AS head_seq, h.hash AS head_hash
	FROM sel s
	LEFT JOIN core.audit_head h ON h.client_id = s.client_id
),
chain AS (
	SELECT l.client_id, l.seq, l.hash,
	       lag(l.seq) OVER w AS prev_seq,
	       l.prev_hash IS DISTINCT FROM coalesce(lag(l.hash) OVER w, core.audit_genesis())
		       AS bad_link,
	       l.hash IS DISTINCT FROM core.audit_hash(l.prev_hash, l.client_id, l.seq, l.at,
						       l.actor, l.table_name, l.op, l.row_key,
						       l.old, l.new) AS bad_hash
	FROM core.audit_log l
	WHERE l.client_id IN (SELECT client_id FROM sel)
	WINDOW w AS (PARTITION BY l.client_id ORDER BY l.seq)
),
stats AS (
	SELECT client_id, count(*) AS n, max(seq) AS last_seq
	FROM chain
	GROUP BY client_id
),
problems AS (
	SELECT k.client_id,
	       CASE WHEN k.seq > coalesce(h.head_seq, 0) THEN k.seq
		    WHEN k.seq <> coalesce(k.prev_seq, 0) + 1 THEN coalesce(k.prev_seq, 0) + 1
		    ELSE k.seq END AS seq,
	       CASE WHEN k.seq > coalesce(h.head_seq, 0) THEN 'inserted'
		    WHEN k.seq <> coalesce(k.prev_seq, 0) + 1 THEN 'missing'
		    WHEN k.bad_link THEN 'relinked'
		    WHEN k.bad_hash THEN 'edited' END AS problem,
	       0 AS prio
	FROM chain k
	JOIN heads h ON h.client_id = k.client_id
	WHERE k.seq > coalesce(h.head_seq, 0) OR k.seq <> coalesce(k.prev_seq, 0) + 1
	   OR k.bad_link OR k.bad_hash
	UNION ALL
	-- rows deleted at the end of the chain
	SELECT h.client_id, coalesce(s.last_seq, 0) + 1, 'missing', 1
	FROM heads h
	LEFT JOIN stats s ON s.client_id = h.client_id
	WHERE h.head_seq > coalesce(s.last_seq, 0)
	UNION ALL
	-- the whole chain gone, or its head
	SELECT h.client_id, 1, 'vanished', -1
	FROM heads h
	WHERE h.head_seq IS NULL
	UNION ALL
	-- the last row rewritten with a recomputed hash
	SELECT h.client_id, k.seq, 'edited', 1
	FROM heads h
	JOIN chain k ON k.client_id = h.client_id AND k.seq = h.head_seq
	WHERE k.hash IS DISTINCT FROM h.head_hash
)
SELECT h.client_code,
       coalesce(s.n, 0) AS rows_checked,
       coalesce(h.head_seq, 0) AS head_seq,
       p.seq IS NULL AS ok,
       p.seq AS broken_seq,
       p.problem,
       CASE p.problem
	       WHEN 'missing' THEN format('Audit row %s is missing: rows were deleted', p.seq)
	       WHEN 'inserted' THEN format('Audit row %s is beyond the end of the chain (%s): '
					   'a row was inserted', p.seq, coalesce(h.head_seq, 0))
	       WHEN 'relinked' THEN format('Audit row %s does not follow row %s: a row was '
					   'inserted, reordered or rewritten', p.seq, p.seq - 1)
	       WHEN 'edited' THEN format('Audit row %s does not match its hash: the row was '
					 'edited', p.seq)
	       WHEN 'vanished' THEN 'The audit chain or its head is gone: it was deleted '
				    '(every client has a chain from its creation on)'
       END AS detail
FROM heads h
LEFT JOIN stats s ON s.client_id = h.client_id
LEFT JOIN LATERAL (
	SELECT q.seq, q.problem
	FROM problems q
	WHERE q.client_id = h.client_id
	ORDER BY q.seq, q.prio
	LIMIT 1
) p ON true
ORDER BY h.client_id;

-- name: core.audit_heads
-- The head (last seq and hash) of each audit chain the caller can read ($1
-- a client code, '*', or NULL for all), to keep outside the database:
-- core.audit_verify_heads later proves each chain still holds that row.
SELECT a.client_code, h.seq, encode(h.hash, 'hex') AS hash
FROM core.audit_chains() a
JOIN core.audit_head h ON h.client_id = a.client_id
WHERE $1::text IS NULL
   OR (a.client_id = 0 AND btrim($1::text) = '*')
   OR (a.client_id <> 0 AND a.client_code = upper(btrim($1::text)))
ORDER BY a.client_id;

-- name: core.audit_verify_heads
-- Compares heads exported earlier (core.audit_heads; $1 the file's text,
-- lines "CODE SEQ HASH", '#' comments) with the chains now: each exported
-- row must still be in its chain with the same hash, or the chain was cut
-- back or rewritten since (even with hashes recomputed throughout). One row
-- per line: state ok, rewritten, missing, skipped (a chain the caller may
-- not read) or bad (not a heads line), and a sentence.
WITH lines AS (
	SELECT t.n, t.l,
	       regexp_match(t.l, '^\s*(\*|[A-Z][A-Z0-9_]{1,15})\s+([0-9]{1,18})\s+([0-9a-f]{64})\s*$') AS m
	FROM regexp_split_to_table($1::text, E'\n') WITH ORDINALITY AS t(l, n)
	WHERE btrim(t.l, E' \t\r') <> '' AND btrim(t.l) !~ '^#'
),
parsed AS (
	SELECT n, m[1] AS code, m[2]::bigint AS seq, decode(m[3], 'hex') AS hash
	FROM lines
)
SELECT p.n AS line, coalesce(p.code, '?') AS client_code, p.seq,
       CASE WHEN p.code IS NULL THEN 'bad'
	    WHEN a.client_id IS NULL THEN 'skipped'
	    WHEN l.hash IS NULL THEN 'missing'
	    WHEN l.hash <> p.hash THEN 'rewritten'
	    ELSE 'ok' END AS state,
       CASE WHEN p.code IS NULL THEN format('Line %s is not a line of audit heads', p.n)
	    WHEN a.client_id IS NULL THEN 'Not a chain you may read: not checked'
	    WHEN l.hash IS NULL THEN format('Audit row %s, the head when exported, is gone: '
					    'the chain was cut back', p.seq)
	    WHEN l.hash <> p.hash THEN format('Audit row %s differs from the head exported: '
					      'the chain was rewritten', p.seq)
	    ELSE 'intact since exported' END AS detail
FROM parsed p
LEFT JOIN core.audit_chains() a ON a.client_code = p.code
LEFT JOIN core.audit_log l ON l.client_id = a.client_id AND l.seq = p.seq
ORDER BY p.n;

-- name: core.tenant_tables
-- Every table and view with a client_id column in our schemas: the tenant
-- matrix of the security tests runs over these. qualified is quoted for SQL.
SELECT n.nspname AS schema_name, c.relname AS table_name,
       CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'matview' ELSE 'table' END AS kind,
       format('%I.%I', n.nspname, c.relname) AS qualified
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm')
  AND n.nspname NOT IN ('information_schema', 'bd_meta')
  AND n.nspname NOT LIKE 'pg\_%'
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
	      WHERE a.attrelid = c.oid AND a.attname = 'client_id' AND NOT a.attisdropped)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
		  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
		    AND d.deptype = 'e')
ORDER BY 1, 2;

-- name: core.lint_rls
-- Tables with client_id lacking ENABLE/FORCE row level security or a policy;
-- policies for anyone but bd_owner whose expressions do not restrict by the
-- session (my_clients(), is_admin(), my_role() or session_user); views
-- without security_invoker; materialized views with client_id (RLS cannot
-- protect them).
WITH ours AS (
	SELECT c.oid, c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.reloptions,
	       EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
		       WHERE a.attrelid = c.oid AND a.attname = 'client_id'
			 AND NOT a.attisdropped) AS tenant
	FROM pg_catalog.pg_class c
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('r', 'p', 'v', 'm')
	  AND n.nspname NOT IN ('information_schema', 'bd_meta')
	  AND n.nspname NOT LIKE 'pg\_%'
	  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
			  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
			    AND d.deptype = 'e')
)
SELECT o.oid::regclass::text AS object, v.problem
FROM ours o
CROSS JOIN LATERAL (VALUES
	(CASE WHEN o.tenant AND o.relkind IN ('r', 'p') AND NOT o.relrowsecurity
	      THEN 'row level security is not enabled' END),
	(CASE WHEN o.tenant AND o.relkind IN ('r', 'p') AND NOT o.relforcerowsecurity
	      THEN 'row level security is not forced' END),
	(CASE WHEN o.tenant AND o.relkind IN ('r', 'p')
		   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = o.oid)
	      THEN 'no policy' END),
	(CASE WHEN o.relkind = 'v'
		   AND NOT coalesce('security_invoker=true' = ANY (o.reloptions)
				    OR 'security_invoker=on' = ANY (o.reloptions), false)
	      THEN 'view is not security_invoker' END),
	(CASE WHEN o.tenant AND o.relkind = 'm'
	      THEN 'materialized view with client_id: row level security cannot protect it' END)
) v(problem)
WHERE v.problem IS NOT NULL
UNION ALL
SELECT p.polrelid::regclass::text || ' policy ' || p.polname,
       'policy does not restrict rows by the session''s clients'
FROM pg_catalog.pg_policy p
JOIN ours o ON o.oid = p.polrelid
WHERE NOT (p.polroles <> '{0}' AND NOT EXISTS (
		SELECT 1 FROM unnest(p.polroles) r(oid)
		WHERE r.oid <> (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = 'bd_owner')))
  AND ((p.polqual IS NOT NULL
	AND pg_catalog.pg_get_expr(p.polqual, p.polrelid)
	    !~ '(my_clients|is_admin|my_role)\(|SESSION_USER')
    OR (p.polwithcheck IS NOT NULL
	AND pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
	    !~ '(my_clients|is_admin|my_role)\(|SESSION_USER'))
ORDER BY 1, 2;

-- name: core.lint_definer
-- SECURITY DEFINER functions in our schemas without a pinned search_path
-- (or one that includes public or $user), not owned by bd_owner, or
-- executable by PUBLIC.
SELECT p.oid::regprocedure::text AS object, v.problem
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
CROSS JOIN LATERAL (VALUES
	(CASE WHEN NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) g(s) WHERE g.s LIKE 'search\_path=%')
	      THEN 'search_path is not pinned' END),
	(CASE WHEN EXISTS (SELECT 1 FROM unnest(p.proconfig) g(s)
			   WHERE g.s LIKE 'search\_path=%'
			     AND (g.s ~ '[=, ]"?public"?(,|$)' OR g.s LIKE '%$user%'))
	      THEN 'search_path includes public or $user' END),
	(CASE WHEN pg_catalog.pg_get_userbyid(p.proowner) <> 'bd_owner'
	      THEN 'owned by ' || pg_catalog.pg_get_userbyid(p.proowner) || ', not bd_owner' END),
	(CASE WHEN p.proacl IS NULL
		   OR EXISTS (SELECT 1 FROM pg_catalog.aclexplode(p.proacl) x
			      WHERE x.grantee = 0 AND x.privilege_type = 'EXECUTE')
	      THEN 'EXECUTE is granted to PUBLIC' END)
) v(problem)
WHERE p.prosecdef
  AND v.problem IS NOT NULL
  AND n.nspname NOT IN ('information_schema', 'bd_meta')
  AND n.nspname NOT LIKE 'pg\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
		  WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
		    AND d.deptype = 'e')
ORDER BY 1, 2;

-- name: core.lint_owners
-- Schemas, relations and functions in our schemas not owned by bd_owner, and
-- anything anywhere in this database owned by a role that can log in (other
-- than a superuser).
WITH owned AS (
	SELECT 'schema ' || quote_ident(n.nspname) AS object, n.nspowner AS owner,
	       n.nspname AS schema_name, 'pg_catalog.pg_namespace'::regclass AS classid, n.oid
	FROM pg_catalog.pg_namespace n
	UNION ALL
	SELECT 'relation ' || c.oid::regclass::text, c.relowner, n.nspname,
	       'pg_catalog.pg_class'::regclass, c.oid
	FROM pg_catalog.pg_class c
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
	UNION ALL
	SELECT 'function ' || p.oid::regprocedure::text, p.proowner, n.nspname,
	       'pg_catalog.pg_proc'::regclass, p.oid
	FROM pg_catalog.pg_proc p
	JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
)
SELECT o.object, 'owned by ' || r.rolname AS problem
FROM owned o
JOIN pg_catalog.pg_roles r ON r.oid = o.owner
WHERE ((o.schema_name NOT IN ('information_schema', 'bd_meta', 'public')
	AND o.schema_name NOT LIKE 'pg\_%'
	AND r.rolname <> 'bd_owner')
       OR (r.rolcanlogin AND NOT r.rolsuper))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
		  WHERE d.classid = o.classid AND d.objid = o.oid AND d.deptype = 'e')
ORDER BY 1;

-- name: core.lint_roles
-- Role attributes and memberships the security model relies on: bd_owner
-- cannot log in, is not a superuser, has no BYPASSRLS and no members; the
-- group roles cannot log in; no operator (member of a group) is a superuser,
-- has BYPASSRLS, CREATEROLE or REPLICATION, or belongs to two groups; PUBLIC
-- may not create temporary tables in this database.
WITH grp AS (
	SELECT oid, rolname FROM pg_catalog.pg_roles
	WHERE rolname IN ('bd_clerk', 'bd_accountant', 'bd_supervisor', 'bd_admin')
),
members AS (
	SELECT m.member, count(*) AS groups
	FROM pg_catalog.pg_auth_members m
	JOIN grp g ON g.oid = m.roleid
	WHERE m.member <> (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = 'bd_owner')
	GROUP BY m.member
)
SELECT r.rolname AS object, v.problem
FROM pg_catalog.pg_roles r
CROSS JOIN LATERAL (VALUES
	(CASE WHEN r.rolname = 'bd_owner' AND r.rolcanlogin THEN 'bd_owner can log in' END),
	(CASE WHEN r.rolname = 'bd_owner' AND r.rolsuper THEN 'bd_owner is a superuser' END),
	(CASE WHEN r.rolname = 'bd_owner' AND r.rolbypassrls THEN 'bd_owner has BYPASSRLS' END),
	(CASE WHEN r.rolname = 'bd_owner'
		   AND EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m WHERE m.roleid = r.oid)
	      THEN 'bd_owner has members' END),
	(CASE WHEN r.oid IN (SELECT oid FROM grp) AND r.rolcanlogin
	      THEN 'group role can log in' END),
	(CASE WHEN r.oid IN (SELECT member FROM members)
		   AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolreplication)
	      THEN 'operator has SUPERUSER, BYPASSRLS, CREATEROLE or REPLICATION' END),
	(CASE WHEN (SELECT groups FROM members WHERE member = r.oid) > 1
	      THEN 'operator is a member of more than one group' END)
) v(problem)
WHERE v.problem IS NOT NULL
UNION ALL
SELECT 'database ' || current_database(), 'PUBLIC may create temporary tables'
FROM pg_catalog.pg_database d
WHERE d.datname = current_database()
  AND (d.datacl IS NULL
       OR EXISTS (SELECT 1 FROM pg_catalog.aclexplode(d.datacl) x
		  WHERE x.grantee = 0 AND x.privilege_type = 'TEMPORARY'))
ORDER BY 1, 2;

-- name: core.lint_grants
-- Write privileges (INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER;
-- UPDATE on sequences) on relations in our schemas held by anyone but their
-- owner: operators write only through functions. Also CREATE on our schemas.
-- One exception, by design (087_ledger_import_staged.sql): accountants
-- INSERT into ledger.import_lines, the staging of a journal import, by
-- COPY (which row security forbids and functions cannot stream); no one
-- reads, changes or deletes it but the import's definer functions, which
-- take only the rows the batch's own transaction wrote.
SELECT c.oid::regclass::text AS object,
       x.privilege_type || ' granted to ' ||
       CASE x.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(x.grantee) END
	       AS problem
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) x
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('information_schema', 'bd_meta')
  AND n.nspname NOT LIKE 'pg\_%'
  AND x.grantee <> c.relowner
  AND x.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
  AND NOT (c.oid = 'ledger.import_lines'::regclass AND x.privilege_type = 'INSERT'
	   AND x.grantee = 'bd_accountant'::regrole)
UNION ALL
SELECT 'schema ' || quote_ident(n.nspname),
       'CREATE granted to ' ||
       CASE x.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(x.grantee) END
FROM pg_catalog.pg_namespace n
CROSS JOIN LATERAL pg_catalog.aclexplode(n.nspacl) x
WHERE n.nspname NOT IN ('information_schema', 'bd_meta')
  AND n.nspname NOT LIKE 'pg\_%'
  AND x.grantee <> n.nspowner
  AND x.privilege_type = 'CREATE'
ORDER BY 1, 2;

-- name: core.replica_lag
-- The reports' server (database.report_conninfo): whether it is a standby,
-- and how far its replay is behind the primary in seconds: 0 when it has
-- replayed all the WAL it received, else the age of the last transaction it
-- replayed (an idle primary sends nothing, so "behind" means work is
-- waiting to be replayed). NULL on a primary, and on a standby with WAL to
-- replay that has replayed no transaction yet (no time to tell).
SELECT pg_is_in_recovery() AS standby,
       CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            -- (not greatest(0, ...), which would turn "no time to tell" into 0)
            WHEN pg_last_xact_replay_timestamp() > now() THEN 0
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())
       END::numeric(12, 1) AS lag_seconds;

-- name: core.lint_tenant_keys
-- The precondition for distributing every tenant table by client_id (Citus:
-- a client's rows co-located on one node, README "Capacity"): in each table
-- with client_id, every primary key, unique constraint, unique index and
-- exclusion constraint includes client_id, and every foreign key maps its
-- client_id to the referenced table's client_id. Returns the offenders
-- (object: "table constraint"); tests/db/test_schema_keys.c lists the
-- genuine exceptions with their reasons.
WITH tenant AS (
	SELECT c.oid, a.attnum AS client_col
	FROM pg_catalog.pg_class c
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = 'client_id'
				       AND NOT a.attisdropped
	WHERE c.relkind IN ('r', 'p')
	  AND n.nspname NOT IN ('information_schema', 'bd_meta')
	  AND n.nspname NOT LIKE 'pg\_%'
	  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
			  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
			    AND d.deptype = 'e')
)
SELECT t.oid::regclass::text || ' ' || k.conname AS object,
       CASE k.contype
	    WHEN 'f' THEN 'foreign key does not map client_id to client_id: '
	    ELSE 'key without client_id: ' END
       || pg_catalog.pg_get_constraintdef(k.oid) AS problem
FROM tenant t
JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid AND k.contype IN ('p', 'u', 'x', 'f')
WHERE CASE WHEN k.contype = 'f'
	   THEN NOT EXISTS (SELECT 1
			    FROM unnest(k.conkey, k.confkey) m(col, ref)
			    JOIN pg_catalog.pg_attribute r ON r.attrelid = k.confrelid
							   AND r.attnum = m.ref
			    WHERE m.col = t.client_col AND r.attname = 'client_id')
	   ELSE NOT t.client_col = ANY (k.conkey) END
UNION ALL
SELECT t.oid::regclass::text || ' ' || i.indexrelid::regclass::text,
       'unique index without client_id: ' || pg_catalog.pg_get_indexdef(i.indexrelid)
FROM tenant t
JOIN pg_catalog.pg_index i ON i.indrelid = t.oid AND i.indisunique
WHERE NOT t.client_col = ANY (i.indkey::int2[])
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid
							   AND k.conrelid = t.oid)
ORDER BY 1;
