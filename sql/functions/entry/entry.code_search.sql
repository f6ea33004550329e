-- entry.code_search: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- F4 over a client's code table (070: entry.codes), in effect today: by the
-- start of a code, or by words of the description (each word anywhere in
-- it, case ignored; the longest through the trigram index), at most 200 in
-- code order. Invoker's rights: the tenant policy shows the caller's
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
	-- LIKE's own characters typed are meant literally.
	SELECT array_agg('%' || regexp_replace(w, '([\\%_])', '\\\1', 'g') || '%' ORDER BY length(w) DESC)
	INTO v_words
	FROM regexp_split_to_table(v_search, '\s+') w WHERE w <> '';
	v_long := v_words[1];
	RETURN QUERY EXECUTE
		'SELECT c.code, c.description FROM entry.codes c
		 WHERE c.client_id = $1 AND c.code_table = $2
		   AND (c.code LIKE $3 OR (c.description ILIKE $4 AND c.description ILIKE ALL ($5)))
		   AND coalesce(c.valid_from <= current_date, true)
		   AND coalesce(c.valid_to >= current_date, true)
		 ORDER BY c.code COLLATE "C" LIMIT 200'
	USING p_client_id, p_table,
	      regexp_replace(upper(v_search), '([\\%_])', '\\\1', 'g') || '%', v_long, v_words;
END
$function$;
ALTER FUNCTION entry.code_search(integer,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.code_search(integer,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.code_search(integer,text,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.code_search(integer,text,text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.code_search(integer,text,text) TO bd_admin;
