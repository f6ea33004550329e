-- inventory.plan_reversal: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The legs that undo a posted move: each leg with quantity and value turned
-- round; a FIFO receipt's reversal gives back what is left of its layer.
CREATE OR REPLACE FUNCTION inventory.plan_reversal(p_client_id integer, p_move inventory.moves)
 RETURNS inventory.leg_plan[]
 LANGUAGE sql
 STABLE
AS $function$
	SELECT coalesce(array_agg(ROW(l.line_no, l.item_id, l.location_id, l.lot_id, -l.qty,
				      -l.value, NULL, ml.serial,
				      CASE WHEN l.qty > 0 AND p_move.kind <> 'transfer'
					   THEN p_move.move_id END)::inventory.leg_plan
				  ORDER BY l.leg_no), '{}')
	FROM inventory.legs l
	JOIN inventory.move_lines ml ON ml.client_id = l.client_id AND ml.move_id = l.move_id
				    AND ml.line_no = l.line_no
	WHERE l.client_id = p_client_id AND l.move_id = p_move.move_id
$function$;
ALTER FUNCTION inventory.plan_reversal(integer,inventory.moves) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.plan_reversal(integer,inventory.moves) FROM PUBLIC;

