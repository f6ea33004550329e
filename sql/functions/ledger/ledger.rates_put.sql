-- ledger.rates_put: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Exchange rates, keyed, from CSV or from a journal's P directives:
-- p_rates is [{"currency": "EUR", "date": "2025-01-31", "rate": "1.0823",
-- "where": "rates.csv:4"}, ...], one unit of the currency in the base
-- currency. A rate already held for that currency and day is replaced only
-- when keyed; from a file, a different one is refused (naming "where").
-- Returns how many rates were new or changed.

CREATE OR REPLACE FUNCTION ledger.rates_put(p_client text, p_rates jsonb, p_source text)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_base text;
	r record;
	n integer := 0;
	v_old numeric;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	v_base := ledger.base_currency(cid);
	IF p_source IS NULL OR p_source NOT IN ('keyed', 'csv', 'journal') THEN
		RAISE EXCEPTION 'A rate is keyed or comes from a CSV file or a journal' USING ERRCODE = 'BD001';
	END IF;
	IF p_rates IS NULL OR jsonb_typeof(p_rates) <> 'array' THEN
		RAISE EXCEPTION 'The rates must be a list' USING ERRCODE = 'BD001';
	END IF;
	FOR r IN SELECT upper(btrim(x.currency)) AS currency, x.date, x.rate, coalesce(x."where", '') AS w
		 FROM jsonb_to_recordset(p_rates) AS x(currency text, date text, rate text, "where" text)
	LOOP
		DECLARE
			v_date date;
			v_rate numeric;
		BEGIN
			BEGIN
				v_date := r.date::date;
				v_rate := r.rate::numeric;
			EXCEPTION WHEN others THEN
				RAISE EXCEPTION '%: not a date and a rate', r.w USING ERRCODE = 'BD001';
			END;
			PERFORM ledger.currency_units(r.currency);
			IF r.currency = v_base THEN
				RAISE EXCEPTION '%: % is the base currency', r.w, r.currency USING ERRCODE = 'BD001';
			END IF;
			IF NOT (v_rate > 0 AND v_rate < 1e12) OR NOT isfinite(v_date)
			   OR v_date NOT BETWEEN '1900-01-01' AND '2199-12-31' THEN
				RAISE EXCEPTION '%: a rate is above 0 on a real date', r.w USING ERRCODE = 'BD001';
			END IF;
			SELECT rate INTO v_old FROM ledger.rates
			WHERE client_id = cid AND currency = r.currency AND rate_date = v_date FOR UPDATE;
			IF FOUND AND v_old = v_rate THEN
				CONTINUE;
			END IF;
			IF FOUND AND p_source <> 'keyed' THEN
				RAISE EXCEPTION '%: the rate of % on % is already %, not %', r.w, r.currency,
					v_date, v_old, v_rate USING ERRCODE = 'BD003';
			END IF;
			INSERT INTO ledger.rates (client_id, currency, rate_date, rate, source)
			VALUES (cid, r.currency, v_date, v_rate, p_source)
			ON CONFLICT (client_id, currency, rate_date) DO UPDATE
			SET rate = EXCLUDED.rate, source = EXCLUDED.source, changed_by = session_user;
			n := n + 1;
		END;
	END LOOP;
	RETURN n;
END
$function$;
ALTER FUNCTION ledger.rates_put(text,jsonb,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.rates_put(text,jsonb,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.rates_put(text,jsonb,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.rates_put(text,jsonb,text) TO bd_supervisor;
