-- entry.claim_review: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.claim_review(p_state text, p_lease_seconds integer, p_client_id integer, OUT d entry.documents, OUT resumed boolean)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
	me text := session_user;
	v_lease interval := entry.lease(p_lease_seconds);
BEGIN
	resumed := true;
	SELECT * INTO d FROM entry.documents
	WHERE claimed_by = me AND state = p_state
	  AND (p_client_id IS NULL OR client_id = p_client_id)
	ORDER BY claimed_at LIMIT 1 FOR UPDATE SKIP LOCKED;
	IF NOT FOUND THEN
		resumed := false;
		SELECT dd.* INTO d FROM entry.documents dd
		JOIN entry.batches bb ON bb.client_id = dd.client_id AND bb.batch_id = dd.batch_id
		WHERE dd.state = p_state
		  AND (dd.claimed_by IS NULL OR dd.lease_until < now())
		  AND dd.pass1_by <> me
		  AND (p_state <> 'adjudication' OR dd.pass2_by <> me)
		  AND NOT bb.paused
		  AND (p_client_id IS NULL OR dd.client_id = p_client_id)
		  AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
		ORDER BY bb.priority DESC, dd.document_id
		LIMIT 1
		FOR UPDATE OF dd SKIP LOCKED;
		IF NOT FOUND THEN
			d := NULL;
			RETURN;
		END IF;
	END IF;
	UPDATE entry.documents
	SET claimed_by = me, claimed_at = CASE WHEN resumed THEN claimed_at ELSE now() END,
	    lease_until = now() + v_lease
	WHERE client_id = d.client_id AND document_id = d.document_id
	RETURNING * INTO d;
	PERFORM entry.notify(d.client_id);
END
$function$;
ALTER FUNCTION entry.claim_review(text,integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.claim_review(text,integer,integer) FROM PUBLIC;
