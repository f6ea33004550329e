-- 001_core: roles, the core schema, tenant security and the audit trail.
--
-- Runs as a superuser inside the migrator's transaction. Forward-only: once
-- applied anywhere, never edit this file; add a new migration instead.
--
-- Security model (read this before writing 010+ or 020+ migrations)
-- -----------------------------------------------------------------
-- * Group roles (NOLOGIN): bd_clerk, bd_accountant, bd_supervisor, bd_admin.
--   Each operator is a LOGIN role named as their Unix login, member of exactly
--   one group. Roles are cluster-wide, so one login has one role in every
--   Backdesk database of a cluster.
-- * bd_owner (NOLOGIN, not superuser, no BYPASSRLS) owns every schema, table,
--   view and function. Nobody is a member of bd_owner: its rights are used
--   only through SECURITY DEFINER functions. It holds:
--     CREATEROLE         so core.operator_add/disable/enable can create an
--                        operator's login role, grant it its group and switch
--                        LOGIN on and off. On PostgreSQL 15 CREATEROLE can
--                        grant any non-superuser role, which is why bd_owner
--                        must stay unreachable (no members, no login) and its
--                        functions must validate everything; on 16+ it also
--                        gets ADMIN OPTION (INHERIT FALSE, SET FALSE) on the
--                        four groups, which 16 requires to grant them.
--     pg_signal_backend  so core.operator_disable can end a disabled
--                        operator's sessions (never a superuser's).
-- * Every table with a client_id column: ENABLE + FORCE ROW LEVEL SECURITY and
--   the tenant policy
--     client_id = ANY ((SELECT a.clients FROM core.operator_access a
--                       WHERE a.login = session_user)::integer[])
--   core.operator_access holds each active operator's role and client ids,
--   kept from core.operators and core.assignments by triggers, so the check
--   is one primary-key read, run once per statement (the sub-select is an
--   InitPlan; the cast keeps it a scalar array, not the "= ANY (subquery)"
--   form). It is written out rather than calling core.my_clients(), which
--   returns the same array: a policy runs once per table reference of every
--   statement, and a function call there (its own query, executor and
--   context) cost more than twice the read itself, and was the largest
--   single cost of the keying F2 (see README, "Benchmarks"). Use
--   core.tenant_table('schema.table') in your migration: it sets owner, RLS,
--   the policy, SELECT grants and the audit trigger in one go.
--   FORCE matters: SECURITY DEFINER functions run as bd_owner, and the policy
--   still limits their writes to the calling operator's clients.
-- * client_id is part of every unique key and every foreign key
--   (FOREIGN KEY (client_id, x) REFERENCES t (client_id, x)).
-- * Operators get SELECT (filtered by RLS) and EXECUTE on chosen functions;
--   never INSERT/UPDATE/DELETE. Writes go through SECURITY DEFINER functions
--   owned by bd_owner with SET search_path = pg_catalog, <schemas>, pg_temp
--   (pg_temp last, so a temporary table can never shadow a real one), EXECUTE
--   revoked from PUBLIC and granted to the groups that may call them. Each
--   re-checks the caller: core.require_role('admin'), core.require_client(id).
--   Default privileges below already revoke EXECUTE from PUBLIC for functions
--   created by bd_owner. Functions granted to a group and trigger functions
--   pin their search_path too. A module's internal helpers (granted to no
--   one, so only its definer functions call them) do not: they run on their
--   caller's pinned path, since every SET search_path costs each call a
--   recomputation of the path and a revalidation of the plans after it
--   (about 5% of a keying F2 for the helpers on its path).
-- * Errors meant for the user: RAISE EXCEPTION '<plain words>' USING ERRCODE =
--   'BD001' invalid input, 'BD002' not permitted, 'BD003' conflict/duplicate,
--   'BD004' not found.
--
-- Decisions taken here
-- * core.clients: an operator sees the clients assigned to them; an active
--   admin sees every client (admins manage clients), but admins see business
--   data only of clients they are assigned to.
-- * core.operators has no client_id: an operator sees their own row; active
--   admins and supervisors see all operators (names for dashboards). It uses
--   ENABLE (not FORCE) RLS so that the owner's functions read every row.
-- * core.assignments: an operator sees their own assignments, an admin all.
--   core.operator_access (derived from it) shows each operator their own row.
-- * Audit: one hash chain per client (client_id = the client) for business
--   data, and one firm-level chain with client_id 0 for the admin tables
--   core.clients, core.operators and core.assignments: admins manage those and
--   must see their trail without being assigned to every client. Chain 0 is
--   shown as client code '*'. Readers of the audit trail: accountants,
--   supervisors and admins, for their assigned clients; admins also chain 0.
-- * A superuser (the DBA, the migrator, the demo seed) passes every role check
--   in the admin functions, and bypasses RLS as PostgreSQL always allows.

