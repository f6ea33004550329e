-- core.draft_save: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.draft_save(p_screen text, p_client_id integer, p_data text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
BEGIN
	IF core.my_role() IS NULL THEN
		RAISE EXCEPTION 'You are not an active Backdesk operator' USING ERRCODE = 'BD002';
	END IF;
	IF p_client_id IS NOT NULL THEN
		PERFORM core.require_client(p_client_id);
	END IF;
	IF octet_length(p_data) > 262144 THEN
		RAISE EXCEPTION 'The form is too large to keep as a draft (at most 256 kB)'
			USING ERRCODE = 'BD001';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM core.drafts WHERE login = session_user AND screen = p_screen) THEN
		-- One new draft at a time per operator, so two sessions cannot both
		-- add the twentieth.
		PERFORM 1 FROM core.operators WHERE login = session_user FOR NO KEY UPDATE;
		IF (SELECT count(*) FROM core.drafts WHERE login = session_user) >= 20 THEN
			RAISE EXCEPTION 'You have 20 unfinished forms kept as drafts: finish or discard '
				'some first' USING ERRCODE = 'BD003';
		END IF;
	END IF;
	INSERT INTO core.drafts AS d (login, screen, client_id, data)
	VALUES (session_user, p_screen, p_client_id, p_data)
	ON CONFLICT (login, screen) DO UPDATE
		SET client_id = EXCLUDED.client_id, data = EXCLUDED.data, saved_at = now();
END
$function$;
ALTER FUNCTION core.draft_save(text,integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.draft_save(text,integer,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.draft_save(text,integer,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.draft_save(text,integer,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.draft_save(text,integer,text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.draft_save(text,integer,text) TO bd_admin;
GRANT EXECUTE ON FUNCTION core.draft_save(text,integer,text) TO bd_payroll;
