-- The supervisor console: the live queue board, operator productivity, the
-- drill-down, and actions on the queue (entry.sup_* functions of migration
-- 020, each recorded in entry.actions on the audit chain). A supervisor sees
-- only their assigned clients (RLS). The board refreshes on NOTIFY bd_queue
-- (payload: client_id), coalesced by the listener.

-- name: supervisor.queue_board
-- Per client, document type and batch: counts by state, who is working on
-- it and for how long, and the SLA. Batches with open documents, and those
-- finished within the last 24 hours. $1 client code or NULL (all).
-- in_progress counts live claims; stale: claims whose lease ran out (the
-- next claim takes them). working: "login 12m, ..." (minutes held).
-- ageing: overdue, under 1h, under 4h, under 24h, later, complete.
-- at_risk: open documents and the SLA is past, under an hour away, or the
-- last hour's pace (documents finished) would not clear the open ones in
-- time (no pace at all and under 4 hours left counts as at risk).
SELECT c.code AS client_code, t.code AS doctype, b.batch_id, b.name AS batch_name, b.mode,
       b.priority, b.paused, b.sla_due,
       s.waiting, s.keyed_once, s.in_progress, s.stale, s.adjudication, s.qa, s.done, s.rejected,
       s.open, s.working,
       round(extract(epoch FROM b.sla_due - now()) / 60)::integer AS sla_minutes_left,
       CASE WHEN s.open = 0 THEN 'complete'
	    WHEN b.sla_due < now() THEN 'overdue'
	    WHEN b.sla_due < now() + interval '1 hour' THEN 'under 1h'
	    WHEN b.sla_due < now() + interval '4 hours' THEN 'under 4h'
	    WHEN b.sla_due < now() + interval '24 hours' THEN 'under 24h'
	    ELSE 'later' END AS ageing,
       (s.open > 0
	AND (b.sla_due < now() + interval '1 hour'
	     OR (s.done_last_hour = 0 AND b.sla_due < now() + interval '4 hours')
	     OR (s.done_last_hour > 0
		 AND s.open::numeric / s.done_last_hour
		     > extract(epoch FROM b.sla_due - now()) / 3600))) AS at_risk
FROM entry.batches b
JOIN core.clients c ON c.client_id = b.client_id
JOIN entry.doctypes t ON t.client_id = b.client_id AND t.doctype_id = b.doctype_id
CROSS JOIN LATERAL (
	SELECT count(*) FILTER (WHERE d.state = 'waiting') AS waiting,
	       count(*) FILTER (WHERE d.state = 'keyed_once') AS keyed_once,
	       count(*) FILTER (WHERE d.state = 'in_progress' AND d.lease_until >= now())
		       AS in_progress,
	       count(*) FILTER (WHERE d.claimed_by IS NOT NULL AND d.lease_until < now()) AS stale,
	       count(*) FILTER (WHERE d.state = 'adjudication') AS adjudication,
	       count(*) FILTER (WHERE d.state = 'qa') AS qa,
	       count(*) FILTER (WHERE d.state = 'done') AS done,
	       count(*) FILTER (WHERE d.state = 'rejected') AS rejected,
	       count(*) FILTER (WHERE d.state NOT IN ('done', 'rejected')) AS open,
	       count(*) FILTER (WHERE d.state IN ('done', 'rejected')
				AND d.completed_at >= now() - interval '1 hour') AS done_last_hour,
	       max(d.completed_at) AS last_completed,
	       string_agg(d.claimed_by || ' '
			  || floor(extract(epoch FROM now() - d.claimed_at) / 60)::integer || 'm',
			  ', ' ORDER BY d.claimed_at) FILTER (WHERE d.claimed_by IS NOT NULL)
		       AS working
	FROM entry.documents d
	WHERE d.client_id = b.client_id AND d.batch_id = b.batch_id
) s
WHERE ($1::text IS NULL OR c.code = upper(btrim($1::text)))
  AND (s.open > 0 OR s.last_completed >= now() - interval '24 hours')
ORDER BY c.code, t.code, b.priority DESC, b.batch_id;

-- name: supervisor.claims
-- Every claimed document (keying, adjudication, QA): who holds it, for how
-- long, and whether the lease ran out. The rows the release and reassign
-- actions work on. $1 client code or NULL.
SELECT d.document_id, c.code AS client_code, t.code AS doctype, d.batch_id, d.external_ref,
       d.state, d.claimed_by, d.claimed_at,
       floor(extract(epoch FROM now() - d.claimed_at))::integer AS held_seconds,
       d.lease_until, d.lease_until < now() AS stale
