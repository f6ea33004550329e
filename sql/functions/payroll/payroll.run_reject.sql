-- payroll.run_reject: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The registry's reject for 'payroll.run' (approvals.reject checks the
-- reason and the version first): the run goes back to draft with the
-- reason, for its maker to fix and resubmit. Notifies the approvals channel.

CREATE OR REPLACE FUNCTION payroll.run_reject(p_client text, p_id bigint, p_version bigint, p_reason text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs;
BEGIN
	SELECT * INTO r FROM payroll.runs WHERE client_id = cid AND run_id = p_id FOR UPDATE;
	IF NOT FOUND OR r.status <> 'submitted' THEN
		RAISE EXCEPTION 'Pay run % is not waiting for approval', coalesce(p_id::text, '(none)')
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Pay run %s', r.run_id), p_version, r.version);
	IF nullif(btrim(p_reason), '') IS NULL THEN
		RAISE EXCEPTION 'Say why the pay run is rejected' USING ERRCODE = 'BD001';
	END IF;
	UPDATE payroll.runs SET status = 'draft', submitted_at = NULL, reject_reason = btrim(p_reason)
	WHERE client_id = cid AND run_id = r.run_id;
	PERFORM core.notify_client(cid, 'approvals'); -- other checkers' inboxes drop it
END
$function$;
ALTER FUNCTION payroll.run_reject(text,bigint,bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_reject(text,bigint,bigint,text) FROM PUBLIC;
