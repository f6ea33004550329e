-- inventory.count_approve: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A second person approves a count: the system quantities are recorded
-- with it and the differences are posted as one count move (maker: the
-- counter, approver: the checker).
CREATE OR REPLACE FUNCTION inventory.count_approve(p_client text, p_id bigint, p_version bigint)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	k inventory.counts;
	m inventory.moves;
	n integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	SELECT * INTO k FROM inventory.counts WHERE client_id = cid AND count_id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No stock count %', p_id USING ERRCODE = 'BD004';
	END IF;
	IF k.status <> 'submitted' THEN
		RAISE EXCEPTION 'Stock count % is %, not waiting for approval', p_id, k.status
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Stock count %s', p_id), p_version, k.version);
	IF k.maker = session_user THEN
		RAISE EXCEPTION 'You cannot approve your own count: someone else must'
			USING ERRCODE = 'BD002';
	END IF;
	PERFORM inventory.lock_items(cid, (SELECT array_agg(item_id) FROM inventory.count_lines
					   WHERE client_id = cid AND count_id = p_id), k.count_date);
	UPDATE inventory.count_lines x
	SET system_qty = (SELECT coalesce(sum(s.qty), 0) FROM inventory.stock s
			  WHERE s.client_id = cid AND s.item_id = x.item_id
			    AND s.location_id = k.location_id AND s.lot_id IS NOT DISTINCT FROM x.lot_id)
	WHERE x.client_id = cid AND x.count_id = p_id;
	SELECT count(*) INTO n FROM inventory.count_lines
	WHERE client_id = cid AND count_id = p_id AND counted <> system_qty;
	IF n > 0 THEN
		INSERT INTO inventory.moves (client_id, kind, move_date, reference, reason, status, maker)
		VALUES (cid, 'count', k.count_date, 'Count ' || p_id, 'Cycle count ' || p_id,
			'submitted', k.maker)
		RETURNING * INTO m;
		INSERT INTO inventory.move_lines (client_id, move_id, line_no, item_id, location_id,
						  lot_id, qty, unit, qty_base)
		SELECT cid, m.move_id, row_number() OVER (ORDER BY x.line_no), x.item_id,
		       k.location_id, x.lot_id, x.counted - x.system_qty, i.base_unit,
		       x.counted - x.system_qty
		FROM inventory.count_lines x
		JOIN inventory.items i ON i.client_id = x.client_id AND i.item_id = x.item_id
		WHERE x.client_id = cid AND x.count_id = p_id AND x.counted <> x.system_qty;
		m := inventory.apply_legs(cid, m.move_id, inventory.plan_move(cid, m), k.maker,
					  session_user);
	END IF;
	UPDATE inventory.counts SET status = 'posted', approver = session_user, decided_at = now(),
				    move_id = m.move_id, version = version + 1
	WHERE client_id = cid AND count_id = p_id;
	PERFORM core.notify_client(cid, 'approvals');
	IF n = 0 THEN
		RETURN format('Count %s agrees with the stock', p_id);
	END IF;
	RETURN format('Count %s: %s differences posted as move %s', p_id, n, m.move_id);
END
$function$;
ALTER FUNCTION inventory.count_approve(text,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.count_approve(text,bigint,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.count_approve(text,bigint,bigint) TO bd_accountant, bd_supervisor;

