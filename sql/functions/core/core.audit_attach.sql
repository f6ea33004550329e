-- core.audit_attach: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.audit_attach(tbl regclass, chain text DEFAULT 'client'::text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	keys text;
BEGIN
	IF chain NOT IN ('client', 'firm') THEN
		RAISE EXCEPTION 'audit_attach: chain must be client or firm';
	END IF;
	SELECT string_agg(quote_literal(a.attname), ', ' ORDER BY k.ord) INTO keys
	FROM pg_index i
	CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
	JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
	WHERE i.indrelid = tbl AND i.indisprimary;
	EXECUTE format('CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON %s '
		       'FOR EACH ROW EXECUTE FUNCTION core.audit_row(%L%s)',
		       tbl, chain, CASE WHEN keys IS NULL THEN '' ELSE ', ' || keys END);
	EXECUTE format('CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON %s '
		       'FOR EACH STATEMENT EXECUTE FUNCTION core.audit_refuse()', tbl);
END
$function$;
ALTER FUNCTION core.audit_attach(regclass,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.audit_attach(regclass,text) FROM PUBLIC;
