-- ledger.entries_balances: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_balances()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	v_xact text := pg_current_xact_id()::text;
	v_mine text := current_setting('backdesk.ledger_stripe', true);
	v_base smallint := (pg_backend_pid() % 16)::smallint;
	v_stripe smallint;
BEGIN
	-- 'xid:stripe' of this session's last posting transaction.
	IF v_mine LIKE v_xact || ':%' THEN
		v_stripe := split_part(v_mine, ':', 2)::smallint;
	ELSE
		-- The first free stripe from v_base on, in one statement.
		SELECT l.scope INTO v_stripe
		FROM core.locks l
		WHERE l.name = 'ledger.balances' AND l.scope BETWEEN 0 AND 15
		ORDER BY (l.scope - v_base + 16) % 16
		LIMIT 1
		FOR UPDATE SKIP LOCKED;
		v_stripe := coalesce(v_stripe, v_base);
		-- Not local: this function's SET clause would undo a local setting
		-- on return; the xid prefix ties the value to this transaction.
		PERFORM set_config('backdesk.ledger_stripe', v_xact || ':' || v_stripe, false);
	END IF;
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
