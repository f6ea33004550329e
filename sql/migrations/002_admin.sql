-- 002_admin: client, operator and assignment administration, and whoami.
--
-- Every function here is SECURITY DEFINER, owned by bd_owner, search_path
-- pinned, EXECUTE granted to bd_admin only, and re-checks that the session's
-- operator is an active admin (or a superuser: the DBA and the demo seed).
-- Changes are audited on the firm-level chain (client_id 0) by the triggers
-- of 001. NOTIFY payloads are the operator's login; they are delivered on
-- commit:
--   bd_assignments  an operator gained or lost a client (sessions refresh
--                   their client list; RLS already applies per statement)
--   bd_operators    an operator was added, changed, disabled or enabled

SET ROLE bd_owner;

-- A login role we may turn into (or keep as) an operator: not a superuser,
-- no BYPASSRLS, not one of ours, not reserved.
CREATE FUNCTION core.check_login(p_login text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	r pg_roles;
BEGIN
	IF p_login IS NULL OR p_login !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
		RAISE EXCEPTION 'A login is 1-63 lower-case letters, digits or _, not starting with a digit'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_login ~ '^(pg_|bd_)' OR p_login IN ('public', 'none', 'current_user', 'session_user',
						  'current_role', 'postgres') THEN
		RAISE EXCEPTION 'The login % is reserved', p_login USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO r FROM pg_roles WHERE rolname = p_login;
	IF FOUND AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolreplication) THEN
		RAISE EXCEPTION 'The login % is a privileged database role and cannot be an operator',
			p_login USING ERRCODE = 'BD002';
	END IF;
END
$$;

