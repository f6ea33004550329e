-- approvals.approve: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The one approval dispatch: finds the item among its kind's waiting items
-- (so it waits, and the caller may see it), refuses the maker approving
-- their own item and a version other than the one the checker saw, then
-- calls the kind's approve function, which checks the version again under
-- its own row lock (the item may change between) and returns what it made
-- (a journal entry: its number).

CREATE OR REPLACE FUNCTION approvals.approve(p_kind text, p_client text, p_id bigint, p_version bigint)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'approvals', 'core', 'pg_temp'
AS $function$
DECLARE
	k approvals.kinds;
	v_maker text;
	v_version bigint;
	v_result text;
BEGIN
	k := approvals.waiting(p_kind, p_client, p_id);
	EXECUTE format('SELECT i.maker, i.version FROM %I.%I($1) i WHERE i.id = $2',
		       split_part(k.list_fn, '.', 1), split_part(k.list_fn, '.', 2))
		INTO v_maker, v_version USING p_client, p_id;
	IF v_maker = session_user THEN
		RAISE EXCEPTION 'You cannot approve your own %: someone else must', lower(k.label)
			USING ERRCODE = 'BD002';
	END IF;
	PERFORM core.approval_check(format('%s %s', k.label, p_id), p_version, v_version);
	EXECUTE format('SELECT %I.%I($1, $2, $3)::text',
		       split_part(k.approve_fn, '.', 1), split_part(k.approve_fn, '.', 2))
		INTO v_result USING p_client, p_id, p_version;
	RETURN v_result;
END
$function$;
ALTER FUNCTION approvals.approve(text,text,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION approvals.approve(text,text,bigint,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION approvals.approve(text,text,bigint,bigint) TO bd_accountant;
GRANT EXECUTE ON FUNCTION approvals.approve(text,text,bigint,bigint) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION approvals.approve(text,text,bigint,bigint) TO bd_payroll;
