-- ledger.entries_balances: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_balances()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	v_stripe smallint;
BEGIN
	v_stripe := ledger.balance_stripe();
	INSERT INTO ledger.balances AS b (client_id, grain, bucket, account_id, stripe, debit,
					  credit)
	SELECT NEW.client_id, g.grain, g.bucket, l.account_id, v_stripe, sum(l.debit),
	       sum(l.credit)
	FROM ledger.lines l
	CROSS JOIN LATERAL (VALUES ('d'::"char", NEW.entry_date),
				   ('m'::"char", date_trunc('month', NEW.entry_date::timestamp)::date),
				   ('y'::"char", date_trunc('year', NEW.entry_date::timestamp)::date)) g(grain, bucket)
	WHERE l.client_id = NEW.client_id AND l.entry_id = NEW.entry_id
	GROUP BY g.grain, g.bucket, l.account_id
	ORDER BY g.grain, g.bucket, l.account_id
	ON CONFLICT (client_id, grain, bucket, account_id, stripe) DO UPDATE
	SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.entries_balances() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entries_balances() FROM PUBLIC;
