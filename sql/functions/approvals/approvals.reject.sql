-- approvals.reject: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The one rejection dispatch: the item waits in its kind, the checker names
-- the version they saw and says why (the maker sees the reason); the maker
-- may withdraw their own item without one. Then the kind's reject function
-- (which checks the version again under its row lock).

CREATE OR REPLACE FUNCTION approvals.reject(p_kind text, p_client text, p_id bigint, p_version bigint, p_reason text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'approvals', 'core', 'pg_temp'
AS $function$
DECLARE
	k approvals.kinds;
	v_maker text;
	v_version bigint;
BEGIN
	k := approvals.waiting(p_kind, p_client, p_id);
	EXECUTE format('SELECT i.maker, i.version FROM %I.%I($1) i WHERE i.id = $2',
		       split_part(k.list_fn, '.', 1), split_part(k.list_fn, '.', 2))
		INTO v_maker, v_version USING p_client, p_id;
	PERFORM core.approval_check(format('%s %s', k.label, p_id), p_version, v_version);
	IF v_maker <> session_user AND nullif(btrim(p_reason), '') IS NULL THEN
		RAISE EXCEPTION 'Say why you reject it: the maker sees the reason'
			USING ERRCODE = 'BD001';
	END IF;
	EXECUTE format('SELECT %I.%I($1, $2, $3, $4)',
		       split_part(k.reject_fn, '.', 1), split_part(k.reject_fn, '.', 2))
		USING p_client, p_id, p_version, p_reason;
END
$function$;
ALTER FUNCTION approvals.reject(text,text,bigint,bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION approvals.reject(text,text,bigint,bigint,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION approvals.reject(text,text,bigint,bigint,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION approvals.reject(text,text,bigint,bigint,text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION approvals.reject(text,text,bigint,bigint,text) TO bd_payroll;
