-- inventory.move_items: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The kind 'inventory.move' in the approvals registry: moves waiting for
-- approval (amount: their value when keyed). Called by the dispatch only.
CREATE OR REPLACE FUNCTION inventory.move_items(p_client text)
 RETURNS TABLE(client text, id bigint, item text, reference text, maker text, submitted_at timestamp with time zone, description text, amount numeric, version bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
	SELECT c.code, m.move_id, initcap(m.kind) || ' ' || m.move_id, m.reference, m.maker,
	       m.created_at,
	       (SELECT count(*) FROM inventory.move_lines l
		WHERE l.client_id = m.client_id AND l.move_id = m.move_id) || ' lines '
		   || to_char(m.move_date, 'YYYY-MM-DD'),
	       m.value, m.version
	FROM inventory.moves m
	JOIN core.clients c ON c.client_id = m.client_id
	WHERE m.status = 'submitted' AND m.kind <> 'revaluation'
	  AND (p_client IS NULL OR c.code = upper(btrim(p_client)))
	  -- only to those who may approve them (not payroll staff, say)
	  AND (core.my_role() IN ('accountant', 'supervisor') OR core.is_superuser())
$function$;
ALTER FUNCTION inventory.move_items(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.move_items(text) FROM PUBLIC;

