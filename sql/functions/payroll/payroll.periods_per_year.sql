-- payroll.periods_per_year: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Pay periods a year of a pay group. Internal.

CREATE OR REPLACE FUNCTION payroll.periods_per_year(p_pay_group text)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT CASE p_pay_group WHEN 'monthly' THEN 12 WHEN 'semi_monthly' THEN 24
				WHEN 'biweekly' THEN 26 WHEN 'weekly' THEN 52 END
$function$;
ALTER FUNCTION payroll.periods_per_year(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.periods_per_year(text) FROM PUBLIC;
