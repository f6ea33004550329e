-- ledger.fiscal_year_open: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.fiscal_year_open(p_client text, p_year integer, p_start date)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_end date;
	i integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	IF p_year IS NULL OR p_year < 1900 OR p_year > 2198 THEN
		RAISE EXCEPTION 'The fiscal year must be between 1900 and 2198' USING ERRCODE = 'BD001';
	END IF;
	IF p_start IS NULL OR NOT isfinite(p_start) OR p_start < '1900-01-01'
	   OR p_start > '2198-12-31' OR extract(day FROM p_start) <> 1 THEN
		RAISE EXCEPTION 'A fiscal year starts on the first day of a month'
			USING ERRCODE = 'BD001';
	END IF;
	v_end := (p_start + interval '1 year' - interval '1 day')::date;
	-- One opening at a time per client, so the overlap check holds.
	PERFORM core.lock('ledger.fiscal_year_open', cid);
	IF EXISTS (SELECT 1 FROM ledger.fiscal_years WHERE client_id = cid AND fiscal_year = p_year) THEN
		RAISE EXCEPTION 'Fiscal year % already exists', p_year USING ERRCODE = 'BD003';
	END IF;
	IF EXISTS (SELECT 1 FROM ledger.fiscal_years
		   WHERE client_id = cid AND start_date <= v_end AND end_date >= p_start) THEN
		RAISE EXCEPTION 'Fiscal year % would overlap another fiscal year', p_year
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM ledger.journals_init(cid);
	INSERT INTO ledger.fiscal_years (client_id, fiscal_year, start_date, end_date)
	VALUES (cid, p_year, p_start, v_end);
	FOR i IN 1 .. 12 LOOP
		INSERT INTO ledger.periods (client_id, fiscal_year, period_no, start_date, end_date)
		VALUES (cid, p_year, i, (p_start + make_interval(months => i - 1))::date,
			(p_start + make_interval(months => i) - interval '1 day')::date);
	END LOOP;
END
$function$;
ALTER FUNCTION ledger.fiscal_year_open(text,integer,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.fiscal_year_open(text,integer,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.fiscal_year_open(text,integer,date) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.fiscal_year_open(text,integer,date) TO bd_supervisor;
