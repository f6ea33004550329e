-- 030_security: closes the holes of issue 15 (an outside attacker's report).
--
-- Forward-only, like every migration: replaces functions of 001, 002, 009,
-- 010 and 020 with CREATE OR REPLACE and adds what they lacked.
--
-- 1. Notifications. LISTEN/NOTIFY channel names and payloads are global in
--    PostgreSQL: any role may listen on, and notify, any channel. So no
--    payload carries anything (it is always ''), and a client's changes are
--    notified on channels named after a random per-client token that only
--    row security shows (core.client_channels: 'bd_queue_<token>',
--    'bd_approvals_<token>'); an operator's own changes (assignments, role,
--    disable) on 'bd_operator_<token>' from core.operator_channels, which
--    shows each operator their own row. A listener learns its channels by
--    reading those tables and, on any notification, reads again through row
--    security: a forged NOTIFY (by someone who may read the token anyway)
--    makes it re-read what it may see, nothing more.
-- 2. Unassigning stops an open transaction: core.require_role, which every
--    definer function runs first, takes FOR SHARE on the caller's
--    core.operator_access row when the transaction reads from one snapshot
--    (REPEATABLE READ, SERIALIZABLE). An assignment change committed after
--    that snapshot then fails the call with a serialization failure, and
--    one in flight waits for the caller (or the caller for it). Under READ
--    COMMITTED every statement reads the committed assignments anyway.
--    core.operator_access_sync now updates the row in place (it deleted
--    and re-inserted it), so that a waiting reader follows it.
-- 3. Approvals name the version the checker saw: ledger.entries.version
--    changes with every change of the entry (core.bump_version), the
--    inbox shows it, approve and reject pass it and core.approval_check
--    refuses a stale one. A rejection carries a reason the maker sees.
-- 4. core.operator_add creates new login roles, and adopts an existing role
--    only when it is a Backdesk operator of another database of the
--    cluster: no attributes but LOGIN, no members, member of one Backdesk
--    group and nothing else (core.check_login). Never a role that can reach
--    another (SET ROLE postgres), nor another application's login.
-- 6. Advisory locks are everyone's (any role may take any key): every lock
--    of ours is now a row lock, in core.locks (on which operators hold no
--    privilege at all) or, for the keying notifier, on the client's
--    core.client_channels row (operators may read it, but locking a row
--    needs UPDATE rights). The migrator locks bd_meta.migrations (in C).
-- 7. Every client has an audit chain from its creation on (core.clients
--    rows are also appended to the client's own chain), so that the check
--    knows which chains must exist; heads can be exported and compared.
-- 9. The statistics views and functions are for pg_read_all_stats only;
--    drafts are capped in size and number; names, labels and notes refuse
--    control characters.

-- --------------------------------------------------------------------------
-- 9 (first, as the tables below use it): text without control characters
-- --------------------------------------------------------------------------
SET ROLE bd_owner;

-- True for text without control characters (C0, DEL, C1); raises BD001
-- naming `what` otherwise, so that a CHECK constraint or domain built on it
-- tells the user what was refused. NULL passes (NOT NULL says otherwise).
CREATE FUNCTION core.plain_text(p_value text, p_what text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF p_value ~ '[\x01-\x1f\x7f-\x9f]' THEN
		RAISE EXCEPTION '% may not contain control characters (tabs, line breaks, escapes)',
			p_what USING ERRCODE = 'BD001';
	END IF;
	RETURN true;
END
$$;

-- The labels of a document type's fields ([{name, label, ...}]).
CREATE FUNCTION core.plain_labels(p_fields jsonb)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	f jsonb;
BEGIN
	IF jsonb_typeof(p_fields) = 'array' THEN
		FOR f IN SELECT * FROM jsonb_array_elements(p_fields) LOOP
			PERFORM core.plain_text(f ->> 'label', 'A field label');
			PERFORM core.plain_text(f ->> 'name', 'A field name');
		END LOOP;
	END IF;
	RETURN true;
END
$$;

RESET ROLE;

-- NOT VALID: rows stored before this migration are kept as they are (they
-- are on the audit chain); every new or changed row is checked.
ALTER TABLE core.clients ADD CONSTRAINT clients_name_plain
	CHECK (core.plain_text(name, 'A client name')) NOT VALID;
ALTER TABLE core.operators ADD CONSTRAINT operators_name_plain
	CHECK (core.plain_text(full_name, 'A full name')) NOT VALID;
ALTER TABLE entry.batches ADD CONSTRAINT batches_name_plain
	CHECK (core.plain_text(name, 'A batch name')) NOT VALID;
ALTER TABLE entry.doctypes ADD CONSTRAINT doctypes_title_plain
	CHECK (core.plain_text(title, 'A document type''s title')) NOT VALID;
ALTER TABLE entry.doctype_versions ADD CONSTRAINT doctype_versions_labels_plain
	CHECK (core.plain_labels(fields)) NOT VALID;
ALTER TABLE entry.skips ADD CONSTRAINT skips_note_plain
	CHECK (core.plain_text(note, 'A note')) NOT VALID;
ALTER DOMAIN entry.note ADD CONSTRAINT note_plain
	CHECK (core.plain_text(VALUE, 'A note')) NOT VALID;
ALTER TABLE ledger.journals ADD CONSTRAINT journals_name_plain
	CHECK (core.plain_text(name, 'A journal name')) NOT VALID;

SET ROLE bd_owner;

-- --------------------------------------------------------------------------
-- 6. Locks operators cannot take
-- --------------------------------------------------------------------------

-- One row per lock: (name, scope), scope a client id, a stripe, or 0. No
-- grants: only the owner's functions lock these rows (SELECT ... FOR
-- UPDATE needs UPDATE rights, which no operator has on any table, so no
-- operator can hold a lock that our functions wait for). Rows are made on
-- first use.
CREATE TABLE core.locks (
	name  text NOT NULL,
	scope integer NOT NULL,
	PRIMARY KEY (name, scope)
);
COMMENT ON TABLE core.locks IS
	'Row locks the definer functions take instead of advisory locks (whose keys anyone can take).';
REVOKE ALL ON core.locks FROM PUBLIC;

-- Takes lock (name, scope) until the end of the transaction. p_wait: waits
-- for its holder; else returns false at once when someone holds it (a
-- try-lock). Internal (granted to no one).
CREATE FUNCTION core.lock(p_name text, p_scope integer, p_wait boolean DEFAULT true)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
	IF p_wait THEN
		PERFORM 1 FROM core.locks WHERE name = p_name AND scope = p_scope FOR UPDATE;
	ELSE
		PERFORM 1 FROM core.locks WHERE name = p_name AND scope = p_scope
		FOR UPDATE SKIP LOCKED;
	END IF;
	IF FOUND THEN
		RETURN true;
	END IF;
	-- Missing (first use) or, for a try, held. A row we insert is ours
	-- until commit: a concurrent insert of the same key waits for us.
	INSERT INTO core.locks (name, scope) VALUES (p_name, p_scope) ON CONFLICT DO NOTHING;
	IF FOUND THEN
		RETURN true;
	END IF;
	IF p_wait THEN
		PERFORM 1 FROM core.locks WHERE name = p_name AND scope = p_scope FOR UPDATE;
		RETURN true;
	END IF;
	RETURN false;
END
$$;

RESET ROLE;
INSERT INTO core.locks (name, scope) SELECT 'ledger.balances', s FROM generate_series(0, 15) s;
INSERT INTO core.locks (name, scope)
SELECT 'ledger.fiscal_year_open', c.client_id FROM core.clients c;
SET ROLE bd_owner;

-- Opens a fiscal year: unchanged but for its lock (a row of core.locks, no
-- longer an advisory lock any operator could hold to stall it).
CREATE OR REPLACE FUNCTION ledger.fiscal_year_open(p_client text, p_year integer, p_start date)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	v_end date;
	i integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	IF p_year IS NULL OR p_year < 1900 OR p_year > 2198 THEN
		RAISE EXCEPTION 'The fiscal year must be between 1900 and 2198' USING ERRCODE = 'BD001';
	END IF;
	IF p_start IS NULL OR NOT isfinite(p_start) OR p_start < '1900-01-01'
	   OR p_start > '2198-12-31' OR extract(day FROM p_start) <> 1 THEN
		RAISE EXCEPTION 'A fiscal year starts on the first day of a month'
			USING ERRCODE = 'BD001';
	END IF;
	v_end := (p_start + interval '1 year' - interval '1 day')::date;
	-- One opening at a time per client, so the overlap check holds.
	PERFORM core.lock('ledger.fiscal_year_open', cid);
	IF EXISTS (SELECT 1 FROM ledger.fiscal_years WHERE client_id = cid AND fiscal_year = p_year) THEN
		RAISE EXCEPTION 'Fiscal year % already exists', p_year USING ERRCODE = 'BD003';
	END IF;
	IF EXISTS (SELECT 1 FROM ledger.fiscal_years
		   WHERE client_id = cid AND start_date <= v_end AND end_date >= p_start) THEN
		RAISE EXCEPTION 'Fiscal year % would overlap another fiscal year', p_year
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM ledger.journals_init(cid);
	INSERT INTO ledger.fiscal_years (client_id, fiscal_year, start_date, end_date)
	VALUES (cid, p_year, p_start, v_end);
	FOR i IN 1 .. 12 LOOP
		INSERT INTO ledger.periods (client_id, fiscal_year, period_no, start_date, end_date)
		VALUES (cid, p_year, i, (p_start + make_interval(months => i - 1))::date,
			(p_start + make_interval(months => i) - interval '1 day')::date);
	END LOOP;
END
$$;

-- Entries: BEFORE UPDATE when posting; adds the lines to ledger.balances.
-- As in 010, but a stripe is marked by a row of core.locks
-- ('ledger.balances', 0..15) locked with SKIP LOCKED (it never waits).
CREATE OR REPLACE FUNCTION ledger.entries_balances()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	v_xact text := pg_current_xact_id()::text;
	v_mine text := current_setting('backdesk.ledger_stripe', true);
	v_base smallint := (pg_backend_pid() % 16)::smallint;
	v_stripe smallint;
BEGIN
	-- 'xid:stripe' of this session's last posting transaction.
	IF v_mine LIKE v_xact || ':%' THEN
		v_stripe := split_part(v_mine, ':', 2)::smallint;
	ELSE
		-- The first free stripe from v_base on, in one statement.
		SELECT l.scope INTO v_stripe
		FROM core.locks l
		WHERE l.name = 'ledger.balances' AND l.scope BETWEEN 0 AND 15
		ORDER BY (l.scope - v_base + 16) % 16
		LIMIT 1
		FOR UPDATE SKIP LOCKED;
		v_stripe := coalesce(v_stripe, v_base);
		-- Not local: this function's SET clause would undo a local setting
		-- on return; the xid prefix ties the value to this transaction.
		PERFORM set_config('backdesk.ledger_stripe', v_xact || ':' || v_stripe, false);
	END IF;
	INSERT INTO ledger.balances AS b (client_id, grain, bucket, account_id, stripe, debit,
					  credit)
	SELECT NEW.client_id, g.grain, g.bucket, l.account_id, v_stripe, sum(l.debit),
	       sum(l.credit)
	FROM ledger.lines l
	CROSS JOIN LATERAL (VALUES ('d'::"char", NEW.entry_date),
				   ('m'::"char", date_trunc('month', NEW.entry_date::timestamp)::date),
				   ('y'::"char", date_trunc('year', NEW.entry_date::timestamp)::date)) g(grain, bucket)
	WHERE l.client_id = NEW.client_id AND l.entry_id = NEW.entry_id
	GROUP BY g.grain, g.bucket, l.account_id
	ORDER BY g.grain, g.bucket, l.account_id
	ON CONFLICT (client_id, grain, bucket, account_id, stripe) DO UPDATE
	SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;
	RETURN NEW;
END
$$;

-- --------------------------------------------------------------------------
-- 1. Notification channels
-- --------------------------------------------------------------------------

-- A random token per client; its channels are 'bd_<topic>_<token>'. Read
-- under the tenant policy: an operator learns the channels of their own
-- clients only. Not on the audit chain (nothing to audit; and the chain is
-- readable by the same people anyway).
CREATE TABLE core.client_channels (
	client_id integer PRIMARY KEY REFERENCES core.clients (client_id),
	token     text NOT NULL UNIQUE
		  DEFAULT replace(gen_random_uuid()::text, '-', '')
		  CHECK (token ~ '^[0-9a-f]{32}$')
);
COMMENT ON TABLE core.client_channels IS
	'Each client''s notification channel token (bd_queue_<token>, bd_approvals_<token>).';

-- The operator's own channel (bd_operator_<token>): their assignments, role
-- or state changed. Each operator reads their own row only.
CREATE TABLE core.operator_channels (
	login text COLLATE "C" PRIMARY KEY REFERENCES core.operators (login),
	token text NOT NULL UNIQUE
	      DEFAULT replace(gen_random_uuid()::text, '-', '')
	      CHECK (token ~ '^[0-9a-f]{32}$')
);
COMMENT ON TABLE core.operator_channels IS
	'Each operator''s notification channel token (bd_operator_<token>).';

RESET ROLE;
SELECT core.tenant_table('core.client_channels', audited => false);
-- Client rows are added by core.client_add, whose admin is not assigned to
-- the new client yet.
CREATE POLICY owner_adds ON core.client_channels FOR INSERT TO bd_owner WITH CHECK (true);
ALTER TABLE core.operator_channels OWNER TO bd_owner;
ALTER TABLE core.operator_channels ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON core.operator_channels USING (login = session_user);
REVOKE ALL ON core.operator_channels FROM PUBLIC;
GRANT SELECT ON core.operator_channels TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;
INSERT INTO core.client_channels (client_id) SELECT client_id FROM core.clients;
INSERT INTO core.operator_channels (login) SELECT login FROM core.operators;
SET ROLE bd_owner;

-- The channel name of a topic ('queue', 'approvals', 'operator') and token.
CREATE FUNCTION core.channel_name(p_topic text, p_token text)
RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT 'bd_' || p_topic || '_' || p_token;
$$;

-- Notifies a client's topic channel with an empty payload (delivered on
-- commit; identical notifications of one transaction are folded into one).
-- Nothing when the caller cannot see the client (never happens from a
-- function that checked the client first). Internal.
CREATE FUNCTION core.notify_client(p_client_id integer, p_topic text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	v_token text;
BEGIN
	SELECT token INTO v_token FROM core.client_channels WHERE client_id = p_client_id;
	IF v_token IS NOT NULL THEN
		PERFORM pg_notify(core.channel_name(p_topic, v_token), '');
	END IF;
END
$$;

-- Notifies an operator's own channel. Internal.
CREATE FUNCTION core.notify_operator(p_login text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	v_token text;
BEGIN
	SELECT token INTO v_token FROM core.operator_channels WHERE login = p_login;
	IF v_token IS NOT NULL THEN
		PERFORM pg_notify(core.channel_name('operator', v_token), '');
	END IF;
END
$$;

-- New clients and operators get their channels.
CREATE FUNCTION core.channels_add()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
BEGIN
	IF TG_TABLE_NAME = 'clients' THEN
		INSERT INTO core.client_channels (client_id) VALUES (NEW.client_id);
	ELSE
		INSERT INTO core.operator_channels (login) VALUES (NEW.login);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER channels_add AFTER INSERT ON core.clients
	FOR EACH ROW EXECUTE FUNCTION core.channels_add();
CREATE TRIGGER channels_add AFTER INSERT ON core.operators
	FOR EACH ROW EXECUTE FUNCTION core.channels_add();

-- The keying queue's senders (020).
CREATE OR REPLACE FUNCTION entry.notify(p_client_id integer)
RETURNS void
LANGUAGE sql
AS $$
	SELECT core.notify_client(p_client_id, 'queue');
$$;

-- As in 020 (one notifier among the keying transactions of a client in
-- flight together), the try-lock now the client's own core.client_channels
-- row, locked with SKIP LOCKED: one statement finds the channel and takes
-- the turn to notify (operators may read that row but not lock it: FOR
-- UPDATE needs UPDATE rights).
CREATE OR REPLACE FUNCTION entry.notify_keying(p_client_id integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
	v_token text;
BEGIN
	SELECT token INTO v_token FROM core.client_channels WHERE client_id = p_client_id
	FOR UPDATE SKIP LOCKED;
	IF v_token IS NULL THEN
		RETURN false;
	END IF;
	-- (core.channel_name's name, written out: a function with a SET clause
	-- is never inlined, and its call cost this path more than the lock.)
	PERFORM pg_notify('bd_queue_' || v_token, '');
	RETURN true;
END
$$;

-- --------------------------------------------------------------------------
-- 2. The membership check holds for the whole transaction
-- --------------------------------------------------------------------------

-- As in 001, and: in a transaction that reads from one snapshot (REPEATABLE
-- READ or SERIALIZABLE), the caller's core.operator_access row is locked
-- FOR SHARE. If an admin changed it (assignments, role, disable) after the
-- snapshot, that raises a serialization failure (40001: the application
-- starts the transaction again and then sees the change); a change in
-- flight waits until this transaction ends. READ COMMITTED needs no lock:
-- every statement reads the committed row, through the tenant policies
-- too. (FOR SHARE, not FOR KEY SHARE: the change is an update that keeps
-- the key, which a key-share lock would let through.) VOLATILE, as a row
-- lock requires.
CREATE OR REPLACE FUNCTION core.require_role(VARIADIC roles text[])
RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	mine text;
BEGIN
	IF current_setting('transaction_isolation') = 'read committed' THEN
		SELECT a.role INTO mine
		FROM core.operator_access a
		WHERE a.login = session_user
		  AND pg_has_role(session_user, 'bd_' || a.role, 'MEMBER');
	ELSE
		SELECT a.role INTO mine
		FROM core.operator_access a
		WHERE a.login = session_user
		  AND pg_has_role(session_user, 'bd_' || a.role, 'MEMBER')
		FOR SHARE;
	END IF;
	IF mine = ANY (roles) OR core.is_superuser() THEN
		RETURN mine;
	END IF;
	IF mine IS NULL THEN
		RAISE EXCEPTION 'You are not an active Backdesk operator' USING ERRCODE = 'BD002';
	END IF;
	RAISE EXCEPTION 'Only % may do this', array_to_string(roles, ' or ') USING ERRCODE = 'BD002';
END
$$;

-- As in 001, but the row is updated in place (insert, update or delete as
-- needed) rather than deleted and inserted again: a transaction waiting on
-- its FOR SHARE lock then follows the update instead of losing the row.
CREATE OR REPLACE FUNCTION core.operator_access_sync()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	v_login text;
	v_role text;
	v_clients integer[];
BEGIN
	-- (OLD is NULL on INSERT, NEW on DELETE.)
	FOREACH v_login IN ARRAY ARRAY(SELECT DISTINCT l FROM unnest(ARRAY[OLD.login, NEW.login]) l
				       WHERE l IS NOT NULL) LOOP
		PERFORM 1 FROM core.operators o WHERE o.login = v_login FOR UPDATE;
		SELECT o.role, coalesce(array_agg(s.client_id ORDER BY s.client_id)
					FILTER (WHERE s.client_id IS NOT NULL), '{}')
		INTO v_role, v_clients
		FROM core.operators o
		LEFT JOIN core.assignments s ON s.login = o.login
		WHERE o.login = v_login AND NOT o.disabled
		GROUP BY o.login, o.role;
		IF v_role IS NULL THEN
			DELETE FROM core.operator_access a WHERE a.login = v_login;
		ELSE
			INSERT INTO core.operator_access AS a (login, role, clients)
			VALUES (v_login, v_role, v_clients)
			ON CONFLICT (login) DO UPDATE SET role = EXCLUDED.role, clients = EXCLUDED.clients
			WHERE (a.role, a.clients) IS DISTINCT FROM (EXCLUDED.role, EXCLUDED.clients);
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

-- --------------------------------------------------------------------------
-- 4. Which roles may be operators
-- --------------------------------------------------------------------------

-- A login we may turn into (or keep as) an operator. A role that does not
-- exist yet is fine (core.operator_add creates it). An existing role must
-- have no attribute but LOGIN (no SUPERUSER, CREATEDB, CREATEROLE,
-- REPLICATION, BYPASSRLS), no members, and be a member of at most one
-- Backdesk group and of no other role: so no operator can SET ROLE to
-- anything (postgres, pg_execute_server_program, another application's
-- group). core.operator_add further adopts only roles that are in a
-- Backdesk group already.
CREATE OR REPLACE FUNCTION core.check_login(p_login text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	r pg_roles;
	v_groups integer;
	v_others integer;
BEGIN
	IF p_login IS NULL OR p_login !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
		RAISE EXCEPTION 'A login is 1-63 lower-case letters, digits or _, not starting with a digit'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_login ~ '^(pg_|bd_)' OR p_login IN ('public', 'none', 'current_user', 'session_user',
						  'current_role', 'postgres') THEN
		RAISE EXCEPTION 'The login % is reserved', p_login USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO r FROM pg_roles WHERE rolname = p_login;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolreplication OR r.rolcreatedb THEN
		RAISE EXCEPTION 'The login % is a privileged database role and cannot be an operator',
			p_login USING ERRCODE = 'BD002';
	END IF;
	SELECT count(*) FILTER (WHERE g.rolname IN ('bd_clerk', 'bd_accountant', 'bd_supervisor',
						    'bd_admin')),
	       count(*) FILTER (WHERE g.rolname NOT IN ('bd_clerk', 'bd_accountant', 'bd_supervisor',
							'bd_admin'))
	INTO v_groups, v_others
	FROM pg_auth_members m
	JOIN pg_roles g ON g.oid = m.roleid
	WHERE m.member = r.oid;
	IF v_others > 0 OR v_groups > 1
	   OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = r.oid) THEN
		RAISE EXCEPTION 'The login % is a member of, or has members in, other database roles '
			'and cannot be an operator', p_login USING ERRCODE = 'BD002';
	END IF;
END
$$;

-- As in 002; the role is created, or adopted only as core.check_login
-- allows; notifies the operator's own channel.
CREATE OR REPLACE FUNCTION core.operator_add(p_login text, p_full_name text, p_role text,
					     p_client_codes text[] DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	v_name text := btrim(p_full_name);
	v_code text;
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	PERFORM core.check_login(p_login);
	PERFORM core.check_role(p_role);
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A full name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_name, 'A full name');
	IF EXISTS (SELECT 1 FROM core.operators WHERE login = p_login) THEN
		RAISE EXCEPTION 'Operator % already exists', p_login USING ERRCODE = 'BD003';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
		-- Roles are cluster-wide: the login of an operator of another
		-- Backdesk database (in one of our groups, and nothing else, as
		-- core.check_login made sure) is adopted; any other existing role
		-- (another application's login or group) is not ours to take.
		IF NOT EXISTS (SELECT 1 FROM pg_auth_members m
			       JOIN pg_roles g ON g.oid = m.roleid
			       JOIN pg_roles r ON r.oid = m.member
			       WHERE r.rolname = p_login
				 AND g.rolname IN ('bd_clerk', 'bd_accountant', 'bd_supervisor',
						   'bd_admin')) THEN
			RAISE EXCEPTION 'The database role % already exists and is not a Backdesk '
				'operator: choose another login', p_login USING ERRCODE = 'BD003';
		END IF;
		IF NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = p_login) THEN
			EXECUTE format('ALTER ROLE %I LOGIN', p_login);
		END IF;
		PERFORM core.set_group(p_login, p_role);
	ELSE
		EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', p_login, 'bd_' || p_role);
	END IF;
	INSERT INTO core.operators (login, full_name, role) VALUES (p_login, v_name, p_role);
	FOREACH v_code IN ARRAY coalesce(p_client_codes, '{}') LOOP
		c := core.client_by_code(v_code);
		INSERT INTO core.assignments (login, client_id) VALUES (p_login, c.client_id)
		ON CONFLICT DO NOTHING;
	END LOOP;
	PERFORM core.notify_operator(p_login);
END
$$;

-- As in 002, acting only on a role that is still a plain operator's login
-- (core.check_login before anything), notifying the operator's channel.
CREATE OR REPLACE FUNCTION core.operator_update(p_login text, p_full_name text, p_role text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
	v_name text := btrim(p_full_name);
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	PERFORM core.check_role(p_role);
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A full name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_name, 'A full name');
	IF o.login = session_user AND p_role <> o.role THEN
		RAISE EXCEPTION 'You cannot change your own role' USING ERRCODE = 'BD002';
	END IF;
	IF p_role <> o.role THEN
		PERFORM core.check_login(o.login);
		PERFORM core.set_group(o.login, p_role);
	END IF;
	UPDATE core.operators SET full_name = v_name, role = p_role WHERE login = o.login;
	PERFORM core.notify_operator(o.login);
END
$$;

CREATE OR REPLACE FUNCTION core.operator_disable(p_login text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	IF o.login = session_user THEN
		RAISE EXCEPTION 'You cannot disable your own login' USING ERRCODE = 'BD002';
	END IF;
	PERFORM core.check_login(o.login);
	IF NOT o.disabled THEN
		UPDATE core.operators SET disabled = true WHERE login = o.login;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = o.login AND rolcanlogin) THEN
		EXECUTE format('ALTER ROLE %I NOLOGIN', o.login);
	END IF;
	PERFORM core.notify_operator(o.login);
	RETURN core.end_sessions(o.login);
END
$$;

CREATE OR REPLACE FUNCTION core.operator_enable(p_login text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	PERFORM core.check_login(o.login);
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = o.login) THEN
		EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', o.login, 'bd_' || o.role);
	ELSE
		IF NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = o.login) THEN
			EXECUTE format('ALTER ROLE %I LOGIN', o.login);
		END IF;
		PERFORM core.set_group(o.login, o.role);
	END IF;
	IF o.disabled THEN
		UPDATE core.operators SET disabled = false WHERE login = o.login;
	END IF;
	PERFORM core.notify_operator(o.login);
END
$$;

-- --------------------------------------------------------------------------
-- 1 (cont.). The admin functions that notified payloads
-- --------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION core.client_add(p_code text, p_name text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	v_code text := upper(btrim(p_code));
	v_name text := btrim(p_name);
	v_id integer;
BEGIN
	PERFORM core.require_role('admin');
	IF v_code IS NULL OR v_code !~ '^[A-Z][A-Z0-9_]{1,15}$' THEN
		RAISE EXCEPTION 'A client code is 2-16 letters, digits or _, starting with a letter'
			USING ERRCODE = 'BD001';
	END IF;
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A client name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_name, 'A client name');
	IF EXISTS (SELECT 1 FROM core.clients WHERE code = v_code) THEN
		RAISE EXCEPTION 'Client % already exists', v_code USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO core.clients (code, name) VALUES (v_code, v_name) RETURNING client_id INTO v_id;
	RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION core.client_rename(p_code text, p_name text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	c core.clients;
	v_name text := btrim(p_name);
BEGIN
	PERFORM core.require_role('admin');
	c := core.client_by_code(p_code);
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A client name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_name, 'A client name');
	UPDATE core.clients SET name = v_name WHERE client_id = c.client_id;
END
$$;

CREATE OR REPLACE FUNCTION core.client_set_active(p_code text, p_active boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	c := core.client_by_code(p_code);
	IF p_active IS NULL THEN
		RAISE EXCEPTION 'Say whether the client is active' USING ERRCODE = 'BD001';
	END IF;
	UPDATE core.clients SET active = p_active WHERE client_id = c.client_id;
	PERFORM core.notify_operator(a.login)
	FROM core.assignments a WHERE a.client_id = c.client_id;
END
$$;

CREATE OR REPLACE FUNCTION core.assign(p_login text, p_client_code text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	c := core.client_by_code(p_client_code);
	IF EXISTS (SELECT 1 FROM core.assignments WHERE login = o.login AND client_id = c.client_id) THEN
		RAISE EXCEPTION '% is already assigned to %', o.login, c.code USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO core.assignments (login, client_id) VALUES (o.login, c.client_id);
	PERFORM core.notify_operator(o.login);
END
$$;

CREATE OR REPLACE FUNCTION core.unassign(p_login text, p_client_code text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
DECLARE
	o core.operators;
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	c := core.client_by_code(p_client_code);
	DELETE FROM core.assignments WHERE login = o.login AND client_id = c.client_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION '% is not assigned to %', o.login, c.code USING ERRCODE = 'BD004';
	END IF;
	PERFORM core.notify_operator(o.login);
END
$$;

-- --------------------------------------------------------------------------
-- 3. Approvals name the version the checker saw
-- --------------------------------------------------------------------------

-- BEFORE UPDATE on an approvable item (a table with a bigint column
-- version): every change of the row makes a new version. The approvals
-- registry's items attach it; ledger.entries is the first.
CREATE FUNCTION core.bump_version()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	NEW.version := OLD.version + 1;
	RETURN NEW;
END
$$;

-- The one check of a decision on an approvable item: the checker names the
-- version they saw (the inbox shows it); a different current version means
-- the item changed since (withdrawn, edited, resubmitted) and is refused.
-- Internal.
CREATE FUNCTION core.approval_check(p_what text, p_seen bigint, p_current bigint)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	IF p_seen IS NULL THEN
		RAISE EXCEPTION 'Say which version of % you are deciding on (the inbox shows it)',
			p_what USING ERRCODE = 'BD001';
	END IF;
	IF p_seen IS DISTINCT FROM p_current THEN
		RAISE EXCEPTION '% changed since you opened it (version % is now %): look at it again',
			p_what, p_seen, p_current USING ERRCODE = 'BD003';
	END IF;
END
$$;

RESET ROLE;
ALTER TABLE ledger.entries
	ADD COLUMN version bigint NOT NULL DEFAULT 1,
	ADD COLUMN rejected_by text,
	ADD COLUMN rejected_at timestamptz,
	ADD COLUMN rejected_reason text
		CHECK (length(rejected_reason) <= 200
		       AND rejected_reason !~ '[\x01-\x1f\x7f-\x9f]');
-- Named so that it runs before the other BEFORE UPDATE triggers (by name).
CREATE TRIGGER entries_0_version BEFORE UPDATE ON ledger.entries
	FOR EACH ROW EXECUTE FUNCTION core.bump_version();
SET ROLE bd_owner;

-- Notifies the approvals channel of a client.
CREATE FUNCTION ledger.notify_approvals(p_client_id integer)
RETURNS void
LANGUAGE sql
AS $$
	SELECT core.notify_client(p_client_id, 'approvals');
$$;

-- As in 010, notifying without a payload. (The last rejection's reason
-- stays on the row; the entry shows it while it is a draft.)
CREATE OR REPLACE FUNCTION ledger.entry_submit(p_client text, p_entry_id bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'draft' THEN
		RAISE EXCEPTION 'Entry % is already %', p_entry_id, e.status USING ERRCODE = 'BD003';
	END IF;
	IF e.maker <> session_user THEN
		RAISE EXCEPTION 'Only % may submit this draft', e.maker USING ERRCODE = 'BD002';
	END IF;
	UPDATE ledger.entries SET status = 'submitted'
	WHERE client_id = cid AND entry_id = p_entry_id;
	PERFORM ledger.notify_approvals(cid);
END
$$;

-- Approves version p_version of a submitted entry: posts it. Accountants
-- and supervisors other than the maker. Returns the entry's number.
DROP FUNCTION ledger.entry_approve(text, bigint);
CREATE FUNCTION ledger.entry_approve(p_client text, p_entry_id bigint, p_version bigint)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'submitted' THEN
		RAISE EXCEPTION 'Entry % is %, not waiting for approval', p_entry_id, e.status
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Entry %s', p_entry_id), p_version, e.version);
	IF e.maker = session_user THEN
		RAISE EXCEPTION 'You cannot approve your own entry: another accountant must'
			USING ERRCODE = 'BD002';
	END IF;
	UPDATE ledger.entries SET status = 'posted'
	WHERE client_id = cid AND entry_id = p_entry_id
	RETURNING * INTO e;
	PERFORM ledger.notify_approvals(cid);
	RETURN format('%s-%s-%s', e.journal, e.fiscal_year, lpad(e.entry_no::text, 6, '0'));
END
$$;

-- Sends version p_version of a submitted entry back to its maker as a
-- draft, with a reason the maker sees (ledger.entry_get). Accountants and
-- supervisors other than the maker; the maker may withdraw their own entry
-- this way too (no reason needed).
DROP FUNCTION ledger.entry_reject(text, bigint);
CREATE FUNCTION ledger.entry_reject(p_client text, p_entry_id bigint, p_version bigint,
				    p_reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
	v_reason text := nullif(btrim(p_reason), '');
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'submitted' THEN
		RAISE EXCEPTION 'Entry % is %, not waiting for approval', p_entry_id, e.status
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Entry %s', p_entry_id), p_version, e.version);
	IF e.maker <> session_user AND v_reason IS NULL THEN
		RAISE EXCEPTION 'Say why you reject it: the maker sees the reason'
			USING ERRCODE = 'BD001';
	END IF;
	IF length(v_reason) > 200 THEN
		RAISE EXCEPTION 'A reason is at most 200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_reason, 'A reason');
	UPDATE ledger.entries
	SET status = 'draft', rejected_by = session_user, rejected_at = now(),
	    rejected_reason = coalesce(v_reason, 'withdrawn by its maker')
	WHERE client_id = cid AND entry_id = p_entry_id;
	PERFORM ledger.notify_approvals(cid);
END
$$;

-- As in 010, notifying without a payload.
CREATE OR REPLACE FUNCTION ledger.entry_reverse(p_client text, p_entry_id bigint, p_date date)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
	v_date date := p_date;
	v_id bigint;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'posted' THEN
		RAISE EXCEPTION 'Entry % is not posted: edit or delete the draft instead', p_entry_id
			USING ERRCODE = 'BD002';
	END IF;
	IF EXISTS (SELECT 1 FROM ledger.entries
		   WHERE client_id = cid AND reverses_entry_id = p_entry_id) THEN
		RAISE EXCEPTION 'Entry % has already been reversed', p_entry_id USING ERRCODE = 'BD003';
	END IF;
	IF v_date IS NULL THEN
		v_date := e.entry_date;
		IF NOT EXISTS (SELECT 1 FROM ledger.periods
			       WHERE client_id = cid AND start_date <= v_date AND end_date >= v_date
				 AND state = 'open') THEN
			v_date := current_date;
		END IF;
	END IF;
	PERFORM ledger.open_period(cid, v_date, false);
	INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, entry_date,
				    reference, description, reverses_entry_id)
	VALUES (cid, e.journal, 0, 0, v_date, left(e.reference, 40),
		left('Reversal of ' || e.journal || '-' || e.fiscal_year || '-'
		     || lpad(e.entry_no::text, 6, '0') || ': ' || e.description, 200),
		p_entry_id)
	RETURNING entry_id INTO v_id;
	INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, memo,
				  entry_date)
	SELECT cid, v_id, line_no, account_id, credit, debit, memo, v_date
	FROM ledger.lines WHERE client_id = cid AND entry_id = p_entry_id
	ORDER BY line_no;
	UPDATE ledger.entries SET status = 'submitted' WHERE client_id = cid AND entry_id = v_id;
	PERFORM ledger.notify_approvals(cid);
	RETURN v_id;
END
$$;

-- The inbox view, with the version to approve (added last: a view keeps
-- its columns' order).
CREATE OR REPLACE VIEW ledger.pending_approvals WITH (security_invoker = true) AS
SELECT c.code AS client, e.entry_id, e.journal, e.entry_date, e.reference, e.description,
       e.maker, e.submitted_at, e.reverses_entry_id,
       (SELECT sum(l.debit) FROM ledger.lines l
	WHERE l.client_id = e.client_id AND l.entry_id = e.entry_id) AS amount,
       e.version
FROM ledger.entries e
JOIN core.clients c ON c.client_id = e.client_id
WHERE e.status = 'submitted'
  AND e.maker <> session_user;

REVOKE EXECUTE ON FUNCTION ledger.entry_approve(text, bigint, bigint),
	ledger.entry_reject(text, bigint, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.entry_approve(text, bigint, bigint),
	ledger.entry_reject(text, bigint, bigint, text) TO bd_accountant, bd_supervisor;

-- --------------------------------------------------------------------------
-- 7. Every client has an audit chain
-- --------------------------------------------------------------------------

-- A new client's row also opens the client's own chain (the firm-level
-- chain 0 records it too, as before), so that every client that exists
-- has a chain, and a chain that vanished whole is noticed.
CREATE FUNCTION core.audit_client_genesis()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
BEGIN
	PERFORM core.audit_append(NEW.client_id, 'core.clients', 'INSERT',
				  jsonb_build_object('client_id', NEW.client_id), NULL, to_jsonb(NEW));
	RETURN NULL;
END
$$;
CREATE TRIGGER audit_client_genesis AFTER INSERT ON core.clients
	FOR EACH ROW EXECUTE FUNCTION core.audit_client_genesis();

RESET ROLE;
-- Clients without a chain yet (no business data) get their first row now.
SELECT core.audit_append(c.client_id, 'core.clients', 'INSERT',
			 jsonb_build_object('client_id', c.client_id), NULL, to_jsonb(c))
FROM core.clients c
WHERE NOT EXISTS (SELECT 1 FROM core.audit_head h WHERE h.client_id = c.client_id)
ORDER BY c.client_id;
SET ROLE bd_owner;

-- The chains the session must find: chain 0 for admins (and superusers),
-- and every client whose chain it may read (assigned; superuser: all).
-- Internal to the named queries core.audit_verify and core.audit_heads.
CREATE FUNCTION core.audit_chains()
RETURNS TABLE (client_id integer, client_code text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
BEGIN
	IF core.my_role() IS NULL AND NOT core.is_superuser() THEN
		RETURN;
	END IF;
	RETURN QUERY
	SELECT 0, '*'::text WHERE core.is_admin()
	UNION ALL
	SELECT c.client_id, c.code FROM core.clients c
	WHERE core.is_superuser() OR c.client_id = ANY (core.my_clients());
END
$$;

-- --------------------------------------------------------------------------
-- 9. Drafts: at most 256 kB each, 20 per operator
-- --------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION core.draft_save(p_screen text, p_client_id integer, p_data text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
BEGIN
	IF core.my_role() IS NULL THEN
		RAISE EXCEPTION 'You are not an active Backdesk operator' USING ERRCODE = 'BD002';
	END IF;
	IF p_client_id IS NOT NULL THEN
		PERFORM core.require_client(p_client_id);
	END IF;
	IF octet_length(p_data) > 262144 THEN
		RAISE EXCEPTION 'The form is too large to keep as a draft (at most 256 kB)'
			USING ERRCODE = 'BD001';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM core.drafts WHERE login = session_user AND screen = p_screen) THEN
		-- One new draft at a time per operator, so two sessions cannot both
		-- add the twentieth.
		PERFORM 1 FROM core.operators WHERE login = session_user FOR NO KEY UPDATE;
		IF (SELECT count(*) FROM core.drafts WHERE login = session_user) >= 20 THEN
			RAISE EXCEPTION 'You have 20 unfinished forms kept as drafts: finish or discard '
				'some first' USING ERRCODE = 'BD003';
		END IF;
	END IF;
	INSERT INTO core.drafts AS d (login, screen, client_id, data)
	VALUES (session_user, p_screen, p_client_id, p_data)
	ON CONFLICT (login, screen) DO UPDATE
		SET client_id = EXCLUDED.client_id, data = EXCLUDED.data, saved_at = now();
END
$$;

-- --------------------------------------------------------------------------
-- Grants
-- --------------------------------------------------------------------------
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA core FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ledger FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.channel_name(text, text), core.audit_chains(),
	core.plain_text(text, text), core.plain_labels(jsonb)
	TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

RESET ROLE;

-- --------------------------------------------------------------------------
-- 9. Statistics: per-table counts of every client are no operator's
-- --------------------------------------------------------------------------
-- The statistics views (and the pg_stat_get_* functions of a relation or
-- function that they are built on, which anyone could call directly) are
-- readable by pg_read_all_stats (and so pg_monitor) only. pg_class.reltuples
-- and relpages stay readable: the catalogue is global, and those are the
-- planner's estimates of whole tables, not per client.
DO $stats$
DECLARE
	v text;
	f regprocedure;
BEGIN
	FOREACH v IN ARRAY ARRAY[
		'pg_stat_all_tables', 'pg_stat_user_tables', 'pg_stat_sys_tables',
		'pg_stat_xact_all_tables', 'pg_stat_xact_user_tables', 'pg_stat_xact_sys_tables',
		'pg_statio_all_tables', 'pg_statio_user_tables', 'pg_statio_sys_tables',
		'pg_stat_all_indexes', 'pg_stat_user_indexes', 'pg_stat_sys_indexes',
		'pg_statio_all_indexes', 'pg_statio_user_indexes', 'pg_statio_sys_indexes',
		'pg_statio_all_sequences', 'pg_statio_user_sequences', 'pg_statio_sys_sequences',
		'pg_stat_user_functions', 'pg_stat_xact_user_functions'] LOOP
		IF to_regclass('pg_catalog.' || v) IS NOT NULL THEN
			EXECUTE format('REVOKE SELECT ON pg_catalog.%I FROM PUBLIC', v);
			EXECUTE format('GRANT SELECT ON pg_catalog.%I TO pg_read_all_stats', v);
		END IF;
	END LOOP;
	FOR f IN
		SELECT p.oid::regprocedure FROM pg_proc p
		WHERE p.pronamespace = 'pg_catalog'::regnamespace
		  AND p.proname LIKE 'pg\_stat\_get\_%' AND p.pronargs = 1
		  AND p.proargtypes[0] = 'oid'::regtype
		  AND p.proname NOT LIKE 'pg\_stat\_get\_db\_%'
	LOOP
		EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO pg_read_all_stats', f);
	END LOOP;
END
$stats$;
