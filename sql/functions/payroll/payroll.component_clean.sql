-- payroll.component_clean: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A component record of a CSV file (a client's components or a pack's)
-- cleaned (payroll.import_clean) with the component columns' defaults, ready
-- for jsonb_populate_record; p_extra: the file's other columns. Internal.

CREATE OR REPLACE FUNCTION payroll.component_clean(p_row jsonb, p_extra text[])
 RETURNS jsonb
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT '{"divisor": 1, "basis": "period", "taxable": false,
		 "run_kinds": ["regular", "offcycle"]}'::jsonb
	       || payroll.import_clean(p_row,
			ARRAY['code', 'name', 'class', 'method', 'step', 'amount', 'rate', 'rate_of',
			      'divisor', 'input_code', 'base', 'floor', 'ceiling', 'basis', 'ytd_from',
			      'ytd_to', 'table_name', 'table_column', 'taxable', 'exempt_ytd', 'agency',
			      'expense_account', 'liability_account', 'run_kinds', 'exempt_value',
			      'base_fields', 'credit_field', 'extra_field', 'variant_field'] || p_extra,
			'{step,amount,rate,divisor,floor,ceiling,ytd_from,ytd_to,exempt_ytd,lo,fixed,credit,ee,er,version}',
			'{effective_from}', '{base,run_kinds,base_fields}')
$function$;
ALTER FUNCTION payroll.component_clean(jsonb,text[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.component_clean(jsonb,text[]) FROM PUBLIC;
