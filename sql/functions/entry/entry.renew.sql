-- entry.renew: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.renew(p_document_id bigint, p_lease_seconds integer, p_draft text DEFAULT NULL::text)
 RETURNS timestamp with time zone
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
 SET plan_cache_mode TO 'force_generic_plan'
 SET enable_seqscan TO 'off'
AS $function$
DECLARE
	v_role text := core.require_role('clerk', 'supervisor');
	v_lease interval := entry.lease(p_lease_seconds);
	d entry.documents;
BEGIN
	SELECT * INTO d FROM entry.documents WHERE document_id = p_document_id;
	IF NOT FOUND OR d.claimed_by IS DISTINCT FROM session_user THEN
		d := entry.my_claim(p_document_id, '{in_progress,adjudication,qa}');
	END IF;
	IF d.lease_until - now() < v_lease / 2 THEN
		d := entry.my_claim(p_document_id, '{in_progress,adjudication,qa}');
		UPDATE entry.documents SET lease_until = now() + v_lease
		WHERE client_id = d.client_id AND document_id = d.document_id
		RETURNING * INTO d;
	END IF;
	IF p_draft IS NOT NULL THEN
		PERFORM core.draft_save(entry.draft_screen(), d.client_id,
					d.document_id::text || E'\n' || p_draft);
	END IF;
	RETURN d.lease_until;
END
$function$;
ALTER FUNCTION entry.renew(bigint,integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.renew(bigint,integer,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.renew(bigint,integer,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.renew(bigint,integer,text) TO bd_supervisor;
