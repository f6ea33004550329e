/* backdesk doctype | batch: data-entry document types and batches. */
#include "backdesk/connect.h"
#include "backdesk/entry.h"
#include "backdesk/image.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"
#include "backdesk/command.h"
#include "backdesk/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
doctype_load(struct bd_cli *cli, const char *client, const char *path)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_entry_doctype dt;
	struct strbuf text = STRBUF_INIT;
	struct bd_db *db = NULL;
	int version = 0, rc = 1;

	bd_entry_doctype_init(&dt);
	if (bd_cli_read_file(path, &text, &err) < 0) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	if (memchr(text.buf, '\0', text.len)) {
		bd_err_set(&err, BD_ERR_INVALID, "%s:1: not a text file", path);
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	/* Check before connecting, so a broken file is refused even offline. */
	if (bd_entry_doctype_check(&dt, text.buf, path, &err) < 0) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	if (!(db = bd_cli_open_db(cli)))
		goto cleanup;
	if (bd_entry_doctype_load(db, client, text.buf, path, &version, &err) < 0) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	printf("document type %s version %d for %s\n", dt.screen.name, version, client);
	rc = 0;
cleanup:
	bd_db_free(db);
	bd_entry_doctype_release(&dt);
	strbuf_release(&text);
	return rc;
}

int
bd_entry_cli_doctype(struct bd_cli *cli, int argc, char **argv)
{
	static const char usage[] = "load CLIENT FILE | list CLIENT";
	struct bd_db *db;
	int rc;

	if (argc == 4 && !strcmp(argv[1], "load"))
		return doctype_load(cli, argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "list")) {
		if (!(db = bd_cli_open_db(cli)))
			return 1;
		rc = bd_cli_run_and_print(db, "entry.doctype_list", BD_PARAMS(argv[2]));
		bd_db_free(db);
		return rc;
	}
	return bd_cli_usage("doctype", usage);
}

/* A number of hours: digits with at most one '.', not empty. */
static bool
valid_hours(const char *s)
{
	int dots = 0, digits = 0;

	for (; *s; s++) {
		if (*s == '.')
			dots++;
		else if (*s >= '0' && *s <= '9')
			digits++;
		else
			return false;
	}
	return digits > 0 && dots <= 1;
}

/*
 * Refuses a file whose documents an earlier batch of the client already
 * holds (the same references on the same lines): a second import would have
 * every document keyed twice, without a word. 0 when it is new (or --again),
 * else -1 with err set.
 */
static int
check_not_imported(struct bd_db *db, const struct bd_entry_import *imp, const char *csv, size_t len,
		   const char *source, struct bd_err *err)
{
	struct bd_db_result *same = NULL;
	struct strbuf json = STRBUF_INIT;
	struct bd_screen screen;
	size_t n = 0;
	int rc = -1;

	bd_screen_init(&screen);
	if (bd_entry_doctype_current(db, imp->client, imp->doctype, &screen, err) < 0) {
		if (err->kind == BD_ERR_NOT_FOUND) {
			bd_err_clear(err);
			rc = 0; /* the import says what is wrong */
		}
		goto cleanup;
	}
	if (bd_entry_csv_rows(&screen, csv, len, source, &json, &n, err) < 0)
		goto cleanup;
	if (!(same = bd_db_query(db, "entry.batch_same_documents",
				 BD_PARAMS(imp->client, imp->doctype, json.buf), err)))
		goto cleanup;
	if (bd_db_result_rows(same) > 0) {
		bd_err_set(err, BD_ERR_CONFLICT,
			   "%s was imported already: batch %s (%s, %s by %s) holds the same %zu "
			   "document%s; --again imports it once more",
			   source, bd_db_result_get(same, 0, 0), bd_db_result_get(same, 0, 1),
			   bd_db_result_get(same, 0, 2), bd_db_result_get(same, 0, 3), n,
			   n == 1 ? "" : "s");
		goto cleanup;
	}
	rc = 0;
cleanup:
	bd_db_result_free(same);
	bd_screen_release(&screen);
	strbuf_release(&json);
	return rc;
}

