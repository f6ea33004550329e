-- 031_field_rules: the database checks every rule a document type states for
-- a field, as the form engine does (src/forms/field.c), on every submit,
-- adjudication and QA correction, whoever sends the values.
--
-- The client sends each value in its saved form (bd_field_normalize: dates
-- ISO, amounts with exactly their decimals, integers plain, flags Y or N,
-- text trimmed and upshifted where the field upshifts). The database accepts
-- a value exactly when the form engine would have saved it as it is: when
-- the engine validates it and normalising it gives it back unchanged. Any
-- other text is refused, naming the field (COLUMN, so the screen puts the
-- cursor there) and, where several fields share a label (the lines of a
-- claim or an invoice), the line. tests/fixtures/field_rules/corpus.txt is
-- the shared sample both sides are tested on, case by case.
--
-- The rules travel with the version: doctype_load's fields JSON now carries
-- each field's length, pattern, picture, min, max and upshift too (entry.c),
-- and a stored column compiles them once per version (entry.compile_checks)
-- into typed rows, so an F2 reads them without parsing JSON: one expression
-- per field (entry.field_problem), one query for all lookup codes. Versions
-- stored before this migration (fields without "length") have their rules
-- read from their own screen text (entry.screen_fields), which doctype_load
-- has always kept; the stored column is computed for them as it is added.
--
-- Follows the security model at the top of 001_core.sql: the helpers here
-- are granted to no one and run on their callers' pinned search path (they
-- name every object with its schema).

SET ROLE bd_owner;

-- One field's rules, compiled (see entry.compile_checks).
CREATE TYPE entry.field_check AS (
	ord         integer,	-- position in the screen, from 1
	name        text,
	title       text,	-- for messages: the label (or name), "(line N)" when shared
	type        text,
	required    boolean,
	length      integer,	-- at most this many characters (as the engine counts them)
	upshift     boolean,	-- text and lookup: saved in capitals
	canon       text,	-- the saved form of an integer, decimal, money, date or flag
	picture     text,	-- text and lookup fields' (see compile_checks)
	picture_re  text,	-- the picture as a regular expression, anchored
	pattern     text,	-- the screen's POSIX ERE, run as one ('(?e)' prefix)
	min_num     numeric,	-- integer, decimal, money bounds
	max_num     numeric,
	max_abs     numeric,	-- the largest amount an int64 of minor units holds
	min_text    text,	-- bounds as saved (ISO for dates), for messages
	max_text    text,
	scale       integer,
	choices     text[],
	check_digit text,
	lookup      text	-- the client's lookup table (entry.lookups.lookup)
);

-- The code points the form engine refuses in any value (text_ok in field.c:
-- C0, DEL, C1 and bd_cp_is_unsafe in src/base/text.c), as the inside of a
-- regular-expression bracket.
CREATE FUNCTION entry.unsafe_chars()
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT '\u0001-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u3164\uFEFF\uFFA0'
	       '\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFDD0-\uFDEF\uFFF9-\uFFFB\uFFFE\uFFFF'
	       '\U0001D173-\U0001D17A\U000E0000-\U000E007F'
	       '\U0001FFFE\U0001FFFF\U0002FFFE\U0002FFFF\U0003FFFE\U0003FFFF\U0004FFFE\U0004FFFF'
	       '\U0005FFFE\U0005FFFF\U0006FFFE\U0006FFFF\U0007FFFE\U0007FFFF\U0008FFFE\U0008FFFF'
	       '\U0009FFFE\U0009FFFF\U000AFFFE\U000AFFFF\U000BFFFE\U000BFFFF\U000CFFFE\U000CFFFF'
	       '\U000DFFFE\U000DFFFF\U000EFFFE\U000EFFFF\U000FFFFE\U000FFFFF\U0010FFFE\U0010FFFF';
$$;

