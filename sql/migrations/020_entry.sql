-- 020_entry: data-entry work queues. Document types (versioned screen files),
-- batches, documents, keying passes with their measures, double keying with
-- adjudication, QA sampling and review, supervisor actions, lookup tables.
-- Follows the security model at the top of 001_core.sql.
--
-- Life of a document (entry.documents.state):
--
--   waiting --claim--> in_progress --submit--> done                  (single)
--                                          \-> qa --review--> done   (single_qa, sampled)
--                                          \-> keyed_once            (double, pass 1)
--   keyed_once --claim by another operator--> in_progress --submit--> done | adjudication
--   adjudication --adjudicate by a third operator--> done
--   any claimed state --reject--> rejected; --release/skip--> back where it was
--
-- Claims: claimed_by, claimed_at and lease_until on the document row. A
-- document whose lease_until has passed is claimable again by anyone (at claim
-- time: no background job). The claim scan locks with FOR UPDATE SKIP LOCKED
-- and every condition that decides claimability is a column of the document
-- row itself (state, lease_until, pass1_by), so the recheck PostgreSQL does on
-- a row that another session changed under us sees the new values: two
-- sessions can never both take a document.
--
-- Guarantees enforced by the database:
--   * The second pass is keyed by someone other than the first keyer: the
--     claim skips such documents, submit refuses them, and a UNIQUE
--     (client_id, document_id, operator) on entry.passes stops anyone else.
--   * Adjudication is by neither keyer, QA review not by the keyer.
--   * Passes are append-only except fields_in_error (adjudication and QA
--     attribute errors to them); values of the doctype's fields only.
--   * Every state change NOTIFYs channel bd_queue with the client_id as
--     payload (delivered on commit; the supervisor board coalesces); keying
--     transactions of a client in flight together notify once between them
--     (see entry.notify_keying).
--
-- Audit (why not every table): core.audit_append serialises all audited
-- writes of a client on its chain head row until commit. Auditing the claim
-- and submit of every document would make that row the queue's hot spot
-- and serialise every clerk of a client (the ledger makes the same choice
-- for its lines). So the hot path is not on the hash chain and is its own
-- trail instead: documents carry who claimed, keyed, rejected and when;
-- passes are append-only. On the chain (core.tenant_table's audit trigger):
-- document types and their versions, batches (pause, priority, SLA), lookup
-- tables, adjudication and QA decisions (they change delivered values), and
-- entry.actions, one row per supervisor action (release, reassign, pause,
-- resume, priority, SLA, QA rate).
--
-- Roles: clerks and supervisors key, adjudicate and review; supervisors and
-- admins load document types, import batches and act on the queue. Clerks
-- read document types, batches and lookups, but not documents or passes
-- (the second pass is blind): the functions hand them what they may see.

CREATE SCHEMA entry AUTHORIZATION bd_owner;
REVOKE ALL ON SCHEMA entry FROM PUBLIC;
GRANT USAGE ON SCHEMA entry TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

SET ROLE bd_owner;

-- --------------------------------------------------------------------------
-- Tables
-- --------------------------------------------------------------------------

-- The single-column rules of documents (updated twice per F2) and passes
-- (inserted once) are domains: PostgreSQL checks a domain only when a value
-- is stored in that column, from a compiled form it keeps, but reads every
-- CHECK constraint of a table back from its stored text and runs it on
-- every insert and update of a row, whichever columns changed. The rules
-- that tie columns together stay CHECK constraints.
CREATE DOMAIN entry.document_state AS text
	CHECK (VALUE IN ('waiting', 'in_progress', 'keyed_once', 'done', 'rejected',
			 'adjudication', 'qa'));
CREATE DOMAIN entry.reject_reason AS text
	CHECK (VALUE IN ('illegible', 'incomplete', 'wrong_document', 'duplicate'));
CREATE DOMAIN entry.json_object AS jsonb CHECK (jsonb_typeof(VALUE) = 'object');
CREATE DOMAIN entry.note AS text CHECK (length(VALUE) <= 1000);
CREATE DOMAIN entry.external_ref AS text CHECK (length(VALUE) BETWEEN 1 AND 100);
CREATE DOMAIN entry.line_number AS integer CHECK (VALUE > 0);
CREATE DOMAIN entry.pass_number AS smallint CHECK (VALUE IN (1, 2));
CREATE DOMAIN entry.tally AS integer CHECK (VALUE >= 0);

CREATE TABLE entry.doctypes (
	client_id  integer NOT NULL REFERENCES core.clients (client_id),
	doctype_id integer GENERATED ALWAYS AS IDENTITY,
	code       text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
	title      text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 200),
	qa_rate    numeric(5, 4) NOT NULL DEFAULT 0.05 CHECK (qa_rate BETWEEN 0 AND 1),
	-- The version a document takes at its first claim; doctype_load keeps
	-- it (the queue reads it on every claim, where max(version) was a
	-- subquery with its own tenant check).
	newest_version integer,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, doctype_id),
	UNIQUE (client_id, code)
);
COMMENT ON TABLE entry.doctypes IS
	'Document types per client; qa_rate is the share of single_qa documents sampled for QA.';

CREATE TABLE entry.doctype_versions (
	client_id   integer NOT NULL,
	doctype_id  integer NOT NULL,
	version     integer NOT NULL CHECK (version > 0),
	screen      text NOT NULL CHECK (length(screen) BETWEEN 1 AND 200000),
	fields      jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'array'),
	field_names text[] NOT NULL,
	rules       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(rules) = 'array'),
	loaded_by   text NOT NULL DEFAULT session_user,
	loaded_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, doctype_id, version),
	FOREIGN KEY (client_id, doctype_id) REFERENCES entry.doctypes (client_id, doctype_id)
);
ALTER TABLE entry.doctypes ADD FOREIGN KEY (client_id, doctype_id, newest_version)
	REFERENCES entry.doctype_versions (client_id, doctype_id, version);
COMMENT ON TABLE entry.doctype_versions IS
	'Every version of a document type''s screen file, as loaded (validated by bd_screen_parse). '
	'fields: [{name, type, label, scale}] in screen order; rules: [{target, terms}] sums.';

CREATE TABLE entry.batches (
	client_id  integer NOT NULL REFERENCES core.clients (client_id),
	batch_id   bigint GENERATED ALWAYS AS IDENTITY,
	doctype_id integer NOT NULL,
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	mode       text NOT NULL CHECK (mode IN ('single', 'single_qa', 'double')),
	priority   integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 99),
	sla_due    timestamptz NOT NULL CHECK (isfinite(sla_due)),
	paused     boolean NOT NULL DEFAULT false,
	-- Set by the claim that finds none of the batch's documents waiting,
	-- keyed once or in progress: no document leaves done, rejected,
	-- adjudication or QA for the keying queue, so none can come back, and
	-- no claim looks at the batch again (a floor's old batches would
	-- otherwise cost every F2 a look each).
	drained    boolean NOT NULL DEFAULT false,
	documents  integer NOT NULL CHECK (documents > 0),
	created_by text NOT NULL DEFAULT session_user,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, batch_id),
	FOREIGN KEY (client_id, doctype_id) REFERENCES entry.doctypes (client_id, doctype_id)
);
CREATE INDEX batches_batch_idx ON entry.batches (batch_id);
CREATE INDEX batches_queue_idx ON entry.batches (client_id, priority DESC, batch_id)
	WHERE NOT paused AND NOT drained;
COMMENT ON TABLE entry.batches IS
	'Imported batches: higher priority first, then older batches; paused batches are not handed out.';

CREATE TABLE entry.documents (
	client_id       integer NOT NULL,
	document_id     bigint GENERATED ALWAYS AS IDENTITY,
	batch_id        bigint NOT NULL,
	doctype_id      integer NOT NULL,
	line            entry.line_number NOT NULL,
	external_ref    entry.external_ref NOT NULL,
	source_path     entry.note,
	prefill         entry.json_object NOT NULL DEFAULT '{}',
	state           entry.document_state NOT NULL DEFAULT 'waiting',
	doctype_version integer,
	pass1_by        text,
	pass2_by        text,
	claimed_by      text,
	claimed_at      timestamptz,
	lease_until     timestamptz,
	final_values    entry.json_object,
	qa_sampled      boolean NOT NULL DEFAULT false,
	reject_reason   entry.reject_reason,
	reject_note     entry.note,
	rejected_by     text,
	skipped_by      text[],		-- who released it with a note (entry.skips): not handed back to them
	completed_at    timestamptz,
	created_at      timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, document_id),
	UNIQUE (client_id, batch_id, external_ref),
	FOREIGN KEY (client_id, batch_id) REFERENCES entry.batches (client_id, batch_id),
	FOREIGN KEY (client_id, doctype_id) REFERENCES entry.doctypes (client_id, doctype_id),
	FOREIGN KEY (client_id, doctype_id, doctype_version)
		REFERENCES entry.doctype_versions (client_id, doctype_id, version),
	CHECK ((state = 'rejected') = (reject_reason IS NOT NULL)),
	CHECK (state <> 'in_progress' OR (claimed_by IS NOT NULL AND lease_until IS NOT NULL)),
	CHECK ((claimed_by IS NULL) = (lease_until IS NULL)),
	CHECK (state IN ('in_progress', 'adjudication', 'qa') OR claimed_by IS NULL),
	CHECK (pass2_by IS DISTINCT FROM pass1_by OR pass2_by IS NULL)
);
-- The keying queue: documents waiting for their first pass, and those
-- waiting for a second (double keying), in line order within a batch.
-- Claims in flight are not in them (every clerk's claim scan would step over
-- all of them): they are in the lease index, where the claim looks for leases
-- that ran out.
CREATE INDEX documents_queue_idx ON entry.documents (client_id, batch_id, line)
	WHERE state = 'waiting';
CREATE INDEX documents_second_pass_idx ON entry.documents (client_id, batch_id, line)
	WHERE state = 'keyed_once';
CREATE INDEX documents_lease_idx ON entry.documents (client_id, batch_id, lease_until)
	WHERE state = 'in_progress';
