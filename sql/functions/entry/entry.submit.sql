-- entry.submit: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.submit(p_document_id bigint, p_values jsonb, p_keystrokes integer, p_corrections integer, p_seconds integer, p_fields_keyed integer)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
 SET plan_cache_mode TO 'force_generic_plan'
 SET enable_seqscan TO 'off'
AS $function$
DECLARE
	v_role text := core.require_role('clerk', 'supervisor');
	d entry.documents := entry.do_submit(p_document_id, p_values, p_keystrokes, p_corrections,
					     p_seconds, p_fields_keyed);
	v_notified boolean := entry.notify_keying(d.client_id);
BEGIN
	RETURN d.state;
END
$function$;
ALTER FUNCTION entry.submit(bigint,jsonb,integer,integer,integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.submit(bigint,jsonb,integer,integer,integer,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.submit(bigint,jsonb,integer,integer,integer,integer) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.submit(bigint,jsonb,integer,integer,integer,integer) TO bd_supervisor;
