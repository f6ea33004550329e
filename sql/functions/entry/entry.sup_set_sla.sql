-- entry.sup_set_sla: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.sup_set_sla(p_batch_id bigint, p_due timestamp with time zone, p_hours numeric)
 RETURNS timestamp with time zone
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	b entry.batches := entry.sup_batch(p_batch_id);
	v_due timestamptz;
BEGIN
	IF p_due IS NOT NULL THEN
		IF NOT isfinite(p_due) THEN
			RAISE EXCEPTION 'The SLA must be a real date and time' USING ERRCODE = 'BD001';
		END IF;
		v_due := p_due;
	ELSIF p_hours IS NOT NULL AND p_hours > 0 AND p_hours <= 24 * 366 THEN
		v_due := now() + make_interval(secs => (p_hours * 3600)::double precision);
	ELSE
		RAISE EXCEPTION 'Give the SLA as a date and time, or hours from now (at most a year)'
			USING ERRCODE = 'BD001';
	END IF;
	UPDATE entry.batches SET sla_due = v_due
	WHERE client_id = b.client_id AND batch_id = b.batch_id;
	INSERT INTO entry.actions (client_id, action, batch_id, detail)
	VALUES (b.client_id, 'sla', b.batch_id, jsonb_build_object('from', b.sla_due, 'to', v_due));
	PERFORM entry.notify(b.client_id);
	RETURN v_due;
END
$function$;
ALTER FUNCTION entry.sup_set_sla(bigint,timestamp with time zone,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.sup_set_sla(bigint,timestamp with time zone,numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.sup_set_sla(bigint,timestamp with time zone,numeric) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.sup_set_sla(bigint,timestamp with time zone,numeric) TO bd_admin;
