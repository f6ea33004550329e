/* Code tables per client: the CSV read into rows (checked line by line),
 * the load, and `backdesk codes` (see entry.h). */
#include "backdesk/command.h"
#include "backdesk/connect.h"
#include "backdesk/csv.h"
#include "backdesk/date.h"
#include "backdesk/entry.h"
#include "backdesk/field.h"
#include "backdesk/json.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { COL_CODE, COL_DESCRIPTION, COL_FROM, COL_TO, NCOLS };

/* The codes seen, for duplicates: open addressing over their first lines. */
struct seen {
	char **codes;
	int *lines;
	size_t cap, n;
};

/* The line the code was first seen on, or 0 after adding it. */
static int
seen_add(struct seen *t, const char *code, int line)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap) {
		struct seen bigger = {NULL, NULL, t->cap ? 2 * t->cap : 1024, 0};

		bigger.codes = xcalloc(bigger.cap, sizeof(*bigger.codes));
		bigger.lines = xcalloc(bigger.cap, sizeof(*bigger.lines));
		for (i = 0; i < t->cap; i++)
			if (t->codes[i])
				seen_add(&bigger, t->codes[i], t->lines[i]);
		for (i = 0; i < t->cap; i++)
			free(t->codes[i]);
		free(t->codes);
		free(t->lines);
		*t = bigger;
	}
	for (i = bd_text_hash(code) & (t->cap - 1); t->codes[i]; i = (i + 1) & (t->cap - 1))
		if (!strcmp(t->codes[i], code))
			return t->lines[i];
	t->codes[i] = xstrdup(code);
	t->lines[i] = line;
	t->n++;
	return 0;
}

static void
seen_release(struct seen *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->codes[i]);
	free(t->codes);
	free(t->lines);
}

static bool
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A date cell: empty (NULL into *iso) or ISO and real. */
static int
date_cell(const char *cell, const char **iso, const char *source, int line, const char *what,
	  struct bd_err *err)
{
	struct bd_date d;

	*iso = NULL;
	if (!*cell)
		return 0;
	if (bd_date_parse_iso(cell, &d, NULL) < 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s \"%s\" is not a date as YYYY-MM-DD",
			   source, line, what, cell);
		return -1;
	}
	*iso = cell;
	return 0;
}

int
bd_entry_codes_rows(const char *csv, size_t len, const char *source, struct strbuf *json,
		    size_t *count, struct bd_err *err)
{
	struct bd_csv_reader rd;
	struct bd_csv_record rec = {0};
	struct seen seen = {0};
	struct bd_json j;
	int col[NCOLS] = {-1, -1, -1, -1}, rc = -1, r;
	static const char *const names[NCOLS] = {"code", "description", "valid_from", "valid_to"};

	*count = 0;
	bd_csv_reader_init(&rd, csv, len, source);
	if ((r = bd_csv_next(&rd, &rec, err)) <= 0) {
		if (r == 0)
			bd_err_set(err, BD_ERR_INVALID, "%s:1: empty file: expected a header %s",
				   source, "code,description[,valid_from,valid_to]");
		goto cleanup;
	}
	for (size_t i = 0; i < rec.ncells; i++) {
		int k;

		for (k = 0; k < NCOLS && strcasecmp(rec.cells[i], names[k]); k++)
			;
		if (k == NCOLS || col[k] >= 0) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s:%d: column \"%s\" %s (code, description, valid_from, "
				   "valid_to)",
				   source, rec.line, rec.cells[i],
				   k == NCOLS ? "is not a column of a code table"
					      : "is there twice");
			goto cleanup;
		}
		col[k] = (int)i;
	}
	if (col[COL_CODE] < 0 || col[COL_DESCRIPTION] < 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: the header needs code and description",
			   source, rec.line);
		goto cleanup;
	}
	bd_json_init(&j, json);
	bd_json_begin_array(&j);
	while ((r = bd_csv_next(&rd, &rec, err)) == 1) {
		const char *code = rec.cells[col[COL_CODE]];
		const char *desc = rec.cells[col[COL_DESCRIPTION]];
		const char *from = NULL, *to = NULL;
		int first;

		if (!*code || strlen(code) > 160 || bd_chars_count(code) > 40 ||
		    strpbrk(code, " \t") || has_control(code)) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s:%d: a code is 1-40 characters without spaces (got \"%s\")",
				   source, rec.line, code);
			goto cleanup;
		}
		if (bd_chars_count(desc) > 200 || has_control(desc)) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s:%d: the description of %s is longer than 200 characters or "
				   "holds a control character",
				   source, rec.line, code);
			goto cleanup;
		}
		if ((col[COL_FROM] >= 0 && date_cell(rec.cells[col[COL_FROM]], &from, source,
						     rec.line, "valid_from", err) < 0) ||
		    (col[COL_TO] >= 0 &&
		     date_cell(rec.cells[col[COL_TO]], &to, source, rec.line, "valid_to", err) < 0))
			goto cleanup;
		if (from && to && strcmp(from, to) > 0) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s:%d: %s is valid from %s, after its end %s", source, rec.line,
				   code, from, to);
			goto cleanup;
		}
		if ((first = seen_add(&seen, code, rec.line)) > 0) {
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: code %s is already on line %d",
				   source, rec.line, code, first);
			goto cleanup;
		}
		bd_json_begin_array(&j);
		bd_json_str(&j, code);
		bd_json_str(&j, desc);
		bd_json_str_or_null(&j, from);
		bd_json_str_or_null(&j, to);
		bd_json_end_array(&j);
		(*count)++;
	}
	if (r < 0)
		goto cleanup;
	bd_json_end_array(&j);
	rc = 0;
cleanup:
	bd_csv_record_release(&rec);
	seen_release(&seen);
	return rc;
}

static int
codes_load(struct bd_cli *cli, const char *client, const char *table, const char *path)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT, json = STRBUF_INIT;
	struct bd_db *db = NULL;
	struct bd_db_result *res = NULL;
	size_t n;
	int rc = 1;

	if (bd_cli_read_file(path, &text, &err) < 0 ||
	    bd_entry_codes_rows(text.buf, text.len, path, &json, &n, &err) < 0) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	if (!(db = bd_cli_open_db(cli)))
		goto cleanup;
	if (!(res =
		  bd_db_query(db, "entry.codes_load", BD_PARAMS(client, table, json.buf), &err))) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	printf("code table %s for %s: %s codes\n", table, client, bd_db_result_get(res, 0, 0));
	rc = 0;
cleanup:
	bd_db_result_free(res);
	bd_db_free(db);
	strbuf_release(&text);
	strbuf_release(&json);
	return rc;
}

int
bd_entry_cli_codes(struct bd_cli *cli, int argc, char **argv)
{
	static const char usage[] = "load CLIENT TABLE FILE.csv | list CLIENT";
	struct bd_db *db;
	int rc;

	if (argc == 5 && !strcmp(argv[1], "load"))
		return codes_load(cli, argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "list")) {
		if (!(db = bd_cli_open_db(cli)))
			return 1;
		rc = bd_cli_run_and_print(db, "entry.codes_list", BD_PARAMS(argv[2]));
		bd_db_free(db);
		return rc;
	}
	return bd_cli_usage("codes", usage);
}