-- The code points of display width 0 (wcwidth() under C.UTF-8, glibc 2.36,
-- which the terminal uses): combining marks join the character before them,
-- so the engine counts "e" + U+0301 as one character (bd_chars_count).
-- Generated from wcwidth(); a newer C library may add a few marks.
CREATE FUNCTION entry.zero_width_chars()
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT
	'\u0300-\u036F\u0483-\u0489\u0591-\u05BD\u05BF\u05C1-\u05C2\u05C4-\u05C5'
	'\u05C7\u0610-\u061A\u061C\u064B-\u065F\u0670\u06D6-\u06DC'
	'\u06DF-\u06E4\u06E7-\u06E8\u06EA-\u06ED\u0711\u0730-\u074A\u07A6-\u07B0'
	'\u07EB-\u07F3\u07FD\u0816-\u0819\u081B-\u0823\u0825-\u0827\u0829-\u082D'
	'\u0859-\u085B\u0898-\u089F\u08CA-\u08E1\u08E3-\u0902\u093A\u093C'
	'\u0941-\u0948\u094D\u0951-\u0957\u0962-\u0963\u0981\u09BC'
	'\u09C1-\u09C4\u09CD\u09E2-\u09E3\u09FE\u0A01-\u0A02\u0A3C'
	'\u0A41-\u0A42\u0A47-\u0A48\u0A4B-\u0A4D\u0A51\u0A70-\u0A71\u0A75'
	'\u0A81-\u0A82\u0ABC\u0AC1-\u0AC5\u0AC7-\u0AC8\u0ACD\u0AE2-\u0AE3'
	'\u0AFA-\u0AFF\u0B01\u0B3C\u0B3F\u0B41-\u0B44\u0B4D'
	'\u0B55-\u0B56\u0B62-\u0B63\u0B82\u0BC0\u0BCD\u0C00'
	'\u0C04\u0C3C\u0C3E-\u0C40\u0C46-\u0C48\u0C4A-\u0C4D\u0C55-\u0C56'
	'\u0C62-\u0C63\u0C81\u0CBC\u0CBF\u0CC6\u0CCC-\u0CCD'
	'\u0CE2-\u0CE3\u0D00-\u0D01\u0D3B-\u0D3C\u0D41-\u0D44\u0D4D\u0D62-\u0D63'
	'\u0D81\u0DCA\u0DD2-\u0DD4\u0DD6\u0E31\u0E34-\u0E3A'
	'\u0E47-\u0E4E\u0EB1\u0EB4-\u0EBC\u0EC8-\u0ECD\u0F18-\u0F19\u0F35'
	'\u0F37\u0F39\u0F71-\u0F7E\u0F80-\u0F84\u0F86-\u0F87\u0F8D-\u0F97'
	'\u0F99-\u0FBC\u0FC6\u102D-\u1030\u1032-\u1037\u1039-\u103A\u103D-\u103E'
	'\u1058-\u1059\u105E-\u1060\u1071-\u1074\u1082\u1085-\u1086\u108D'
	'\u109D\u1160-\u11FF\u135D-\u135F\u1712-\u1714\u1732-\u1733\u1752-\u1753'
	'\u1772-\u1773\u17B4-\u17B5\u17B7-\u17BD\u17C6\u17C9-\u17D3\u17DD'
	'\u180B-\u180F\u1885-\u1886\u18A9\u1920-\u1922\u1927-\u1928\u1932'
	'\u1939-\u193B\u1A17-\u1A18\u1A1B\u1A56\u1A58-\u1A5E\u1A60'
	'\u1A62\u1A65-\u1A6C\u1A73-\u1A7C\u1A7F\u1AB0-\u1ACE\u1B00-\u1B03'
	'\u1B34\u1B36-\u1B3A\u1B3C\u1B42\u1B6B-\u1B73\u1B80-\u1B81'
	'\u1BA2-\u1BA5\u1BA8-\u1BA9\u1BAB-\u1BAD\u1BE6\u1BE8-\u1BE9\u1BED'
	'\u1BEF-\u1BF1\u1C2C-\u1C33\u1C36-\u1C37\u1CD0-\u1CD2\u1CD4-\u1CE0\u1CE2-\u1CE8'
	'\u1CED\u1CF4\u1CF8-\u1CF9\u1DC0-\u1DFF\u200B-\u200F\u202A-\u202E'
	'\u2060-\u2064\u2066-\u206F\u20D0-\u20F0\u2CEF-\u2CF1\u2D7F\u2DE0-\u2DFF'
	'\u302A-\u302D\u3099-\u309A\uA66F-\uA672\uA674-\uA67D\uA69E-\uA69F\uA6F0-\uA6F1'
	'\uA802\uA806\uA80B\uA825-\uA826\uA82C\uA8C4-\uA8C5'
	'\uA8E0-\uA8F1\uA8FF\uA926-\uA92D\uA947-\uA951\uA980-\uA982\uA9B3'
	'\uA9B6-\uA9B9\uA9BC-\uA9BD\uA9E5\uAA29-\uAA2E\uAA31-\uAA32\uAA35-\uAA36'
	'\uAA43\uAA4C\uAA7C\uAAB0\uAAB2-\uAAB4\uAAB7-\uAAB8'
	'\uAABE-\uAABF\uAAC1\uAAEC-\uAAED\uAAF6\uABE5\uABE8'
	'\uABED\uD7B0-\uD7C6\uD7CB-\uD7FB\uFB1E\uFE00-\uFE0F\uFE20-\uFE2F'
	'\uFEFF\uFFF9-\uFFFB\U000101FD\U000102E0\U00010376-\U0001037A\U00010A01-\U00010A03'
	'\U00010A05-\U00010A06\U00010A0C-\U00010A0F\U00010A38-\U00010A3A\U00010A3F\U00010AE5-\U00010AE6\U00010D24-\U00010D27'
	'\U00010EAB-\U00010EAC\U00010F46-\U00010F50\U00010F82-\U00010F85\U00011001\U00011038-\U00011046\U00011070'
	'\U00011073-\U00011074\U0001107F-\U00011081\U000110B3-\U000110B6\U000110B9-\U000110BA\U000110C2\U00011100-\U00011102'
	'\U00011127-\U0001112B\U0001112D-\U00011134\U00011173\U00011180-\U00011181\U000111B6-\U000111BE\U000111C9-\U000111CC'
	'\U000111CF\U0001122F-\U00011231\U00011234\U00011236-\U00011237\U0001123E\U000112DF'
	'\U000112E3-\U000112EA\U00011300-\U00011301\U0001133B-\U0001133C\U00011340\U00011366-\U0001136C\U00011370-\U00011374'
	'\U00011438-\U0001143F\U00011442-\U00011444\U00011446\U0001145E\U000114B3-\U000114B8\U000114BA'
	'\U000114BF-\U000114C0\U000114C2-\U000114C3\U000115B2-\U000115B5\U000115BC-\U000115BD\U000115BF-\U000115C0\U000115DC-\U000115DD'
	'\U00011633-\U0001163A\U0001163D\U0001163F-\U00011640\U000116AB\U000116AD\U000116B0-\U000116B5'
	'\U000116B7\U0001171D-\U0001171F\U00011722-\U00011725\U00011727-\U0001172B\U0001182F-\U00011837\U00011839-\U0001183A'
	'\U0001193B-\U0001193C\U0001193E\U00011943\U000119D4-\U000119D7\U000119DA-\U000119DB\U000119E0'
	'\U00011A01-\U00011A0A\U00011A33-\U00011A38\U00011A3B-\U00011A3E\U00011A47\U00011A51-\U00011A56\U00011A59-\U00011A5B'
	'\U00011A8A-\U00011A96\U00011A98-\U00011A99\U00011C30-\U00011C36\U00011C38-\U00011C3D\U00011C3F\U00011C92-\U00011CA7'
	'\U00011CAA-\U00011CB0\U00011CB2-\U00011CB3\U00011CB5-\U00011CB6\U00011D31-\U00011D36\U00011D3A\U00011D3C-\U00011D3D'
	'\U00011D3F-\U00011D45\U00011D47\U00011D90-\U00011D91\U00011D95\U00011D97\U00011EF3-\U00011EF4'
	'\U00013430-\U00013438\U00016AF0-\U00016AF4\U00016B30-\U00016B36\U00016F4F\U00016F8F-\U00016F92\U00016FE4'
	'\U0001BC9D-\U0001BC9E\U0001BCA0-\U0001BCA3\U0001CF00-\U0001CF2D\U0001CF30-\U0001CF46\U0001D167-\U0001D169\U0001D173-\U0001D182'
	'\U0001D185-\U0001D18B\U0001D1AA-\U0001D1AD\U0001D242-\U0001D244\U0001DA00-\U0001DA36\U0001DA3B-\U0001DA6C\U0001DA75'
	'\U0001DA84\U0001DA9B-\U0001DA9F\U0001DAA1-\U0001DAAF\U0001E000-\U0001E006\U0001E008-\U0001E018\U0001E01B-\U0001E021'
	'\U0001E023-\U0001E024\U0001E026-\U0001E02A\U0001E130-\U0001E136\U0001E2AE\U0001E2EC-\U0001E2EF\U0001E8D0-\U0001E8D6'
	'\U0001E944-\U0001E94A\U000E0001\U000E0020-\U000E007F\U000E0100-\U000E01EF';
