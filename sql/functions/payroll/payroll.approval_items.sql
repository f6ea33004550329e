-- payroll.approval_items: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The kind 'payroll.run' of the approvals registry (040): submitted runs of
-- the caller's clients, for payroll operators only (row security alone
-- would show an accountant of the client the run's totals: everyone else
-- gets no rows, so the dispatch answers them that nothing waits). amount:
-- the run's net pay. Called by the approvals dispatch only.

CREATE OR REPLACE FUNCTION payroll.approval_items(p_client text)
 RETURNS TABLE(client text, id bigint, item text, reference text, maker text, submitted_at timestamp with time zone, description text, amount numeric, version bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
	SELECT c.code, r.run_id, 'Pay ' || r.run_id, r.pay_group || ' ' || r.period_end,
	       r.maker, r.submitted_at,
	       format('%s %s pay %s to %s, %s employees', initcap(replace(r.pay_group, '_', '-')),
		      r.kind, r.period_start, r.period_end, r.employees),
	       r.net, r.version
	FROM payroll.runs r
	JOIN core.clients c ON c.client_id = r.client_id
	WHERE r.status = 'submitted'
	  AND (p_client IS NULL OR c.code = upper(btrim(p_client)))
	  AND (core.my_role() = 'payroll' OR core.is_superuser())
$function$;
ALTER FUNCTION payroll.approval_items(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.approval_items(text) FROM PUBLIC;
