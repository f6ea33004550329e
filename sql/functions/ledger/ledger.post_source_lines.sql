-- ledger.post_source_lines: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The posting interface (ledger.post_from_source) in set form, for a
-- module's definer function that has its lines as numbers already (the
-- stock moves, 086): the entry of source p_source_kind/p_source_id, in the
-- client's base currency, lines p_accounts (codes), p_debits, p_credits,
-- written posted with all its lines in one statement (089: the lines
-- first, then the entry) instead of parsing and inserting line by line,
-- then updating it to posted. The ledger's triggers check it (open period,
-- held; balanced; the client's own active accounts; gapless number;
-- balances: ledger.entries_insert, ledger.lines_before_entry): its lines
-- (with_entry) have no deferred check left.
--
-- p_entry_id: an id the caller took from ledger.entries_entry_id_seq, so
-- it can record the entry before posting it and post last (the journal
-- counter the numbering takes is then held only until its commit), or
-- NULL for a new one. Returns the entry_id, or NULL having written
-- nothing when an account is not the client's active account in the base
-- currency, an amount has more decimals than the base currency or the
-- maker is the caller: the caller then posts through post_from_source,
-- which says why. Granted to no one: only definer functions owned by
-- bd_owner reach it. No SET clause (it costs a configuration save and
-- restore per call): every name is schema-qualified.
CREATE OR REPLACE FUNCTION ledger.post_source_lines(p_client_id integer, p_entry_id bigint, p_source_kind text, p_source_id text, p_date date, p_description text, p_maker text, p_journal text, p_accounts text[], p_debits numeric[], p_credits numeric[])
 RETURNS bigint
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_id bigint;
	v_ids integer[];
	v_ok boolean;
BEGIN
	IF nullif(btrim(p_maker), '') IS NULL OR p_maker = session_user
	   OR cardinality(p_accounts) < 2 OR cardinality(p_accounts) <> cardinality(p_debits)
	   OR cardinality(p_accounts) <> cardinality(p_credits) THEN
		RETURN NULL;
	END IF;
	-- the accounts, each the client's, active, in the base currency, and
	-- the amounts in the base currency's units (ledger.put_lines' checks)
	SELECT array_agg(a.account_id ORDER BY x.n),
	       count(a.account_id) = cardinality(p_accounts)
	       AND coalesce(bool_and(a.active AND coalesce(a.currency, u.cur) = u.cur
				     AND x.dr = round(x.dr, u.units) AND x.cr = round(x.cr, u.units)),
			    false)
	INTO v_ids, v_ok
	FROM (SELECT b.cur, (SELECT c.minor_units FROM ledger.currencies c WHERE c.code = b.cur) AS units
	      FROM (SELECT coalesce((SELECT bk.base_currency FROM ledger.books bk
				     WHERE bk.client_id = p_client_id), 'USD') AS cur) b) u
	CROSS JOIN unnest(p_accounts, p_debits, p_credits) WITH ORDINALITY x(code, dr, cr, n)
	-- lateral: an index probe per line, never a scan of the chart
	LEFT JOIN LATERAL (SELECT ac.account_id, ac.active, ac.currency FROM ledger.accounts ac
			   WHERE ac.client_id = p_client_id AND ac.code = x.code) a ON true;
	IF NOT coalesce(v_ok, false) THEN
		RETURN NULL;
	END IF;
	-- One statement: the lines (with_entry), then the entry written posted,
	-- which ledger.entries_insert checks with its lines, adds to the
	-- balances and numbers last (089).
	v_id := coalesce(p_entry_id, nextval('ledger.entries_entry_id_seq'));
	WITH l AS (
		INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, memo,
					  entry_date, with_entry)
		SELECT p_client_id, v_id, x.n, x.account_id, x.dr, x.cr, '', p_date, true
		FROM unnest(v_ids, p_debits, p_credits) WITH ORDINALITY x(account_id, dr, cr, n)
		RETURNING 1)
	INSERT INTO ledger.entries (client_id, entry_id, journal, fiscal_year, period_no, entry_date,
				    description, maker, source_kind, source_id, status)
	OVERRIDING SYSTEM VALUE
	SELECT p_client_id, v_id, p_journal, 0, 0, p_date, coalesce(btrim(p_description), ''),
	       p_maker, p_source_kind, p_source_id, 'posted'
	FROM (SELECT count(*) FROM l) x;
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.post_source_lines(integer,bigint,text,text,date,text,text,text,text[],numeric[],numeric[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.post_source_lines(integer,bigint,text,text,date,text,text,text,text[],numeric[],numeric[]) FROM PUBLIC;
