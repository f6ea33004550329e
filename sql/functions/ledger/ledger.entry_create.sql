-- ledger.entry_create: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entry_create(p_client text, p_journal text, p_date date, p_reference text, p_description text, p_lines jsonb, p_key text DEFAULT NULL::text)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_id bigint;
	v_prior jsonb;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	IF p_key IS NOT NULL THEN
		PERFORM core.idem_prune();
		v_prior := core.idem_begin(cid, p_key);
		IF v_prior IS NOT NULL THEN
			RETURN (v_prior #>> '{}')::bigint;
		END IF;
	END IF;
	PERFORM ledger.check_header(p_reference, p_description);
	PERFORM ledger.open_period(cid, p_date, false);
	IF NOT EXISTS (SELECT 1 FROM ledger.journals
		       WHERE client_id = cid AND journal = upper(btrim(p_journal))) THEN
		RAISE EXCEPTION 'No journal %', coalesce(p_journal, '(none)') USING ERRCODE = 'BD004';
	END IF;
	INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, entry_date,
				    reference, description)
	VALUES (cid, upper(btrim(p_journal)), 0, 0, p_date, coalesce(btrim(p_reference), ''),
		coalesce(btrim(p_description), ''))
	RETURNING entry_id INTO v_id;
	PERFORM ledger.put_lines(cid, v_id, p_lines);
	PERFORM core.idem_end(cid, p_key, to_jsonb(v_id));
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.entry_create(text,text,date,text,text,jsonb,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entry_create(text,text,date,text,text,jsonb,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.entry_create(text,text,date,text,text,jsonb,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.entry_create(text,text,date,text,text,jsonb,text) TO bd_supervisor;
