-- entry.sup_pause: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.sup_pause(p_batch_id bigint, p_paused boolean)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	b entry.batches := entry.sup_batch(p_batch_id);
BEGIN
	IF p_paused IS NULL THEN
		RAISE EXCEPTION 'Say whether the batch is paused' USING ERRCODE = 'BD001';
	END IF;
	IF b.paused = p_paused THEN
		RAISE EXCEPTION 'Batch % is already %', b.batch_id,
			CASE WHEN p_paused THEN 'paused' ELSE 'running' END USING ERRCODE = 'BD003';
	END IF;
	UPDATE entry.batches SET paused = p_paused
	WHERE client_id = b.client_id AND batch_id = b.batch_id;
	INSERT INTO entry.actions (client_id, action, batch_id)
	VALUES (b.client_id, CASE WHEN p_paused THEN 'pause' ELSE 'resume' END, b.batch_id);
	PERFORM entry.notify(b.client_id);
END
$function$;
ALTER FUNCTION entry.sup_pause(bigint,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.sup_pause(bigint,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.sup_pause(bigint,boolean) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.sup_pause(bigint,boolean) TO bd_admin;
