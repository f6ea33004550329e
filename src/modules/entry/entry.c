/* Data entry glue: document types, CSV batch import, export (see entry.h). */
#include "backdesk/entry.h"
#include "backdesk/csv.h"
#include "backdesk/json.h"
#include "backdesk/field.h"
#include "backdesk/image.h"
#include "backdesk/rules.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- document types ---------------------------------------------------- */

void
bd_entry_doctype_init(struct bd_entry_doctype *dt)
{
	bd_screen_init(&dt->screen);
	strbuf_init(&dt->fields, 0);
	strbuf_init(&dt->rules, 0);
}

void
bd_entry_doctype_release(struct bd_entry_doctype *dt)
{
	bd_screen_release(&dt->screen);
	strbuf_release(&dt->fields);
	strbuf_release(&dt->rules);
}

static bool
valid_code(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 1 || n > 32 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool
numeric_type(enum bd_field_type type)
{
	return type == BD_FIELD_INTEGER || type == BD_FIELD_DECIMAL || type == BD_FIELD_MONEY;
}

/* Next identifier in *p (skipping blanks) into `word`; false when none. */
static bool
next_word(const char **p, struct strbuf *word)
{
	const char *s = *p;

	strbuf_reset(word);
	while (*s == ' ' || *s == '\t')
		s++;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
	       *s == '_')
		strbuf_addch(word, *s++);
	*p = s;
	return word->len > 0;
}

static void
skip_blanks(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\r')
		(*p)++;
}

/* Checks that `name` is a numeric field of the screen; -1 with err set. */
static int
rule_field(const struct bd_screen *screen, const char *name, const char *source, int line,
	   struct bd_err *err)
{
	int i = bd_screen_field_index(screen, name);

	if (i < 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: sum rule: no field '%s'", source, line,
			   name);
		return -1;
	}
	if (!numeric_type(screen->fields[i].type)) {
		bd_err_set(err, BD_ERR_INVALID,
			   "%s:%d: sum rule: field '%s' is not an integer, decimal or money field",
			   source, line, name);
		return -1;
	}
	return 0;
}

/* Parses one "# sum: target = a + b" line (after "sum:") into rules JSON. */
static int
parse_rule(struct bd_entry_doctype *dt, struct bd_json *j, const char *p, const char *source,
	   int line, struct bd_err *err)
{
	struct strbuf word = STRBUF_INIT;
	int rc = -1;

	if (!next_word(&p, &word)) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: sum rule: expected 'sum: total = a + b'",
			   source, line);
		goto cleanup;
	}
	if (rule_field(&dt->screen, word.buf, source, line, err) < 0)
		goto cleanup;
	bd_json_begin_object(j);
	bd_json_key(j, "target");
	bd_json_str(j, word.buf);
	bd_json_key(j, "terms");
	bd_json_begin_array(j);
	skip_blanks(&p);
	if (*p++ != '=') {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: sum rule: expected '=' after %s", source,
			   line, word.buf);
		goto cleanup;
	}
	for (;;) {
		if (!next_word(&p, &word)) {
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: sum rule: expected a field name",
				   source, line);
			goto cleanup;
		}
		if (rule_field(&dt->screen, word.buf, source, line, err) < 0)
			goto cleanup;
		bd_json_str(j, word.buf);
		skip_blanks(&p);
		if (*p == '\0' || *p == '\n')
			break;
		if (*p++ != '+') {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s:%d: sum rule: expected '+' between fields", source, line);
			goto cleanup;
		}
	}
	bd_json_end_array(j);
	bd_json_end_object(j);
	rc = 0;
cleanup:
	strbuf_release(&word);
	return rc;
}

