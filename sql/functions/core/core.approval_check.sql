-- core.approval_check: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.approval_check(p_what text, p_seen bigint, p_current bigint)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
	IF p_seen IS NULL THEN
		RAISE EXCEPTION 'Say which version of % you are deciding on (the inbox shows it)',
			p_what USING ERRCODE = 'BD001';
	END IF;
	IF p_seen IS DISTINCT FROM p_current THEN
		RAISE EXCEPTION '% changed since you opened it (version % is now %): look at it again',
			p_what, p_seen, p_current USING ERRCODE = 'BD003';
	END IF;
END
$function$;
ALTER FUNCTION core.approval_check(text,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.approval_check(text,bigint,bigint) FROM PUBLIC;
