-- ledger.entries_update: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_update()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	p ledger.periods;
	n integer;
	dr numeric;
	cr numeric;
	inactive text;
BEGIN
	IF OLD.status = 'posted' THEN
		RAISE EXCEPTION 'Entry % is posted and cannot be changed; reverse it instead',
			OLD.entry_id USING ERRCODE = 'BD002';
	END IF;
	IF NEW.client_id <> OLD.client_id OR NEW.entry_id <> OLD.entry_id
	   OR NEW.maker <> OLD.maker OR NEW.created_at <> OLD.created_at
	   OR NEW.reverses_entry_id IS DISTINCT FROM OLD.reverses_entry_id
	   OR NEW.source_kind IS DISTINCT FROM OLD.source_kind
	   OR NEW.source_id IS DISTINCT FROM OLD.source_id
	   OR NEW.batch_id IS DISTINCT FROM OLD.batch_id THEN
		RAISE EXCEPTION 'The identity of an entry cannot change' USING ERRCODE = 'BD002';
	END IF;
	IF NEW.status <> 'posted' AND (NEW.entry_no IS NOT NULL OR NEW.approver IS NOT NULL
				       OR NEW.posted_at IS NOT NULL) THEN
		RAISE EXCEPTION 'Only posting numbers an entry' USING ERRCODE = 'BD002';
	END IF;
	IF OLD.status = 'submitted' AND (NEW.journal <> OLD.journal
					 OR NEW.entry_date <> OLD.entry_date
					 OR NEW.reference <> OLD.reference
					 OR NEW.description <> OLD.description) THEN
		RAISE EXCEPTION 'Entry % waits for approval and cannot be edited', OLD.entry_id
			USING ERRCODE = 'BD002';
	END IF;
	-- A posting from a source document (ledger.post_from_source: its
	-- module approved the document) goes from draft to posted in one step.
	IF OLD.status = 'draft' AND NEW.status = 'posted' AND OLD.source_kind IS NULL THEN
		RAISE EXCEPTION 'Entry % must be submitted for approval first', OLD.entry_id
			USING ERRCODE = 'BD002';
	END IF;

	-- An entry of an import batch is posted (numbered, its period and
	-- accounts checked, its balances added) or withdrawn with its whole
	-- batch, set-based, by ledger.import_approve and ledger.import_reject.
	IF OLD.batch_id IS NOT NULL THEN
		IF NEW.journal <> OLD.journal OR NEW.entry_date <> OLD.entry_date
		   OR NEW.reference <> OLD.reference OR NEW.description <> OLD.description
		   OR NEW.fiscal_year <> OLD.fiscal_year OR NEW.period_no <> OLD.period_no THEN
			RAISE EXCEPTION 'Entry % of an import cannot be edited', OLD.entry_id
				USING ERRCODE = 'BD002';
		END IF;
		IF NEW.status = 'posted' THEN
			IF NEW.entry_no IS NULL THEN
				RAISE EXCEPTION 'An import is posted whole' USING ERRCODE = 'BD002';
			END IF;
			NEW.approver := session_user;
			NEW.posted_at := now();
		ELSIF NEW.status = 'draft' THEN
			NEW.submitted_at := NULL;
		END IF;
		RETURN NEW;
	END IF;

	IF NEW.status = 'draft' THEN
		NEW.submitted_at := NULL;
		IF NEW.entry_date <> OLD.entry_date THEN
			p := ledger.open_period(NEW.client_id, NEW.entry_date, false);
			NEW.fiscal_year := p.fiscal_year;
			NEW.period_no := p.period_no;
			-- the lines follow in entries_d_dates (AFTER UPDATE)
		END IF;
		RETURN NEW;
	END IF;

	IF NEW.status IN ('submitted', 'posted') AND OLD.status = 'draft' THEN
		NEW.submitted_at := now();
	END IF;
	-- Submitting and posting: the period must be open, the entry complete.
	p := ledger.open_period(NEW.client_id, NEW.entry_date, NEW.status = 'posted');
	NEW.fiscal_year := p.fiscal_year;
	NEW.period_no := p.period_no;
	SELECT count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0)
	INTO n, dr, cr
	FROM ledger.lines WHERE client_id = NEW.client_id AND entry_id = NEW.entry_id;
	IF n < 2 OR dr = 0 THEN
		RAISE EXCEPTION 'Entry % needs at least two lines with amounts', NEW.entry_id
			USING ERRCODE = 'BD001';
	END IF;
	IF dr <> cr THEN
		RAISE EXCEPTION 'Entry % does not balance: debits %, credits %', NEW.entry_id, dr, cr
			USING ERRCODE = 'BD001';
	END IF;
	SELECT string_agg(DISTINCT a.code, ', ') INTO inactive
	FROM ledger.lines l
	JOIN ledger.accounts a ON a.client_id = l.client_id AND a.account_id = l.account_id
	WHERE l.client_id = NEW.client_id AND l.entry_id = NEW.entry_id AND NOT a.active;
	IF inactive IS NOT NULL THEN
		RAISE EXCEPTION 'Account % is inactive', inactive USING ERRCODE = 'BD001';
	END IF;

	IF NEW.status = 'posted' THEN
		NEW.approver := session_user;
		NEW.posted_at := now();
		IF NEW.approver = NEW.maker THEN
			RAISE EXCEPTION 'You cannot approve your own entry: another accountant must'
				USING ERRCODE = 'BD002';
		END IF;
		NEW.entry_no := 0; -- placeholder; entries_c_number assigns it
	END IF;
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.entries_update() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entries_update() FROM PUBLIC;