FROM entry.documents d
JOIN core.clients c ON c.client_id = d.client_id
JOIN entry.doctypes t ON t.client_id = d.client_id AND t.doctype_id = d.doctype_id
WHERE d.claimed_by IS NOT NULL
  AND ($1::text IS NULL OR c.code = upper(btrim($1::text)))
ORDER BY d.claimed_at;

-- name: supervisor.productivity
-- Per operator over a date range: $1 from date, $2 to date (inclusive, the
-- session's time zone), $3 client code or NULL, $4 doctype code or NULL,
-- $5 sort: login (default), documents, kph, dph, accuracy, rejects, idle.
--   documents    keying passes submitted (a double-keyed document counts
--                once for each of its two keyers)
--   seconds      time in the form; keystrokes_per_hour and
--                documents_per_hour are per hour in the form
--   accuracy     1 - fields_in_error / fields_keyed (errors found by
--                adjudication and QA, attributed to the keyer who was wrong)
--   rejects      documents the operator rejected
--   idle_seconds per day, the time from their first claim to their last
--                submit not spent in a form, summed over the days
WITH p AS (
	SELECT p.operator, p.keystrokes, p.seconds, p.fields_keyed, p.fields_in_error,
	       p.claimed_at, p.submitted_at
	FROM entry.passes p
	JOIN entry.documents d ON d.client_id = p.client_id AND d.document_id = p.document_id
	JOIN entry.doctypes t ON t.client_id = d.client_id AND t.doctype_id = d.doctype_id
	JOIN core.clients c ON c.client_id = p.client_id
	WHERE p.submitted_at >= $1::date AND p.submitted_at < $2::date + 1
	  AND ($3::text IS NULL OR c.code = upper(btrim($3::text)))
	  AND ($4::text IS NULL OR t.code = $4::text)
),
totals AS (
	SELECT operator, count(*) AS documents, sum(keystrokes) AS keystrokes,
	       sum(seconds) AS seconds, sum(fields_keyed) AS fields_keyed,
	       sum(fields_in_error) AS fields_in_error
	FROM p GROUP BY operator
),
days AS (
	SELECT operator,
	       greatest(extract(epoch FROM max(submitted_at) - min(claimed_at)) - sum(seconds), 0)
		       AS idle
	FROM p GROUP BY operator, submitted_at::date
),
idle AS (
	SELECT operator, round(sum(idle))::bigint AS idle_seconds FROM days GROUP BY operator
),
rej AS (
	SELECT d.rejected_by AS operator, count(*) AS rejects
	FROM entry.documents d
	JOIN entry.doctypes t ON t.client_id = d.client_id AND t.doctype_id = d.doctype_id
	JOIN core.clients c ON c.client_id = d.client_id
	WHERE d.state = 'rejected'
	  AND d.completed_at >= $1::date AND d.completed_at < $2::date + 1
	  AND ($3::text IS NULL OR c.code = upper(btrim($3::text)))
	  AND ($4::text IS NULL OR t.code = $4::text)
	GROUP BY d.rejected_by
),
r AS (
	SELECT coalesce(x.operator, j.operator) AS login,
	       coalesce(x.documents, 0) AS documents,
	       coalesce(x.keystrokes, 0) AS keystrokes,
	       coalesce(x.seconds, 0) AS seconds,
	       round(x.keystrokes * 3600.0 / nullif(x.seconds, 0))::bigint AS keystrokes_per_hour,
	       round(x.documents * 3600.0 / nullif(x.seconds, 0), 1) AS documents_per_hour,
	       coalesce(x.fields_keyed, 0) AS fields_keyed,
	       coalesce(x.fields_in_error, 0) AS fields_in_error,
	       round(1 - x.fields_in_error::numeric / nullif(x.fields_keyed, 0), 4) AS accuracy,
	       coalesce(j.rejects, 0) AS rejects,
	       coalesce(i.idle_seconds, 0) AS idle_seconds
	FROM totals x
	FULL JOIN rej j ON j.operator = x.operator
	LEFT JOIN idle i ON i.operator = coalesce(x.operator, j.operator)
)
SELECT r.login, coalesce(o.full_name, r.login) AS full_name, r.documents, r.keystrokes,
       r.seconds, r.keystrokes_per_hour, r.documents_per_hour, r.fields_keyed,
       r.fields_in_error, r.accuracy, r.rejects, r.idle_seconds
FROM r
LEFT JOIN core.operators o ON o.login = r.login
ORDER BY CASE $5::text WHEN 'documents' THEN r.documents WHEN 'rejects' THEN r.rejects
		       WHEN 'idle' THEN r.idle_seconds END DESC NULLS LAST,
	 CASE $5::text WHEN 'kph' THEN r.keystrokes_per_hour::numeric
		       WHEN 'dph' THEN r.documents_per_hour
		       WHEN 'accuracy' THEN r.accuracy END DESC NULLS LAST,
	 r.login;

-- name: supervisor.operator_documents
-- Drill-down: an operator's keying passes and rejections over a range,
-- newest first. $1 login, $2 from date, $3 to date (inclusive), $4 client
-- code or NULL, $5 doctype code or NULL. sort_when: the list's sort key of
-- its When column (newest first).
SELECT x.at, extract(epoch FROM x.at) AS sort_when, c.code AS client_code, t.code AS doctype,
       d.batch_id, d.document_id,
       d.external_ref, x.pass, x.keystrokes, x.corrections, x.seconds, x.fields_keyed,
       x.fields_in_error, x.action, d.state, d.reject_reason
FROM (
	SELECT p.client_id, p.document_id, p.submitted_at AS at, p.pass, p.keystrokes,
	       p.corrections, p.seconds, p.fields_keyed, p.fields_in_error, 'keyed' AS action
	FROM entry.passes p
	WHERE p.operator = $1::text
	  AND p.submitted_at >= $2::date AND p.submitted_at < $3::date + 1
	UNION ALL
	SELECT d.client_id, d.document_id, d.completed_at, NULL, NULL, NULL, NULL, NULL, NULL,
	       'rejected'
	FROM entry.documents d
	WHERE d.state = 'rejected' AND d.rejected_by = $1::text
	  AND d.completed_at >= $2::date AND d.completed_at < $3::date + 1
) x
JOIN entry.documents d ON d.client_id = x.client_id AND d.document_id = x.document_id
JOIN entry.doctypes t ON t.client_id = d.client_id AND t.doctype_id = d.doctype_id
JOIN core.clients c ON c.client_id = d.client_id
WHERE ($4::text IS NULL OR c.code = upper(btrim($4::text)))
  AND ($5::text IS NULL OR t.code = $5::text)
ORDER BY x.at DESC, d.document_id DESC;

-- name: supervisor.field_errors
-- The fields a keyer got wrong on one document (drill-down of the
-- drill-down). $1 document_id.
SELECT e.pass, p.operator, e.field, e.source, e.keyed_value, e.correct_value, e.at
FROM entry.field_errors e
JOIN entry.passes p ON p.client_id = e.client_id AND p.document_id = e.document_id
		   AND p.pass = e.pass
WHERE e.document_id = $1::bigint
ORDER BY e.pass, e.field;

-- name: supervisor.actions
-- Recent supervisor actions on the queue, newest first. $1 client code or
-- NULL, $2 rows (default 100).
SELECT a.at, c.code AS client_code, a.actor, a.action, a.batch_id, a.document_id, a.detail
FROM entry.actions a
JOIN core.clients c ON c.client_id = a.client_id
WHERE ($1::text IS NULL OR c.code = upper(btrim($1::text)))
ORDER BY a.at DESC, a.action_id DESC
LIMIT least(coalesce($2::integer, 100), 1000);

-- name: supervisor.release
-- Releases a stuck claim: $1 document_id, $2 note.
SELECT entry.sup_release($1::bigint, $2::text);

-- name: supervisor.reassign
-- Gives a document to an operator: $1 document_id, $2 login, $3 lease
-- seconds (how long it waits for them).
SELECT entry.sup_reassign($1::bigint, $2::text, $3::integer);

-- name: supervisor.pause
-- $1 batch id.
SELECT entry.sup_pause($1::bigint, true);

-- name: supervisor.resume
-- $1 batch id.
SELECT entry.sup_pause($1::bigint, false);

-- name: supervisor.set_priority
-- $1 batch id, $2 priority 0..99 (higher first).
SELECT entry.sup_set_priority($1::bigint, $2::integer);

-- name: supervisor.set_sla
-- $1 batch id, $2 due time (timestamptz) or NULL, $3 hours from now or NULL.
-- Returns the new due time.
SELECT entry.sup_set_sla($1::bigint, $2::timestamptz, $3::numeric) AS sla_due;

-- name: supervisor.set_qa_rate
-- $1 client code, $2 doctype code, $3 rate 0..1 (0.05 = 5%).
SELECT entry.set_qa_rate($1::text, $2::text, $3::numeric);

-- name: supervisor.period
-- The dates of a productivity period in the session's time zone (the one
-- supervisor.productivity compares with): $1 'today' or 'week' (Monday to
-- today).
SELECT CASE WHEN $1::text = 'week' THEN date_trunc('week', current_date)::date
	    ELSE current_date END AS from_date,
       current_date AS to_date;

