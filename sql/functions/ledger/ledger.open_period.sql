-- ledger.open_period: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.open_period(p_client_id integer, p_date date, p_lock boolean)
 RETURNS ledger.periods
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	p ledger.periods;
BEGIN
	IF p_date IS NULL OR NOT isfinite(p_date) OR p_date < '1900-01-01'
	   OR p_date > '2199-12-31' THEN
		RAISE EXCEPTION 'The date must be a real calendar date' USING ERRCODE = 'BD001';
	END IF;
	IF p_lock THEN
		SELECT * INTO p FROM ledger.periods
		WHERE client_id = p_client_id AND start_date <= p_date AND end_date >= p_date
		FOR SHARE;
	ELSE
		SELECT * INTO p FROM ledger.periods
		WHERE client_id = p_client_id AND start_date <= p_date AND end_date >= p_date;
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No fiscal period covers %', p_date USING ERRCODE = 'BD001';
	END IF;
	IF p.state <> 'open' THEN
		RAISE EXCEPTION 'Period %/% (% to %) is %', p.period_no, p.fiscal_year,
			p.start_date, p.end_date, p.state USING ERRCODE = 'BD002';
	END IF;
	RETURN p;
END
$function$;
ALTER FUNCTION ledger.open_period(integer,date,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.open_period(integer,date,boolean) FROM PUBLIC;
