-- payroll.run_submit: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The maker submits the computed run they looked at (p_version) for
-- approval by another payroll operator; refused while a payslip has a
-- negative net. Returns the new version, which the checker approves.
-- Notifies the client's approvals channel (core.notify_client), which the
-- approvals inbox listens on: the checker's inbox shows the run at once.

CREATE OR REPLACE FUNCTION payroll.run_submit(p_client text, p_run_id bigint, p_version bigint)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs;
	v_neg integer;
BEGIN
	r := payroll.run_of(cid, p_run_id, 'update');
	IF r.status <> 'draft' THEN
		RAISE EXCEPTION 'Pay run % is % already', r.run_id, r.status USING ERRCODE = 'BD003';
	END IF;
	IF r.computed_at IS NULL THEN
		RAISE EXCEPTION 'Compute pay run % before submitting it', r.run_id USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Pay run %s', r.run_id), p_version, r.version);
	SELECT count(*) INTO v_neg FROM payroll.payslips
	WHERE client_id = cid AND run_id = r.run_id AND net < 0;
	IF v_neg > 0 THEN
		RAISE EXCEPTION 'Pay run % has % payslips with a negative net pay: fix their inputs and recompute',
			r.run_id, v_neg USING ERRCODE = 'BD003';
	END IF;
	UPDATE payroll.runs SET status = 'submitted', submitted_at = now(), reject_reason = NULL
	WHERE client_id = cid AND run_id = r.run_id
	RETURNING version INTO r.version;
	PERFORM core.notify_client(cid, 'approvals');
	RETURN r.version;
END
$function$;
ALTER FUNCTION payroll.run_submit(text,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_submit(text,bigint,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.run_submit(text,bigint,bigint) TO bd_payroll;
