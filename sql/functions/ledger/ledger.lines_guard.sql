-- ledger.lines_guard: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.lines_guard()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	e ledger.entries;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		SELECT * INTO e FROM ledger.entries
		WHERE client_id = OLD.client_id AND entry_id = OLD.entry_id;
		-- (not found: the entry itself is being deleted, as a draft)
		IF FOUND AND e.status <> 'draft' THEN
			RAISE EXCEPTION 'Entry % is % and its lines cannot be changed%', e.entry_id,
				e.status, CASE e.status WHEN 'posted' THEN '; reverse it instead'
						  ELSE '' END
				USING ERRCODE = 'BD002';
		END IF;
		IF TG_OP = 'DELETE' THEN
			RETURN OLD;
		END IF;
	END IF;
	IF TG_OP = 'INSERT' OR NEW.client_id <> OLD.client_id OR NEW.entry_id <> OLD.entry_id THEN
		SELECT * INTO e FROM ledger.entries
		WHERE client_id = NEW.client_id AND entry_id = NEW.entry_id;
		IF FOUND AND e.status <> 'draft' THEN
			RAISE EXCEPTION 'Entry % is % and its lines cannot be changed', e.entry_id,
				e.status USING ERRCODE = 'BD002';
		END IF;
	END IF;
	IF FOUND THEN
		NEW.entry_date := e.entry_date;
	END IF;
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.lines_guard() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.lines_guard() FROM PUBLIC;
