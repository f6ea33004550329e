/* Shared by the subcommands: result tables and error reporting. */
#include "backdesk/cli.h"
#include "backdesk/db.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "cli_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
cli_fail(const struct bd_err *err)
{
	fprintf(stderr, "backdesk: %s\n", err->msg);
	bd_log_err(err);
	return 1;
}

int
cli_usage(const char *command, const char *usage)
{
	fprintf(stderr, "usage: backdesk %s %s\n", command, usage);
	return 2;
}

int
cli_run_and_print(struct bd_db *db, const char *query, int nparams, const char *const *params)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, query, nparams, params, &err);

	if (!res)
		return cli_fail(&err);
	/* A function returning void answers one empty cell: nothing to show. */
	if (bd_db_result_cols(res) > 0 &&
	    !(bd_db_result_rows(res) == 1 && bd_db_result_cols(res) == 1 &&
	      !*bd_db_result_get(res, 0, 0)))
		bd_cli_print_table(res);
	bd_db_result_free(res);
	return 0;
}
