-- ledger.account_set_active: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.account_set_active(p_client text, p_code text, p_active boolean)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	UPDATE ledger.accounts SET active = coalesce(p_active, true)
	WHERE client_id = cid AND code = btrim(p_code);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No account %', p_code USING ERRCODE = 'BD004';
	END IF;
END
$function$;
ALTER FUNCTION ledger.account_set_active(text,text,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.account_set_active(text,text,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.account_set_active(text,text,boolean) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.account_set_active(text,text,boolean) TO bd_supervisor;
