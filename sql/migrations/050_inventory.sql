-- 050_inventory: items, locations, stock moves, lots and serials, costing,
-- blind counts (issue 18). Tables only: the functions and views are
-- repeatable files under sql/functions/inventory/.
--
-- Who does what
-- * Clerks key stock moves and blind counts; accountants and supervisors
--   keep items, locations and the client's settings, key moves too, and
--   approve (a move above the client's value limit, a count's differences)
--   through the approvals registry (kinds 'inventory.move' and
--   'inventory.count'), never their own.
--
-- No negative stock without a hot row (the ledger's lesson, 010_ledger.sql)
-- * On-hand quantity is kept per (item, location, lot) in up to 16 STRIPE
--   rows of inventory.stock, each with CHECK (qty >= 0). The sum of the
--   stripes is the on-hand quantity, so it can never be negative whatever
--   runs concurrently: each stripe is changed only under its row lock and
--   each stripe alone stays >= 0.
-- * An issue of x (inventory.take) first locks ONE stripe holding >= x
--   that nobody else holds (FOR UPDATE SKIP LOCKED, LIMIT 1) and takes from
--   it: 32 sessions issuing the same popular item take 16 different rows
--   and do not wait for each other. When every stripe holding >= x is held,
--   it waits for one of them (and checks it again when it gets it). Only when
--   no single stripe holds x does it lock every stripe of the key in stripe
--   order and take from several; if their sum is short, the issue is refused
--   ("only N on hand"), having seen every unit, so nothing is refused that
--   a serial order would have allowed.
-- * A receipt (inventory.put) adds to a stripe nobody holds, making a new one
--   (up to 16) when all are held, so receipts do not queue behind issues.
--   An issue that took from one stripe hands half of what that stripe keeps
--   to a new stripe while there are fewer than 16 (inventory.split), so an
--   item received in one delivery is spread over the stripes after a few
--   issues.
-- * Deadlock freedom: a move's stock changes are applied per key in one
--   fixed order, (item, location, lot), with the item's costing locks
--   (FIFO layers) taken right after its keys; within a key the waits are for
--   one stripe (fast path, holding no other stripe of the key) or for all
--   stripes in ascending order (slow path). So every wait goes to a higher
--   key, or within a key to a higher stripe or to a holder that waits for a
--   higher key only: the waits-for graph has no cycle.
-- * Why not one on-hand row per item and location with a CHECK: every issue
--   of a popular item would queue on it until the previous one commits
--   (the ERPNext/Odoo "lock timeout" complaint). Why not a serializable
--   sum-check: every concurrent issue of the same item would conflict and
--   retry. Stripes keep the proof in a row constraint and the contention
--   spread over 16 rows.
-- * Day, month and year sums per (item, location, stripe) (inventory.sums,
--   the ledger's grains) give quantity and value as of any date from a few
--   rows, never from the history; a move writes to the sums row of the
--   stripe it holds, so the sums are no hot row either.
--
-- Costing (per item: its own valuation method, else the client's)
-- * Moving average: the item's value and quantity are the sums of its
--   stripes; an issue takes qty * value / quantity (rounded to the cent; the
--   last units take what value is left). Concurrent issues read the same
--   average, which issues do not change, so the result is a serial order's.
-- * FIFO: each inbound line opens a layer (inventory.layers); an outbound
--   line consumes the oldest layers. Under concurrency an issue takes the
--   oldest layers no concurrent issue is consuming (SKIP LOCKED, in a
--   subtransaction that is rolled back, releasing its locks, when they do
--   not hold enough; then it waits for the oldest in order), so a popular
--   FIFO item does not serialise on its oldest layer; FIFO holds across
--   transactions to within the layers in flight.
-- * A backdated move (dated before the item's latest posted move) revalues
--   what it affects, in the same transaction, and nothing else:
--   FIFO: what is left on hand is the newest inbound units, so the layers
--   are rebuilt from the newest inbound lines back until they hold the
--   quantity on hand (work bounded by the layers on hand, not the
--   history); moving average: the item's later lines are costed again in
--   date order from the move's date (work bounded by that item's later
--   lines). The difference between the new and the recorded cost of the
--   later outbound lines is one revaluation move (kind 'revaluation',
--   dated the item's latest move) posted to the ledger like any other.
--   Locks: a backdated move locks its item's row FOR UPDATE (ordinary moves
--   take it FOR SHARE), in item order like everything else.
--
-- Ledger
-- * Each posted move with a value posts one entry through
--   ledger.post_from_source (journal IJ, source 'inventory.move', the move's
--   id), per the client's account mapping (inventory.settings): receipt Dr
--   inventory / Cr supplier clearing; issue Dr cost of goods sold / Cr
--   inventory; adjustment and count Dr/Cr adjustments; return Dr inventory /
--   Cr cost of goods sold; revaluation Dr/Cr cost of goods sold. Stock value as
--   of any date is then the inventory account's balance as of that date:
--   every value change is a move with its entry on the move's date.
-- * post_from_source refuses maker = caller (its rule for documents a second
--   person approves). A move that needs no approval (its value under the
--   client's limit) is posted by the clerk who keys it: its entry's maker is
--   'inventory:<login>' (no login can contain a colon) and its approver the
--   clerk, so the entry names the module's rule and the person. A move that
--   needs approval posts when a second person approves it: maker = the clerk,
--   approver = the checker, as post_from_source intends.
-- * Posted moves are immutable (trigger), corrected by a reversal move;
--   moves post only into open periods (the ledger's own check, also for moves
--   without value: transfers).
--
-- Audit: items, units, barcodes, locations, limits, lots and settings are on
-- the client's hash chain. Moves, lines, legs, stock, sums, layers, serials
-- and counts are not (the chain head would be the hot row): posted moves are
-- immutable and carry their maker, approver and times.

CREATE SCHEMA inventory AUTHORIZATION bd_owner;
REVOKE ALL ON SCHEMA inventory FROM PUBLIC;
GRANT USAGE ON SCHEMA inventory TO bd_clerk, bd_accountant, bd_supervisor;

SET ROLE bd_owner;

-- The client's settings and account mapping.
CREATE TABLE inventory.settings (
	client_id         integer PRIMARY KEY REFERENCES core.clients (client_id),
	valuation         text NOT NULL DEFAULT 'average' CHECK (valuation IN ('average', 'fifo')),
	approval_above    numeric(18,2) CHECK (approval_above >= 0),
	inventory_account text NOT NULL,
	clearing_account  text NOT NULL,
	cogs_account      text NOT NULL,
	adjust_account    text NOT NULL,
	FOREIGN KEY (client_id, inventory_account) REFERENCES ledger.accounts (client_id, code),
	FOREIGN KEY (client_id, clearing_account) REFERENCES ledger.accounts (client_id, code),
	FOREIGN KEY (client_id, cogs_account) REFERENCES ledger.accounts (client_id, code),
	FOREIGN KEY (client_id, adjust_account) REFERENCES ledger.accounts (client_id, code)
);

CREATE TABLE inventory.items (
	client_id   integer NOT NULL REFERENCES core.clients (client_id),
	item_id     integer GENERATED ALWAYS AS IDENTITY,
	code        text NOT NULL CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,29}$'),
	description text NOT NULL CHECK (btrim(description) <> '' AND length(description) <= 120
					 AND description !~ '[[:cntrl:]]'),
	base_unit   text NOT NULL CHECK (base_unit ~ '^[A-Z0-9]{1,8}$'),
	category    text NOT NULL DEFAULT '' CHECK (length(category) <= 40
						     AND category !~ '[[:cntrl:]]'),
	valuation   text CHECK (valuation IN ('average', 'fifo')),
	lots        boolean NOT NULL DEFAULT false,
	serials     boolean NOT NULL DEFAULT false,
	active      boolean NOT NULL DEFAULT true,
	PRIMARY KEY (client_id, item_id),
	UNIQUE (client_id, code)
);

-- Conversions to the base unit: a BOX of 12.
CREATE TABLE inventory.units (
	client_id integer NOT NULL,
	item_id   integer NOT NULL,
	unit      text NOT NULL CHECK (unit ~ '^[A-Z0-9]{1,8}$'),
	factor    numeric(18,6) NOT NULL CHECK (factor > 0),
	PRIMARY KEY (client_id, item_id, unit),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id)
);

-- EAN-13 / UPC-A, check digit verified (inventory.barcode_ok); a barcode
-- may stand for a unit of the item (the box's own barcode).
CREATE TABLE inventory.barcodes (
	client_id integer NOT NULL,
	barcode   text NOT NULL,
	item_id   integer NOT NULL,
	unit      text,
	PRIMARY KEY (client_id, barcode),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id),
	FOREIGN KEY (client_id, item_id, unit) REFERENCES inventory.units (client_id, item_id, unit)
);
CREATE INDEX barcodes_item_idx ON inventory.barcodes (client_id, item_id);

-- Warehouses and bins, a tree per client.
CREATE TABLE inventory.locations (
	client_id   integer NOT NULL REFERENCES core.clients (client_id),
	location_id integer GENERATED ALWAYS AS IDENTITY,
	code        text NOT NULL CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,19}$'),
	name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 80
					 AND name !~ '[[:cntrl:]]'),
	kind        text NOT NULL CHECK (kind IN ('warehouse', 'bin')),
	parent_id   integer,
	active      boolean NOT NULL DEFAULT true,
	PRIMARY KEY (client_id, location_id),
	UNIQUE (client_id, code),
	FOREIGN KEY (client_id, parent_id) REFERENCES inventory.locations (client_id, location_id),
	CHECK ((kind = 'warehouse') = (parent_id IS NULL))
);

