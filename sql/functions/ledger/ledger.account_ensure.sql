-- ledger.account_ensure: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The account of a full name (Assets:US:Bank), created with its missing
-- parents (of the same type) when there is none. The code of an account
-- made so is J-<id>; its name is the last part of the full name. Internal
-- (granted to no one): ledger.account_add_named and the journal import.

CREATE OR REPLACE FUNCTION ledger.account_ensure(p_client_id integer, p_full_name text, p_type text, p_currency text)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_id integer;
	v_parent integer;
	v_name text := p_full_name;
BEGIN
	SELECT a.account_id INTO v_id FROM ledger.accounts a
	WHERE a.client_id = p_client_id AND a.full_name = v_name;
	IF FOUND THEN
		RETURN v_id;
	END IF;
	IF NOT ledger.account_name_ok(v_name) THEN
		RAISE EXCEPTION 'Not an account name: "%" (parts separated by ":", no ";")',
			left(coalesce(v_name, ''), 100) USING ERRCODE = 'BD001';
	END IF;
	IF p_type IS NULL OR p_type NOT IN ('asset', 'liability', 'equity', 'income', 'expense') THEN
		RAISE EXCEPTION 'The account type is asset, liability, equity, income or expense'
			USING ERRCODE = 'BD001';
	END IF;
	IF position(':' IN v_name) > 0 THEN
		v_parent := ledger.account_ensure(p_client_id, regexp_replace(v_name, ':[^:]*$', ''),
						  p_type, NULL);
	END IF;
	v_id := nextval(pg_get_serial_sequence('ledger.accounts', 'account_id'));
	INSERT INTO ledger.accounts (client_id, account_id, code, name, type, parent_id, full_name,
				     currency)
	OVERRIDING SYSTEM VALUE
	VALUES (p_client_id, v_id, 'J-' || v_id, left(regexp_replace(v_name, '^.*:', ''), 120),
		p_type, v_parent, v_name, p_currency);
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.account_ensure(integer,text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.account_ensure(integer,text,text,text) FROM PUBLIC;
