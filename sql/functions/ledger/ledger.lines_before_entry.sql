-- ledger.lines_before_entry: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- BEFORE INSERT ON ledger.lines, for a line marked with_entry (089): such a
-- line is written before its entry, in the statement that writes the
-- entry posted (a source posting, ledger.post_source_lines), and the
-- entry's insert trigger (ledger.entries_insert) checks and balances the
-- lines it finds. So its entry must not exist yet (nor be one written
-- earlier in the same statement): nothing is added to an entry after it,
-- and a with_entry line (which skips lines_guard and the deferred
-- lines_balanced) never goes to a draft or an import's entry.
CREATE OR REPLACE FUNCTION ledger.lines_before_entry()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
BEGIN
	IF NEW.batch_id IS NOT NULL
	   OR EXISTS (SELECT 1 FROM ledger.entries
		      WHERE client_id = NEW.client_id AND entry_id = NEW.entry_id) THEN
		RAISE EXCEPTION 'Entry %: a with_entry line comes before its entry', NEW.entry_id
			USING ERRCODE = 'BD002';
	END IF;
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.lines_before_entry() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.lines_before_entry() FROM PUBLIC;
