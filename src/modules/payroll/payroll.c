/*
 * Payroll's domain code (payroll.h): CSV files in as JSON records for the
 * database, results out as CSV. The rules are the database's.
 */
#include "backdesk/payroll.h"

#include <stdlib.h>
#include <string.h>

#include "backdesk/csv.h"
#include "backdesk/json.h"

int
bd_payroll_csv_json(const char *text, size_t len, const char *source, struct strbuf *json,
		    long *nrecords, struct bd_err *err)
{
	struct bd_csv_reader rd;
	struct bd_csv_record head = {0}, rec = {0};
	struct bd_json j;
	size_t i, k;
	int got, rc = -1;

	*nrecords = 0;
	bd_csv_reader_init(&rd, text, len, source);
	got = bd_csv_next(&rd, &head, err);
	if (got < 0)
		goto cleanup;
	if (got == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s: the file is empty (a header row comes first)",
			   source);
		goto cleanup;
	}
	for (i = 0; i < head.ncells; i++) {
		if (!head.cells[i][0]) {
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: column %zu has no heading", source,
				   head.line, i + 1);
			goto cleanup;
		}
		for (k = 0; k < i; k++)
			if (!strcmp(head.cells[i], head.cells[k])) {
				bd_err_set(err, BD_ERR_INVALID, "%s:%d: the heading %s comes twice",
					   source, head.line, head.cells[i]);
				goto cleanup;
			}
	}
	bd_json_init(&j, json);
	bd_json_begin_array(&j);
	while ((got = bd_csv_next(&rd, &rec, err)) > 0) {
		bd_json_begin_object(&j);
		bd_json_key(&j, "_line");
		bd_json_int(&j, rec.line);
		for (i = 0; i < rec.ncells; i++) {
			bd_json_key(&j, head.cells[i]);
			bd_json_str(&j, rec.cells[i]);
		}
		bd_json_end_object(&j);
		(*nrecords)++;
	}
	if (got < 0)
		goto cleanup;
	bd_json_end_array(&j);
	rc = 0;
cleanup:
	bd_csv_record_release(&rec);
	bd_csv_record_release(&head);
	return rc;
}

int
bd_payroll_import(struct bd_db *db, enum bd_payroll_import what, const char *client,
		  const char *text, size_t len, const char *source, long *n, struct bd_err *err)
{
	static const char *const queries[] = {
	    [BD_PAYROLL_IMPORT_EMPLOYEES] = "payroll.import_employees",
	    [BD_PAYROLL_IMPORT_PAY] = "payroll.import_pay",
	    [BD_PAYROLL_IMPORT_INPUTS] = "payroll.import_inputs",
	    [BD_PAYROLL_IMPORT_COMPONENTS] = "payroll.import_components",
	    [BD_PAYROLL_IMPORT_PACK] = "payroll.pack_load",
	};
	struct strbuf json = STRBUF_INIT;
	struct bd_db_result *res = NULL;
	long records;
	int rc = -1;

	if (bd_payroll_csv_json(text, len, source, &json, &records, err) < 0)
		goto cleanup;
	if (!records) {
		bd_err_set(err, BD_ERR_INVALID, "%s: nothing to import (only a header row)",
			   source);
		goto cleanup;
	}
	if (what == BD_PAYROLL_IMPORT_PACK)
		res = bd_db_query(db, queries[what], BD_PARAMS(source, json.buf), err);
	else
		res = bd_db_query(db, queries[what], BD_PARAMS(client, source, json.buf), err);
	if (!res)
		goto cleanup;
	*n = strtol(bd_db_result_get(res, 0, 0), NULL, 10);
	rc = 0;
cleanup:
	bd_db_result_free(res);
	strbuf_release(&json);
	return rc;
}
