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
-- helper granted to no one) is one statement: its lines in a WITH, then
-- the entry, written posted, in the INSERT that reads them. The database
-- checks it, for every writer (the superuser's direct INSERT too):
-- * ledger.entries_insert (BEFORE INSERT, row) sees the lines written
--   before the entry in its statement. Only a source posting may be
--   written posted; its maker is not the caller (the approver); its period
--   open, held FOR SHARE until the commit (period_close waits); its lines
--   as an approval checks them: two or more with amounts, balanced in the
--   base currency, on active accounts, and all of them with_entry and
--   dated as the entry; then added to the balances (ledger.balances_add,
--   shared with entries_balances) and, last, numbered from the journal's
--   counter (ledger.entry_no_next, shared with entries_number: gapless,
--   unique). The counter stays locked to the commit, so it is taken at the
--   end. (Numbered at the start of the statement, with the lines checked
--   and the balances added at its end by statement triggers, the counter
--   was held through all of it: with 32 sessions on 2 cores a preempted
--   holder made every other wait, and the benchmark's 32-session issues
--   fell from 264 a second to 128.) A draft starts without lines.
-- * The lines carry with_entry: the row triggers of a keyed entry's lines
--   skip them (lines_guard, which refuses lines of an entry that is not a
--   draft, and the deferred balance check, lines_balanced, which would also
--   run at the commit as the caller, who may not read the ledger: the
--   definer ran it at once with SET CONSTRAINTS, two more statements).
--   Instead ledger.lines_before_entry (BEFORE INSERT, row, with_entry lines
--   only) refuses such a line when its entry exists already, or was
--   written earlier in the same statement: nothing is added to an entry
--   after it is written, and no draft or import gets an unchecked line.
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
-- Here: the column, the triggers, the new one's function created empty
-- (its file replaces it right after the migrations), and add_sums dropped (on
-- a database that has it: a new one gets its functions after the
-- migrations).

SET ROLE bd_owner;

CREATE FUNCTION ledger.lines_before_entry() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp AS $$ BEGIN RETURN NEW; END $$;

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

CREATE TRIGGER lines_a_before_entry BEFORE INSERT ON ledger.lines
	FOR EACH ROW WHEN (NEW.with_entry)
	EXECUTE FUNCTION ledger.lines_before_entry();

DROP FUNCTION IF EXISTS inventory.add_sums(integer, jsonb);

RESET ROLE;