-- --------------------------------------------------------------------------
-- Roles (cluster-wide: created once, tolerated when another database or a
-- concurrent migration got there first)
-- --------------------------------------------------------------------------
DO $roles$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['bd_owner', 'bd_clerk', 'bd_accountant', 'bd_supervisor',
				   'bd_admin'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			BEGIN
				EXECUTE format('CREATE ROLE %I NOLOGIN', r);
			EXCEPTION WHEN duplicate_object OR unique_violation THEN
				NULL;
			END;
		END IF;
	END LOOP;

	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'bd_owner'
		       AND rolcreaterole AND NOT rolcanlogin AND NOT rolsuper
		       AND NOT rolbypassrls) THEN
		ALTER ROLE bd_owner NOLOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE;
	END IF;

	IF NOT pg_catalog.pg_has_role('bd_owner', 'pg_signal_backend', 'MEMBER') THEN
		BEGIN
			GRANT pg_signal_backend TO bd_owner;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END;
	END IF;

	IF current_setting('server_version_num')::int >= 160000 THEN
		FOREACH r IN ARRAY ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor',
					   'bd_admin'] LOOP
			BEGIN
				EXECUTE format('GRANT %I TO bd_owner WITH ADMIN OPTION, '
					       'INHERIT FALSE, SET FALSE', r);
			EXCEPTION WHEN duplicate_object OR unique_violation THEN
				NULL;
			END;
		END LOOP;
	END IF;
END
$roles$;

-- Operators never need temporary tables; without TEMP on the database a
-- definer function's unqualified names cannot be shadowed either.
DO $db$
BEGIN
	EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$db$;

CREATE SCHEMA core AUTHORIZATION bd_owner;
REVOKE ALL ON SCHEMA core FROM PUBLIC;
GRANT USAGE ON SCHEMA core TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

ALTER DEFAULT PRIVILEGES FOR ROLE bd_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Everything below is created by, and so owned by, bd_owner.
SET ROLE bd_owner;

