-- ledger.import_waiting: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- How many entries of the client's import batches waiting for approval
-- (staged in ledger.import_lines, 087, not yet in ledger.entries) are
-- dated from p_from to p_to: what a period's close waits for, as it waits
-- for keyed entries. Internal (granted to no one): callers resolve the
-- client first.

CREATE OR REPLACE FUNCTION ledger.import_waiting(p_client_id integer, p_from date, p_to date)
 RETURNS bigint
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
	SELECT count(*)
	FROM ledger.import_batches b
	JOIN ledger.import_lines s ON s.batch_id = b.batch_id AND s.xmin = xid(b.xact)
	WHERE b.client_id = p_client_id AND b.status = 'submitted'
	  AND b.first_date <= p_to AND b.last_date >= p_from
	  AND s.line_no = 1 AND s.entry_date BETWEEN p_from AND p_to
$function$;
ALTER FUNCTION ledger.import_waiting(integer,date,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_waiting(integer,date,date) FROM PUBLIC;
