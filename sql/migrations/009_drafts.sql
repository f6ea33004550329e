-- 009_drafts: the open form of each operator, kept so a dropped link loses
-- at most the field being typed. The TUI saves a draft in the background on
-- every field exit and at once on SIGHUP/SIGTERM, and offers it back at the
-- next login. Drafts live in the database, not on the application host, so
-- the operator gets it back whichever SSH host they land on.
--
-- A draft may hold a client's data: client_id (NULL for screens that belong
-- to no client, like the admin screens) keeps it behind the tenant policy,
-- so an operator unassigned from a client no longer sees its drafts.

SET ROLE bd_owner;

-- login in the "C" collation, session_user's, so that login = session_user
-- uses the primary key (a draft is saved on every field exit).
CREATE TABLE core.drafts (
	login     text COLLATE "C" NOT NULL DEFAULT session_user,
	screen    text NOT NULL CHECK (length(screen) BETWEEN 1 AND 200),
	client_id integer REFERENCES core.clients (client_id),
	data      text NOT NULL CHECK (length(data) <= 1000000),
	saved_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (login, screen)
);
COMMENT ON TABLE core.drafts IS 'Each operator''s unsaved forms, one per screen.';

ALTER TABLE core.drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.drafts FORCE ROW LEVEL SECURITY;
CREATE POLICY own_drafts ON core.drafts
	USING (login = session_user
	       AND (client_id IS NULL OR client_id = ANY ((SELECT a.clients FROM core.operator_access a
							   WHERE a.login = session_user)::integer[])))
	WITH CHECK (login = session_user
	       AND (client_id IS NULL OR client_id = ANY ((SELECT a.clients FROM core.operator_access a
							   WHERE a.login = session_user)::integer[])));
REVOKE ALL ON core.drafts FROM PUBLIC;
GRANT SELECT ON core.drafts TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

CREATE FUNCTION core.draft_save(p_screen text, p_client_id integer, p_data text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
BEGIN
	IF core.my_role() IS NULL THEN
		RAISE EXCEPTION 'You are not an active Backdesk operator' USING ERRCODE = 'BD002';
	END IF;
	IF p_client_id IS NOT NULL THEN
		PERFORM core.require_client(p_client_id);
	END IF;
	INSERT INTO core.drafts AS d (login, screen, client_id, data)
	VALUES (session_user, p_screen, p_client_id, p_data)
	ON CONFLICT (login, screen) DO UPDATE
		SET client_id = EXCLUDED.client_id, data = EXCLUDED.data, saved_at = now();
END
$$;

CREATE FUNCTION core.draft_discard(p_screen text)
RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
	DELETE FROM core.drafts WHERE login = session_user AND screen = p_screen;
$$;

GRANT EXECUTE ON FUNCTION core.draft_save(text, integer, text), core.draft_discard(text)
	TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

RESET ROLE;
