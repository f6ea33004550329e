-- The approvals registry (sql/functions/approvals/): one inbox over every
-- registered kind, one dispatch to approve or reject an item of any kind.

-- name: approvals.inbox
-- $1 client code, or NULL for all the caller's clients. Others' items first,
-- oldest first; mine is true for the caller's own (someone else approves
-- them). kind, client, id and version are what approve and reject name.
SELECT kind, kind_label, client, id, item, reference, maker, submitted_at, description, amount, version,
       mine
FROM approvals.inbox($1::text)
ORDER BY mine, submitted_at, kind, id;

-- name: approvals.approve
-- $1 kind, $2 client code, $3 id, $4 the version the checker saw. Returns
-- what the kind made of it (a journal entry: its number).
SELECT approvals.approve($1::text, $2::text, $3::bigint, $4::bigint) AS result;

-- name: approvals.reject
-- $1 kind, $2 client code, $3 id, $4 the version the checker saw, $5 the
-- reason the maker sees (the maker withdrawing their own item may leave it
-- empty).
SELECT approvals.reject($1::text, $2::text, $3::bigint, $4::bigint, $5::text);
