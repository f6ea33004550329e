-- ledger.recurring_add: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Makes a recurring entry (076_ledger_recurring.sql) from an existing entry
-- of the client: its journal, reference, description and lines, posted
-- every p_every ('month', 'quarter', 'year') on day p_day (NULL: the start
-- date's day; 31 is the month end) from p_start to p_end (NULL: no end).
-- Lines in another currency than the base are refused: a template's amounts
-- are in the base currency. Returns the template's id.

CREATE OR REPLACE FUNCTION ledger.recurring_add(p_client text, p_name text, p_entry_id bigint, p_every text, p_day integer, p_start date, p_end date)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	e ledger.entries;
	v_id bigint;
	v_every text := lower(btrim(p_every));
	v_day integer := coalesce(p_day, extract(day FROM p_start)::integer);
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	IF p_name IS NULL OR length(btrim(p_name)) NOT BETWEEN 1 AND 60 OR p_name ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'A recurring entry needs a name of at most 60 printable characters'
			USING ERRCODE = 'BD001';
	END IF;
	IF v_every IS NULL OR v_every NOT IN ('month', 'quarter', 'year') THEN
		RAISE EXCEPTION 'A recurring entry comes every month, quarter or year, not %',
			coalesce(p_every, '(nothing)') USING ERRCODE = 'BD001';
	END IF;
	IF p_start IS NULL OR NOT isfinite(p_start) OR p_start NOT BETWEEN '1900-01-01' AND '2199-12-31' THEN
		RAISE EXCEPTION 'A recurring entry needs a start date' USING ERRCODE = 'BD001';
	END IF;
	IF v_day NOT BETWEEN 1 AND 31 THEN
		RAISE EXCEPTION 'The day of the month is 1 to 31 (31: the last day), not %', v_day
			USING ERRCODE = 'BD001';
	END IF;
	IF p_end IS NOT NULL AND (NOT isfinite(p_end) OR p_end < p_start OR p_end > '2199-12-31') THEN
		RAISE EXCEPTION 'The end date % is before the start date %', p_end, p_start
			USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO e FROM ledger.entries WHERE client_id = cid AND entry_id = p_entry_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No entry %', coalesce(p_entry_id::text, '(none)') USING ERRCODE = 'BD004';
	END IF;
	IF EXISTS (SELECT 1 FROM ledger.lines
		   WHERE client_id = cid AND entry_id = p_entry_id AND currency IS NOT NULL) THEN
		RAISE EXCEPTION 'Entry % has lines in another currency: a recurring entry is in %',
			p_entry_id, ledger.base_currency(cid) USING ERRCODE = 'BD001';
	END IF;
	IF (SELECT count(*) FROM ledger.lines WHERE client_id = cid AND entry_id = p_entry_id) < 2 THEN
		RAISE EXCEPTION 'Entry % has no lines to repeat', p_entry_id USING ERRCODE = 'BD001';
	END IF;
	IF EXISTS (SELECT 1 FROM ledger.recurring WHERE client_id = cid AND name = btrim(p_name)) THEN
		RAISE EXCEPTION 'There is already a recurring entry %', btrim(p_name)
			USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO ledger.recurring (client_id, name, journal, reference, description, every, day,
				      start_date, end_date, source_entry_id)
	VALUES (cid, btrim(p_name), e.journal, e.reference, e.description, v_every, v_day, p_start,
		p_end, e.entry_id)
	RETURNING template_id INTO v_id;
	INSERT INTO ledger.recurring_lines (client_id, template_id, line_no, account_id, debit, credit,
					    memo)
	SELECT cid, v_id, row_number() OVER (ORDER BY l.line_no), l.account_id, l.debit, l.credit,
	       l.memo
	FROM ledger.lines l
	WHERE l.client_id = cid AND l.entry_id = p_entry_id
	ORDER BY l.line_no;
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.recurring_add(text,text,bigint,text,integer,date,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.recurring_add(text,text,bigint,text,integer,date,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.recurring_add(text,text,bigint,text,integer,date,date) TO bd_accountant;