CREATE TABLE inventory.limits (
	client_id   integer NOT NULL,
	item_id     integer NOT NULL,
	location_id integer NOT NULL,
	min_qty     numeric(18,4) NOT NULL CHECK (min_qty >= 0),
	max_qty     numeric(18,4) NOT NULL,
	PRIMARY KEY (client_id, item_id, location_id),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id),
	FOREIGN KEY (client_id, location_id) REFERENCES inventory.locations (client_id, location_id),
	CHECK (max_qty >= min_qty)
);

CREATE TABLE inventory.lots (
	client_id integer NOT NULL,
	lot_id    integer GENERATED ALWAYS AS IDENTITY,
	item_id   integer NOT NULL,
	lot       text NOT NULL CHECK (lot ~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,29}$'),
	expiry    date,
	PRIMARY KEY (client_id, lot_id),
	UNIQUE (client_id, item_id, lot),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id)
);

-- Serial numbers, unique per item and client; location_id NULL: not in stock.
CREATE TABLE inventory.serials (
	client_id   integer NOT NULL,
	item_id     integer NOT NULL,
	serial      text NOT NULL CHECK (serial ~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,39}$'),
	location_id integer,
	PRIMARY KEY (client_id, item_id, serial),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id),
	FOREIGN KEY (client_id, location_id) REFERENCES inventory.locations (client_id, location_id)
);

