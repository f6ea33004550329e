-- ledger.lines_posted_check: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- AFTER INSERT ON ledger.lines, once per statement (089): a line marked
-- with_entry (which skips lines_guard and the deferred lines_balanced) is
-- a line of an entry written posted as a source posting, in the statement
-- that wrote it (ledger.entries_posted_check): every line that entry has
-- is one of this statement's with_entry lines, so nothing is added to a
-- posted entry later, and no draft gets a line unchecked. (Other lines of
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
	IF NOT EXISTS (SELECT 1 FROM new_lines WHERE with_entry) THEN
		RETURN NULL;
	END IF;
	SELECT n.entry_id INTO v_id
	FROM (SELECT l.client_id, l.entry_id, count(*) AS k FROM new_lines l
	      WHERE l.with_entry GROUP BY l.client_id, l.entry_id) n
	JOIN ledger.entries e ON e.client_id = n.client_id AND e.entry_id = n.entry_id
	WHERE NOT (e.status = 'posted' AND e.source_kind IS NOT NULL AND e.batch_id IS NULL)
	   OR (SELECT count(*) FROM ledger.lines l
	       WHERE l.client_id = n.client_id AND l.entry_id = n.entry_id) <> n.k
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