$$;

-- Characters as the form engine counts them (bd_chars_count): code points,
-- but a zero-width one joins the character before it.
CREATE FUNCTION entry.char_count(p_value text)
RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$
	SELECT length(regexp_replace(p_value, '[' || entry.zero_width_chars() || ']', '', 'g'))
	       + CASE WHEN p_value ~ ('^[' || entry.zero_width_chars() || ']') THEN 1 ELSE 0 END;
$$;

-- An ISO date (already of the form YYYY-MM-DD, month 01-12, day 01-31) that
-- is a real day of the years the engine accepts (date.h: 1900-2199).
CREATE FUNCTION entry.iso_date_ok(p_value text)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT substr(p_value, 1, 4)::integer BETWEEN 1900 AND 2199
	       AND substr(p_value, 9, 2)::integer
		   <= CASE substr(p_value, 6, 2)::integer
			WHEN 2 THEN CASE WHEN substr(p_value, 1, 4)::integer % 4 = 0
					       AND (substr(p_value, 1, 4)::integer % 100 <> 0
						    OR substr(p_value, 1, 4)::integer % 400 = 0)
					  THEN 29 ELSE 28 END
			WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30
			ELSE 31 END;
$$;

-- A picture mask (field.h: 9 digit, A letter, N letter or digit, X any
-- character the engine allows of width 1 or 2, anything else itself) as an
-- anchored regular expression over code points, as picture_ok() reads it.
CREATE FUNCTION entry.picture_regex(p_picture text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT '^' || string_agg(CASE m
				   WHEN '9' THEN '[0-9]'
				   WHEN 'A' THEN '[[:alpha:]]'
				   WHEN 'N' THEN '[0-9[:alpha:]]'
				   WHEN 'X' THEN '[^' || entry.unsafe_chars() || entry.zero_width_chars() || ']'
				   ELSE CASE WHEN m ~ '^[A-Za-z0-9]$' THEN m ELSE '\' || m END
				 END, '' ORDER BY o) || '$'
	FROM regexp_split_to_table(p_picture, '') WITH ORDINALITY AS x(m, o);
$$;

-- A min or max as written in a screen file, in its saved form (as
-- bd_field_parse_bound normalises it); NULL when it cannot be read here.
-- Only for versions stored before this migration (see entry.screen_fields).
CREATE FUNCTION entry.bound_text(p_type text, p_scale integer, p_text text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
		WHEN p_type IN ('integer', 'decimal', 'money')
		     AND replace(p_text, ',', '') ~ '^-?([0-9]+\.?[0-9]*|\.[0-9]+)$'
		     AND length(p_text) <= 40
		     AND (p_type <> 'integer' OR p_text ~ '^-?[0-9]+$')
		THEN CASE WHEN round(replace(p_text, ',', '')::numeric, coalesce(p_scale, 0))
			       = replace(p_text, ',', '')::numeric
			  THEN round(replace(p_text, ',', '')::numeric, coalesce(p_scale, 0))::text END
		WHEN p_type = 'date' AND p_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN p_text
		WHEN p_type = 'date' AND p_text ~ '^[0-9]{2}[/.-][0-9]{2}[/.-][0-9]{4}$'
		THEN substr(p_text, 7, 4) || '-' || substr(p_text, 4, 2) || '-' || substr(p_text, 1, 2)
	END;
$$;

-- The fields JSON entry.c derives from a screen file, read here from the
-- screen text a version stored before this migration keeps: its fields'
-- settings in libconfig syntax (strings with escapes and adjacent strings
-- joined, numbers, booleans, lists, comments), with the defaults
-- src/forms/screen.c applies (width and length by type, the picture's
-- length, scale 2). NULL when the text is not understood or its fields are
-- not p_fields' fields in order: the version then keeps the rules its
-- fields JSON states (types, required, lookups, check digits, choices).
CREATE FUNCTION entry.screen_fields(p_screen text, p_fields jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	tok text[];
	n integer;
	i integer := 1;
	stack text[] := '{}';
	t text;
	k text;
	s text;
	raw jsonb;
	raws jsonb := '[]';
	out jsonb;
BEGIN
	SELECT array_agg(x.m[1] ORDER BY x.o) INTO tok
	FROM regexp_matches(p_screen,
			    '"(?:[^"\\]|\\.)*"|#[^\n]*|//[^\n]*|/\*(?:[^*]|\*+[^*/])*\*+/'
			    '|[A-Za-z*][-A-Za-z0-9_*]*|[-+]?[0-9.][-+0-9A-Za-z.]*|[][{}()=:;,]',
			    'g') WITH ORDINALITY AS x(m, o)
	WHERE x.m[1] !~ '^(#|//|/\*)';
	n := coalesce(array_length(tok, 1), 0);
	WHILE i <= n LOOP
		t := tok[i];
		IF t IN (';', ',') THEN
			i := i + 1;
			CONTINUE;
		END IF;
		IF t IN ('}', ')', ']') THEN
			IF stack = '{screen,fields,*}' THEN
				raws := raws || jsonb_build_array(raw);
			END IF;
			IF cardinality(stack) = 0 THEN
				RETURN NULL;
			END IF;
			stack := stack[1:cardinality(stack) - 1];
			i := i + 1;
			CONTINUE;
		END IF;
		k := '*';	-- a bare value, in a list
		IF t ~ '^[A-Za-z*]' AND tok[i + 1] IN ('=', ':') THEN
			k := t;
			i := i + 2;
			t := tok[i];
		END IF;
		IF t IN ('{', '(', '[') THEN
			stack := stack || k;
			IF stack = '{screen,fields,*}' THEN
				raw := '{}';
			ELSIF cardinality(stack) = 4 AND stack[1:3] = '{screen,fields,*}' THEN
				raw := raw || jsonb_build_object(k, '[]'::jsonb);
			END IF;
			i := i + 1;
			CONTINUE;
		END IF;
		-- A scalar: adjacent strings are one, escapes as libconfig reads them.
		s := NULL;
		WHILE i <= n AND tok[i] ~ '^"' LOOP
			t := substr(tok[i], 2, length(tok[i]) - 2);
			IF t ~ '\\x' THEN
				RETURN NULL;
			END IF;
			t := replace(t, '\\', chr(1));
			t := replace(replace(replace(replace(replace(t, '\"', '"'), '\n', E'\n'),
						     '\t', E'\t'), '\r', E'\r'), '\f', E'\f');
			s := coalesce(s, '') || replace(t, chr(1), '\');
			i := i + 1;
		END LOOP;
		IF s IS NULL THEN
			IF t IS NULL OR t !~ '^([-+]?[0-9.]|[A-Za-z])' THEN
				RETURN NULL;
			END IF;
			s := CASE WHEN lower(t) IN ('true', 'false') THEN lower(t) ELSE t END;
			i := i + 1;
		END IF;
		IF stack = '{screen,fields,*}' AND k <> '*' THEN
			raw := raw || jsonb_build_object(k, s);
		ELSIF cardinality(stack) = 4 AND stack[1:3] = '{screen,fields,*}' THEN
			raw := jsonb_set(raw, ARRAY[stack[4]], (raw -> stack[4]) || to_jsonb(s));
		END IF;
	END LOOP;
	IF cardinality(stack) <> 0 OR jsonb_array_length(raws) = 0
	   OR EXISTS (SELECT 1 FROM jsonb_array_elements(raws) r
		      WHERE coalesce(r ->> 'width', '0') !~ '^[0-9]+$'
			 OR coalesce(r ->> 'length', '0') !~ '^[0-9]+$'
			 OR coalesce(r ->> 'scale', '0') !~ '^[0-9]$') THEN
		RETURN NULL;
	END IF;

	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
		'name', d.r ->> 'name', 'type', d.type, 'label', coalesce(d.r ->> 'label', ''),
		'scale', d.scale,
		'required', CASE WHEN d.r ->> 'required' = 'true' THEN true END,
		'lookup', substring(d.r ->> 'lookup' from '^entry\.(.+)_lookup$'),
		'check_digit', d.r ->> 'check_digit',
		'values', CASE WHEN d.type = 'choice' THEN d.r -> 'values' END,
		'length', CASE WHEN d.type = 'flag' THEN 1
			       WHEN d.r ? 'picture' THEN length(d.r ->> 'picture')
			       WHEN d.r ? 'length' THEN (d.r ->> 'length')::integer
			       ELSE greatest(d.width,
					     (SELECT max(length(x)) FROM jsonb_array_elements_text(
						 CASE WHEN d.type = 'choice' THEN d.r -> 'values'
						      ELSE '[]' END) x)) END,
		'upshift', CASE WHEN d.r ->> 'upshift' = 'true' THEN true END,
		'pattern', d.r ->> 'pattern',
		'picture', d.r ->> 'picture',
		'min', entry.bound_text(d.type, d.scale, d.r ->> 'min'),
		'max', entry.bound_text(d.type, d.scale, d.r ->> 'max')))
		ORDER BY d.o)
	INTO out
	FROM (SELECT r, o, coalesce(r ->> 'type', 'text') AS type,
		     CASE WHEN coalesce(r ->> 'type', 'text') IN ('decimal', 'money')
			  THEN coalesce((r ->> 'scale')::integer, 2) END AS scale,
		     coalesce((r ->> 'width')::integer,
			      CASE WHEN r ? 'picture' THEN length(r ->> 'picture')
				   ELSE CASE coalesce(r ->> 'type', 'text')
					WHEN 'integer' THEN 9 WHEN 'decimal' THEN 12 WHEN 'money' THEN 12
					WHEN 'date' THEN 10 WHEN 'flag' THEN 1
					WHEN 'choice' THEN 1 END END) AS width
	      FROM jsonb_array_elements(raws) WITH ORDINALITY AS f(r, o)) d;
	IF out IS NULL
	   OR EXISTS (SELECT 1 FROM jsonb_array_elements(out) e WHERE NOT e ? 'length')
	   OR (SELECT array_agg(e ->> 'name' ORDER BY o) FROM jsonb_array_elements(out)
						      WITH ORDINALITY AS x(e, o))
	      IS DISTINCT FROM
	      (SELECT array_agg(e ->> 'name' ORDER BY o) FROM jsonb_array_elements(p_fields)
						      WITH ORDINALITY AS x(e, o)) THEN
		RETURN NULL;
	END IF;
	RETURN out;
END
$$;

-- A version's field rules, compiled for entry.check_values: from its fields
-- JSON, or, for a version stored before this migration (no "length" in its
-- fields), from its screen text. The title of a field whose label others
-- share says its line: the n-th field with that label is on line n.
CREATE FUNCTION entry.compile_checks(p_fields jsonb, p_screen text)
RETURNS entry.field_check[]
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	f jsonb := p_fields;
	out entry.field_check[];
BEGIN
	IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_fields) e WHERE NOT e ? 'length') THEN
		f := coalesce(entry.screen_fields(p_screen, p_fields), p_fields);
	END IF;
	SELECT array_agg(ROW(
		d.o, d.e ->> 'name',
		d.title || CASE WHEN d.shared > 1 THEN ' (line ' || d.line || ')' ELSE '' END,
		d.type, coalesce((d.e ->> 'required')::boolean, false),
		coalesce((d.e ->> 'length')::integer, 10000),	-- a field's longest
		coalesce((d.e ->> 'upshift')::boolean, false) AND d.type IN ('text', 'lookup'),
		CASE d.type
			WHEN 'integer' THEN '^(0|-?[1-9][0-9]*)$'
			WHEN 'date' THEN '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
			WHEN 'flag' THEN '^[YN]$'
			ELSE CASE WHEN d.type IN ('decimal', 'money') AND d.scale > 0
				  THEN '^-?(0|[1-9][0-9]*)\.[0-9]{' || d.scale || '}$'
				  WHEN d.type IN ('decimal', 'money') THEN '^(0|-?[1-9][0-9]*)$' END
		END,
		-- A date's or integer's picture shapes what the clerk types (15/03/2024,
		-- 0123); the saved form is ISO or plain (bd_field_normalize), which
		-- the type's own rules check. Text keeps its picture when saved.
		CASE WHEN d.type IN ('text', 'lookup') THEN d.e ->> 'picture' END,
		CASE WHEN d.type IN ('text', 'lookup') THEN entry.picture_regex(d.e ->> 'picture') END,
		'(?e)' || (d.e ->> 'pattern'),
		CASE WHEN d.type IN ('integer', 'decimal', 'money') THEN (d.e ->> 'min')::numeric END,
		CASE WHEN d.type IN ('integer', 'decimal', 'money') THEN (d.e ->> 'max')::numeric END,
		CASE WHEN d.type IN ('integer', 'decimal', 'money')
		     THEN 9223372036854775807::numeric / 10::numeric ^ d.scale END,
		d.e ->> 'min', d.e ->> 'max', d.scale,
		CASE WHEN d.type = 'choice'
		     THEN ARRAY(SELECT jsonb_array_elements_text(d.e -> 'values')) END,
		d.e ->> 'check_digit', d.e ->> 'lookup')::entry.field_check ORDER BY d.o)
	INTO out
	FROM (SELECT e, o, coalesce(e ->> 'type', 'text') AS type,
		     CASE WHEN e ->> 'type' IN ('decimal', 'money')
			  THEN coalesce((e ->> 'scale')::integer, 2) ELSE 0 END AS scale,
		     coalesce(nullif(e ->> 'label', ''), e ->> 'name') AS title,
		     count(*) OVER (PARTITION BY coalesce(nullif(e ->> 'label', ''), e ->> 'name'))
			 AS shared,
		     row_number() OVER (PARTITION BY coalesce(nullif(e ->> 'label', ''), e ->> 'name')
					ORDER BY o) AS line
	      FROM jsonb_array_elements(f) WITH ORDINALITY AS x(e, o)) d;
	RETURN out;
