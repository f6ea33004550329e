-- 033_keying_habits: heads-down keying without surprises (issue 16).
--
-- entry.qa_check: QA checks the corrected values against the document
-- type's rules (sum rules included) before it asks to record the review.
--
-- entry.review_waiting: when nothing can be handed to an adjudicator or a QA
-- reviewer, the screen says why (the documents waiting are theirs, held by
-- others, paused or skipped), where it said "Nothing is waiting" while
-- documents waited that this operator may not judge. Counts only: it names no
-- document, and reads through row security, so only the operator's clients.

SET ROLE bd_owner;

CREATE FUNCTION entry.review_waiting(p_state text, p_client_id integer DEFAULT NULL,
				     OUT waiting bigint, OUT keyed_by_you bigint,
				     OUT held_by_others bigint, OUT paused bigint,
				     OUT skipped_by_you bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	me text := session_user;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
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
	  AND (p_client_id IS NULL OR d.client_id = p_client_id);
END
$$;

REVOKE EXECUTE ON FUNCTION entry.review_waiting(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.review_waiting(text, integer) TO bd_clerk, bd_supervisor;

-- The checks entry.qa_review makes of the corrected values (every field's
-- rule and the sum rules), made before the reviewer is asked to record the
-- review, and recording nothing: BD001 naming the field (COLUMN) that breaks
-- a rule, so the screen puts the cursor there; true when they hold. The
-- review must hold the document (entry.my_claim). p_results as for
-- entry.qa_review; the merge below is the same as there.
CREATE FUNCTION entry.qa_check(p_document_id bigint, p_results jsonb)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	d entry.documents;
	v entry.doctype_versions;
	e record;
	v_values jsonb;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	d := entry.my_claim(p_document_id, '{qa}');
	IF p_results IS NULL OR jsonb_typeof(p_results) <> 'object' THEN
		RAISE EXCEPTION 'The review must be a JSON object by field' USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO STRICT v FROM entry.doctype_versions
	WHERE client_id = d.client_id AND doctype_id = d.doctype_id AND version = d.doctype_version;
	v_values := d.final_values;
	FOR e IN SELECT r.key, r.value FROM jsonb_each(p_results) r
		 WHERE r.key = ANY (v.field_names) AND jsonb_typeof(r.value) = 'object'
		   AND (r.value ->> 'ok') = 'false' AND jsonb_typeof(r.value -> 'value') = 'string'
	LOOP
		IF e.value ->> 'value' = '' THEN
			v_values := v_values - e.key;
		ELSE
			v_values := jsonb_set(v_values, ARRAY[e.key], e.value -> 'value');
		END IF;
	END LOOP;
	RETURN entry.check_values(v, v_values, 'corrected', true);
END
$$;

REVOKE EXECUTE ON FUNCTION entry.qa_check(bigint, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.qa_check(bigint, jsonb) TO bd_clerk, bd_supervisor;

RESET ROLE;
