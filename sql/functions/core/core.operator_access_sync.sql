-- core.operator_access_sync: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.operator_access_sync()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	v_login text;
	v_role text;
	v_clients integer[];
BEGIN
	-- (OLD is NULL on INSERT, NEW on DELETE.)
	FOREACH v_login IN ARRAY ARRAY(SELECT DISTINCT l FROM unnest(ARRAY[OLD.login, NEW.login]) l
				       WHERE l IS NOT NULL) LOOP
		PERFORM 1 FROM core.operators o WHERE o.login = v_login FOR UPDATE;
		SELECT o.role, coalesce(array_agg(s.client_id ORDER BY s.client_id)
					FILTER (WHERE s.client_id IS NOT NULL), '{}')
		INTO v_role, v_clients
		FROM core.operators o
		LEFT JOIN core.assignments s ON s.login = o.login
		WHERE o.login = v_login AND NOT o.disabled
		GROUP BY o.login, o.role;
		IF v_role IS NULL THEN
			DELETE FROM core.operator_access a WHERE a.login = v_login;
		ELSE
			INSERT INTO core.operator_access AS a (login, role, clients)
			VALUES (v_login, v_role, v_clients)
			ON CONFLICT (login) DO UPDATE SET role = EXCLUDED.role, clients = EXCLUDED.clients
			WHERE (a.role, a.clients) IS DISTINCT FROM (EXCLUDED.role, EXCLUDED.clients);
		END IF;
	END LOOP;
	RETURN NULL;
END
$function$;
ALTER FUNCTION core.operator_access_sync() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.operator_access_sync() FROM PUBLIC;
