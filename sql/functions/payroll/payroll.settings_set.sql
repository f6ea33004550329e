-- payroll.settings_set: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A client's payroll settings: the net pay, salary expense and employer
-- contributions accounts (codes of its chart, checked when a run posts),
-- the register's alert threshold (percent) and the currency.

CREATE OR REPLACE FUNCTION payroll.settings_set(p_client text, p_net_pay_account text, p_salary_expense_account text, p_employer_expense_account text, p_change_alert_pct numeric DEFAULT 20, p_currency text DEFAULT 'PHP'::text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
BEGIN
	INSERT INTO payroll.settings AS s (client_id, net_pay_account, salary_expense_account,
					   employer_expense_account, change_alert_pct, currency)
	VALUES (cid, btrim(p_net_pay_account), btrim(p_salary_expense_account),
		btrim(p_employer_expense_account), coalesce(p_change_alert_pct, 20),
		upper(coalesce(p_currency, 'PHP')))
	ON CONFLICT (client_id) DO UPDATE
	SET net_pay_account = EXCLUDED.net_pay_account,
	    salary_expense_account = EXCLUDED.salary_expense_account,
	    employer_expense_account = EXCLUDED.employer_expense_account,
	    change_alert_pct = EXCLUDED.change_alert_pct, currency = EXCLUDED.currency;
END
$function$;
ALTER FUNCTION payroll.settings_set(text,text,text,text,numeric,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.settings_set(text,text,text,text,numeric,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.settings_set(text,text,text,text,numeric,text) TO bd_payroll;
