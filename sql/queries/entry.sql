-- Data entry: the clerk, adjudicator and QA screens, `backdesk doctype` and
-- `backdesk batch`. State changes go through the entry.* functions of
-- migration 020 (SECURITY DEFINER, BD001..BD004 messages for the user).
--
-- Work rows (entry.claim_next, entry.submit_and_claim_next) have the columns
-- of type entry.work: submitted_state, client_id, client_code, document_id,
-- batch_id, batch_name, doctype_id, doctype_code, doctype_version, pass,
-- mode, external_ref, source_path, prefill (jsonb), draft (text), dup_values
-- (jsonb), sla_due, priority, lease_until, resumed. The form to show is
-- entry.doctype_screen(client_id, doctype_id, doctype_version): cache it by
-- those three. Values travel as a JSON object {"field": "text", ...}.
-- $lease is the entry.lease_seconds setting. $client is a client code (as
-- every module's functions take it, core.client_id_of), or NULL for all of
-- the operator's clients.

-- name: entry.claim_next
-- "Fetch next": the document the operator already holds (resumed = true),
-- else a document of the highest-priority, oldest batch they may key, from
-- their own place in it (see entry.lane_start).
-- $1 lease seconds, $2 client code or NULL (all the operator's). Zero rows: the queue is empty.
SELECT * FROM entry.claim_next($1::integer, $2::text);

-- name: entry.submit_and_claim_next
-- F2: submit and fetch the next document in one round trip. $1 document_id,
-- $2 values (JSON object), $3 keystrokes, $4 corrections, $5 seconds in the
-- form, $6 fields keyed (NULL: the non-empty values), $7 lease seconds,
-- $8 client code or NULL, $9 the F2's idempotency key (bd_db_new_key; the
-- same on every resend of this F2) or NULL. Always one row:
-- submitted_state is where the submitted document went (done, keyed_once,
-- adjudication, qa); document_id is NULL when the queue is empty. A resend
-- with the key of a call that committed returns that call's row.
SELECT * FROM entry.submit_and_claim_next($1::bigint, $2::jsonb, $3::integer, $4::integer,
					  $5::integer, $6::integer, $7::integer, $8::text,
					  $9::text);

-- name: entry.submit
-- Submit without fetching the next (the clerk leaves with F3 after F2).
-- $1..$6 as entry.submit_and_claim_next. Returns the new state.
SELECT entry.submit($1::bigint, $2::jsonb, $3::integer, $4::integer, $5::integer,
		    $6::integer) AS state;

-- name: entry.draft
-- Background save on field exit: keeps the lease alive and stores the
-- form's draft (any text, e.g. the form's serialised values). $1
-- document_id, $2 lease seconds, $3 draft text. Returns lease_until. BD003
-- when the document is no longer the operator's (show it, fetch next).
SELECT entry.renew($1::bigint, $2::integer, $3::text) AS lease_until;

-- name: entry.renew
-- Keeps the lease alive without a draft. $1 document_id, $2 lease seconds.
SELECT entry.renew($1::bigint, $2::integer, NULL) AS lease_until;

-- name: entry.release
-- Skip: gives the document back to the queue with a note; it will not be
-- handed to this operator again. Also for adjudication and QA claims.
-- $1 document_id, $2 note.
SELECT entry.release($1::bigint, $2::text);

-- name: entry.reject
-- F9: $1 document_id, $2 reason (illegible, incomplete, wrong_document,
-- duplicate), $3 note.
SELECT entry.reject($1::bigint, $2::text, $3::text);

-- name: entry.reject_reasons
-- The reason codes for the F9 dialog.
SELECT code, label
FROM (VALUES (1, 'illegible', 'Illegible'), (2, 'incomplete', 'Incomplete'),
	     (3, 'wrong_document', 'Wrong document'), (4, 'duplicate', 'Duplicate')) r(o, code, label)
ORDER BY o;

-- name: entry.doctype_screen
-- The screen file text of a document type version. $1 client_id,
-- $2 doctype_id, $3 version (NULL: the newest).
SELECT v.screen, v.version, v.fields, v.rules
FROM entry.doctype_versions v
WHERE v.client_id = $1::integer AND v.doctype_id = $2::integer
  AND ($3::integer IS NULL OR v.version = $3::integer)
ORDER BY v.version DESC
LIMIT 1;

