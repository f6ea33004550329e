-- ledger.import_submit: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Ends the writing of an import batch: checks every line the importer
-- staged (ledger.import_lines, 087: the rows of the batch written by this
-- transaction, which made it) and sends the batch for approval, whole.
-- Set-based, in two passes over the staged lines: one over the lines (with
-- the accounts, currencies and journals joined by hash, and the open
-- periods as one multirange), one grouped by entry (only what an entry's
-- lines add up to):
--   each entry has lines 1..k (2 <= k <= 999) and its header on line 1
--   (date, journal there, reference at most 40 and description 200
--   printable characters) and balances in the base currency; each line's
--   account is the client's (and in the line's currency when the account
--   is held in one); its base amount is not zero and fits; a line in
--   another currency has a known currency, its amount there (same sign)
--   and the rate, amount * rate = base to the base currency's last
--   decimal; memos at most 200 printable characters; every date in an open
--   period; entries numbered 1..n.
-- No nested loops: the staged rows were written moments ago, and the
-- planner, which has no statistics of them and cannot tell how many carry
-- this transaction's xmin, guesses a handful and joins each to every
-- account (26 s for 200,000 transactions where hash joins take 1.4 s).
-- (One pass grouped by entry with every line's checks took longer: the
-- grouping carried the wide rows, 1.0 s of CPU for 200,000 transactions
-- where the two passes take 0.75 s. Parallel workers do not pay: the
-- planner, guessing a handful of rows, gathers every row to the leader.)
-- Only when something is wrong is the first wrong thing looked for (in
-- entry and line order) and named by file and line; the caller's
-- transaction then keeps nothing. Returns the batch's totals as the
-- checker will see them.

CREATE OR REPLACE FUNCTION ledger.import_submit(p_client text, p_batch_id bigint)
 RETURNS TABLE(batch_id bigint, entries integer, lines integer, total numeric, currency text, first_date date, last_date date, version bigint)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
 SET jit TO 'off'
 SET work_mem TO '256MB'
 SET max_parallel_workers_per_gather TO '0'
 SET enable_nestloop TO 'off'
