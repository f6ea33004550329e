-- entry.sup_operators: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.sup_operators(p_document_id bigint)
 RETURNS TABLE(login text, full_name text, role text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	d entry.documents := entry.sup_document(p_document_id);
BEGIN
	RETURN QUERY
	SELECT o.login, o.full_name, o.role
	FROM core.operators o
	JOIN core.assignments a ON a.login = o.login AND a.client_id = d.client_id
	WHERE NOT o.disabled AND o.role IN ('clerk', 'supervisor')
	ORDER BY o.login;
END
$function$;
ALTER FUNCTION entry.sup_operators(bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.sup_operators(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.sup_operators(bigint) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.sup_operators(bigint) TO bd_admin;