/* Finds "# sum:" comment lines in the screen text. */
static int
parse_rules(struct bd_entry_doctype *dt, const char *text, const char *source, struct bd_err *err)
{
	const char *line = text;
	int lineno = 1;
	struct bd_json j;

	bd_json_init(&j, &dt->rules);
	bd_json_begin_array(&j);
	while (*line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		const char *p = line;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#') {
			p++;
			while (*p == ' ' || *p == '\t')
				p++;
			if (!strncmp(p, "sum:", 4)) {
				char *copy = xstrndup(p + 4, len - (size_t)(p + 4 - line));
				int rc = parse_rule(dt, &j, copy, source, lineno, err);

				free(copy);
				if (rc < 0)
					return -1;
			}
		}
		if (!eol)
			break;
		line = eol + 1;
		lineno++;
	}
	/* The screen's rules across fields (rules.h), checked again on submit. */
	bd_rules_json(&dt->screen, &j);
	bd_json_end_array(&j);
	return 0;
}

/* The rules of field `f` the database checks again on final values
 * (entry.check_values, sql/migrations/031_field_rules.sql): required, its
 * lookup table, check digit, choices, and what bd_field_validate() checks:
 * length (always present: the database reads a version without it from its
 * screen text), upshift, pattern, picture, min and max (in their saved form). */
static void
add_field_rules(struct bd_json *j, const struct bd_field_def *f)
{
	static const char prefix[] = "entry.", suffix[] = "_lookup";
	size_t i, n;

	bd_json_key(j, "length");
	bd_json_int(j, f->length);
	if (f->upshift) {
		bd_json_key(j, "upshift");
		bd_json_raw(j, "true");
	}
	if (f->pattern) {
		bd_json_key(j, "pattern");
		bd_json_str(j, f->pattern);
	}
	if (f->picture) {
		bd_json_key(j, "picture");
		bd_json_str(j, f->picture);
	}
	if (f->has_min) {
		bd_json_key(j, "min");
		bd_json_str(j, f->min);
	}
	if (f->has_max) {
		bd_json_key(j, "max");
		bd_json_str(j, f->max);
	}
	if (f->required) {
		bd_json_key(j, "required");
		bd_json_raw(j, "true");
	}
	/* entry.procedure_lookup reads the lookup table "procedure". */
	n = f->lookup && !f->codes ? strlen(f->lookup) : 0;
	if (f->codes) {
		bd_json_key(j, "codes");
		bd_json_str(j, f->codes);
	}
	if (n > strlen(prefix) + strlen(suffix) && !strncmp(f->lookup, prefix, strlen(prefix)) &&
	    !strcmp(f->lookup + n - strlen(suffix), suffix)) {
		char *table =
		    xstrndup(f->lookup + strlen(prefix), n - strlen(prefix) - strlen(suffix));

		bd_json_key(j, "lookup");
		bd_json_str(j, table);
		free(table);
	}
	if (f->check_spec) {
		bd_json_key(j, "check_digit");
		bd_json_str(j, f->check_spec);
	}
	if (f->type == BD_FIELD_CHOICE) {
		bd_json_key(j, "values");
		bd_json_begin_array(j);
		for (i = 0; i < f->nvalues; i++)
			bd_json_str(j, f->values[i]);
		bd_json_end_array(j);
	}
}

int
bd_entry_doctype_check(struct bd_entry_doctype *dt, const char *text, const char *source,
		       struct bd_err *err)
{
	struct bd_json j;
	size_t i;

