-- Demo data for the general ledger (runs after seed.sql, as a superuser).
-- For ACME and GLOBEX: a chart of accounts, two fiscal years (last calendar
-- year and this one, 12 monthly periods each, so the current date is in an
-- open period), the six journals, about forty posted entries spread over the
-- last eleven months, two entries waiting in the approval inbox and one
-- draft. Last year's first quarter is locked, the rest of last year closed
-- once its entries are posted.
--
-- Everything is done as the demo operators, through the ledger functions:
-- acct1 keys and submits, acct2 approves, super1 closes and locks.

SET SESSION AUTHORIZATION acct1;

DO $seed$
DECLARE
	cl text;
	y integer := extract(year FROM current_date)::integer;
	a record;
BEGIN
	FOREACH cl IN ARRAY ARRAY['ACME', 'GLOBEX'] LOOP
		PERFORM ledger.fiscal_year_open(cl, y - 1, make_date(y - 1, 1, 1));
		PERFORM ledger.fiscal_year_open(cl, y, make_date(y, 1, 1));
		FOR a IN SELECT * FROM (VALUES
			('1000', 'Assets', 'asset', NULL),
			('1100', 'Cash at bank', 'asset', '1000'),
			('1110', 'Petty cash', 'asset', '1000'),
			('1200', 'Accounts receivable', 'asset', '1000'),
			('1300', 'Inventory', 'asset', '1000'),
			('1400', 'VAT receivable', 'asset', '1000'),
			('1500', 'Equipment', 'asset', '1000'),
			('1590', 'Accumulated depreciation', 'asset', '1000'),
			('2000', 'Liabilities', 'liability', NULL),
			('2100', 'Accounts payable', 'liability', '2000'),
			('2200', 'VAT payable', 'liability', '2000'),
			('2300', 'Payroll liabilities', 'liability', '2000'),
			('2500', 'Bank loan', 'liability', '2000'),
			('3000', 'Equity', 'equity', NULL),
			('3100', 'Share capital', 'equity', '3000'),
			('3200', 'Retained earnings', 'equity', '3000'),
			('4000', 'Income', 'income', NULL),
			('4100', 'Sales', 'income', '4000'),
			('4200', 'Service revenue', 'income', '4000'),
			('4900', 'Other income', 'income', '4000'),
			('5000', 'Expenses', 'expense', NULL),
			('5100', 'Cost of goods sold', 'expense', '5000'),
			('5200', 'Salaries', 'expense', '5000'),
			('5300', 'Rent', 'expense', '5000'),
			('5400', 'Utilities', 'expense', '5000'),
			('5500', 'Office supplies', 'expense', '5000'),
			('5600', 'Bank charges', 'expense', '5000'),
			('5700', 'Depreciation', 'expense', '5000')) v(code, name, type, parent)
		LOOP
			PERFORM ledger.account_add(cl, a.code, a.name, a.type, a.parent);
		END LOOP;
	END LOOP;
END
$seed$;

-- Entries, keyed and submitted by acct1.
DO $seed$
DECLARE
	cl text;
	k numeric;
	i integer;
	d date;
	x numeric;
	vat numeric;
	id bigint;
	j text;
	lines jsonb;
	descr text;
