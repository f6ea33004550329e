/* What every command shares (command.h): connecting, reading files, result
 * tables, errors. */
#include "backdesk/connect.h"
#include "backdesk/date.h"
#include "backdesk/db.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "backdesk/command.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <fcntl.h>

enum { COLUMN_MAX = 40 };

void
bd_cli_print_table(const struct bd_db_result *res)
{
	int rows = bd_db_result_rows(res), cols = bd_db_result_cols(res), r, c;
	int *widths = xcalloc((size_t)cols + 1, sizeof(*widths));
	struct strbuf cell = STRBUF_INIT, line = STRBUF_INIT;

	for (c = 0; c < cols; c++) {
		const char *name = bd_db_result_colname(res, c);

		widths[c] = bd_text_width(name, strlen(name));
		for (r = 0; r < rows; r++) {
			const char *v = bd_db_result_get(res, r, c);
			int w;

			strbuf_reset(&cell);
			w = bd_gate(&cell, v, strlen(v), COLUMN_MAX);
			if (w > widths[c])
				widths[c] = w;
		}
	}
	for (r = -1; r < rows; r++) {
		strbuf_reset(&line);
		for (c = 0; c < cols; c++) {
			const char *v =
			    r < 0 ? bd_db_result_colname(res, c) : bd_db_result_get(res, r, c);
			int w = bd_gate(&line, v, strlen(v), COLUMN_MAX);

			if (c + 1 < cols)
				strbuf_addf(&line, "%*s", widths[c] - w + 2, "");
		}
		strbuf_rtrim(&line);
		puts(line.buf);
	}
	strbuf_release(&cell);
	strbuf_release(&line);
	free(widths);
}

int
bd_cli_fail(const struct bd_err *err)
{
	fprintf(stderr, "backdesk: %s\n", err->msg);
	/* The message is already out; the log adds only the technical part. */
	if (err->sqlstate[0] || err->detail[0])
		bd_log_err(err);
	return 1;
}

int
bd_cli_usage(const char *command, const char *usage)
{
	fprintf(stderr, "usage: backdesk %s %s\n", command, usage);
	return 2;
}

int
bd_cli_date_option(const char *arg, const char **date)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_date d;

	if (bd_date_parse_iso(arg, &d, &err) < 0) {
		fprintf(stderr, "backdesk: %s: %s\n", arg, err.msg);
		return -1;
	}
	*date = arg;
	return 0;
}

int
bd_cli_run_and_print(struct bd_db *db, const char *query, int nparams, const char *const *params)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, query, nparams, params, &err);

	if (!res)
		return bd_cli_fail(&err);
	/* A column "message" is said in words (e.g. "acct1 was already enabled:
	 * nothing changed"), not shown as a table. */
	if (bd_db_result_col(res, "message") >= 0) {
		if (*bd_db_result_text(res, 0, "message"))
			printf("%s\n", bd_db_result_text(res, 0, "message"));
		bd_db_result_free(res);
		return 0;
	}
	/* A function returning void answers one empty cell: nothing to show. */
	if (bd_db_result_cols(res) > 0 &&
	    !(bd_db_result_rows(res) == 1 && bd_db_result_cols(res) == 1 &&
	      !*bd_db_result_get(res, 0, 0)))
		bd_cli_print_table(res);
	bd_db_result_free(res);
	return 0;
}

enum { FILE_MAX = 64 * 1024 * 1024 };

/* 0 when the session is an active operator's; otherwise says what to do
 * and returns -1. A superuser (root on the embedded database without
 * --user) passes every role check but sees no client's data through the
 * definer functions, which would fail with a false reason ("Unknown document
 * type", "No entry 84"). */
