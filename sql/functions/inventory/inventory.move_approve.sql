-- inventory.move_approve: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A second person approves a waiting move: it is posted now (stock,
-- cost, ledger entry with maker = the clerk, approver = the checker).
CREATE OR REPLACE FUNCTION inventory.move_approve(p_client text, p_id bigint, p_version bigint)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	m inventory.moves;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	SELECT * INTO m FROM inventory.moves WHERE client_id = cid AND move_id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No stock move %', p_id USING ERRCODE = 'BD004';
	END IF;
	IF m.status <> 'submitted' THEN
		RAISE EXCEPTION 'Stock move % is %, not waiting for approval', p_id, m.status
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Stock move %s', p_id), p_version, m.version);
	IF m.maker = session_user THEN
		RAISE EXCEPTION 'You cannot approve your own stock move: someone else must'
			USING ERRCODE = 'BD002';
	END IF;
	m := inventory.apply_legs(cid, m.move_id, inventory.plan_move(cid, m), m.maker, session_user);
	PERFORM core.notify_client(cid, 'approvals');
	RETURN format('Move %s posted', m.move_id);
END
$function$;
ALTER FUNCTION inventory.move_approve(text,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.move_approve(text,bigint,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.move_approve(text,bigint,bigint) TO bd_accountant, bd_supervisor;

