-- ledger.account_type_of_name: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- An account's type from its name, as hledger infers it from the top-level
-- name (assets, liabilities/debts, equity, income/revenues, expenses); NULL
-- when the name does not tell. Internal (granted to no one).

CREATE OR REPLACE FUNCTION ledger.account_type_of_name(p_name text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT CASE
		WHEN t ~ '^assets?$' THEN 'asset'
		WHEN t ~ '^(debts?|liabilit(y|ies))$' THEN 'liability'
		WHEN t ~ '^equity$' THEN 'equity'
		WHEN t ~ '^(incomes?|revenues?)$' THEN 'income'
		WHEN t ~ '^expenses?$' THEN 'expense'
	END
	FROM (SELECT lower(split_part(p_name, ':', 1)) AS t) x
$function$;
ALTER FUNCTION ledger.account_type_of_name(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.account_type_of_name(text) FROM PUBLIC;