-- Stock move documents. status: submitted (waiting for approval), posted,
-- rejected. seq: the posting order (costing replays it).
CREATE SEQUENCE inventory.post_seq;
CREATE TABLE inventory.moves (
	client_id        integer NOT NULL REFERENCES core.clients (client_id),
	move_id          bigint GENERATED ALWAYS AS IDENTITY,
	kind             text NOT NULL CHECK (kind IN ('receipt', 'issue', 'transfer', 'adjustment',
						      'count', 'return', 'revaluation')),
	move_date        date NOT NULL,
	reference        text NOT NULL DEFAULT '' CHECK (length(reference) <= 40
							    AND reference !~ '[[:cntrl:]]'),
	reason           text NOT NULL DEFAULT '' CHECK (length(reason) <= 200
							 AND reason !~ '[[:cntrl:]]'),
	status           text NOT NULL CHECK (status IN ('submitted', 'posted', 'rejected')),
	maker            text NOT NULL,
	approver         text,
	created_at       timestamptz NOT NULL DEFAULT now(),
	posted_at        timestamptz,
	seq              bigint,
	value            numeric(18,2) NOT NULL DEFAULT 0,
	entry_id         bigint,
	reverses_move_id bigint,
	reject_reason    text,
	version          bigint NOT NULL DEFAULT 1,
	PRIMARY KEY (client_id, move_id),
	FOREIGN KEY (client_id, reverses_move_id) REFERENCES inventory.moves (client_id, move_id),
	CHECK ((status = 'posted') = (seq IS NOT NULL AND posted_at IS NOT NULL))
);
CREATE UNIQUE INDEX moves_reversal_idx ON inventory.moves (client_id, reverses_move_id)
	WHERE reverses_move_id IS NOT NULL AND status <> 'rejected';
CREATE INDEX moves_waiting_idx ON inventory.moves (client_id) WHERE status = 'submitted';

-- The lines as keyed (quantity in the unit keyed; qty_base in base units).
CREATE TABLE inventory.move_lines (
	client_id      integer NOT NULL,
	move_id        bigint NOT NULL,
	line_no        integer NOT NULL CHECK (line_no > 0),
	item_id        integer NOT NULL,
	location_id    integer NOT NULL,
	to_location_id integer,
	lot_id         integer,
	serial         text,
	qty            numeric(18,4) NOT NULL,
	unit           text NOT NULL,
	qty_base       numeric(18,4) NOT NULL,
	unit_cost      numeric(18,6),
	PRIMARY KEY (client_id, move_id, line_no),
	FOREIGN KEY (client_id, move_id) REFERENCES inventory.moves (client_id, move_id),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id),
	FOREIGN KEY (client_id, location_id) REFERENCES inventory.locations (client_id, location_id),
	FOREIGN KEY (client_id, to_location_id)
		REFERENCES inventory.locations (client_id, location_id),
	FOREIGN KEY (client_id, lot_id) REFERENCES inventory.lots (client_id, lot_id)
);