static int
batch_import(struct bd_cli *cli, int argc, char **argv)
{
	static const struct option options[] = {{"priority", required_argument, NULL, 'p'},
						{"sla", required_argument, NULL, 's'},
						{"mode", required_argument, NULL, 'm'},
						{"again", no_argument, NULL, 'a'},
						{NULL, 0, NULL, 0}};
	static const char usage[] = "import CLIENT DOCTYPE FILE.csv [--priority N] [--sla HOURS] "
				    "[--mode single|single_qa|double] [--again]\n"
				    "(backdesk batch --help describes the file)";
	bool again = false;
	struct bd_entry_import imp = {NULL, NULL, "single", 0, "24", NULL};
	struct bd_err err = BD_ERR_INIT;
	struct strbuf csv = STRBUF_INIT;
	struct bd_db *db = NULL;
	char *path_copy = NULL, *end;
	long long batch_id = 0;
	size_t rows = 0;
	int opt, rc = 1;

	/* argv[0] is "batch", argv[1] "import". */
	argc--;
	argv++;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "p:s:m:", options, NULL)) != -1) {
		if (opt == 'p') {
			long v = strtol(optarg, &end, 10);

			if (*optarg == '\0' || *end || v < 0 || v > 99) {
				fprintf(stderr, "backdesk: --priority is 0 to 99\n");
				return 2;
			}
			imp.priority = (int)v;
		} else if (opt == 's') {
			if (!valid_hours(optarg)) {
				fprintf(stderr,
					"backdesk: --sla is a number of hours, e.g. 24 or 4.5\n");
				return 2;
			}
			imp.sla_hours = optarg;
		} else if (opt == 'm') {
			imp.mode = optarg;
		} else if (opt == 'a') {
			again = true;
		} else {
			return bd_cli_usage("batch", usage);
		}
	}
	if (optind != argc - 3)
		return bd_cli_usage("batch", usage);
	imp.client = argv[optind];
	imp.doctype = argv[optind + 1];
	if (strcmp(imp.mode, "single") && strcmp(imp.mode, "single_qa") &&
	    strcmp(imp.mode, "double")) {
		fprintf(stderr, "backdesk: --mode is single, single_qa or double\n");
		return 2;
	}
	if (bd_cli_read_file(argv[optind + 2], &csv, &err) < 0) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	path_copy = strdup(argv[optind + 2]);
	imp.name = path_copy ? basename(path_copy) : argv[optind + 2];
	if (!(db = bd_cli_open_db(cli)))
		goto cleanup;
	if (!again && check_not_imported(db, &imp, csv.buf, csv.len, argv[optind + 2], &err) < 0) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	if (bd_entry_batch_import(db, &imp, csv.buf, csv.len, argv[optind + 2], &batch_id, &rows,
				  &err) < 0) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	printf("batch %lld: %zu document%s imported\n", batch_id, rows, rows == 1 ? "" : "s");
	rc = 0;
cleanup:
	bd_db_free(db);
	free(path_copy);
	strbuf_release(&csv);
	return rc;
}

static int
batch_export(struct bd_cli *cli, int argc, char **argv)
{
	static const struct option options[] = {{"format", required_argument, NULL, 'f'},
						{"out", required_argument, NULL, 'o'},
						{"partial", no_argument, NULL, 'p'},
						{NULL, 0, NULL, 0}};
	static const char usage[] = "export BATCH --format csv|json [--out FILE] [--partial]";
	enum bd_entry_format format = BD_ENTRY_CSV;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf tmp = STRBUF_INIT;
	const char *out_path = NULL;
	struct bd_db *db = NULL;
	bool partial = false;
	FILE *out = NULL;
	size_t count = 0;
	int opt, rc = 1;

	argc--;
	argv++;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "f:o:p", options, NULL)) != -1) {
		if (opt == 'f') {
			if (!strcmp(optarg, "csv"))
				format = BD_ENTRY_CSV;
			else if (!strcmp(optarg, "json"))
				format = BD_ENTRY_JSON;
			else
				return bd_cli_usage("batch", usage);
		} else if (opt == 'o') {
			out_path = optarg;
		} else if (opt == 'p') {
			partial = true;
		} else {
			return bd_cli_usage("batch", usage);
		}
	}
	if (optind != argc - 1)
		return bd_cli_usage("batch", usage);
	if (!(db = bd_cli_open_db(cli)))
		goto cleanup;
	if (out_path) {
		/* Written next to the target and renamed: a refused or failed export
		 * leaves no file behind, and never half a file. */
		strbuf_addf(&tmp, "%s.tmp.%ld", out_path, (long)getpid());
		out = fopen(tmp.buf, "wb");
		if (!out) {
			bd_err_set(&err, BD_ERR_IO, "Cannot create %s: %s", tmp.buf,
				   strerror(errno));
			rc = bd_cli_fail(&err);
			goto cleanup;
		}
	}
	if (bd_entry_batch_export(db, argv[optind], format, partial, out ? out : bd_cli_data_out(),
				  &count, &err) < 0) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	if (out) {
		int bad = fflush(out) != 0 || ferror(out);

		bad |= fclose(out) != 0;
		out = NULL;
		if (bad || rename(tmp.buf, out_path) < 0) {
			bd_err_set(&err, BD_ERR_IO, "Cannot write %s: %s", out_path,
				   strerror(errno));
			rc = bd_cli_fail(&err);
			goto cleanup;
		}
		fprintf(stderr, "batch %s: %zu document%s written to %s\n", argv[optind], count,
			count == 1 ? "" : "s", out_path);
	}
	rc = 0;
