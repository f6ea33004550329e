-- ledger.post_from_source: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The ledger posting interface (issue 14): another module posts a balanced
-- entry from one of its source documents (payroll run, stock receipt...),
-- e.g. from its own approve function:
--   ledger.post_from_source('ACME', 'payroll.run', '2025-03', '2025-03-31',
--       'Payroll March', '[{"account":"6000","debit":"100.00"},
--                         {"account":"2100","credit":"100.00"}]', v_run.maker)
-- Lines are as ledger.entry_create takes them (account code or full name,
-- debit or credit, memo; a line without a currency is in the client's base
-- currency, one with "currency" and an optional "rate" in that currency:
-- see ledger.put_lines). Returns the entry_id.
--
-- Who approves: the source document, when its module approved it. A module
-- calls this from the function where a second person approves the document
-- (its maker differs from session_user, the checker), so the entry is
-- posted at once, numbered, with maker = the document's maker (p_maker) and
-- approver = the checker: both people are on the entry, as on a keyed one,
-- and the accountant does not approve the same facts twice. p_maker equal to
-- the caller is refused (nobody posts their own document unchecked).
-- Hence no operator may call it (EXECUTE granted to no role): only definer
-- functions, owned by bd_owner, reach it.
--
-- Idempotent per source: one entry per (client, source_kind, source_id).
-- Posting the same source again returns that entry; other content for it
-- (date, description, journal, maker or lines) is refused: correct a posted
-- document by reversal. Same guarantees as a keyed entry: open period,
-- balanced, the client's own active accounts, gapless number, immutable,
-- balances maintained (the entry goes from draft to posted through
-- ledger.entries' triggers, which check it as they check a keyed one; one
-- update, not two, since 082).

CREATE OR REPLACE FUNCTION ledger.post_from_source(p_client text, p_source_kind text, p_source_id text, p_date date, p_description text, p_lines jsonb, p_maker text, p_journal text DEFAULT 'GJ'::text)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_id bigint;
	v_journal text := upper(btrim(p_journal));
	v_description text := coalesce(btrim(p_description), '');
	e ledger.entries;
	v_have jsonb;
	v_want jsonb;
BEGIN
	cid := core.client_id_of(p_client);
	IF p_source_kind IS NULL OR p_source_kind !~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'
	   OR nullif(btrim(p_source_id), '') IS NULL THEN
		RAISE EXCEPTION 'A posting names its source document (module.kind and id)'
			USING ERRCODE = 'BD001';
	END IF;
	IF nullif(btrim(p_maker), '') IS NULL OR p_maker = session_user THEN
		RAISE EXCEPTION 'A source document is posted when someone other than its maker approves it'
			USING ERRCODE = 'BD002';
	END IF;
	PERFORM ledger.check_header('', v_description);
	IF NOT EXISTS (SELECT 1 FROM ledger.journals WHERE client_id = cid AND journal = v_journal) THEN
		RAISE EXCEPTION 'No journal %', coalesce(p_journal, '(none)') USING ERRCODE = 'BD004';
	END IF;
	INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, entry_date,
				    description, maker, source_kind, source_id)
	VALUES (cid, v_journal, 0, 0, p_date, v_description, p_maker, p_source_kind, p_source_id)
	ON CONFLICT (client_id, source_kind, source_id) WHERE source_kind IS NOT NULL DO NOTHING
	RETURNING entry_id INTO v_id;
	IF v_id IS NULL THEN
		-- posted before (or by a concurrent call, which ON CONFLICT waited for)
		SELECT * INTO STRICT e FROM ledger.entries
		WHERE client_id = cid AND source_kind = p_source_kind AND source_id = p_source_id;
		-- A line in another currency is compared in that currency and at
		-- its rate: the same amounts at another rate are other base amounts.
		-- A repeat that names no rate stands for the rate the first took.
		SELECT jsonb_agg(jsonb_build_array(l.account_id, coalesce(l.currency, ''),
			CASE WHEN l.currency IS NULL THEN l.debit ELSE greatest(l.amount, 0) END,
			CASE WHEN l.currency IS NULL THEN l.credit ELSE greatest(-l.amount, 0) END,
			l.memo, l.rate) ORDER BY l.line_no)
		INTO v_have
		FROM ledger.lines l
		WHERE l.client_id = cid AND l.entry_id = e.entry_id;
		BEGIN
			SELECT jsonb_agg(jsonb_build_array(
				(SELECT a.account_id FROM ledger.accounts a
				 WHERE a.client_id = cid AND (a.code = btrim(x.v ->> 'account')
							      OR a.full_name = btrim(x.v ->> 'account'))
				 ORDER BY a.code = btrim(x.v ->> 'account') DESC LIMIT 1),
				w.cur,
				coalesce(nullif(btrim(x.v ->> 'debit'), ''), '0')::numeric,
				coalesce(nullif(btrim(x.v ->> 'credit'), ''), '0')::numeric,
				coalesce(x.v ->> 'memo', ''),
				CASE WHEN w.cur <> '' THEN
					coalesce(nullif(btrim(x.v ->> 'rate'), '')::numeric, l.rate)
				END) ORDER BY x.n)
			INTO v_want
			FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS x(v, n)
			CROSS JOIN LATERAL (SELECT coalesce(nullif(upper(btrim(x.v ->> 'currency')),
								   ledger.base_currency(cid)), '') AS cur) w
			LEFT JOIN ledger.lines l
			  ON l.client_id = cid AND l.entry_id = e.entry_id AND l.line_no = x.n;
		EXCEPTION WHEN OTHERS THEN
			v_want := NULL;
		END;
		IF e.status <> 'posted' OR e.entry_date <> p_date OR e.description <> v_description
		   OR e.journal <> v_journal OR e.maker <> p_maker
		   OR v_want IS NULL OR v_have <> v_want THEN
			RAISE EXCEPTION '% % was posted before as entry % with other content; reverse that entry to correct it',
				p_source_kind, p_source_id, e.entry_id USING ERRCODE = 'BD003';
		END IF;
		RETURN e.entry_id;
	END IF;
	PERFORM ledger.put_lines(cid, v_id, p_lines);
	UPDATE ledger.entries SET status = 'posted' WHERE client_id = cid AND entry_id = v_id;
	-- The deferred balance check runs now, in this definer: at commit it
	-- would run as the caller (a payroll approver, a stock clerk), who may
	-- not read the ledger's lines, and must not. (Not a definer trigger:
	-- that would read the lines through the caller's assignments, and a
	-- superuser's direct write would go unchecked.)
	SET CONSTRAINTS ledger.lines_balanced IMMEDIATE;
	SET CONSTRAINTS ledger.lines_balanced DEFERRED;
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.post_from_source(text,text,text,date,text,jsonb,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.post_from_source(text,text,text,date,text,jsonb,text,text) FROM PUBLIC;
