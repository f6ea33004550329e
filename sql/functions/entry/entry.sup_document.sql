-- entry.sup_document: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.sup_document(p_document_id bigint)
 RETURNS entry.documents
 LANGUAGE plpgsql
AS $function$
DECLARE
	d entry.documents;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	SELECT * INTO d FROM entry.documents WHERE document_id = p_document_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document %', coalesce(p_document_id::text, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	PERFORM core.require_client(d.client_id);
	RETURN d;
END
$function$;
ALTER FUNCTION entry.sup_document(bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.sup_document(bigint) FROM PUBLIC;
