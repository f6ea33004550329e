-- payroll.audit_keys: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The payroll tables' audit trigger (040): appends to the client's chain
-- (core.audit_append) the table, the operation and the row's primary key
-- (the trigger's arguments), and for an update the names of the columns
-- that changed, never their values: accountants read the audit log, and a
-- salary or an id number must not reach them through it. A run's status and
-- version are recorded with their values.

CREATE OR REPLACE FUNCTION payroll.audit_keys()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	v_old jsonb;
	v_new jsonb;
	v_row jsonb;
	v_key jsonb := '{}';
	v_what jsonb;
	i integer;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		v_old := to_jsonb(OLD);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		v_new := to_jsonb(NEW);
	END IF;
	IF TG_OP = 'UPDATE' AND v_old = v_new THEN
		RETURN NULL;
	END IF;
	v_row := coalesce(v_new, v_old);
	FOR i IN 0 .. TG_NARGS - 1 LOOP
		v_key := v_key || jsonb_build_object(TG_ARGV[i], v_row -> TG_ARGV[i]);
	END LOOP;
	IF TG_TABLE_NAME = 'runs' THEN
		v_what := jsonb_build_object('status', v_row -> 'status', 'version', v_row -> 'version');
	ELSIF TG_OP = 'UPDATE' THEN
		SELECT jsonb_build_object('changed', coalesce(jsonb_agg(n.key ORDER BY n.key), '[]'))
		INTO v_what
		FROM jsonb_each(v_new) n
		WHERE n.value IS DISTINCT FROM v_old -> n.key;
	END IF;
	PERFORM core.audit_append((v_row ->> 'client_id')::integer,
				  TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP, v_key,
				  CASE WHEN TG_OP = 'DELETE' THEN v_what END,
				  CASE WHEN TG_OP <> 'DELETE' THEN v_what END);
	RETURN NULL;
END
$function$;
ALTER FUNCTION payroll.audit_keys() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.audit_keys() FROM PUBLIC;
