-- entry.release: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.release(p_document_id bigint, p_note text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	d entry.documents;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	d := entry.my_claim(p_document_id, '{in_progress,adjudication,qa}');
	IF length(p_note) > 1000 THEN
		RAISE EXCEPTION 'A note is at most 1000 characters' USING ERRCODE = 'BD001';
	END IF;
	INSERT INTO entry.skips (client_id, document_id, note)
	VALUES (d.client_id, d.document_id, coalesce(btrim(p_note), ''));
	UPDATE entry.documents SET skipped_by = array_append(skipped_by, session_user::text)
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.unclaim(d);
END
$function$;
ALTER FUNCTION entry.release(bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.release(bigint,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.release(bigint,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.release(bigint,text) TO bd_supervisor;
