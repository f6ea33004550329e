-- ledger.import_items: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The approvals registry's list of waiting import batches (kind
-- ledger.import, see 035_contracts.sql for the columns).

CREATE OR REPLACE FUNCTION ledger.import_items(p_client text)
 RETURNS TABLE(client text, id bigint, item text, reference text, maker text, submitted_at timestamp with time zone, description text, amount numeric, version bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
	SELECT c.code, b.batch_id, 'Import ' || b.batch_id, '', b.maker, b.submitted_at,
	       format('%s: %s entries, %s lines, %s to %s, %s', b.source, b.entries, b.lines,
		      b.first_date, b.last_date, ledger.base_currency(b.client_id)),
	       b.total, b.version
	FROM ledger.import_batches b
	JOIN core.clients c ON c.client_id = b.client_id
	WHERE b.status = 'submitted'
	  AND (p_client IS NULL OR c.code = upper(btrim(p_client)))
	  -- only to those who may approve them (not payroll staff, say)
	  AND (core.my_role() IN ('accountant', 'supervisor') OR core.is_superuser())
$function$;
ALTER FUNCTION ledger.import_items(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_items(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.import_items(text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.import_items(text) TO bd_supervisor;
