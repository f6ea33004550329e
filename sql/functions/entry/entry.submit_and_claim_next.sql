-- entry.submit_and_claim_next: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.submit_and_claim_next(p_document_id bigint, p_values jsonb, p_keystrokes integer, p_corrections integer, p_seconds integer, p_fields_keyed integer, p_lease_seconds integer, p_client text DEFAULT NULL::text, p_key text DEFAULT NULL::text)
 RETURNS SETOF entry.work
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
 SET plan_cache_mode TO 'force_generic_plan'
 SET enable_seqscan TO 'off'
AS $function$
DECLARE
	me text := session_user;
	v_role text := core.require_role('clerk', 'supervisor');
	v_client_id integer := CASE WHEN p_client IS NULL THEN NULL ELSE core.client_id_of(p_client) END;
	d entry.documents := entry.do_submit(p_document_id, p_values, p_keystrokes, p_corrections,
					     p_seconds, p_fields_keyed, p_key);
	h entry.documents;
	b entry.queue_batches;
	w entry.work;
	v_notified boolean;
BEGIN
	IF d.document_id IS NULL THEN
		-- No longer this clerk's: submitted by a call with this key?
		SELECT dd.* INTO d FROM entry.documents dd WHERE dd.document_id = p_document_id;
		IF NOT EXISTS (SELECT 1 FROM entry.passes p
			       WHERE p.client_id = d.client_id AND p.document_id = d.document_id
				 AND p.operator = me AND p.request_key = p_key) THEN
			RAISE EXCEPTION 'Document % is no longer yours (lease ran out or released)',
				coalesce(d.external_ref, p_document_id::text) USING ERRCODE = 'BD003';
		END IF;
		-- Its answer: the document it claimed, which the clerk still holds.
		SELECT dd.* INTO h FROM entry.documents dd
		WHERE dd.claimed_by = me AND dd.state = 'in_progress'
		  AND (v_client_id IS NULL OR dd.client_id = v_client_id)
		ORDER BY dd.claimed_at DESC, dd.document_id
		LIMIT 1;
		IF FOUND THEN
			SELECT * INTO STRICT b FROM entry.queue_batches q
			WHERE q.client_id = h.client_id AND q.batch_id = h.batch_id;
			w := entry.work_of(h, b, false, d);
		ELSE
			w.submitted_state := d.state;
		END IF;
		RETURN NEXT w;
		RETURN;
	END IF;
	w := entry.take_next(p_lease_seconds, v_client_id, d);
	IF w.document_id IS NULL THEN
		w.submitted_state := d.state;
	END IF;
	-- One notification for the submit and the claim (see notify_keying).
	v_notified := entry.notify_keying(d.client_id);
	IF w.client_id <> d.client_id THEN
		v_notified := entry.notify_keying(w.client_id);
	END IF;
	RETURN NEXT w;
END
$function$;
ALTER FUNCTION entry.submit_and_claim_next(bigint,jsonb,integer,integer,integer,integer,integer,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.submit_and_claim_next(bigint,jsonb,integer,integer,integer,integer,integer,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.submit_and_claim_next(bigint,jsonb,integer,integer,integer,integer,integer,text,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.submit_and_claim_next(bigint,jsonb,integer,integer,integer,integer,integer,text,text) TO bd_supervisor;
