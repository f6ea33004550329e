-- inventory.location_save: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Adds or renames a location: a warehouse (no parent) or a bin in a
-- warehouse (the parent's code).
CREATE OR REPLACE FUNCTION inventory.location_save(p_client text, p_code text, p_name text, p_parent text DEFAULT NULL)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	p inventory.locations;
	v_code text := btrim(coalesce(p_code, ''));
	v_id integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	IF v_code !~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,19}$' THEN
		RAISE EXCEPTION 'Location code "%" must be 1-20 letters, digits or . _ / -', v_code
			USING ERRCODE = 'BD001';
	END IF;
	IF btrim(coalesce(p_name, '')) = '' OR length(p_name) > 80 OR p_name ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'Location % needs a name of at most 80 characters', v_code
			USING ERRCODE = 'BD001';
	END IF;
	IF nullif(btrim(coalesce(p_parent, '')), '') IS NOT NULL THEN
		p := inventory.location_of(cid, p_parent);
		IF p.kind <> 'warehouse' THEN
			RAISE EXCEPTION 'A bin is in a warehouse; % is a bin', p.code USING ERRCODE = 'BD001';
		END IF;
	END IF;
	SELECT location_id INTO v_id FROM inventory.locations WHERE client_id = cid AND code = v_code;
	IF FOUND THEN
		IF (p.location_id IS NULL) <> (SELECT parent_id IS NULL FROM inventory.locations
					       WHERE client_id = cid AND location_id = v_id) THEN
			RAISE EXCEPTION 'Location % stays a %', v_code,
				(SELECT kind FROM inventory.locations WHERE client_id = cid AND location_id = v_id)
				USING ERRCODE = 'BD002';
		END IF;
		UPDATE inventory.locations SET name = btrim(p_name), parent_id = p.location_id
		WHERE client_id = cid AND location_id = v_id;
		RETURN v_id;
	END IF;
	INSERT INTO inventory.locations (client_id, code, name, kind, parent_id)
	VALUES (cid, v_code, btrim(p_name), CASE WHEN p.location_id IS NULL THEN 'warehouse'
						    ELSE 'bin' END, p.location_id)
	RETURNING location_id INTO v_id;
	RETURN v_id;
END
$function$;
ALTER FUNCTION inventory.location_save(text,text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.location_save(text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.location_save(text,text,text,text) TO bd_accountant, bd_supervisor;

