-- entry.check_digit_ok: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.check_digit_ok(p_value text, p_kind text)
 RETURNS boolean
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
DECLARE
	d text := regexp_replace(p_value, '[^0-9]', '', 'g');
	n integer;
	s integer := 0;
	v integer;
	w integer := 2;
	doubled boolean := false;
BEGIN
	IF p_kind = 'mod11' AND upper(right(p_value, 1)) = 'X' THEN
		d := d || 'X';
	END IF;
	n := length(d);
	IF n < 2 THEN
		RETURN false;
	END IF;
	IF p_kind = 'luhn' THEN
		FOR i IN REVERSE n..1 LOOP
			v := ascii(substr(d, i, 1)) - 48;
			IF doubled THEN
				v := v * 2;
				IF v > 9 THEN
					v := v - 9;
				END IF;
			END IF;
			s := s + v;
			doubled := NOT doubled;
		END LOOP;
		RETURN s % 10 = 0;
	END IF;
	FOR i IN REVERSE n - 1..1 LOOP
		s := s + (ascii(substr(d, i, 1)) - 48) * w;
		w := w + 1;
	END LOOP;
	RETURN (11 - s % 11) % 11 = CASE WHEN right(d, 1) = 'X' THEN 10 ELSE ascii(right(d, 1)) - 48 END;
END
$function$;
ALTER FUNCTION entry.check_digit_ok(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.check_digit_ok(text,text) FROM PUBLIC;
