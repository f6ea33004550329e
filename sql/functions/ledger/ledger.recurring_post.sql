-- ledger.recurring_post: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Makes every occurrence of the recurring entries (076_ledger_recurring.sql)
-- of client p_client (NULL: each of the caller's clients) dated up to
-- p_through that no post made before: each an ordinary entry through the
-- normal path (ledger.entry_create, then ledger.entry_submit unless p_draft),
-- for another accountant's approval. The period's row in
-- ledger.recurring_posts goes in first, ON CONFLICT DO NOTHING: its key
-- (template, period) makes a second post, or a concurrent one (it waits on
-- the first's key), make nothing. All or nothing: an occurrence that cannot
-- be made (a closed period, an inactive account) refuses the whole post,
-- naming the template and date. Returns what was made.

CREATE OR REPLACE FUNCTION ledger.recurring_post(p_client text, p_through date, p_draft boolean)
 RETURNS TABLE(client text, template_id bigint, name text, entry_date date, entry_id bigint)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	r record;
	v_lines jsonb;
	v_id bigint;
	v_state text;
	v_msg text;
BEGIN
	PERFORM core.require_role('accountant');
	IF p_client IS NOT NULL THEN
		cid := core.client_id_of(p_client);
	END IF;
	IF p_through IS NULL OR NOT isfinite(p_through) OR p_through > '2199-12-31' THEN
		RAISE EXCEPTION 'Post recurring entries through which date?' USING ERRCODE = 'BD001';
	END IF;
	FOR r IN
		SELECT t.client_id, c.code, t.template_id, t.name, t.journal, t.reference,
		       t.description, d.d
		FROM ledger.recurring t
		JOIN core.clients c ON c.client_id = t.client_id
		CROSS JOIN LATERAL ledger.recurring_dates(t.every, t.day, t.start_date, t.end_date,
							  p_through) d(d)
		WHERE (cid IS NULL OR t.client_id = cid)
		  AND NOT EXISTS (SELECT 1 FROM ledger.recurring_posts p
				  WHERE p.client_id = t.client_id AND p.template_id = t.template_id
				    AND p.period = date_trunc('month', d.d))
		ORDER BY c.code, d.d, t.template_id
	LOOP
		INSERT INTO ledger.recurring_posts AS p (client_id, template_id, period, entry_date)
		VALUES (r.client_id, r.template_id, date_trunc('month', r.d), r.d)
		ON CONFLICT DO NOTHING;
		IF NOT FOUND THEN
			CONTINUE; -- made meanwhile by another post
		END IF;
		SELECT jsonb_agg(jsonb_build_object('account', a.code,
						    'debit', l.debit::text, 'credit', l.credit::text,
						    'memo', l.memo) ORDER BY l.line_no)
		INTO v_lines
		FROM ledger.recurring_lines l
		JOIN ledger.accounts a ON a.client_id = l.client_id AND a.account_id = l.account_id
		WHERE l.client_id = r.client_id AND l.template_id = r.template_id;
		BEGIN
			v_id := ledger.entry_create(r.code, r.journal, r.d, r.reference, r.description,
						    v_lines);
			IF NOT coalesce(p_draft, false) THEN
				PERFORM ledger.entry_submit(r.code, v_id);
			END IF;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
			RAISE EXCEPTION 'Recurring entry % of %: %', r.name, r.d, v_msg
				USING ERRCODE = v_state;
		END;
		UPDATE ledger.recurring_posts p SET entry_id = v_id
		WHERE p.client_id = r.client_id AND p.template_id = r.template_id
		  AND p.period = date_trunc('month', r.d);
		client := r.code;
		template_id := r.template_id;
		name := r.name;
		entry_date := r.d;
		entry_id := v_id;
		RETURN NEXT;
	END LOOP;
END
$function$;
ALTER FUNCTION ledger.recurring_post(text,date,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.recurring_post(text,date,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.recurring_post(text,date,boolean) TO bd_accountant;
