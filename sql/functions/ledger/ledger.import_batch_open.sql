-- ledger.import_batch_open: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The open import batch p_batch_id, locked, made by the caller; refused
-- otherwise. Internal (granted to no one).

CREATE OR REPLACE FUNCTION ledger.import_batch_open(p_client_id integer, p_batch_id bigint)
 RETURNS ledger.import_batches
 LANGUAGE plpgsql
AS $function$
DECLARE
	b ledger.import_batches;
BEGIN
	SELECT * INTO b FROM ledger.import_batches
	WHERE client_id = p_client_id AND batch_id = p_batch_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No import %', p_batch_id USING ERRCODE = 'BD004';
	END IF;
	IF b.status <> 'open' OR b.maker <> session_user THEN
		RAISE EXCEPTION 'Import % is % and takes no more entries', p_batch_id, b.status
			USING ERRCODE = 'BD002';
	END IF;
	RETURN b;
END
$function$;
ALTER FUNCTION ledger.import_batch_open(integer,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_batch_open(integer,bigint) FROM PUBLIC;
