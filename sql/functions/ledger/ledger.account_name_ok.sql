-- ledger.account_name_ok: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Whether a full account name can be written to a journal and read back
-- as the same name (the export, hledger, ledger, the importer): parts
-- separated by ":", none empty or padded with spaces, no double space (a
-- journal's end of the name), no tab or control character, no ";" (a
-- comment to the importer), not starting with ( or [ (virtual postings),
-- at most 400 characters. The one rule of every way an account is made
-- (ledger.account_ensure, ledger.import_accounts; the importer's parser
-- refuses the same). Internal (granted to no one).

CREATE OR REPLACE FUNCTION ledger.account_name_ok(p_name text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT p_name IS NOT NULL AND p_name <> '' AND length(p_name) <= 400
	       AND p_name !~ '[[:cntrl:];]'
	       AND p_name !~ '(^[ :([])|([ :]$)|(  )|(::)|( :)|(: )'
$function$;
ALTER FUNCTION ledger.account_name_ok(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.account_name_ok(text) FROM PUBLIC;