-- --------------------------------------------------------------------------
-- Tables
-- --------------------------------------------------------------------------
CREATE TABLE core.clients (
	client_id  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
	name       text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
	active     boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE core.clients IS 'The firm''s client companies: the tenants.';

CREATE TABLE core.operators (
	login      text PRIMARY KEY CHECK (login ~ '^[a-z_][a-z0-9_]{0,62}$'),
	full_name  text NOT NULL CHECK (btrim(full_name) <> '' AND length(full_name) <= 200),
	role       text NOT NULL CHECK (role IN ('clerk', 'accountant', 'supervisor', 'admin')),
	disabled   boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE core.operators IS
	'Operators; login is their PostgreSQL role, member of group bd_<role>.';

CREATE TABLE core.assignments (
	login       text NOT NULL REFERENCES core.operators (login),
	client_id   integer NOT NULL REFERENCES core.clients (client_id),
	assigned_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (login, client_id)
);
CREATE INDEX assignments_client_idx ON core.assignments (client_id);
COMMENT ON TABLE core.assignments IS 'Which operator may see which client: the only source of tenant access.';

-- Derived from core.operators and core.assignments (core.operator_access_sync
-- keeps it): one row per active operator, read by every tenant policy by
-- primary key. login is in the "C" collation, session_user's (a name), so
-- that login = session_user can use the key.
CREATE TABLE core.operator_access (
	login   text COLLATE "C" PRIMARY KEY,
	role    text NOT NULL,
	clients integer[] NOT NULL
);
COMMENT ON TABLE core.operator_access IS
	'Each active operator''s role and client ids, kept by triggers; read by the tenant policies.';

CREATE TABLE core.audit_log (
	client_id  integer NOT NULL,
	seq        bigint NOT NULL CHECK (seq > 0),
	at         timestamptz NOT NULL,
	actor      text NOT NULL,
	table_name text NOT NULL,
	op         text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
	row_key    jsonb,
	old        jsonb,
	new        jsonb,
	prev_hash  bytea NOT NULL,
	hash       bytea NOT NULL,
	PRIMARY KEY (client_id, seq)
);
CREATE INDEX audit_log_at_idx ON core.audit_log (at);
COMMENT ON TABLE core.audit_log IS
	'Append-only, hash-chained per client (client_id 0: firm-level admin tables).';

CREATE TABLE core.audit_head (
	client_id integer PRIMARY KEY,
	seq       bigint NOT NULL,
	hash      bytea NOT NULL
);
COMMENT ON TABLE core.audit_head IS
	'Last seq and hash of each audit chain; locked FOR UPDATE to serialise appends.';

-- --------------------------------------------------------------------------
-- Identity of the session: session_user is the operator even inside
-- SECURITY DEFINER functions (which change current_user to bd_owner).
-- --------------------------------------------------------------------------

-- The role of the session's operator when active and member of the matching
-- group; NULL otherwise (unknown, disabled, or group membership revoked).
--
-- These run in policies and in every definer function, so they are
-- PL/pgSQL: its plans are cached for the session, where a non-inlinable SQL
-- function body (SECURITY DEFINER and SET prevent inlining) is parsed and
-- planned again at every execution of the statement that calls it.
CREATE FUNCTION core.my_role()
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
BEGIN
	RETURN (SELECT a.role
		FROM core.operator_access a
		WHERE a.login = session_user
		  AND pg_has_role(session_user, 'bd_' || a.role, 'MEMBER'));
END
$$;

CREATE FUNCTION core.is_superuser()
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false);
END
$$;

-- An active admin, or a superuser session (the DBA, the demo seed): inside
-- SECURITY DEFINER functions RLS applies to bd_owner, so the policies on the
-- admin tables must let a superuser's calls through explicitly.
CREATE FUNCTION core.is_admin()
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
BEGIN
	RETURN coalesce(core.my_role() = 'admin', false) OR core.is_superuser();
END
$$;

-- Client ids assigned to the session's operator; empty when disabled. The
-- tenant policies read the same row themselves (see the top of this file).
-- Group membership is not checked here: without their group an operator
-- holds neither the SELECT grants nor EXECUTE on the functions that would
-- reach a client's rows, and every function checks the role (my_role).
CREATE FUNCTION core.my_clients()
RETURNS integer[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
BEGIN
	RETURN coalesce((SELECT a.clients FROM core.operator_access a
			 WHERE a.login = session_user), '{}');
END
$$;

-- Rebuilds the core.operator_access row of the operator whose operator row
-- or assignment changed. The operator's row is locked first: two
-- transactions changing one operator's assignments at once then rebuild
-- one after the other, the second reading the first's committed rows (each
-- statement of this function takes a new snapshot under READ COMMITTED).
CREATE FUNCTION core.operator_access_sync()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	v_login text;
BEGIN
	-- (OLD is NULL on INSERT, NEW on DELETE.)
	FOREACH v_login IN ARRAY ARRAY(SELECT DISTINCT l FROM unnest(ARRAY[OLD.login, NEW.login]) l
				       WHERE l IS NOT NULL) LOOP
		PERFORM 1 FROM core.operators o WHERE o.login = v_login FOR UPDATE;
		DELETE FROM core.operator_access a WHERE a.login = v_login;
		INSERT INTO core.operator_access (login, role, clients)
		SELECT o.login, o.role,
		       coalesce(array_agg(s.client_id ORDER BY s.client_id)
				FILTER (WHERE s.client_id IS NOT NULL), '{}')
		FROM core.operators o
		LEFT JOIN core.assignments s ON s.login = o.login
		WHERE o.login = v_login AND NOT o.disabled
		GROUP BY o.login, o.role;
	END LOOP;
	RETURN NULL;
END
$$;
CREATE TRIGGER operator_access AFTER INSERT OR UPDATE OR DELETE ON core.operators
	FOR EACH ROW EXECUTE FUNCTION core.operator_access_sync();
CREATE TRIGGER operator_access AFTER INSERT OR UPDATE OR DELETE ON core.assignments
	FOR EACH ROW EXECUTE FUNCTION core.operator_access_sync();

-- Raises BD002 unless the session's operator has one of the given roles
-- ('clerk', 'accountant', 'supervisor', 'admin') or is a superuser. Returns
-- the role (NULL for a superuser who is not an operator), so that the
-- keying path can call it as an expression, role := core.require_role(...):
-- PL/pgSQL evaluates a plain expression itself, where PERFORM runs a query
-- through the executor (about 1% of an F2 each; the other helpers on that
-- path return a value for the same reason).
CREATE FUNCTION core.require_role(VARIADIC roles text[])
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	mine text;
BEGIN
	-- core.my_role()'s question, asked here: this runs first in every call
	-- an operator makes, and a nested definer function costs more than the
	-- read.
	SELECT a.role INTO mine
	FROM core.operator_access a
	WHERE a.login = session_user AND pg_has_role(session_user, 'bd_' || a.role, 'MEMBER');
	IF mine = ANY (roles) OR core.is_superuser() THEN
		RETURN mine;
	END IF;
	IF mine IS NULL THEN
		RAISE EXCEPTION 'You are not an active Backdesk operator' USING ERRCODE = 'BD002';
	END IF;
	RAISE EXCEPTION 'Only % may do this', array_to_string(roles, ' or ') USING ERRCODE = 'BD002';
END
$$;

-- The client id of an active client assigned to the session's operator
-- (a superuser: any client). Unknown and unassigned clients both raise BD004,
-- so the answer never reveals that a client exists.
CREATE FUNCTION core.client_id_of(p_code text)
RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	c core.clients;
BEGIN
	SELECT * INTO c FROM core.clients WHERE code = upper(btrim(p_code));
	IF NOT FOUND OR NOT (core.is_superuser() OR c.client_id = ANY (core.my_clients())) THEN
		RAISE EXCEPTION 'Unknown client %', coalesce(p_code, '(none)') USING ERRCODE = 'BD004';
	END IF;
	IF NOT c.active THEN
		RAISE EXCEPTION 'Client % is inactive', c.code USING ERRCODE = 'BD002';
	END IF;
	RETURN c.client_id;
END
$$;

-- Raises unless the session's operator is assigned to this active client.
CREATE FUNCTION core.require_client(p_client_id integer)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	c core.clients;
BEGIN
	IF NOT (core.is_superuser() OR p_client_id = ANY (core.my_clients())) THEN
		RAISE EXCEPTION 'You are not assigned to this client' USING ERRCODE = 'BD002';
	END IF;
	SELECT * INTO c FROM core.clients WHERE client_id = p_client_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown client' USING ERRCODE = 'BD004';
	END IF;
	IF NOT c.active THEN
		RAISE EXCEPTION 'Client % is inactive', c.code USING ERRCODE = 'BD002';
	END IF;
END
$$;

-- --------------------------------------------------------------------------
-- Audit trail
-- --------------------------------------------------------------------------

-- The genesis prev_hash of every chain.
CREATE FUNCTION core.audit_genesis()
RETURNS bytea
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
$$;

-- hash = sha256(prev_hash || canonical text). The canonical text is a jsonb
-- array (jsonb output is deterministic: keys sorted, numbers normalised) with
-- the time in UTC to the microsecond, so it does not depend on the session's
-- TimeZone or DateStyle.
CREATE FUNCTION core.audit_hash(prev_hash bytea, client_id integer, seq bigint,
				at timestamptz, actor text, table_name text, op text,
				row_key jsonb, old jsonb, new jsonb)
RETURNS bytea
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT sha256(prev_hash || convert_to(jsonb_build_array(
		client_id, seq,
		to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
		actor, table_name, op, row_key, old, new)::text, 'UTF8'));
$$;

-- Appends one row to a client's chain. The head row, locked FOR UPDATE until
-- commit, serialises appends per client: keep writing transactions short.
CREATE FUNCTION core.audit_append(p_client_id integer, p_table text, p_op text,
				  p_row_key jsonb, p_old jsonb, p_new jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	h core.audit_head;
	v_at timestamptz := now();
	v_actor text := session_user;
	v_hash bytea;
BEGIN
	SELECT * INTO h FROM core.audit_head WHERE client_id = p_client_id FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO core.audit_head (client_id, seq, hash)
		VALUES (p_client_id, 0, core.audit_genesis())
		ON CONFLICT (client_id) DO NOTHING;
		SELECT * INTO STRICT h FROM core.audit_head WHERE client_id = p_client_id FOR UPDATE;
	END IF;
	v_hash := core.audit_hash(h.hash, p_client_id, h.seq + 1, v_at, v_actor, p_table, p_op,
				  p_row_key, p_old, p_new);
	INSERT INTO core.audit_log (client_id, seq, at, actor, table_name, op, row_key, old, new,
				    prev_hash, hash)
	VALUES (p_client_id, h.seq + 1, v_at, v_actor, p_table, p_op, p_row_key, p_old, p_new,
		h.hash, v_hash);
	UPDATE core.audit_head SET seq = h.seq + 1, hash = v_hash WHERE client_id = p_client_id;
END
$$;

-- Row trigger attached by core.audit_attach(). TG_ARGV[0] is 'client' (chain
-- of the row's client_id) or 'firm' (chain 0); TG_ARGV[1..] are the key
-- columns recorded in row_key.
CREATE FUNCTION core.audit_row()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	v_old jsonb;
	v_new jsonb;
	v_row jsonb;
	v_client integer;
	v_key jsonb;
	i integer;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		v_old := to_jsonb(OLD);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		v_new := to_jsonb(NEW);
	END IF;
	IF TG_OP = 'UPDATE' AND v_old = v_new THEN
		RETURN NULL;
	END IF;
	v_row := coalesce(v_new, v_old);
	IF TG_ARGV[0] = 'firm' THEN
		v_client := 0;
	ELSE
		IF TG_OP = 'UPDATE' AND (v_old -> 'client_id') IS DISTINCT FROM (v_new -> 'client_id') THEN
			RAISE EXCEPTION 'A row cannot move to another client' USING ERRCODE = 'BD001';
		END IF;
		v_client := (v_row ->> 'client_id')::integer;
	END IF;
	IF TG_NARGS > 1 THEN
		v_key := '{}';
		FOR i IN 1 .. TG_NARGS - 1 LOOP
			v_key := v_key || jsonb_build_object(TG_ARGV[i], v_row -> TG_ARGV[i]);
		END LOOP;
	END IF;
	PERFORM core.audit_append(v_client, TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP, v_key,
				  v_old, v_new);
	RETURN NULL;
END
$$;

CREATE FUNCTION core.audit_refuse()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION '% on %.% is not allowed: the audit trail is append-only', TG_OP,
		TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'BD002';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON core.audit_log
	FOR EACH ROW EXECUTE FUNCTION core.audit_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON core.audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION core.audit_refuse();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON core.audit_head
	FOR EACH ROW EXECUTE FUNCTION core.audit_refuse();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON core.audit_head
	FOR EACH STATEMENT EXECUTE FUNCTION core.audit_refuse();

-- Audits every INSERT, UPDATE and DELETE of a table (and refuses TRUNCATE,
-- which row triggers cannot see). chain: 'client' (the row's client_id) or
-- 'firm' (chain 0). Called by migrations, as the migrating superuser.
CREATE FUNCTION core.audit_attach(tbl regclass, chain text DEFAULT 'client')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	keys text;
BEGIN
	IF chain NOT IN ('client', 'firm') THEN
		RAISE EXCEPTION 'audit_attach: chain must be client or firm';
	END IF;
	SELECT string_agg(quote_literal(a.attname), ', ' ORDER BY k.ord) INTO keys
	FROM pg_index i
	CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
	JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
	WHERE i.indrelid = tbl AND i.indisprimary;
	EXECUTE format('CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON %s '
		       'FOR EACH ROW EXECUTE FUNCTION core.audit_row(%L%s)',
		       tbl, chain, CASE WHEN keys IS NULL THEN '' ELSE ', ' || keys END);
	EXECUTE format('CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON %s '
		       'FOR EACH STATEMENT EXECUTE FUNCTION core.audit_refuse()', tbl);
END
$$;

-- The standard set-up of a business table, for 010+ and 020+ migrations:
-- owner bd_owner, ENABLE + FORCE RLS, policy "tenant" (client_id among the
-- operator's clients, for reads and writes), no rights for PUBLIC, SELECT for
-- the given groups, and the audit trigger on the client's chain.
CREATE FUNCTION core.tenant_table(tbl regclass,
				  readers text[] DEFAULT ARRAY['bd_clerk', 'bd_accountant',
							       'bd_supervisor', 'bd_admin'],
				  audited boolean DEFAULT true)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = 'client_id'
		       AND NOT attisdropped) THEN
		RAISE EXCEPTION 'tenant_table: % has no client_id column', tbl;
	END IF;
	EXECUTE format('ALTER TABLE %s OWNER TO bd_owner', tbl);
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
	EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
	EXECUTE format('CREATE POLICY tenant ON %s '
		       'USING (client_id = ANY ((SELECT a.clients FROM core.operator_access a '
		       'WHERE a.login = session_user)::integer[])) '
		       'WITH CHECK (client_id = ANY ((SELECT a.clients FROM core.operator_access a '
		       'WHERE a.login = session_user)::integer[]))', tbl);
	EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', tbl);
	FOREACH r IN ARRAY readers LOOP
		IF r NOT IN ('bd_clerk', 'bd_accountant', 'bd_supervisor', 'bd_admin') THEN
			RAISE EXCEPTION 'tenant_table: % is not a Backdesk group', r;
		END IF;
		EXECUTE format('GRANT SELECT ON %s TO %I', tbl, r);
	END LOOP;
	IF audited THEN
		PERFORM core.audit_attach(tbl);
	END IF;
END
$$;

-- --------------------------------------------------------------------------
-- Row level security on the core tables
-- --------------------------------------------------------------------------
ALTER TABLE core.clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.clients FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON core.clients
	USING (client_id = ANY ((SELECT a.clients FROM core.operator_access a
				  WHERE a.login = session_user)::integer[])
	       OR (SELECT core.is_admin()))
	WITH CHECK ((SELECT core.is_admin()));

ALTER TABLE core.assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.assignments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON core.assignments
	USING (login = session_user OR (SELECT core.is_admin()))
	WITH CHECK ((SELECT core.is_admin()));
-- The owner's functions read every assignment (core.operator_access_sync,
-- the supervisor's pickers); those that read others' assignments check the
-- caller's role first.
CREATE POLICY owner_reads ON core.assignments FOR SELECT TO bd_owner USING (true);

-- No client_id: each operator sees their own row; the owner (the policies'
-- reads inside definer functions, core.operator_access_sync) all of them.
ALTER TABLE core.operator_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON core.operator_access USING (login = session_user);

-- No client_id: ENABLE only, so the owner's functions read it freely.
ALTER TABLE core.operators ENABLE ROW LEVEL SECURITY;
CREATE POLICY visible ON core.operators
	USING (login = session_user OR (SELECT core.my_role()) IN ('admin', 'supervisor'));

-- Audit: readers see the chains of their clients, admins also chain 0;
-- only bd_owner (core.audit_append) writes.
ALTER TABLE core.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON core.audit_log FOR SELECT
	USING (client_id = ANY ((SELECT a.clients FROM core.operator_access a
				  WHERE a.login = session_user)::integer[])
	       OR (client_id = 0 AND (SELECT core.is_admin())));
CREATE POLICY append ON core.audit_log FOR INSERT TO bd_owner WITH CHECK (true);

ALTER TABLE core.audit_head ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.audit_head FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON core.audit_head FOR SELECT
	USING (client_id = ANY ((SELECT a.clients FROM core.operator_access a
				  WHERE a.login = session_user)::integer[])
	       OR (client_id = 0 AND (SELECT core.is_admin())));
CREATE POLICY append ON core.audit_head TO bd_owner USING (true) WITH CHECK (true);

SELECT core.audit_attach('core.clients', 'firm');
SELECT core.audit_attach('core.operators', 'firm');
SELECT core.audit_attach('core.assignments', 'firm');

-- --------------------------------------------------------------------------
-- Grants
-- --------------------------------------------------------------------------
REVOKE ALL ON ALL TABLES IN SCHEMA core FROM PUBLIC;
GRANT SELECT ON core.clients, core.operators, core.assignments, core.operator_access
	TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;
GRANT SELECT ON core.audit_log, core.audit_head TO bd_accountant, bd_supervisor, bd_admin;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA core FROM PUBLIC;
-- Used by the policies (evaluated as the operator) and by other modules.
GRANT EXECUTE ON FUNCTION core.my_role(), core.is_admin(), core.my_clients(),
	core.is_superuser(), core.require_role(text[]), core.client_id_of(text),
	core.require_client(integer), core.audit_genesis(),
	core.audit_hash(bytea, integer, bigint, timestamptz, text, text, text, jsonb, jsonb, jsonb)
	TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

RESET ROLE;
