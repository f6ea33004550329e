-- ledger.import_accounts: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The accounts an import names: [{"name": full name, "type": asset ... or
-- null, "currency": null, "where": "FILE:LINE"}]. Each must exist, or, with
-- p_create, is created with its missing parents, of the type given or the
-- one its top-level name tells (refused, naming "where", when neither
-- does). Returns how many accounts were created.

CREATE OR REPLACE FUNCTION ledger.import_accounts(p_client text, p_batch_id bigint, p_accounts jsonb, p_create boolean)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	r record;
	v_type text;
	v_before integer;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	IF p_batch_id IS NOT NULL THEN -- (a chart alone: no batch)
		PERFORM ledger.import_batch_open(cid, p_batch_id);
	END IF;
	SELECT count(*) INTO v_before FROM ledger.accounts WHERE client_id = cid;
	IF p_accounts IS NULL OR jsonb_typeof(p_accounts) <> 'array' THEN
		RAISE EXCEPTION 'The accounts must be a list' USING ERRCODE = 'BD001';
	END IF;
	FOR r IN SELECT x.name, lower(x.type) AS type, upper(x.currency) AS currency,
			coalesce(x."where", '') AS w
		 FROM jsonb_to_recordset(p_accounts) AS x(name text, type text, currency text, "where" text)
		 LEFT JOIN ledger.accounts a ON a.client_id = cid AND a.full_name = x.name
		 WHERE a.account_id IS NULL
		 ORDER BY x.name
	LOOP
		IF NOT coalesce(p_create, false) THEN
			RAISE EXCEPTION '%: no account % (--create-accounts adds it)',
				r.w, r.name USING ERRCODE = 'BD004';
		END IF;
		v_type := coalesce(r.type, ledger.account_type_of_name(r.name));
		IF v_type IS NULL THEN
			RAISE EXCEPTION '%: what type is %? (account NAME  ; type: A, L, E, R or X)',
				r.w, r.name USING ERRCODE = 'BD001';
		END IF;
		BEGIN
			PERFORM ledger.account_ensure(cid, r.name, v_type, r.currency);
		EXCEPTION WHEN SQLSTATE 'BD001' THEN
			RAISE EXCEPTION '%: %', r.w, SQLERRM USING ERRCODE = 'BD001';
		END;
	END LOOP;
	-- (parents made on the way count too)
	RETURN (SELECT count(*) FROM ledger.accounts WHERE client_id = cid) - v_before;
END
$function$;
ALTER FUNCTION ledger.import_accounts(text,bigint,jsonb,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_accounts(text,bigint,jsonb,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.import_accounts(text,bigint,jsonb,boolean) TO bd_accountant;