END
$$;

ALTER TABLE entry.doctype_versions
	ADD COLUMN checks entry.field_check[] NOT NULL
	GENERATED ALWAYS AS (entry.compile_checks(fields, screen)) STORED;
COMMENT ON COLUMN entry.doctype_versions.checks IS
	'The field rules compiled from fields (or, for versions loaded before 031, from screen).';

-- What is wrong with the value v of field c (NULL or '' when empty), in the
-- engine's order and words, or NULL when it is right; p_known: whether a
-- lookup field's value is an active code of its table. An expression without
-- a query, and STABLE as its text || integer is, so PostgreSQL inlines it
-- into check_values' statement (a SQL function that is not inlined is
-- planned again on every call: ten times the cost of the whole check).
CREATE FUNCTION entry.field_problem(c entry.field_check, v text, p_known boolean)
RETURNS text
LANGUAGE sql STABLE
AS $$
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
$$;

-- A number as saved (entry.field_problem has checked its form), '' or NULL
-- as 0, NULL when it is not one; for the sum rules. An expression.
CREATE FUNCTION entry.saved_num(p_value text)
RETURNS numeric
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN p_value IS NULL OR p_value = '' THEN 0
		    WHEN p_value ~ '^-?[0-9]{1,40}(\.[0-9]{1,20})?$' THEN p_value::numeric END;