	strbuf_reset(&dt->fields);
	strbuf_reset(&dt->rules);
	if (bd_screen_parse(&dt->screen, text, source, err) < 0)
		return -1;
	if (dt->screen.kind != BD_SCREEN_FORM) {
		bd_err_set(err, BD_ERR_INVALID,
			   "%s:1: a document type must be a form (screen = {...}), "
			   "not a list",
			   source);
		goto fail;
	}
	if (!valid_code(dt->screen.name)) {
		bd_err_set(err, BD_ERR_INVALID,
			   "%s:1: a document type's name is 1-32 lower-case letters, digits or _, "
			   "starting with a letter (got \"%s\")",
			   source, dt->screen.name);
		goto fail;
	}
	bd_json_init(&j, &dt->fields);
	bd_json_begin_array(&j);
	for (i = 0; i < dt->screen.nfields; i++) {
		const struct bd_field_def *f = &dt->screen.fields[i];

		bd_json_begin_object(&j);
		bd_json_key(&j, "name");
		bd_json_str(&j, f->name);
		bd_json_key(&j, "type");
		bd_json_str(&j, bd_field_type_name(f->type));
		bd_json_key(&j, "label");
		bd_json_str(&j, f->label);
		if (f->type == BD_FIELD_DECIMAL || f->type == BD_FIELD_MONEY) {
			bd_json_key(&j, "scale");
			bd_json_int(&j, f->scale);
		}
		add_field_rules(&j, f);
		bd_json_end_object(&j);
	}
	bd_json_end_array(&j);
	if (parse_rules(dt, text, source, err) < 0)
		goto fail;
	return 0;
fail:
	bd_entry_doctype_release(dt);
	bd_entry_doctype_init(dt);
	return -1;
}

int
bd_entry_doctype_load(struct bd_db *db, const char *client, const char *text, const char *source,
		      int *version, struct bd_err *err)
{
	struct bd_entry_doctype dt;
	struct bd_db_result *res = NULL;
	int rc = -1;

	bd_entry_doctype_init(&dt);
	if (bd_entry_doctype_check(&dt, text, source, err) < 0)
		goto cleanup;
	res = bd_db_query(
	    db, "entry.doctype_load",
	    BD_PARAMS(client, dt.screen.name, dt.screen.title, text, dt.fields.buf, dt.rules.buf),
	    err);
	if (!res)
		goto cleanup;
	if (version)
		*version = (int)strtol(bd_db_result_get(res, 0, 0), NULL, 10);
	rc = 0;
cleanup:
	bd_db_result_free(res);
	bd_entry_doctype_release(&dt);
	return rc;
}

/* --- CSV --------------------------------------------------------------- */

enum column_kind {
	COL_REF,
	COL_SOURCE,
	COL_IMAGE,
	COL_FIELD,
};

/* The image files a batch names (its `image` column), by line. */
struct image_ref {
	int line;
	char *path;
};

struct image_refs {
	struct image_ref *refs;
	size_t n, alloc;
};

static void
image_refs_release(struct image_refs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->refs[i].path);
	free(l->refs);
	memset(l, 0, sizeof(*l));
}

struct column {
	enum column_kind kind;
	int field; /* COL_FIELD: index in the screen */
};

static bool
is_any(const char *s, const char *const *names)
{
	for (; *names; names++)
		if (!strcasecmp(s, *names))
			return true;
	return false;
}

static void
trim_in_place(char *s)
{
	size_t n = strlen(s), start = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[start] == ' ' || s[start] == '\t')
		start++;
	memmove(s, s + start, n - start + 1);
}

static int
map_header(const struct bd_screen *screen, struct bd_csv_record *hdr, struct column *cols,
	   const char *source, struct bd_err *err)
{
	static const char *const ref_names[] = {"external_ref", "ref", "reference", NULL};
	static const char *const source_names[] = {"source", "source_path", NULL};
	bool have_ref = false, have_source = false, have_image = false;
	size_t i, j;

	for (i = 0; i < hdr->ncells; i++) {
		char *name = hdr->cells[i];

		trim_in_place(name);
		if (is_any(name, ref_names)) {
			if (have_ref)
				goto duplicate;
			cols[i].kind = COL_REF;
			have_ref = true;
		} else if (is_any(name, source_names)) {
			if (have_source)
				goto duplicate;
			cols[i].kind = COL_SOURCE;
			have_source = true;
		} else if (!strcasecmp(name, "image")) {
			if (have_image)
				goto duplicate;
			cols[i].kind = COL_IMAGE;
			have_image = true;
		} else {
			int f = -1;

			for (j = 0; j < screen->nfields; j++)
				if (!strcasecmp(screen->fields[j].name, name))
					f = (int)j;
			if (f < 0) {
				bd_err_set(err, BD_ERR_INVALID,
					   "%s:%d: unknown column \"%s\": not a field of %s",
					   source, hdr->line, name, screen->name);
				return -1;
			}
			for (j = 0; j < i; j++)
				if (cols[j].kind == COL_FIELD && cols[j].field == f)
					goto duplicate;
			cols[i].kind = COL_FIELD;
			cols[i].field = f;
		}
		continue;
	duplicate:
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: column \"%s\" appears twice", source,
			   hdr->line, name);
		return -1;
	}
	if (!have_ref) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: no external_ref column in the header",
			   source, hdr->line);
		return -1;
	}
	return 0;
}