-- name: entry.doctype_current
-- The newest version of a document type by codes (for batch import).
-- $1 client code, $2 doctype code.
SELECT t.client_id, t.doctype_id, v.version, v.screen
FROM entry.doctypes t
JOIN core.clients c ON c.client_id = t.client_id
JOIN entry.doctype_versions v ON v.client_id = t.client_id AND v.doctype_id = t.doctype_id
WHERE c.code = upper(btrim($1::text)) AND t.code = $2::text
ORDER BY v.version DESC
LIMIT 1;

-- name: entry.doctype_load
-- $1 client code, $2 doctype code (the screen's name), $3 title, $4 screen
-- text, $5 fields JSON, $6 rules JSON. Returns the version stored.
SELECT entry.doctype_load($1::text, $2::text, $3::text, $4::text, $5::jsonb,
			  coalesce($6::jsonb, '[]')) AS version;

-- name: entry.doctype_list
-- $1 client code.
SELECT t.code, t.title, max(v.version) AS version, count(v.version) AS versions,
       t.qa_rate, max(v.loaded_at) AS loaded_at,
       (array_agg(v.loaded_by ORDER BY v.version DESC))[1] AS loaded_by
FROM entry.doctypes t
JOIN core.clients c ON c.client_id = t.client_id
JOIN entry.doctype_versions v ON v.client_id = t.client_id AND v.doctype_id = t.doctype_id
WHERE c.code = upper(btrim($1::text))
GROUP BY t.client_id, t.doctype_id
ORDER BY t.code;

-- name: entry.batch_import
-- $1 client code, $2 doctype code, $3 mode, $4 priority, $5 SLA hours,
-- $6 batch name, $7 rows JSON. Returns the batch id.
SELECT entry.batch_import($1::text, $2::text, $3::text, $4::integer, $5::numeric, $6::text,
			  $7::jsonb) AS batch_id;

-- name: entry.batch_same_documents
-- An earlier batch of the client that holds the very documents of a file
-- about to be imported (the same references on the same lines): importing
-- a file twice is refused unless asked for. $1 client code, $2 doctype
-- code, $3 the rows as entry.batch_import takes them. At most one row.
SELECT b.batch_id, b.name, to_char(b.created_at, 'YYYY-MM-DD HH24:MI') AS created_at,
       b.created_by
FROM entry.batches b
JOIN core.clients c ON c.client_id = b.client_id
JOIN entry.doctypes t ON t.client_id = b.client_id AND t.doctype_id = b.doctype_id
WHERE c.code = upper(btrim($1::text)) AND t.code = $2::text
  AND b.documents = jsonb_array_length($3::jsonb)
  AND NOT EXISTS (
	SELECT 1
	FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(e, ord)
	WHERE NOT EXISTS (
		SELECT 1 FROM entry.documents d
		WHERE d.client_id = b.client_id AND d.batch_id = b.batch_id
		  AND d.external_ref = btrim(x.e ->> 'ref')
		  AND d.line = coalesce((x.e ->> 'line')::integer, x.ord::integer + 1)))
ORDER BY b.batch_id
LIMIT 1;

-- name: entry.batch_list
-- $1 client code. Counts by state; open = not yet done or rejected.
SELECT b.batch_id, t.code AS doctype, b.name, b.mode, b.priority, b.sla_due, b.paused,
       b.documents,
       count(*) FILTER (WHERE d.state NOT IN ('done', 'rejected')) AS open,
       count(*) FILTER (WHERE d.state = 'done') AS done,
       count(*) FILTER (WHERE d.state = 'rejected') AS rejected,
       b.created_at
FROM entry.batches b
JOIN core.clients c ON c.client_id = b.client_id
JOIN entry.doctypes t ON t.client_id = b.client_id AND t.doctype_id = b.doctype_id
LEFT JOIN entry.documents d ON d.client_id = b.client_id AND d.batch_id = b.batch_id
WHERE c.code = upper(btrim($1::text))
GROUP BY b.client_id, b.batch_id, t.code
ORDER BY b.batch_id;

-- name: entry.batch_status
-- $1 batch id. One row, or none (unknown or not visible).
SELECT b.batch_id, c.code AS client_code, t.code AS doctype, b.name, b.mode, b.documents,
       count(*) FILTER (WHERE d.state NOT IN ('done', 'rejected')) AS open,
       count(*) FILTER (WHERE d.state = 'done') AS done,
       count(*) FILTER (WHERE d.state = 'rejected') AS rejected
FROM entry.batches b
JOIN core.clients c ON c.client_id = b.client_id
JOIN entry.doctypes t ON t.client_id = b.client_id AND t.doctype_id = b.doctype_id
LEFT JOIN entry.documents d ON d.client_id = b.client_id AND d.batch_id = b.batch_id
WHERE b.batch_id = $1::bigint
GROUP BY b.client_id, b.batch_id, c.code, t.code;

-- name: entry.batch_fields
-- The export columns of a batch: the fields of the newest version of its
-- document type, in screen order. $1 batch id.
SELECT f.e ->> 'name' AS field, f.e ->> 'label' AS label
FROM entry.batches b
CROSS JOIN LATERAL (SELECT v.fields FROM entry.doctype_versions v
		    WHERE v.client_id = b.client_id AND v.doctype_id = b.doctype_id
		    ORDER BY v.version DESC LIMIT 1) v
CROSS JOIN LATERAL jsonb_array_elements(v.fields) WITH ORDINALITY AS f(e, ord)
WHERE b.batch_id = $1::bigint
ORDER BY f.ord;

-- name: entry.batch_export
-- The finished documents of a batch (done and rejected), in import order:
-- one row per document, values as a JSON object. $1 batch id.
SELECT d.document_id, d.line, d.external_ref, d.source_path, d.state AS status,
       d.reject_reason, d.reject_note, d.completed_at,
       coalesce(d.final_values, '{}') AS "values"
FROM entry.documents d
WHERE d.batch_id = $1::bigint
  AND d.state IN ('done', 'rejected')
ORDER BY d.line, d.document_id;

-- name: entry.batch_export_values
-- The same documents, one row per (document, field) in field order, for
-- CSV (one statement, so one snapshot): value is NULL when empty. $1 batch id.
SELECT d.document_id, d.external_ref, d.source_path, d.state AS status, d.reject_reason,
       d.reject_note, f.ord AS field_no, f.e ->> 'name' AS field,
       d.final_values ->> (f.e ->> 'name') AS value
FROM entry.documents d
JOIN entry.batches b ON b.client_id = d.client_id AND b.batch_id = d.batch_id
CROSS JOIN LATERAL (SELECT v.fields FROM entry.doctype_versions v
		    WHERE v.client_id = b.client_id AND v.doctype_id = b.doctype_id
		    ORDER BY v.version DESC LIMIT 1) v
CROSS JOIN LATERAL jsonb_array_elements(v.fields) WITH ORDINALITY AS f(e, ord)
WHERE d.batch_id = $1::bigint
  AND d.state IN ('done', 'rejected')
ORDER BY d.line, d.document_id, f.ord;

-- name: entry.adjudication_next
-- The next document in adjudication for an operator who keyed neither
-- pass. $1 lease seconds, $2 client code or NULL. Columns: client_id,
-- client_code, document_id, batch_id, doctype_id, doctype_code,
-- doctype_version, external_ref, source_path, sla_due, lease_until,
-- resumed, agreed (JSON object of the values both passes agree on), diffs
-- (JSON array of {field, label, value1, value2}, screen order; who keyed
-- them is never shown). Zero rows: nothing to adjudicate.
SELECT * FROM entry.adjudication_next($1::integer, $2::text);

-- name: entry.review_waiting
-- Why nothing was handed out: the documents in review state $1
-- ('adjudication' or 'qa') of client code $2 (NULL: all the operator's) and
-- how many of them are the operator's own keying, held by others, in paused
-- batches, skipped by the operator. One row.
SELECT * FROM entry.review_waiting($1::text, $2::text);

-- name: entry.adjudicate
-- $1 document_id, $2 decisions: {"field": {"pick": 1}} | {"pick": 2} |
-- {"value": "re-keyed"} for every differing field, $3 idempotency key or
-- NULL (a resend with it returns the first answer). Returns 'done'.
SELECT entry.adjudicate($1::bigint, $2::jsonb, $3::text) AS state;

-- name: qa.next
-- The next sampled document for QA, never one the reviewer keyed.
-- $1 lease seconds, $2 client code or NULL. Columns: client_id, client_code,
-- document_id, batch_id, doctype_id, doctype_code, doctype_version,
-- external_ref, source_path, sla_due, lease_until, resumed, values (JSON:
-- what would be delivered). Zero rows: nothing to review.
SELECT * FROM entry.qa_next($1::integer, $2::text);

-- name: qa.check
-- The rules entry.qa_review checks, checked first and recording nothing:
-- BD001 naming the field that breaks one. $1 document_id, $2 results as
-- for qa.review.
SELECT entry.qa_check($1::bigint, $2::jsonb);

-- name: qa.review
-- $1 document_id, $2 results {"field": {"ok": true}} |
-- {"field": {"ok": false, "value": "corrected"}}; fields not named are right.
-- $3 idempotency key or NULL.
SELECT entry.qa_review($1::bigint, $2::jsonb, $3::text) AS state;

-- name: entry.procedure_lookup
-- F4 on a procedure code. $1 client_id, $2 what was typed (code prefix or
-- words of the description; NULL or '' lists all). First column the value.
SELECT l.code, l.description
FROM entry.lookups l
WHERE l.client_id = $1::integer AND l.lookup = 'procedure' AND l.active
  AND (coalesce($2::text, '') = '' OR l.code LIKE upper(btrim($2::text)) || '%'
       OR l.description ILIKE '%' || btrim($2::text) || '%')
ORDER BY l.code
LIMIT 200;

-- name: entry.diagnosis_lookup
-- F4 on a diagnosis code (ICD-10). $1 client_id, $2 what was typed.
SELECT l.code, l.description
FROM entry.lookups l
WHERE l.client_id = $1::integer AND l.lookup = 'diagnosis' AND l.active
  AND (coalesce($2::text, '') = '' OR l.code LIKE upper(btrim($2::text)) || '%'
       OR l.description ILIKE '%' || btrim($2::text) || '%')
ORDER BY l.code
LIMIT 200;

-- name: entry.supplier_lookup
-- F4 on a supplier code. $1 client_id, $2 what was typed.
SELECT l.code, l.description
FROM entry.lookups l
WHERE l.client_id = $1::integer AND l.lookup = 'supplier' AND l.active
  AND (coalesce($2::text, '') = '' OR l.code LIKE upper(btrim($2::text)) || '%'
       OR l.description ILIKE '%' || btrim($2::text) || '%')
ORDER BY l.code
LIMIT 200;

-- name: entry.code_lookup
-- F4 on a field with codes = "TABLE" (070: a client's code table). $1
-- client_id, $2 what was typed (a code's start or words of the
-- description; '' lists the first codes), $3 the table.
SELECT s.code, s.description FROM entry.code_search($1::integer, $3::text, $2::text) s;

-- name: entry.codes_load
-- backdesk codes load: $1 client code, $2 table, $3 [[code, description,
-- valid_from, valid_to], ...]. The number of codes loaded.
SELECT entry.codes_load($1::text, $2::text, $3::jsonb) AS codes;

-- name: entry.codes_list
-- backdesk codes list CLIENT: each code table of the client and its size.
SELECT c.code_table AS "table", count(*) AS codes,
       count(*) FILTER (WHERE coalesce(c.valid_from <= current_date, true)
                          AND coalesce(c.valid_to >= current_date, true)) AS in_effect
FROM entry.codes c JOIN core.clients k USING (client_id)
WHERE k.code = upper(btrim($1::text))
GROUP BY c.code_table ORDER BY c.code_table;

-- name: entry.image_put
-- The page image of line $3 of batch $2 of client $1 (a code), as
-- `backdesk batch import` stores it in the batch's transaction: $4 source
-- media type, $5 page, $6 pages, $7 width, $8 height, $9 the PNG (bytea
-- text, \x hex). Returns the document id.
SELECT entry.image_put($1::text, $2::bigint, $3::integer, $4::text, $5::integer, $6::integer,
		       $7::integer, $8::integer, $9::bytea) AS document_id;

-- name: entry.image_of
-- The page image of document $1 the caller may see (BD004 otherwise):
-- media_type, source_type, page, page_count, width, height, bytes (\x hex).
SELECT i.document_id, i.media_type, i.source_type, i.page, i.page_count, i.width, i.height,
       i.bytes
FROM entry.image_of($1::bigint) i;

-- name: entry.image_info
-- Whether document $1 has a page image the caller may see (the tenant
-- policy filters the table), without its bytes: a terminal without
-- pictures says how to open it. At most one row.
SELECT i.document_id, i.width, i.height, i.source_type
FROM entry.images i
WHERE i.document_id = $1::bigint;
