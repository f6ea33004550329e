-- ledger.periods_guard: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.periods_guard()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'Periods cannot be deleted' USING ERRCODE = 'BD002';
	END IF;
	IF OLD.state = 'locked' THEN
		RAISE EXCEPTION 'Period %/% is locked for good', OLD.period_no, OLD.fiscal_year
			USING ERRCODE = 'BD002';
	END IF;
	IF NEW.start_date <> OLD.start_date OR NEW.end_date <> OLD.end_date
	   OR NEW.client_id <> OLD.client_id OR NEW.fiscal_year <> OLD.fiscal_year
	   OR NEW.period_no <> OLD.period_no THEN
		RAISE EXCEPTION 'A period''s dates cannot change' USING ERRCODE = 'BD002';
	END IF;
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.periods_guard() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.periods_guard() FROM PUBLIC;
