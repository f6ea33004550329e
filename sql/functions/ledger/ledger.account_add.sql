-- ledger.account_add: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.account_add(p_client text, p_code text, p_name text, p_type text, p_parent text)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_parent integer;
	v_id integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	p_code := btrim(p_code);
	p_name := btrim(p_name);
	p_type := lower(btrim(p_type));
	IF p_code IS NULL OR p_code !~ '^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$' THEN
		RAISE EXCEPTION 'An account code is 1-20 letters, digits, dots or dashes'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_name IS NULL OR p_name = '' OR length(p_name) > 120 OR p_name ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'An account name is 1-120 printable characters' USING ERRCODE = 'BD001';
	END IF;
	IF p_type IS NULL OR p_type NOT IN ('asset', 'liability', 'equity', 'income', 'expense') THEN
		RAISE EXCEPTION 'The account type is asset, liability, equity, income or expense'
			USING ERRCODE = 'BD001';
	END IF;
	IF nullif(btrim(p_parent), '') IS NOT NULL THEN
		SELECT account_id INTO v_parent FROM ledger.accounts
		WHERE client_id = cid AND code = btrim(p_parent);
		IF NOT FOUND THEN
			RAISE EXCEPTION 'No parent account %', p_parent USING ERRCODE = 'BD004';
		END IF;
	END IF;
	INSERT INTO ledger.accounts (client_id, code, name, type, parent_id)
	VALUES (cid, p_code, p_name, p_type, v_parent)
	ON CONFLICT (client_id, code) DO NOTHING
	RETURNING account_id INTO v_id;
	IF v_id IS NULL THEN
		RAISE EXCEPTION 'Account % already exists', p_code USING ERRCODE = 'BD003';
	END IF;
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.account_add(text,text,text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.account_add(text,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.account_add(text,text,text,text,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.account_add(text,text,text,text,text) TO bd_supervisor;