-- name: supervisor.operators
-- Who document $1 can be reassigned to (the claims list's 2=Reassign): the
-- active clerks and supervisors assigned to its client.
SELECT login, full_name, role FROM entry.sup_operators($1::bigint);

-- name: supervisor.doctypes
-- Document types of a client with their QA sample rate in percent (the
-- productivity filter's F4, the board's QA rate prompt): $1 client code, or
-- NULL for every client of the caller.
SELECT t.code, t.title, c.code AS client_code, trim_scale(t.qa_rate * 100) AS qa_percent
FROM entry.doctypes t
JOIN core.clients c ON c.client_id = t.client_id
WHERE $1::text IS NULL OR c.code = upper(btrim($1::text))
ORDER BY t.code, c.code;

-- name: supervisor.set_qa_percent
-- The QA sample rate as a percentage: $1 client code, $2 doctype code, $3
-- percent 0..100 (5 = 5%). Audited like supervisor.set_qa_rate.
SELECT entry.set_qa_rate($1::text, $2::text, round($3::numeric / 100, 4));

-- name: supervisor.qa_values
-- The values of a QA document (qa.next's values, a JSON object) as rows of
-- field and text. $1 the JSON object.
SELECT v.key AS field, v.value
FROM jsonb_each_text(coalesce($1::jsonb, '{}')) v
ORDER BY v.key;

-- name: supervisor.action_log
-- supervisor.actions for the screen: the detail in words ("clerk2: left for
-- lunch", "5 -> 50", "claim 5% -> 10%") and the document's reference. $1
-- client code or NULL, $2 rows (default 100). sort_when: the list's sort key
-- of its When column (newest first).
SELECT a.at, extract(epoch FROM a.at) AS sort_when, c.code AS client_code, a.actor,
       a.action, a.batch_id, a.document_id, d.external_ref,
       CASE a.action
	    WHEN 'release' THEN 'from ' || coalesce(a.detail ->> 'from', '?')
				|| coalesce(': ' || nullif(a.detail ->> 'note', ''), '')
	    WHEN 'reassign' THEN coalesce(a.detail ->> 'from', 'nobody') || ' -> '
				 || coalesce(a.detail ->> 'to', '?')
	    WHEN 'priority' THEN (a.detail ->> 'from') || ' -> ' || (a.detail ->> 'to')
	    WHEN 'sla' THEN to_char((a.detail ->> 'from')::timestamptz, 'MM-DD HH24:MI') || ' -> '
			    || to_char((a.detail ->> 'to')::timestamptz, 'MM-DD HH24:MI')
	    WHEN 'qa_rate' THEN (a.detail ->> 'doctype') || ' '
				|| trim_scale((a.detail ->> 'from')::numeric * 100) || '% -> '
				|| trim_scale((a.detail ->> 'to')::numeric * 100) || '%'
	    ELSE '' END AS summary,
       a.detail
FROM entry.actions a
JOIN core.clients c ON c.client_id = a.client_id
LEFT JOIN entry.documents d ON d.client_id = a.client_id AND d.document_id = a.document_id
WHERE ($1::text IS NULL OR c.code = upper(btrim($1::text)))
ORDER BY a.at DESC, a.action_id DESC
LIMIT least(coalesce($2::integer, 100), 1000);

-- name: supervisor.stock_alert
-- The queue board's stock alert: the items of client $1 at or below their
-- minimum at a location (inventory.below_minimum, under row security: only
-- the supervisor's clients), the worst first (the least on hand against
-- the minimum), $2 of them at most; below: how many there are in all.
-- Re-read with the board on the client's queue channel, which a move
-- notifies when it takes an item to its minimum or brings one back.
SELECT count(*) OVER () AS below, item, description, location, unit, on_hand, min_qty
FROM inventory.below_minimum
WHERE client = upper(btrim($1::text))
ORDER BY coalesce(on_hand / nullif(min_qty, 0), 1), min_qty - on_hand DESC, item, location
LIMIT coalesce($2::integer, 3);