-- The adjudication and QA queues.
CREATE INDEX documents_review_idx ON entry.documents (state, client_id, document_id)
	WHERE state = ANY ('{adjudication,qa}'::text[]);
CREATE INDEX documents_claimed_idx ON entry.documents (claimed_by) WHERE claimed_by IS NOT NULL;
-- Every claim steps over the queue index's entries of documents taken since
-- the last VACUUM (only VACUUM removes them). So the table is vacuumed after
-- a fixed number of changed rows instead of a fifth of the table, and always
-- with its indexes: PostgreSQL skips index cleanup when few of the table's
-- pages have dead rows, which in a large queue is nearly always.
ALTER TABLE entry.documents SET (autovacuum_vacuum_scale_factor = 0,
				 autovacuum_vacuum_threshold = 10000,
				 vacuum_index_cleanup = on);
COMMENT ON TABLE entry.documents IS 'One row per document to key; see the state diagram in 020_entry.sql.';

CREATE TABLE entry.passes (
	client_id       integer NOT NULL,
	document_id     bigint NOT NULL,
	pass            entry.pass_number NOT NULL,
	batch_id        bigint NOT NULL,
	operator        text NOT NULL,
	doctype_version integer NOT NULL,
	"values"        entry.json_object NOT NULL,
	keystrokes      entry.tally NOT NULL,
	corrections     entry.tally NOT NULL,
	seconds         entry.tally NOT NULL,
	fields_keyed    entry.tally NOT NULL,
	fields_in_error entry.tally NOT NULL DEFAULT 0,
	claimed_at      timestamptz NOT NULL,
	submitted_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, document_id, pass),
	-- The database refuses the same operator keying a document twice.
	UNIQUE (client_id, document_id, operator),
	FOREIGN KEY (client_id, document_id) REFERENCES entry.documents (client_id, document_id),
	CHECK (submitted_at >= claimed_at)
);
CREATE INDEX passes_operator_idx ON entry.passes (operator, submitted_at);
CREATE INDEX passes_dup_idx ON entry.passes (client_id, batch_id, operator, submitted_at DESC);
-- The productivity board reads passes by date. Passes are appended in time
-- order, so a BRIN index serves those ranges, and an insert does not touch
-- it (the newest block range is summarised later, by autovacuum); a B-tree
-- on the submit time had every clerk's F2 insert into its rightmost page.
CREATE INDEX passes_submitted_idx ON entry.passes USING brin (submitted_at)
	WITH (autosummarize = on);
COMMENT ON TABLE entry.passes IS
	'Keying passes with their measures; append-only but for fields_in_error.';

CREATE TABLE entry.field_errors (
	client_id     integer NOT NULL,
	document_id   bigint NOT NULL,
	pass          smallint NOT NULL,
	field         text NOT NULL,
	source        text NOT NULL CHECK (source IN ('adjudication', 'qa')),
	keyed_value   text,
	correct_value text,
	at            timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, document_id, pass, field),
	FOREIGN KEY (client_id, document_id, pass) REFERENCES entry.passes (client_id, document_id, pass)
);
COMMENT ON TABLE entry.field_errors IS 'Each field a keyer got wrong, found by adjudication or QA.';

CREATE TABLE entry.adjudications (
	client_id   integer NOT NULL,
	document_id bigint NOT NULL,
	field       text NOT NULL,
	value1      text,
	value2      text,
	choice      text NOT NULL CHECK (choice IN ('1', '2', 'rekey')),
	final_value text,
	adjudicator text NOT NULL DEFAULT session_user,
	at          timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, document_id, field),
	FOREIGN KEY (client_id, document_id) REFERENCES entry.documents (client_id, document_id)
);
COMMENT ON TABLE entry.adjudications IS 'Per differing field: the pick of the adjudicator.';

CREATE TABLE entry.qa_reviews (
	client_id       integer NOT NULL,
	document_id     bigint NOT NULL,
	field           text NOT NULL,
	keyed_value     text,
	ok              boolean NOT NULL,
	corrected_value text,
	reviewer        text NOT NULL DEFAULT session_user,
	at              timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, document_id, field),
	FOREIGN KEY (client_id, document_id) REFERENCES entry.documents (client_id, document_id),
	CHECK (ok OR corrected_value IS NOT NULL)
);
COMMENT ON TABLE entry.qa_reviews IS 'Per field of a sampled document: right, or wrong and corrected.';

CREATE TABLE entry.skips (
	client_id   integer NOT NULL,
	skip_id     bigint GENERATED ALWAYS AS IDENTITY,
	document_id bigint NOT NULL,
	login       text NOT NULL DEFAULT session_user,
	note        text NOT NULL CHECK (length(note) <= 1000),
	at          timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, skip_id),
	FOREIGN KEY (client_id, document_id) REFERENCES entry.documents (client_id, document_id)
);
COMMENT ON TABLE entry.skips IS
	'Documents an operator released (skipped) with a note; they are not handed back to them.';
-- (The claims read who skipped a document from documents.skipped_by, which
-- release keeps with this table: a condition on the row they already read.
-- A lookup here cost each claim subquery a join with its own tenant check.)

CREATE TABLE entry.actions (
	client_id   integer NOT NULL REFERENCES core.clients (client_id),
	action_id   bigint GENERATED ALWAYS AS IDENTITY,
	action      text NOT NULL CHECK (action IN ('release', 'reassign', 'pause', 'resume',
						     'priority', 'sla', 'qa_rate')),
	batch_id    bigint,
	document_id bigint,
	detail      jsonb NOT NULL DEFAULT '{}',
	actor       text NOT NULL DEFAULT session_user,
	at          timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, action_id)
);
COMMENT ON TABLE entry.actions IS 'Supervisor actions on the queue (also on the audit chain).';

CREATE TABLE entry.lookups (
	client_id   integer NOT NULL REFERENCES core.clients (client_id),
	lookup      text NOT NULL CHECK (lookup ~ '^[a-z][a-z0-9_]{0,31}$'),
	code        text NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
	description text NOT NULL CHECK (length(description) <= 200),
	active      boolean NOT NULL DEFAULT true,
	PRIMARY KEY (client_id, lookup, code)
);
COMMENT ON TABLE entry.lookups IS
	'Small per-client code tables behind doctype lookups (procedure, diagnosis, supplier, ...).';

SELECT core.tenant_table('entry.doctypes');
SELECT core.tenant_table('entry.doctype_versions');
SELECT core.tenant_table('entry.batches');
SELECT core.tenant_table('entry.lookups');
SELECT core.tenant_table('entry.documents', ARRAY['bd_supervisor', 'bd_admin'], false);
SELECT core.tenant_table('entry.passes', ARRAY['bd_supervisor', 'bd_admin'], false);
SELECT core.tenant_table('entry.field_errors', ARRAY['bd_supervisor', 'bd_admin'], false);
SELECT core.tenant_table('entry.skips', ARRAY['bd_supervisor', 'bd_admin'], false);
SELECT core.tenant_table('entry.adjudications', ARRAY['bd_supervisor', 'bd_admin']);
SELECT core.tenant_table('entry.qa_reviews', ARRAY['bd_supervisor', 'bd_admin']);
SELECT core.tenant_table('entry.actions', ARRAY['bd_supervisor', 'bd_admin']);

-- Passes: append-only but for fields_in_error.
CREATE FUNCTION entry.passes_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'A keying pass cannot be deleted' USING ERRCODE = 'BD002';
	END IF;
	IF (to_jsonb(NEW) - 'fields_in_error') IS DISTINCT FROM (to_jsonb(OLD) - 'fields_in_error') THEN
		RAISE EXCEPTION 'A keying pass cannot be changed' USING ERRCODE = 'BD002';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER passes_guard BEFORE UPDATE OR DELETE ON entry.passes
	FOR EACH ROW EXECUTE FUNCTION entry.passes_guard();
CREATE TRIGGER passes_no_truncate BEFORE TRUNCATE ON entry.passes
	FOR EACH STATEMENT EXECUTE FUNCTION core.audit_refuse();

-- --------------------------------------------------------------------------
-- Helpers (not granted: called by the functions below, as bd_owner)
-- --------------------------------------------------------------------------

