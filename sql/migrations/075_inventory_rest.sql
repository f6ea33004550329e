-- 075_inventory_rest: what issue 18 still lacked besides speed.
--
-- The supervisor board's stock alert (items at or below their minimum,
-- inventory.below_minimum, read by supervisor.stock_alert) re-reads on the
-- client's queue channel. inventory.apply_legs notifies it when an outbound
-- leg leaves an item at or below its minimum; this trigger does the same
-- for an inbound leg that finds it there (a receipt, a transfer in, a
-- reversal, a count's gain), so the alert also goes when stock comes back,
-- without the board polling. Only legs with a positive quantity fire it,
-- and it reads one limit row by key and the key's stripes: the hot issue
-- path (negative legs) pays nothing. NOTIFY folds repeats within one
-- transaction, so a move of many lines sends one notification.
--
-- Functions (repeatable files): inventory.legs_notify_lifted (the trigger),
-- inventory.move_create_once (a stock move's F2 with an idempotency key,
-- core.idem_begin/idem_end as in 032), inventory.move_review (Show in the
-- approvals inbox).

SET ROLE bd_owner;
CREATE FUNCTION inventory.legs_notify_lifted() RETURNS trigger LANGUAGE plpgsql
	AS $$ BEGIN RETURN NULL; END $$;
RESET ROLE;

CREATE TRIGGER legs_notify_lifted AFTER INSERT ON inventory.legs
	FOR EACH ROW WHEN (NEW.qty > 0) EXECUTE FUNCTION inventory.legs_notify_lifted();