-- What a posted move did, per item, location and lot: signed quantity and
-- value (inbound +, outbound -). cost: the value this leg carries now (an
-- outbound leg's cost is corrected by a later backdated move's revaluation,
-- whose own leg carries the difference); value stays as posted.
CREATE TABLE inventory.legs (
	client_id   integer NOT NULL,
	move_id     bigint NOT NULL,
	leg_no      integer NOT NULL,
	line_no     integer NOT NULL,
	item_id     integer NOT NULL,
	location_id integer NOT NULL,
	lot_id      integer,
	move_date   date NOT NULL,
	seq         bigint NOT NULL,
	qty         numeric(18,4) NOT NULL,
	value       numeric(18,2) NOT NULL,
	cost        numeric(18,2) NOT NULL,
	PRIMARY KEY (client_id, move_id, leg_no),
	FOREIGN KEY (client_id, move_id) REFERENCES inventory.moves (client_id, move_id),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id),
	FOREIGN KEY (client_id, location_id) REFERENCES inventory.locations (client_id, location_id),
	FOREIGN KEY (client_id, lot_id) REFERENCES inventory.lots (client_id, lot_id)
);
CREATE INDEX legs_item_idx ON inventory.legs (client_id, item_id, move_date, seq);

-- On hand: stripes per (item, location, lot); see the header.
CREATE TABLE inventory.stock (
	client_id   integer NOT NULL,
	item_id     integer NOT NULL,
	location_id integer NOT NULL,
	lot_id      integer,
	stripe      smallint NOT NULL CHECK (stripe BETWEEN 0 AND 15),
	qty         numeric(18,4) NOT NULL CHECK (qty >= 0),
	value       numeric(18,2) NOT NULL,
	UNIQUE NULLS NOT DISTINCT (client_id, item_id, location_id, lot_id, stripe),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id),
	FOREIGN KEY (client_id, location_id) REFERENCES inventory.locations (client_id, location_id),
	FOREIGN KEY (client_id, lot_id) REFERENCES inventory.lots (client_id, lot_id)
);

-- Posted quantity and value per day/month/year, item, location and stripe.
CREATE TABLE inventory.sums (
	client_id   integer NOT NULL,
	item_id     integer NOT NULL,
	location_id integer NOT NULL,
	grain       "char" NOT NULL CHECK (grain IN ('d', 'm', 'y')),
	bucket      date NOT NULL,
	stripe      smallint NOT NULL CHECK (stripe BETWEEN 0 AND 15),
	qty         numeric(18,4) NOT NULL,
	value       numeric(18,2) NOT NULL,
	PRIMARY KEY (client_id, grain, bucket, item_id, location_id, stripe),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id),
	FOREIGN KEY (client_id, location_id) REFERENCES inventory.locations (client_id, location_id)
);
CREATE INDEX sums_item_idx ON inventory.sums (client_id, item_id, grain, bucket);

-- FIFO layers: one per inbound leg of a FIFO item.
CREATE TABLE inventory.layers (
	client_id  integer NOT NULL,
	layer_id   bigint GENERATED ALWAYS AS IDENTITY,
	item_id    integer NOT NULL,
	move_id    bigint NOT NULL,
	layer_date date NOT NULL,
	seq        bigint NOT NULL,
	qty_in     numeric(18,4) NOT NULL CHECK (qty_in >= 0),
	qty_left   numeric(18,4) NOT NULL CHECK (qty_left >= 0 AND qty_left <= qty_in),
	unit_cost  numeric(18,6) NOT NULL,
	PRIMARY KEY (client_id, layer_id),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id),
	FOREIGN KEY (client_id, move_id) REFERENCES inventory.moves (client_id, move_id)
);
CREATE INDEX layers_open_idx ON inventory.layers (client_id, item_id, layer_date, seq)
	WHERE qty_left > 0;
CREATE INDEX layers_item_idx ON inventory.layers (client_id, item_id, layer_date DESC, seq DESC);

