-- entry.lease: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.lease(p_seconds integer)
 RETURNS interval
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
BEGIN
	IF p_seconds IS NULL OR p_seconds NOT BETWEEN 10 AND 86400 THEN
		RAISE EXCEPTION 'A lease is 10 to 86400 seconds' USING ERRCODE = 'BD001';
	END IF;
	RETURN make_interval(secs => p_seconds);
END
$function$;
ALTER FUNCTION entry.lease(integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.lease(integer) FROM PUBLIC;
