-- core.audit_row: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.audit_row()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	v_old jsonb;
	v_new jsonb;
	v_row jsonb;
	v_client integer;
	v_key jsonb;
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
	IF TG_ARGV[0] = 'firm' THEN
		v_client := 0;
	ELSE
		IF TG_OP = 'UPDATE' AND (v_old -> 'client_id') IS DISTINCT FROM (v_new -> 'client_id') THEN
			RAISE EXCEPTION 'A row cannot move to another client' USING ERRCODE = 'BD001';
		END IF;
		v_client := (v_row ->> 'client_id')::integer;
	END IF;
	IF TG_NARGS > 1 THEN
		v_key := '{}';
		FOR i IN 1 .. TG_NARGS - 1 LOOP
			v_key := v_key || jsonb_build_object(TG_ARGV[i], v_row -> TG_ARGV[i]);
		END LOOP;
	END IF;
	PERFORM core.audit_append(v_client, TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP, v_key,
				  v_old, v_new);
	RETURN NULL;
END
$function$;
ALTER FUNCTION core.audit_row() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.audit_row() FROM PUBLIC;
