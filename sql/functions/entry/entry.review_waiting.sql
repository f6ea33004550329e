-- entry.review_waiting: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.review_waiting(p_state text, p_client text DEFAULT NULL::text, OUT waiting bigint, OUT keyed_by_you bigint, OUT held_by_others bigint, OUT paused bigint, OUT skipped_by_you bigint)
 RETURNS record
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	me text := session_user;
	v_client_id integer;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	v_client_id := CASE WHEN p_client IS NULL THEN NULL ELSE core.client_id_of(p_client) END;
	IF p_state IS NULL OR p_state NOT IN ('adjudication', 'qa') THEN
		RAISE EXCEPTION 'Unknown review state %', coalesce(p_state, '(none)')
			USING ERRCODE = 'BD001';
	END IF;
	-- The reasons of entry.claim_review, each counted on its own (a document
	-- may have several).
	SELECT count(*),
	       count(*) FILTER (WHERE d.pass1_by = me
				  OR (p_state = 'adjudication' AND d.pass2_by = me)),
	       count(*) FILTER (WHERE d.claimed_by IS NOT NULL AND d.claimed_by <> me
				  AND d.lease_until >= now()),
	       count(*) FILTER (WHERE b.paused),
	       count(*) FILTER (WHERE me = ANY (d.skipped_by))
	INTO waiting, keyed_by_you, held_by_others, paused, skipped_by_you
	FROM entry.documents d
	JOIN entry.batches b ON b.client_id = d.client_id AND b.batch_id = d.batch_id
	WHERE d.state = p_state
	  AND (v_client_id IS NULL OR d.client_id = v_client_id);
END
$function$;
ALTER FUNCTION entry.review_waiting(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.review_waiting(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.review_waiting(text,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.review_waiting(text,text) TO bd_supervisor;
