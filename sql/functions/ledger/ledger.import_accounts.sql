-- ledger.import_accounts: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The accounts an import names: [{"name": full name, "type": asset ... or
-- null, "currency": null, "where": "FILE:LINE"}]. Each must exist, or, with
-- p_create, is created with its missing parents, of the type given or the
-- one its top-level name tells (refused, naming "where", when neither
-- does). Returns how many accounts were created.
--
-- Set-based, as ledger.account_ensure would make them one by one in name
-- order: each missing one is checked first (in name order, the first wrong
-- one refused), then every account to make, the missing ones and their
-- missing parents, is inserted level by level (a parent before its
-- children, one INSERT per level of the names). A parent made on the way
-- takes the type of the first account (in name order) under it, and no
-- currency. (One by one, 510 accounts took 1.2 s; their audit rows are
-- most of what is left.)

CREATE OR REPLACE FUNCTION ledger.import_accounts(p_client text, p_batch_id bigint, p_accounts jsonb, p_create boolean)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_before integer;
	v_names text[];
	v_types text[];
	v_curs text[];
	v_wheres text[];
	v_fn text[];
	v_ft text[];
	v_fc text[];
	v_fd integer[];
	v_depth integer;
	i integer;
	v_seq regclass := pg_get_serial_sequence('ledger.accounts', 'account_id')::regclass;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	IF p_batch_id IS NOT NULL THEN -- (a chart alone: no batch)
		PERFORM ledger.import_batch_open(cid, p_batch_id);
	END IF;
	IF p_accounts IS NULL OR jsonb_typeof(p_accounts) <> 'array' THEN
		RAISE EXCEPTION 'The accounts must be a list' USING ERRCODE = 'BD001';
	END IF;
	SELECT count(*) INTO v_before FROM ledger.accounts WHERE client_id = cid;
	-- the ones the client lacks, in name order
	SELECT array_agg(m.name ORDER BY m.name), array_agg(m.type ORDER BY m.name),
	       array_agg(m.currency ORDER BY m.name), array_agg(m.w ORDER BY m.name)
	INTO v_names, v_types, v_curs, v_wheres
	FROM (SELECT DISTINCT ON (x.name) x.name, lower(x.type) AS type, upper(x.currency) AS currency,
		     coalesce(x."where", '') AS w
	      FROM jsonb_to_recordset(p_accounts) AS x(name text, type text, currency text, "where" text)
	      LEFT JOIN ledger.accounts a ON a.client_id = cid AND a.full_name = x.name
	      WHERE a.account_id IS NULL
	      ORDER BY x.name) m;
	IF v_names IS NULL THEN
		RETURN 0;
	END IF;
	FOR i IN 1 .. cardinality(v_names) LOOP
		IF NOT coalesce(p_create, false) THEN
			RAISE EXCEPTION '%: no account % (--create-accounts adds it)',
				v_wheres[i], v_names[i] USING ERRCODE = 'BD004';
		END IF;
		v_types[i] := coalesce(v_types[i], ledger.account_type_of_name(v_names[i]));
		IF v_types[i] IS NULL THEN
			RAISE EXCEPTION '%: what type is %? (account NAME  ; type: A, L, E, R or X)',
				v_wheres[i], v_names[i] USING ERRCODE = 'BD001';
		END IF;
		IF NOT ledger.account_name_ok(v_names[i]) THEN
			RAISE EXCEPTION '%: Not an account name: "%" (parts separated by ":", no ";")',
				v_wheres[i], left(coalesce(v_names[i], ''), 100) USING ERRCODE = 'BD001';
		END IF;
		IF v_types[i] NOT IN ('asset', 'liability', 'equity', 'income', 'expense') THEN
			RAISE EXCEPTION '%: The account type is asset, liability, equity, income or expense',
				v_wheres[i] USING ERRCODE = 'BD001';
		END IF;
	END LOOP;

	-- every account to make: the missing ones and their missing parents
	WITH RECURSIVE up AS (
		SELECT w.name AS full_name, w.type, w.cur, w.ord
		FROM unnest(v_names, v_types, v_curs) WITH ORDINALITY w(name, type, cur, ord)
		UNION ALL
		SELECT regexp_replace(u.full_name, ':[^:]*$', ''), u.type, NULL, u.ord
		FROM up u WHERE position(':' IN u.full_name) > 0
	), made AS (
		SELECT DISTINCT ON (u.full_name) u.full_name, u.type, u.cur,
		       length(u.full_name) - length(replace(u.full_name, ':', '')) AS depth
		FROM up u
		WHERE NOT EXISTS (SELECT 1 FROM ledger.accounts a
				  WHERE a.client_id = cid AND a.full_name = u.full_name)
		ORDER BY u.full_name, u.ord
	)
	SELECT array_agg(m.full_name ORDER BY m.depth, m.full_name),
	       array_agg(m.type ORDER BY m.depth, m.full_name),
	       array_agg(m.cur ORDER BY m.depth, m.full_name),
	       array_agg(m.depth ORDER BY m.depth, m.full_name)
	INTO v_fn, v_ft, v_fc, v_fd
	FROM made m;
	FOR v_depth IN SELECT DISTINCT d FROM unnest(v_fd) d ORDER BY d LOOP
		INSERT INTO ledger.accounts (client_id, account_id, code, name, type, parent_id, full_name,
					     currency)
		OVERRIDING SYSTEM VALUE
		SELECT cid, x.id, 'J-' || x.id, left(regexp_replace(x.full_name, '^.*:', ''), 120), x.type,
		       p.account_id, x.full_name, x.cur
		FROM (SELECT nextval(v_seq) AS id, y.full_name, y.type, y.cur
		      FROM (SELECT n.full_name, n.type, n.cur
			    FROM unnest(v_fn, v_ft, v_fc, v_fd) n(full_name, type, cur, depth)
			    WHERE n.depth = v_depth
			    ORDER BY n.full_name) y) x
		LEFT JOIN ledger.accounts p ON v_depth > 0 AND p.client_id = cid
					    AND p.full_name = regexp_replace(x.full_name, ':[^:]*$', '');
	END LOOP;
	-- (parents made on the way count too)
	RETURN (SELECT count(*) FROM ledger.accounts WHERE client_id = cid) - v_before;
END
$function$;
ALTER FUNCTION ledger.import_accounts(text,bigint,jsonb,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_accounts(text,bigint,jsonb,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.import_accounts(text,bigint,jsonb,boolean) TO bd_accountant;
