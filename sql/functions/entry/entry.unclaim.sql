-- entry.unclaim: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.unclaim(d entry.documents)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
	UPDATE entry.documents
	SET state = CASE WHEN d.state <> 'in_progress' THEN d.state
			 WHEN d.pass1_by IS NULL THEN 'waiting' ELSE 'keyed_once' END,
	    claimed_by = NULL, claimed_at = NULL, lease_until = NULL,
	    -- a never-keyed document takes the newest doctype version when claimed again
	    doctype_version = CASE WHEN d.pass1_by IS NULL THEN NULL ELSE d.doctype_version END
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
END
$function$;
ALTER FUNCTION entry.unclaim(entry.documents) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.unclaim(entry.documents) FROM PUBLIC;
