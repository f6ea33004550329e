-- 087_ledger_import_staged: an import batch is staged until it is approved
-- (issue 19's benchmark: import at least 0.5x `psql \copy` of its lines).
--
-- Before, an import wrote its entries and lines into ledger.entries and
-- ledger.lines at once (submitted, for one approval): every row paid its
-- foreign key checks (seven index lookups per two-line transaction) and
-- the entries' and lines' index entries, 3.7 times a \copy of the lines
-- before any parse or check of ours. An import that is not approved is not
-- in the books, so it now waits in ledger.import_lines instead:
--
-- * One row per line of the file's transactions as the importer made them
--   (account resolved to its id, amounts in minor units: the signed base
--   amount, and for a line in another currency its amount there and the
--   rate; memo), the entry's header (date, journal, reference, description,
--   the line it starts at) on its first line, and where each line came from
--   (file number in the batch's files, line). No foreign key, no index, no
--   trigger: the importer streams them with COPY (ledger.import_copy), and
--   ledger.import_submit checks the whole batch set-based before it waits
--   for approval: every account the client's, in its currency, every
--   period open, every journal there, every entry balanced in the base
--   currency, amounts sums of money; a refusal names file and line and the
--   transaction keeps nothing. (An index on the batch cost as much as the
--   rest of the COPY; the table holds only batches waiting for approval.)
-- * Approval (ledger.import_approve) re-checks what may have changed since
--   (periods closed, accounts made inactive), then writes the entries and
--   lines in one INSERT ... SELECT per table, posted and numbered, adds the
--   balance rows, and deletes the staged rows; a rejection deletes them.
-- * Security: COPY cannot write a table under row security, so this table
--   has none. Instead no operator may read, change or delete it (no
--   SELECT, UPDATE or DELETE granted: every reader is a definer function
--   that takes the client code, core.client_id_of, and the batch), and an
--   accountant may only INSERT (COPY). A batch's lines are the rows written
--   by the transaction that made the batch (import_batches.xact, the
--   importer's own transaction, which submits the batch before it commits)
--   and no others: every reader takes only rows whose xmin is that
--   transaction, which no other transaction can write. Rows anyone else
--   wrote under a batch's number are never read, and go with the batch's
--   when it is decided. This costs the COPY nothing per row (a statement
--   trigger over the rows, or a checked column, cost a third of it).
--
-- Tables here; functions are repeatable files (see 034).

SET ROLE bd_owner;

ALTER TABLE ledger.import_batches
	ADD COLUMN files text[] NOT NULL DEFAULT '{}',
	ADD COLUMN xact xid8;

CREATE TABLE ledger.import_lines (
	batch_id    bigint NOT NULL,
	n           integer NOT NULL,  -- the entry, 1.. in the batch
	line_no     smallint NOT NULL, -- its line, 1..
	entry_date  date,              -- the entry's header: on line 1 only
	journal     text,
	reference   text,
	description text,
	entry_line  integer,           -- the line of the file the entry starts at
	account_id  integer NOT NULL,
	base        bigint NOT NULL,   -- minor units of the base currency, debit positive
	currency    text,              -- another currency: the amount there (minor
	amount      bigint,            -- units, debit positive) and the rate
	rate        numeric,
	memo        text NOT NULL DEFAULT '',
	file_no     smallint NOT NULL, -- import_batches.files[file_no]
	src_line    integer NOT NULL   -- the line of the file this line came from
);
REVOKE ALL ON ledger.import_lines FROM PUBLIC;
GRANT INSERT ON ledger.import_lines TO bd_accountant;

-- The chunked writer and its row types are gone; import_begin now takes
-- the batch's files (its file recreates it). A new database has neither
-- function yet: the files are applied after the migrations.
DROP FUNCTION IF EXISTS ledger.import_add(text, bigint, jsonb, jsonb);
DROP TYPE ledger.import_entry;
DROP TYPE ledger.import_line;
DROP FUNCTION IF EXISTS ledger.import_begin(text, text);

-- Batches waiting for approval when this runs: their entries and lines
-- move to the staging table as they are (no file known: file_no 0),
-- written by this transaction, and leave ledger.entries and ledger.lines
-- as a rejection took them away.
-- (As the migrator: bd_owner sees no client's rows under the forced policy.)
RESET ROLE;
UPDATE ledger.import_batches SET xact = pg_current_xact_id() WHERE status = 'submitted';
INSERT INTO ledger.import_lines (batch_id, n, line_no, entry_date, journal, reference, description,
				 entry_line, account_id, base, currency, amount, rate, memo, file_no,
				 src_line)
SELECT x.batch_id, x.n, x.line_no,
       CASE WHEN x.line_no = 1 THEN x.entry_date END, CASE WHEN x.line_no = 1 THEN x.journal END,
       CASE WHEN x.line_no = 1 THEN x.reference END,
       CASE WHEN x.line_no = 1 THEN x.description END, CASE WHEN x.line_no = 1 THEN 0 END,
       x.account_id, ((x.debit - x.credit) * power(10::numeric, bu.minor_units))::bigint,
       x.currency, (x.amount * power(10::numeric, cu.minor_units))::bigint, x.rate, x.memo, 0, 0
FROM (SELECT e.client_id, e.batch_id, e.entry_date, e.journal, e.reference, e.description,
	     l.account_id, l.debit, l.credit, l.currency, l.amount, l.rate, l.memo,
	     dense_rank() OVER (PARTITION BY e.client_id, e.batch_id ORDER BY e.entry_id) AS n,
	     row_number() OVER (PARTITION BY e.client_id, e.entry_id ORDER BY l.line_no) AS line_no
      FROM ledger.entries e
      JOIN ledger.import_batches b ON b.client_id = e.client_id AND b.batch_id = e.batch_id
      JOIN ledger.lines l ON l.client_id = e.client_id AND l.entry_id = e.entry_id
      WHERE b.status = 'submitted' AND e.status = 'submitted') x
LEFT JOIN ledger.books k ON k.client_id = x.client_id
JOIN ledger.currencies bu ON bu.code = coalesce(k.base_currency, 'USD')
LEFT JOIN ledger.currencies cu ON cu.code = x.currency;
UPDATE ledger.entries e SET status = 'draft'
FROM ledger.import_batches b
WHERE b.client_id = e.client_id AND b.batch_id = e.batch_id AND b.status = 'submitted'
  AND e.status = 'submitted';
DELETE FROM ledger.lines l USING ledger.import_batches b
WHERE b.client_id = l.client_id AND b.batch_id = l.batch_id AND b.status = 'submitted';
DELETE FROM ledger.entries e USING ledger.import_batches b
WHERE b.client_id = e.client_id AND b.batch_id = e.batch_id AND b.status = 'submitted';
