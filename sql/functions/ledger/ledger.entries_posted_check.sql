-- ledger.entries_posted_check: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- AFTER INSERT ON ledger.entries, once per statement (089): the entries a
-- statement writes posted (source postings, ledger.entries_insert; not an
-- import's, which ledger.import_entries_check checks) must have their
-- lines by the statement's end, so they are written in one statement with
-- their lines (ledger.post_source_lines: the entry in a WITH, its lines in
-- the INSERT). Each needs at least two lines with amounts, balances in the
-- base currency, its lines dated as the entry and on active accounts (the
-- checks entries_update makes when an entry is approved). Then the
-- balances of all of them in one upsert, on this transaction's stripe, in
-- key order. ledger.lines_posted_check refuses any later line of a posted
-- entry. Every writer goes through it: the superuser's direct INSERT too.
CREATE OR REPLACE FUNCTION ledger.entries_posted_check()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	v_id bigint;
	v_n bigint;
	v_dr numeric;
	v_cr numeric;
	v_inactive text;
	v_dated boolean;
	v_stripe smallint;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM new_entries WHERE status = 'posted' AND batch_id IS NULL) THEN
		RETURN NULL;
	END IF;
	SELECT e.entry_id, count(l.line_no), coalesce(sum(l.debit), 0), coalesce(sum(l.credit), 0),
	       string_agg(DISTINCT a.code, ', ') FILTER (WHERE NOT a.active),
	       coalesce(bool_or(l.entry_date <> e.entry_date), false)
	INTO v_id, v_n, v_dr, v_cr, v_inactive, v_dated
	FROM new_entries e
	LEFT JOIN ledger.lines l ON l.client_id = e.client_id AND l.entry_id = e.entry_id
	LEFT JOIN ledger.accounts a ON a.client_id = l.client_id AND a.account_id = l.account_id
	WHERE e.status = 'posted' AND e.batch_id IS NULL
	GROUP BY e.entry_id
	HAVING count(l.line_no) < 2 OR coalesce(sum(l.debit), 0) = 0
	    OR sum(l.debit) <> sum(l.credit) OR bool_or(NOT a.active)
	    OR bool_or(l.entry_date <> e.entry_date)
	LIMIT 1;
	IF FOUND THEN
		IF v_n < 2 OR v_dr = 0 THEN
			RAISE EXCEPTION 'Entry % needs at least two lines with amounts', v_id
				USING ERRCODE = 'BD001';
		ELSIF v_dr <> v_cr THEN
			RAISE EXCEPTION 'Entry % does not balance: debits %, credits %', v_id, v_dr, v_cr
				USING ERRCODE = 'BD001';
		ELSIF v_inactive IS NOT NULL THEN
			RAISE EXCEPTION 'Account % is inactive', v_inactive USING ERRCODE = 'BD001';
		END IF;
		RAISE EXCEPTION 'Entry %: its lines are not dated as the entry', v_id
			USING ERRCODE = 'BD002';
	END IF;
	v_stripe := ledger.balance_stripe();
	INSERT INTO ledger.balances AS b (client_id, grain, bucket, account_id, stripe, debit,
					  credit)
	SELECT l.client_id, g.grain, g.bucket, l.account_id, v_stripe, sum(l.debit),
	       sum(l.credit)
	FROM new_entries e
	JOIN ledger.lines l ON l.client_id = e.client_id AND l.entry_id = e.entry_id
	CROSS JOIN LATERAL (VALUES ('d'::"char", e.entry_date),
				   ('m'::"char", date_trunc('month', e.entry_date::timestamp)::date),
				   ('y'::"char", date_trunc('year', e.entry_date::timestamp)::date)) g(grain, bucket)
	WHERE e.status = 'posted' AND e.batch_id IS NULL
	GROUP BY l.client_id, g.grain, g.bucket, l.account_id
	ORDER BY l.client_id, g.grain, g.bucket, l.account_id
	ON CONFLICT (client_id, grain, bucket, account_id, stripe) DO UPDATE
	SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;
	RETURN NULL;
END
$function$;
ALTER FUNCTION ledger.entries_posted_check() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entries_posted_check() FROM PUBLIC;
