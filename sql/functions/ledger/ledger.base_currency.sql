-- ledger.base_currency: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The base currency of a client's books: ledger.books, USD when not set.
-- Readable by the ledger's operators (their queries show it), under the
-- tenant policy like the table itself.

CREATE OR REPLACE FUNCTION ledger.base_currency(p_client_id integer)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
BEGIN
	-- PL/pgSQL for its cached plan: as SQL (with this SET clause, never
	-- inlined) it was planned at every call, 0.1-0.2 ms of a posting (082)
	RETURN coalesce((SELECT b.base_currency FROM ledger.books b
			 WHERE b.client_id = p_client_id), 'USD');
END
$function$;
ALTER FUNCTION ledger.base_currency(integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.base_currency(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.base_currency(integer) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.base_currency(integer) TO bd_supervisor;
