-- ledger.revalue: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The period-end revaluation of foreign-currency balances, as an entry
-- submitted for approval (journal GJ, dated p_date): for each account and
-- currency other than the base, the balance in that currency at p_date
-- (posted lines) at the rate held for p_date, less its base balance, is
-- a line on the account (in that currency, amount 0, the rate used) with
-- the opposite line on p_gain_loss (an account's full name or code), one
-- per currency. Returns the entry id, or NULL when nothing is off.

CREATE OR REPLACE FUNCTION ledger.revalue(p_client text, p_date date, p_gain_loss text)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_base text;
	v_bunits smallint;
	v_gl ledger.accounts;
	v_id bigint;
	r record;
	n integer := 0;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	v_base := ledger.base_currency(cid);
	v_bunits := ledger.currency_units(v_base);
	SELECT * INTO v_gl FROM ledger.accounts
	WHERE client_id = cid AND (full_name = btrim(p_gain_loss) OR code = btrim(p_gain_loss))
	ORDER BY full_name = btrim(p_gain_loss) DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No account %', p_gain_loss USING ERRCODE = 'BD004';
	END IF;
	IF v_gl.currency IS NOT NULL AND v_gl.currency <> v_base THEN
		RAISE EXCEPTION 'The exchange difference account is held in the base currency %', v_base
			USING ERRCODE = 'BD001';
	END IF;
	PERFORM ledger.open_period(cid, p_date, false);
	INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, entry_date,
				    reference, description)
	VALUES (cid, 'GJ', 0, 0, p_date, 'REVAL ' || p_date,
		format('Revaluation of foreign-currency balances at %s', p_date))
	RETURNING entry_id INTO v_id;
	FOR r IN
		SELECT l.account_id, a.full_name, l.currency,
		       round(sum(l.amount) * ledger.rate_of(cid, l.currency, p_date), v_bunits)
		       - sum(l.debit - l.credit) AS diff,
		       ledger.rate_of(cid, l.currency, p_date) AS rate
		FROM ledger.lines l
		JOIN ledger.entries e ON e.client_id = l.client_id AND e.entry_id = l.entry_id
		JOIN ledger.accounts a ON a.client_id = l.client_id AND a.account_id = l.account_id
		WHERE l.client_id = cid AND l.currency IS NOT NULL AND e.status = 'posted'
		  AND l.entry_date <= p_date
		GROUP BY l.account_id, a.full_name, l.currency
		HAVING round(sum(l.amount) * ledger.rate_of(cid, l.currency, p_date), v_bunits)
		       <> sum(l.debit - l.credit)
		ORDER BY a.full_name, l.currency
	LOOP
		n := n + 1;
		INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, memo,
					  entry_date, currency, amount, rate)
		VALUES (cid, v_id, 2 * n - 1, r.account_id, greatest(r.diff, 0), greatest(-r.diff, 0),
			format('Revaluation of %s at %s', r.currency, r.rate), p_date, r.currency, 0, r.rate);
		INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, memo,
					  entry_date)
		VALUES (cid, v_id, 2 * n, v_gl.account_id, greatest(-r.diff, 0), greatest(r.diff, 0),
			left(format('Exchange difference, %s %s', r.full_name, r.currency), 200), p_date);
	END LOOP;
	IF n = 0 THEN
		DELETE FROM ledger.entries WHERE client_id = cid AND entry_id = v_id;
		RETURN NULL;
	END IF;
	UPDATE ledger.entries SET status = 'submitted' WHERE client_id = cid AND entry_id = v_id;
	PERFORM ledger.notify_approvals(cid);
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.revalue(text,date,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.revalue(text,date,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.revalue(text,date,text) TO bd_accountant;