AS $function$
DECLARE
	cid integer;
	b ledger.import_batches;
	v_xid xid;
	v_base text;
	v_bunits smallint;
	v_max bigint;
	v_n bigint;
	v_maxn bigint;
	v_lines bigint;
	v_total numeric;
	v_first date;
	v_last date;
	v_bad bigint;
	v_rowbad boolean;
	v_open datemultirange;
	v_msg text;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	b := ledger.import_batch_open(cid, p_batch_id);
	IF b.xact IS DISTINCT FROM pg_current_xact_id() THEN
		RAISE EXCEPTION 'Import % was begun by another transaction: import the file again',
			p_batch_id USING ERRCODE = 'BD002';
	END IF;
	v_xid := xid(b.xact);
	v_base := ledger.base_currency(cid);
	v_bunits := ledger.currency_units(v_base);
	v_max := least(1e16 * 10::numeric ^ v_bunits, 9e18)::bigint;

	-- every date in an open period: the open periods as one multirange
	v_open := coalesce((SELECT range_agg(daterange(p.start_date, p.end_date, '[]'))
			    FROM ledger.periods p WHERE p.client_id = cid AND p.state = 'open'),
			   '{}'::datemultirange);
	-- the lines
	SELECT count(*), max(s.n), coalesce(sum(greatest(s.base, 0)), 0), min(s.entry_date),
	       max(s.entry_date),
	       coalesce(bool_or(a.account_id IS NULL OR s.line_no < 1
		       OR (s.line_no = 1) <> (s.journal IS NOT NULL)
		       OR (s.line_no = 1
			   AND (j.journal IS NULL OR s.entry_date IS NULL OR s.reference IS NULL
				OR s.description IS NULL OR s.entry_line IS NULL
				OR length(s.reference) > 40 OR s.reference ~ '[[:cntrl:]]'
				OR length(s.description) > 200 OR s.description ~ '[[:cntrl:]]'))
		       OR (s.line_no > 1
			   AND (s.entry_date IS NOT NULL OR s.reference IS NOT NULL
				OR s.description IS NOT NULL OR s.entry_line IS NOT NULL))
		       OR (a.currency IS NOT NULL AND a.currency <> coalesce(s.currency, v_base))
		       OR s.base = 0 OR abs(s.base) >= v_max
		       OR (s.currency IS NULL AND (s.amount IS NOT NULL OR s.rate IS NOT NULL))
		       OR (s.currency IS NOT NULL
			   AND (c.code IS NULL OR s.currency = v_base OR s.amount IS NULL
				OR s.rate IS NULL OR s.rate <= 0 OR s.rate >= 1e12
				OR sign(s.amount) <> sign(s.base)
				OR abs(s.amount) >= 1e16 * 10::numeric ^ c.minor_units
				OR abs(s.base - s.amount * s.rate * 10::numeric ^ (v_bunits - c.minor_units)) >= 1))
		       OR (s.memo <> '' AND (length(s.memo) > 200 OR s.memo ~ '[[:cntrl:]]'))
		       OR (s.line_no = 1 AND NOT s.entry_date <@ v_open)), false)
	INTO v_lines, v_maxn, v_total, v_first, v_last, v_rowbad
	FROM ledger.import_lines s
	LEFT JOIN ledger.accounts a ON a.client_id = cid AND a.account_id = s.account_id
	LEFT JOIN ledger.currencies c ON c.code = s.currency
	LEFT JOIN ledger.journals j ON j.client_id = cid AND j.journal = s.journal
	WHERE s.batch_id = p_batch_id AND s.xmin = v_xid;
	-- the entries: lines 1..k, one header, balanced
	SELECT count(*),
	       count(*) FILTER (WHERE e.net <> 0 OR e.k < 2 OR e.k > 999 OR e.hi <> e.k
				OR e.heads <> 1 OR e.n < 1)
	INTO v_n, v_bad
	FROM (SELECT s.n, count(*) AS k, sum(s.base) AS net, max(s.line_no) AS hi,
		     count(s.journal) AS heads
	      FROM ledger.import_lines s
	      WHERE s.batch_id = p_batch_id AND s.xmin = v_xid
	      GROUP BY s.n) e;

	IF v_rowbad OR v_bad > 0 OR v_maxn IS DISTINCT FROM v_n THEN
		-- the first wrong thing, in entry and line order
		SELECT format('%s:%s: %s', coalesce(b.files[x.file_no], 'the import'), x.at, x.msg)
		INTO v_msg
		FROM (
			SELECT s.n, s.line_no, s.file_no, s.src_line AS at, CASE
				WHEN a.account_id IS NULL THEN format('no account %s', s.account_id)
				WHEN s.line_no < 1 OR (s.line_no = 1) <> (s.journal IS NOT NULL)
				     OR (s.line_no = 1 AND (s.entry_date IS NULL OR s.entry_line IS NULL))
				     OR (s.line_no > 1
					 AND (s.entry_date IS NOT NULL OR s.reference IS NOT NULL
					      OR s.description IS NOT NULL OR s.entry_line IS NOT NULL))
					THEN 'an entry''s date, journal, reference and description come with its first line'
				WHEN s.line_no = 1 AND j.journal IS NULL
					THEN format('no journal %s', s.journal)
				WHEN s.line_no = 1
				     AND (s.reference IS NULL OR s.description IS NULL
					  OR length(s.reference) > 40 OR s.reference ~ '[[:cntrl:]]'
					  OR length(s.description) > 200 OR s.description ~ '[[:cntrl:]]')
					THEN 'the reference is at most 40 and the description 200 printable characters'
				WHEN (s.currency IS NOT NULL AND (c.code IS NULL OR s.currency = v_base))
				     OR (s.currency IS NULL AND (s.amount IS NOT NULL OR s.rate IS NOT NULL))
					THEN format('%s is not a currency of a line in another currency than %s',
						    coalesce(s.currency, 'nothing'), v_base)
				WHEN a.currency IS NOT NULL AND a.currency <> coalesce(s.currency, v_base)
					THEN format('account %s is held in %s, not %s', a.full_name, a.currency,
						    coalesce(s.currency, v_base))
				WHEN s.base = 0 OR abs(s.base) >= v_max
					THEN format('the amount of %s in %s is nothing or too large',
						    a.full_name, v_base)
				WHEN s.currency IS NOT NULL
				     AND (s.amount IS NULL OR s.rate IS NULL OR s.rate <= 0 OR s.rate >= 1e12
					  OR sign(s.amount) <> sign(s.base)
					  OR abs(s.amount) >= 1e16 * 10::numeric ^ c.minor_units
					  OR abs(s.base - s.amount * s.rate * 10::numeric ^ (v_bunits - c.minor_units)) >= 1)
					THEN format('%s %s at %s is not %s %s',
						    round(s.amount * 10::numeric ^ -c.minor_units, c.minor_units),
						    s.currency, s.rate,
						    round(s.base * 10::numeric ^ -v_bunits, v_bunits), v_base)
				WHEN s.memo <> '' AND (length(s.memo) > 200 OR s.memo ~ '[[:cntrl:]]')
					THEN 'a memo is at most 200 printable characters'
				END AS msg
			FROM ledger.import_lines s
			LEFT JOIN ledger.accounts a ON a.client_id = cid AND a.account_id = s.account_id
			LEFT JOIN ledger.currencies c ON c.code = s.currency
			LEFT JOIN ledger.journals j ON j.client_id = cid AND j.journal = s.journal
			WHERE s.batch_id = p_batch_id AND s.xmin = v_xid
			UNION ALL
			SELECT e.n, 0, f.file_no, f.at, CASE
				WHEN e.k < 2 THEN 'an entry needs at least two lines with amounts'
				WHEN e.k > 999 THEN 'an entry has at most 999 lines'
				WHEN e.hi <> e.k OR e.heads <> 1
					THEN 'the entry''s lines are not numbered 1 to its last'
				WHEN e.net <> 0 THEN format('the entry does not balance in %s: debits %s, credits %s',
							   v_base, round(e.dr * 10::numeric ^ -v_bunits, v_bunits),
							   round((e.dr - e.net) * 10::numeric ^ -v_bunits, v_bunits))
				WHEN p.state IS NULL THEN format('no fiscal period covers %s', e.d)
				WHEN p.state <> 'open' THEN format('the period of %s is %s', e.d, p.state)
				WHEN e.n < 1 OR e.n > v_n THEN 'the entries are not numbered 1 to their last'
				END
			FROM (SELECT s.n, count(*) AS k, sum(s.base) AS net, sum(greatest(s.base, 0)) AS dr,
				     max(s.line_no) AS hi, count(s.journal) AS heads, min(s.entry_date) AS d
			      FROM ledger.import_lines s
			      WHERE s.batch_id = p_batch_id AND s.xmin = v_xid
			      GROUP BY s.n) e
			CROSS JOIN LATERAL (SELECT s.file_no, coalesce(s.entry_line, s.src_line) AS at
					    FROM ledger.import_lines s
					    WHERE s.batch_id = p_batch_id AND s.xmin = v_xid AND s.n = e.n
					    ORDER BY s.line_no LIMIT 1) f
			LEFT JOIN LATERAL (SELECT p.state FROM ledger.periods p
					   WHERE p.client_id = cid AND p.start_date <= e.d
					     AND p.end_date >= e.d
					   LIMIT 1) p ON true
		) x
		WHERE x.msg IS NOT NULL
		ORDER BY x.n, x.line_no
		LIMIT 1;
		RAISE EXCEPTION '%', coalesce(v_msg, format('Import %s: its lines are not a whole import',
							    p_batch_id))
			USING ERRCODE = 'BD001';
	END IF;
	IF v_n = 0 THEN
		RAISE EXCEPTION 'The import holds no entries' USING ERRCODE = 'BD001';
	END IF;
	IF v_n > 2147483647 OR v_lines > 2147483647 THEN
		RAISE EXCEPTION 'An import holds at most 2147483647 entries and lines' USING ERRCODE = 'BD001';
	END IF;
	UPDATE ledger.import_batches x
	SET status = 'submitted', submitted_at = now(), entries = v_n, lines = v_lines,
	    total = round(v_total * 10::numeric ^ -v_bunits, v_bunits), first_date = v_first, last_date = v_last
	WHERE x.client_id = cid AND x.batch_id = p_batch_id
	RETURNING * INTO b;
	PERFORM ledger.notify_approvals(cid);
	RETURN QUERY SELECT b.batch_id, b.entries, b.lines, b.total, ledger.base_currency(cid),
			    b.first_date, b.last_date, b.version;
END
$function$;
ALTER FUNCTION ledger.import_submit(text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_submit(text,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.import_submit(text,bigint) TO bd_accountant;