static int
require_operator(struct bd_cli *cli, struct bd_db *db)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, "core.whoami", BD_NO_PARAMS, &err);
	const char *who = bd_db_user(db);
	int rc = -1;

	if (res && bd_db_result_rows(res) == 1 && strcmp(bd_db_result_get(res, 0, 3), "t")) {
		rc = 0;
	} else if (res && bd_db_result_rows(res) == 1) {
		fprintf(stderr,
			"backdesk: %s works as an operator, and the operator %s is disabled\n",
			cli->command, who);
	} else if (res || err.kind == BD_ERR_PERMISSION) {
		fprintf(
		    stderr,
		    "backdesk: %s works as an operator, and %s is not one: run it as an operator: "
		    "--user NAME%s\n",
		    cli->command, who,
		    bd_connect_is_embedded(cli->cfg) ? " (backdesk user list shows them)"
						     : " as that operator's own login");
	} else {
		bd_cli_fail(&err);
	}
	bd_db_result_free(res);
	return rc;
}

struct bd_db *
bd_cli_open_db(struct bd_cli *cli)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *db = bd_connect(cli->cfg, cli->user, &err);

	if (!db) {
		bd_cli_fail(&err);
		return NULL;
	}
	if (cli->needs == BD_CLI_OPERATOR && require_operator(cli, db) < 0) {
		bd_db_free(db);
		return NULL;
	}
	return db;
}

struct bd_db *
bd_cli_open_report_db(struct bd_cli *cli)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *db = bd_cli_open_db(cli), *standby = NULL;
	struct bd_db_result *res = NULL;
	char *conninfo;

	if (!db || !(conninfo = bd_connect_report_conninfo(cli->cfg, bd_db_user(db))))
		return db;
	standby = bd_db_connect(conninfo, &err);
	free(conninfo);
	if (!standby) {
		fprintf(stderr, "backdesk: the reports' standby cannot be reached; the primary "
				"serves this one\n");
		bd_log_err(&err);
		return db;
	}
	if (strcmp(bd_db_user(standby), bd_db_user(db))) {
		fprintf(stderr,
			"backdesk: the reports' standby signs you on as %s, not %s; the primary "
			"serves this one\n",
			bd_db_user(standby), bd_db_user(db));
		bd_db_free(standby);
		return db;
	}
	bd_db_free(db);
	if ((res = bd_db_query(standby, "core.replica_lag", BD_NO_PARAMS, &err)) &&
	    strtod(bd_db_result_text(res, 0, "lag_seconds"), NULL) >= 1)
		fprintf(stderr, "backdesk: read from the standby, %s s behind the primary\n",
			bd_db_result_text(res, 0, "lag_seconds"));
	else if (!res)
		bd_log_err(&err);
	bd_db_result_free(res);
	return standby;
}

int
bd_cli_read_file(const char *path, struct strbuf *sb, struct bd_err *err)
{
	FILE *fp = fopen(path, "rb");
	char buf[8192];
	size_t n;
	int rc = -1;

	if (!fp) {
		bd_err_set(err, BD_ERR_IO, "Cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		strbuf_add(sb, buf, n);
		if (sb->len > FILE_MAX) {
			bd_err_set(err, BD_ERR_INVALID, "%s is larger than %d MB", path,
				   FILE_MAX >> 20);
			goto cleanup;
		}
	}
	if (ferror(fp)) {
		bd_err_set(err, BD_ERR_IO, "Cannot read %s: %s", path, strerror(errno));
		goto cleanup;
	}
	rc = 0;
cleanup:
	fclose(fp);
	return rc;
}

int
bd_cli_run_program(const char *const *argv, struct strbuf *out, struct bd_err *err)
{
	int fds[2] = {-1, -1}, status, devnull;
	pid_t pid;
	char buf[4096];
	ssize_t n;

	if (out && pipe(fds) < 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot run %s: %s", argv[0], strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot run %s: %s", argv[0], strerror(errno));
		if (out) {
			close(fds[0]);
			close(fds[1]);
		}
		return -1;
	}
	if (pid == 0) {
		devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		if (out) {
			dup2(fds[1], 1);
			dup2(fds[1], 2);
			close(fds[0]);
			close(fds[1]);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (out) {
		close(fds[1]);
		while ((n = read(fds[0], buf, sizeof(buf))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			strbuf_add(out, buf, (size_t)n);
		}
		close(fds[0]);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			bd_err_set(err, BD_ERR_IO, "Cannot run %s: %s", argv[0], strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		bd_err_set(err, BD_ERR_IO, "Cannot run %s: not found", argv[0]);
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
