-- inventory.move_create_once: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A stock move's F2: inventory.move_create with an idempotency key (see
-- 032_resilience.sql). The screen makes the key once per F2 and sends the
-- same key again when the link dropped before the answer came: the first
-- call that brings it keys (and posts) the move and records its message
-- with the key, in the same transaction; a later call with that key does
-- nothing and gets the same message. p_key NULL: no key, as move_create.
-- p_draft: the screen's draft key (core.drafts), dropped in the same
-- transaction as the move, so that a move that posted is never offered back
-- as a draft (an F2 whose answer a dropped link lost); NULL: none.
CREATE OR REPLACE FUNCTION inventory.move_create_once(p_client text, p_kind text, p_date date, p_reference text, p_reason text, p_lines jsonb, p_key text, p_draft text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_prior jsonb;
	v_msg text;
BEGIN
	PERFORM core.require_role('clerk', 'accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	IF p_key IS NOT NULL THEN
		PERFORM core.idem_prune();
		v_prior := core.idem_begin(cid, p_key);
		IF v_prior IS NOT NULL THEN
			RETURN v_prior #>> '{}';
		END IF;
	END IF;
	v_msg := inventory.move_create(p_client, p_kind, p_date, p_reference, p_reason, p_lines);
	IF p_draft IS NOT NULL THEN
		PERFORM core.draft_discard(p_draft);
	END IF;
	PERFORM core.idem_end(cid, p_key, to_jsonb(v_msg));
	RETURN v_msg;
END
$function$;
ALTER FUNCTION inventory.move_create_once(text,text,date,text,text,jsonb,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.move_create_once(text,text,date,text,text,jsonb,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.move_create_once(text,text,date,text,text,jsonb,text,text) TO bd_clerk, bd_accountant, bd_supervisor;
