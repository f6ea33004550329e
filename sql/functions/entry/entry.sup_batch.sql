-- entry.sup_batch: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.sup_batch(p_batch_id bigint)
 RETURNS entry.batches
 LANGUAGE plpgsql
AS $function$
DECLARE
	b entry.batches;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	SELECT * INTO b FROM entry.batches WHERE batch_id = p_batch_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown batch %', coalesce(p_batch_id::text, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	PERFORM core.require_client(b.client_id);
	RETURN b;
END
$function$;
ALTER FUNCTION entry.sup_batch(bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.sup_batch(bigint) FROM PUBLIC;
