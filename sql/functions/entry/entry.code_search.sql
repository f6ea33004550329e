-- entry.code_search: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- F4 over a client's code table (070: entry.codes), in effect today: by the
-- start of a code, or by words of the description (the longest typed word
-- starts one of its words, through entry.code_words; the others anywhere in
-- it; case ignored), at most 200 in code order. Invoker's rights: the tenant policy shows the caller's
-- clients' codes only, so it takes the client's id as the keying screen
-- holds it. Planned for each search's own words (EXECUTE ... USING), so the
-- index serves a word and a code prefix alike whatever was searched before.

CREATE OR REPLACE FUNCTION entry.code_search(p_client_id integer, p_table text, p_search text)
 RETURNS TABLE(code text, description text)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'entry', 'pg_temp'
AS $function$
DECLARE
	v_search text := btrim(coalesce(p_search, ''));
	v_words text[];
	v_long text;
BEGIN
	IF v_search = '' THEN
		RETURN QUERY
		SELECT c.code, c.description FROM entry.codes c
		WHERE c.client_id = p_client_id AND c.code_table = p_table
		  AND coalesce(c.valid_from <= current_date, true)
		  AND coalesce(c.valid_to >= current_date, true)
		ORDER BY c.code COLLATE "C" LIMIT 200;
		RETURN;
	END IF;
	-- The words typed, longest first; the longest starts a word of the
	-- description (a range of entry.code_words), the others are anywhere in
	-- it (ILIKE over the few codes found).
	SELECT array_agg(w ORDER BY length(w) DESC, w) INTO v_words
	FROM regexp_split_to_table(lower(v_search), '[^[:alnum:]]+') w WHERE w <> '';
	v_long := coalesce(v_words[1], '');
	RETURN QUERY EXECUTE
		'WITH hits AS MATERIALIZED (
			SELECT w.code FROM entry.code_words w
			WHERE w.client_id = $1 AND w.code_table = $2 AND w.word >= $3 AND w.word < $4
			UNION
			SELECT c.code FROM entry.codes c
			WHERE c.client_id = $1 AND c.code_table = $2 AND c.code ~>=~ $5 AND c.code ~<~ $6)
		 SELECT c.code, c.description FROM hits h
		 JOIN entry.codes c ON c.client_id = $1 AND c.code_table = $2 AND c.code = h.code
		 WHERE coalesce(c.valid_from <= current_date, true)
		   AND coalesce(c.valid_to >= current_date, true)
		   AND (c.code ~>=~ $5 AND c.code ~<~ $6
			OR c.description ILIKE ALL (ARRAY(SELECT ''%'' || x || ''%'' FROM unnest($7) x)))
		 ORDER BY c.code COLLATE "C" LIMIT 200'
	USING p_client_id, p_table, v_long, entry.next_prefix(v_long),
	      upper(v_search), entry.next_prefix(upper(v_search)), v_words[2:];
END
$function$;
ALTER FUNCTION entry.code_search(integer,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.code_search(integer,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.code_search(integer,text,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.code_search(integer,text,text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.code_search(integer,text,text) TO bd_admin;
