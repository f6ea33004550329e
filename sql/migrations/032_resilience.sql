-- 032_resilience: F2 and postings are safe to send again.
--
-- A link that drops while a call is in flight leaves the client not knowing
-- whether it committed. So the calls a clerk or accountant repeats take an
-- idempotency key: a random token the client makes once per user action (16
-- bytes as hex) and sends again, unchanged, with every resend of that
-- action. The first call that brings a key records it with its answer, in
-- the same transaction as the work; a later call with the same key does no
-- work and gets the recorded answer. Either the work and its key commit
-- together, or neither does (a failed call leaves no key, and its resend
-- does the work). Two calls with one key at once: the second waits on the
-- first's key row and then reads its answer.
--
-- Keys are kept per operator and client under the tenant policy
-- (core.idempotency, with the answer), and each operator's keys older than
-- a day are removed by their next claim or journal entry (a resend comes
-- within seconds or minutes). The keying F2, the hot path, keeps its key on
-- the keying pass it writes instead (entry.passes.request_key, as private
-- as the pass): there it costs no statement of its own; see below.
--
-- Calls that take a key (NULL: no key, as before):
--   entry.submit_and_claim_next(..., p_key)   the keying F2 (key on the pass)
--   entry.adjudicate(..., p_key)              an adjudicator's save
--   entry.qa_review(..., p_key)               a QA reviewer's save
--   ledger.entry_create(..., p_key)            a new journal entry
--   ledger.entry_submit(..., p_key)            sent for approval
-- Posting itself (ledger.entry_approve) is a state change that a repeat
-- refuses ("not waiting for approval") without changing anything.

SET ROLE bd_owner;

-- operator in the "C" collation, as session_user's, so that operator =
-- session_user uses the primary key. No foreign key to core.clients: the
-- tenant policy already admits only the operator's clients, and its check
-- would lock the client's row on every F2 of every clerk of the client.
CREATE TABLE core.idempotency (
	operator   text COLLATE "C" NOT NULL DEFAULT session_user,
	client_id  integer NOT NULL,
	key        text COLLATE "C" NOT NULL CHECK (length(key) BETWEEN 8 AND 64),
	result     jsonb NOT NULL DEFAULT 'null',
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (operator, key, client_id)
) WITH (fillfactor = 80);
COMMENT ON TABLE core.idempotency IS
	'The answer of each call sent with an idempotency key, per operator and client.';
-- Not audited: the work each key stands for is on its own trail.
SELECT core.tenant_table('core.idempotency', audited => false);
-- An operator's keys are their own.
CREATE POLICY own_keys ON core.idempotency AS RESTRICTIVE
	USING (operator = session_user) WITH CHECK (operator = session_user);

-- Starts the keyed part of a call: NULL when the work is to be done (the key
-- is now taken, by this transaction), else the answer recorded for the key.
-- No key (or no client): NULL, nothing recorded. Internal (the callers'
-- search_path).
CREATE FUNCTION core.idem_begin(p_client_id integer, p_key text)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
	v_result jsonb;
BEGIN
	IF p_key IS NULL OR p_client_id IS NULL THEN
		RETURN NULL;
	END IF;
	IF length(p_key) NOT BETWEEN 8 AND 64 THEN
		RAISE EXCEPTION 'The request''s key is not valid' USING ERRCODE = 'BD001';
	END IF;
	INSERT INTO core.idempotency (operator, client_id, key)
	VALUES (session_user, p_client_id, p_key)
	ON CONFLICT DO NOTHING;
	IF FOUND THEN
		RETURN NULL;
	END IF;
	SELECT i.result INTO STRICT v_result FROM core.idempotency i
	WHERE i.operator = session_user AND i.key = p_key AND i.client_id = p_client_id;
	RETURN v_result;
END
$$;

-- Records the answer of the work done under the key idem_begin took.
CREATE FUNCTION core.idem_end(p_client_id integer, p_key text, p_result jsonb)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
	IF p_key IS NULL OR p_client_id IS NULL THEN
		RETURN false;
	END IF;
	UPDATE core.idempotency SET result = coalesce(p_result, 'null')
	WHERE operator = session_user AND key = p_key AND client_id = p_client_id;
	RETURN true;
