-- entry.image_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The page image of document p_document_id (071: entry.images), for the
-- keying screen and `backdesk image`. Only a client the caller is assigned
-- to: the tenant policy filters the read (FORCE: this definer reads as the
-- caller's session user), and the explicit check below says so in words
-- rather than with an empty answer. An image of another client's document
-- is "no image", never a refusal that tells it exists.

CREATE OR REPLACE FUNCTION entry.image_of(p_document_id bigint)
 RETURNS TABLE(document_id bigint, media_type text, source_type text, page integer,
	       page_count integer, width integer, height integer, bytes bytea)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
BEGIN
	RETURN QUERY
	SELECT i.document_id, i.media_type, i.source_type, i.page, i.page_count, i.width,
	       i.height, i.bytes
	FROM entry.images i
	WHERE i.document_id = p_document_id
	  AND (core.is_superuser() OR i.client_id = ANY (core.my_clients()));
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Document % has no image you may see', coalesce(p_document_id::text, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
END
$function$;
ALTER FUNCTION entry.image_of(bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.image_of(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.image_of(bigint) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.image_of(bigint) TO bd_accountant;
GRANT EXECUTE ON FUNCTION entry.image_of(bigint) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.image_of(bigint) TO bd_admin;
