-- Inventory: items, locations, stock moves, blind counts and the reports.
-- Writes go through the inventory.* functions (SECURITY DEFINER, raising
-- BD001..BD004 with a message for the user; sql/functions/inventory/).
-- $1 is always the client code; dates are ISO text, quantities and costs
-- numeric text, move lines a JSON array of {"item","qty","unit","location",
-- "to_location","lot","expiry","serial","unit_cost"}.

-- name: inventory.settings_set
-- $2 valuation (average, fifo), $3 approval limit or NULL, $4..$7 the
-- inventory, supplier clearing, cost of goods sold and adjustments accounts.
SELECT inventory.settings_set($1::text, $2::text, $3::numeric, $4::text, $5::text, $6::text,
			      $7::text);

-- name: inventory.item_save
-- $2 code, $3 description, $4 base unit, $5 category, $6 valuation or NULL,
-- $7 lots, $8 serials, $9 active ('true'/'false').
SELECT inventory.item_save($1::text, $2::text, $3::text, $4::text, coalesce($5::text, ''),
			   $6::text, coalesce($7::boolean, false), coalesce($8::boolean, false),
			   coalesce($9::boolean, true)) AS item_id;

-- name: inventory.unit_set
-- $2 item, $3 unit, $4 base units in one.
SELECT inventory.unit_set($1::text, $2::text, $3::text, $4::numeric);

-- name: inventory.barcode_add
-- $2 item, $3 barcode (EAN-13 / UPC-A), $4 unit or NULL (the base unit).
SELECT inventory.barcode_add($1::text, $2::text, $3::text, $4::text);

-- name: inventory.location_save
-- $2 code, $3 name, $4 the warehouse's code for a bin, NULL for a warehouse.
SELECT inventory.location_save($1::text, $2::text, $3::text, $4::text) AS location_id;

-- name: inventory.limit_set
-- $2 item, $3 location, $4 minimum, $5 maximum.
SELECT inventory.limit_set($1::text, $2::text, $3::text, $4::numeric, $5::numeric);

-- name: inventory.items_import
-- $2 the file's name (for FILE:LINE messages), $3 the rows as JSON.
SELECT inventory.items_import($1::text, $2::text, $3::jsonb) AS imported;

-- name: inventory.item_list
-- The items in code order, with their barcodes.
SELECT i.code, i.description, i.base_unit AS unit, i.category,
       coalesce(i.valuation, s.valuation, '') AS valuation,
       CASE WHEN i.active THEN 'Y' ELSE 'N' END AS active,
       coalesce((SELECT string_agg(b.barcode, ' ' ORDER BY b.barcode) FROM inventory.barcodes b
		 WHERE b.client_id = i.client_id AND b.item_id = i.item_id), '') AS barcodes
FROM inventory.items i
LEFT JOIN inventory.settings s ON s.client_id = i.client_id
WHERE i.client_id = core.client_id_of($1::text)
ORDER BY i.code;

-- name: inventory.item_find
-- An item by code or barcode (what a scanner types): its code, description
-- and the unit the barcode stands for.
SELECT i.code, i.description, coalesce(b.unit, i.base_unit) AS unit
FROM inventory.items i
LEFT JOIN inventory.barcodes b ON b.client_id = i.client_id AND b.item_id = i.item_id
				  AND b.barcode = btrim($2::text)
WHERE i.client_id = core.client_id_of($1::text)
  AND (i.code = btrim($2::text) OR b.barcode IS NOT NULL)
ORDER BY (i.code = btrim($2::text)) DESC
LIMIT 1;

-- name: inventory.location_list
-- The locations as a tree: each warehouse, then its bins.
SELECT l.code, l.name, l.kind, coalesce(p.code, '') AS parent
FROM inventory.locations l
LEFT JOIN inventory.locations p ON p.client_id = l.client_id AND p.location_id = l.parent_id
WHERE l.client_id = core.client_id_of($1::text)
ORDER BY coalesce(p.code, l.code), l.parent_id NULLS FIRST, l.code;

-- name: inventory.move_create
-- $2 kind (receipt, issue, transfer, adjustment, return), $3 date,
-- $4 reference, $5 reason, $6 lines (JSON). Returns the message.
SELECT inventory.move_create($1::text, $2::text, $3::date, coalesce($4::text, ''),
			     coalesce($5::text, ''), $6::jsonb) AS message;

-- name: inventory.move_reverse
-- $2 move id, $3 date or NULL (today).
SELECT inventory.move_reverse($1::text, $2::bigint, $3::date) AS message;

-- name: inventory.move_list
-- Moves, newest first: $2 the most to show.
SELECT m.move_id, to_char(m.move_date, 'YYYY-MM-DD') AS move_date, m.kind, m.reference,
       m.status, m.value, m.maker, coalesce(m.approver, '') AS approver
FROM inventory.moves m
WHERE m.client_id = core.client_id_of($1::text)
ORDER BY m.move_id DESC
LIMIT coalesce($2::integer, 200);

-- name: inventory.count_submit
-- $2 location, $3 date, $4 lines [{"item","lot","qty"}]. Returns the message.
SELECT inventory.count_submit($1::text, $2::text, $3::date, $4::jsonb) AS message;

-- name: inventory.count_submit_once
-- inventory.count_submit with $5 an idempotency key (the screen's F2): a
-- resend with the same key returns the first call's message and submits
-- nothing again. $6 the screen's draft key or NULL: dropped with the count.
SELECT inventory.count_submit_once($1::text, $2::text, $3::date, $4::jsonb, $5::text,
				   $6::text) AS message;

-- name: inventory.count_review
-- $2 count id: counted against the system's quantity (checkers only).
SELECT * FROM inventory.count_review($1::text, $2::bigint);

-- name: inventory.on_hand
-- $2 as-of date or NULL (today).
SELECT * FROM inventory.on_hand($1::text, $2::date);

-- name: inventory.valuation
-- $2 as-of date or NULL (today).
SELECT * FROM inventory.valuation($1::text, $2::date);

-- name: inventory.stock_value
-- $2 as-of date or NULL (today).
SELECT inventory.stock_value($1::text, $2::date) AS value;

-- name: inventory.stock_card
-- $2 item (code or barcode), $3 location or NULL (all).
SELECT * FROM inventory.stock_card($1::text, $2::text, $3::text);

-- name: inventory.reorder
-- Items at or below their minimum and the quantity that brings each to its
-- maximum; also the supervisor board's stock alert (a move that leaves an
-- item at or below its minimum notifies the client's queue channel).
SELECT item, description, location, unit, on_hand, min_qty, max_qty, suggest
FROM inventory.below_minimum
WHERE client = upper(btrim($1::text))
ORDER BY item, location;

-- name: inventory.move_create_once
-- inventory.move_create with $7 an idempotency key (the screen's F2): a
-- resend with the same key returns the first call's message and keys
-- nothing again. $8 the screen's draft key or NULL: dropped with the move.
SELECT inventory.move_create_once($1::text, $2::text, $3::date, coalesce($4::text, ''),
				  coalesce($5::text, ''), $6::jsonb, $7::text, $8::text) AS message;

-- name: inventory.move_review
-- $2 move id: the move (header on each row) and its lines with unit cost
-- and value, for its checker (approvals inbox, Show).
SELECT move_id, kind, to_char(move_date, 'YYYY-MM-DD') AS move_date, reference, reason, maker,
       status, total, line_no, item, description, qty, unit, location, to_location, lot,
       unit_cost, value
FROM inventory.move_review($1::text, $2::bigint);
