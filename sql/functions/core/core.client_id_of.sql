-- core.client_id_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- One convention for the client parameter (issue 14): every function an
-- operator's query or another module calls takes the client CODE (text, as
-- the user types and sees it, e.g. 'ACME') and resolves it here, first
-- thing. Why the code, not the id: it is what screens, named queries, the
-- CLI and CSV files hold, so no caller looks an id up first; and this one
-- function is then the single place that checks the caller is assigned to
-- the client (an unassigned or unknown code both read "Unknown client", so
-- no answer tells one from the other). Internal helpers granted to no one
-- (ledger.put_lines, ledger.open_period, ...) take the resolved client_id.
-- The ledger, approvals, posting interface and entry module follow it
-- (036_kit moved claim_next, submit_and_claim_next, adjudication_next,
-- qa_next and review_waiting over).

CREATE OR REPLACE FUNCTION core.client_id_of(p_code text)
 RETURNS integer
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	c core.clients;
BEGIN
	SELECT * INTO c FROM core.clients WHERE code = upper(btrim(p_code));
	IF NOT FOUND OR NOT (core.is_superuser() OR c.client_id = ANY (core.my_clients())) THEN
		RAISE EXCEPTION 'Unknown client %', coalesce(p_code, '(none)') USING ERRCODE = 'BD004';
	END IF;
	IF NOT c.active THEN
		RAISE EXCEPTION 'Client % is inactive', c.code USING ERRCODE = 'BD002';
	END IF;
	RETURN c.client_id;
END
$function$;
ALTER FUNCTION core.client_id_of(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.client_id_of(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.client_id_of(text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.client_id_of(text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.client_id_of(text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.client_id_of(text) TO bd_admin;
GRANT EXECUTE ON FUNCTION core.client_id_of(text) TO bd_payroll;
