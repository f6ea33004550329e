-- entry.my_claim: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.my_claim(p_document_id bigint, p_states text[])
 RETURNS entry.documents
 LANGUAGE plpgsql
AS $function$
DECLARE
	d entry.documents;
BEGIN
	SELECT * INTO d FROM entry.documents WHERE document_id = p_document_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document %', coalesce(p_document_id::text, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	-- (The tenant policy already limits the row to the caller's clients.)
	IF d.claimed_by IS DISTINCT FROM session_user OR NOT d.state = ANY (p_states) THEN
		RAISE EXCEPTION 'Document % is no longer yours (lease ran out or released)',
			d.external_ref USING ERRCODE = 'BD003';
	END IF;
	RETURN d;
END
$function$;
ALTER FUNCTION entry.my_claim(bigint,text[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.my_claim(bigint,text[]) FROM PUBLIC;
