-- inventory.move_reverse: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Reverses a posted move on p_date (NULL: today) by a new move of the same
-- kind with every leg turned round at its posted value. Accountants and
-- supervisors. Returns "Move N reverses move M".
CREATE OR REPLACE FUNCTION inventory.move_reverse(p_client text, p_id bigint, p_date date DEFAULT NULL)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	m inventory.moves;
	r inventory.moves;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	SELECT * INTO m FROM inventory.moves WHERE client_id = cid AND move_id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No stock move %', p_id USING ERRCODE = 'BD004';
	END IF;
	IF m.status <> 'posted' OR m.kind = 'revaluation' THEN
		RAISE EXCEPTION 'Only a posted stock move can be reversed' USING ERRCODE = 'BD003';
	END IF;
	IF m.reverses_move_id IS NOT NULL
	   OR EXISTS (SELECT 1 FROM inventory.moves WHERE client_id = cid AND reverses_move_id = p_id
		      AND status <> 'rejected') THEN
		RAISE EXCEPTION 'Stock move % is a reversal or reversed already', p_id
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM inventory.lock_items(cid, (SELECT array_agg(item_id) FROM inventory.move_lines
					   WHERE client_id = cid AND move_id = p_id),
				     coalesce(p_date, current_date));
	INSERT INTO inventory.moves (client_id, kind, move_date, reference, reason, status, maker,
				     reverses_move_id)
	VALUES (cid, m.kind, coalesce(p_date, current_date), 'Rev ' || p_id,
		'Reversal of move ' || p_id, 'submitted', session_user, p_id)
	RETURNING * INTO r;
	INSERT INTO inventory.move_lines
	SELECT client_id, r.move_id, line_no, item_id, coalesce(to_location_id, location_id),
	       CASE WHEN to_location_id IS NOT NULL THEN location_id END, lot_id, serial, -qty,
	       unit, -qty_base, unit_cost
	FROM inventory.move_lines WHERE client_id = cid AND move_id = p_id;
	r := inventory.apply_legs(cid, r.move_id, inventory.plan_reversal(cid, m),
				  'inventory:' || session_user, NULL);
	RETURN format('Move %s reverses move %s', r.move_id, p_id);
END
$function$;
ALTER FUNCTION inventory.move_reverse(text,bigint,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.move_reverse(text,bigint,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.move_reverse(text,bigint,date) TO bd_accountant, bd_supervisor;
