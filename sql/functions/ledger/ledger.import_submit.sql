-- ledger.import_submit: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Ends the writing of an import batch and sends it for approval, whole.
-- Returns its totals as the checker will see them.

CREATE OR REPLACE FUNCTION ledger.import_submit(p_client text, p_batch_id bigint)
 RETURNS TABLE(batch_id bigint, entries integer, lines integer, total numeric, currency text, first_date date, last_date date, version bigint)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	b ledger.import_batches;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	b := ledger.import_batch_open(cid, p_batch_id);
	IF b.entries = 0 THEN
		RAISE EXCEPTION 'The import holds no entries' USING ERRCODE = 'BD001';
	END IF;
	UPDATE ledger.import_batches x SET status = 'submitted', submitted_at = now()
	WHERE x.client_id = cid AND x.batch_id = p_batch_id
	RETURNING * INTO b;
	PERFORM ledger.notify_approvals(cid);
	RETURN QUERY SELECT b.batch_id, b.entries, b.lines, b.total, ledger.base_currency(cid),
			    b.first_date, b.last_date, b.version;
END
$function$;
ALTER FUNCTION ledger.import_submit(text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_submit(text,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.import_submit(text,bigint) TO bd_accountant;