CREATE FUNCTION core.check_role(p_role text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF p_role IS NULL OR p_role NOT IN ('clerk', 'accountant', 'supervisor', 'admin') THEN
		RAISE EXCEPTION 'The role must be clerk, accountant, supervisor or admin'
			USING ERRCODE = 'BD001';
	END IF;
END
$$;

-- Makes login a member of exactly bd_<role> among the four groups.
CREATE FUNCTION core.set_group(p_login text, p_role text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	g text;
BEGIN
	FOREACH g IN ARRAY ARRAY['clerk', 'accountant', 'supervisor', 'admin'] LOOP
		IF g <> p_role AND EXISTS (
			SELECT 1 FROM pg_auth_members m
			JOIN pg_roles gr ON gr.oid = m.roleid
			JOIN pg_roles mr ON mr.oid = m.member
			WHERE gr.rolname = 'bd_' || g AND mr.rolname = p_login) THEN
			EXECUTE format('REVOKE %I FROM %I', 'bd_' || g, p_login);
		END IF;
	END LOOP;
	IF NOT pg_has_role(p_login, 'bd_' || p_role, 'MEMBER') THEN
		EXECUTE format('GRANT %I TO %I', 'bd_' || p_role, p_login);
	END IF;
END
$$;

-- Ends the operator's sessions on this database (pg_signal_backend; never a
-- superuser's). Returns how many were signalled.
-- (A loop, not a WHERE clause, so that the planner can never call
-- pg_terminate_backend() on a row before the other conditions are checked.)
CREATE FUNCTION core.end_sessions(p_login text)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_pid integer;
	n integer := 0;
BEGIN
	FOR v_pid IN
		SELECT a.pid FROM pg_stat_activity a
		WHERE a.usename = p_login AND a.datname = current_database()
		  AND a.pid <> pg_backend_pid()
	LOOP
		IF pg_terminate_backend(v_pid) THEN
			n := n + 1;
		END IF;
	END LOOP;
	RETURN n;
END
$$;

-- The client's row for a code, any visibility (admins see all clients).
CREATE FUNCTION core.client_by_code(p_code text)
RETURNS core.clients
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	c core.clients;
BEGIN
	SELECT * INTO c FROM core.clients WHERE code = upper(btrim(p_code));
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown client %', coalesce(p_code, '(none)') USING ERRCODE = 'BD004';
	END IF;
	RETURN c;
END
$$;

CREATE FUNCTION core.operator_by_login(p_login text)
RETURNS core.operators
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
BEGIN
	SELECT * INTO o FROM core.operators WHERE login = p_login;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown operator %', coalesce(p_login, '(none)') USING ERRCODE = 'BD004';
	END IF;
	RETURN o;
END
$$;

-- --------------------------------------------------------------------------
-- Clients
-- --------------------------------------------------------------------------

-- Adds a client; returns its client_id. The code is upper-cased.
CREATE FUNCTION core.client_add(p_code text, p_name text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	v_code text := upper(btrim(p_code));
	v_name text := btrim(p_name);
	v_id integer;
BEGIN
	PERFORM core.require_role('admin');
	IF v_code IS NULL OR v_code !~ '^[A-Z][A-Z0-9_]{1,15}$' THEN
		RAISE EXCEPTION 'A client code is 2-16 letters, digits or _, starting with a letter'
			USING ERRCODE = 'BD001';
	END IF;
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A client name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	IF EXISTS (SELECT 1 FROM core.clients WHERE code = v_code) THEN
		RAISE EXCEPTION 'Client % already exists', v_code USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO core.clients (code, name) VALUES (v_code, v_name) RETURNING client_id INTO v_id;
	RETURN v_id;
END
$$;

CREATE FUNCTION core.client_rename(p_code text, p_name text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	c core.clients;
	v_name text := btrim(p_name);
BEGIN
	PERFORM core.require_role('admin');
	c := core.client_by_code(p_code);
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A client name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	UPDATE core.clients SET name = v_name WHERE client_id = c.client_id;
END
$$;

-- Activates or deactivates a client. Inactive clients keep their data and
-- assignments; core.client_id_of() and core.require_client() refuse them, so
-- business functions stop accepting work for them.
CREATE FUNCTION core.client_set_active(p_code text, p_active boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	c := core.client_by_code(p_code);
	IF p_active IS NULL THEN
		RAISE EXCEPTION 'Say whether the client is active' USING ERRCODE = 'BD001';
	END IF;
	UPDATE core.clients SET active = p_active WHERE client_id = c.client_id;
	PERFORM pg_notify('bd_assignments', a.login)
	FROM core.assignments a WHERE a.client_id = c.client_id;
END
$$;

-- --------------------------------------------------------------------------
-- Assignments
-- --------------------------------------------------------------------------
CREATE FUNCTION core.assign(p_login text, p_client_code text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	c := core.client_by_code(p_client_code);
	IF EXISTS (SELECT 1 FROM core.assignments WHERE login = o.login AND client_id = c.client_id) THEN
		RAISE EXCEPTION '% is already assigned to %', o.login, c.code USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO core.assignments (login, client_id) VALUES (o.login, c.client_id);
	PERFORM pg_notify('bd_assignments', o.login);
END
$$;

CREATE FUNCTION core.unassign(p_login text, p_client_code text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	c := core.client_by_code(p_client_code);
	DELETE FROM core.assignments WHERE login = o.login AND client_id = c.client_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION '% is not assigned to %', o.login, c.code USING ERRCODE = 'BD004';
	END IF;
	PERFORM pg_notify('bd_assignments', o.login);
END
$$;

-- --------------------------------------------------------------------------
-- Operators
-- --------------------------------------------------------------------------

-- Adds an operator: creates the LOGIN role (no password: peer authentication
-- on the Unix socket; the DBA sets one for TCP) in group bd_<role>, or, when
-- the role already exists in the cluster (roles are cluster-wide), enables
-- LOGIN and (re)grants the group. Then assigns the given clients.
CREATE FUNCTION core.operator_add(p_login text, p_full_name text, p_role text,
				  p_client_codes text[] DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	v_name text := btrim(p_full_name);
	v_code text;
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	PERFORM core.check_login(p_login);
	PERFORM core.check_role(p_role);
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A full name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	IF EXISTS (SELECT 1 FROM core.operators WHERE login = p_login) THEN
		RAISE EXCEPTION 'Operator % already exists', p_login USING ERRCODE = 'BD003';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
		IF NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = p_login) THEN
			EXECUTE format('ALTER ROLE %I LOGIN', p_login);
		END IF;
		PERFORM core.set_group(p_login, p_role);
	ELSE
		EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', p_login, 'bd_' || p_role);
	END IF;
	INSERT INTO core.operators (login, full_name, role) VALUES (p_login, v_name, p_role);
	FOREACH v_code IN ARRAY coalesce(p_client_codes, '{}') LOOP
		c := core.client_by_code(v_code);
		INSERT INTO core.assignments (login, client_id) VALUES (p_login, c.client_id)
		ON CONFLICT DO NOTHING;
	END LOOP;
	PERFORM pg_notify('bd_operators', p_login);
END
$$;

-- Changes an operator's full name and role (group membership follows).
CREATE FUNCTION core.operator_update(p_login text, p_full_name text, p_role text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
	v_name text := btrim(p_full_name);
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	PERFORM core.check_role(p_role);
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A full name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	IF o.login = session_user AND p_role <> o.role THEN
		RAISE EXCEPTION 'You cannot change your own role' USING ERRCODE = 'BD002';
	END IF;
	IF p_role <> o.role THEN
		PERFORM core.check_login(o.login);
		PERFORM core.set_group(o.login, p_role);
	END IF;
	UPDATE core.operators SET full_name = v_name, role = p_role WHERE login = o.login;
	PERFORM pg_notify('bd_operators', o.login);
END
$$;

-- Disables an operator: marks them disabled (core.my_clients() is empty from
-- the next statement on), removes LOGIN (cluster-wide) and ends their
-- sessions on this database. Returns the number of sessions ended.
CREATE FUNCTION core.operator_disable(p_login text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	IF o.login = session_user THEN
		RAISE EXCEPTION 'You cannot disable your own login' USING ERRCODE = 'BD002';
	END IF;
	PERFORM core.check_login(o.login);
	IF NOT o.disabled THEN
		UPDATE core.operators SET disabled = true WHERE login = o.login;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = o.login AND rolcanlogin) THEN
		EXECUTE format('ALTER ROLE %I NOLOGIN', o.login);
	END IF;
	PERFORM pg_notify('bd_operators', o.login);
	RETURN core.end_sessions(o.login);
END
$$;

CREATE FUNCTION core.operator_enable(p_login text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	PERFORM core.check_login(o.login);
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = o.login) THEN
		EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', o.login, 'bd_' || o.role);
	ELSE
		IF NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = o.login) THEN
			EXECUTE format('ALTER ROLE %I LOGIN', o.login);
		END IF;
		PERFORM core.set_group(o.login, o.role);
	END IF;
	IF o.disabled THEN
		UPDATE core.operators SET disabled = false WHERE login = o.login;
	END IF;
	PERFORM pg_notify('bd_operators', o.login);
END
$$;

-- --------------------------------------------------------------------------
-- The current operator
-- --------------------------------------------------------------------------
CREATE VIEW core.whoami WITH (security_invoker = true) AS
SELECT o.login, o.full_name, o.role, o.disabled,
       coalesce((SELECT array_agg(c.code ORDER BY c.code)
		 FROM core.clients c
		 WHERE c.client_id = ANY (core.my_clients())), '{}') AS clients
FROM core.operators o
WHERE o.login = session_user;

REVOKE ALL ON core.whoami FROM PUBLIC;
GRANT SELECT ON core.whoami TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA core FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	core.client_add(text, text), core.client_rename(text, text),
	core.client_set_active(text, boolean), core.assign(text, text), core.unassign(text, text),
	core.operator_add(text, text, text, text[]), core.operator_update(text, text, text),
	core.operator_disable(text), core.operator_enable(text)
	TO bd_admin;

RESET ROLE;
