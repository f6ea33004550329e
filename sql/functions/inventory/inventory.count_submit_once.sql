-- inventory.count_submit_once: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A stock count's F2: inventory.count_submit with an idempotency key, as
-- inventory.move_create_once does for a move (see 032_resilience.sql and
-- 081_inventory_bounded.sql). The screen makes the key once per F2 and
-- sends the same key again when the link dropped before the answer came:
-- the first call that brings it submits the count and records its message
-- with the key, in the same transaction; a later call with that key submits
-- nothing and gets the same message, so a count is never counted twice
-- (its approval would post the difference twice). p_key NULL: no key, as
-- count_submit. p_draft: the screen's draft key (core.drafts), dropped in
-- the count's transaction; NULL: none.
CREATE OR REPLACE FUNCTION inventory.count_submit_once(p_client text, p_location text, p_date date, p_lines jsonb, p_key text, p_draft text)
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
	v_msg := inventory.count_submit(p_client, p_location, p_date, p_lines);
	IF p_draft IS NOT NULL THEN
		PERFORM core.draft_discard(p_draft);
	END IF;
	PERFORM core.idem_end(cid, p_key, to_jsonb(v_msg));
	RETURN v_msg;
END
$function$;
ALTER FUNCTION inventory.count_submit_once(text,text,date,jsonb,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.count_submit_once(text,text,date,jsonb,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.count_submit_once(text,text,date,jsonb,text,text) TO bd_clerk, bd_accountant, bd_supervisor;
