-- approvals.waiting: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The dispatch's first step: the registered kind of an item that waits for
-- approval in a client the caller may see, or a plain refusal. Internal
-- (granted to no one): runs on its caller's pinned search_path.

CREATE OR REPLACE FUNCTION approvals.waiting(p_kind text, p_client text, p_id bigint)
 RETURNS approvals.kinds
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	k approvals.kinds;
	v_found boolean;
BEGIN
	SELECT * INTO k FROM approvals.kinds WHERE kind = p_kind;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No kind of approval %', coalesce(p_kind, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	PERFORM core.client_id_of(p_client);
	EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I($1) i WHERE i.id = $2)',
		       split_part(k.list_fn, '.', 1), split_part(k.list_fn, '.', 2))
		INTO v_found USING p_client, p_id;
	IF NOT v_found THEN
		RAISE EXCEPTION '% % is not waiting for approval', k.label, coalesce(p_id::text, '(none)')
			USING ERRCODE = 'BD003';
	END IF;
	RETURN k;
END
$function$;
ALTER FUNCTION approvals.waiting(text,text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION approvals.waiting(text,text,bigint) FROM PUBLIC;
