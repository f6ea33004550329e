-- ledger.import_totals: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- An import batch's lines summed per account and currency (the line's,
-- else the base currency): lines, debit and credit in the base currency,
-- and the net in the line's currency. What the approver sees before
-- deciding (the approvals inbox's 5=Show): a batch waiting for approval is
-- summed from its staged lines (ledger.import_lines, which no operator
-- reads directly), a posted one from its lines in the books.

CREATE OR REPLACE FUNCTION ledger.import_totals(p_client text, p_batch_id bigint)
 RETURNS TABLE(account text, account_name text, currency text, lines bigint, debit numeric, credit numeric, amount numeric)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
 SET jit TO 'off'
 SET work_mem TO '64MB'
AS $function$
DECLARE
	cid integer;
	v_base text;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	v_base := ledger.base_currency(cid);
	RETURN QUERY
	SELECT a.code, a.name, x.cur, sum(x.k)::bigint, sum(x.dr), sum(x.cr), sum(x.amt)
	FROM (SELECT s.account_id, coalesce(s.currency, v_base) AS cur, count(*) AS k,
		     sum(greatest(s.base, 0)) AS dr, sum(greatest(-s.base, 0)) AS cr,
		     sum(coalesce(s.amount, s.base)) AS amt
	      FROM ledger.import_lines s
	      WHERE s.client_id = cid AND s.batch_id = p_batch_id
	      GROUP BY 1, 2
	      UNION ALL
	      SELECT l.account_id, coalesce(l.currency, v_base), count(*), sum(l.debit),
		     sum(l.credit), sum(coalesce(l.amount, l.debit - l.credit))
	      FROM ledger.entries e
	      JOIN ledger.lines l ON l.client_id = e.client_id AND l.entry_id = e.entry_id
	      WHERE e.client_id = cid AND e.batch_id = p_batch_id
	      GROUP BY 1, 2) x
	JOIN ledger.accounts a ON a.client_id = cid AND a.account_id = x.account_id
	GROUP BY a.code, a.name, x.cur
	ORDER BY a.code, x.cur;
END
$function$;
ALTER FUNCTION ledger.import_totals(text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_totals(text,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.import_totals(text,bigint) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.import_totals(text,bigint) TO bd_supervisor;
