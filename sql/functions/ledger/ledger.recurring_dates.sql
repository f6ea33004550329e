-- ledger.recurring_dates: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The dates of a recurring entry's schedule (076_ledger_recurring.sql) from
-- p_start to p_through (and p_end when set): every 1, 3 or 12 months from
-- p_start's month, on day p_day of each, or the month's last day when it
-- has fewer days (31 is always the month end; 30 in February the 28th or
-- 29th). A first occurrence before p_start (its day earlier in the month)
-- is not one.

CREATE OR REPLACE FUNCTION ledger.recurring_dates(p_every text, p_day integer, p_start date, p_end date, p_through date)
 RETURNS SETOF date
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT d
	FROM generate_series(date_trunc('month', p_start::timestamp),
			     least(p_through, p_end)::timestamp,
			     CASE p_every WHEN 'month' THEN interval '1 month'
					  WHEN 'quarter' THEN interval '3 months'
					  WHEN 'year' THEN interval '12 months' END) m,
	     LATERAL (SELECT (m + make_interval(days => least(p_day,
			      extract(day FROM m + interval '1 month' - interval '1 day')::integer) - 1))::date
			     AS d) x
	WHERE d >= p_start AND d <= p_through AND (p_end IS NULL OR d <= p_end)
	ORDER BY d
$function$;
ALTER FUNCTION ledger.recurring_dates(text,integer,date,date,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.recurring_dates(text,integer,date,date,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.recurring_dates(text,integer,date,date,date) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.recurring_dates(text,integer,date,date,date) TO bd_supervisor;