/* Refuses control characters (tab included) in a value: the CSV reader
 * refused invalid UTF-8 already. */
static int
check_text(const char *s, const char *what, const char *source, int line, struct bd_err *err)
{
	size_t n = strlen(s), i, k;
	uint32_t cp;

	for (i = 0; i < n; i += k ? k : 1) {
		k = bd_utf8_decode(s + i, n - i, &cp);
		if (bd_cp_is_unsafe(cp) || cp < 0x20 || cp == 0x7f) {
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s holds a control character",
				   source, line, what);
			return -1;
		}
	}
	return 0;
}

static int
add_row(const struct bd_screen *screen, const struct bd_csv_record *r, const struct column *cols,
	const char *source, struct bd_json *json, struct image_refs *images, struct bd_err *err)
{
	struct strbuf value = STRBUF_INIT;
	struct bd_err ferr = BD_ERR_INIT;
	const char *ref = NULL, *src = NULL, *img = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < r->ncells; i++) {
		if (cols[i].kind == COL_REF)
			ref = r->cells[i];
		else if (cols[i].kind == COL_SOURCE)
			src = r->cells[i];
		else if (cols[i].kind == COL_IMAGE)
			img = r->cells[i];
	}
	trim_in_place((char *)ref);
	if (!*ref) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: the external reference is empty", source,
			   r->line);
		goto cleanup;
	}
	if (bd_chars_count(ref) > 100) {
		bd_err_set(err, BD_ERR_INVALID,
			   "%s:%d: the external reference is longer than 100 characters", source,
			   r->line);
		goto cleanup;
	}
	if (check_text(ref, "the external reference", source, r->line, err) < 0)
		goto cleanup;
	if (src) {
		trim_in_place((char *)src);
		if (check_text(src, "the source path", source, r->line, err) < 0)
			goto cleanup;
	}
	if (img) {
		trim_in_place((char *)img);
		if (check_text(img, "the image path", source, r->line, err) < 0)
			goto cleanup;
		if (*img && images) {
			if (images->n == images->alloc) {
				images->alloc = images->alloc ? 2 * images->alloc : 16;
				images->refs =
				    xrealloc(images->refs, images->alloc * sizeof(*images->refs));
			}
			images->refs[images->n].line = r->line;
			images->refs[images->n++].path = xstrdup(img);
		}
		/* the image's path is the document's source unless one is given */
		if (*img && (!src || !*src))
			src = img;
	}
	bd_json_begin_object(json);
	bd_json_key(json, "line");
	bd_json_int(json, r->line);
	bd_json_key(json, "ref");
	bd_json_str(json, ref);
	if (src && *src) {
		bd_json_key(json, "source");
		bd_json_str(json, src);
	}
	bd_json_key(json, "values");
	bd_json_begin_object(json);
	for (i = 0; i < r->ncells; i++) {
		const struct bd_field_def *f;

		if (cols[i].kind != COL_FIELD)
			continue;
		f = &screen->fields[cols[i].field];
		if (!*r->cells[i])
			continue;
		if (check_text(r->cells[i], bd_field_title(f), source, r->line, err) < 0)
			goto cleanup;
		strbuf_reset(&value);
		if (bd_field_validate(f, r->cells[i], &ferr) < 0 ||
		    bd_field_normalize(f, r->cells[i], &value, &ferr) < 0) {
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s", source, r->line, ferr.msg);
			goto cleanup;
		}
		if (!value.len)
			continue;
		bd_json_key(json, f->name);
		bd_json_str(json, value.buf);
	}
	bd_json_end_object(json);
	bd_json_end_object(json);
	rc = 0;
