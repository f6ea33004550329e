-- payroll.agency_account_set: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The liability account (a code of the client's chart) where an agency's
-- deductions and employer shares are owed (BIR, SSS, PHILHEALTH, PAGIBIG,
-- IRS...).

CREATE OR REPLACE FUNCTION payroll.agency_account_set(p_client text, p_agency text, p_account text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
BEGIN
	INSERT INTO payroll.agency_accounts (client_id, agency, liability_account)
	VALUES (cid, upper(btrim(p_agency)), btrim(p_account))
	ON CONFLICT (client_id, agency) DO UPDATE SET liability_account = EXCLUDED.liability_account;
END
$function$;
ALTER FUNCTION payroll.agency_account_set(text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.agency_account_set(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.agency_account_set(text,text,text) TO bd_payroll;
