-- payroll.runs_hands: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Trigger (078_hardening): whoever computes a pay run is its computed_by,
-- whoever submits it its submitted_by; nobody who made, computed or
-- submitted a run approves it, whichever function sets it final (four
-- eyes: a second payroll operator must not key, compute, submit and
-- approve a run someone else created).

CREATE OR REPLACE FUNCTION payroll.runs_hands()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF NEW.computed_at IS DISTINCT FROM OLD.computed_at THEN
		NEW.computed_by := session_user;
	END IF;
	IF NEW.status = 'submitted' AND OLD.status <> 'submitted' THEN
		NEW.submitted_by := session_user;
	END IF;
	IF NEW.status = 'final'
	   AND session_user IN (NEW.maker, NEW.computed_by, NEW.submitted_by) THEN
		RAISE EXCEPTION 'Someone else must approve a pay run you made, computed or submitted'
			USING ERRCODE = 'BD002';
	END IF;
	RETURN NEW;
END
$function$;
ALTER FUNCTION payroll.runs_hands() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.runs_hands() FROM PUBLIC;
