-- entry.image_put: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Stores the page image of the document on line p_line of batch p_batch_id
-- (071: entry.images), as `backdesk batch import` does in the batch's own
-- transaction. The image is a PNG (the CLI normalised it); its signature,
-- size and pixel size are checked here too.

CREATE OR REPLACE FUNCTION entry.image_put(p_client_code text, p_batch_id bigint, p_line integer,
					   p_source_type text, p_page integer, p_page_count integer,
					   p_width integer, p_height integer, p_bytes bytea)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	v_client integer;
	v_doc bigint;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	v_client := core.client_id_of(p_client_code);
	SELECT d.document_id INTO v_doc FROM entry.documents d
	WHERE d.client_id = v_client AND d.batch_id = p_batch_id AND d.line = p_line;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Line %: no document of batch % on that line', p_line, p_batch_id
			USING ERRCODE = 'BD004';
	END IF;
	IF p_bytes IS NULL OR octet_length(p_bytes) < 8
	   OR substring(p_bytes FROM 1 FOR 8) <> '\x89504e470d0a1a0a'::bytea THEN
		RAISE EXCEPTION 'Line %: the image is not a PNG', p_line USING ERRCODE = 'BD001';
	END IF;
	IF octet_length(p_bytes) > 8388608 THEN
		RAISE EXCEPTION 'Line %: the image is larger than 8 MB', p_line USING ERRCODE = 'BD001';
	END IF;
	IF p_width IS NULL OR p_height IS NULL OR p_width NOT BETWEEN 1 AND 20000
	   OR p_height NOT BETWEEN 1 AND 20000 THEN
		RAISE EXCEPTION 'Line %: the image is not 1-20000 pixels wide and high', p_line
			USING ERRCODE = 'BD001';
	END IF;
	IF p_page IS NULL OR p_page_count IS NULL OR p_page NOT BETWEEN 1 AND p_page_count THEN
		RAISE EXCEPTION 'Line %: page % of % does not exist', p_line, p_page, p_page_count
			USING ERRCODE = 'BD001';
	END IF;
	INSERT INTO entry.images (client_id, document_id, source_type, page, page_count, width,
				  height, bytes)
	VALUES (v_client, v_doc, p_source_type, p_page, p_page_count, p_width, p_height, p_bytes)
	ON CONFLICT (client_id, document_id) DO UPDATE
	SET source_type = EXCLUDED.source_type, page = EXCLUDED.page,
	    page_count = EXCLUDED.page_count, width = EXCLUDED.width, height = EXCLUDED.height,
	    bytes = EXCLUDED.bytes, created_at = now();
	RETURN v_doc;
END
$function$;
ALTER FUNCTION entry.image_put(text,bigint,integer,text,integer,integer,integer,integer,bytea) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.image_put(text,bigint,integer,text,integer,integer,integer,integer,bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.image_put(text,bigint,integer,text,integer,integer,integer,integer,bytea) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.image_put(text,bigint,integer,text,integer,integer,integer,integer,bytea) TO bd_admin;
