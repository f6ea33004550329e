-- ledger.import_lines_check: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- AFTER INSERT ... FOR EACH STATEMENT on ledger.import_lines (087): an
-- accountant may write (COPY) staged rows only into an open import batch
-- of their own, which is open only inside the transaction of the import
-- that made it. Runs as the caller, so the batch must also be one of the
-- caller's clients (row security on ledger.import_batches). What the rows
-- hold is checked, set-based, by ledger.import_submit.

CREATE OR REPLACE FUNCTION ledger.import_lines_check()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
 SET jit TO 'off'
AS $function$
DECLARE
	v_bad bigint;
BEGIN
	SELECT x.batch_id INTO v_bad
	FROM (SELECT DISTINCT l.client_id, l.batch_id FROM new_lines l) x
	LEFT JOIN ledger.import_batches b ON b.client_id = x.client_id AND b.batch_id = x.batch_id
	WHERE b.status IS DISTINCT FROM 'open' OR b.maker IS DISTINCT FROM session_user
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'Import % is not an open import of yours: it takes no lines', v_bad
			USING ERRCODE = 'BD002';
	END IF;
	RETURN NULL;
END
$function$;
ALTER FUNCTION ledger.import_lines_check() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_lines_check() FROM PUBLIC;
