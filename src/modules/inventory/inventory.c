/*
 * Inventory's domain code (include/backdesk/inventory.h): the items CSV
 * import and CSV of report results. No curses: the screens and the command
 * both use it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backdesk/csv.h"
#include "backdesk/inventory.h"
#include "backdesk/json.h"

static const char *const import_columns[] = {
    "code", "description", "unit", "category", "valuation", "barcode", "min", "max", "location"};
#define NCOLUMNS (sizeof(import_columns) / sizeof(import_columns[0]))

int
bd_inventory_import_items(struct bd_db *db, const char *client, const char *text, size_t len,
			  const char *source, long *imported, struct bd_err *err)
{
	struct bd_csv_reader rd;
	struct bd_csv_record rec = {0};
	struct strbuf rows = STRBUF_INIT;
	struct bd_json j;
	struct bd_db_result *res = NULL;
	int map[64], got, rc = -1;
	size_t c, k;
	bool have[NCOLUMNS] = {false};

	*imported = 0;
	bd_csv_reader_init(&rd, text, len, source);
	got = bd_csv_next(&rd, &rec, err);
	if (got < 0)
		goto cleanup;
	if (got == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s: the file is empty", source);
		goto cleanup;
	}
	if (rec.ncells > 64) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: too many columns", source, rec.line);
		goto cleanup;
	}
	for (c = 0; c < rec.ncells; c++) {
		map[c] = -1;
		for (k = 0; k < NCOLUMNS; k++)
			if (!strcasecmp(rec.cells[c], import_columns[k]))
				map[c] = (int)k;
		if (map[c] < 0 || have[map[c]]) {
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s column \"%s\"", source, rec.line,
				   map[c] < 0 ? "unknown" : "a second", rec.cells[c]);
			goto cleanup;
		}
		have[map[c]] = true;
	}
	if (!have[0] || !have[1] || !have[2]) {
		bd_err_set(err, BD_ERR_INVALID,
			   "%s:%d: the header needs code, description and unit", source, rec.line);
		goto cleanup;
	}
	bd_json_init(&j, &rows);
	bd_json_begin_array(&j);
	while ((got = bd_csv_next(&rd, &rec, err)) > 0) {
		bd_json_begin_object(&j);
		bd_json_key(&j, "line");
		bd_json_int(&j, rec.line);
		for (c = 0; c < rec.ncells; c++) {
			bd_json_key(&j, import_columns[map[c]]);
			bd_json_str(&j, rec.cells[c]);
		}
		bd_json_end_object(&j);
		(*imported)++;
	}
	bd_json_end_array(&j);
	if (got < 0)
		goto cleanup;
	if (*imported == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s: no items after the header", source);
		goto cleanup;
	}
	res = bd_db_query(db, "inventory.items_import", BD_PARAMS(client, source, rows.buf), err);
	if (!res)
		goto cleanup;
	rc = 0;
cleanup:
	if (rc < 0)
		*imported = 0;
	bd_db_result_free(res);
	bd_csv_record_release(&rec);
	strbuf_release(&rows);
	return rc;
}

int
bd_inventory_lines_json(struct strbuf *out, const char *const *cells, int rows)
{
	static const char *const keys[] = {"item",	  "qty", "location",
					   "to_location", "lot", "unit_cost"};
	struct bd_json j;
	int r, k, n = 0;

	bd_json_init(&j, out);
	bd_json_begin_array(&j);
	for (r = 0; r < rows; r++) {
		const char *const *row = cells + r * 6;

		if ((!row[0] || !*row[0]) && (!row[1] || !*row[1]))
			continue;
		bd_json_begin_object(&j);
		for (k = 0; k < 6; k++) {
			if (!row[k] || !*row[k])
				continue;
			bd_json_key(&j, keys[k]);
			bd_json_str(&j, row[k]);
		}
		bd_json_end_object(&j);
		n++;
	}
	bd_json_end_array(&j);
	return n;
}