-- Blind counts: the counter's quantities; system_qty is recorded when the
-- count is decided. Clerks cannot read this table (they see their counts
-- through inventory.my_counts, without system quantities).
CREATE TABLE inventory.counts (
	client_id     integer NOT NULL REFERENCES core.clients (client_id),
	count_id      bigint GENERATED ALWAYS AS IDENTITY,
	location_id   integer NOT NULL,
	count_date    date NOT NULL,
	status        text NOT NULL CHECK (status IN ('submitted', 'posted', 'rejected')),
	maker         text NOT NULL DEFAULT session_user,
	approver      text,
	created_at    timestamptz NOT NULL DEFAULT now(),
	decided_at    timestamptz,
	move_id       bigint,
	reject_reason text,
	version       bigint NOT NULL DEFAULT 1,
	PRIMARY KEY (client_id, count_id),
	FOREIGN KEY (client_id, location_id) REFERENCES inventory.locations (client_id, location_id),
	FOREIGN KEY (client_id, move_id) REFERENCES inventory.moves (client_id, move_id)
);
CREATE TABLE inventory.count_lines (
	client_id   integer NOT NULL,
	count_id    bigint NOT NULL,
	line_no     integer NOT NULL,
	item_id     integer NOT NULL,
	lot_id      integer,
	counted     numeric(18,4) NOT NULL CHECK (counted >= 0),
	system_qty  numeric(18,4),
	PRIMARY KEY (client_id, count_id, line_no),
	UNIQUE NULLS NOT DISTINCT (client_id, count_id, item_id, lot_id),
	FOREIGN KEY (client_id, count_id) REFERENCES inventory.counts (client_id, count_id),
	FOREIGN KEY (client_id, item_id) REFERENCES inventory.items (client_id, item_id),
	FOREIGN KEY (client_id, lot_id) REFERENCES inventory.lots (client_id, lot_id)
);

SELECT core.tenant_table('inventory.settings', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('inventory.items', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('inventory.units', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('inventory.barcodes', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('inventory.locations', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('inventory.limits', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('inventory.lots', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('inventory.serials', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('inventory.moves', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('inventory.move_lines', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('inventory.legs', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('inventory.stock', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('inventory.sums', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('inventory.layers', ARRAY['bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('inventory.counts', ARRAY['bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('inventory.count_lines', ARRAY['bd_accountant', 'bd_supervisor'], false);

RESET ROLE;

INSERT INTO approvals.kinds (kind, label, list_fn, approve_fn, reject_fn)
VALUES ('inventory.move', 'Stock move', 'inventory.move_items', 'inventory.move_approve',
	'inventory.move_reject'),
       ('inventory.count', 'Stock count', 'inventory.count_items', 'inventory.count_approve',
	'inventory.count_reject');

-- A leg as planned before it is applied (inventory.apply_legs): signed base
-- quantity; value fixed (a transfer's, a reversal's) or NULL (costed when
-- applied); unit_cost of an inbound leg; layer_move: the move whose FIFO
-- layer a reversed receipt gives back.
SET ROLE bd_owner;
CREATE TYPE inventory.leg_plan AS (
	line_no     integer,
	item_id     integer,
	location_id integer,
	lot_id      integer,
	qty         numeric,
	value       numeric,
	unit_cost   numeric,
	serial      text,
	layer_move  bigint
);

-- Stubs the repeatable files replace (triggers need their function now).
CREATE FUNCTION inventory.barcode_ok(p_code text) RETURNS boolean LANGUAGE sql IMMUTABLE
	AS $$ SELECT true $$;
CREATE FUNCTION inventory.moves_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION inventory.posted_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
RESET ROLE;

ALTER TABLE inventory.barcodes ADD CHECK (inventory.barcode_ok(barcode));
CREATE TRIGGER moves_guard BEFORE UPDATE OR DELETE ON inventory.moves
	FOR EACH ROW EXECUTE FUNCTION inventory.moves_guard();
CREATE TRIGGER move_lines_guard BEFORE UPDATE OR DELETE ON inventory.move_lines
	FOR EACH ROW EXECUTE FUNCTION inventory.posted_guard();
CREATE TRIGGER legs_guard BEFORE UPDATE OR DELETE ON inventory.legs
	FOR EACH ROW EXECUTE FUNCTION inventory.posted_guard();
CREATE TRIGGER moves_truncate BEFORE TRUNCATE ON inventory.moves
	FOR EACH STATEMENT EXECUTE FUNCTION inventory.posted_guard();
CREATE TRIGGER legs_truncate BEFORE TRUNCATE ON inventory.legs
	FOR EACH STATEMENT EXECUTE FUNCTION inventory.posted_guard();
