-- ledger.balances_add: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Adds a posted entry's lines (dated p_date) to ledger.balances: its day,
-- month and year rows per account, on this transaction's stripe
-- (ledger.balance_stripe), in key order (see 010_ledger.sql, Balances).
-- For the posting triggers (ledger.entries_balances when an entry is
-- approved, ledger.entries_insert when a source posting is written
-- posted, 089); granted to no one.
CREATE OR REPLACE FUNCTION ledger.balances_add(p_client_id integer, p_entry_id bigint, p_date date)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_stripe smallint := ledger.balance_stripe();
BEGIN
	INSERT INTO ledger.balances AS b (client_id, grain, bucket, account_id, stripe, debit,
					  credit)
	SELECT p_client_id, g.grain, g.bucket, l.account_id, v_stripe, sum(l.debit), sum(l.credit)
	FROM ledger.lines l
	CROSS JOIN LATERAL (VALUES ('d'::"char", p_date),
				   ('m'::"char", date_trunc('month', p_date::timestamp)::date),
				   ('y'::"char", date_trunc('year', p_date::timestamp)::date)) g(grain, bucket)
	WHERE l.client_id = p_client_id AND l.entry_id = p_entry_id
	GROUP BY g.grain, g.bucket, l.account_id
	ORDER BY g.grain, g.bucket, l.account_id
	ON CONFLICT (client_id, grain, bucket, account_id, stripe) DO UPDATE
	SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;
END
$function$;
ALTER FUNCTION ledger.balances_add(integer,bigint,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.balances_add(integer,bigint,date) FROM PUBLIC;
