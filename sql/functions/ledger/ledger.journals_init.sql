-- ledger.journals_init: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.journals_init(p_client_id integer)
 RETURNS void
 LANGUAGE sql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
	INSERT INTO ledger.journals (client_id, journal, name, kind)
	VALUES (p_client_id, 'GJ', 'General journal', 'general'),
	       (p_client_id, 'SJ', 'Sales journal', 'sales'),
	       (p_client_id, 'PJ', 'Purchases journal', 'purchases'),
	       (p_client_id, 'CJ', 'Cash journal', 'cash'),
	       (p_client_id, 'PY', 'Payroll journal', 'payroll'),
	       (p_client_id, 'IJ', 'Inventory journal', 'inventory')
	ON CONFLICT DO NOTHING;
$function$;
ALTER FUNCTION ledger.journals_init(integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.journals_init(integer) FROM PUBLIC;
