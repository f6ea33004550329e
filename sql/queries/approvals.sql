-- The approvals registry (sql/functions/approvals/): one inbox over every
-- registered kind, one dispatch to approve or reject an item of any kind.

-- name: approvals.inbox
-- $1 client code, or NULL for all the caller's clients. What the caller may
-- decide, oldest first: never their own items (maker and checker differ;
-- approvals.approve refuses them anyway, so they are not offered). kind,
-- client, id and version are what approve and reject name; submitted is
-- submitted_at as the list shows it (month-day hour:minute).
SELECT to_char(submitted_at, 'MM-DD HH24:MI') AS submitted, client, item, version, maker,
       description, amount, kind, kind_label, id, reference, submitted_at
FROM approvals.inbox($1::text)
WHERE NOT mine
ORDER BY submitted_at, kind, id;

-- name: approvals.approve
-- $1 kind, $2 client code, $3 id, $4 the version the checker saw. Returns
-- what the kind made of it (a journal entry: its number) and the message
-- the inbox shows.
SELECT a.result,
       k.label || ' ' || $3::text || ' (' || upper(btrim($2::text)) || ') approved: ' ||
       a.result AS message
FROM (SELECT approvals.approve($1::text, $2::text, $3::bigint, $4::bigint) AS result) a
JOIN approvals.kinds k ON k.kind = $1::text;

-- name: approvals.reject
-- $1 kind, $2 client code, $3 id, $4 the version the checker saw, $5 the
-- reason the maker sees (the maker withdrawing their own item may leave it
-- empty).
SELECT approvals.reject($1::text, $2::text, $3::bigint, $4::bigint, $5::text);
