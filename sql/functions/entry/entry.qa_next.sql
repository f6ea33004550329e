-- entry.qa_next: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.qa_next(p_lease_seconds integer, p_client_id integer DEFAULT NULL::integer)
 RETURNS SETOF entry.qa_work
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	c record;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	c := entry.claim_review('qa', p_lease_seconds, p_client_id);
	IF (c.d).document_id IS NOT NULL THEN
		RETURN NEXT entry.qa_of(c.d, c.resumed);
	END IF;
END
$function$;
ALTER FUNCTION entry.qa_next(integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.qa_next(integer,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.qa_next(integer,integer) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.qa_next(integer,integer) TO bd_supervisor;
