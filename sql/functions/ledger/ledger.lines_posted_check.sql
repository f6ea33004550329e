-- ledger.lines_posted_check: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- AFTER INSERT ON ledger.lines, once per statement (089): a line of an
-- entry that is not a draft comes only in the statement that wrote the
-- entry posted (a source posting, ledger.entries_posted_check), so every
-- line such an entry has must be one of this statement's; and a line
-- marked with_entry (which skips lines_guard and the deferred
-- lines_balanced) only of such an entry, never of a draft. (Other lines of
-- an entry that is not a draft are refused row by row by ledger.lines_guard;
-- an import's lines are ledger.lines_batch_check's.)
CREATE OR REPLACE FUNCTION ledger.lines_posted_check()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	v_id bigint;
BEGIN
	SELECT n.entry_id INTO v_id
	FROM (SELECT l.client_id, l.entry_id, count(*) AS k, bool_or(l.with_entry) AS w
	      FROM new_lines l
	      WHERE l.batch_id IS NULL GROUP BY l.client_id, l.entry_id) n
	JOIN ledger.entries e ON e.client_id = n.client_id AND e.entry_id = n.entry_id
	WHERE (e.status <> 'draft'
	       AND (SELECT count(*) FROM ledger.lines l
		    WHERE l.client_id = n.client_id AND l.entry_id = n.entry_id) <> n.k)
	   OR (n.w AND NOT (e.status = 'posted' AND e.source_kind IS NOT NULL
			    AND e.batch_id IS NULL))
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'Entry % is posted and its lines cannot be changed; reverse it instead',
			v_id USING ERRCODE = 'BD002';
	END IF;
	RETURN NULL;
END
$function$;
ALTER FUNCTION ledger.lines_posted_check() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.lines_posted_check() FROM PUBLIC;
