-- core.idem_begin: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.idem_begin(p_client_id integer, p_key text)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_result jsonb;
BEGIN
	IF p_key IS NULL OR p_client_id IS NULL THEN
		RETURN NULL;
	END IF;
	IF length(p_key) NOT BETWEEN 8 AND 64 THEN
		RAISE EXCEPTION 'The request''s key is not valid' USING ERRCODE = 'BD001';
	END IF;
	INSERT INTO core.idempotency (operator, client_id, key)
	VALUES (session_user, p_client_id, p_key)
	ON CONFLICT DO NOTHING;
	IF FOUND THEN
		RETURN NULL;
	END IF;
	SELECT i.result INTO STRICT v_result FROM core.idempotency i
	WHERE i.operator = session_user AND i.key = p_key AND i.client_id = p_client_id;
	RETURN v_result;
END
$function$;
ALTER FUNCTION core.idem_begin(integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.idem_begin(integer,text) FROM PUBLIC;
