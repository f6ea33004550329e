-- ledger.import_entries_check: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- AFTER INSERT ... FOR EACH STATEMENT on ledger.entries (076): the entries
-- of an import batch (batch_id set; only ledger.import_approve writes
-- them, from the batch's staged lines) skip the row trigger
-- entries_a_insert and are checked here once for the whole statement:
-- each is posted (numbered, approved now by the caller, not from a source
-- document), made by the batch's maker, who is not the caller, in a batch
-- of the same client waiting for approval. (Their periods were checked
-- open and locked by ledger.import_approve; the foreign keys check them
-- again row by row.)

CREATE OR REPLACE FUNCTION ledger.import_entries_check()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
 SET jit TO 'off'
AS $function$
DECLARE
	v_bad bigint;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM new_entries WHERE batch_id IS NOT NULL) THEN
		RETURN NULL; -- a keyed entry: its row trigger checked it
	END IF;
	SELECT e.entry_id INTO v_bad
	FROM new_entries e
	LEFT JOIN ledger.import_batches b ON b.client_id = e.client_id AND b.batch_id = e.batch_id
	WHERE e.batch_id IS NOT NULL
	  AND (e.status <> 'posted' OR e.entry_no IS NULL OR e.approver IS DISTINCT FROM session_user
	       OR e.posted_at IS NULL OR e.source_kind IS NOT NULL
	       OR e.maker IS DISTINCT FROM b.maker OR e.maker = session_user
	       OR e.submitted_at IS NULL OR b.status IS DISTINCT FROM 'submitted')
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'An imported entry is written posted, by the approval of its import (entry %)', v_bad
			USING ERRCODE = 'BD002';
	END IF;
	RETURN NULL;
END
$function$;
ALTER FUNCTION ledger.import_entries_check() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_entries_check() FROM PUBLIC;
