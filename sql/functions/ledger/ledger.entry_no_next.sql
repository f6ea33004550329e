-- ledger.entry_no_next: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The next number of a journal's year, from its counter row, which stays
-- locked to the commit: a rolled-back posting gives its number back, two
-- postings never share one (gapless and unique; see 010_ledger.sql). For
-- the posting triggers (ledger.entries_number when an entry is approved,
-- ledger.entries_insert when a source posting is written posted, 089);
-- granted to no one. (PL/pgSQL: its plan is kept; a SQL function's is made
-- again at every call.)
CREATE OR REPLACE FUNCTION ledger.entry_no_next(p_client_id integer, p_journal text, p_fiscal_year smallint)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_no integer;
BEGIN
	INSERT INTO ledger.journal_counters AS c (client_id, journal, fiscal_year, last_no)
	VALUES (p_client_id, p_journal, p_fiscal_year, 1)
	ON CONFLICT (client_id, journal, fiscal_year) DO UPDATE SET last_no = c.last_no + 1
	RETURNING c.last_no INTO v_no;
	RETURN v_no;
END
$function$;
ALTER FUNCTION ledger.entry_no_next(integer,text,smallint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entry_no_next(integer,text,smallint) FROM PUBLIC;