-- A value as compared between the two passes: NULL and '' alike, spaces
-- trimmed and collapsed, case folded; for integer, decimal and money fields
-- grouping commas and spaces dropped and the number canonical (1,234.50 and
-- 1234.5 are both 1234.5).
CREATE FUNCTION entry.norm(p_value text, p_type text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	s text := upper(regexp_replace(btrim(coalesce(p_value, ''), E' \t\r\n'), '\s+', ' ', 'g'));
BEGIN
	IF p_type IN ('integer', 'decimal', 'money') THEN
		s := replace(replace(s, ',', ''), ' ', '');
		IF s ~ '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$' AND length(s) <= 60 THEN
			RETURN trim_scale(s::numeric + 0)::text;
		END IF;
	END IF;
	RETURN s;
END
$$;

-- A number as keyed (grouping commas allowed); '' or NULL is 0; NULL when it
-- is not a number.
CREATE FUNCTION entry.to_num(p_value text)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	s text := replace(replace(btrim(coalesce(p_value, '')), ',', ''), ' ', '');
BEGIN
	IF s = '' THEN
		RETURN 0;
	END IF;
	IF s ~ '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$' AND length(s) <= 60 THEN
		RETURN s::numeric;
	END IF;
	RETURN NULL;
END
$$;

-- The fields whose values differ between two sets of values, in screen order.
CREATE FUNCTION entry.diff(p_fields jsonb, p_v1 jsonb, p_v2 jsonb)
RETURNS TABLE (ord integer, field text, label text, value1 text, value2 text)
LANGUAGE sql IMMUTABLE
AS $$
	SELECT f.ord::integer, f.e ->> 'name', coalesce(nullif(f.e ->> 'label', ''), f.e ->> 'name'),
	       p_v1 ->> (f.e ->> 'name'), p_v2 ->> (f.e ->> 'name')
	FROM jsonb_array_elements(p_fields) WITH ORDINALITY AS f(e, ord)
	WHERE entry.norm(p_v1 ->> (f.e ->> 'name'), f.e ->> 'type')
	      <> entry.norm(p_v2 ->> (f.e ->> 'name'), f.e ->> 'type')
	ORDER BY f.ord;
$$;

CREATE FUNCTION entry.lease(p_seconds integer)
RETURNS interval
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	IF p_seconds IS NULL OR p_seconds NOT BETWEEN 10 AND 86400 THEN
		RAISE EXCEPTION 'A lease is 10 to 86400 seconds' USING ERRCODE = 'BD001';
	END IF;
	RETURN make_interval(secs => p_seconds);
END
$$;

-- The operator's keying draft lives in core.drafts under this screen name,
-- as "<document_id>\n<draft text>": one row per operator, overwritten by the
-- next document's draft, so submitting needs no delete.
CREATE FUNCTION entry.draft_screen()
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT 'entry.document';
$$;

-- Whether p_value carries a valid check digit of kind 'luhn' or 'mod11',
-- read as the form engine reads it (src/forms/field.c): the digits, ignoring
-- other characters; for mod 11 a final X stands for 10 and the weights rise
-- from 2 at the digit before the check digit.
CREATE FUNCTION entry.check_digit_ok(p_value text, p_kind text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	d text := regexp_replace(p_value, '[^0-9]', '', 'g');
	n integer;
	s integer := 0;
	v integer;
	w integer := 2;
	doubled boolean := false;
BEGIN
	IF p_kind = 'mod11' AND upper(right(p_value, 1)) = 'X' THEN
		d := d || 'X';
	END IF;
	n := length(d);
	IF n < 2 THEN
		RETURN false;
	END IF;
	IF p_kind = 'luhn' THEN
		FOR i IN REVERSE n..1 LOOP
			v := ascii(substr(d, i, 1)) - 48;
			IF doubled THEN
				v := v * 2;
				IF v > 9 THEN
					v := v - 9;
				END IF;
			END IF;
			s := s + v;
			doubled := NOT doubled;
		END LOOP;
		RETURN s % 10 = 0;
	END IF;
	FOR i IN REVERSE n - 1..1 LOOP
		s := s + (ascii(substr(d, i, 1)) - 48) * w;
		w := w + 1;
	END LOOP;
	RETURN (11 - s % 11) % 11 = CASE WHEN right(d, 1) = 'X' THEN 10 ELSE ascii(right(d, 1)) - 48 END;
END
$$;

-- Checks a set of keyed values against a doctype version: a JSON object of
-- the version's fields with text (or null) values, whose sum rules add up.
-- Returns true or raises (a value: see core.require_role).
CREATE FUNCTION entry.check_values(v entry.doctype_versions, p_values jsonb, p_what text,
				   p_rules boolean)
RETURNS boolean
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	unknown text;
	bad text;
	r jsonb;
	f jsonb;
	v_value text;
	v_label text;
	v_total numeric;
	v_sum numeric;
	v_term text;
BEGIN
	IF p_values IS NULL OR jsonb_typeof(p_values) <> 'object' THEN
		RAISE EXCEPTION 'The % values must be a JSON object of field names and text', p_what
			USING ERRCODE = 'BD001';
	END IF;
	SELECT string_agg(e.key, ', ' ORDER BY e.key) FILTER (WHERE NOT e.key = ANY (v.field_names)),
	       string_agg(e.key, ', ' ORDER BY e.key)
		       FILTER (WHERE jsonb_typeof(e.value) NOT IN ('string', 'null')
				  OR length(e.value #>> '{}') > 1000
				  OR (e.value #>> '{}') ~ '[[:cntrl:]]')
	INTO unknown, bad
	FROM jsonb_each(p_values) e;
	IF unknown IS NOT NULL THEN
		RAISE EXCEPTION 'Unknown field in the % values: %', p_what, unknown
			USING ERRCODE = 'BD001';
	END IF;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'Bad % value of %: text of at most 1000 characters', p_what, bad
			USING ERRCODE = 'BD001';
	END IF;
	IF NOT p_rules THEN
		RETURN true;
	END IF;
	-- Final values: each field's own rules (the screen file's required,
	-- lookup, check digit and choice list, as doctype_load stored them).
	-- Both loops go by position: each step is then an expression, not a query.
	FOR i IN 0 .. jsonb_array_length(v.fields) - 1 LOOP
		f := v.fields -> i;
		v_value := btrim(coalesce(p_values ->> (f ->> 'name'), ''));
		v_label := coalesce(nullif(f ->> 'label', ''), f ->> 'name');
		IF v_value = '' THEN
			IF coalesce((f ->> 'required')::boolean, false) THEN
				RAISE EXCEPTION '% is required', v_label
					USING ERRCODE = 'BD001', COLUMN = f ->> 'name';
			END IF;
			CONTINUE;
		END IF;
		-- (Two IFs: a doctype without lookups never opens the table.)
		IF f ? 'lookup' THEN
			IF NOT EXISTS (SELECT 1 FROM entry.lookups l
				       WHERE l.client_id = v.client_id AND l.lookup = f ->> 'lookup'
					 AND l.code = upper(v_value) AND l.active) THEN
				RAISE EXCEPTION '% % is not a known code', v_label, v_value
					USING ERRCODE = 'BD001', COLUMN = f ->> 'name';
			END IF;
		END IF;
		IF f ? 'check_digit' AND NOT entry.check_digit_ok(v_value, f ->> 'check_digit') THEN
			RAISE EXCEPTION '% check digit is wrong', v_label
				USING ERRCODE = 'BD001', COLUMN = f ->> 'name';
		END IF;
		IF f ? 'values' AND NOT (f -> 'values') ? v_value THEN
			RAISE EXCEPTION '% must be one of %', v_label,
				(SELECT string_agg(x, ', ') FROM jsonb_array_elements_text(f -> 'values') x)
				USING ERRCODE = 'BD001', COLUMN = f ->> 'name';
		END IF;
	END LOOP;
	FOR i IN 0 .. jsonb_array_length(v.rules) - 1 LOOP
		r := v.rules -> i;
		v_total := entry.to_num(p_values ->> (r ->> 'target'));
		v_sum := 0;
		FOR v_term IN SELECT jsonb_array_elements_text(r -> 'terms') LOOP
			v_sum := v_sum + entry.to_num(p_values ->> v_term);
		END LOOP;
		IF v_total IS NULL OR v_sum IS NULL THEN
			RAISE EXCEPTION '% is not a number', r ->> 'target'
				USING ERRCODE = 'BD001', COLUMN = r ->> 'target';
		END IF;
		IF v_total <> v_sum THEN
			RAISE EXCEPTION '% is %, but the amounts add up to %',
				(SELECT coalesce(nullif(e ->> 'label', ''), e ->> 'name')
				 FROM jsonb_array_elements(v.fields) e WHERE e ->> 'name' = r ->> 'target'),
				v_total, v_sum USING ERRCODE = 'BD001', COLUMN = r ->> 'target';
		END IF;
	END LOOP;
	RETURN true;
END
$$;

-- Locks a document claimed by the session's operator in one of p_states;
-- raises BD004 (unknown) or BD003 (no longer theirs).
CREATE FUNCTION entry.my_claim(p_document_id bigint, p_states text[])
RETURNS entry.documents
LANGUAGE plpgsql
AS $$
DECLARE
	d entry.documents;
BEGIN
	SELECT * INTO d FROM entry.documents WHERE document_id = p_document_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document %', coalesce(p_document_id::text, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	-- (The tenant policy already limits the row to the caller's clients.)
	IF d.claimed_by IS DISTINCT FROM session_user OR NOT d.state = ANY (p_states) THEN
		RAISE EXCEPTION 'Document % is no longer yours (lease ran out or released)',
			d.external_ref USING ERRCODE = 'BD003';
	END IF;
	RETURN d;
END
$$;

CREATE FUNCTION entry.notify(p_client_id integer)
RETURNS void
LANGUAGE sql
AS $$
	SELECT pg_notify('bd_queue', p_client_id::text);
$$;

-- The keying path's notification (claim, submit): PostgreSQL serialises the
-- commits of all notifying transactions on one database-wide lock, and with
-- every clerk notifying on every F2 that lock became the queue's bottleneck
-- (a convoy of commits: throughput fell as clerks were added). So of the
-- keying transactions of a client that are in flight together only one
-- notifies: the first to take this transaction-level try-lock, held until
-- its commit. The others ride along: the board refetches (coalesced) on that
-- notification, and a busy queue notifies again within milliseconds. A
-- transaction that commits just after the notifier and is the last change
-- for a while is caught by the board's trailing refetch a second after the
-- notification (SUP_LIVE_TRAIL_MS, include/backdesk/supervisor.h). A lone
-- clerk, and every supervisor action (entry.notify), always notify.
-- Returns whether this transaction notifies.
CREATE FUNCTION entry.notify_keying(p_client_id integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
	IF pg_try_advisory_xact_lock(hashtext('entry.notify_keying'), p_client_id) THEN
		PERFORM pg_notify('bd_queue', p_client_id::text);
		RETURN true;
	END IF;
	RETURN false;
END
$$;

-- --------------------------------------------------------------------------
-- Document types
-- --------------------------------------------------------------------------

-- Stores a new version of a document type (creating the type on first load)
-- and returns its version number; the same text as the newest version is not
-- stored twice. The screen text was validated by bd_screen_parse() in the
-- caller, which also derived p_fields ([{name, type, label, scale, required,
-- lookup, check_digit, values}], the rules check_values enforces on final
-- values) and p_rules ([{target, terms}]).
CREATE FUNCTION entry.doctype_load(p_client_code text, p_code text, p_title text, p_screen text,
				   p_fields jsonb, p_rules jsonb DEFAULT '[]')
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	v_client integer;
	t entry.doctypes;
	v_names text[];
	v_latest entry.doctype_versions;
	v_version integer;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	v_client := core.client_id_of(p_client_code);
	IF p_code IS NULL OR p_code !~ '^[a-z][a-z0-9_]{0,31}$' THEN
		RAISE EXCEPTION 'A document type name is 1-32 of a-z, 0-9 and _ (got %)',
			coalesce(p_code, '(none)') USING ERRCODE = 'BD001';
	END IF;
	IF p_title IS NULL OR btrim(p_title) = '' OR length(p_title) > 200 THEN
		RAISE EXCEPTION 'A document type needs a title of 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	IF p_fields IS NULL OR jsonb_typeof(p_fields) <> 'array' OR jsonb_array_length(p_fields) = 0
	   OR EXISTS (SELECT 1 FROM jsonb_array_elements(p_fields) e
		      WHERE jsonb_typeof(e) <> 'object' OR coalesce(e ->> 'name', '') = '') THEN
		RAISE EXCEPTION 'A document type needs at least one field' USING ERRCODE = 'BD001';
	END IF;
	IF p_rules IS NULL OR jsonb_typeof(p_rules) <> 'array' THEN
		RAISE EXCEPTION 'The rules must be a JSON array' USING ERRCODE = 'BD001';
	END IF;
	SELECT array_agg(e ->> 'name' ORDER BY o) INTO v_names
	FROM jsonb_array_elements(p_fields) WITH ORDINALITY AS f(e, o);
	IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_rules) r
		   CROSS JOIN LATERAL (SELECT r ->> 'target' AS n
				       UNION ALL
				       SELECT jsonb_array_elements_text(r -> 'terms')) x
		   WHERE NOT coalesce(x.n = ANY (v_names), false)) THEN
		RAISE EXCEPTION 'A sum rule names a field the screen does not have' USING ERRCODE = 'BD001';
	END IF;

	SELECT * INTO t FROM entry.doctypes WHERE client_id = v_client AND code = p_code FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO entry.doctypes (client_id, code, title)
		VALUES (v_client, p_code, btrim(p_title)) RETURNING * INTO t;
	ELSIF t.title <> btrim(p_title) THEN
		UPDATE entry.doctypes SET title = btrim(p_title)
		WHERE client_id = t.client_id AND doctype_id = t.doctype_id;
	END IF;
	SELECT * INTO v_latest FROM entry.doctype_versions
	WHERE client_id = t.client_id AND doctype_id = t.doctype_id
	ORDER BY version DESC LIMIT 1;
	IF FOUND AND v_latest.screen = p_screen AND v_latest.fields = p_fields
	   AND v_latest.rules = p_rules THEN
		RETURN v_latest.version;
	END IF;
	v_version := coalesce(v_latest.version, 0) + 1;
	INSERT INTO entry.doctype_versions (client_id, doctype_id, version, screen, fields,
					    field_names, rules)
	VALUES (t.client_id, t.doctype_id, v_version, p_screen, p_fields, v_names, p_rules);
	UPDATE entry.doctypes SET newest_version = v_version
	WHERE client_id = t.client_id AND doctype_id = t.doctype_id;
	RETURN v_version;
END
$$;

CREATE FUNCTION entry.set_qa_rate(p_client_code text, p_doctype_code text, p_rate numeric)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	t entry.doctypes;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	SELECT * INTO t FROM entry.doctypes
	WHERE client_id = core.client_id_of(p_client_code) AND code = p_doctype_code FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document type %', coalesce(p_doctype_code, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	IF p_rate IS NULL OR p_rate NOT BETWEEN 0 AND 1 THEN
		RAISE EXCEPTION 'A QA sample rate is between 0 and 1 (0.05 is 5%%)' USING ERRCODE = 'BD001';
	END IF;
	UPDATE entry.doctypes SET qa_rate = p_rate
	WHERE client_id = t.client_id AND doctype_id = t.doctype_id;
	INSERT INTO entry.actions (client_id, action, detail)
	VALUES (t.client_id, 'qa_rate', jsonb_build_object('doctype', t.code, 'from', t.qa_rate,
							   'to', p_rate));
END
$$;

-- --------------------------------------------------------------------------
-- Batches
-- --------------------------------------------------------------------------

-- Imports a batch in one statement: p_rows is a JSON array of
-- {line, ref, source, values} (line: the CSV line, for messages). Any bad row
-- refuses the whole batch ("Line 7: ..."), so nothing is half-imported.
-- Returns the batch id.
CREATE FUNCTION entry.batch_import(p_client_code text, p_doctype_code text, p_mode text,
				   p_priority integer, p_sla_hours numeric, p_name text,
				   p_rows jsonb)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	v_client integer;
	t entry.doctypes;
	v entry.doctype_versions;
	r record;
	v_batch bigint;
	v_n integer;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	v_client := core.client_id_of(p_client_code);
	SELECT * INTO t FROM entry.doctypes WHERE client_id = v_client AND code = p_doctype_code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document type % for client %', coalesce(p_doctype_code, '(none)'),
			upper(p_client_code) USING ERRCODE = 'BD004';
	END IF;
	SELECT * INTO v FROM entry.doctype_versions
	WHERE client_id = t.client_id AND doctype_id = t.doctype_id AND version = t.newest_version;
	IF p_mode IS NULL OR p_mode NOT IN ('single', 'single_qa', 'double') THEN
		RAISE EXCEPTION 'The keying mode is single, single_qa or double' USING ERRCODE = 'BD001';
	END IF;
	IF p_priority IS NULL OR p_priority NOT BETWEEN 0 AND 99 THEN
		RAISE EXCEPTION 'A priority is 0 to 99 (higher is keyed first)' USING ERRCODE = 'BD001';
	END IF;
	IF p_sla_hours IS NULL OR p_sla_hours <= 0 OR p_sla_hours > 24 * 366 THEN
		RAISE EXCEPTION 'The SLA is a number of hours from now, more than 0 and at most a year'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_name IS NULL OR length(p_name) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'A batch name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	IF p_rows IS NULL OR jsonb_typeof(p_rows) <> 'array' OR jsonb_array_length(p_rows) = 0 THEN
		RAISE EXCEPTION 'The file has no documents' USING ERRCODE = 'BD001';
	END IF;

	FOR r IN
		SELECT y.e, y.line, y.ref,
		       row_number() OVER (PARTITION BY y.ref ORDER BY y.ord) AS rn,
		       first_value(y.line) OVER (PARTITION BY y.ref ORDER BY y.ord) AS first_line
		FROM (SELECT x.e, x.ord, coalesce((x.e ->> 'line')::integer, x.ord::integer + 1) AS line,
			     btrim(coalesce(x.e ->> 'ref', '')) AS ref
		      FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS x(e, ord)) y
		ORDER BY y.ord
	LOOP
		IF jsonb_typeof(r.e) <> 'object' THEN
			RAISE EXCEPTION 'Line %: not a document', r.line USING ERRCODE = 'BD001';
		END IF;
		IF r.ref = '' THEN
			RAISE EXCEPTION 'Line %: the external reference is empty', r.line USING ERRCODE = 'BD001';
		END IF;
		IF length(r.ref) > 100 THEN
			RAISE EXCEPTION 'Line %: the external reference is longer than 100 characters', r.line
				USING ERRCODE = 'BD001';
		END IF;
		IF r.rn > 1 THEN
			RAISE EXCEPTION 'Line %: reference % appears twice (first on line %)', r.line, r.ref,
				r.first_line USING ERRCODE = 'BD003';
		END IF;
		IF length(r.e ->> 'source') > 1000 THEN
			RAISE EXCEPTION 'Line %: the source path is longer than 1000 characters', r.line
				USING ERRCODE = 'BD001';
		END IF;
		BEGIN
			PERFORM entry.check_values(v, coalesce(r.e -> 'values', '{}'), 'pre-filled', false);
		EXCEPTION WHEN SQLSTATE 'BD001' THEN
			RAISE EXCEPTION 'Line %: %', r.line, SQLERRM USING ERRCODE = 'BD001';
		END;
	END LOOP;

	INSERT INTO entry.batches (client_id, doctype_id, name, mode, priority, sla_due, documents)
	VALUES (t.client_id, t.doctype_id, p_name, p_mode, p_priority,
		now() + make_interval(secs => (p_sla_hours * 3600)::double precision),
		jsonb_array_length(p_rows))
	RETURNING batch_id INTO v_batch;
	-- doctype_version: the newest now, rechecked at the first claim.
	INSERT INTO entry.documents (client_id, batch_id, doctype_id, doctype_version, line,
				     external_ref, source_path, prefill)
	SELECT t.client_id, v_batch, t.doctype_id, v.version,
	       coalesce((x.e ->> 'line')::integer, x.ord::integer + 1),
	       btrim(x.e ->> 'ref'), nullif(x.e ->> 'source', ''),
	       coalesce((SELECT jsonb_object_agg(k.key, k.value) FROM jsonb_each(x.e -> 'values') k
			 WHERE k.value <> '""'::jsonb AND k.value <> 'null'::jsonb), '{}')
	FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS x(e, ord)
	ORDER BY x.ord;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	PERFORM entry.notify(t.client_id);
	RETURN v_batch;
END
$$;

-- --------------------------------------------------------------------------
-- Keying: claim, renew, release, reject, submit
-- --------------------------------------------------------------------------
CREATE TYPE entry.work AS (
	submitted_state text,	   -- submit_and_claim_next: the state the submitted document went to
	client_id       integer,
	client_code     text,
	document_id     bigint,	   -- NULL: the queue is empty
	batch_id        bigint,
	batch_name      text,
	doctype_id      integer,
	doctype_code    text,
	doctype_version integer,
	pass            smallint,  -- 1, or 2 for the blind second pass of a double-keyed document
	mode            text,
	external_ref    text,
	source_path     text,
	prefill         jsonb,	   -- pre-filled values from the import
	draft           text,	   -- the operator's saved draft of this document, or NULL
	dup_values      jsonb,	   -- the operator's last values in this batch (for Dup), or NULL
	sla_due         timestamptz,
	priority        integer,
	lease_until     timestamptz,
	resumed         boolean	   -- the operator already held this document (a dropped link)
);

-- The batches the queue hands out from, with what a work row shows of them
-- and the doctype's newest version (pinned on a document's first claim).
CREATE VIEW entry.queue_batches WITH (security_invoker = true) AS
SELECT b.client_id, b.batch_id, b.doctype_id, b.name, b.mode, b.sla_due, b.priority, b.paused,
       b.drained, b.documents, c.active AS client_active, c.code AS client_code,
       t.code AS doctype_code, t.newest_version
FROM entry.batches b
JOIN core.clients c ON c.client_id = b.client_id
JOIN entry.doctypes t ON t.client_id = b.client_id AND t.doctype_id = b.doctype_id;

-- The work row for a claimed document of batch b. It looks up only what the
-- form needs: the draft when resuming, and the Dup values (the operator's
-- last values in the batch) unless the form still holds the previous
-- document of the same batch (p_submitted: the document just submitted on
-- this F2, NULL otherwise).
CREATE FUNCTION entry.work_of(d entry.documents, b entry.queue_batches, p_resumed boolean,
			      p_submitted entry.documents)
RETURNS entry.work
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	me text := session_user;	-- text, as passes.operator: so passes_dup_idx serves
	w entry.work;
	v_draft text;
BEGIN
	w := ROW(p_submitted.state, d.client_id, b.client_code, d.document_id, d.batch_id, b.name,
		 d.doctype_id, b.doctype_code, d.doctype_version,
		 CASE WHEN d.pass1_by IS NULL OR b.mode <> 'double' THEN 1 ELSE 2 END,
		 b.mode, d.external_ref, d.source_path, d.prefill, NULL, NULL,
		 b.sla_due, b.priority, d.lease_until, p_resumed);
	IF p_resumed THEN
		SELECT dr.data INTO v_draft FROM core.drafts dr
		WHERE dr.login = session_user AND dr.screen = entry.draft_screen();
		IF split_part(v_draft, E'\n', 1) = d.document_id::text THEN
			w.draft := substr(v_draft, strpos(v_draft, E'\n') + 1);
		END IF;
	END IF;
	IF p_resumed OR p_submitted.batch_id IS DISTINCT FROM d.batch_id THEN
		SELECT p."values" INTO w.dup_values FROM entry.passes p
		WHERE p.client_id = d.client_id AND p.batch_id = d.batch_id
		  AND p.operator = me
		ORDER BY p.submitted_at DESC LIMIT 1;
	END IF;
	RETURN w;
END
$$;

-- Lanes. Were every clerk's claim to start at the head of the batch, all of
-- them would meet there: on the same index and heap pages, stepping over one
-- another's claims in flight and over the index entries of the documents
-- taken since the last VACUUM, at a cost that grows with the clerks keying
-- the batch. So a batch of n documents is cut into up to 64 lanes of at
-- least 32 lines, and an operator's first claim in a batch starts at the
-- first line of their own lane (picked by a hash of the login, so a clerk
-- signing on again comes back to it); each next one at the line after the
-- document they just submitted, so a clerk never steps over their own trail
-- either. A lane's end runs into the next lane, the batch's end wraps to its
-- head. A batch of fewer than 64 documents is one lane, keyed in line order.
-- The order within a batch was never a promise (priority and SLA are per
-- batch); every document is still claimed before the next batch's first.
CREATE FUNCTION entry.lane_start(p_login text, p_documents integer)
RETURNS integer
LANGUAGE sql IMMUTABLE
RETURN (SELECT ((hashtext(p_login) & 2147483647) % l.lanes) * (p_documents / l.lanes)
	FROM (SELECT greatest(least(p_documents / 32, 64), 1) AS lanes) l);

-- Finds, locks and claims the next document for the session's operator:
-- when signing on (p_submitted NULL), one they already hold (a dropped link
-- resumes on the same document); else the first claimable document of the
-- highest-priority, oldest unpaused batch. p_submitted: the document this F2
-- just submitted (not to be taken again); an F2 does not look for another
-- held document (only a second session of the same operator could hold one,
-- and it stays there). Returns the work row, or NULL when the queue is empty.
CREATE FUNCTION entry.take_next(p_lease_seconds integer, p_client_id integer,
				p_submitted entry.documents)
RETURNS entry.work
LANGUAGE plpgsql
AS $$
DECLARE
	me text := session_user;
	v_lease interval := entry.lease(p_lease_seconds);
	v_from integer;
	d entry.documents;
	b entry.queue_batches;
BEGIN
	IF p_submitted.document_id IS NULL THEN
		SELECT * INTO d FROM entry.documents
		WHERE claimed_by = me AND state = 'in_progress'
		  AND (p_client_id IS NULL OR client_id = p_client_id)
		ORDER BY claimed_at, document_id
		LIMIT 1
		FOR UPDATE SKIP LOCKED;
		IF FOUND THEN
			UPDATE entry.documents SET lease_until = now() + v_lease
			WHERE client_id = d.client_id AND document_id = d.document_id
			RETURNING * INTO d;
			SELECT * INTO STRICT b FROM entry.queue_batches q
			WHERE q.client_id = d.client_id AND q.batch_id = d.batch_id;
			RETURN entry.work_of(d, b, true, p_submitted);
		END IF;
	END IF;

	-- Per batch in queue order, the first of: a claim whose lease ran out
	-- (the batch's oldest work); a second pass (double keying: a document
	-- keyed once is finished before new ones are started, from the head of
	-- the batch, where every clerk but its first keyer may take it); a
	-- first pass from the operator's place in the batch on (see lane_start);
	-- a first pass before it. One statement finds, locks and claims it: each
	-- subquery takes its row with FOR UPDATE SKIP LOCKED, stepping over the
	-- documents other clerks are claiming right now, and runs only when the
	-- ones before it found nothing (coalesce evaluates them in turn). Every
	-- condition of claimability is a column of the document row, rechecked
	-- by PostgreSQL on a row that changed under the statement, so two
	-- sessions never take one document. A row that another clerk claims and
	-- commits while this statement is scanning is locked in its newest
	-- version, found no longer claimable and skipped, but stays locked until
	-- this transaction ends (that clerk's next F2 on it waits for this one):
	-- lanes keep such meetings rare.
	-- (Reading candidates first and locking them one statement each closed
	-- that window, but cost a statement for every candidate another clerk
	-- was taking, a number that grows with the clerks claiming at once.)
	--
	-- A document's doctype version is pinned at its first claim (both passes
	-- key the same version). The import stored the newest version, so the
	-- column changes only when a newer one was loaded since, and only then
	-- does the foreign key check (a KEY SHARE lock on the version's row,
	-- which every claiming clerk would otherwise take on that one row) run.
	FOR b IN
		SELECT * FROM entry.queue_batches q
		WHERE NOT q.paused AND NOT q.drained AND q.client_active
		  AND (p_client_id IS NULL OR q.client_id = p_client_id)
		ORDER BY q.priority DESC, q.batch_id
	LOOP
		v_from := CASE WHEN p_submitted.batch_id = b.batch_id THEN p_submitted.line + 1
			       ELSE entry.lane_start(me, b.documents) END;
		UPDATE entry.documents u
		SET state = 'in_progress', claimed_by = me, claimed_at = now(),
		    lease_until = now() + v_lease,
		    doctype_version = CASE WHEN u.doctype_version IS NULL OR u.state = 'waiting'
					   THEN b.newest_version ELSE u.doctype_version END
		FROM (SELECT coalesce(
			(SELECT dd.document_id FROM entry.documents dd
			 WHERE dd.client_id = b.client_id AND dd.batch_id = b.batch_id
			   AND dd.state = 'in_progress' AND dd.lease_until < now()
			   AND dd.pass1_by IS DISTINCT FROM me
			   AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
			 ORDER BY dd.lease_until
			 LIMIT 1
			 FOR UPDATE SKIP LOCKED),
			-- The batch as a range rather than an equality (which would
			-- make the planner drop batch_id from the order) and the order
			-- spelled as the index's columns: only the queue's indexes then
			-- yield it, whatever the statistics say.
			(SELECT dd.document_id FROM entry.documents dd
			 WHERE b.mode = 'double'
			   AND dd.client_id = b.client_id
			   AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
			   AND dd.state = 'keyed_once'
			   AND dd.pass1_by IS DISTINCT FROM me
			   AND dd.document_id IS DISTINCT FROM p_submitted.document_id
			   AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
			 ORDER BY dd.client_id, dd.batch_id, dd.line
			 LIMIT 1
			 FOR UPDATE SKIP LOCKED),
			(SELECT dd.document_id FROM entry.documents dd
			 WHERE dd.client_id = b.client_id
			   AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
			   AND dd.line >= v_from
			   AND dd.state = 'waiting'
			   AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
			 ORDER BY dd.client_id, dd.batch_id, dd.line
			 LIMIT 1
			 FOR UPDATE SKIP LOCKED),
			(SELECT dd.document_id FROM entry.documents dd
			 WHERE v_from > 0
			   AND dd.client_id = b.client_id
			   AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
			   AND dd.line < v_from
			   AND dd.state = 'waiting'
			   AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
			 ORDER BY dd.client_id, dd.batch_id, dd.line
			 LIMIT 1
			 FOR UPDATE SKIP LOCKED)) AS document_id
		      -- (OFFSET 0 keeps this a row to join: as a condition on u the
		      -- subqueries could not serve its index under row security.)
		      OFFSET 0) c
		WHERE u.client_id = b.client_id AND u.document_id = c.document_id
		RETURNING u.* INTO d;
		IF FOUND THEN
			RETURN entry.work_of(d, b, false, p_submitted);
		END IF;
		-- Nothing for this operator here. Drained when no document is
		-- open (one statement: one snapshot, in which a document another
		-- transaction is moving between open states is open either way).
		IF NOT EXISTS (SELECT 1 FROM entry.documents dd
			       WHERE dd.client_id = b.client_id
				 AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
				 AND dd.state = 'waiting')
		   AND NOT EXISTS (SELECT 1 FROM entry.documents dd
				   WHERE dd.client_id = b.client_id
				     AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
				     AND dd.state = 'keyed_once')
		   AND NOT EXISTS (SELECT 1 FROM entry.documents dd
				   WHERE dd.client_id = b.client_id AND dd.batch_id = b.batch_id
				     AND dd.state = 'in_progress') THEN
			UPDATE entry.batches SET drained = true
			WHERE client_id = b.client_id AND batch_id = b.batch_id AND NOT drained;
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

-- The keying calls (claim_next, renew, submit, submit_and_claim_next) run
-- with plan_cache_mode = force_generic_plan: their statements are planned
-- once per session. Left to choose, the plan cache kept planning several of
-- them afresh on every call (their parameters made a custom plan look
-- cheaper than the generic one): a tenth of the time of an F2.
-- And with enable_seqscan = off: every statement they run is a lookup by
-- an index, but on small tables (core.operator_access, which each tenant
-- policy reads; batches, doctypes) the planner chose sequential scans, and
-- a sequential scan asks the kernel for the table's size each time: 19
-- system calls per F2, about a quarter of its time on a virtual machine,
-- where a system call is dear. The setting only steers the planner away
-- from a sequential scan where an index serves.

-- The next document to key ("fetch next"): zero rows when the queue is empty.
-- p_client_id NULL: any of the operator's clients.
CREATE FUNCTION entry.claim_next(p_lease_seconds integer, p_client_id integer DEFAULT NULL)
RETURNS SETOF entry.work
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
	v_role text := core.require_role('clerk', 'supervisor');
	w entry.work := entry.take_next(p_lease_seconds, p_client_id, NULL);
	v_notified boolean;
BEGIN
	IF w.document_id IS NOT NULL THEN
		v_notified := entry.notify_keying(w.client_id);
		RETURN NEXT w;
	END IF;
END
$$;

-- Keeps a claim alive and saves the form's draft (in core.drafts, which is
-- not audited) in one call. The lease row is written only when less than
-- half of the lease is left, so a draft per field exit costs no queue write.
-- Returns the lease's end; BD003 when the document is no longer the caller's.
CREATE FUNCTION entry.renew(p_document_id bigint, p_lease_seconds integer, p_draft text DEFAULT NULL)
RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
	v_role text := core.require_role('clerk', 'supervisor');
	v_lease interval := entry.lease(p_lease_seconds);
	d entry.documents;
