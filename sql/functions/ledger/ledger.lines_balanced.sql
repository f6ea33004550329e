-- ledger.lines_balanced: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.lines_balanced()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	ids bigint[];
	cid integer;
	id bigint;
	dr numeric;
	cr numeric;
BEGIN
	IF TG_OP = 'DELETE' THEN
		cid := OLD.client_id;
		ids := ARRAY[OLD.entry_id];
	ELSIF TG_OP = 'UPDATE' THEN
		cid := NEW.client_id;
		ids := ARRAY[OLD.entry_id, NEW.entry_id];
		IF OLD.client_id <> NEW.client_id THEN
			RAISE EXCEPTION 'A line cannot move to another client' USING ERRCODE = 'BD002';
		END IF;
	ELSE
		cid := NEW.client_id;
		ids := ARRAY[NEW.entry_id];
	END IF;
	FOREACH id IN ARRAY ids LOOP
		SELECT coalesce(sum(l.debit), 0), coalesce(sum(l.credit), 0) INTO dr, cr
		FROM ledger.lines l WHERE l.client_id = cid AND l.entry_id = id;
		IF dr <> cr AND EXISTS (SELECT 1 FROM ledger.entries
					WHERE client_id = cid AND entry_id = id) THEN
			RAISE EXCEPTION 'Entry % does not balance: debits %, credits %', id, dr, cr
				USING ERRCODE = 'BD001';
		END IF;
	END LOOP;
	RETURN NULL;
END
$function$;
ALTER FUNCTION ledger.lines_balanced() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.lines_balanced() FROM PUBLIC;
