-- entry.claim_next: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.claim_next(p_lease_seconds integer, p_client text DEFAULT NULL::text)
 RETURNS SETOF entry.work
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
 SET plan_cache_mode TO 'force_generic_plan'
 SET enable_seqscan TO 'off'
AS $function$
DECLARE
	v_role text := core.require_role('clerk', 'supervisor');
	v_client_id integer := CASE WHEN p_client IS NULL THEN NULL ELSE core.client_id_of(p_client) END;
	v_pruned integer := core.idem_prune();
	w entry.work := entry.take_next(p_lease_seconds, v_client_id, NULL);
	v_notified boolean;
BEGIN
	IF w.document_id IS NOT NULL THEN
		v_notified := entry.notify_keying(w.client_id);
		RETURN NEXT w;
	END IF;
END
$function$;
ALTER FUNCTION entry.claim_next(integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.claim_next(integer,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.claim_next(integer,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.claim_next(integer,text) TO bd_supervisor;
