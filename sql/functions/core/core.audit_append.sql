-- core.audit_append: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.audit_append(p_client_id integer, p_table text, p_op text, p_row_key jsonb, p_old jsonb, p_new jsonb)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	h core.audit_head;
	v_at timestamptz := now();
	v_actor text := session_user;
	v_hash bytea;
BEGIN
	SELECT * INTO h FROM core.audit_head WHERE client_id = p_client_id FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO core.audit_head (client_id, seq, hash)
		VALUES (p_client_id, 0, core.audit_genesis())
		ON CONFLICT (client_id) DO NOTHING;
		SELECT * INTO STRICT h FROM core.audit_head WHERE client_id = p_client_id FOR UPDATE;
	END IF;
	v_hash := core.audit_hash(h.hash, p_client_id, h.seq + 1, v_at, v_actor, p_table, p_op,
				  p_row_key, p_old, p_new);
	INSERT INTO core.audit_log (client_id, seq, at, actor, table_name, op, row_key, old, new,
				    prev_hash, hash)
	VALUES (p_client_id, h.seq + 1, v_at, v_actor, p_table, p_op, p_row_key, p_old, p_new,
		h.hash, v_hash);
	UPDATE core.audit_head SET seq = h.seq + 1, hash = v_hash WHERE client_id = p_client_id;
END
$function$;
ALTER FUNCTION core.audit_append(integer,text,text,jsonb,jsonb,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.audit_append(integer,text,text,jsonb,jsonb,jsonb) FROM PUBLIC;
