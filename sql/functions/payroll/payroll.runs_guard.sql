-- payroll.runs_guard: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A final run never changes and is never deleted (040's trigger runs_guard,
-- for every role, a superuser's direct UPDATE included); a run becomes
-- final only from submitted, with an approver other than its maker.

CREATE OR REPLACE FUNCTION payroll.runs_guard()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF OLD.status = 'final' THEN
		RAISE EXCEPTION 'Pay run % is final and cannot be changed; correct it with an off-cycle run',
			OLD.run_id USING ERRCODE = 'BD002';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	IF NEW.client_id <> OLD.client_id OR NEW.run_id <> OLD.run_id OR NEW.maker <> OLD.maker THEN
		RAISE EXCEPTION 'A pay run keeps its client, number and maker' USING ERRCODE = 'BD002';
	END IF;
	IF NEW.status = 'final' THEN
		IF OLD.status <> 'submitted' THEN
			RAISE EXCEPTION 'Pay run % must be submitted before it is approved', OLD.run_id
				USING ERRCODE = 'BD003';
		END IF;
		IF NEW.approver IS NULL OR NEW.approver = NEW.maker THEN
			RAISE EXCEPTION 'You cannot approve your own pay run: someone else must'
				USING ERRCODE = 'BD002';
		END IF;
	END IF;
	RETURN NEW;
END
$function$;
ALTER FUNCTION payroll.runs_guard() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.runs_guard() FROM PUBLIC;
