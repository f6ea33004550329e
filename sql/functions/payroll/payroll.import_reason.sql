-- payroll.import_reason: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Why a record of an import was refused, in the user's words, from the
-- error the database raised on it: our own messages as they are, a check
-- constraint as the column it guards, a missing value, a duplicate, a value
-- the column's type refuses. Internal.

CREATE OR REPLACE FUNCTION payroll.import_reason(p_state text, p_message text, p_constraint text, p_column text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT CASE
		WHEN p_state LIKE 'BD%' THEN p_message
		WHEN p_state = '23514' THEN
			format('the %s is not valid',
			       coalesce(nullif(regexp_replace(coalesce(p_constraint, ''),
				'^(settings|agency_accounts|employees|employee_private|pay_history|assignments|components|pack_components|pack_tables|packs|inputs)_(.*)_check[0-9]*$',
				'\2'), coalesce(p_constraint, '')), 'value'))
		WHEN p_state = '23502' THEN format('the %s is required', coalesce(p_column, 'value'))
		WHEN p_state = '23505' THEN 'it repeats a record the file or the database has already'
		WHEN p_state LIKE '22%' THEN p_message
		ELSE 'it cannot be stored: ' || p_message
	END
$function$;
ALTER FUNCTION payroll.import_reason(text,text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.import_reason(text,text,text,text) FROM PUBLIC;