cleanup:
	strbuf_release(&value);
	return rc;
}

static int
csv_rows(const struct bd_screen *screen, const char *csv, size_t len, const char *source,
	 struct strbuf *json, size_t *rows, struct image_refs *images, struct bd_err *err)
{
	struct bd_csv_reader rd;
	struct bd_csv_record hdr = {0}, rec = {0};
	struct bd_json j;
	struct column *cols = NULL;
	size_t n = 0, start = json->len;
	int got, rc = -1;

	bd_csv_reader_init(&rd, csv, len, source);
	got = bd_csv_next(&rd, &hdr, err);
	if (got < 0)
		goto cleanup;
	if (got == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s:1: the file is empty", source);
		goto cleanup;
	}
	cols = xcalloc(hdr.ncells, sizeof(*cols));
	if (map_header(screen, &hdr, cols, source, err) < 0)
		goto cleanup;
	bd_json_init(&j, json);
	bd_json_begin_array(&j);
	while ((got = bd_csv_next(&rd, &rec, err)) > 0) {
		if (add_row(screen, &rec, cols, source, &j, images, err) < 0)
			goto cleanup;
		n++;
	}
	if (got < 0)
		goto cleanup;
	if (n == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: the file has no documents, only a header",
			   source, hdr.line);
		goto cleanup;
	}
	bd_json_end_array(&j);
	if (rows)
		*rows = n;
	rc = 0;
cleanup:
	if (rc < 0)
		strbuf_setlen(json, start);
	free(cols);
	bd_csv_record_release(&hdr);
	bd_csv_record_release(&rec);
	return rc;
}

int
bd_entry_csv_rows(const struct bd_screen *screen, const char *csv, size_t len, const char *source,
		  struct strbuf *json, size_t *rows, struct bd_err *err)
{
	return csv_rows(screen, csv, len, source, json, rows, NULL, err);
}

int
bd_entry_doctype_screen(const struct bd_db_result *res, const char *name, struct bd_screen *screen,
			struct bd_err *err)
{
	struct strbuf source = STRBUF_INIT;
	int rc = -1;

	if (bd_db_result_rows(res) < 1) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "The document type %s is missing", name);
		return -1;
	}
	strbuf_addf(&source, "db:doctype %s v%s", name,
		    bd_db_result_get(res, 0, bd_db_result_col(res, "version")));
	if (bd_screen_parse(screen, bd_db_result_get(res, 0, bd_db_result_col(res, "screen")),
			    source.buf, err) < 0)
		goto cleanup;
	if (screen->kind != BD_SCREEN_FORM) {
		bd_screen_release(screen);
		bd_err_set(err, BD_ERR_INVALID, "%s: the document type is not a form", source.buf);
		goto cleanup;
	}
	rc = 0;
cleanup:
	strbuf_release(&source);
	return rc;
}

int
bd_entry_doctype_current(struct bd_db *db, const char *client, const char *doctype,
			 struct bd_screen *screen, struct bd_err *err)
{
	struct bd_db_result *res;
	int rc = -1;

	if (!(res = bd_db_query(db, "entry.doctype_current", BD_PARAMS(client, doctype), err)))
		return -1;
	if (bd_db_result_rows(res) == 0)
		bd_err_set(err, BD_ERR_NOT_FOUND, "Unknown document type %s for client %s", doctype,
			   client);
	else
		rc = bd_entry_doctype_screen(res, doctype, screen, err);
	bd_db_result_free(res);
	return rc;
}

/* Path of an image named on a batch line: relative to the batch file's
 * directory; "#N" at the end chooses page N of a PDF. */
