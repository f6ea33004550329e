-- ledger.import_begin: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Starts an import batch (issue 19): the journal or CSV importer then adds
-- accounts (ledger.import_accounts) and rates (ledger.rates_put), streams
-- the batch's lines into ledger.import_lines with COPY (ledger.import_copy)
-- and submits it (ledger.import_submit, which checks them all), in one
-- transaction; another accountant approves the batch once through the
-- approvals registry (kind ledger.import), which posts it. p_files: the
-- names of the files read (JSON list of strings; a staged line's file_no
-- is its place there, from 1). The batch records this transaction: its
-- staged lines are the rows this transaction writes (087). Returns the
-- batch id.

CREATE OR REPLACE FUNCTION ledger.import_begin(p_client text, p_source text, p_files jsonb)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_id bigint;
	v_files text[];
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	IF p_files IS NOT NULL AND jsonb_typeof(p_files) <> 'array' THEN
		RAISE EXCEPTION 'The files must be a list' USING ERRCODE = 'BD001';
	END IF;
	v_files := ARRAY(SELECT left(regexp_replace(f, '[[:cntrl:]]', '?', 'g'), 400)
			 FROM jsonb_array_elements_text(coalesce(p_files, '[]')) WITH ORDINALITY x(f, o)
			 ORDER BY o);
	IF cardinality(v_files) > 10000 THEN
		RAISE EXCEPTION 'An import reads at most 10000 files' USING ERRCODE = 'BD001';
	END IF;
	INSERT INTO ledger.import_batches (client_id, source, files, xact)
	VALUES (cid, left(regexp_replace(coalesce(nullif(btrim(p_source), ''), 'import'),
					 '[[:cntrl:]]', '?', 'g'), 200), v_files, pg_current_xact_id())
	RETURNING batch_id INTO v_id;
	RETURN v_id;
END
$function$;
ALTER FUNCTION ledger.import_begin(text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_begin(text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.import_begin(text,text,jsonb) TO bd_accountant;
