-- ledger.import_add: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Adds a chunk of entries to an open import batch, set-based:
--   p_entries [{"n": 1, "date": "2025-01-31", "journal": "GJ", "reference": "",
--               "description": "", "where": "FILE:LINE"}, ...]
--   p_lines   [{"n": 1, "account": full name or code, "base": "-11.00",
--               "currency": "EUR" or null, "amount": "-10.00", "rate": "1.1",
--               "memo": ""}, ...]
-- n ties a line to its entry (unique in the chunk); base is the line's
-- signed amount in the base currency (debit positive); a line in another
-- currency also has its amount there and the rate, with base = amount * rate
-- to the base currency's last decimal. Every refusal names the entry's
-- "where". The entries go in submitted, for one approval of the batch.
-- Nested loops are off while the chunk is checked: the planner takes
-- unnest() of a variable for 100 rows and would join a chunk's lines to its
-- entries in n * m steps; they are back on for the writes, whose checks
-- (foreign keys, ledger.lines_batch_check) probe indexes.

CREATE OR REPLACE FUNCTION ledger.import_add(p_client text, p_batch_id bigint, p_entries jsonb, p_lines jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
 SET jit TO 'off'
AS $function$
DECLARE
	cid integer;
	b ledger.import_batches;
	v_base text;
	v_bunits smallint;
	v_w text;
	v_msg text;
	v_n integer;
	v_lines integer;
	v_total numeric;
	v_first date;
	v_last date;
	v_e ledger.import_entry[];
	v_l ledger.import_line[];
	v_nestloop text := current_setting('enable_nestloop');
	v_seq regclass := pg_get_serial_sequence('ledger.entries', 'entry_id')::regclass;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	b := ledger.import_batch_open(cid, p_batch_id);
	v_base := ledger.base_currency(cid);
	v_bunits := ledger.currency_units(v_base);
	IF jsonb_typeof(p_entries) IS DISTINCT FROM 'array' OR jsonb_typeof(p_lines) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'The entries and lines must be lists' USING ERRCODE = 'BD001';
	END IF;
	PERFORM set_config('enable_nestloop', 'off', true);

	BEGIN
		v_e := ARRAY(
			SELECT ROW(x.n, x.date, upper(coalesce(nullif(btrim(x.journal), ''), 'GJ')),
				   coalesce(btrim(x.reference), ''), coalesce(btrim(x.description), ''),
				   coalesce(x."where", ''), NULL, NULL, NULL, NULL)::ledger.import_entry
			FROM jsonb_to_recordset(p_entries)
			     AS x(n integer, date date, journal text, reference text, description text,
				  "where" text));
		v_l := ARRAY(
			SELECT ROW(x.n, row_number() OVER (PARTITION BY x.n ORDER BY x.o), x.account,
				   x.base, nullif(upper(x.currency), v_base),
				   CASE WHEN nullif(upper(x.currency), v_base) IS NOT NULL THEN x.amount END,
				   CASE WHEN nullif(upper(x.currency), v_base) IS NOT NULL THEN x.rate END,
				   coalesce(x.memo, ''), NULL, NULL, NULL)::ledger.import_line
			FROM ROWS FROM (jsonb_to_recordset(p_lines)
					AS (n integer, account text, base numeric, currency text,
					    amount numeric, rate numeric, memo text))
			     WITH ORDINALITY AS x(n, account, base, currency, amount, rate, memo, o));
	EXCEPTION WHEN invalid_text_representation OR invalid_datetime_format
		  OR datetime_field_overflow OR numeric_value_out_of_range THEN
		RAISE EXCEPTION 'The import''s data is not dates and numbers: %', SQLERRM
			USING ERRCODE = 'BD001';
	END;

	-- Headers: text, dates in open periods, journals.
	SELECT w, format('the reference is at most 40 and the description 200 printable characters')
	INTO v_w, v_msg FROM unnest(v_e)
	WHERE length(reference) > 40 OR reference ~ '[[:cntrl:]]' OR length(description) > 200
	   OR description ~ '[[:cntrl:]]' OR entry_date IS NULL OR n IS NULL
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION '%: %', v_w, v_msg USING ERRCODE = 'BD001';
	END IF;
	v_e := ARRAY(
		SELECT ROW(i.n, i.entry_date, i.journal, i.reference, i.description, i.w,
			   nextval(v_seq),
			   p.fiscal_year, p.period_no, p.state)::ledger.import_entry
		FROM unnest(v_e) i
		LEFT JOIN ledger.periods p
		       ON p.client_id = cid AND p.start_date <= i.entry_date AND p.end_date >= i.entry_date
		ORDER BY i.n);
	SELECT w, CASE WHEN state IS NULL THEN format('no fiscal period covers %s', entry_date)
		       ELSE format('the period of %s is %s', entry_date, state) END
	INTO v_w, v_msg FROM unnest(v_e) WHERE state IS DISTINCT FROM 'open'
	ORDER BY n LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION '%: %', v_w, v_msg USING ERRCODE = 'BD002';
	END IF;
	SELECT i.w, i.journal INTO v_w, v_msg FROM unnest(v_e) i
	WHERE NOT EXISTS (SELECT 1 FROM ledger.journals j
			  WHERE j.client_id = cid AND j.journal = i.journal)
	ORDER BY i.n LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION '%: no journal %', v_w, v_msg USING ERRCODE = 'BD004';
	END IF;

	-- Lines: accounts, currencies, amounts, the balance of each entry.
	v_l := ARRAY(
		SELECT ROW(l.n, l.line_no, l.account, l.base, l.currency, l.amount, l.rate, l.memo,
			   coalesce(a.account_id, ac.account_id), coalesce(a.currency, ac.currency),
			   c.minor_units)::ledger.import_line
		FROM unnest(v_l) l
		LEFT JOIN ledger.accounts a ON a.client_id = cid AND a.full_name = l.account
		LEFT JOIN ledger.accounts ac ON a.account_id IS NULL AND ac.client_id = cid
						AND ac.code = l.account
		LEFT JOIN ledger.currencies c ON c.code = coalesce(l.currency, v_base));
	SELECT e.w, CASE
		WHEN l.account_id IS NULL THEN format('no account %s', l.account)
		WHEN l.units IS NULL THEN format('%s is not a currency', l.currency)
		WHEN l.held IS NOT NULL AND l.held <> coalesce(l.currency, v_base)
			THEN format('account %s is held in %s, not %s', l.account, l.held,
				    coalesce(l.currency, v_base))
		WHEN l.base IS NULL OR l.base = 0 OR abs(l.base) >= 1e16 OR l.base <> round(l.base, v_bunits)
			THEN format('the amount of %s in %s is nothing or not a sum of money', l.account, v_base)
		WHEN l.currency IS NOT NULL AND (l.amount IS NULL OR l.rate IS NULL OR l.rate <= 0
						 OR l.rate >= 1e12 OR sign(l.amount) <> sign(l.base)
						 OR l.amount <> round(l.amount, l.units)
						 OR abs(l.base - l.amount * l.rate) >= power(10::numeric, -v_bunits))
			THEN format('%s %s at %s is not %s %s', l.amount, l.currency, l.rate, l.base, v_base)
		WHEN length(l.memo) > 200 OR l.memo ~ '[[:cntrl:]]'
			THEN 'a memo is at most 200 printable characters'
		ELSE 'the line is not part of an entry' END
	INTO v_w, v_msg
	FROM unnest(v_l) l LEFT JOIN unnest(v_e) e ON e.n = l.n
	WHERE l.account_id IS NULL OR l.units IS NULL OR e.n IS NULL
	   OR (l.held IS NOT NULL AND l.held <> coalesce(l.currency, v_base))
	   OR l.base IS NULL OR l.base = 0 OR abs(l.base) >= 1e16 OR l.base <> round(l.base, v_bunits)
	   OR (l.currency IS NOT NULL AND (l.amount IS NULL OR l.rate IS NULL OR l.rate <= 0
					   OR l.rate >= 1e12 OR sign(l.amount) <> sign(l.base)
					   OR l.amount <> round(l.amount, l.units)
					   OR abs(l.base - l.amount * l.rate) >= power(10::numeric, -v_bunits)))
	   OR length(l.memo) > 200 OR l.memo ~ '[[:cntrl:]]'
	ORDER BY l.n, l.line_no LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION '%: %', coalesce(v_w, 'the import'), v_msg USING ERRCODE = 'BD001';
	END IF;
	SELECT e.w, format('the entry does not balance in %s: debits %s, credits %s', v_base,
			   s.dr, s.cr)
	INTO v_w, v_msg
	FROM (SELECT i.n, count(l.n) AS c, coalesce(sum(greatest(l.base, 0)), 0) AS dr,
		     coalesce(sum(greatest(-l.base, 0)), 0) AS cr
	      FROM unnest(v_e) i LEFT JOIN unnest(v_l) l ON l.n = i.n GROUP BY i.n) s
	JOIN unnest(v_e) e ON e.n = s.n
	WHERE s.dr <> s.cr OR s.c < 2 OR s.c > 999
	ORDER BY s.n LIMIT 1;
	IF FOUND THEN
		IF v_msg LIKE '%debits 0, credits 0' THEN
			v_msg := 'an entry needs at least two lines with amounts';
		END IF;
		RAISE EXCEPTION '%: %', v_w, v_msg USING ERRCODE = 'BD001';
	END IF;

	-- Write (the ids were drawn above, so that lines find their entry by n).
	PERFORM set_config('enable_nestloop', v_nestloop, true);
	-- (checked per statement by ledger.import_entries_check, not row by row)
	INSERT INTO ledger.entries (client_id, entry_id, journal, fiscal_year, period_no, entry_date,
				    reference, description, status, batch_id, maker, created_at,
				    submitted_at)
	OVERRIDING SYSTEM VALUE
	SELECT cid, i.entry_id, i.journal, i.fiscal_year, i.period_no, i.entry_date, i.reference,
	       i.description, 'submitted', p_batch_id, session_user, now(), now()
	FROM unnest(v_e) i ORDER BY i.entry_id;
	INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, memo,
				  entry_date, currency, amount, rate, batch_id)
	SELECT cid, i.entry_id, l.line_no, l.account_id, greatest(l.base, 0), greatest(-l.base, 0),
	       l.memo, i.entry_date, l.currency, l.amount, l.rate, p_batch_id
	FROM unnest(v_l) l JOIN unnest(v_e) i ON i.n = l.n
	ORDER BY i.entry_id, l.line_no;

	SELECT count(*), min(entry_date), max(entry_date) INTO v_n, v_first, v_last FROM unnest(v_e);
	SELECT count(*), coalesce(sum(greatest(base, 0)), 0) INTO v_lines, v_total FROM unnest(v_l);
	UPDATE ledger.import_batches
	SET entries = entries + v_n, lines = lines + v_lines, total = total + v_total,
	    first_date = least(first_date, v_first), last_date = greatest(last_date, v_last)
	WHERE client_id = cid AND batch_id = p_batch_id;
	RETURN v_n;
END
$function$;
ALTER FUNCTION ledger.import_add(text,bigint,jsonb,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_add(text,bigint,jsonb,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.import_add(text,bigint,jsonb,jsonb) TO bd_accountant;