static void
image_path(const char *batch_file, const char *cell, struct strbuf *path, int *page)
{
	const char *hash = strrchr(cell, '#'), *slash = strrchr(batch_file, '/');
	size_t n = strlen(cell);

	*page = 1;
	if (hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1) &&
	    strlen(hash + 1) <= 6) {
		*page = (int)strtol(hash + 1, NULL, 10);
		n = (size_t)(hash - cell);
	}
	strbuf_reset(path);
	if (cell[0] != '/' && slash)
		strbuf_add(path, batch_file, (size_t)(slash - batch_file) + 1);
	strbuf_add(path, cell, n);
}

/* Reads, normalises and stores each image of the batch just imported (in
 * the caller's transaction). -1 with "FILE:LINE: image PATH: reason". */
static int
store_images(struct bd_db *db, const struct bd_entry_import *imp, const char *source,
	     long long batch_id, const struct image_refs *images, struct bd_err *err)
{
	struct strbuf path = STRBUF_INIT, hex = STRBUF_INIT;
	struct bd_image_page pg;
	char batch[24], line[16], page[16], pages[16], w[16], h[16];
	size_t i, k;
	int p, rc = -1;

	bd_image_page_init(&pg);
	snprintf(batch, sizeof(batch), "%lld", batch_id);
	for (i = 0; i < images->n; i++) {
		const struct image_ref *ref = &images->refs[i];

		image_path(source, ref->path, &path, &p);
		if (bd_image_page_load(path.buf, p, &pg, err) < 0) {
			struct bd_err why = *err;

			bd_err_set(err, BD_ERR_INVALID, "%s:%d: image %s: %s", source, ref->line,
				   ref->path, why.msg);
			goto cleanup;
		}
		strbuf_reset(&hex);
		strbuf_grow(&hex, 2 * pg.png.len + 3);
		strbuf_addstr(&hex, "\\x");
		for (k = 0; k < pg.png.len; k++) {
			static const char digits[] = "0123456789abcdef";
			unsigned char c = (unsigned char)pg.png.buf[k];

			strbuf_addch(&hex, digits[c >> 4]);
			strbuf_addch(&hex, digits[c & 15]);
		}
		snprintf(line, sizeof(line), "%d", ref->line);
		snprintf(page, sizeof(page), "%d", pg.page);
		snprintf(pages, sizeof(pages), "%d", pg.page_count);
		snprintf(w, sizeof(w), "%d", pg.width);
		snprintf(h, sizeof(h), "%d", pg.height);
		if (bd_db_run(db, "entry.image_put",
			      BD_PARAMS(imp->client, batch, line, pg.source_type, page, pages, w, h,
					hex.buf),
			      err) < 0) {
			bd_err_locate(err, source);
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	bd_image_page_release(&pg);
	strbuf_release(&path);
	strbuf_release(&hex);
	return rc;
}

int
bd_entry_batch_import(struct bd_db *db, const struct bd_entry_import *imp, const char *csv,
		      size_t len, const char *source, long long *batch_id, size_t *rows,
		      struct bd_err *err)
{
	struct bd_db_result *res = NULL;
	struct bd_screen screen;
	struct strbuf json = STRBUF_INIT;
	struct image_refs images = {0};
	char priority[16];
	long long batch = 0;
	size_t n = 0;
	bool tx = false;
	int rc = -1;

	bd_screen_init(&screen);
	if (bd_entry_doctype_current(db, imp->client, imp->doctype, &screen, err) < 0)
		goto cleanup;
	if (csv_rows(&screen, csv, len, source, &json, &n, &images, err) < 0)
		goto cleanup;
	snprintf(priority, sizeof(priority), "%d", imp->priority);
	/* The batch and its images in one transaction: a refused image loads
	 * nothing. */
	if (images.n) {
		if (bd_db_begin(db, err) < 0)
			goto cleanup;
		tx = true;
	}
	res = bd_db_query(db, "entry.batch_import",
			  BD_PARAMS(imp->client, imp->doctype, imp->mode, priority, imp->sla_hours,
				    imp->name, json.buf),
			  err);
	if (!res) {
		bd_err_locate(err, source);
		goto cleanup;
	}
	batch = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	if (images.n && store_images(db, imp, source, batch, &images, err) < 0)
		goto cleanup;
	if (tx && bd_db_commit(db, err) < 0) {
		tx = false;
		goto cleanup;
	}
	tx = false;
	if (batch_id)
		*batch_id = batch;
	if (rows)
		*rows = n;
	rc = 0;
cleanup:
	if (tx)
		bd_db_rollback(db);
	image_refs_release(&images);
	bd_db_result_free(res);
	bd_screen_release(&screen);
	strbuf_release(&json);
	return rc;
}

int
bd_entry_image(struct bd_db *db, const char *document_id, struct strbuf *png, int *width,
	       int *height, struct bd_err *err)
{
	struct bd_db_result *res = bd_db_query(db, "entry.image_of", BD_PARAMS(document_id), err);
	int rc = -1;

	if (!res)
		return -1;
	if (bd_db_result_rows(res) < 1 ||
	    bd_image_hex_decode(bd_db_result_text(res, 0, "bytes"), png) < 0) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "Document %s has no image you may see",
			   document_id);
		goto cleanup;
	}
	*width = (int)strtol(bd_db_result_text(res, 0, "width"), NULL, 10);
	*height = (int)strtol(bd_db_result_text(res, 0, "height"), NULL, 10);
	rc = 0;
cleanup:
	bd_db_result_free(res);
	return rc;
}

