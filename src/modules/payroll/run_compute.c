/*
 * A pay run computed on several cores (payroll.h): the database splits the
 * run's employees into parts (payroll.run_compute_begin), each part is
 * computed by its own session at the same time (payroll.run_compute_part),
 * and the database adds them up (payroll.run_compute_end). Every rule and
 * check stays in the database; this only opens the sessions and waits.
 */
#include "backdesk/payroll.h"

#include <stdlib.h>

#define MAX_SESSIONS 16

static long
result_number(struct bd_db_result *res)
{
	long n = res ? strtol(bd_db_result_get(res, 0, 0), NULL, 10) : -1;

	bd_db_result_free(res);
	return n;
}

/* The result of the query sent on db, as the caller waits for it. */
static struct bd_db_result *
take(const struct bd_payroll_wait *wait, struct bd_db *db, struct bd_err *err)
{
	return wait ? wait->take(wait->ctx, db, err) : bd_db_take(db, err);
}

static struct bd_db_result *
query(const struct bd_payroll_wait *wait, struct bd_db *db, const char *name, int nparams,
      const char *const *params, struct bd_err *err)
{
	if (bd_db_send(db, name, nparams, params, err) < 0)
		return NULL;
	return take(wait, db, err);
}

long
bd_payroll_run_compute(struct bd_db *db, const char *client, const char *run, int sessions,
		       int min_employees, const struct bd_payroll_wait *wait, struct bd_err *err)
{
	struct bd_db *more[MAX_SESSIONS] = {0};
	struct bd_db_result *res;
	struct bd_err part_err = BD_ERR_INIT;
	char sessions_text[16], min_text[16], version[32], part[16];
	int parts, i;
	long n = -1;
	bool failed = false;

	if (sessions < 1)
		sessions = 1;
	if (sessions > MAX_SESSIONS)
		sessions = MAX_SESSIONS;
	snprintf(sessions_text, sizeof(sessions_text), "%d", sessions);
	snprintf(min_text, sizeof(min_text), "%d", min_employees);
	res = query(wait, db, "payroll.run_compute_begin",
		    BD_PARAMS(client, run, sessions_text, min_text), err);
	if (!res)
		return -1;
	snprintf(version, sizeof(version), "%s", bd_db_result_get(res, 0, 0));
	parts = (int)strtol(bd_db_result_get(res, 0, 1), NULL, 10);
	bd_db_result_free(res);
	if (parts < 1 || parts > MAX_SESSIONS) {
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: pay run %s split into %d parts",
			   run, parts);
		return -1;
	}

	/* parts 1.. on sessions of their own, sent before part 0 runs here */
	for (i = 1; i < parts; i++) {
		snprintf(part, sizeof(part), "%d", i);
		if (!(more[i] = bd_db_connect_again(db, NULL)))
			continue;
		if (bd_db_send(more[i], "payroll.run_compute_part",
			       BD_PARAMS(client, run, version, part), NULL) < 0) {
			bd_db_free(more[i]);
			more[i] = NULL;
		}
	}
	if (result_number(query(wait, db, "payroll.run_compute_part",
				BD_PARAMS(client, run, version, "0"), err)) < 0)
		failed = true;
	/* every part is waited for (none is left running); the first error of
	 * part 0, else of the lowest part, is the one reported */
	for (i = 1; i < parts; i++) {
		snprintf(part, sizeof(part), "%d", i);
		if (more[i])
			res = take(wait, more[i], failed ? &part_err : err);
		else if (!failed)
			res = query(wait, db, "payroll.run_compute_part",
				    BD_PARAMS(client, run, version, part), err);
		else
			continue;
		if (result_number(res) < 0)
			failed = true;
	}
	if (!failed)
		n = result_number(query(wait, db, "payroll.run_compute_end",
					BD_PARAMS(client, run, version), err));
	for (i = 1; i < parts; i++)
		bd_db_free(more[i]);
	return n;
}