BEGIN
	SELECT * INTO d FROM entry.documents WHERE document_id = p_document_id;
	IF NOT FOUND OR d.claimed_by IS DISTINCT FROM session_user THEN
		d := entry.my_claim(p_document_id, '{in_progress,adjudication,qa}');
	END IF;
	IF d.lease_until - now() < v_lease / 2 THEN
		d := entry.my_claim(p_document_id, '{in_progress,adjudication,qa}');
		UPDATE entry.documents SET lease_until = now() + v_lease
		WHERE client_id = d.client_id AND document_id = d.document_id
		RETURNING * INTO d;
	END IF;
	IF p_draft IS NOT NULL THEN
		PERFORM core.draft_save(entry.draft_screen(), d.client_id,
					d.document_id::text || E'\n' || p_draft);
	END IF;
	RETURN d.lease_until;
END
$$;

-- Puts a claimed document back where it was (skip), with a note; it is not
-- handed to the same operator again.
CREATE FUNCTION entry.unclaim(d entry.documents)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	UPDATE entry.documents
	SET state = CASE WHEN d.state <> 'in_progress' THEN d.state
			 WHEN d.pass1_by IS NULL THEN 'waiting' ELSE 'keyed_once' END,
	    claimed_by = NULL, claimed_at = NULL, lease_until = NULL,
	    -- a never-keyed document takes the newest doctype version when claimed again
	    doctype_version = CASE WHEN d.pass1_by IS NULL THEN NULL ELSE d.doctype_version END
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
END
$$;

