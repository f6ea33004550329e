-- ledger.base_currency_set: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Sets the base currency of a client's books, before they hold any entry.

CREATE OR REPLACE FUNCTION ledger.base_currency_set(p_client text, p_currency text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_cur text := upper(btrim(p_currency));
	v_units smallint;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	v_units := ledger.currency_units(v_cur);
	IF v_units > 2 THEN
		RAISE EXCEPTION 'A base currency has at most 2 decimal places (% has %)', v_cur, v_units
			USING ERRCODE = 'BD001';
	END IF;
	IF v_cur <> ledger.base_currency(cid)
	   AND EXISTS (SELECT 1 FROM ledger.entries WHERE client_id = cid) THEN
		RAISE EXCEPTION 'The books already hold entries in %: the base currency cannot change',
			ledger.base_currency(cid) USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO ledger.books (client_id, base_currency) VALUES (cid, v_cur)
	ON CONFLICT (client_id) DO UPDATE SET base_currency = EXCLUDED.base_currency;
END
$function$;
ALTER FUNCTION ledger.base_currency_set(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.base_currency_set(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.base_currency_set(text,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.base_currency_set(text,text) TO bd_supervisor;
