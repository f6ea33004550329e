-- 074_inventory_speed: issue 18's speed goals (stock value as of any date,
-- a backdated receipt). Tables and data here; the functions are repeatable
-- files under sql/functions/inventory/.
--
-- Stock value as of a date: client value sums in slots
-- * inventory.value_sums holds the client's stock value change per day,
--   month and year (the ledger's grains) in a few SLOT rows per bucket; the
--   value as of a date is the years before its year, its year's months
--   before its month and its month's days to it, summed over the slots: a
--   few hundred rows from three index range scans, whatever the number of
--   moves, items or locations (inventory.sums, per item, location and
--   stripe, grows with the items: 25-34 ms over 200 items, now read only by
--   the per-item reports).
-- * No hot row: a move adds its value to the first slot of each bucket that
--   no other transaction holds (FOR UPDATE SKIP LOCKED), and only when every
--   slot is held makes a new one, numbered from a sequence (so it never
--   waits on a concurrent insert). A move therefore never waits for a slot,
--   which also keeps the lock order of 050 (a revaluation adds its value
--   after its move's ledger entry took the journal counter: waiting there
--   could close a cycle). A bucket has at most as many slots as moves were
--   ever in flight at once, so the read stays bounded. Chosen over month-end
--   snapshots: a backdated move adds to one row per grain, exactly as a
--   move of today, so nothing later is rewritten and the snapshot cannot go
--   stale; over per-move running totals: those need the previous total,
--   which is a hot row per item.
-- * The sums are written by inventory.add_sums, the one writer of the day
--   sums, for every leg with a value (revaluations too), so the value as of
--   any date is still the stock account's balance (db.test_inventory).
--
-- A backdated receipt: only what it affects, set-based
-- * FIFO: the layers on hand are the newest inbound units; the rebuild
--   reads only the newest layers that cover the quantity on hand (the open
--   ones and a few older, by index) and sets them in one statement with a
--   running sum, not a loop over every layer of the item.
-- * Moving average: every later outbound leg of the item takes the average
--   as it then stood, and each cost is rounded to the cent, which makes the
--   costs a sequential recurrence: no window function reproduces the
--   rounding exactly (an approximation would post wrong cents), and since a
--   backdated receipt changes the quantity of every later point, the
--   average never comes back to the recorded one by itself. So the work
--   stays bounded by the item's later legs (never the history of other
--   items), but is done in one pass: the later legs are read once into
--   arrays by index (legs.costed marks the legs the average replays: not
--   transfers, not revaluations, so no join with the moves), replayed in
--   memory, and only the legs whose cost changed are updated, in one
--   statement. (Before: a loop over a join that appended to arrays, which
--   copies them each time: quadratic.)

SET ROLE bd_owner;

CREATE SEQUENCE inventory.value_slot;
CREATE TABLE inventory.value_sums (
	client_id integer NOT NULL REFERENCES core.clients (client_id),
	grain     "char" NOT NULL CHECK (grain IN ('d', 'm', 'y')),
	bucket    date NOT NULL,
	slot      bigint NOT NULL,
	value     numeric(18,2) NOT NULL,
	PRIMARY KEY (client_id, grain, bucket, slot)
);
SELECT core.tenant_table('inventory.value_sums', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor'],
			 false);

RESET ROLE;

-- The sums of the moves posted so far, one slot per bucket.
INSERT INTO inventory.value_sums (client_id, grain, bucket, slot, value)
SELECT client_id, grain, bucket, 0, sum(value)
FROM inventory.sums
GROUP BY client_id, grain, bucket;

-- The legs the moving average replays (see inventory.revalue).
ALTER TABLE inventory.legs ADD COLUMN costed boolean NOT NULL DEFAULT true;
UPDATE inventory.legs g SET costed = false
FROM inventory.moves m
WHERE m.client_id = g.client_id AND m.move_id = g.move_id
  AND m.kind IN ('transfer', 'revaluation');