/* --- export ------------------------------------------------------------ */

static int
write_out(FILE *out, const struct strbuf *sb, struct bd_err *err)
{
	if (sb->len && fwrite(sb->buf, 1, sb->len, out) != sb->len) {
		bd_err_set(err, BD_ERR_IO, "Cannot write the export");
		return -1;
	}
	return 0;
}

static int
export_csv(struct bd_db *db, const char *batch_id, FILE *out, size_t *count, struct bd_err *err)
{
	static const char *const head[] = {"external_ref", "source_path", "status", "reject_reason",
					   "reject_note"};
	struct bd_db_result *fields = NULL, *vals = NULL;
	struct strbuf sb = STRBUF_INIT;
	int nfields, nrows, i, c_doc, c_val, c_ref, c_src, c_status, c_reason, c_note;
	size_t k, docs = 0;
	int rc = -1;

	fields = bd_db_query(db, "entry.batch_fields", BD_PARAMS(batch_id), err);
	if (!fields)
		goto cleanup;
	vals = bd_db_query(db, "entry.batch_export_values", BD_PARAMS(batch_id), err);
	if (!vals)
		goto cleanup;
	nfields = bd_db_result_rows(fields);
	for (k = 0; k < NELEM(head); k++)
		bd_csv_cell(&sb, head[k], k == 0);
	for (i = 0; i < nfields; i++)
		bd_csv_cell(&sb, bd_db_result_get(fields, i, 0), false);
	bd_csv_end_record(&sb);
	c_doc = bd_db_result_col(vals, "document_id");
	c_val = bd_db_result_col(vals, "value");
	c_ref = bd_db_result_col(vals, "external_ref");
	c_src = bd_db_result_col(vals, "source_path");
	c_status = bd_db_result_col(vals, "status");
	c_reason = bd_db_result_col(vals, "reject_reason");
	c_note = bd_db_result_col(vals, "reject_note");
	nrows = bd_db_result_rows(vals);
	if (nfields == 0 || nrows % nfields) {
		bd_err_set(err, BD_ERR_INTERNAL, "The export of batch %s is inconsistent",
			   batch_id);
		goto cleanup;
	}
	for (i = 0; i < nrows; i += nfields) {
		int j;

		bd_csv_cell(&sb, bd_db_result_get(vals, i, c_ref), true);
		bd_csv_cell(&sb, bd_db_result_get(vals, i, c_src), false);
		bd_csv_cell(&sb, bd_db_result_get(vals, i, c_status), false);
		bd_csv_cell(&sb, bd_db_result_get(vals, i, c_reason), false);
		bd_csv_cell(&sb, bd_db_result_get(vals, i, c_note), false);
		for (j = 0; j < nfields; j++) {
			if (strcmp(bd_db_result_get(vals, i + j, c_doc),
				   bd_db_result_get(vals, i, c_doc))) {
				bd_err_set(err, BD_ERR_INTERNAL,
					   "The export of batch %s is inconsistent", batch_id);
				goto cleanup;
			}
			bd_csv_cell(&sb, bd_db_result_get(vals, i + j, c_val), false);
		}
		bd_csv_end_record(&sb);
		docs++;
	}
	if (write_out(out, &sb, err) < 0)
		goto cleanup;
	*count = docs;
	rc = 0;
cleanup:
	strbuf_release(&sb);
	bd_db_result_free(vals);
	bd_db_result_free(fields);
	return rc;
}

