-- entry.sup_release: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.sup_release(p_document_id bigint, p_note text DEFAULT NULL::text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	d entry.documents := entry.sup_document(p_document_id);
BEGIN
	IF d.claimed_by IS NULL THEN
		RAISE EXCEPTION 'Document % is not claimed by anyone', d.external_ref USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO entry.actions (client_id, action, batch_id, document_id, detail)
	VALUES (d.client_id, 'release', d.batch_id, d.document_id,
		jsonb_build_object('from', d.claimed_by, 'state', d.state, 'note', p_note));
	PERFORM entry.unclaim(d);
END
$function$;
ALTER FUNCTION entry.sup_release(bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.sup_release(bigint,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.sup_release(bigint,text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.sup_release(bigint,text) TO bd_admin;
