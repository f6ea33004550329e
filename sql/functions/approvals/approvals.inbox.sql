-- approvals.inbox: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The one inbox: every registered kind's waiting items (approvals.kinds,
-- 035) in the caller's clients (p_client: a code, or NULL for all); mine marks the caller's own items, which only
-- someone else may approve. version is what approve/reject must name.
-- The caller orders (approvals.inbox in sql/queries/approvals.sql).

CREATE OR REPLACE FUNCTION approvals.inbox(p_client text)
 RETURNS TABLE(kind text, kind_label text, client text, id bigint, item text, reference text, maker text, submitted_at timestamp with time zone, description text, amount numeric, version bigint, mine boolean)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'approvals', 'core', 'pg_temp'
AS $function$
DECLARE
	k approvals.kinds;
BEGIN
	IF p_client IS NOT NULL THEN
		PERFORM core.client_id_of(p_client);
	END IF;
	FOR k IN SELECT * FROM approvals.kinds ORDER BY kinds.kind LOOP
		RETURN QUERY EXECUTE format(
			'SELECT $1, $2, i.client, i.id, i.item, i.reference, i.maker, i.submitted_at, '
			'i.description, i.amount, i.version, i.maker = session_user FROM %I.%I($3) i',
			split_part(k.list_fn, '.', 1), split_part(k.list_fn, '.', 2))
			USING k.kind, k.label, p_client;
	END LOOP;
END
$function$;
ALTER FUNCTION approvals.inbox(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION approvals.inbox(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION approvals.inbox(text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION approvals.inbox(text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION approvals.inbox(text) TO bd_payroll;
