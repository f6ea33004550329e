-- ledger.import_approve: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Posts a whole import batch (the approvals registry's approve function of
-- kind ledger.import; approvals.approve checks maker and version first, and
-- this again under the batch's row lock). Its lines wait in
-- ledger.import_lines (087: the rows the transaction that made the batch
-- wrote), checked when the batch was submitted; this
-- re-checks what may have changed since (every period still open, locked
-- FOR SHARE as a single posting locks its own; every account active and in
-- the same currency), then writes the entries and the lines, posted, in one
-- INSERT ... SELECT per table (their row triggers skip a batch's rows:
-- ledger.import_entries_check and ledger.lines_batch_check check each
-- statement whole), numbered without gaps per journal and year in date
-- order after what each counter holds, adds the balance rows in one
-- statement and deletes the staged lines. Returns what was posted.
-- No nested loops: the staged rows were written moments ago, before any
-- ANALYZE saw them, and a plan that guesses one row per side numbered
-- 100,000 entries in minutes (seen in CI) where hash joins take seconds.

CREATE OR REPLACE FUNCTION ledger.import_approve(p_client text, p_id bigint, p_version bigint)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
 SET jit TO 'off'
 SET enable_nestloop TO 'off'
 SET work_mem TO '256MB'
AS $function$
DECLARE
	cid integer;
	b ledger.import_batches;
	v_base text;
	v_bad text;
	v_stripe smallint;
	v_n integer;
	v_days date[];
	v_fy smallint[];
	v_pn smallint[];
	v_ids bigint[];
	v_seq regclass := pg_get_serial_sequence('ledger.entries', 'entry_id')::regclass;
	v_xid xid;
	v_unit numeric;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	SELECT * INTO b FROM ledger.import_batches
	WHERE client_id = cid AND batch_id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No import %', p_id USING ERRCODE = 'BD004';
	END IF;
	IF b.status <> 'submitted' THEN
		RAISE EXCEPTION 'Import % is %, not waiting for approval', p_id, b.status
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Import %s', p_id), p_version, b.version);
	IF b.maker = session_user THEN
		RAISE EXCEPTION 'You cannot approve your own import: another accountant must'
			USING ERRCODE = 'BD002';
	END IF;
	v_base := ledger.base_currency(cid);
	-- its lines: the rows written by the transaction that made it (087)
	v_xid := xid(b.xact);
	v_unit := round(10::numeric ^ -ledger.currency_units(v_base), ledger.currency_units(v_base));

	-- The entries' dates and their periods, locked, all still open.
	SELECT array_agg(d.entry_date ORDER BY d.entry_date) INTO v_days
	FROM (SELECT DISTINCT s.entry_date FROM ledger.import_lines s
	      WHERE s.batch_id = p_id AND s.xmin = v_xid AND s.line_no = 1) d;
	PERFORM 1 FROM ledger.periods p
	WHERE p.client_id = cid
	  AND EXISTS (SELECT 1 FROM unnest(v_days) d
		      WHERE d BETWEEN p.start_date AND p.end_date)
	ORDER BY p.fiscal_year, p.period_no
	FOR SHARE;
	SELECT (array_agg(CASE WHEN p.state IS NULL THEN format('no fiscal period covers %s', d.d)
			       ELSE format('period %s/%s is %s', p.period_no, p.fiscal_year, p.state)
			  END ORDER BY d.d) FILTER (WHERE p.state IS DISTINCT FROM 'open'))[1],
	       array_agg(p.fiscal_year ORDER BY d.d), array_agg(p.period_no ORDER BY d.d)
	INTO v_bad, v_fy, v_pn
	FROM unnest(v_days) d(d)
	LEFT JOIN LATERAL (SELECT p.* FROM ledger.periods p
			   WHERE p.client_id = cid AND p.start_date <= d.d AND p.end_date >= d.d
			   LIMIT 1) p ON true;
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'Import % cannot be posted: %', p_id, v_bad USING ERRCODE = 'BD002';
	END IF;
	SELECT string_agg(DISTINCT a.full_name, ', ') INTO v_bad
	FROM (SELECT DISTINCT s.account_id, coalesce(s.currency, v_base) AS cur
	      FROM ledger.import_lines s WHERE s.batch_id = p_id AND s.xmin = v_xid) l
	JOIN ledger.accounts a ON a.client_id = cid AND a.account_id = l.account_id
	WHERE NOT a.active OR a.currency <> l.cur;
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'Import % cannot be posted: account % is inactive or in another currency',
			p_id, v_bad USING ERRCODE = 'BD001';
	END IF;

	-- Numbers: lock each counter the batch uses (creating it).
	INSERT INTO ledger.journal_counters (client_id, journal, fiscal_year, last_no)
	SELECT DISTINCT cid, s.journal, d.fy, 0
	FROM ledger.import_lines s
	JOIN unnest(v_days, v_fy) d(entry_date, fy) ON d.entry_date = s.entry_date
	WHERE s.batch_id = p_id AND s.xmin = v_xid AND s.line_no = 1
	ON CONFLICT DO NOTHING;
	PERFORM 1 FROM ledger.journal_counters c
	WHERE c.client_id = cid
	  AND (c.journal, c.fiscal_year) IN (SELECT DISTINCT s.journal, d.fy
					     FROM ledger.import_lines s
					     JOIN unnest(v_days, v_fy) d(entry_date, fy)
					       ON d.entry_date = s.entry_date
					     WHERE s.batch_id = p_id AND s.xmin = v_xid
					       AND s.line_no = 1)
	ORDER BY c.journal, c.fiscal_year
	FOR UPDATE;

	-- The entries' ids, in the order of the file (entry n gets v_ids[n]).
	v_ids := ARRAY(SELECT nextval(v_seq) FROM generate_series(1, b.entries));
	INSERT INTO ledger.entries (client_id, entry_id, journal, fiscal_year, period_no, entry_date,
				    reference, description, status, batch_id, maker, created_at,
				    submitted_at, entry_no, approver, posted_at)
	OVERRIDING SYSTEM VALUE
	SELECT cid, i.entry_id, s.journal, d.fy, d.pn, s.entry_date, s.reference, s.description,
	       'posted', p_id, b.maker, b.created_at, b.submitted_at,
	       c.last_no + row_number() OVER (PARTITION BY s.journal, d.fy
					      ORDER BY s.entry_date, s.n),
	       session_user, now()
	FROM ledger.import_lines s
	JOIN unnest(v_ids) WITH ORDINALITY i(entry_id, n) ON i.n = s.n
	JOIN unnest(v_days, v_fy, v_pn) d(entry_date, fy, pn) ON d.entry_date = s.entry_date
	JOIN ledger.journal_counters c ON c.client_id = cid AND c.journal = s.journal
				       AND c.fiscal_year = d.fy
	WHERE s.batch_id = p_id AND s.xmin = v_xid AND s.line_no = 1
	ORDER BY i.entry_id;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n <> b.entries THEN
		RAISE EXCEPTION 'Import % holds % entries, not the % it was submitted with',
			p_id, v_n, b.entries USING ERRCODE = 'BD002';
	END IF;
	-- The lines' foreign key checks look their entries up one by one with a
	-- plan made from the statistics of ledger.entries. Where those know
	-- fewer entries than this batch adds (a young database), the planner
	-- may take any index that starts with client_id (the reversals', say)
	-- and read all of the client's entries for each line: minutes for
	-- 100,000 entries. So they are brought up to date first.
	IF (SELECT c.reltuples FROM pg_class c WHERE c.oid = 'ledger.entries'::regclass) < 2 * b.entries THEN
		ANALYZE ledger.entries;
	END IF;
	-- (a line's date is its entry's, which comes with the entry's first line)
	INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, memo,
				  entry_date, currency, amount, rate, batch_id)
	SELECT cid, i.entry_id, s.line_no, s.account_id, greatest(s.base, 0) * v_unit,
	       greatest(-s.base, 0) * v_unit, s.memo, h.entry_date, s.currency,
	       s.amount * round(10::numeric ^ -c.minor_units, c.minor_units), s.rate, p_id
	FROM ledger.import_lines s
	JOIN unnest(v_ids) WITH ORDINALITY i(entry_id, n) ON i.n = s.n
	JOIN ledger.import_lines h ON h.batch_id = p_id AND h.xmin = v_xid AND h.line_no = 1
				   AND h.n = s.n
	LEFT JOIN ledger.currencies c ON c.code = s.currency
	WHERE s.batch_id = p_id AND s.xmin = v_xid
	ORDER BY i.entry_id, s.line_no;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n <> b.lines THEN
		RAISE EXCEPTION 'Import % holds % lines, not the % it was submitted with',
			p_id, v_n, b.lines USING ERRCODE = 'BD002';
	END IF;
	UPDATE ledger.journal_counters c SET last_no = c.last_no + x.k
	FROM (SELECT e.journal, e.fiscal_year, count(*) AS k FROM ledger.entries e
	      WHERE e.client_id = cid AND e.batch_id = p_id GROUP BY e.journal, e.fiscal_year) x
	WHERE c.client_id = cid AND c.journal = x.journal AND c.fiscal_year = x.fiscal_year;

	-- Balances, on a stripe of this transaction's own (as entries_balances).
	SELECT l.scope INTO v_stripe FROM core.locks l
	WHERE l.name = 'ledger.balances' AND l.scope BETWEEN 0 AND 15
	ORDER BY (l.scope - pg_backend_pid() % 16 + 16) % 16
	LIMIT 1 FOR UPDATE SKIP LOCKED;
	v_stripe := coalesce(v_stripe, (pg_backend_pid() % 16)::smallint);
	INSERT INTO ledger.balances AS bal (client_id, grain, bucket, account_id, stripe, debit, credit)
	SELECT cid, g.grain, g.bucket, s.account_id, v_stripe, sum(greatest(s.base, 0)) * v_unit,
	       sum(greatest(-s.base, 0)) * v_unit
	FROM ledger.import_lines s
	JOIN ledger.import_lines h ON h.batch_id = p_id AND h.xmin = v_xid AND h.line_no = 1
				   AND h.n = s.n
	CROSS JOIN LATERAL (VALUES ('d'::"char", h.entry_date),
				   ('m'::"char", date_trunc('month', h.entry_date::timestamp)::date),
				   ('y'::"char", date_trunc('year', h.entry_date::timestamp)::date)) g(grain, bucket)
	WHERE s.batch_id = p_id AND s.xmin = v_xid
	GROUP BY g.grain, g.bucket, s.account_id
	ORDER BY g.grain, g.bucket, s.account_id
	ON CONFLICT (client_id, grain, bucket, account_id, stripe) DO UPDATE
	SET debit = bal.debit + EXCLUDED.debit, credit = bal.credit + EXCLUDED.credit;

	-- the staged lines go, with any row written under the batch's number
	-- by another transaction (never read)
	DELETE FROM ledger.import_lines s WHERE s.batch_id = p_id;
	UPDATE ledger.import_batches SET status = 'posted', approver = session_user, decided_at = now()
	WHERE client_id = cid AND batch_id = p_id;
	PERFORM ledger.notify_approvals(cid);
	RETURN format('%s entries posted', b.entries);
END
$function$;
ALTER FUNCTION ledger.import_approve(text,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_approve(text,bigint,bigint) FROM PUBLIC;
