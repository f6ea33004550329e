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
-- Keys are kept per operator and client under the tenant policy, and each
-- operator's keys older than a day are removed by their next claim or
-- journal entry (a resend comes within seconds or minutes).
--
-- Calls that take a key (NULL: no key, as before):
--   entry.submit_and_claim_next(..., p_key)   the keying F2
--   entry.adjudicate(..., p_key)              an adjudicator's save
--   entry.qa_review(..., p_key)               a QA reviewer's save
--   ledger.entry_create(..., p_key)            a new journal entry
--   ledger.entry_submit(..., p_key)            sent for approval
-- Posting itself (ledger.entry_approve) is a state change that a repeat
-- refuses ("not waiting for approval") without changing anything.

SET ROLE bd_owner;

-- operator in the "C" collation, as session_user's, so that operator =
-- session_user uses the primary key.
CREATE TABLE core.idempotency (
	operator   text COLLATE "C" NOT NULL DEFAULT session_user,
	client_id  integer NOT NULL REFERENCES core.clients (client_id),
	key        text COLLATE "C" NOT NULL CHECK (length(key) BETWEEN 8 AND 64),
	result     jsonb NOT NULL DEFAULT 'null',
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (operator, client_id, key)
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
	WHERE i.operator = session_user AND i.client_id = p_client_id AND i.key = p_key;
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
	WHERE operator = session_user AND client_id = p_client_id AND key = p_key;
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
-- --------------------------------------------------------------------------
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
	v_role text := core.require_role('clerk', 'supervisor');
	v_cid integer;
	v_prior jsonb;
	d entry.documents;
	w entry.work;
	v_notified boolean;
BEGIN
	IF p_key IS NOT NULL THEN
		v_cid := coalesce(p_client_id,
				  (SELECT dd.client_id FROM entry.documents dd
				   WHERE dd.document_id = p_document_id));
		v_prior := core.idem_begin(v_cid, p_key);
		IF v_prior IS NOT NULL THEN
			RETURN NEXT jsonb_populate_record(NULL::entry.work, v_prior);
			RETURN;
		END IF;
	END IF;
	d := entry.do_submit(p_document_id, p_values, p_keystrokes, p_corrections, p_seconds,
			     p_fields_keyed);
	w := entry.take_next(p_lease_seconds, p_client_id, d);
	IF w.document_id IS NULL THEN
		w.submitted_state := d.state;
	END IF;
	-- One notification for the submit and the claim (see notify_keying).
	v_notified := entry.notify_keying(d.client_id);
	IF w.client_id <> d.client_id THEN
		v_notified := entry.notify_keying(w.client_id);
	END IF;
	IF p_key IS NOT NULL THEN
		v_notified := core.idem_end(v_cid, p_key, to_jsonb(w));
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
	PERFORM pg_notify('bd_ledger_approvals', p_client);
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
