-- ledger.balances_as_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.balances_as_of(p_client_id integer, p_as_of date, p_account_id integer DEFAULT NULL::integer)
 RETURNS TABLE(account_id integer, debit numeric, credit numeric)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
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
$function$;
ALTER FUNCTION ledger.balances_as_of(integer,date,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.balances_as_of(integer,date,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.balances_as_of(integer,date,integer) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.balances_as_of(integer,date,integer) TO bd_supervisor;
