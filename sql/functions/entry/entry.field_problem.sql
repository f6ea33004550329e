-- entry.field_problem: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.field_problem(c entry.field_check, v text, p_known boolean)
 RETURNS text
 LANGUAGE sql
 STABLE
AS $function$
	SELECT CASE
	WHEN v IS NULL OR v = '' THEN
		CASE WHEN c.required THEN c.title || ' is required' END
	WHEN v ~ ('[' || entry.unsafe_chars() || ']') THEN
		c.title || ' holds characters that are not allowed'
	WHEN btrim(v, ' ') = '' THEN
		c.title || CASE WHEN c.required THEN ' is required' ELSE ' holds only spaces' END
	WHEN c.canon IS NULL AND btrim(v, ' ') <> v THEN
		c.title || ' must not start or end with a space'
	WHEN c.upshift AND upper(v) <> v THEN
		c.title || ' must be in capitals'
	WHEN c.picture_re IS NOT NULL AND v !~ c.picture_re THEN
		c.title || ' must be filled in as ' || c.picture
	WHEN c.canon IS NOT NULL AND v !~ c.canon THEN
		c.title || CASE c.type
			WHEN 'date' THEN ' must be a date as YYYY-MM-DD'
			WHEN 'flag' THEN ' must be Y or N'
			WHEN 'integer' THEN ' must be a whole number'
			ELSE CASE WHEN c.scale > 0
				  THEN ' must be an amount like 1234.' || repeat('0', c.scale)
				  ELSE ' must be a whole amount' END END
	WHEN c.type = 'date' AND NOT entry.iso_date_ok(v) THEN
		c.title || ' is not a real date'
	WHEN c.max_abs IS NOT NULL AND (abs(v::numeric) > c.max_abs OR v ~ '^-0*\.?0*$') THEN
		c.title || CASE WHEN c.type = 'integer' THEN ' must be a whole number'
				WHEN c.scale > 0 THEN ' must be an amount like 1234.' || repeat('0', c.scale)
				ELSE ' must be a whole amount' END
	WHEN (c.min_num IS NOT NULL AND v::numeric < c.min_num)
	     OR (c.max_num IS NOT NULL AND v::numeric > c.max_num)
	     OR (c.type = 'date' AND c.min_text IS NOT NULL AND v < c.min_text COLLATE "C")
	     OR (c.type = 'date' AND c.max_text IS NOT NULL AND v > c.max_text COLLATE "C") THEN
		c.title || CASE WHEN c.min_text IS NOT NULL AND c.max_text IS NOT NULL
				THEN ' must be between ' || c.min_text || ' and ' || c.max_text
				WHEN c.min_text IS NOT NULL THEN ' must be at least ' || c.min_text
				ELSE ' must be at most ' || c.max_text END
	WHEN c.choices IS NOT NULL AND NOT v = ANY (c.choices) THEN
		c.title || ' must be one of ' || array_to_string(c.choices, ', ')
	WHEN c.length IS NOT NULL AND length(v) > c.length AND entry.char_count(v) > c.length THEN
		c.title || ' is longer than ' || c.length || ' characters'
	WHEN c.pattern IS NOT NULL AND v !~ c.pattern THEN
		c.title || ' is not in the expected form'
	WHEN c.check_digit IS NOT NULL AND NOT entry.check_digit_ok(v, c.check_digit) THEN
		c.title || ' check digit is wrong'
	WHEN c.lookup IS NOT NULL AND NOT coalesce(p_known, false) THEN
		c.title || ' ' || v || ' is not a known code'
	END;
$function$;
ALTER FUNCTION entry.field_problem(entry.field_check,text,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.field_problem(entry.field_check,text,boolean) FROM PUBLIC;