BEGIN
	FOREACH cl IN ARRAY ARRAY['ACME', 'GLOBEX'] LOOP
		k := CASE cl WHEN 'ACME' THEN 1 ELSE 3 END;
		d := current_date - 330;
		id := ledger.entry_create(cl, 'GJ', d, 'CAP-1', 'Opening capital and loan',
			jsonb_build_array(
				jsonb_build_object('account', '1100', 'debit', 80000 * k),
				jsonb_build_object('account', '3100', 'credit', 50000 * k),
				jsonb_build_object('account', '2500', 'credit', 30000 * k,
						   'memo', '5-year term loan')));
		PERFORM ledger.entry_submit(cl, id);
		FOR i IN 1 .. 40 LOOP
			d := current_date - 330 + i * 8;
			x := round((400 + (i * 137) % 900 + (i * 7 % 100) / 100.0) * k, 2);
			vat := round(x * 0.2, 2);
			CASE i % 8
			WHEN 0 THEN
				j := 'SJ';
				descr := 'Invoice ' || (1000 + i);
				lines := jsonb_build_array(
					jsonb_build_object('account', '1200', 'debit', x * 3 + vat * 3),
					jsonb_build_object('account', '4100', 'credit', x * 3),
					jsonb_build_object('account', '2200', 'credit', vat * 3));
			WHEN 1 THEN
				j := 'PJ';
				descr := 'Supplier bill ' || (500 + i);
				lines := jsonb_build_array(
					jsonb_build_object('account', '1300', 'debit', x),
					jsonb_build_object('account', '1400', 'debit', vat),
					jsonb_build_object('account', '2100', 'credit', x + vat));
			WHEN 2 THEN
				j := 'CJ';
				descr := 'Customer receipt';
				lines := jsonb_build_array(
					jsonb_build_object('account', '1100', 'debit', x * 2),
					jsonb_build_object('account', '1200', 'credit', x * 2));
			WHEN 3 THEN
				j := 'PY';
				descr := 'Payroll';
				lines := jsonb_build_array(
					jsonb_build_object('account', '5200', 'debit', x * 2),
					jsonb_build_object('account', '2300', 'credit', round(x * 0.4, 2)),
					jsonb_build_object('account', '1100', 'credit',
							   x * 2 - round(x * 0.4, 2)));
			WHEN 4 THEN
				j := 'SJ';
				descr := 'Service invoice ' || (2000 + i);
				lines := jsonb_build_array(
					jsonb_build_object('account', '1200', 'debit', x * 4),
					jsonb_build_object('account', '4200', 'credit', x * 4,
							   'memo', 'Consulting'));
			WHEN 5 THEN
				j := 'IJ';
				descr := 'Goods sold from stock';
				lines := jsonb_build_array(
					jsonb_build_object('account', '5100', 'debit', round(x * 0.7, 2)),
					jsonb_build_object('account', '1300', 'credit', round(x * 0.7, 2)));
			WHEN 6 THEN
				j := 'GJ';
				descr := 'Rent, utilities and bank charges';
				lines := jsonb_build_array(
					jsonb_build_object('account', '5300', 'debit', 1500 * k),
					jsonb_build_object('account', '5400', 'debit', round(x / 4, 2)),
					jsonb_build_object('account', '5600', 'debit', 12.50),
					jsonb_build_object('account', '1100', 'credit',
							   1500 * k + round(x / 4, 2) + 12.50));
			ELSE
				j := 'CJ';
				descr := 'Supplier payment';
				lines := jsonb_build_array(
					jsonb_build_object('account', '2100', 'debit', x),
					jsonb_build_object('account', '1100', 'credit', x));
			END CASE;
			id := ledger.entry_create(cl, j, d, j || '-' || i, descr, lines);
			PERFORM ledger.entry_submit(cl, id);
		END LOOP;
	END LOOP;
END
$seed$;

-- acct2 approves everything acct1 submitted.
SET SESSION AUTHORIZATION acct2;
DO $seed$
DECLARE
	p record;
BEGIN
	FOR p IN SELECT client, entry_id, version FROM ledger.pending_approvals
		 ORDER BY entry_date, entry_id LOOP
		PERFORM ledger.entry_approve(p.client, p.entry_id, p.version);
	END LOOP;
END
$seed$;

-- The inbox and a draft, for the demo.
SET SESSION AUTHORIZATION acct1;
DO $seed$
DECLARE
	cl text;
	id bigint;
BEGIN
	FOREACH cl IN ARRAY ARRAY['ACME', 'GLOBEX'] LOOP
		id := ledger.entry_create(cl, 'PJ', current_date, 'OFF-77', 'Office supplies',
			jsonb_build_array(
				jsonb_build_object('account', '5500', 'debit', '245.80'),
				jsonb_build_object('account', '1400', 'debit', '49.16'),
				jsonb_build_object('account', '2100', 'credit', '294.96')));
		PERFORM ledger.entry_submit(cl, id);
		id := ledger.entry_create(cl, 'GJ', current_date, 'DEP-M', 'Monthly depreciation',
			jsonb_build_array(
				jsonb_build_object('account', '5700', 'debit', '350.00'),
				jsonb_build_object('account', '1590', 'credit', '350.00')));
		PERFORM ledger.entry_submit(cl, id);
		PERFORM ledger.entry_create(cl, 'CJ', current_date, 'PC-3', 'Petty cash top-up (draft)',
			jsonb_build_array(
				jsonb_build_object('account', '1110', 'debit', '200.00'),
				jsonb_build_object('account', '1100', 'credit', '200.00')));
	END LOOP;
END
$seed$;

-- Last year: closed, its first quarter locked.
SET SESSION AUTHORIZATION super1;
DO $seed$
DECLARE
	cl text;
	y integer := extract(year FROM current_date)::integer - 1;
	i integer;
BEGIN
	FOREACH cl IN ARRAY ARRAY['ACME', 'GLOBEX'] LOOP
		FOR i IN 1 .. 12 LOOP
			PERFORM ledger.period_close(cl, y, i);
		END LOOP;
		FOR i IN 1 .. 3 LOOP
			PERFORM ledger.period_lock(cl, y, i);
		END LOOP;
	END LOOP;
END
$seed$;

RESET SESSION AUTHORIZATION;