$$;

-- Checks a set of values against a doctype version: a JSON object of the
-- version's fields with text (or null) values; with p_rules, each value
-- against its field's rules (entry.field_problem, in screen order) and then
-- the sum rules. Raises BD001 with the first problem, naming the field in
-- COLUMN; returns true.
--
-- This is on every F2, so it is built for that: the loop's steps are
-- expressions PL/pgSQL evaluates itself (the field check is one, inlined
-- from entry.field_problem), over the rules compiled into the version; a
-- query runs only for a version with lookup fields (one, for all of them)
-- and to word a refusal. (One statement doing it all, set-based, cost an F2
-- five times what this does: its executor start-up, per call, outweighed
-- the checks.)
CREATE OR REPLACE FUNCTION entry.check_values(v entry.doctype_versions, p_values jsonb,
					      p_what text, p_rules boolean)
RETURNS boolean
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	c entry.field_check;
	r jsonb;
	v_value text;
	v_msg text;
	v_unknown text[];
	v_total numeric;
	v_sum numeric;
	v_term numeric;
BEGIN
	IF p_values IS NULL OR jsonb_typeof(p_values) <> 'object' THEN
		RAISE EXCEPTION 'The % values must be a JSON object of field names and text', p_what
			USING ERRCODE = 'BD001';
	END IF;
	IF p_values - v.field_names <> '{}' THEN
		RAISE EXCEPTION 'Unknown field in the % values: %', p_what,
			(SELECT string_agg(k, ', ' ORDER BY k)
			 FROM jsonb_object_keys(p_values - v.field_names) k)
			USING ERRCODE = 'BD001';
	END IF;
	IF NOT p_rules THEN
		-- Pre-filled values (batch_import): text, not their rules.
		SELECT string_agg(e.key, ', ' ORDER BY e.key) INTO v_msg
		FROM jsonb_each(p_values) e
		WHERE jsonb_typeof(e.value) NOT IN ('string', 'null')
		   OR length(e.value #>> '{}') > 10000 OR (e.value #>> '{}') ~ '[[:cntrl:]]';
		IF v_msg IS NOT NULL THEN
			RAISE EXCEPTION 'Bad % value of %: text of at most 10000 characters', p_what, v_msg
				USING ERRCODE = 'BD001';
		END IF;
		RETURN true;
	END IF;
	IF v.checks IS NULL THEN
		RAISE EXCEPTION 'The document has no document type version to check it against'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_values @? '$.* ? (@.type() != "string" && @.type() != "null")' THEN
		SELECT min(e.key) INTO v_msg FROM jsonb_each(p_values) e
		WHERE jsonb_typeof(e.value) NOT IN ('string', 'null');
		RAISE EXCEPTION 'Bad % value of %: text expected', p_what, v_msg
			USING ERRCODE = 'BD001', COLUMN = v_msg;
	END IF;
	FOREACH c IN ARRAY v.checks LOOP
		-- The lookup fields' codes, all in one query, at the first one.
		IF c.lookup IS NOT NULL AND v_unknown IS NULL THEN
			SELECT coalesce(array_agg(k.name), '{}') INTO v_unknown
			FROM unnest(v.checks) k
			WHERE k.lookup IS NOT NULL AND coalesce(p_values ->> k.name, '') <> ''
			  AND NOT EXISTS (SELECT 1 FROM entry.lookups l
					  WHERE l.client_id = v.client_id AND l.lookup = k.lookup
					    AND l.code = upper(p_values ->> k.name) AND l.active);
		END IF;
		v_value := p_values ->> c.name;	-- once: the check reads it many times
		v_msg := entry.field_problem(c, v_value,
					     c.lookup IS NULL OR NOT c.name = ANY (v_unknown));
		IF v_msg IS NOT NULL THEN
			RAISE EXCEPTION '%', v_msg USING ERRCODE = 'BD001', COLUMN = c.name;
		END IF;
	END LOOP;
	-- The sum rules ([{target, terms}]), over numbers the loop has checked.
	FOR i IN 0 .. jsonb_array_length(v.rules) - 1 LOOP
		r := v.rules -> i;
		v_total := entry.saved_num(p_values ->> (r ->> 'target'));
		v_sum := 0;
		FOR j IN 0 .. jsonb_array_length(r -> 'terms') - 1 LOOP
			v_term := entry.saved_num(p_values ->> (r -> 'terms' ->> j));
			v_sum := v_sum + v_term;
		END LOOP;
		IF v_total IS NULL OR v_sum IS NULL THEN
			RAISE EXCEPTION '% is not a number',
				(SELECT k.title FROM unnest(v.checks) k WHERE k.name = r ->> 'target')
				USING ERRCODE = 'BD001', COLUMN = r ->> 'target';
		END IF;
		IF v_total <> v_sum THEN
			RAISE EXCEPTION '% is %, but the amounts add up to %',
				(SELECT k.title FROM unnest(v.checks) k WHERE k.name = r ->> 'target'),
				v_total, v_sum USING ERRCODE = 'BD001', COLUMN = r ->> 'target';
		END IF;
	END LOOP;
	RETURN true;
END
$$;

RESET ROLE;
