-- entry.sup_set_priority: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.sup_set_priority(p_batch_id bigint, p_priority integer)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	b entry.batches := entry.sup_batch(p_batch_id);
BEGIN
	IF p_priority IS NULL OR p_priority NOT BETWEEN 0 AND 99 THEN
		RAISE EXCEPTION 'A priority is 0 to 99 (higher is keyed first)' USING ERRCODE = 'BD001';
	END IF;
	UPDATE entry.batches SET priority = p_priority
	WHERE client_id = b.client_id AND batch_id = b.batch_id;
	INSERT INTO entry.actions (client_id, action, batch_id, detail)
	VALUES (b.client_id, 'priority', b.batch_id,
		jsonb_build_object('from', b.priority, 'to', p_priority));
	PERFORM entry.notify(b.client_id);
END
$function$;
ALTER FUNCTION entry.sup_set_priority(bigint,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.sup_set_priority(bigint,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.sup_set_priority(bigint,integer) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.sup_set_priority(bigint,integer) TO bd_admin;
