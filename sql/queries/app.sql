-- The interactive application (src/app/app.c, admin.c): the client
-- picker and the audit log viewer. The admin writes use admin.sql.

-- name: app.my_clients
-- The client picker: the active clients assigned to the session's operator,
-- with the client_id that client-scoped drafts and queries take.
SELECT c.client_id, c.code, c.name
FROM core.clients c
WHERE c.client_id = ANY (core.my_clients())
  AND c.active
ORDER BY c.code;

-- name: app.audit_list
-- The audit log viewer: admin.audit_list's filters ($1 client code or '*',
-- $2 table, $3 actor, $4 from date, $5 to date; NULL for none), one page
-- ($6 rows, at most 1000; $7 rows to skip), $8 a text the row must contain
-- (case-insensitive, in any column or the old/new values; NULL for any) and
-- $9 the column to sort by (at, client_code, actor, table_name, op, row_key;
-- NULL or unknown: newest first). `at` is shown to the minute.
SELECT CASE WHEN l.client_id = 0 THEN '*' ELSE c.code END AS client_code,
       l.seq, to_char(l.at, 'YYYY-MM-DD HH24:MI') AS at, l.actor, l.table_name, l.op,
       coalesce(l.row_key::text, '') AS row_key
FROM core.audit_log l
LEFT JOIN core.clients c ON c.client_id = l.client_id
WHERE ($1::text IS NULL
       OR (btrim($1::text) = '*' AND l.client_id = 0)
       OR c.code = upper(btrim($1::text)))
  AND ($2::text IS NULL OR l.table_name = $2::text
       OR (position('.' IN $2::text) = 0 AND split_part(l.table_name, '.', 2) = $2::text))
  AND ($3::text IS NULL OR l.actor = $3::text)
  AND ($4::date IS NULL OR l.at >= $4::date)
  AND ($5::date IS NULL OR l.at < $5::date + 1)
  AND ($8::text IS NULL
       OR strpos(lower(concat_ws(' ', c.code, l.actor, l.table_name, l.op, l.row_key::text,
				 l.old::text, l.new::text)),
		 lower($8::text)) > 0)
ORDER BY CASE WHEN $9::text = 'client_code' THEN coalesce(c.code, '*') END,
	 CASE WHEN $9::text = 'actor' THEN l.actor END,
	 CASE WHEN $9::text = 'table_name' THEN l.table_name END,
	 CASE WHEN $9::text = 'op' THEN l.op END,
	 CASE WHEN $9::text = 'row_key' THEN l.row_key::text END,
	 l.at DESC, l.client_id DESC, l.seq DESC
LIMIT least(coalesce($6::integer, 100), 1000) OFFSET greatest(coalesce($7::integer, 0), 0);

-- name: app.audit_get
-- One audit row for the viewer's 5=Show: $1 client code ('*' for the
-- firm-level chain), $2 seq. changes: one "column: value" line per column
-- that changed ("column: old  ->  new" for an UPDATE; every column for an
-- INSERT or DELETE); old and new: the whole row images, one "column: value"
-- line each (the viewer draws lines, so no indented JSON).
SELECT CASE WHEN l.client_id = 0 THEN '*' ELSE c.code END AS client_code,
       l.seq, to_char(l.at, 'YYYY-MM-DD HH24:MI:SS TZ') AS at, l.actor, l.table_name, l.op,
       coalesce(l.row_key::text, '') AS row_key,
       coalesce((SELECT string_agg(
			format('%s: %s', k.key,
			       CASE WHEN l.op = 'UPDATE'
				    THEN coalesce(l.old -> k.key, 'null'::jsonb)::text || '  ->  ' ||
					 coalesce(l.new -> k.key, 'null'::jsonb)::text
				    ELSE coalesce(l.new -> k.key, l.old -> k.key)::text END),
			E'\n' ORDER BY k.key)
		 FROM (SELECT jsonb_object_keys(l.old) WHERE jsonb_typeof(l.old) = 'object'
		       UNION
		       SELECT jsonb_object_keys(l.new) WHERE jsonb_typeof(l.new) = 'object') k(key)
		 WHERE l.op <> 'UPDATE' OR l.old -> k.key IS DISTINCT FROM l.new -> k.key), '')
	       AS changes,
       coalesce(CASE WHEN jsonb_typeof(l.old) = 'object'
		     THEN (SELECT string_agg(format('%s: %s', e.key, e.value::text), E'\n'
					     ORDER BY e.key)
			   FROM jsonb_each(l.old) e)
		     ELSE l.old::text END, '') AS old,
       coalesce(CASE WHEN jsonb_typeof(l.new) = 'object'
		     THEN (SELECT string_agg(format('%s: %s', e.key, e.value::text), E'\n'
					     ORDER BY e.key)
			   FROM jsonb_each(l.new) e)
		     ELSE l.new::text END, '') AS new
FROM core.audit_log l
LEFT JOIN core.clients c ON c.client_id = l.client_id
WHERE l.seq = $2::bigint
  AND ((btrim($1::text) = '*' AND l.client_id = 0) OR c.code = upper(btrim($1::text)));