static int
export_json(struct bd_db *db, const char *batch_id, FILE *out, size_t *count, struct bd_err *err)
{
	static const char *const members[] = {"external_ref", "source_path", "status",
					      "reject_reason", "reject_note"};
	struct bd_db_result *docs;
	struct strbuf sb = STRBUF_INIT;
	struct bd_json j;
	int i, n, rc = -1;
	size_t k;

	docs = bd_db_query(db, "entry.batch_export", BD_PARAMS(batch_id), err);
	if (!docs)
		goto cleanup;
	n = bd_db_result_rows(docs);
	strbuf_addch(&sb, '[');
	for (i = 0; i < n; i++) {
		/* One document a line. */
		strbuf_addstr(&sb, i ? ",\n  " : "\n  ");
		bd_json_init(&j, &sb);
		bd_json_begin_object(&j);
		for (k = 0; k < NELEM(members); k++) {
			int c = bd_db_result_col(docs, members[k]);

			bd_json_key(&j, members[k]);
			bd_json_str_or_null(&j, bd_db_result_isnull(docs, i, c)
						    ? NULL
						    : bd_db_result_get(docs, i, c));
		}
		/* jsonb output is JSON already. */
		bd_json_key(&j, "values");
		bd_json_raw(&j, bd_db_result_get(docs, i, bd_db_result_col(docs, "values")));
		bd_json_end_object(&j);
	}
	strbuf_addstr(&sb, n ? "\n]\n" : "]\n");
	if (write_out(out, &sb, err) < 0)
		goto cleanup;
	*count = (size_t)n;
	rc = 0;
cleanup:
	strbuf_release(&sb);
	bd_db_result_free(docs);
	return rc;
}

int
bd_entry_batch_export(struct bd_db *db, const char *batch_id, enum bd_entry_format format,
		      bool partial, FILE *out, size_t *count, struct bd_err *err)
{
	struct bd_db_result *st = NULL;
	const char *p;
	size_t n = 0;
	long open;
	int rc = -1;

	for (p = batch_id; *p; p++)
		if (*p < '0' || *p > '9')
			break;
	if (!*batch_id || *p || strlen(batch_id) > 18) {
		bd_err_set(err, BD_ERR_INVALID, "A batch is named by its number (got \"%s\")",
			   batch_id);
		goto cleanup;
	}
	st = bd_db_query(db, "entry.batch_status", BD_PARAMS(batch_id), err);
	if (!st)
		goto cleanup;
	if (bd_db_result_rows(st) == 0) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "Unknown batch %s", batch_id);
		goto cleanup;
	}
	open = strtol(bd_db_result_get(st, 0, bd_db_result_col(st, "open")), NULL, 10);
	if (open > 0 && !partial) {
		bd_err_set(err, BD_ERR_CONFLICT,
			   "Batch %s is not complete: %ld document%s still open (--partial exports "
			   "the finished ones)",
			   batch_id, open, open == 1 ? "" : "s");
		goto cleanup;
	}
	if (format == BD_ENTRY_JSON)
		rc = export_json(db, batch_id, out, &n, err);
	else
		rc = export_csv(db, batch_id, out, &n, err);
	if (rc == 0 && count)
		*count = n;
cleanup:
	bd_db_result_free(st);
	return rc;
}
