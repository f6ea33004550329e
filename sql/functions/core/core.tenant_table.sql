-- core.tenant_table: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.tenant_table(tbl regclass, readers text[] DEFAULT ARRAY['bd_clerk'::text, 'bd_accountant'::text, 'bd_supervisor'::text, 'bd_admin'::text], audited boolean DEFAULT true)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	r text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = 'client_id'
		       AND NOT attisdropped) THEN
		RAISE EXCEPTION 'tenant_table: % has no client_id column', tbl;
	END IF;
	EXECUTE format('ALTER TABLE %s OWNER TO bd_owner', tbl);
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
	EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
	EXECUTE format('CREATE POLICY tenant ON %s '
		       'USING (client_id = ANY ((SELECT a.clients FROM core.operator_access a '
		       'WHERE a.login = session_user)::integer[])) '
		       'WITH CHECK (client_id = ANY ((SELECT a.clients FROM core.operator_access a '
		       'WHERE a.login = session_user)::integer[]))', tbl);
	EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', tbl);
	FOREACH r IN ARRAY readers LOOP
		IF r NOT IN ('bd_clerk', 'bd_accountant', 'bd_supervisor', 'bd_admin') THEN
			RAISE EXCEPTION 'tenant_table: % is not a Backdesk group', r;
		END IF;
		EXECUTE format('GRANT SELECT ON %s TO %I', tbl, r);
	END LOOP;
	IF audited THEN
		PERFORM core.audit_attach(tbl);
	END IF;
END
$function$;
ALTER FUNCTION core.tenant_table(regclass,text[],boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.tenant_table(regclass,text[],boolean) FROM PUBLIC;
