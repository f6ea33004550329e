-- ledger.account_add_named: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Adds an account by its full name (Assets:Bank:EUR), with its missing
-- parents; the type given (asset, liability, equity, income, expense) or, if
-- NULL, the one its top-level name tells (Assets, Liabilities, Equity,
-- Income/Revenues, Expenses); held in p_currency (NULL: any). Returns the
-- code it gets (J-<id>).

CREATE OR REPLACE FUNCTION ledger.account_add_named(p_client text, p_full_name text, p_type text, p_currency text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_name text := btrim(p_full_name);
	v_type text := coalesce(lower(nullif(btrim(p_type), '')), ledger.account_type_of_name(btrim(p_full_name)));
	v_cur text := upper(nullif(btrim(p_currency), ''));
	v_id integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	IF EXISTS (SELECT 1 FROM ledger.accounts WHERE client_id = cid AND full_name = v_name) THEN
		RAISE EXCEPTION 'Account % already exists', v_name USING ERRCODE = 'BD003';
	END IF;
	IF v_type IS NULL THEN
		RAISE EXCEPTION 'Say the type of account % (asset, liability, equity, income or expense): its name does not tell',
			v_name USING ERRCODE = 'BD001';
	END IF;
	IF v_cur IS NOT NULL THEN
		PERFORM ledger.currency_units(v_cur);
	END IF;
	v_id := ledger.account_ensure(cid, v_name, v_type, v_cur);
	RETURN (SELECT code FROM ledger.accounts WHERE client_id = cid AND account_id = v_id);
END
$function$;
ALTER FUNCTION ledger.account_add_named(text,text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.account_add_named(text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.account_add_named(text,text,text,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.account_add_named(text,text,text,text) TO bd_supervisor;
