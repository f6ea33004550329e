-- ledger.entries_insert: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_insert()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	p ledger.periods;
BEGIN
	-- (An entry of an import batch skips this trigger, entries_a_insert's
	-- WHEN: ledger.import_approve writes them posted and
	-- ledger.import_entries_check checks each statement whole.)
	IF NEW.batch_id IS NOT NULL THEN
		IF NEW.status <> 'submitted' OR NEW.entry_no IS NOT NULL OR NEW.approver IS NOT NULL
		   OR NEW.posted_at IS NOT NULL OR NEW.source_kind IS NOT NULL THEN
			RAISE EXCEPTION 'An imported entry starts submitted' USING ERRCODE = 'BD002';
		END IF;
		NEW.maker := session_user;
		NEW.created_at := now();
		NEW.submitted_at := now();
		RETURN NEW;
	END IF;
	-- A source posting (ledger.post_source_lines, 089) is written posted,
	-- its lines in the same statement: approved by the caller for the
	-- source's maker, numbered here, its period open and held (FOR SHARE);
	-- its lines and balances are checked at the statement's end
	-- (ledger.entries_posted_check, ledger.lines_posted_check).
	IF NEW.status = 'posted' AND NEW.source_kind IS NOT NULL AND NEW.entry_no IS NULL
	   AND NEW.approver IS NULL AND NEW.posted_at IS NULL
	   AND NEW.reverses_entry_id IS NULL THEN
		IF nullif(btrim(NEW.maker), '') IS NULL OR NEW.maker = session_user THEN
			RAISE EXCEPTION 'A source document is posted when someone other than its maker approves it'
				USING ERRCODE = 'BD002';
		END IF;
		p := ledger.open_period(NEW.client_id, NEW.entry_date, true);
		NEW.fiscal_year := p.fiscal_year;
		NEW.period_no := p.period_no;
		NEW.created_at := now();
		NEW.submitted_at := NEW.created_at;
		NEW.posted_at := NEW.created_at;
		NEW.approver := session_user;
		NEW.entry_no := ledger.entry_no_next(NEW.client_id, NEW.journal, p.fiscal_year);
		RETURN NEW;
	END IF;
	IF NEW.status <> 'draft' OR NEW.entry_no IS NOT NULL OR NEW.approver IS NOT NULL
	   OR NEW.posted_at IS NOT NULL THEN
		RAISE EXCEPTION 'A new entry starts as a draft' USING ERRCODE = 'BD002';
	END IF;
	-- A posting from a source document (ledger.post_from_source, callable by
	-- definer functions only) records the source's maker; anything else is
	-- made by whoever inserts it.
	IF NEW.source_kind IS NULL THEN
		NEW.maker := session_user;
	END IF;
	NEW.created_at := now();
	NEW.submitted_at := NULL;
	p := ledger.open_period(NEW.client_id, NEW.entry_date, false);
	NEW.fiscal_year := p.fiscal_year;
	NEW.period_no := p.period_no;
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.entries_insert() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entries_insert() FROM PUBLIC;
