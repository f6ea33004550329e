-- entry.adjudication_next: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.adjudication_next(p_lease_seconds integer, p_client text DEFAULT NULL::text)
 RETURNS SETOF entry.adjudication_work
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	c record;
	v_client_id integer;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	v_client_id := CASE WHEN p_client IS NULL THEN NULL ELSE core.client_id_of(p_client) END;
	c := entry.claim_review('adjudication', p_lease_seconds, v_client_id);
	IF (c.d).document_id IS NOT NULL THEN
		RETURN NEXT entry.adjudication_of(c.d, c.resumed);
	END IF;
END
$function$;
ALTER FUNCTION entry.adjudication_next(integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.adjudication_next(integer,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.adjudication_next(integer,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.adjudication_next(integer,text) TO bd_supervisor;
