-- 070_forms: real forms (issue 20): code tables per client.
--
-- A client's code tables (ICD-10-CM, CPT/HCPCS, place of service, its own
-- product or cost-centre list) are loaded and replaced whole by
-- `backdesk codes load CLIENT TABLE FILE.csv` (entry.codes_load, one
-- transaction, one audit entry per load rather than one per code: a table
-- holds 100,000 codes), searched in F4 by a code's start or a word of its
-- description (entry.code_search, through a word index: entry.code_words),
-- and checked on submit for the fields that name the table (`codes =
-- "TABLE"`, entry.check_values), as of today when the codes carry effective
-- dates.
--
-- Why a word index and not pg_trgm: under row security PostgreSQL uses an
-- index only for leakproof operators (a policy's check must come first, and
-- a function that is not leakproof could show a row it refuses), and LIKE,
-- ILIKE and pg_trgm's operators are not; equality and the ordering of text
-- are. So F4 reads the words table by a range of words (the typed word up to
-- the next one), then the codes by key: about a millisecond at 100,000 codes,
-- where ILIKE reads them all (tests/bench/bench_forms.c).
--
-- Tables and types only: the functions are repeatable files (see 034).


SET ROLE bd_owner;

CREATE TABLE entry.codes (
	client_id   integer NOT NULL REFERENCES core.clients (client_id),
	code_table  text NOT NULL CHECK (code_table ~ '^[a-z][a-z0-9_]{0,31}$'),
	code        text NOT NULL CHECK (length(code) BETWEEN 1 AND 40 AND code !~ '[[:cntrl:][:space:]]'),
	description text NOT NULL CHECK (length(description) <= 200 AND description !~ '[[:cntrl:]]'),
	valid_from  date,
	valid_to    date,
	CHECK (valid_from <= valid_to),
	PRIMARY KEY (client_id, code_table, code)
);
COMMENT ON TABLE entry.codes IS
	'Per-client code tables loaded whole by backdesk codes load, behind fields with codes = "TABLE".';

-- F4 by the start of a code (byte-wise, whatever the database's collation:
-- ~>=~ and ~<~ are leakproof, LIKE is not).
CREATE INDEX codes_code_prefix ON entry.codes (client_id, code_table, code text_pattern_ops);

-- Every word of every description, lower case, byte-wise ordered: F4 by a
-- word's start is a range scan of it. Written by entry.codes_load only,
-- which replaces a table's words with its codes (no foreign key: deleting
-- 100,000 codes would check each against the words, which have no index by
-- code, and they are gone by then).
CREATE TABLE entry.code_words (
	client_id   integer NOT NULL REFERENCES core.clients (client_id),
	code_table  text NOT NULL,
	word        text COLLATE "C" NOT NULL,
	code        text NOT NULL,
	PRIMARY KEY (client_id, code_table, word, code)
);

RESET ROLE;
-- Readable by every group under the tenant policy; written only by
-- entry.codes_load; not audited row by row (the load writes one entry).
SELECT core.tenant_table('entry.codes', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor', 'bd_admin'], false);
SELECT core.tenant_table('entry.code_words', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor', 'bd_admin'], false);

-- The code table a field's codes must come from (compile_checks fills it).
ALTER TYPE entry.field_check ADD ATTRIBUTE codes text;
