-- ledger.balance_stripe: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The balance stripe (0..15) this transaction writes ledger.balances rows
-- to (see 010_ledger.sql, Balances): the first stripe from
-- pg_backend_pid() % 16 on that no concurrent posting holds, its row in
-- core.locks ('ledger.balances', 0..15) taken with SKIP LOCKED (it never
-- waits) and kept to the commit, so a transaction writes one stripe only
-- and upserts its rows in key order (no deadlock). Only with more than 16
-- postings in flight do two share a stripe. Remembered for the rest of the
-- transaction as 'xid:stripe' in backdesk.ledger_stripe (not a local
-- setting: a SET clause of a caller would undo it on return; the xid
-- prefix ties the value to this transaction). For the posting triggers
-- (ledger.balances_add); granted to no one.
CREATE OR REPLACE FUNCTION ledger.balance_stripe()
 RETURNS smallint
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_xact text := pg_catalog.pg_current_xact_id()::text;
	v_mine text := pg_catalog.current_setting('backdesk.ledger_stripe', true);
	v_base smallint := (pg_catalog.pg_backend_pid() % 16)::smallint;
	v_stripe smallint;
BEGIN
	IF v_mine LIKE v_xact || ':%' THEN
		RETURN pg_catalog.split_part(v_mine, ':', 2)::smallint;
	END IF;
	SELECT l.scope INTO v_stripe
	FROM core.locks l
	WHERE l.name = 'ledger.balances' AND l.scope BETWEEN 0 AND 15
	ORDER BY (l.scope - v_base + 16) % 16
	LIMIT 1
	FOR UPDATE SKIP LOCKED;
	v_stripe := coalesce(v_stripe, v_base);
	PERFORM pg_catalog.set_config('backdesk.ledger_stripe', v_xact || ':' || v_stripe, false);
	RETURN v_stripe;
END
$function$;
ALTER FUNCTION ledger.balance_stripe() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.balance_stripe() FROM PUBLIC;
