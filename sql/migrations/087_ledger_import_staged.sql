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
--   (account resolved to its id, signed base amount, currency, amount and
--   rate, memo), the entry's header (journal, reference, description) on
--   its first line, and where it came from (file number in the batch's
--   files, line). No foreign key and one index (the batch's rows): the
--   importer streams them with COPY (ledger.import_copy), and
--   ledger.import_submit checks the whole batch set-based before it waits
--   for approval: every account the client's, in its currency, every
--   period open, every journal there, every entry balanced in the base
--   currency, amounts sums of money; a refusal names file and line and the
--   transaction keeps nothing.
-- * Approval (ledger.import_approve) re-checks what may have changed since
--   (periods closed, accounts made inactive), then writes the entries and
--   lines in one INSERT ... SELECT per table, posted and numbered, adds the
--   balance rows, and deletes the staged rows; a rejection deletes them.
-- * Security: COPY cannot write a table under row security, so this table
--   has none; instead no operator may read, change or delete it (no
--   SELECT, UPDATE or DELETE granted: every reader is a definer function
--   that takes the client code, core.client_id_of), and an accountant may
--   only INSERT (COPY) rows of an open batch of their own, checked once per
--   statement (ledger.import_lines_check). A batch is open only inside the
--   transaction of the import that made it (submitted before it commits),
--   so nobody else ever sees it open.
--
-- Tables here; functions are repeatable files (see 034). The trigger
-- function the trigger below needs is created here empty and replaced by
-- its file right after the migrations.

SET ROLE bd_owner;

ALTER TABLE ledger.import_batches
	ADD COLUMN files text[] NOT NULL DEFAULT '{}';

CREATE TABLE ledger.import_lines (
	client_id   integer NOT NULL,
	batch_id    bigint NOT NULL,
	n           integer NOT NULL,  -- the entry, 1.. in the batch
	line_no     smallint NOT NULL, -- its line, 1..
	entry_date  date NOT NULL,
	journal     text,              -- the entry's header: on line 1 only
	reference   text,
	description text,
	entry_line  integer,           -- the line of the file the entry starts at
	account_id  integer NOT NULL,
	base        numeric NOT NULL,  -- in the base currency, debit positive
	currency    text,              -- another currency: its amount and rate
	amount      numeric,
	rate        numeric,
	memo        text NOT NULL DEFAULT '',
	file_no     smallint NOT NULL, -- import_batches.files[file_no]
	src_line    integer NOT NULL   -- the line of the file this line came from
);
CREATE INDEX import_lines_batch_idx ON ledger.import_lines (client_id, batch_id);
REVOKE ALL ON ledger.import_lines FROM PUBLIC;
GRANT INSERT ON ledger.import_lines TO bd_accountant;

CREATE FUNCTION ledger.import_lines_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER import_lines_check AFTER INSERT ON ledger.import_lines
	REFERENCING NEW TABLE AS new_lines
	FOR EACH STATEMENT EXECUTE FUNCTION ledger.import_lines_check();

-- The chunked writer and its row types are gone; import_begin now takes
-- the batch's files (its file recreates it). A new database has neither
-- function yet: the files are applied after the migrations.
DROP FUNCTION IF EXISTS ledger.import_add(text, bigint, jsonb, jsonb);
DROP TYPE ledger.import_entry;
DROP TYPE ledger.import_line;
DROP FUNCTION IF EXISTS ledger.import_begin(text, text);

-- Batches waiting for approval when this runs: their entries and lines
-- move to the staging table as they are (no file known: file_no 0), and
-- leave ledger.entries and ledger.lines as a rejection takes them away.
-- (As the migrator: bd_owner sees no client's rows under the forced policy.)
RESET ROLE;
INSERT INTO ledger.import_lines (client_id, batch_id, n, line_no, entry_date, journal, reference,
				 description, entry_line, account_id, base, currency, amount, rate, memo,
				 file_no, src_line)
SELECT e.client_id, e.batch_id,
       dense_rank() OVER (PARTITION BY e.client_id, e.batch_id ORDER BY e.entry_id),
       row_number() OVER (PARTITION BY e.client_id, e.entry_id ORDER BY l.line_no),
       e.entry_date, e.journal, e.reference, e.description, 0, l.account_id, l.debit - l.credit,
       l.currency, l.amount, l.rate, l.memo, 0, 0
FROM ledger.entries e
JOIN ledger.import_batches b ON b.client_id = e.client_id AND b.batch_id = e.batch_id
JOIN ledger.lines l ON l.client_id = e.client_id AND l.entry_id = e.entry_id
WHERE b.status = 'submitted' AND e.status = 'submitted';
UPDATE ledger.import_lines SET journal = NULL, reference = NULL, description = NULL,
			       entry_line = NULL
WHERE line_no > 1;
UPDATE ledger.entries e SET status = 'draft'
FROM ledger.import_batches b
WHERE b.client_id = e.client_id AND b.batch_id = e.batch_id AND b.status = 'submitted'
  AND e.status = 'submitted';
DELETE FROM ledger.lines l USING ledger.import_batches b
WHERE b.client_id = l.client_id AND b.batch_id = l.batch_id AND b.status = 'submitted';
DELETE FROM ledger.entries e USING ledger.import_batches b
WHERE b.client_id = e.client_id AND b.batch_id = e.batch_id AND b.status = 'submitted';
