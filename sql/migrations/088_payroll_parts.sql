-- 088_payroll_parts: issue 17, a pay run computed on both cores.
--
-- One session computes a run on one core: at 100,000 employees the run's
-- one statement took 16 s of a quiet machine's 2 cores, the floor (the same
-- rows written with no computation) 5 s. payroll.run_compute_begin splits
-- the run's employees into parts by employee number (contiguous ranges of
-- about equal size, the first open below and the last open above, so every
-- employee is in exactly one), payroll.run_compute_part computes one part
-- (the same statement, on that range) in a session of its own, and
-- payroll.run_compute_end adds up the parts and makes the run computed.
-- Until the end the run is not computed (computed_at NULL: it cannot be
-- submitted); every step checks the run's version that begin left, so a
-- recompute or an input saved meanwhile (both change the version) makes
-- the parts of the older compute refused, never mixed in.
--
-- run_parts: a compute's parts, their employee ranges and, once done, their
-- totals and posting sums. Written and read only by those functions (bd_owner):
-- granted to no one.

SET ROLE bd_owner;
CREATE TABLE payroll.run_parts (
	client_id  integer NOT NULL,
	run_id     bigint NOT NULL,
	part       integer NOT NULL CHECK (part >= 0),
	version    bigint NOT NULL,
	lo         bigint NOT NULL,
	hi         bigint NOT NULL CHECK (lo <= hi),
	done       boolean NOT NULL DEFAULT false,
	employees  integer,
	gross      numeric(16,2),
	deductions numeric(16,2),
	net        numeric(16,2),
	employer   numeric(16,2),
	posting    jsonb,
	PRIMARY KEY (client_id, run_id, part),
	FOREIGN KEY (client_id, run_id) REFERENCES payroll.runs (client_id, run_id) ON DELETE CASCADE
);
RESET ROLE;
SELECT core.tenant_table('payroll.run_parts', ARRAY[]::text[], false);

-- An employee range is an argument now: the repeatable file makes it again.
DROP FUNCTION IF EXISTS payroll.run_employees(integer, payroll.runs);
