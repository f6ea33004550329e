#include "backdesk/migrate.h"
#include "backdesk/embedded.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char MIGRATIONS_DIR[] = "sql/migrations/";
static const char FUNCTIONS_DIR[] = "sql/functions/";
static const char VIEW_SUFFIX[] = ".view.sql";

struct migration {
	int version;
	const char *name; /* file name without the directory */
	const struct bd_embedded_file *file;
};

/* The embedded migrations in version order (embedded files are sorted). */
static size_t
list_migrations(struct migration **out)
{
	const struct bd_embedded_file *f;
	struct migration *list = NULL;
	size_t n = 0, alloc = 0;

	for (f = bd_embedded_files; f->path; f++) {
		const char *base = f->path + sizeof(MIGRATIONS_DIR) - 1;
		char *end;
		long v;

		if (strncmp(f->path, MIGRATIONS_DIR, sizeof(MIGRATIONS_DIR) - 1))
			continue;
		v = strtol(base, &end, 10);
		if (end == base || *end != '_' || v <= 0)
			bd_die("%s: migration files are named NNN_name.sql", f->path);
		if (n && list[n - 1].version >= v)
			bd_die("%s: migration version %ld is used twice", f->path, v);
		BD_GROW(list, n + 1, alloc);
		list[n].version = (int)v;
		list[n].name = base;
		list[n].file = f;
		n++;
	}
	*out = list;
	return n;
}

static char *
checksum(struct bd_db *db, const char *text, struct bd_err *err)
{
	struct bd_db_result *res = bd_db_query(db, "migrate.checksum", BD_PARAMS(text), err);
	char *sum;

	if (!res)
		return NULL;
	sum = xstrdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	return sum;
}

/*
 * Creates bd_meta.migrations in one transaction when missing. Two migrators
 * on a fresh database may both try: the second fails on the first's
 * catalogue rows once that commits, and finds the table on its next try.
 */
static int
bootstrap(struct bd_db *db, struct bd_err *err)
{
	static const char *const steps[] = {"migrate.create_schema", "migrate.create_table",
					    "migrate.grant_schema", "migrate.grant_table"};
	int attempt;

	for (attempt = 0;; attempt++) {
		struct bd_db_result *res = bd_db_query(db, "migrate.has_table", BD_NO_PARAMS, err);
		bool present;
		size_t i;

		if (!res)
			return -1;
		present = !strcmp(bd_db_result_get(res, 0, 0), "t");
		bd_db_result_free(res);
		if (present)
			return 0;
		if (bd_db_begin(db, err) < 0)
			return -1;
		for (i = 0; i < sizeof(steps) / sizeof(*steps); i++)
			if (bd_db_run(db, steps[i], BD_NO_PARAMS, err) < 0)
				break;
		if (i == sizeof(steps) / sizeof(*steps) && bd_db_commit(db, err) == 0)
			return 0;
		bd_db_rollback(db);
		if (attempt == 2 || (err && err->kind == BD_ERR_CONNECTION))
			return -1;
	}
}

/*
 * Applies one migration in its own transaction, under migrate.lock. Another
 * migrator may have applied it since we read the list: then it is skipped
 * (1) when its recorded checksum is ours. 0 applied, -1 error.
 */
static int
apply(struct bd_db *db, const struct migration *m, const char *sum, struct bd_err *err)
{
	struct bd_db_result *res;
	char version[16];

	snprintf(version, sizeof(version), "%d", m->version);
	if (bd_db_begin(db, err) < 0)
		return -1;
	if (bd_db_run(db, "migrate.lock", BD_NO_PARAMS, err) < 0 ||
	    !(res = bd_db_query(db, "migrate.recorded", BD_PARAMS(version), err))) {
		bd_db_rollback(db);
		return -1;
	}
	if (bd_db_result_rows(res) > 0) {
		bool same = !strcmp(bd_db_result_get(res, 0, 0), sum);

		bd_db_result_free(res);
		bd_db_rollback(db);
		if (same)
			return 1;
		bd_err_set(err, BD_ERR_INVALID,
			   "Migration %s was applied meanwhile with other text; migrations are "
			   "forward-only, add a new file instead",
			   m->name);
		return -1;
	}
	bd_db_result_free(res);
	if (bd_db_exec_script(db, m->file->data, err) < 0 ||
	    bd_db_run(db, "migrate.record", BD_PARAMS(version, m->name, sum), err) < 0 ||
	    bd_db_commit(db, err) < 0) {
		bd_db_rollback(db);
		if (err && err->kind != BD_ERR_CONNECTION) {
			struct strbuf msg = STRBUF_INIT;

			strbuf_addf(&msg, "Migration %s failed: %s", m->name, err->msg);
			snprintf(err->msg, sizeof(err->msg), "%.*s", (int)sizeof(err->msg) - 1,
				 msg.buf);
			strbuf_release(&msg);
		}
		return -1;
	}
	return 0;
}

