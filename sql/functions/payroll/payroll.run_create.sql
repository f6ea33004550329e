-- payroll.run_create: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A new draft run (not computed yet) of a pay group for a period: kind
-- regular (one per pay group and period start), offcycle (corrections,
-- final pay: pays the off-cycle inputs of the period) or thirteenth (the
-- 13th-month pay). Returns its run_id; the caller is its maker. A refusal
-- names the argument it refuses (COLUMN: pay_group, kind, period_start,
-- period_end, pay_date): the Pay runs screen's F6 puts the cursor there.

CREATE OR REPLACE FUNCTION payroll.run_create(p_client text, p_pay_group text, p_kind text, p_period_start date, p_period_end date, p_pay_date date)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	v_id bigint;
BEGIN
	IF p_pay_group IS NULL OR payroll.periods_per_year(p_pay_group) IS NULL THEN
		RAISE EXCEPTION 'A pay group is monthly, semi_monthly, biweekly or weekly'
			USING ERRCODE = 'BD001', COLUMN = 'pay_group';
	END IF;
	IF p_kind IS NULL OR p_kind NOT IN ('regular', 'offcycle', 'thirteenth') THEN
		RAISE EXCEPTION 'A run is regular, offcycle or thirteenth'
			USING ERRCODE = 'BD001', COLUMN = 'kind';
	END IF;
	IF p_period_start IS NULL OR NOT isfinite(p_period_start)
	   OR p_period_start <= '1900-01-01' THEN
		RAISE EXCEPTION 'A pay period starts on a date' USING ERRCODE = 'BD001',
			COLUMN = 'period_start';
	END IF;
	IF p_period_end IS NULL OR NOT isfinite(p_period_end)
	   OR p_period_end < p_period_start OR p_period_end - p_period_start >= 31 THEN
		RAISE EXCEPTION 'A pay period ends on or after its start, at most a month later'
			USING ERRCODE = 'BD001', COLUMN = 'period_end';
	END IF;
	IF p_pay_date IS NULL OR NOT isfinite(p_pay_date) OR p_pay_date >= '2200-01-01' THEN
		RAISE EXCEPTION 'A pay run has a pay date' USING ERRCODE = 'BD001',
			COLUMN = 'pay_date';
	END IF;
	IF p_kind = 'regular' AND EXISTS (SELECT 1 FROM payroll.runs
					  WHERE client_id = cid AND kind = 'regular'
					    AND pay_group = p_pay_group
					    AND daterange(period_start, period_end, '[]')
						&& daterange(p_period_start, p_period_end, '[]')) THEN
		RAISE EXCEPTION 'There is a regular % run for this period already: recompute it, or make an off-cycle run',
			p_pay_group USING ERRCODE = 'BD003', COLUMN = 'period_start';
	END IF;
	INSERT INTO payroll.runs (client_id, pay_group, kind, period_start, period_end, pay_date)
	VALUES (cid, p_pay_group, p_kind, p_period_start, p_period_end, p_pay_date)
	RETURNING run_id INTO v_id;
	RETURN v_id;
END
$function$;
ALTER FUNCTION payroll.run_create(text,text,text,date,date,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_create(text,text,text,date,date,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.run_create(text,text,text,date,date,date) TO bd_payroll;