cleanup:
	if (out)
		fclose(out);
	if (rc != 0 && tmp.len)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	bd_db_free(db);
	return rc;
}

int
bd_entry_cli_batch(struct bd_cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "import CLIENT DOCTYPE FILE.csv [--priority N] [--sla HOURS] [--mode MODE] [--again] | "
	    "export BATCH --format csv|json [--out FILE] [--partial] | list CLIENT\n"
	    "(backdesk batch --help describes the import file)";
	struct bd_db *db;
	int rc;

	if (argc >= 2 && !strcmp(argv[1], "import"))
		return batch_import(cli, argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "export"))
		return batch_export(cli, argc, argv);
	if (argc == 3 && !strcmp(argv[1], "list")) {
		if (!(db = bd_cli_open_db(cli)))
			return 1;
		rc = bd_cli_run_and_print(db, "entry.batch_list", BD_PARAMS(argv[2]));
		bd_db_free(db);
		return rc;
	}
	return bd_cli_usage("batch", usage);
}

/*
 * A sample page for a document type (US Letter at 150 dpi): each field's
 * label in a box where its zone says, so a demo (and whoever writes the
 * zones) has a page to key from and to check them against. No form is
 * copied: the page holds the document type's own labels only.
 */
int
bd_entry_sample_page(const struct bd_screen *screen, struct strbuf *png, struct bd_err *err)
{
	const int w = 1275, h = 1650;
	struct bd_image_label *labels =
	    xcalloc(screen->nfields ? screen->nfields : 1, sizeof(*labels));
	size_t i, n = 0;
	int rc;

	for (i = 0; i < screen->nfields; i++) {
		const struct bd_field_def *f = &screen->fields[i];

		if (!f->has_zone)
			continue;
		labels[n].r = bd_image_zone_pixels(f->zone, f->zone_pixels, w, h);
		labels[n++].text = *f->label ? f->label : f->name;
	}
	rc = bd_image_sample_page(screen->title,
				  "Sample page made for the demo: the document type's fields where "
				  "its zones say",
				  labels, n, w, h, png, err);
	free(labels);
	return rc;
}

int
bd_entry_cli_image(struct bd_cli *cli, int argc, char **argv)
{
	static const struct option options[] = {{"out", required_argument, NULL, 'o'},
						{"sample", no_argument, NULL, 's'},
						{NULL, 0, NULL, 0}};
	static const char usage[] = "DOCUMENT [--out FILE.png] | --sample CLIENT DOCTYPE "
				    "[--out FILE.png]";
	struct bd_screen screen;
	bool sample = false;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf png = STRBUF_INIT;
	const char *out_path = NULL;
	struct bd_db *db = NULL;
	FILE *out = NULL;
	char *end;
	int opt, w = 0, h = 0, rc = 1;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		if (opt == 'o')
			out_path = optarg;
		else if (opt == 's')
			sample = true;
		else
			return bd_cli_usage("image", usage);
	}
	if (sample ? optind != argc - 2
		   : (optind != argc - 1 || !*argv[optind] ||
		      (strtoll(argv[optind], &end, 10), *end != '\0')))
		return bd_cli_usage("image", usage);
	bd_screen_init(&screen);
	if (!out_path && isatty(STDOUT_FILENO)) {
		fprintf(stderr,
			"backdesk: the image is a PNG: send it to a file "
			"(backdesk image %s > page.png, or --out page.png)\n",
			argv[optind]);
		return 2;
	}
	if (!(db = bd_cli_open_db(cli)))
		goto cleanup;
	if (sample
		? bd_entry_doctype_current(db, argv[optind], argv[optind + 1], &screen, &err) < 0 ||
		      bd_entry_sample_page(&screen, &png, &err) < 0
		: bd_entry_image(db, argv[optind], &png, &w, &h, &err) < 0) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	out = out_path ? fopen(out_path, "wb") : bd_cli_data_out();
	if (!out || fwrite(png.buf, 1, png.len, out) != png.len || fflush(out) != 0) {
		bd_err_set(&err, BD_ERR_IO, "Cannot write %s: %s",
			   out_path ? out_path : "the image", strerror(errno));
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	if (!sample)
		fprintf(stderr, "document %s: %dx%d PNG, %zu bytes\n", argv[optind], w, h, png.len);
	rc = 0;
cleanup:
	bd_screen_release(&screen);
	if (out && out_path)
		fclose(out);
	strbuf_release(&png);
	bd_db_free(db);
	return rc;
}
