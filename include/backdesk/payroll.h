#ifndef BACKDESK_PAYROLL_H
#define BACKDESK_PAYROLL_H
/*
 * Payroll: the module's domain code (no curses; the command and the screens
 * use it). Everything is computed and guarded by the database
 * (sql/migrations/040_payroll.sql, sql/functions/payroll/); this reads CSV
 * files with the one reader (csv.h) and hands their records to the named
 * queries of sql/queries/payroll.sql as JSON, one call per file, so an
 * import is one transaction: all of it, or nothing and "FILE:LINE: reason".
 *
 * Errors: 0/-1 with err set (msg for the user; SQLSTATE and detail as the
 * database gave them).
 */
#include <stdio.h>

#include "backdesk/command.h"
#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/strbuf.h"

/* What a CSV import loads, and the named query it calls. */
enum bd_payroll_import {
	BD_PAYROLL_IMPORT_EMPLOYEES,
	BD_PAYROLL_IMPORT_PAY,
	BD_PAYROLL_IMPORT_INPUTS,
	BD_PAYROLL_IMPORT_COMPONENTS,
	BD_PAYROLL_IMPORT_PACK, /* client is NULL: packs are global */
};

/*
 * Appends text[0..len) (a CSV file named `source`, header row first) to
 * json as an array of objects {"_line": n, "<heading>": "<cell>", ...}.
 * Refuses, with "source:line: reason", what the CSV reader refuses and an
 * empty or repeated heading. *nrecords gets the number of records.
 */
int bd_payroll_csv_json(const char *text, size_t len, const char *source, struct strbuf *json,
			long *nrecords, struct bd_err *err);

/* Imports one CSV file; *n gets the number of records the database took. */
int bd_payroll_import(struct bd_db *db, enum bd_payroll_import what, const char *client,
		      const char *text, size_t len, const char *source, long *n,
		      struct bd_err *err);

/* Below this many employees a part of a pay run is not worth a session
 * of its own: a new backend compiles the run's statement again. */
#define BD_PAYROLL_PART_EMPLOYEES 5000

/* Computes (or recomputes) pay run `run` of `client` on up to `sessions`
 * database sessions at once (payroll.compute_sessions), each part at least
 * `min_employees` (BD_PAYROLL_PART_EMPLOYEES): db, and a second connection
 * as the same operator per further part (bd_db_connect_again), each
 * computing a range of the employees (payroll.run_compute_begin, _part,
 * _end). A part whose connection cannot be made is computed on db after its
 * own. `wait` says how to wait for each statement's result (a screen keeps
 * itself alive: bd_session_take); NULL: bd_db_take. Returns the number of
 * payslips, or -1 with err set (the run is then left not computed: compute
 * it again). */
struct bd_payroll_wait {
	struct bd_db_result *(*take)(void *ctx, struct bd_db *db, struct bd_err *err);
	void *ctx;
};
long bd_payroll_run_compute(struct bd_db *db, const char *client, const char *run, int sessions,
			    int min_employees, const struct bd_payroll_wait *wait,
			    struct bd_err *err);

/* backdesk payroll ... (payroll_cli.c). */
int bd_payroll_cli(struct bd_cli *cli, int argc, char **argv);

#endif
