-- ledger.put_lines: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A line is {"account": CODE or full name, "debit" or "credit": amount,
-- "memo"}; without "currency" (or in the base currency) the amount is in the
-- client's base currency, as it always was. With "currency": "EUR" the
-- amount is in that currency, "rate" (optional: the rate held for the
-- entry's date otherwise) converts it, and the base amount is
-- round(amount * rate) in the base currency's decimals. The entry balances
-- in the base currency.

CREATE OR REPLACE FUNCTION ledger.put_lines(p_client_id integer, p_entry_id bigint, p_lines jsonb)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	l record;
	a ledger.accounts;
	v_debit numeric;
	v_credit numeric;
	v_memo text;
	dr numeric := 0;
	cr numeric := 0;
	n integer := 0;
	v_base text := ledger.base_currency(p_client_id);
	v_bunits smallint := ledger.currency_units(v_base);
	v_cur text;
	v_units smallint;
	v_rate numeric;
	v_amount numeric;
	v_date date;
BEGIN
	SELECT entry_date INTO v_date FROM ledger.entries
	WHERE client_id = p_client_id AND entry_id = p_entry_id;
	IF p_lines IS NULL OR jsonb_typeof(p_lines) <> 'array' THEN
		RAISE EXCEPTION 'The lines must be a list' USING ERRCODE = 'BD001';
	END IF;
	IF jsonb_array_length(p_lines) > 999 THEN
		RAISE EXCEPTION 'An entry has at most 999 lines' USING ERRCODE = 'BD001';
	END IF;
	DELETE FROM ledger.lines WHERE client_id = p_client_id AND entry_id = p_entry_id;
	FOR l IN SELECT x.v, x.n FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS x(v, n) LOOP
		n := n + 1;
		IF jsonb_typeof(l.v) <> 'object' THEN
			RAISE EXCEPTION 'Line %: not a line', l.n USING ERRCODE = 'BD001';
		END IF;
		SELECT * INTO a FROM ledger.accounts
		WHERE client_id = p_client_id AND code = btrim(l.v ->> 'account');
		IF NOT FOUND THEN
			SELECT * INTO a FROM ledger.accounts
			WHERE client_id = p_client_id AND full_name = btrim(l.v ->> 'account');
		END IF;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'Line %: no account %', l.n, coalesce(l.v ->> 'account', '(none)')
				USING ERRCODE = 'BD004';
		END IF;
		IF NOT a.active THEN
			RAISE EXCEPTION 'Line %: account % is inactive', l.n, a.code
				USING ERRCODE = 'BD001';
		END IF;
		v_debit := NULL;
		v_credit := NULL;
		-- plain amounts (every posting from a module) are read without the
		-- subtransaction the exception block costs (082)
		IF coalesce(l.v ->> 'debit', '') ~ '^ *([0-9]{1,16}(\.[0-9]{1,6})?)? *$'
		   AND coalesce(l.v ->> 'credit', '') ~ '^ *([0-9]{1,16}(\.[0-9]{1,6})?)? *$' THEN
			v_debit := coalesce(nullif(btrim(l.v ->> 'debit'), ''), '0')::numeric;
			v_credit := coalesce(nullif(btrim(l.v ->> 'credit'), ''), '0')::numeric;
		ELSE
			BEGIN
				v_debit := coalesce(nullif(btrim(l.v ->> 'debit'), ''), '0')::numeric;
				v_credit := coalesce(nullif(btrim(l.v ->> 'credit'), ''), '0')::numeric;
			EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
				RAISE EXCEPTION 'Line %: the amount is not a number', l.n
					USING ERRCODE = 'BD001';
			END;
		END IF;
		IF NOT (v_debit >= 0 AND v_debit < 1e16 AND v_credit >= 0 AND v_credit < 1e16) THEN
			RAISE EXCEPTION 'Line %: amounts are positive and below 10^16', l.n
				USING ERRCODE = 'BD001';
		END IF;
		v_cur := upper(nullif(btrim(l.v ->> 'currency'), ''));
		IF v_cur = v_base THEN
			v_cur := NULL;
		END IF;
		v_units := CASE WHEN v_cur IS NULL THEN v_bunits ELSE ledger.currency_units(v_cur) END;
		IF v_debit <> round(v_debit, v_units) OR v_credit <> round(v_credit, v_units) THEN
			RAISE EXCEPTION 'Line %: the amount has more than % decimal places', l.n, v_units
				USING ERRCODE = 'BD001';
		END IF;
		IF a.currency IS NOT NULL AND coalesce(v_cur, v_base) <> a.currency THEN
			RAISE EXCEPTION 'Line %: account % is held in %, not %', l.n, a.code, a.currency,
				coalesce(v_cur, v_base) USING ERRCODE = 'BD001';
		END IF;
		v_amount := NULL;
		v_rate := NULL;
		IF v_cur IS NOT NULL THEN
			BEGIN
				v_rate := nullif(btrim(l.v ->> 'rate'), '')::numeric;
			EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
				RAISE EXCEPTION 'Line %: the rate is not a number', l.n USING ERRCODE = 'BD001';
			END;
			v_rate := coalesce(v_rate, ledger.rate_of(p_client_id, v_cur, v_date));
			IF NOT (v_rate > 0 AND v_rate < 1e12) THEN
				RAISE EXCEPTION 'Line %: a rate is above 0', l.n USING ERRCODE = 'BD001';
			END IF;
			v_amount := v_debit - v_credit;
			v_debit := round(v_debit * v_rate, v_bunits);
			v_credit := round(v_credit * v_rate, v_bunits);
			IF v_debit = 0 AND v_credit = 0 THEN
				RAISE EXCEPTION 'Line %: % % is nothing in %', l.n, abs(v_amount), v_cur, v_base
					USING ERRCODE = 'BD001';
			END IF;
		END IF;
		IF (v_debit > 0) = (v_credit > 0) THEN
			RAISE EXCEPTION 'Line %: enter either a debit or a credit', l.n
				USING ERRCODE = 'BD001';
		END IF;
		v_memo := coalesce(l.v ->> 'memo', '');
		IF length(v_memo) > 200 OR v_memo ~ '[[:cntrl:]]' THEN
			RAISE EXCEPTION 'Line %: the memo is at most 200 printable characters', l.n
				USING ERRCODE = 'BD001';
		END IF;
		INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit,
					  memo, entry_date, currency, amount, rate)
		VALUES (p_client_id, p_entry_id, n, a.account_id, v_debit, v_credit, v_memo,
			'1900-01-01', -- the date comes from the entry (lines_guard)
			v_cur, v_amount, v_rate);
		dr := dr + v_debit;
		cr := cr + v_credit;
	END LOOP;
	IF dr <> cr THEN
		RAISE EXCEPTION 'The entry does not balance in %: debits %, credits %, difference %', v_base, dr, cr,
			dr - cr USING ERRCODE = 'BD001';
	END IF;
END
$function$;
ALTER FUNCTION ledger.put_lines(integer,bigint,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.put_lines(integer,bigint,jsonb) FROM PUBLIC;
