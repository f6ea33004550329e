-- 081_inventory_bounded: issue 18's last open points.
--
-- A backdated move of a moving-average item: bounded, nothing posted changes
-- * Before: a move dated before the item's latest move costed every later
--   outbound leg of the item again with the average as it then stood
--   (inventory.revalue), and posted the difference as one revaluation move.
--   Each issue's cost is rounded to the cent, so the costs are a sequential
--   recurrence; a backdated receipt changes the quantity at every later
--   point, so the replay ran over the item's whole later history: a receipt
--   a year back into 100,000 moves took 532-561 ms of backend CPU against
--   the goal of 50 ms (tests/bench/bench_inventory.c).
-- * Measured before choosing (2026-12-07, 100,000 legs, backend CPU): the
--   replay loop alone over arrays 196 ms with numeric and 130 ms with bigint
--   minor units, and rewriting the 75,000 issues' costs 260 ms. An exact
--   replay is linear in the later history whatever it is written in (no
--   window function reproduces a rounding per issue, and a recursive query
--   is slower than the loop), so it cannot be bounded; replaying only within
--   the open period is no bound either (a period can hold the 100,000 moves)
--   and would give one move two rules by its date.
-- * Now moving average follows SAP's moving average price and Odoo's AVCO:
--   a posted move keeps its cost (posted moves never change); a backdated
--   move enters its quantity and value at its own date and is costed, like
--   any move posted now, from the item's average as it stands now; the
--   average from which later-posted moves are costed absorbs it. Its work
--   is a move of today's: it neither locks the item nor reads its history.
--   The stock value as of every date is still the sum of the legs to that
--   date, which is what the ledger's stock account holds. The change of
--   meaning: the issues dated after a backdated receipt keep the average
--   they were posted at (before, they were costed again); the difference
--   stays in the item's value, which its next issues take. Moves posted
--   before this migration keep their costs; nothing is rewritten.
-- * FIFO is unchanged: a backdated move rebuilds the layers on hand from the
--   newest inbound units back (bounded by the layers on hand: 32-47 ms CPU)
--   and posts the difference as one revaluation move.
--   inventory.lock_items now returns FIFO items only, and inventory.revalue
--   lost its moving-average branch (legs.costed and legs.cost, which only
--   that branch read, stay as written).
--
-- A stock count's F2: inventory.count_submit_once (a repeatable file), the
-- key technique of 032 as inventory.move_create_once: F2 pressed again after
-- a dropped link sends the same key and submits the count once; the count's
-- draft goes in its transaction.
--
-- The supervisor board's stock alert re-reads on the client's queue channel
-- (075). A changed minimum or maximum now notifies it too: a trigger on
-- inventory.limits (inventory.limits_notify), so every writer (limit_set,
-- the item import) does, and an unchanged row written again does not.

COMMENT ON COLUMN inventory.settings.valuation IS
	'average: moving average; a backdated move is costed from the average as it stands when it is posted, and posted moves keep their cost (SAP moving average price, Odoo AVCO). fifo: a backdated move rebuilds the layers on hand and posts one revaluation move.';
COMMENT ON COLUMN inventory.legs.cost IS
	'The value the leg carries; equal to value since 081 (before, a moving-average outbound leg''s cost was costed again by a backdated move, whose revaluation leg carried the difference).';
COMMENT ON COLUMN inventory.items.valuation IS
	'The item''s own method (average or fifo; NULL: the client''s, inventory.settings.valuation, which says what each does with a backdated move).';

SET ROLE bd_owner;
CREATE FUNCTION inventory.limits_notify() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$ BEGIN RETURN NULL; END $$;
RESET ROLE;

CREATE TRIGGER limits_notify_insert AFTER INSERT ON inventory.limits
	FOR EACH ROW EXECUTE FUNCTION inventory.limits_notify();
CREATE TRIGGER limits_notify_update AFTER UPDATE ON inventory.limits
	FOR EACH ROW WHEN (OLD.min_qty IS DISTINCT FROM NEW.min_qty
			   OR OLD.max_qty IS DISTINCT FROM NEW.max_qty)
	EXECUTE FUNCTION inventory.limits_notify();
CREATE TRIGGER limits_notify_delete AFTER DELETE ON inventory.limits
	FOR EACH ROW EXECUTE FUNCTION inventory.limits_notify();
