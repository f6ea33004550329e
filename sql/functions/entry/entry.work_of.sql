-- entry.work_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.work_of(d entry.documents, b entry.queue_batches, p_resumed boolean, p_submitted entry.documents)
 RETURNS entry.work
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	me text := session_user;	-- text, as passes.operator: so passes_dup_idx serves
	w entry.work;
	v_draft text;
BEGIN
	w := ROW(p_submitted.state, d.client_id, b.client_code, d.document_id, d.batch_id, b.name,
		 d.doctype_id, b.doctype_code, d.doctype_version,
		 CASE WHEN d.pass1_by IS NULL OR b.mode <> 'double' THEN 1 ELSE 2 END,
		 b.mode, d.external_ref, d.source_path, d.prefill, NULL, NULL,
		 b.sla_due, b.priority, d.lease_until, p_resumed);
	IF p_resumed THEN
		SELECT dr.data INTO v_draft FROM core.drafts dr
		WHERE dr.login = session_user AND dr.screen = entry.draft_screen();
		IF split_part(v_draft, E'\n', 1) = d.document_id::text THEN
			w.draft := substr(v_draft, strpos(v_draft, E'\n') + 1);
		END IF;
	END IF;
	IF p_resumed OR p_submitted.batch_id IS DISTINCT FROM d.batch_id THEN
		SELECT p."values" INTO w.dup_values FROM entry.passes p
		WHERE p.client_id = d.client_id AND p.batch_id = d.batch_id
		  AND p.operator = me
		ORDER BY p.submitted_at DESC LIMIT 1;
	END IF;
	RETURN w;
END
$function$;
ALTER FUNCTION entry.work_of(entry.documents,entry.queue_batches,boolean,entry.documents) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.work_of(entry.documents,entry.queue_batches,boolean,entry.documents) FROM PUBLIC;
