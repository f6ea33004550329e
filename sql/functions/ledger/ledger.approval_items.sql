-- ledger.approval_items: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The ledger's kind 'ledger.entry' in the approvals registry (035): journal
-- entries waiting for approval in the caller's clients (p_client: a code, or
-- NULL for all), in the shape approvals.inbox expects. Called by the
-- approvals dispatch only (granted to no one).

CREATE OR REPLACE FUNCTION ledger.approval_items(p_client text)
 RETURNS TABLE(client text, id bigint, item text, reference text, maker text, submitted_at timestamp with time zone, description text, amount numeric, version bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
	SELECT c.code, e.entry_id,
	       CASE WHEN e.reverses_entry_id IS NOT NULL THEN 'Rev ' ELSE e.journal || ' ' END
		   || e.entry_id,
	       e.reference,
	       e.maker, e.submitted_at, e.description,
	       (SELECT coalesce(sum(l.debit), 0) FROM ledger.lines l
		WHERE l.client_id = e.client_id AND l.entry_id = e.entry_id),
	       e.version
	FROM ledger.entries e
	JOIN core.clients c ON c.client_id = e.client_id
	WHERE e.status = 'submitted' AND e.batch_id IS NULL
	  AND (p_client IS NULL OR c.code = upper(btrim(p_client)))
	  -- only to those who may approve them (not payroll staff, say)
	  AND (core.my_role() IN ('accountant', 'supervisor') OR core.is_superuser())
$function$;
ALTER FUNCTION ledger.approval_items(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.approval_items(text) FROM PUBLIC;
