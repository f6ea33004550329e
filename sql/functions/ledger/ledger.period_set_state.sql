-- ledger.period_set_state: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.period_set_state(p_client text, p_year integer, p_period integer, p_state text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	p ledger.periods;
	waiting bigint;
BEGIN
	IF p_state = 'closed' THEN
		PERFORM core.require_role('accountant', 'supervisor');
	ELSIF p_state IN ('open', 'locked') THEN
		PERFORM core.require_role('supervisor');
	ELSE
		RAISE EXCEPTION 'A period is open, closed or locked' USING ERRCODE = 'BD001';
	END IF;
	cid := core.client_id_of(p_client);
	SELECT * INTO p FROM ledger.periods
	WHERE client_id = cid AND fiscal_year = p_year AND period_no = p_period FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No period %/%', p_period, p_year USING ERRCODE = 'BD004';
	END IF;
	IF p.state = 'locked' THEN
		RAISE EXCEPTION 'Period %/% is locked for good', p_period, p_year
			USING ERRCODE = 'BD002';
	END IF;
	IF p_state <> 'open' THEN
		SELECT count(*) INTO waiting FROM ledger.entries
		WHERE client_id = cid AND status = 'submitted'
		  AND entry_date BETWEEN p.start_date AND p.end_date;
		-- and the entries of imports waiting for approval (staged, 087)
		waiting := waiting + ledger.import_waiting(cid, p.start_date, p.end_date);
		IF waiting > 0 THEN
			RAISE EXCEPTION '% entries in period %/% wait for approval', waiting, p_period,
				p_year USING ERRCODE = 'BD003';
		END IF;
	END IF;
	UPDATE ledger.periods SET state = p_state, changed_by = session_user, changed_at = now()
	WHERE client_id = cid AND fiscal_year = p_year AND period_no = p_period;
END
$function$;
ALTER FUNCTION ledger.period_set_state(text,integer,integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.period_set_state(text,integer,integer,text) FROM PUBLIC;
