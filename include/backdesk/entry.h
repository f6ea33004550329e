#ifndef BACKDESK_ENTRY_H
#define BACKDESK_ENTRY_H
/*
 * Data entry glue: document types (screen files stored in the database),
 * batch import from CSV and export of finished documents. The queue itself
 * (claims, submits, double keying, QA) lives in the database: see
 * sql/migrations/020_entry.sql and the named queries in sql/queries/entry.sql
 * and sql/queries/supervisor.sql.
 *
 * Document types. A document type is a form screen file (screen.h) whose
 * `name` is the type's code (lower-case letters, digits and _, e.g. "claim").
 * Comment lines of the form
 *
 *   # sum: total = amount1 + amount2
 *
 * declare sum rules over numeric fields (integer, decimal, money) that the
 * database checks on every submit. Loading validates the text with
 * bd_screen_parse() first: a broken file is refused with "SOURCE:LINE:
 * reason" and nothing is stored.
 *
 * CSV batches (RFC 4180: comma separated, "quoted" values with "" for a
 * quote, CRLF or LF, an optional UTF-8 BOM). The first line is the header:
 * a column external_ref (or ref, reference), optionally source (or
 * source_path, image), and any of the document type's field names (any
 * case) for pre-filled values. Every row becomes one document. Each
 * pre-filled value must pass the field's own validation and is stored
 * normalised (bd_field_normalize). Any bad row refuses the whole file with
 * "FILE:LINE: reason" (csv.h: the reader's own refusals too), and the import is one database
 * statement: nothing is half-imported.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"

/* A screen file checked as a document type, ready to store. */
struct bd_entry_doctype {
	struct bd_screen screen;
	struct strbuf fields; /* JSON [{"name","type","label","scale",...}] in screen order:
			       * each field's rules (see add_field_rules in entry.c) */
	struct strbuf rules;  /* JSON [{"target","terms":[...]}] */
};

void bd_entry_doctype_init(struct bd_entry_doctype *dt);
void bd_entry_doctype_release(struct bd_entry_doctype *dt);

/*
 * Parses `text` (from `source`, used in messages) as a document type into an
 * initialised `dt`: a form (not a list), a name usable as a code, and valid
 * sum rules. Returns 0, or -1 with err->msg "SOURCE:LINE: reason" and `dt`
 * released.
 */
int bd_entry_doctype_check(struct bd_entry_doctype *dt, const char *text, const char *source,
			   struct bd_err *err);

/* Checks `text` and stores it as the newest version of the document type for
 * client `client` (a code). *version gets the version stored (an unchanged
 * text keeps the current version). 0 or -1 with err set. */
int bd_entry_doctype_load(struct bd_db *db, const char *client, const char *text,
			  const char *source, int *version, struct bd_err *err);

/*
 * Turns a CSV batch into the JSON rows entry.batch_import takes
 * ([{"line":N,"ref":"..","source":"..","values":{..}}]), validating against
 * the document type's `screen`. `source` names the file in messages. Appends
 * to `json`; *rows gets the number of documents. 0, or -1 with err->msg
 * "SOURCE:LINE: reason".
 */
int bd_entry_csv_rows(const struct bd_screen *screen, const char *csv, size_t len,
		      const char *source, struct strbuf *json, size_t *rows, struct bd_err *err);

struct bd_entry_import {
	const char *client;    /* client code */
	const char *doctype;   /* document type code */
	const char *mode;      /* "single", "single_qa" or "double" */
	int priority;	       /* 0..99, higher first */
	const char *sla_hours; /* hours from now, as a decimal number */
	const char *name;      /* batch name, e.g. the file's base name */
};

/* Imports `csv` as one batch: reads the newest version of the document type,
 * validates every row, and imports in one statement. *batch_id and *rows
 * (either may be NULL) get the new batch's id and size. 0 or -1. */
int bd_entry_batch_import(struct bd_db *db, const struct bd_entry_import *imp, const char *csv,
			  size_t len, const char *source, long long *batch_id, size_t *rows,
			  struct bd_err *err);

enum bd_entry_format {
	BD_ENTRY_CSV = 0,
	BD_ENTRY_JSON,
};

/*
 * Writes the finished documents (done and rejected) of batch `batch_id` to
 * `out`. CSV: a header line external_ref,source_path,status,reject_reason,
 * reject_note followed by the document type's fields; JSON: an array with one
 * object per document {"external_ref", "source_path", "status",
 * "reject_reason", "reject_note", "values": {...}}. Unless `partial`, a batch
 * with documents still open is refused (BD_ERR_CONFLICT, with the count) and
 * nothing is written. *count (may be NULL) gets the documents written.
 */
int bd_entry_batch_export(struct bd_db *db, const char *batch_id, enum bd_entry_format format,
			  bool partial, FILE *out, size_t *count, struct bd_err *err);

/*
 * The screen of a stored document type version: row 0 of a result with the
 * columns screen and version (entry.doctype_screen, entry.doctype_current),
 * parsed into `screen` and refused unless it is a form. `name` names the
 * type in messages ("db:doctype NAME vN:LINE: ..."). 0, or -1 with err set
 * (BD_ERR_NOT_FOUND when there is no row) and `screen` released.
 */
int bd_entry_doctype_screen(const struct bd_db_result *res, const char *name,
			    struct bd_screen *screen, struct bd_err *err);

/* The newest version's screen of document type `doctype` (a code) of client
 * `client` (a code), as bd_entry_doctype_screen(): BD_ERR_NOT_FOUND names
 * both when the client has no such type. */
int bd_entry_doctype_current(struct bd_db *db, const char *client, const char *doctype,
			     struct bd_screen *screen, struct bd_err *err);

/* The commands doctype and batch (entry_cli.c; see command.h). */
struct bd_cli;
int bd_entry_cli_doctype(struct bd_cli *cli, int argc, char **argv);
int bd_entry_cli_batch(struct bd_cli *cli, int argc, char **argv);
/* `backdesk image DOCUMENT [--out FILE]`: the stored page image (PNG) of a
 * document of a client the caller is assigned to. */
int bd_entry_cli_image(struct bd_cli *cli, int argc, char **argv);
/* A sample page (PNG, US Letter at 150 dpi) with each field's label where
 * its zone says (`backdesk image --sample CLIENT DOCTYPE`). 0 or -1. */
int bd_entry_sample_page(const struct bd_screen *screen, struct strbuf *png, struct bd_err *err);

/* The stored page image (PNG bytes) of document `document_id` into `png`,
 * its pixel size into *width, *height. 0, or -1 with err set
 * (BD_ERR_NOT_FOUND: none the caller may see). */
int bd_entry_image(struct bd_db *db, const char *document_id, struct strbuf *png, int *width,
		   int *height, struct bd_err *err);
/* backdesk codes load CLIENT TABLE FILE.csv | list CLIENT (codes.c). */
int bd_entry_cli_codes(struct bd_cli *cli, int argc, char **argv);

/*
 * A code table's CSV (header code, description and optionally valid_from,
 * valid_to, any order, case ignored) as the JSON rows entry.codes_load
 * takes: [[code, description, from|null, to|null], ...]. Refuses, with
 * "FILE:LINE: reason", a bad header, an empty or over-long code (40
 * characters, no spaces), a description over 200 characters or with a
 * control character, a date not ISO or not real, from after to, and a code
 * twice (naming its first line). *count gets the codes.
 */
int bd_entry_codes_rows(const char *csv, size_t len, const char *source, struct strbuf *json,
			size_t *count, struct bd_err *err);

#endif
