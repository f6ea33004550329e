-- entry.check_digit_ok: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The check digit algorithms of the form engine's table (field.h,
-- bd_check_algorithm_find: the same names, the same parameter after a colon,
-- the same verdicts on tests/fixtures/field_rules/corpus.txt). A new
-- algorithm is a row there and a branch here.

CREATE OR REPLACE FUNCTION entry.check_digit_ok(p_value text, p_kind text)
 RETURNS boolean
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
DECLARE
	v_name text := split_part(p_kind, ':', 1);
	v_param text := CASE WHEN position(':' IN p_kind) > 0
			     THEN substr(p_kind, position(':' IN p_kind) + 1) END;
	d text := regexp_replace(p_value, '[^0-9]', '', 'g');
	a text;
	n integer;
	s integer := 0;
	v integer;
	w integer := 2;
	c integer := 0;
	doubled boolean := false;
	-- Verhoeff's multiplication (dihedral group D5) and permutation tables.
	vm CONSTANT integer[] := '{{0,1,2,3,4,5,6,7,8,9},{1,2,3,4,0,6,7,8,9,5},
		{2,3,4,0,1,7,8,9,5,6},{3,4,0,1,2,8,9,5,6,7},{4,0,1,2,3,9,5,6,7,8},
		{5,9,8,7,6,0,4,3,2,1},{6,5,9,8,7,1,0,4,3,2},{7,6,5,9,8,2,1,0,4,3},
		{8,7,6,5,9,3,2,1,0,4},{9,8,7,6,5,4,3,2,1,0}}';
	vp CONSTANT integer[] := '{{0,1,2,3,4,5,6,7,8,9},{1,5,7,6,2,8,3,0,9,4},
		{5,8,0,3,7,9,6,1,4,2},{8,9,1,6,0,4,3,5,2,7},{9,4,5,3,1,2,6,8,7,0},
		{4,2,8,6,5,7,3,9,0,1},{2,7,9,3,8,0,6,4,1,5},{7,0,4,6,9,1,3,2,5,8}}';
BEGIN
	IF v_name = 'isbn' THEN
		-- ISBN-10 is mod 11, ISBN-13 an EAN-13 of the 978/979 prefixes.
		IF length(d) = 13 AND upper(right(p_value, 1)) <> 'X' THEN
			IF left(d, 3) NOT IN ('978', '979') THEN
				RETURN false;
			END IF;
			v_name := 'ean';
		ELSE
			v_name := 'mod11';
			IF length(d) + (CASE WHEN upper(right(p_value, 1)) = 'X' THEN 1 ELSE 0 END) <> 10 THEN
				RETURN false;
			END IF;
		END IF;
	END IF;
	IF v_name = 'iban' THEN
		a := upper(replace(p_value, ' ', ''));
		IF a !~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$' THEN
			RETURN false;
		END IF;
		a := substr(a, 5) || left(a, 4);
		FOR i IN 1 .. length(a) LOOP
			v := ascii(substr(a, i, 1));
			IF v >= 65 THEN
				s := (s * 100 + v - 55) % 97;
			ELSE
				s := (s * 10 + v - 48) % 97;
			END IF;
		END LOOP;
		RETURN s = 1;
	END IF;
	IF v_name = 'luhn' THEN
		d := coalesce(regexp_replace(v_param, '[^0-9]', '', 'g'), '') || d;
		IF length(d) - length(coalesce(regexp_replace(v_param, '[^0-9]', '', 'g'), '')) < 2 THEN
			RETURN false;
		END IF;
	END IF;
	IF v_name = 'mod11' AND upper(right(p_value, 1)) = 'X' THEN
		d := d || 'X';
	END IF;
	n := length(d);
	IF n < 2 THEN
		RETURN false;
	END IF;
	CASE v_name
	WHEN 'luhn' THEN
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
	WHEN 'mod11' THEN
		FOR i IN REVERSE n - 1..1 LOOP
			s := s + (ascii(substr(d, i, 1)) - 48) * w;
			w := w + 1;
		END LOOP;
		RETURN (11 - s % 11) % 11 = CASE WHEN right(d, 1) = 'X' THEN 10 ELSE ascii(right(d, 1)) - 48 END;
	WHEN 'aba' THEN
		IF n <> 9 THEN
			RETURN false;
		END IF;
		FOR i IN 1..9 LOOP
			s := s + (ascii(substr(d, i, 1)) - 48) * (ARRAY[3, 7, 1])[(i - 1) % 3 + 1];
		END LOOP;
		RETURN s % 10 = 0;
	WHEN 'ean' THEN
		IF n NOT IN (8, 12, 13, 14) THEN
			RETURN false;
		END IF;
		FOR i IN 0 .. n - 1 LOOP
			s := s + (ascii(substr(d, n - i, 1)) - 48) * CASE WHEN i % 2 = 1 THEN 3 ELSE 1 END;
		END LOOP;
		RETURN s % 10 = 0;
	WHEN 'verhoeff' THEN
		FOR i IN 0 .. n - 1 LOOP
			c := vm[c + 1][vp[i % 8 + 1][ascii(substr(d, n - i, 1)) - 48 + 1] + 1];
		END LOOP;
		RETURN c = 0;
	ELSE
		RETURN false;
	END CASE;
END
$function$;
ALTER FUNCTION entry.check_digit_ok(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.check_digit_ok(text,text) FROM PUBLIC;