END
$$;

-- Removes the session operator's keys older than a day.
CREATE FUNCTION core.idem_prune()
RETURNS integer
LANGUAGE sql
AS $$
	WITH gone AS (
		DELETE FROM core.idempotency
		WHERE operator = session_user AND created_at < now() - interval '1 day'
		RETURNING 1)
	SELECT count(*)::integer FROM gone;
$$;

-- --------------------------------------------------------------------------
-- The keying F2 (020_entry.sql), with its key. A resend returns the work row
-- of the first call: the document it claimed next, which is still the
-- clerk's (its lease runs from that claim).
--
-- The F2 is the hot path (README, Benchmarks), so its key is written with
-- the pass it inserts anyway (a row in core.idempotency, with its tenant
-- check, cost 6-10% of an F2's server CPU time), and looked up
-- only when the document turns out to be no longer the clerk's, which is
-- what a repeat of a submit that committed finds: the clerk's pass of the
-- document with this key. Its answer was the document the clerk holds now
-- (claimed by that call; none when the queue was empty), which is read
-- again, not claimed. A repeat sent while the first call still runs waits on
-- the document's row lock, then finds the pass.
-- --------------------------------------------------------------------------
ALTER TABLE entry.passes
	ADD COLUMN request_key text COLLATE "C" CHECK (length(request_key) BETWEEN 8 AND 64);
COMMENT ON COLUMN entry.passes.request_key IS
	'The idempotency key of the F2 that submitted the pass, or NULL.';
-- do_submit (020_entry.sql) as it was, but with a key the pass records it,
-- and a document that is no longer the caller's returns NULL instead of
-- raising: the caller looks for the pass of that key first (the row lock
-- taken here orders a resend after the call it repeats). Internal.
DROP FUNCTION entry.do_submit(bigint, jsonb, integer, integer, integer, integer);
CREATE FUNCTION entry.do_submit(p_document_id bigint, p_values jsonb, p_keystrokes integer,
				p_corrections integer, p_seconds integer, p_fields_keyed integer,
				p_key text DEFAULT NULL)
RETURNS entry.documents
LANGUAGE plpgsql
AS $$
DECLARE
	me text := session_user;
	r record;
	d entry.documents;
	v entry.doctype_versions;
	v_pass smallint;
	v_state text;
	v1 jsonb;
	v_values jsonb;
	v_final jsonb;
	v_checked boolean;
BEGIN
	-- The document (locked, as entry.my_claim does), its batch's mode and
	-- its doctype version, in one statement: this is the F2 path.
	SELECT dd AS d, b.mode, vv AS v INTO r
	FROM entry.documents dd
	JOIN entry.batches b ON b.client_id = dd.client_id AND b.batch_id = dd.batch_id
	LEFT JOIN entry.doctype_versions vv
		ON vv.client_id = dd.client_id AND vv.doctype_id = dd.doctype_id
		AND vv.version = dd.doctype_version
	WHERE dd.document_id = p_document_id
	FOR UPDATE OF dd;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document %', coalesce(p_document_id::text, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	d := r.d;
	v := r.v;
	IF d.claimed_by IS DISTINCT FROM me OR d.state <> 'in_progress' THEN
		IF p_key IS NOT NULL THEN
			RETURN NULL;
		END IF;
		RAISE EXCEPTION 'Document % is no longer yours (lease ran out or released)',
			d.external_ref USING ERRCODE = 'BD003';
	END IF;
	IF p_values IS NULL OR jsonb_typeof(p_values) <> 'object' THEN
		RAISE EXCEPTION 'The keyed values must be a JSON object of field names and text'
			USING ERRCODE = 'BD001';
	END IF;
	IF coalesce(p_keystrokes, 0) < 0 OR coalesce(p_corrections, 0) < 0
	   OR coalesce(p_seconds, 0) < 0 OR coalesce(p_fields_keyed, 0) < 0 THEN
		RAISE EXCEPTION 'Keying measures cannot be negative' USING ERRCODE = 'BD001';
	END IF;
	-- '' and NULL mean the same: the pass keeps the non-empty values, and
	-- the final values are the pre-filled ones overlaid with the keyed ones,
	-- where a field keyed empty clears a pre-filled value.
	SELECT coalesce(jsonb_object_agg(e.key, e.value)
			FILTER (WHERE e.value <> '""'::jsonb AND e.value <> 'null'::jsonb), '{}'),
	       d.prefill - coalesce(array_agg(e.key), '{}')
	INTO v_values, v_final
	FROM jsonb_each(p_values) e;
	v_final := v_final || v_values;
	v_checked := entry.check_values(v, v_final, 'keyed', true);
	v_pass := CASE WHEN r.mode = 'double' AND d.pass1_by IS NOT NULL THEN 2 ELSE 1 END;
	IF v_pass = 2 AND d.pass1_by = me THEN
		RAISE EXCEPTION 'Document % needs another operator: you keyed its first pass',
			d.external_ref USING ERRCODE = 'BD002';
	END IF;
	INSERT INTO entry.passes (client_id, document_id, pass, batch_id, operator, doctype_version,
				  "values", keystrokes, corrections, seconds, fields_keyed, claimed_at,
				  request_key)
	VALUES (d.client_id, d.document_id, v_pass, d.batch_id, me, d.doctype_version, v_values,
		coalesce(p_keystrokes, 0), coalesce(p_corrections, 0), coalesce(p_seconds, 0),
		coalesce(p_fields_keyed, (SELECT count(*) FROM jsonb_object_keys(v_values))),
		least(d.claimed_at, now()), p_key);

	IF r.mode = 'double' AND v_pass = 1 THEN
		v_state := 'keyed_once';
		UPDATE entry.documents
		SET state = v_state, pass1_by = me, claimed_by = NULL, claimed_at = NULL, lease_until = NULL
		WHERE client_id = d.client_id AND document_id = d.document_id
		RETURNING * INTO d;
	ELSIF r.mode = 'double' THEN
		SELECT p."values" INTO STRICT v1 FROM entry.passes p
		WHERE p.client_id = d.client_id AND p.document_id = d.document_id AND p.pass = 1;
		IF EXISTS (SELECT 1 FROM entry.diff(v.fields, v1, v_values)) THEN
			v_state := 'adjudication';
		ELSE
			v_state := 'done';
		END IF;
		UPDATE entry.documents
		SET state = v_state, pass2_by = me, claimed_by = NULL, claimed_at = NULL, lease_until = NULL,
		    final_values = CASE WHEN v_state = 'done' THEN d.prefill || v1 END,
		    completed_at = CASE WHEN v_state = 'done' THEN now() END
		WHERE client_id = d.client_id AND document_id = d.document_id
		RETURNING * INTO d;
	ELSE
		-- QA sampling: drawn here, in the database, at the doctype's rate.
		v_state := 'done';
		IF r.mode = 'single_qa' THEN
			IF random() < (SELECT t.qa_rate FROM entry.doctypes t
				       WHERE t.client_id = d.client_id AND t.doctype_id = d.doctype_id) THEN
				v_state := 'qa';
			END IF;
		END IF;
		UPDATE entry.documents
		SET state = v_state, pass1_by = me, claimed_by = NULL, claimed_at = NULL, lease_until = NULL,
		    final_values = v_final, qa_sampled = (v_state = 'qa'),
		    completed_at = CASE WHEN v_state = 'done' THEN now() END
		WHERE client_id = d.client_id AND document_id = d.document_id
		RETURNING * INTO d;
	END IF;
	RETURN d;
END
$$;



DROP FUNCTION entry.submit_and_claim_next(bigint, jsonb, integer, integer, integer, integer,
					  integer, integer);
CREATE FUNCTION entry.submit_and_claim_next(p_document_id bigint, p_values jsonb,
					    p_keystrokes integer, p_corrections integer,
					    p_seconds integer, p_fields_keyed integer,
					    p_lease_seconds integer, p_client_id integer DEFAULT NULL,
					    p_key text DEFAULT NULL)
RETURNS SETOF entry.work
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
	me text := session_user;
	v_role text := core.require_role('clerk', 'supervisor');
	d entry.documents := entry.do_submit(p_document_id, p_values, p_keystrokes, p_corrections,
					     p_seconds, p_fields_keyed, p_key);
	h entry.documents;
	b entry.queue_batches;
	w entry.work;
	v_notified boolean;
BEGIN
	IF d.document_id IS NULL THEN
		-- No longer this clerk's: submitted by a call with this key?
		SELECT dd.* INTO d FROM entry.documents dd WHERE dd.document_id = p_document_id;
		IF NOT EXISTS (SELECT 1 FROM entry.passes p
			       WHERE p.client_id = d.client_id AND p.document_id = d.document_id
				 AND p.operator = me AND p.request_key = p_key) THEN
			RAISE EXCEPTION 'Document % is no longer yours (lease ran out or released)',
				coalesce(d.external_ref, p_document_id::text) USING ERRCODE = 'BD003';
		END IF;
		-- Its answer: the document it claimed, which the clerk still holds.
		SELECT dd.* INTO h FROM entry.documents dd
		WHERE dd.claimed_by = me AND dd.state = 'in_progress'
		  AND (p_client_id IS NULL OR dd.client_id = p_client_id)
		ORDER BY dd.claimed_at DESC, dd.document_id
		LIMIT 1;
		IF FOUND THEN
			SELECT * INTO STRICT b FROM entry.queue_batches q
			WHERE q.client_id = h.client_id AND q.batch_id = h.batch_id;
			w := entry.work_of(h, b, false, d);
		ELSE
			w.submitted_state := d.state;
		END IF;
		RETURN NEXT w;
		RETURN;
	END IF;
	w := entry.take_next(p_lease_seconds, p_client_id, d);
	IF w.document_id IS NULL THEN
		w.submitted_state := d.state;
	END IF;
	-- One notification for the submit and the claim (see notify_keying).
	v_notified := entry.notify_keying(d.client_id);
	IF w.client_id <> d.client_id THEN
		v_notified := entry.notify_keying(w.client_id);
	END IF;
	RETURN NEXT w;
END
$$;

-- claim_next (020_entry.sql) as it was, and it prunes the operator's old
-- keys: a clerk's first claim of a sitting.
CREATE OR REPLACE FUNCTION entry.claim_next(p_lease_seconds integer, p_client_id integer DEFAULT NULL)
RETURNS SETOF entry.work
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
	v_role text := core.require_role('clerk', 'supervisor');
	v_pruned integer := core.idem_prune();
	w entry.work := entry.take_next(p_lease_seconds, p_client_id, NULL);
	v_notified boolean;
BEGIN
	IF w.document_id IS NOT NULL THEN
		v_notified := entry.notify_keying(w.client_id);
		RETURN NEXT w;
	END IF;
END
$$;

-- --------------------------------------------------------------------------
-- Journal entries (010_ledger.sql), with their keys.
-- --------------------------------------------------------------------------
DROP FUNCTION ledger.entry_create(text, text, date, text, text, jsonb);
CREATE FUNCTION ledger.entry_create(p_client text, p_journal text, p_date date,
				    p_reference text, p_description text, p_lines jsonb,
				    p_key text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	v_id bigint;
	v_prior jsonb;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	IF p_key IS NOT NULL THEN
		PERFORM core.idem_prune();
		v_prior := core.idem_begin(cid, p_key);
		IF v_prior IS NOT NULL THEN
			RETURN (v_prior #>> '{}')::bigint;
		END IF;
	END IF;
	PERFORM ledger.check_header(p_reference, p_description);
	PERFORM ledger.open_period(cid, p_date, false);
	IF NOT EXISTS (SELECT 1 FROM ledger.journals
		       WHERE client_id = cid AND journal = upper(btrim(p_journal))) THEN
		RAISE EXCEPTION 'No journal %', coalesce(p_journal, '(none)') USING ERRCODE = 'BD004';
	END IF;
	INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, entry_date,
				    reference, description)
	VALUES (cid, upper(btrim(p_journal)), 0, 0, p_date, coalesce(btrim(p_reference), ''),
		coalesce(btrim(p_description), ''))
	RETURNING entry_id INTO v_id;
	PERFORM ledger.put_lines(cid, v_id, p_lines);
	PERFORM core.idem_end(cid, p_key, to_jsonb(v_id));
	RETURN v_id;
END
$$;

DROP FUNCTION ledger.entry_submit(text, bigint);
CREATE FUNCTION ledger.entry_submit(p_client text, p_entry_id bigint, p_key text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	IF core.idem_begin(cid, p_key) IS NOT NULL THEN
		RETURN;
	END IF;
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'draft' THEN
		RAISE EXCEPTION 'Entry % is already %', p_entry_id, e.status USING ERRCODE = 'BD003';
	END IF;
	IF e.maker <> session_user THEN
		RAISE EXCEPTION 'Only % may submit this draft', e.maker USING ERRCODE = 'BD002';
	END IF;
	UPDATE ledger.entries SET status = 'submitted'
	WHERE client_id = cid AND entry_id = p_entry_id;
	PERFORM core.idem_end(cid, p_key, 'null');
	PERFORM ledger.notify_approvals(cid);
END
$$;

-- --------------------------------------------------------------------------
-- Adjudication and QA saves (020_entry.sql), with their keys: each a call of
-- the function as it is, under a key (their own definitions stay where
-- they are). The key's client is the document's.
-- --------------------------------------------------------------------------
CREATE FUNCTION entry.adjudicate(p_document_id bigint, p_decisions jsonb, p_key text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	v_cid integer := (SELECT dd.client_id FROM entry.documents dd
			  WHERE dd.document_id = p_document_id);
	v_prior jsonb := core.idem_begin(v_cid, p_key);
	v_state text;
BEGIN
	IF v_prior IS NOT NULL THEN
		RETURN v_prior #>> '{}';
	END IF;
	v_state := entry.adjudicate(p_document_id, p_decisions);
	PERFORM core.idem_end(v_cid, p_key, to_jsonb(v_state));
	RETURN v_state;
END
$$;

CREATE FUNCTION entry.qa_review(p_document_id bigint, p_results jsonb, p_key text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	v_cid integer := (SELECT dd.client_id FROM entry.documents dd
			  WHERE dd.document_id = p_document_id);
	v_prior jsonb := core.idem_begin(v_cid, p_key);
	v_state text;
BEGIN
	IF v_prior IS NOT NULL THEN
		RETURN v_prior #>> '{}';
	END IF;
	v_state := entry.qa_review(p_document_id, p_results);
	PERFORM core.idem_end(v_cid, p_key, to_jsonb(v_state));
	RETURN v_state;
END
$$;

REVOKE EXECUTE ON FUNCTION core.idem_begin(integer, text), core.idem_end(integer, text, jsonb),
	core.idem_prune() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION
	entry.submit_and_claim_next(bigint, jsonb, integer, integer, integer, integer, integer,
				    integer, text),
	ledger.entry_create(text, text, date, text, text, jsonb, text),
	ledger.entry_submit(text, bigint, text),
	entry.do_submit(bigint, jsonb, integer, integer, integer, integer, text),
	entry.adjudicate(bigint, jsonb, text),
	entry.qa_review(bigint, jsonb, text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	entry.submit_and_claim_next(bigint, jsonb, integer, integer, integer, integer, integer,
				    integer, text),
	entry.adjudicate(bigint, jsonb, text),
	entry.qa_review(bigint, jsonb, text)
	TO bd_clerk, bd_supervisor;
GRANT EXECUTE ON FUNCTION
	ledger.entry_create(text, text, date, text, text, jsonb, text),
	ledger.entry_submit(text, bigint, text)
	TO bd_accountant, bd_supervisor;

RESET ROLE;
