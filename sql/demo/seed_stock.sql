-- Demo data for inventory (issue 18), for GLOBEX (Globex Supplies); named to run after
-- seed_ledger.sql (the demo files run in path order), whose chart of
-- accounts and fiscal years it needs.
--
-- Three accounts of its own (stock 1310, goods received not invoiced 2150,
-- stock adjustments 5150; cost of goods sold is 5100), two warehouses with
-- two bins each, 200 items (every tenth FIFO, the rest moving average; each
-- with an EAN-13 barcode 200000000NNNC and a minimum and maximum at WH1),
-- then about three months of history as the operators would key it:
-- fortnightly receipts, issues twice a week, a transfer a week. Moves above 5,000.00 wait for
-- a second person. Everything through the inventory functions.

SET SESSION AUTHORIZATION acct1;

DO $seed$
DECLARE
	n integer;
	code text;
	bc text;
BEGIN
	PERFORM ledger.account_add('GLOBEX', '1310', 'Stock', 'asset', '1000');
	PERFORM ledger.account_add('GLOBEX', '2150', 'Goods received not invoiced', 'liability', '2000');
	PERFORM ledger.account_add('GLOBEX', '5150', 'Stock adjustments', 'expense', '5000');
	PERFORM inventory.settings_set('GLOBEX', 'average', 5000, '1310', '2150', '5100', '5150');
	PERFORM inventory.location_save('GLOBEX', 'WH1', 'Main warehouse');
	PERFORM inventory.location_save('GLOBEX', 'WH1-A', 'Main, aisle A', 'WH1');
	PERFORM inventory.location_save('GLOBEX', 'WH1-B', 'Main, aisle B', 'WH1');
	PERFORM inventory.location_save('GLOBEX', 'WH2', 'North depot');
	PERFORM inventory.location_save('GLOBEX', 'WH2-A', 'North, aisle A', 'WH2');
	FOR n IN 1 .. 200 LOOP
		code := 'A-' || lpad(n::text, 4, '0');
		PERFORM inventory.item_save('GLOBEX', code,
			(ARRAY['Hex bolt', 'Washer', 'Cable tie', 'Fuse', 'Bearing', 'Gasket',
			       'Hose clamp', 'Valve', 'Filter', 'Relay'])[1 + n % 10]
			|| ' size ' || (1 + n / 10), 'EA',
			(ARRAY['fasteners', 'electrical', 'plumbing', 'spares'])[1 + n % 4],
			CASE WHEN n % 10 = 0 THEN 'fifo' END);
		-- EAN-13: 12 digits and their check digit
		bc := '200000000' || lpad(n::text, 3, '0');
		bc := bc || ((10 - (SELECT sum(substr(bc, i, 1)::int * CASE WHEN i % 2 = 0 THEN 3 ELSE 1 END)
				     FROM generate_series(1, 12) i) % 10) % 10)::text;
		PERFORM inventory.barcode_add('GLOBEX', code, bc);
		IF n % 5 = 0 THEN
			PERFORM inventory.unit_set('GLOBEX', code, 'BOX', 12);
		END IF;
		PERFORM inventory.limit_set('GLOBEX', code, 'WH1', 10 + n % 7, 80 + n % 7);
	END LOOP;
END
$seed$;

SET SESSION AUTHORIZATION clerk1;

-- Day by day, as it happened: receipts every other Monday (half the items
-- each time, in slices under the approval limit), issues on Tuesdays and
-- Thursdays, a transfer on Thursdays.
DO $seed$
DECLARE
	d0 date := greatest(date_trunc('year', current_date)::date, current_date - 91);
	d date;
	w integer;
	k integer;
	lines jsonb;
BEGIN
	FOR d IN SELECT g::date FROM generate_series(d0, current_date, '1 day') g LOOP
		w := (d - d0) / 7;
		CONTINUE WHEN extract(isodow FROM d) > 5;
		IF (extract(isodow FROM d) = 1 AND w % 2 = 0) OR d = d0 THEN
			SELECT jsonb_agg(jsonb_build_object('item', 'A-' || lpad(n::text, 4, '0'),
				'qty', (30 + n % 20)::text,
				'location', CASE WHEN n % 3 = 0 THEN 'WH2' ELSE 'WH1' END,
				'unit_cost', (1 + (n % 17) * 0.35 + w * 0.05)::numeric(10,2)::text))
			INTO lines
			FROM generate_series(1, 200) n WHERE n % 2 = (w / 2) % 2 AND n % 25 <> 7;
			FOR k IN 0 .. 9 LOOP
				PERFORM inventory.move_create('GLOBEX', 'receipt', d,
					'PO-' || to_char(d, 'MMDD') || '-' || k, '',
					(SELECT jsonb_agg(x) FROM jsonb_array_elements(lines)
						WITH ORDINALITY e(x, i) WHERE i % 10 = k));
			END LOOP;
			CONTINUE;
		END IF;
		CONTINUE WHEN extract(isodow FROM d) NOT IN (2, 4);
		SELECT jsonb_agg(jsonb_build_object('item', 'A-' || lpad(n::text, 4, '0'),
			'qty', (1 + (n + d - d0) % 6)::text,
			'location', CASE WHEN n % 3 = 0 THEN 'WH2' ELSE 'WH1' END))
		INTO lines
		FROM generate_series(1 + (d - d0) % 13, 200, 13) n
		WHERE (SELECT coalesce(sum(s.qty), 0) FROM inventory.stock s
		       JOIN inventory.items i USING (client_id, item_id)
		       JOIN inventory.locations l USING (client_id, location_id)
		       WHERE i.code = 'A-' || lpad(n::text, 4, '0')
			 AND l.code = CASE WHEN n % 3 = 0 THEN 'WH2' ELSE 'WH1' END) >= 6;
		IF lines IS NOT NULL THEN
			PERFORM inventory.move_create('GLOBEX', 'issue', d, 'REQ-' || to_char(d, 'MMDD'), '',
						      lines);
		END IF;
		IF extract(isodow FROM d) = 4 AND (SELECT coalesce(sum(s.qty), 0) FROM inventory.stock s
				  JOIN inventory.items i USING (client_id, item_id)
				  JOIN inventory.locations l USING (client_id, location_id)
				  WHERE i.code = 'A-' || lpad((3 * w + 1)::text, 4, '0')
				    AND l.code = 'WH1') >= 2 THEN
			PERFORM inventory.move_create('GLOBEX', 'transfer', d, 'TR-' || to_char(d, 'MMDD'), '',
				jsonb_build_array(jsonb_build_object('item', 'A-' || lpad((3 * w + 1)::text, 4, '0'),
					'qty', '2', 'location', 'WH1', 'to_location', 'WH1-A')));
		END IF;
	END LOOP;
END
$seed$;

RESET SESSION AUTHORIZATION;
