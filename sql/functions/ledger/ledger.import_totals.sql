-- ledger.import_totals: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- An import batch's lines summed per account and currency (the line's,
-- else the base currency): lines, debit and credit in the base currency,
-- and the net in the line's currency. What the approver sees before
-- deciding (the approvals inbox's 5=Show): a batch waiting for approval is
-- summed from its staged lines (ledger.import_lines, 087: the rows the
-- transaction that made it wrote; no operator reads them directly), a
-- posted one from its lines in the books.

CREATE OR REPLACE FUNCTION ledger.import_totals(p_client text, p_batch_id bigint)
 RETURNS TABLE(account text, account_name text, currency text, lines bigint, debit numeric, credit numeric, amount numeric)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
 SET enable_nestloop TO 'off'
 SET jit TO 'off'
 SET work_mem TO '64MB'
AS $function$
DECLARE
	cid integer;
	v_base text;
	v_units smallint;
	b ledger.import_batches;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	v_base := ledger.base_currency(cid);
	SELECT * INTO b FROM ledger.import_batches x WHERE x.client_id = cid AND x.batch_id = p_batch_id;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	v_units := ledger.currency_units(v_base);
	RETURN QUERY
	SELECT a.code, a.name, x.cur, sum(x.k)::bigint, sum(x.dr), sum(x.cr), sum(x.amt)
	FROM (SELECT s.account_id, coalesce(s.currency, v_base) AS cur, count(*) AS k,
		     round(sum(greatest(s.base, 0)) * 10::numeric ^ -v_units, v_units) AS dr,
		     round(sum(greatest(-s.base, 0)) * 10::numeric ^ -v_units, v_units) AS cr,
		     CASE WHEN s.currency IS NULL
			  THEN round(sum(s.base) * 10::numeric ^ -v_units, v_units)
			  ELSE round(sum(s.amount) * 10::numeric ^ -min(c.minor_units), min(c.minor_units))
		     END AS amt
	      FROM ledger.import_lines s
	      LEFT JOIN ledger.currencies c ON c.code = s.currency
	      WHERE b.status = 'submitted' AND s.batch_id = p_batch_id AND s.xmin = xid(b.xact)
	      GROUP BY s.account_id, s.currency
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
