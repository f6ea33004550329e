-- 035_contracts: the two contracts modules meet through (issue 14).
--
-- * The approvals registry: approvals.kinds names, per kind of item that
--   waits for a second person, the functions that list its waiting items
--   and approve or reject one; approvals.inbox/approve/reject
--   (sql/functions/approvals/) run them, checking maker <> checker, the
--   version seen and the reason in one place. Journal entries are the
--   first kind.
-- * The ledger posting interface: an entry may come from another module's
--   source document (source_kind, source_id), at most one entry per source;
--   ledger.post_from_source (sql/functions/ledger/) posts it.
--
-- Tables only: the functions are repeatable files (see 034).

CREATE SCHEMA approvals AUTHORIZATION bd_owner;
GRANT USAGE ON SCHEMA approvals TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

-- Global configuration written by migrations (no client_id, so no RLS):
-- operators may read it, nobody but a migration writes it. The function
-- columns are qualified names, resolved when used (a kind's functions are
-- repeatable files, applied after the numbered migrations).
--   list_fn(p_client text) RETURNS TABLE (client text, id bigint, item text,
--       reference text, maker text, submitted_at timestamptz, description text,
--       amount numeric, version bigint): the waiting items (item: how
--       the module names one, e.g. 'GJ 1234'; reference: its own reference
--       the inbox searches, '' if none) of the caller's
--       clients (p_client: a client code, NULL for all of them);
--   approve_fn(p_client text, p_id bigint, p_version bigint) RETURNS text;
--   reject_fn(p_client text, p_id bigint, p_version bigint, p_reason text).
-- Each function re-checks the version under its own row lock.
CREATE TABLE approvals.kinds (
	kind       text PRIMARY KEY CHECK (kind ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'),
	label      text NOT NULL CHECK (length(label) BETWEEN 1 AND 20),
	list_fn    text NOT NULL CHECK (list_fn ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'),
	approve_fn text NOT NULL CHECK (approve_fn ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'),
	reject_fn  text NOT NULL CHECK (reject_fn ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$')
);
ALTER TABLE approvals.kinds OWNER TO bd_owner;
GRANT SELECT ON approvals.kinds TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

INSERT INTO approvals.kinds (kind, label, list_fn, approve_fn, reject_fn)
VALUES ('ledger.entry', 'Journal entry', 'ledger.approval_items', 'ledger.entry_approve',
	'ledger.entry_reject');

-- Posting from a source document: both set or neither, one entry per source.
ALTER TABLE ledger.entries
	ADD COLUMN source_kind text CHECK (source_kind ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'),
	ADD COLUMN source_id text CHECK (length(source_id) BETWEEN 1 AND 64
					 AND source_id !~ '[[:cntrl:]]'),
	ADD CHECK ((source_kind IS NULL) = (source_id IS NULL));
CREATE UNIQUE INDEX entries_source_idx ON ledger.entries (client_id, source_kind, source_id)
	WHERE source_kind IS NOT NULL;
