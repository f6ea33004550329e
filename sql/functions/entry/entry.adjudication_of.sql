-- entry.adjudication_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.adjudication_of(d entry.documents, p_resumed boolean)
 RETURNS entry.adjudication_work
 LANGUAGE sql
 STABLE
AS $function$
	SELECT d.client_id, c.code, d.document_id, d.batch_id, d.doctype_id, t.code, d.doctype_version,
	       d.external_ref, d.source_path, b.sla_due, d.lease_until, p_resumed,
	       d.prefill || (SELECT coalesce(jsonb_object_agg(k.key, k.value), '{}')
			     FROM jsonb_each(p1."values") k
			     WHERE NOT EXISTS (SELECT 1 FROM entry.diff(v.fields, p1."values", p2."values") x
					       WHERE x.field = k.key)),
	       (SELECT coalesce(jsonb_agg(jsonb_build_object('field', x.field, 'label', x.label,
							     'value1', x.value1, 'value2', x.value2)
					  ORDER BY x.ord), '[]')
		FROM entry.diff(v.fields, p1."values", p2."values") x)
	FROM core.clients c, entry.batches b, entry.doctypes t, entry.doctype_versions v,
	     entry.passes p1, entry.passes p2
	WHERE c.client_id = d.client_id
	  AND b.client_id = d.client_id AND b.batch_id = d.batch_id
	  AND t.client_id = d.client_id AND t.doctype_id = d.doctype_id
	  AND v.client_id = d.client_id AND v.doctype_id = d.doctype_id AND v.version = d.doctype_version
	  AND p1.client_id = d.client_id AND p1.document_id = d.document_id AND p1.pass = 1
	  AND p2.client_id = d.client_id AND p2.document_id = d.document_id AND p2.pass = 2;
$function$;
ALTER FUNCTION entry.adjudication_of(entry.documents,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.adjudication_of(entry.documents,boolean) FROM PUBLIC;
