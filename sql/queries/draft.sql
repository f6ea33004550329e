-- Drafts of open forms (see sql/migrations/009_drafts.sql).

-- name: draft.save
SELECT core.draft_save($1, $2::integer, $3);

-- name: draft.discard
SELECT core.draft_discard($1);

-- name: draft.get
SELECT data, client_id, saved_at FROM core.drafts WHERE login = session_user AND screen = $1;

-- name: draft.list
SELECT screen, client_id, saved_at FROM core.drafts WHERE login = session_user
ORDER BY saved_at DESC;
