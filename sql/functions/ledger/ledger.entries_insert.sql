-- ledger.entries_insert: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_insert()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	p ledger.periods;
	v_n bigint;
	v_with bigint;
	v_dr numeric;
	v_cr numeric;
	v_inactive text;
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
	-- in one statement after its lines (marked with_entry; their trigger
	-- ledger.lines_before_entry refuses one whose entry exists): approved
	-- by the caller for the source's maker, its period open and held (FOR
	-- SHARE), its lines checked here as an approval checks them (two or
	-- more with amounts, balanced, dated as the entry, active accounts) and
	-- added to the balances, and numbered last, so the journal's counter
	-- is held from the end of the posting to the commit.
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
		SELECT count(*), count(*) FILTER (WHERE l.with_entry AND l.entry_date = NEW.entry_date),
		       coalesce(sum(l.debit), 0), coalesce(sum(l.credit), 0),
		       string_agg(DISTINCT a.code, ', ') FILTER (WHERE NOT coalesce(a.active, false))
		INTO v_n, v_with, v_dr, v_cr, v_inactive
		FROM ledger.lines l
		LEFT JOIN ledger.accounts a ON a.client_id = l.client_id AND a.account_id = l.account_id
		WHERE l.client_id = NEW.client_id AND l.entry_id = NEW.entry_id;
		IF v_n < 2 OR v_dr = 0 THEN
			RAISE EXCEPTION 'Entry % needs at least two lines with amounts', NEW.entry_id
				USING ERRCODE = 'BD001';
		END IF;
		IF v_with <> v_n THEN
			RAISE EXCEPTION 'Entry %: its lines come with it (with_entry), dated as it',
				NEW.entry_id USING ERRCODE = 'BD002';
		END IF;
		IF v_dr <> v_cr THEN
			RAISE EXCEPTION 'Entry % does not balance: debits %, credits %', NEW.entry_id,
				v_dr, v_cr USING ERRCODE = 'BD001';
		END IF;
		IF v_inactive IS NOT NULL THEN
			RAISE EXCEPTION 'Account % is inactive', v_inactive USING ERRCODE = 'BD001';
		END IF;
		PERFORM ledger.balances_add(NEW.client_id, NEW.entry_id, NEW.entry_date);
		NEW.created_at := now();
		NEW.submitted_at := NEW.created_at;
		NEW.posted_at := NEW.created_at;
		NEW.approver := session_user;
		NEW.entry_no := ledger.entry_no_next(NEW.client_id, NEW.journal, p.fiscal_year);
		RETURN NEW;
	END IF;
	-- (a draft's lines come after it: none marked with_entry before it)
	IF EXISTS (SELECT 1 FROM ledger.lines
		   WHERE client_id = NEW.client_id AND entry_id = NEW.entry_id) THEN
		RAISE EXCEPTION 'Entry %: a new entry starts without lines', NEW.entry_id
			USING ERRCODE = 'BD002';
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
