-- payroll.run_components: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The components in force for a run of kind p_kind whose period ends on
-- p_date: the client's own (the row with the latest effective_from on or
-- before the date, per code; country NULL: every employee), and, per
-- country, the components of the latest statutory pack version in force
-- on that date (country set: that country's employees; of two versions in
-- force from the same date, the higher, a corrected pack: 073; then the
-- last loaded), unless the client
-- has a component of the same code, which replaces the pack's. A component
-- applies only to the kinds of run it names. Internal (SQL, inlined into
-- the engine's statements).

CREATE OR REPLACE FUNCTION payroll.run_components(p_client_id integer, p_date date, p_kind text)
 RETURNS TABLE(country text, pack text, version integer, code text, name text, class text, method text, step integer, amount numeric, rate numeric, rate_of text, divisor numeric, input_code text, base text[], floor numeric, ceiling numeric, basis text, ytd_from numeric, ytd_to numeric, table_name text, table_column text, taxable boolean, exempt_ytd numeric, agency text, expense_account text, liability_account text, exempt_value text, base_fields text[], credit_field text, extra_field text, variant_field text)
 LANGUAGE sql
 STABLE
AS $function$
	WITH own AS (
		SELECT DISTINCT ON (c.code) c.*
		FROM payroll.components c
		WHERE c.client_id = p_client_id AND c.effective_from <= p_date
		ORDER BY c.code, c.effective_from DESC
	), packs AS (
		SELECT DISTINCT ON (p.country) p.pack, p.version, p.country
		FROM payroll.packs p
		WHERE p.effective_from <= p_date
		ORDER BY p.country, p.effective_from DESC, p.version DESC, p.loaded_at DESC
	)
	SELECT NULL::text, NULL::text, NULL::integer, o.code, o.name, o.class, o.method, o.step,
	       o.amount, o.rate, o.rate_of, o.divisor, o.input_code, o.base, o.floor, o.ceiling,
	       o.basis, o.ytd_from, o.ytd_to, o.table_name, o.table_column, o.taxable,
	       o.exempt_ytd, o.agency, o.expense_account, o.liability_account, o.exempt_value,
	       o.base_fields, o.credit_field, o.extra_field, o.variant_field
	FROM own o
	WHERE p_kind = ANY (o.run_kinds)
	UNION ALL
	SELECT p.country, p.pack, p.version, c.code, c.name, c.class, c.method, c.step, c.amount,
	       c.rate, c.rate_of, c.divisor, c.input_code, c.base, c.floor, c.ceiling, c.basis,
	       c.ytd_from, c.ytd_to, c.table_name, c.table_column, c.taxable, c.exempt_ytd,
	       c.agency, c.expense_account, c.liability_account, c.exempt_value, c.base_fields,
	       c.credit_field, c.extra_field, c.variant_field
	FROM packs p
	JOIN payroll.pack_components c ON c.pack = p.pack AND c.version = p.version
	WHERE p_kind = ANY (c.run_kinds)
	  AND NOT EXISTS (SELECT 1 FROM own o WHERE o.code = c.code)
$function$;
ALTER FUNCTION payroll.run_components(integer,date,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_components(integer,date,text) FROM PUBLIC;
