-- ledger.import_begin: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Starts an import batch (issue 19): the journal or CSV importer then adds
-- accounts (ledger.import_accounts), rates (ledger.rates_put) and entries
-- (ledger.import_add, in chunks) and submits it (ledger.import_submit), all
-- in one transaction; another accountant approves the batch once through
-- the approvals registry (kind ledger.import). Returns the batch id.

CREATE OR REPLACE FUNCTION ledger.import_begin(p_client text, p_source text)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_id bigint;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	INSERT INTO ledger.import_batches (client_id, source)
	VALUES (cid, left(regexp_replace(coalesce(nullif(btrim(p_source), ''), 'import'),
					 '[[:cntrl:]]', '?', 'g'), 200))
	RETURNING batch_id INTO v_id;
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.import_begin(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_begin(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.import_begin(text,text) TO bd_accountant;
