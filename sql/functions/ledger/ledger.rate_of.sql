-- ledger.rate_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The rate of a currency on a date (the last one on or before it; 1 for the
-- base currency); refused when there is none. Internal (granted to no one).

CREATE OR REPLACE FUNCTION ledger.rate_of(p_client_id integer, p_currency text, p_date date)
 RETURNS numeric
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	v numeric;
BEGIN
	IF p_currency = ledger.base_currency(p_client_id) THEN
		RETURN 1;
	END IF;
	SELECT r.rate INTO v FROM ledger.rates r
	WHERE r.client_id = p_client_id AND r.currency = p_currency AND r.rate_date <= p_date
	ORDER BY r.rate_date DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No exchange rate of % on or before %', p_currency, p_date
			USING ERRCODE = 'BD004';
	END IF;
	RETURN v;
END
$function$;
ALTER FUNCTION ledger.rate_of(integer,text,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.rate_of(integer,text,date) FROM PUBLIC;
