-- core.audit_hash: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.audit_hash(prev_hash bytea, client_id integer, seq bigint, at timestamp with time zone, actor text, table_name text, op text, row_key jsonb, old jsonb, new jsonb)
 RETURNS bytea
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT sha256(prev_hash || convert_to(jsonb_build_array(
		client_id, seq,
		to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
		actor, table_name, op, row_key, old, new)::text, 'UTF8'));
$function$;
ALTER FUNCTION core.audit_hash(bytea,integer,bigint,timestamp with time zone,text,text,text,jsonb,jsonb,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.audit_hash(bytea,integer,bigint,timestamp with time zone,text,text,text,jsonb,jsonb,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.audit_hash(bytea,integer,bigint,timestamp with time zone,text,text,text,jsonb,jsonb,jsonb) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.audit_hash(bytea,integer,bigint,timestamp with time zone,text,text,text,jsonb,jsonb,jsonb) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.audit_hash(bytea,integer,bigint,timestamp with time zone,text,text,text,jsonb,jsonb,jsonb) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.audit_hash(bytea,integer,bigint,timestamp with time zone,text,text,text,jsonb,jsonb,jsonb) TO bd_admin;
GRANT EXECUTE ON FUNCTION core.audit_hash(bytea,integer,bigint,timestamp with time zone,text,text,text,jsonb,jsonb,jsonb) TO bd_payroll;
