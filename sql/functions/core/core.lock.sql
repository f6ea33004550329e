-- core.lock: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.lock(p_name text, p_scope integer, p_wait boolean DEFAULT true)
 RETURNS boolean
 LANGUAGE plpgsql
AS $function$
BEGIN
	IF p_wait THEN
		PERFORM 1 FROM core.locks WHERE name = p_name AND scope = p_scope FOR UPDATE;
	ELSE
		PERFORM 1 FROM core.locks WHERE name = p_name AND scope = p_scope
		FOR UPDATE SKIP LOCKED;
	END IF;
	IF FOUND THEN
		RETURN true;
	END IF;
	-- Missing (first use) or, for a try, held. A row we insert is ours
	-- until commit: a concurrent insert of the same key waits for us.
	INSERT INTO core.locks (name, scope) VALUES (p_name, p_scope) ON CONFLICT DO NOTHING;
	IF FOUND THEN
		RETURN true;
	END IF;
	IF p_wait THEN
		PERFORM 1 FROM core.locks WHERE name = p_name AND scope = p_scope FOR UPDATE;
		RETURN true;
	END IF;
	RETURN false;
END
$function$;
ALTER FUNCTION core.lock(text,integer,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.lock(text,integer,boolean) FROM PUBLIC;
