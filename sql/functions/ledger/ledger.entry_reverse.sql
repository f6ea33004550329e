-- ledger.entry_reverse: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entry_reverse(p_client text, p_entry_id bigint, p_date date)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	e ledger.entries;
	v_date date := p_date;
	v_id bigint;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'posted' THEN
		RAISE EXCEPTION 'Entry % is not posted: edit or delete the draft instead', p_entry_id
			USING ERRCODE = 'BD002';
	END IF;
	IF EXISTS (SELECT 1 FROM ledger.entries
		   WHERE client_id = cid AND reverses_entry_id = p_entry_id) THEN
		RAISE EXCEPTION 'Entry % has already been reversed', p_entry_id USING ERRCODE = 'BD003';
	END IF;
	IF v_date IS NULL THEN
		v_date := e.entry_date;
		IF NOT EXISTS (SELECT 1 FROM ledger.periods
			       WHERE client_id = cid AND start_date <= v_date AND end_date >= v_date
				 AND state = 'open') THEN
			v_date := current_date;
		END IF;
	END IF;
	PERFORM ledger.open_period(cid, v_date, false);
	INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, entry_date,
				    reference, description, reverses_entry_id)
	VALUES (cid, e.journal, 0, 0, v_date, left(e.reference, 40),
		left('Reversal of ' || e.journal || '-' || e.fiscal_year || '-'
		     || lpad(e.entry_no::text, 6, '0') || ': ' || e.description, 200),
		p_entry_id)
	RETURNING entry_id INTO v_id;
	INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, memo,
				  entry_date)
	SELECT cid, v_id, line_no, account_id, credit, debit, memo, v_date
	FROM ledger.lines WHERE client_id = cid AND entry_id = p_entry_id
	ORDER BY line_no;
	UPDATE ledger.entries SET status = 'submitted' WHERE client_id = cid AND entry_id = v_id;
	PERFORM ledger.notify_approvals(cid);
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.entry_reverse(text,bigint,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entry_reverse(text,bigint,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.entry_reverse(text,bigint,date) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.entry_reverse(text,bigint,date) TO bd_supervisor;
