-- core.idem_end: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.idem_end(p_client_id integer, p_key text, p_result jsonb)
 RETURNS boolean
 LANGUAGE plpgsql
AS $function$
BEGIN
	IF p_key IS NULL OR p_client_id IS NULL THEN
		RETURN false;
	END IF;
	UPDATE core.idempotency SET result = coalesce(p_result, 'null')
	WHERE operator = session_user AND key = p_key AND client_id = p_client_id;
	RETURN true;
END
$function$;
ALTER FUNCTION core.idem_end(integer,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.idem_end(integer,text,jsonb) FROM PUBLIC;
