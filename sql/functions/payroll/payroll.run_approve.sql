-- payroll.run_approve: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The registry's approve for 'payroll.run', reached through
-- approvals.approve('payroll.run', client, run, version) (granted to
-- bd_payroll). Under the run's row lock: submitted, the version the checker
-- saw, a checker other than the maker. The run becomes final (its payslips
-- immutable: payroll.runs_guard, payroll.payslips_guard) and ONE summarised
-- entry is posted through ledger.post_from_source (source 'payroll.run',
-- the run_id), dated the pay date, maker = the run's maker, approver = the
-- checker:
--   debit  each earning component's expense account (its own, else the
--          client's salary expense account), per account and component
--   debit  each employer contribution's expense account (its own, else the
--          client's employer contributions account), per account and component
--   credit each agency's liability (the component's liability account, else
--          the agency's), deductions and employer shares together
--   credit net pay payable (the client's net pay account), the run's net
-- A negative sum goes to the other side. Returns the entry's number.
-- The sums are the run's lines summed per class, code, name, accounts and
-- agency, which run_compute keeps in runs.posting as it writes the lines
-- (a run last computed before 072 has none: its lines are summed here).
-- jit is off, as in run_compute: compiling costs more than the sums.

CREATE OR REPLACE FUNCTION payroll.run_approve(p_client text, p_id bigint, p_version bigint)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
 SET jit TO 'off'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs;
	st payroll.settings;
	v_sums jsonb;
	v_lines jsonb;
	v_missing text;
	v_entry bigint;
	v_no text;
BEGIN
	SELECT * INTO r FROM payroll.runs WHERE client_id = cid AND run_id = p_id FOR UPDATE;
	IF NOT FOUND OR r.status <> 'submitted' THEN
		RAISE EXCEPTION 'Pay run % is not waiting for approval', coalesce(p_id::text, '(none)')
			USING ERRCODE = 'BD003';
	END IF;
	IF r.maker = session_user THEN
		RAISE EXCEPTION 'You cannot approve your own pay run: someone else must'
			USING ERRCODE = 'BD002';
	END IF;
	PERFORM core.approval_check(format('Pay run %s', r.run_id), p_version, r.version);
	SELECT * INTO STRICT st FROM payroll.settings WHERE client_id = cid;

	-- the sums run_compute kept (a run computed before it kept them: its lines)
	v_sums := coalesce(r.posting, (
		SELECT jsonb_agg(jsonb_build_object(
			'class', g.class, 'code', g.code, 'name', g.name,
			'expense_account', g.expense_account, 'liability_account', g.liability_account,
			'agency', g.agency, 'amount', g.amount))
		FROM (SELECT l.class, l.code, l.name, l.expense_account, l.liability_account, l.agency,
			     sum(l.amount) AS amount
		      FROM payroll.payslip_lines l
		      WHERE l.client_id = cid AND l.run_id = r.run_id
		      GROUP BY 1, 2, 3, 4, 5, 6) g), '[]');

	SELECT min(l.code) INTO v_missing
	FROM jsonb_to_recordset(v_sums) AS l(class text, code text, agency text,
					     liability_account text)
	LEFT JOIN payroll.agency_accounts a ON a.client_id = cid AND a.agency = l.agency
	WHERE l.class IN ('deduction', 'employer')
	  AND coalesce(l.liability_account, a.liability_account) IS NULL;
	IF v_missing IS NOT NULL THEN
		RAISE EXCEPTION 'Component % has no liability account: set its agency''s account', v_missing
			USING ERRCODE = 'BD004';
	END IF;

	WITH l AS (
		SELECT * FROM jsonb_to_recordset(v_sums)
			AS l(class text, code text, name text, expense_account text,
			     liability_account text, agency text, amount numeric)
	), sums AS (
		SELECT 1 AS ord, coalesce(l.expense_account, CASE l.class
			WHEN 'earning' THEN st.salary_expense_account
			ELSE st.employer_expense_account END) AS account,
		       min(l.name) AS memo, sum(l.amount) AS dr
		FROM l
		WHERE l.class IN ('earning', 'employer')
		GROUP BY 2, l.code
		UNION ALL
		SELECT 2, coalesce(l.liability_account, a.liability_account),
		       coalesce(l.agency, min(l.name)), -sum(l.amount)
		FROM l
		LEFT JOIN payroll.agency_accounts a ON a.client_id = cid AND a.agency = l.agency
		WHERE l.class IN ('deduction', 'employer')
		GROUP BY 2, l.agency
		UNION ALL
		SELECT 3, st.net_pay_account, 'Net pay', -(SELECT coalesce(sum(p.net), 0)
							   FROM payroll.payslips p
							   WHERE p.client_id = cid
							     AND p.run_id = r.run_id)
	)
	SELECT jsonb_agg(CASE WHEN s.dr > 0
			      THEN jsonb_build_object('account', s.account, 'debit', s.dr::text,
						      'memo', s.memo)
			      ELSE jsonb_build_object('account', s.account, 'credit', (-s.dr)::text,
						      'memo', s.memo) END
			 ORDER BY s.ord, s.account, s.memo)
	INTO v_lines
	FROM sums s
	WHERE s.dr <> 0;

	IF v_lines IS NOT NULL THEN
		v_entry := ledger.post_from_source(p_client, 'payroll.run', r.run_id::text, r.pay_date,
						   format('Payroll %s %s %s to %s', r.pay_group, r.kind,
							  r.period_start, r.period_end),
						   v_lines, r.maker);
		SELECT e.journal || ' ' || e.entry_no INTO v_no
		FROM ledger.entries e WHERE e.client_id = cid AND e.entry_id = v_entry;
	END IF;
	UPDATE payroll.runs
	SET status = 'final', approver = session_user, approved_at = now(), entry_id = v_entry
	WHERE client_id = cid AND run_id = r.run_id;
	PERFORM core.notify_client(cid, 'approvals'); -- other checkers' inboxes drop it
	RETURN coalesce(v_no, 'nothing to post');
END
$function$;
ALTER FUNCTION payroll.run_approve(text,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_approve(text,bigint,bigint) FROM PUBLIC;
