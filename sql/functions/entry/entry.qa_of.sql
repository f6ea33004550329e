-- entry.qa_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.qa_of(d entry.documents, p_resumed boolean)
 RETURNS entry.qa_work
 LANGUAGE sql
 STABLE
AS $function$
	SELECT d.client_id, c.code, d.document_id, d.batch_id, d.doctype_id, t.code, d.doctype_version,
	       d.external_ref, d.source_path, b.sla_due, d.lease_until, p_resumed, d.final_values
	FROM core.clients c, entry.batches b, entry.doctypes t
	WHERE c.client_id = d.client_id
	  AND b.client_id = d.client_id AND b.batch_id = d.batch_id
	  AND t.client_id = d.client_id AND t.doctype_id = d.doctype_id;
$function$;
ALTER FUNCTION entry.qa_of(entry.documents,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.qa_of(entry.documents,boolean) FROM PUBLIC;
