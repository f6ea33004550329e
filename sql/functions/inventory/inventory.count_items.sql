-- inventory.count_items: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The kind 'inventory.count' in the approvals registry. No amount: the
-- inbox is also the counters', and the amount would tell them the system's
-- quantities; the checker sees them in inventory.count_review.
CREATE OR REPLACE FUNCTION inventory.count_items(p_client text)
 RETURNS TABLE(client text, id bigint, item text, reference text, maker text, submitted_at timestamp with time zone, description text, amount numeric, version bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
	SELECT c.code, k.count_id, 'Count ' || k.count_id, l.code, k.maker, k.created_at,
	       (SELECT count(*) FROM inventory.count_lines x
		WHERE x.client_id = k.client_id AND x.count_id = k.count_id) || ' lines at '
		   || l.code || ' ' || to_char(k.count_date, 'YYYY-MM-DD'),
	       NULL::numeric, k.version
	FROM inventory.counts k
	JOIN core.clients c ON c.client_id = k.client_id
	JOIN inventory.locations l ON l.client_id = k.client_id AND l.location_id = k.location_id
	WHERE k.status = 'submitted'
	  AND (p_client IS NULL OR c.code = upper(btrim(p_client)))
	  -- only to those who may approve them (not payroll staff, say)
	  AND (core.my_role() IN ('accountant', 'supervisor') OR core.is_superuser())
$function$;
ALTER FUNCTION inventory.count_items(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.count_items(text) FROM PUBLIC;

