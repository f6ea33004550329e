-- inventory.count_review: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A waiting count's lines for its checker: counted against the system's
-- quantity now. Accountants and supervisors (row security keeps clerks
-- from the counts themselves).
CREATE OR REPLACE FUNCTION inventory.count_review(p_client text, p_count bigint)
 RETURNS TABLE(line_no integer, item text, description text, lot text, counted numeric, system_qty numeric, difference numeric)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
	SELECT x.line_no, i.code, i.description, coalesce(lo.lot, ''), x.counted,
	       coalesce(x.system_qty, q.qty), x.counted - coalesce(x.system_qty, q.qty)
	FROM inventory.counts k
	JOIN inventory.count_lines x ON x.client_id = k.client_id AND x.count_id = k.count_id
	JOIN inventory.items i ON i.client_id = x.client_id AND i.item_id = x.item_id
	LEFT JOIN inventory.lots lo ON lo.client_id = x.client_id AND lo.lot_id = x.lot_id
	CROSS JOIN LATERAL (SELECT coalesce(sum(s.qty), 0) AS qty FROM inventory.stock s
			    WHERE s.client_id = x.client_id AND s.item_id = x.item_id
			      AND s.location_id = k.location_id
			      AND s.lot_id IS NOT DISTINCT FROM x.lot_id) q
	WHERE k.client_id = core.client_id_of(p_client) AND k.count_id = p_count
	ORDER BY x.line_no
$function$;
ALTER FUNCTION inventory.count_review(text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.count_review(text,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.count_review(text,bigint) TO bd_accountant, bd_supervisor;