CREATE FUNCTION entry.release(p_document_id bigint, p_note text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	d entry.documents;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	d := entry.my_claim(p_document_id, '{in_progress,adjudication,qa}');
	IF length(p_note) > 1000 THEN
		RAISE EXCEPTION 'A note is at most 1000 characters' USING ERRCODE = 'BD001';
	END IF;
	INSERT INTO entry.skips (client_id, document_id, note)
	VALUES (d.client_id, d.document_id, coalesce(btrim(p_note), ''));
	UPDATE entry.documents SET skipped_by = array_append(skipped_by, session_user::text)
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.unclaim(d);
END
$$;

CREATE FUNCTION entry.reject(p_document_id bigint, p_reason text, p_note text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	d entry.documents;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	d := entry.my_claim(p_document_id, '{in_progress,adjudication,qa}');
	IF p_reason IS NULL OR p_reason NOT IN ('illegible', 'incomplete', 'wrong_document',
						'duplicate') THEN
		RAISE EXCEPTION 'The reason is illegible, incomplete, wrong_document or duplicate'
			USING ERRCODE = 'BD001';
	END IF;
	IF length(p_note) > 1000 THEN
		RAISE EXCEPTION 'A note is at most 1000 characters' USING ERRCODE = 'BD001';
	END IF;
	UPDATE entry.documents
	SET state = 'rejected', reject_reason = p_reason, reject_note = nullif(btrim(p_note), ''),
	    rejected_by = session_user, completed_at = now(),
	    claimed_by = NULL, claimed_at = NULL, lease_until = NULL
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
END
$$;

-- Submits a keyed document with its measures; returns its row as it now is:
-- state is where it went (done, keyed_once, adjudication or qa).
CREATE FUNCTION entry.do_submit(p_document_id bigint, p_values jsonb, p_keystrokes integer,
				p_corrections integer, p_seconds integer, p_fields_keyed integer)
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
				  "values", keystrokes, corrections, seconds, fields_keyed, claimed_at)
	VALUES (d.client_id, d.document_id, v_pass, d.batch_id, me, d.doctype_version, v_values,
		coalesce(p_keystrokes, 0), coalesce(p_corrections, 0), coalesce(p_seconds, 0),
		coalesce(p_fields_keyed, (SELECT count(*) FROM jsonb_object_keys(v_values))),
		least(d.claimed_at, now()));

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

CREATE FUNCTION entry.submit(p_document_id bigint, p_values jsonb, p_keystrokes integer,
			     p_corrections integer, p_seconds integer, p_fields_keyed integer)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
	v_role text := core.require_role('clerk', 'supervisor');
	d entry.documents := entry.do_submit(p_document_id, p_values, p_keystrokes, p_corrections,
					     p_seconds, p_fields_keyed);
	v_notified boolean := entry.notify_keying(d.client_id);
BEGIN
	RETURN d.state;
END
$$;

-- F2: submits the current document and claims the next one in one call (one
-- round trip, one transaction). Always one row: submitted_state is where the
-- submitted document went; document_id is NULL when the queue is empty.
CREATE FUNCTION entry.submit_and_claim_next(p_document_id bigint, p_values jsonb,
					    p_keystrokes integer, p_corrections integer,
					    p_seconds integer, p_fields_keyed integer,
					    p_lease_seconds integer, p_client_id integer DEFAULT NULL)
RETURNS SETOF entry.work
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
	v_role text := core.require_role('clerk', 'supervisor');
	d entry.documents := entry.do_submit(p_document_id, p_values, p_keystrokes, p_corrections,
					     p_seconds, p_fields_keyed);
	w entry.work := entry.take_next(p_lease_seconds, p_client_id, d);
	v_notified boolean;
BEGIN
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

-- --------------------------------------------------------------------------
-- Adjudication
-- --------------------------------------------------------------------------
CREATE TYPE entry.adjudication_work AS (
	client_id       integer,
	client_code     text,
	document_id     bigint,
	batch_id        bigint,
	doctype_id      integer,
	doctype_code    text,
	doctype_version integer,
	external_ref    text,
	source_path     text,
	sla_due         timestamptz,
	lease_until     timestamptz,
	resumed         boolean,
	agreed          jsonb,	-- the values both passes agree on (pass 1's text), prefill included
	diffs           jsonb	-- [{field, label, value1, value2}] in screen order; never who keyed them
);

CREATE FUNCTION entry.adjudication_of(d entry.documents, p_resumed boolean)
RETURNS entry.adjudication_work
LANGUAGE sql STABLE
AS $$
	SELECT d.client_id, c.code, d.document_id, d.batch_id, d.doctype_id, t.code, d.doctype_version,
	       d.external_ref, d.source_path, b.sla_due, d.lease_until, p_resumed,
	       d.prefill || (SELECT coalesce(jsonb_object_agg(k.key, k.value), '{}')
			     FROM jsonb_each(p1."values") k
			     WHERE NOT EXISTS (SELECT 1 FROM entry.diff(v.fields, p1."values", p2."values") x
					       WHERE x.field = k.key)),
	       (SELECT coalesce(jsonb_agg(jsonb_build_object('field', x.field, 'label', x.label,
							     'value1', x.value1, 'value2', x.value2)
					  ORDER BY x.ord), '[]')
		FROM entry.diff(v.fields, p1."values", p2."values") x)
	FROM core.clients c, entry.batches b, entry.doctypes t, entry.doctype_versions v,
	     entry.passes p1, entry.passes p2
	WHERE c.client_id = d.client_id
	  AND b.client_id = d.client_id AND b.batch_id = d.batch_id
	  AND t.client_id = d.client_id AND t.doctype_id = d.doctype_id
	  AND v.client_id = d.client_id AND v.doctype_id = d.doctype_id AND v.version = d.doctype_version
	  AND p1.client_id = d.client_id AND p1.document_id = d.document_id AND p1.pass = 1
	  AND p2.client_id = d.client_id AND p2.document_id = d.document_id AND p2.pass = 2;
$$;

-- Claims the next document in review state p_state ('adjudication' or
-- 'qa') for the session user: their own open claim first (resumed), else the
-- oldest of the highest priority that they did not key (neither pass for
-- adjudication, pass 1 for QA), in a batch that is not paused and that they
-- did not skip. NULL when there is none. Internal: callers check the role.
CREATE FUNCTION entry.claim_review(p_state text, p_lease_seconds integer, p_client_id integer,
				   OUT d entry.documents, OUT resumed boolean)
LANGUAGE plpgsql
AS $$
DECLARE
	me text := session_user;
	v_lease interval := entry.lease(p_lease_seconds);
BEGIN
	resumed := true;
	SELECT * INTO d FROM entry.documents
	WHERE claimed_by = me AND state = p_state
	  AND (p_client_id IS NULL OR client_id = p_client_id)
	ORDER BY claimed_at LIMIT 1 FOR UPDATE SKIP LOCKED;
	IF NOT FOUND THEN
		resumed := false;
		SELECT dd.* INTO d FROM entry.documents dd
		JOIN entry.batches bb ON bb.client_id = dd.client_id AND bb.batch_id = dd.batch_id
		WHERE dd.state = p_state
		  AND (dd.claimed_by IS NULL OR dd.lease_until < now())
		  AND dd.pass1_by <> me
		  AND (p_state <> 'adjudication' OR dd.pass2_by <> me)
		  AND NOT bb.paused
		  AND (p_client_id IS NULL OR dd.client_id = p_client_id)
		  AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
		ORDER BY bb.priority DESC, dd.document_id
		LIMIT 1
		FOR UPDATE OF dd SKIP LOCKED;
		IF NOT FOUND THEN
			d := NULL;
			RETURN;
		END IF;
	END IF;
	UPDATE entry.documents
	SET claimed_by = me, claimed_at = CASE WHEN resumed THEN claimed_at ELSE now() END,
	    lease_until = now() + v_lease
	WHERE client_id = d.client_id AND document_id = d.document_id
	RETURNING * INTO d;
	PERFORM entry.notify(d.client_id);
END
$$;

-- The next document in adjudication for an operator who keyed neither pass:
-- zero rows when there is none.
CREATE FUNCTION entry.adjudication_next(p_lease_seconds integer, p_client_id integer DEFAULT NULL)
RETURNS SETOF entry.adjudication_work
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	c record;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	c := entry.claim_review('adjudication', p_lease_seconds, p_client_id);
	IF (c.d).document_id IS NOT NULL THEN
		RETURN NEXT entry.adjudication_of(c.d, c.resumed);
	END IF;
END
$$;

-- Resolves a document in adjudication. p_decisions: for every differing
-- field, {"field": {"pick": 1}} (pass 1's value), {"pick": 2}, or
-- {"value": "re-keyed text"}. Each pass whose value differs from the final
-- one (after normalisation) gets the field as an error. Returns 'done'.
CREATE FUNCTION entry.adjudicate(p_document_id bigint, p_decisions jsonb)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	me text := session_user;
	d entry.documents;
	v entry.doctype_versions;
	p1 entry.passes;
	p2 entry.passes;
	fd record;
	dec jsonb;
	v_final text;
	v_choice text;
	v_values jsonb;
	bad text;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	d := entry.my_claim(p_document_id, '{adjudication}');
	IF me IN (d.pass1_by, d.pass2_by) THEN
		RAISE EXCEPTION 'You keyed document %: a third operator must adjudicate it', d.external_ref
			USING ERRCODE = 'BD002';
	END IF;
	IF p_decisions IS NULL OR jsonb_typeof(p_decisions) <> 'object' THEN
		RAISE EXCEPTION 'The decisions must be a JSON object by field' USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO STRICT v FROM entry.doctype_versions
	WHERE client_id = d.client_id AND doctype_id = d.doctype_id AND version = d.doctype_version;
	SELECT * INTO STRICT p1 FROM entry.passes
	WHERE client_id = d.client_id AND document_id = d.document_id AND pass = 1;
	SELECT * INTO STRICT p2 FROM entry.passes
	WHERE client_id = d.client_id AND document_id = d.document_id AND pass = 2;

	SELECT string_agg(k, ', ' ORDER BY k) INTO bad
	FROM jsonb_object_keys(p_decisions) k
	WHERE NOT EXISTS (SELECT 1 FROM entry.diff(v.fields, p1."values", p2."values") x
			  WHERE x.field = k);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'No decision is needed for: %', bad USING ERRCODE = 'BD001';
	END IF;
	SELECT string_agg(x.label, ', ' ORDER BY x.ord) INTO bad
	FROM entry.diff(v.fields, p1."values", p2."values") x
	WHERE NOT p_decisions ? x.field;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'Decide every differing field (still open: %)', bad USING ERRCODE = 'BD001';
	END IF;

	v_values := p1."values";
	FOR fd IN
		SELECT y.*, (SELECT f ->> 'type' FROM jsonb_array_elements(v.fields) f
			     WHERE f ->> 'name' = y.field) AS type
		FROM entry.diff(v.fields, p1."values", p2."values") y
	LOOP
		dec := p_decisions -> fd.field;
		IF jsonb_typeof(dec) = 'object' AND dec ->> 'pick' IN ('1', '2') AND NOT dec ? 'value' THEN
			v_choice := dec ->> 'pick';
			v_final := CASE v_choice WHEN '1' THEN fd.value1 ELSE fd.value2 END;
		ELSIF jsonb_typeof(dec) = 'object' AND jsonb_typeof(dec -> 'value') = 'string'
		      AND NOT dec ? 'pick' THEN
			v_choice := 'rekey';
			v_final := dec ->> 'value';
			IF length(v_final) > 1000 THEN
				RAISE EXCEPTION 'The value of % is longer than 1000 characters', fd.label
					USING ERRCODE = 'BD001';
			END IF;
		ELSE
			RAISE EXCEPTION 'The decision for % must be {"pick": 1}, {"pick": 2} or {"value": "..."}',
				fd.label USING ERRCODE = 'BD001';
		END IF;
		INSERT INTO entry.adjudications (client_id, document_id, field, value1, value2, choice,
						 final_value)
		VALUES (d.client_id, d.document_id, fd.field, fd.value1, fd.value2, v_choice, v_final);
		IF entry.norm(fd.value1, fd.type) <> entry.norm(v_final, fd.type) THEN
			INSERT INTO entry.field_errors (client_id, document_id, pass, field, source,
							keyed_value, correct_value)
			VALUES (d.client_id, d.document_id, 1, fd.field, 'adjudication', fd.value1, v_final);
		END IF;
		IF entry.norm(fd.value2, fd.type) <> entry.norm(v_final, fd.type) THEN
			INSERT INTO entry.field_errors (client_id, document_id, pass, field, source,
							keyed_value, correct_value)
			VALUES (d.client_id, d.document_id, 2, fd.field, 'adjudication', fd.value2, v_final);
		END IF;
		IF coalesce(v_final, '') = '' THEN
			v_values := v_values - fd.field;
		ELSE
			v_values := jsonb_set(v_values, ARRAY[fd.field], to_jsonb(v_final));
		END IF;
	END LOOP;
	PERFORM entry.check_values(v, v_values, 'adjudicated', true);
	UPDATE entry.passes p
	SET fields_in_error = (SELECT count(*) FROM entry.field_errors e
			       WHERE e.client_id = p.client_id AND e.document_id = p.document_id
				 AND e.pass = p.pass)
	WHERE p.client_id = d.client_id AND p.document_id = d.document_id;
	UPDATE entry.documents
	SET state = 'done', final_values = d.prefill || v_values, completed_at = now(),
	    claimed_by = NULL, claimed_at = NULL, lease_until = NULL
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
	RETURN 'done';
END
$$;

-- --------------------------------------------------------------------------
-- QA
-- --------------------------------------------------------------------------
CREATE TYPE entry.qa_work AS (
	client_id       integer,
	client_code     text,
	document_id     bigint,
	batch_id        bigint,
	doctype_id      integer,
	doctype_code    text,
	doctype_version integer,
	external_ref    text,
	source_path     text,
	sla_due         timestamptz,
	lease_until     timestamptz,
	resumed         boolean,
	"values"        jsonb	-- the values as they would be delivered
);

CREATE FUNCTION entry.qa_of(d entry.documents, p_resumed boolean)
RETURNS entry.qa_work
LANGUAGE sql STABLE
AS $$
	SELECT d.client_id, c.code, d.document_id, d.batch_id, d.doctype_id, t.code, d.doctype_version,
	       d.external_ref, d.source_path, b.sla_due, d.lease_until, p_resumed, d.final_values
	FROM core.clients c, entry.batches b, entry.doctypes t
	WHERE c.client_id = d.client_id
	  AND b.client_id = d.client_id AND b.batch_id = d.batch_id
	  AND t.client_id = d.client_id AND t.doctype_id = d.doctype_id;
$$;

CREATE FUNCTION entry.qa_next(p_lease_seconds integer, p_client_id integer DEFAULT NULL)
RETURNS SETOF entry.qa_work
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	c record;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	c := entry.claim_review('qa', p_lease_seconds, p_client_id);
	IF (c.d).document_id IS NOT NULL THEN
		RETURN NEXT entry.qa_of(c.d, c.resumed);
	END IF;
END
$$;

-- Records a QA review. p_results: {"field": {"ok": true}} or
-- {"field": {"ok": false, "value": "corrected"}}; fields not named are right.
-- Wrong fields count as errors of the keyer and the corrections go into the
-- delivered values. Returns 'done'.
CREATE FUNCTION entry.qa_review(p_document_id bigint, p_results jsonb)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	me text := session_user;
	d entry.documents;
	v entry.doctype_versions;
	e record;
	v_values jsonb;
	v_value text;
	bad text;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	d := entry.my_claim(p_document_id, '{qa}');
	IF me = d.pass1_by THEN
		RAISE EXCEPTION 'You keyed document %: another operator must review it', d.external_ref
			USING ERRCODE = 'BD002';
	END IF;
	IF p_results IS NULL OR jsonb_typeof(p_results) <> 'object' THEN
		RAISE EXCEPTION 'The review must be a JSON object by field' USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO STRICT v FROM entry.doctype_versions
	WHERE client_id = d.client_id AND doctype_id = d.doctype_id AND version = d.doctype_version;
	SELECT string_agg(k, ', ' ORDER BY k) INTO bad
	FROM jsonb_object_keys(p_results) k WHERE NOT k = ANY (v.field_names);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'Unknown field in the review: %', bad USING ERRCODE = 'BD001';
	END IF;
	v_values := d.final_values;
	FOR e IN SELECT r.key, r.value FROM jsonb_each(p_results) r LOOP
		IF jsonb_typeof(e.value) <> 'object' OR jsonb_typeof(e.value -> 'ok') <> 'boolean'
		   OR (NOT (e.value ->> 'ok')::boolean
		       AND coalesce(jsonb_typeof(e.value -> 'value'), 'none') <> 'string') THEN
			RAISE EXCEPTION 'The review of % must be {"ok": true} or {"ok": false, "value": "..."}',
				e.key USING ERRCODE = 'BD001';
		END IF;
		v_value := CASE WHEN (e.value ->> 'ok')::boolean THEN NULL ELSE e.value ->> 'value' END;
		INSERT INTO entry.qa_reviews (client_id, document_id, field, keyed_value, ok,
					      corrected_value)
		VALUES (d.client_id, d.document_id, e.key, d.final_values ->> e.key,
			(e.value ->> 'ok')::boolean, v_value);
		IF NOT (e.value ->> 'ok')::boolean THEN
			INSERT INTO entry.field_errors (client_id, document_id, pass, field, source,
							keyed_value, correct_value)
			VALUES (d.client_id, d.document_id, 1, e.key, 'qa', d.final_values ->> e.key, v_value)
			ON CONFLICT DO NOTHING;
			IF v_value = '' THEN
				v_values := v_values - e.key;
			ELSE
				v_values := jsonb_set(v_values, ARRAY[e.key], to_jsonb(v_value));
			END IF;
		END IF;
	END LOOP;
	PERFORM entry.check_values(v, v_values, 'corrected', true);
	UPDATE entry.passes p
	SET fields_in_error = (SELECT count(*) FROM entry.field_errors fe
			       WHERE fe.client_id = p.client_id AND fe.document_id = p.document_id
				 AND fe.pass = p.pass)
	WHERE p.client_id = d.client_id AND p.document_id = d.document_id AND p.pass = 1;
	UPDATE entry.documents
	SET state = 'done', final_values = v_values, completed_at = now(),
	    claimed_by = NULL, claimed_at = NULL, lease_until = NULL
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
	RETURN 'done';
END
$$;

-- --------------------------------------------------------------------------
-- Supervisor actions (each recorded in entry.actions, on the audit chain)
-- --------------------------------------------------------------------------
CREATE FUNCTION entry.sup_document(p_document_id bigint)
RETURNS entry.documents
LANGUAGE plpgsql
AS $$
DECLARE
	d entry.documents;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	SELECT * INTO d FROM entry.documents WHERE document_id = p_document_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document %', coalesce(p_document_id::text, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	PERFORM core.require_client(d.client_id);
	RETURN d;
END
$$;

CREATE FUNCTION entry.sup_batch(p_batch_id bigint)
RETURNS entry.batches
LANGUAGE plpgsql
AS $$
DECLARE
	b entry.batches;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	SELECT * INTO b FROM entry.batches WHERE batch_id = p_batch_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown batch %', coalesce(p_batch_id::text, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	PERFORM core.require_client(b.client_id);
	RETURN b;
END
$$;

-- Releases a stuck claim: the document goes back to its queue at once.
CREATE FUNCTION entry.sup_release(p_document_id bigint, p_note text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	d entry.documents := entry.sup_document(p_document_id);
BEGIN
	IF d.claimed_by IS NULL THEN
		RAISE EXCEPTION 'Document % is not claimed by anyone', d.external_ref USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO entry.actions (client_id, action, batch_id, document_id, detail)
	VALUES (d.client_id, 'release', d.batch_id, d.document_id,
		jsonb_build_object('from', d.claimed_by, 'state', d.state, 'note', p_note));
	PERFORM entry.unclaim(d);
END
$$;

-- Who a document can be given to (the claims list's reassign): the active
-- clerks and supervisors assigned to its client.
CREATE FUNCTION entry.sup_operators(p_document_id bigint)
RETURNS TABLE (login text, full_name text, role text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	d entry.documents := entry.sup_document(p_document_id);
BEGIN
	RETURN QUERY
	SELECT o.login, o.full_name, o.role
	FROM core.operators o
	JOIN core.assignments a ON a.login = o.login AND a.client_id = d.client_id
	WHERE NOT o.disabled AND o.role IN ('clerk', 'supervisor')
	ORDER BY o.login;
END
$$;

-- Gives a document to a named operator (a new lease of p_lease_seconds); it
-- is the next document their claim returns. Refused for an operator who may
-- not work on it (not an active clerk or supervisor, not assigned to its
-- client, or a keyer of it when a different operator is required).
CREATE FUNCTION entry.sup_reassign(p_document_id bigint, p_login text, p_lease_seconds integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	d entry.documents := entry.sup_document(p_document_id);
	v_lease interval := entry.lease(p_lease_seconds);
	o core.operators;
	b entry.batches;
BEGIN
	IF d.state IN ('done', 'rejected') THEN
		RAISE EXCEPTION 'Document % is already %', d.external_ref, d.state USING ERRCODE = 'BD003';
	END IF;
	SELECT * INTO o FROM core.operators WHERE login = p_login;
	IF NOT FOUND OR o.disabled OR o.role NOT IN ('clerk', 'supervisor') THEN
		RAISE EXCEPTION '% is not an active clerk or supervisor', coalesce(p_login, '(none)')
			USING ERRCODE = 'BD001';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM core.assignments a
		       WHERE a.login = o.login AND a.client_id = d.client_id) THEN
		RAISE EXCEPTION '% is not assigned to this client', o.login USING ERRCODE = 'BD002';
	END IF;
	SELECT * INTO STRICT b FROM entry.batches WHERE client_id = d.client_id AND batch_id = d.batch_id;
	IF (d.state IN ('keyed_once', 'qa') OR (d.state = 'in_progress' AND b.mode = 'double'))
	   AND d.pass1_by = o.login THEN
		RAISE EXCEPTION '% keyed the first pass of document %: it needs another operator', o.login,
			d.external_ref USING ERRCODE = 'BD002';
	END IF;
	IF d.state = 'adjudication' AND o.login IN (d.pass1_by, d.pass2_by) THEN
		RAISE EXCEPTION '% keyed document %: a third operator must adjudicate it', o.login,
			d.external_ref USING ERRCODE = 'BD002';
	END IF;
	INSERT INTO entry.actions (client_id, action, batch_id, document_id, detail)
	VALUES (d.client_id, 'reassign', d.batch_id, d.document_id,
		jsonb_build_object('from', d.claimed_by, 'to', o.login, 'state', d.state));
	UPDATE entry.documents
	SET state = CASE WHEN state IN ('waiting', 'keyed_once') THEN 'in_progress' ELSE state END,
	    claimed_by = o.login, claimed_at = now(), lease_until = now() + v_lease,
	    doctype_version = coalesce(doctype_version,
				       (SELECT t.newest_version FROM entry.doctypes t
					WHERE t.client_id = d.client_id AND t.doctype_id = d.doctype_id))
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
END
$$;

CREATE FUNCTION entry.sup_pause(p_batch_id bigint, p_paused boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	b entry.batches := entry.sup_batch(p_batch_id);
BEGIN
	IF p_paused IS NULL THEN
		RAISE EXCEPTION 'Say whether the batch is paused' USING ERRCODE = 'BD001';
	END IF;
	IF b.paused = p_paused THEN
		RAISE EXCEPTION 'Batch % is already %', b.batch_id,
			CASE WHEN p_paused THEN 'paused' ELSE 'running' END USING ERRCODE = 'BD003';
	END IF;
	UPDATE entry.batches SET paused = p_paused
	WHERE client_id = b.client_id AND batch_id = b.batch_id;
	INSERT INTO entry.actions (client_id, action, batch_id)
	VALUES (b.client_id, CASE WHEN p_paused THEN 'pause' ELSE 'resume' END, b.batch_id);
	PERFORM entry.notify(b.client_id);
END
$$;

CREATE FUNCTION entry.sup_set_priority(p_batch_id bigint, p_priority integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
DECLARE
	b entry.batches := entry.sup_batch(p_batch_id);
BEGIN
	IF p_priority IS NULL OR p_priority NOT BETWEEN 0 AND 99 THEN
		RAISE EXCEPTION 'A priority is 0 to 99 (higher is keyed first)' USING ERRCODE = 'BD001';
	END IF;
	UPDATE entry.batches SET priority = p_priority
	WHERE client_id = b.client_id AND batch_id = b.batch_id;
	INSERT INTO entry.actions (client_id, action, batch_id, detail)
	VALUES (b.client_id, 'priority', b.batch_id,
		jsonb_build_object('from', b.priority, 'to', p_priority));
	PERFORM entry.notify(b.client_id);
END
$$;

-- New SLA due time: p_due (a timestamp) when given, else p_hours from now.
CREATE FUNCTION entry.sup_set_sla(p_batch_id bigint, p_due timestamptz, p_hours numeric)
RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, entry, core, pg_temp
AS $$
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
$$;

-- --------------------------------------------------------------------------
-- Grants
-- --------------------------------------------------------------------------
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA entry FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	entry.claim_next(integer, integer),
	entry.renew(bigint, integer, text),
	entry.release(bigint, text),
	entry.reject(bigint, text, text),
	entry.submit(bigint, jsonb, integer, integer, integer, integer),
	entry.submit_and_claim_next(bigint, jsonb, integer, integer, integer, integer, integer, integer),
	entry.adjudication_next(integer, integer),
	entry.adjudicate(bigint, jsonb),
	entry.qa_next(integer, integer),
	entry.qa_review(bigint, jsonb)
	TO bd_clerk, bd_supervisor;
GRANT EXECUTE ON FUNCTION
	entry.doctype_load(text, text, text, text, jsonb, jsonb),
	entry.set_qa_rate(text, text, numeric),
	entry.batch_import(text, text, text, integer, numeric, text, jsonb),
	entry.sup_release(bigint, text),
	entry.sup_reassign(bigint, text, integer),
	entry.sup_operators(bigint),
	entry.sup_pause(bigint, boolean),
	entry.sup_set_priority(bigint, integer),
	entry.sup_set_sla(bigint, timestamptz, numeric)
	TO bd_supervisor, bd_admin;

RESET ROLE;
