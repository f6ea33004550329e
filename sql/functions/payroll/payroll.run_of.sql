-- payroll.run_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Pay run p_run_id of client p_client_id, locked as p_lock says ('update':
-- FOR UPDATE, 'share': FOR SHARE, else not locked), or 'No pay run N'. The
-- opening of every function that works on one run. Internal (granted to no
-- one); every name is schema-qualified.

CREATE OR REPLACE FUNCTION payroll.run_of(p_client_id integer, p_run_id bigint, p_lock text)
 RETURNS payroll.runs
 LANGUAGE plpgsql
AS $function$
DECLARE
	r payroll.runs;
BEGIN
	IF p_lock = 'update' THEN
		SELECT * INTO r FROM payroll.runs
		WHERE client_id = p_client_id AND run_id = p_run_id FOR UPDATE;
	ELSIF p_lock = 'share' THEN
		SELECT * INTO r FROM payroll.runs
		WHERE client_id = p_client_id AND run_id = p_run_id FOR SHARE;
	ELSE
		SELECT * INTO r FROM payroll.runs WHERE client_id = p_client_id AND run_id = p_run_id;
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No pay run %', coalesce(p_run_id::text, '(none)') USING ERRCODE = 'BD004';
	END IF;
	RETURN r;
END
$function$;
ALTER FUNCTION payroll.run_of(integer,bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_of(integer,bigint,text) FROM PUBLIC;
