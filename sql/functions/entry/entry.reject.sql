-- entry.reject: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.reject(p_document_id bigint, p_reason text, p_note text)
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
	IF p_reason IS NULL OR p_reason NOT IN ('illegible', 'incomplete', 'wrong_document',
						'duplicate') THEN
		RAISE EXCEPTION 'The reason is illegible, incomplete, wrong_document or duplicate'
			USING ERRCODE = 'BD001';
	END IF;
	IF length(p_note) > 1000 THEN
		RAISE EXCEPTION 'A note is at most 1000 characters' USING ERRCODE = 'BD001';
	END IF;
	UPDATE entry.documents
	SET state = 'rejected', reject_reason = p_reason, reject_note = nullif(btrim(p_note), ''),
	    rejected_by = session_user, completed_at = now(),
	    claimed_by = NULL, claimed_at = NULL, lease_until = NULL
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
END
$function$;
ALTER FUNCTION entry.reject(bigint,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.reject(bigint,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.reject(bigint,text,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.reject(bigint,text,text) TO bd_supervisor;
