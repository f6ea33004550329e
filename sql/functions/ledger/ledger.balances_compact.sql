-- ledger.balances_compact: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.balances_compact(p_client text, p_before date)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	n bigint;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	WITH gone AS (
		DELETE FROM ledger.balances
		WHERE client_id = cid AND stripe <> 0 AND bucket < p_before
		RETURNING grain, bucket, account_id, debit, credit
	), sums AS (
		SELECT grain, bucket, account_id, sum(debit) AS debit, sum(credit) AS credit,
		       count(*) AS n
		FROM gone GROUP BY grain, bucket, account_id
	), ins AS (
		INSERT INTO ledger.balances AS b (client_id, grain, bucket, account_id, stripe,
						  debit, credit)
		SELECT cid, grain, bucket, account_id, 0, debit, credit
		FROM sums ORDER BY grain, bucket, account_id
		ON CONFLICT (client_id, grain, bucket, account_id, stripe) DO UPDATE
		SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit
	)
	SELECT coalesce(sum(sums.n), 0) INTO n FROM sums;
	RETURN n;
END
$function$;
ALTER FUNCTION ledger.balances_compact(text,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.balances_compact(text,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.balances_compact(text,date) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.balances_compact(text,date) TO bd_supervisor;
