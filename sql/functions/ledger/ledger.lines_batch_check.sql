-- ledger.lines_batch_check: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Trigger (AFTER INSERT on ledger.lines, per statement): the lines of an
-- import batch (batch_id set; the row triggers lines_guard and
-- lines_balanced skip them; only ledger.import_approve writes them) are
-- checked here for the whole statement: each belongs to an entry of the
-- same batch posted by the caller while the batch still waits for approval
-- (so within the approval's transaction, which marks it posted), carries its entry's date, and
-- every entry they touch balances in the base currency. JIT off: compiling
-- the plans of a big statement took longer than running them.

CREATE OR REPLACE FUNCTION ledger.lines_batch_check()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
 SET jit TO 'off'
 SET enable_nestloop TO 'off'
 SET work_mem TO '256MB'
AS $function$
DECLARE
	v_bad bigint;
	dr numeric;
	cr numeric;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM new_lines WHERE batch_id IS NOT NULL) THEN
		RETURN NULL; -- a keyed entry's line: its row triggers checked it
	END IF;
	SELECT l.entry_id INTO v_bad
	FROM new_lines l
	LEFT JOIN ledger.entries e ON e.client_id = l.client_id AND e.entry_id = l.entry_id
				   AND e.batch_id = l.batch_id
	LEFT JOIN ledger.import_batches b ON b.client_id = l.client_id AND b.batch_id = l.batch_id
	WHERE l.batch_id IS NOT NULL
	  AND (e.entry_id IS NULL OR e.status <> 'posted' OR e.entry_date <> l.entry_date
	       OR e.approver IS DISTINCT FROM session_user
	       OR b.status IS DISTINCT FROM 'submitted')
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'Entry % is not an entry its import''s approval is posting: its lines cannot be added', v_bad
			USING ERRCODE = 'BD002';
	END IF;
	-- (every line of an import's entry comes in its one statement: lines_guard
	-- refuses any later line of a posted entry)
	SELECT l.entry_id, sum(l.debit), sum(l.credit) INTO v_bad, dr, cr
	FROM new_lines l
	WHERE l.batch_id IS NOT NULL
	GROUP BY l.client_id, l.entry_id
	HAVING sum(l.debit) <> sum(l.credit)
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'Entry % does not balance: debits %, credits %', v_bad, dr, cr
			USING ERRCODE = 'BD001';
	END IF;
	RETURN NULL;
END
$function$;
ALTER FUNCTION ledger.lines_batch_check() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.lines_batch_check() FROM PUBLIC;
