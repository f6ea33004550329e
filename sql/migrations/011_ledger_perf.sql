-- 011_ledger_perf: the ledger's two hot paths, measured by
-- tests/bench/bench_ledger.c (README, "Benchmarks"): reading balances as of a
-- date, and posting with a hot control account.
--
-- Reading. 010 read the balance rows of a date in seven UNION ALL branches, one per
-- kind of bucket (years before, months of the year or the year minus the
-- months after, days of the month or the month minus the days after). Each
-- branch is a separate reference to ledger.balances, so the row security
-- policy's (SELECT core.my_clients()) ran seven times per call, and every
-- row fed a numeric negation before the sum: a good part of a trial
-- balance's time over ten million lines.
--
-- Same rows read, same result: the (grain, from, to, sign) ranges are a
-- small list, each read by one index range scan of ledger.balances under a
-- single policy check, and the subtracted ranges are summed apart with
-- FILTER instead of negating each row. In PL/pgSQL, so the query's plan is
-- kept for the session: a SQL function with a SET clause is never inlined
-- and was planned again on every call.

SET ROLE bd_owner;

CREATE OR REPLACE FUNCTION ledger.balances_as_of(p_client_id integer, p_as_of date,
						 p_account_id integer DEFAULT NULL)
RETURNS TABLE (account_id integer, debit numeric, credit numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, ledger, pg_temp
AS $$
BEGIN
	-- (every column below is qualified: the OUT parameters share the names)
	RETURN QUERY
	WITH k AS MATERIALIZED (
		SELECT date_trunc('year', p_as_of::timestamp)::date AS y,
		       date_trunc('month', p_as_of::timestamp)::date AS m,
		       (date_trunc('month', p_as_of::timestamp) + interval '1 month')::date AS m1,
		       (date_trunc('year', p_as_of::timestamp) + interval '1 year')::date AS y1,
		       extract(month FROM p_as_of) <= 6 AS early_month,
		       extract(day FROM p_as_of) <= 15 AS early_day
	), r AS (
		-- Buckets of `grain` in [lo, hi), added (plus) or subtracted.
		SELECT 'y'::"char" AS grain, '1900-01-01'::date AS lo, k.y AS hi, true AS plus
		FROM k
		UNION ALL
		SELECT 'm', k.y, k.m, true FROM k WHERE k.early_month
		UNION ALL
		SELECT 'y', k.y, k.y1, true FROM k WHERE NOT k.early_month
		UNION ALL
		SELECT 'm', k.m, k.y1, false FROM k WHERE NOT k.early_month
		UNION ALL
		SELECT 'd', k.m, p_as_of + 1, true FROM k WHERE k.early_day
		UNION ALL
		SELECT 'm', k.m, k.m1, true FROM k WHERE NOT k.early_day
		UNION ALL
		SELECT 'd', p_as_of + 1, k.m1, false FROM k WHERE NOT k.early_day
	)
	SELECT b.account_id,
	       coalesce(sum(b.debit) FILTER (WHERE r.plus), 0)
		       - coalesce(sum(b.debit) FILTER (WHERE NOT r.plus), 0),
	       coalesce(sum(b.credit) FILTER (WHERE r.plus), 0)
		       - coalesce(sum(b.credit) FILTER (WHERE NOT r.plus), 0)
	FROM r
	CROSS JOIN LATERAL (
		-- OFFSET 0 keeps this an index range scan per range: joined freely,
		-- the planner may hash the whole table instead.
		SELECT b.account_id, b.debit, b.credit
		FROM ledger.balances b
		WHERE b.client_id = p_client_id AND b.grain = r.grain
		  AND b.bucket >= r.lo AND b.bucket < r.hi
		  AND (p_account_id IS NULL OR b.account_id = p_account_id)
		OFFSET 0
	) b
	GROUP BY b.account_id;
END
$$;

-- Posting: one balance stripe per transaction that no concurrent posting
-- holds. 010 took stripe pg_backend_pid() % 16, so two of any handful of
-- sessions often shared one and the second waited on the first's balance
-- rows until its commit - the hot-account wait the stripes exist to avoid.
-- Now a posting takes the first free stripe from that one on, marked by a
-- transaction-level advisory lock (try-lock: it never waits), and keeps it
-- for the rest of its transaction, so a transaction still writes to one
-- stripe only and rows are still upserted in key order (no deadlock). Only
-- with more than 16 postings in flight do two share a stripe, as before.
CREATE OR REPLACE FUNCTION ledger.entries_balances()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	v_xact text := pg_current_xact_id()::text;
	v_mine text := current_setting('backdesk.ledger_stripe', true);
	v_base smallint := (pg_backend_pid() % 16)::smallint;
	v_stripe smallint;
	i integer;
BEGIN
	-- 'xid:stripe' of this session's last posting transaction.
	IF v_mine LIKE v_xact || ':%' THEN
		v_stripe := split_part(v_mine, ':', 2)::smallint;
	ELSE
		FOR i IN 0 .. 15 LOOP
			IF pg_try_advisory_xact_lock(hashtext('ledger.balances'), (v_base + i) % 16) THEN
				v_stripe := ((v_base + i) % 16)::smallint;
				EXIT;
			END IF;
		END LOOP;
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
$$;

RESET ROLE;