static bool
is_view(const char *path)
{
	size_t n = strlen(path), k = sizeof(VIEW_SUFFIX) - 1;

	return n >= k && !strcmp(path + n - k, VIEW_SUFFIX);
}

/* The checksum `recorded` (path, checksum rows) holds for `path`, or NULL. */
static const char *
recorded_sum(struct bd_db_result *recorded, const char *path)
{
	int i, rows = bd_db_result_rows(recorded);

	for (i = 0; i < rows; i++)
		if (!strcmp(bd_db_result_get(recorded, i, 0), path))
			return bd_db_result_get(recorded, i, 1);
	return NULL;
}

/*
 * Re-applies every repeatable file whose text differs from the one recorded,
 * in one transaction under migrate.lock (so two migrators apply each change
 * once): functions first, then views, each group in path order, with
 * check_function_bodies off so the order between functions does not matter.
 */
static int
apply_repeatables(struct bd_db *db, struct bd_migrate_report *report, FILE *progress,
		  struct bd_err *err)
{
	const struct bd_embedded_file *f;
	struct bd_db_result *recorded = NULL;
	int pass, rc = -1;

	if (bd_db_begin(db, err) < 0)
		return -1;
	if (bd_db_run(db, "migrate.lock", BD_NO_PARAMS, err) < 0 ||
	    bd_db_run(db, "migrate.no_body_checks", BD_NO_PARAMS, err) < 0 ||
	    !(recorded = bd_db_query(db, "migrate.repeatables_recorded", BD_NO_PARAMS, err)))
		goto cleanup;
	for (pass = 0; pass < 2; pass++) {
		for (f = bd_embedded_files; f->path; f++) {
			const char *had;

			if (strncmp(f->path, FUNCTIONS_DIR, sizeof(FUNCTIONS_DIR) - 1) ||
			    is_view(f->path) != (pass == 1))
				continue;
			had = recorded_sum(recorded, f->path);
			if (had && !strcmp(had, f->sha256))
				continue;
			if (progress)
				fprintf(progress, "applying %s\n", f->path);
			if (bd_db_exec_script(db, f->data, err) < 0 ||
			    bd_db_run(db, "migrate.repeatable_record",
				      BD_PARAMS(f->path, f->sha256), err) < 0) {
				if (err && err->kind != BD_ERR_CONNECTION) {
					struct strbuf msg = STRBUF_INIT;

					strbuf_addf(&msg, "%s failed: %s", f->path, err->msg);
					snprintf(err->msg, sizeof(err->msg), "%.*s",
						 (int)sizeof(err->msg) - 1, msg.buf);
					strbuf_release(&msg);
				}
				goto cleanup;
			}
			bd_log(BD_LOG_INFO, "applied %s", f->path);
			report->repeatables_ran++;
		}
	}
	/* Every migration (checked by the caller) and function file is now this
	 * binary's: what a sign-on compares in one lookup (085_seats.sql). */
	if (bd_db_run(db, "migrate.stamp", BD_PARAMS(bd_embedded_schema_stamp), err) < 0 ||
	    bd_db_commit(db, err) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	if (rc < 0)
		bd_db_rollback(db);
	bd_db_result_free(recorded);
	return rc;
}

/*
 * The repeatable files of this binary whose text is not the one the
 * database last applied (missing there, or another checksum): how many,
 * and the first one's path in *first. -1 with err set.
 */
static int
changed_repeatables(struct bd_db *db, const char **first, struct bd_err *err)
{
	struct bd_db_result *recorded =
	    bd_db_query(db, "migrate.repeatables_recorded", BD_NO_PARAMS, err);
	const struct bd_embedded_file *f;
	int n = 0;

	if (!recorded)
		return -1;
	for (f = bd_embedded_files; f->path; f++) {
		const char *had;

		if (strncmp(f->path, FUNCTIONS_DIR, sizeof(FUNCTIONS_DIR) - 1))
			continue;
		had = recorded_sum(recorded, f->path);
		if (had && !strcmp(had, f->sha256))
			continue;
		if (!n++)
			*first = f->path;
	}
	bd_db_result_free(recorded);
	return n;
}

int
bd_migrate(struct bd_db *db, struct bd_migrate_report *report, FILE *progress, struct bd_err *err)
{
	struct migration *list = NULL;
	size_t n = list_migrations(&list), i;
	struct bd_db_result *applied = NULL;
	char *sum = NULL;
	int rc = -1, row = 0, rows;

	memset(report, 0, sizeof(*report));
	report->known = (int)n;
	if (bootstrap(db, err) < 0 ||
	    !(applied = bd_db_query(db, "migrate.applied", BD_NO_PARAMS, err)))
		goto cleanup;
	rows = bd_db_result_rows(applied);
	report->applied = rows;
	for (i = 0; i < n; i++) {
		const struct migration *m = &list[i];

		free(sum);
		if (!(sum = checksum(db, m->file->data, err)))
			goto cleanup;
		if (row < rows &&
		    strtol(bd_db_result_get(applied, row, 0), NULL, 10) == m->version) {
			if (strcmp(bd_db_result_get(applied, row, 2), sum)) {
				bd_err_set(err, BD_ERR_INVALID,
					   "Migration %s was changed after it was applied; "
					   "migrations are forward-only, add a new file instead",
					   m->name);
				goto cleanup;
			}
			row++;
			continue;
		}
		if (row < rows &&
		    strtol(bd_db_result_get(applied, row, 0), NULL, 10) < m->version) {
			bd_err_set(err, BD_ERR_INVALID,
				   "The database has migration %s, which this backdesk does not "
				   "know",
				   bd_db_result_get(applied, row, 1));
			goto cleanup;
		}
		if (progress)
			fprintf(progress, "applying %s\n", m->name);
		switch (apply(db, m, sum, err)) {
		case 0:
			bd_log(BD_LOG_INFO, "applied migration %s", m->name);
			report->ran++;
			break;
		case 1:
			bd_log(BD_LOG_INFO, "migration %s was applied by another migrator",
			       m->name);
			break;
		default:
			goto cleanup;
		}
	}
	if (row < rows) {
		bd_err_set(err, BD_ERR_INVALID,
			   "The database is newer than this backdesk (it has migration %s); "
			   "install the newer backdesk",
			   bd_db_result_get(applied, row, 1));
		goto cleanup;
	}
	report->newest = n ? list[n - 1].version : 0;
	if (apply_repeatables(db, report, progress, err) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	free(sum);
	bd_db_result_free(applied);
	free(list);
	return rc;
}

/*
 * The common case in one round trip (migrate.check): the schema is this
 * binary's version and the database holds this binary's stamp, which
 * migrate writes once every migration and function file is as here
 * (085_seats.sql). 1 when so, 0 when not or when it cannot tell (no stamp
 * table yet): the caller then looks step by step, for the words of its
 * message (or finds all well without a stamp).
 */
static int
check_at_once(struct bd_db *db, int mine)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res =
	    bd_db_query(db, "migrate.check", BD_PARAMS(bd_embedded_schema_stamp), &err);
	int rc = 0;

	if (res && strtol(bd_db_result_get(res, 0, 0), NULL, 10) == mine &&
	    !strcmp(bd_db_result_get(res, 0, 1), "t"))
		rc = 1;
	bd_db_result_free(res);
	return rc;
}

int
bd_migrate_check(struct bd_db *db, struct bd_err *err)
{
	struct migration *list = NULL;
	size_t n = list_migrations(&list);
	int mine = n ? list[n - 1].version : 0, theirs = 0, rc = -1, changed;
	const char *first = "";
	struct bd_db_result *res = NULL;

	if (check_at_once(db, mine)) {
		rc = 0;
		goto cleanup;
	}
	if (!(res = bd_db_query(db, "migrate.has_table", BD_NO_PARAMS, err)))
		goto cleanup;
	if (!strcmp(bd_db_result_get(res, 0, 0), "t")) {
		bd_db_result_free(res);
		if (!(res = bd_db_query(db, "migrate.newest", BD_NO_PARAMS, err)))
			goto cleanup;
		theirs = (int)strtol(bd_db_result_get(res, 0, 0), NULL, 10);
	}
	if (theirs > mine)
		bd_err_set(err, BD_ERR_INVALID,
			   "The database is newer than this backdesk (schema %d, this program "
			   "knows %d); install the newer backdesk",
			   theirs, mine);
	else if (theirs < mine)
		bd_err_set(err, BD_ERR_INVALID,
			   "The database needs upgrading (schema %d of %d); ask an administrator "
			   "to run 'backdesk migrate'",
			   theirs, mine);
	else if ((changed = changed_repeatables(db, &first, err)) > 0)
		bd_err_set(err, BD_ERR_INVALID,
			   "The database's functions are not this backdesk's (%d file%s, %s "
			   "first); ask an administrator to run 'backdesk migrate'",
			   changed, changed == 1 ? "" : "s", first);
	else if (changed == 0)
		rc = 0;
cleanup:
	bd_db_result_free(res);
	free(list);
	return rc;
}

int
bd_migrate_seed_demo(struct bd_db *db, struct bd_err *err)
{
	static const char DEMO_DIR[] = "sql/demo/";
	const struct bd_embedded_file *f;

	for (f = bd_embedded_files; f->path; f++) {
		if (strncmp(f->path, DEMO_DIR, sizeof(DEMO_DIR) - 1))
			continue;
		if (bd_db_exec_script(db, f->data, err) < 0) {
			bd_err_detail(err, "%s failed", f->path);
			return -1;
		}
	}
	return 0;
}
