-- 089_ledger_posted_at_insert: a source posting is written posted at
-- insert (issue 18's benchmark: a one-line stock issue with its ledger
-- posting at least half a pgbench TPC-B transaction's rate).
--
-- Before, ledger.post_source_lines inserted the entry as a draft, its
-- lines, then updated it to posted: the entry written twice (both its
-- foreign keys checked twice: a row inserted by the same transaction is
-- checked again on update), five row triggers on the update (version,
-- state machine, balances, number) reading back the lines just written.
-- By pg_stat_statements the update was 40% of the posting.
--
-- Now a source posting (source_kind set; post_source_lines, a definer's
-- helper granted to no one) is one statement: the entry in a WITH, its
-- lines in the INSERT that reads it. The database checks it as before,
-- for every writer (the superuser's direct INSERT too):
-- * ledger.entries_insert (BEFORE INSERT, row): only a source posting may
--   be written posted; its maker is not the caller (the approver); its
--   period open, held FOR SHARE until the commit (period_close waits);
--   its number from the journal's counter (ledger.entry_no_next, shared
--   with entries_number: gapless, unique, the counter held to the commit).
-- * ledger.entries_posted_check (AFTER INSERT, per statement, with the
--   statement's new entries): each entry written posted has by then two or
--   more lines with amounts, balanced in the base currency, dated as the
--   entry, on active accounts; then the balances of all of them in one
--   upsert, on the transaction's stripe (ledger.balance_stripe, shared
--   with entries_balances).
-- * Its lines carry with_entry (written in the statement that wrote their
--   entry posted): the row triggers of a keyed entry's lines skip them
--   (lines_guard, which refuses lines of an entry that is not a draft,
--   and the deferred balance check, lines_balanced, which would also run
--   at the commit as the caller, who may not read the ledger: the definer
--   ran it at once with SET CONSTRAINTS, two more statements).
-- * ledger.lines_posted_check (AFTER INSERT, per statement): with_entry
--   lines only of an entry written posted as a source posting, in the
--   statement that wrote it (every line the entry has is one of the
--   statement's with_entry lines), so nothing is added to a posted entry
--   later and no draft gets a line unchecked; any other line of an entry
--   that is not a draft is refused by lines_guard, row by row, as before.
-- Posted rows stay immutable (entries_update, lines_guard); keyed entries
-- and an import's are posted as before.
--
-- Inventory (issue 18, one way to post a move): inventory.post_simple (086)
-- had its own copy of apply_legs' costing, stripes, checks and sums. Both
-- now call the same functions: inventory.leg_stock (a leg's stock change
-- and moving-average cost), inventory.lock_backdated, inventory.legs_checked
-- (as-of check, stock alert) and inventory.legs_add (legs, sums, value
-- sums; revalue too), which replaces inventory.add_sums.
--
-- Here: the column, the triggers, their functions created empty (their
-- files replace them right after the migrations), and add_sums dropped (on
-- a database that has it: a new one gets its functions after the
-- migrations).

SET ROLE bd_owner;

CREATE FUNCTION ledger.entries_posted_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp AS $$ BEGIN RETURN NULL; END $$;
CREATE FUNCTION ledger.lines_posted_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp AS $$ BEGIN RETURN NULL; END $$;

ALTER TABLE ledger.lines ADD COLUMN with_entry boolean NOT NULL DEFAULT false;

DROP TRIGGER lines_a_guard ON ledger.lines;
CREATE TRIGGER lines_a_guard BEFORE INSERT ON ledger.lines
	FOR EACH ROW WHEN (NEW.batch_id IS NULL AND NOT NEW.with_entry)
	EXECUTE FUNCTION ledger.lines_guard();
DROP TRIGGER lines_balanced ON ledger.lines;
CREATE CONSTRAINT TRIGGER lines_balanced AFTER INSERT ON ledger.lines
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW WHEN (NEW.batch_id IS NULL AND NOT NEW.with_entry)
	EXECUTE FUNCTION ledger.lines_balanced();

CREATE TRIGGER entries_posted_check AFTER INSERT ON ledger.entries
	REFERENCING NEW TABLE AS new_entries
	FOR EACH STATEMENT EXECUTE FUNCTION ledger.entries_posted_check();
CREATE TRIGGER lines_posted_check AFTER INSERT ON ledger.lines
	REFERENCING NEW TABLE AS new_lines
	FOR EACH STATEMENT EXECUTE FUNCTION ledger.lines_posted_check();

DROP FUNCTION IF EXISTS inventory.add_sums(integer, jsonb);

RESET ROLE;
