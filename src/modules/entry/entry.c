/* Data entry glue: document types, CSV batch import, export (see entry.h). */
#include "backdesk/entry.h"
#include "backdesk/field.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- JSON -------------------------------------------------------------- */

void
bd_entry_json_string(struct strbuf *out, const char *s)
{
	const unsigned char *p;

	strbuf_addch(out, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			strbuf_addstr(out, "\\\"");
			break;
		case '\\':
			strbuf_addstr(out, "\\\\");
			break;
		case '\n':
			strbuf_addstr(out, "\\n");
			break;
		case '\r':
			strbuf_addstr(out, "\\r");
			break;
		case '\t':
			strbuf_addstr(out, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				strbuf_addf(out, "\\u%04x", *p);
			else
				strbuf_addch(out, *p);
		}
	}
	strbuf_addch(out, '"');
}

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
parse_rule(struct bd_entry_doctype *dt, const char *p, const char *source, int line,
	   struct bd_err *err)
{
	struct strbuf word = STRBUF_INIT;
	int terms = 0, rc = -1;

	if (!next_word(&p, &word)) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: sum rule: expected 'sum: total = a + b'",
			   source, line);
		goto cleanup;
	}
	if (rule_field(&dt->screen, word.buf, source, line, err) < 0)
		goto cleanup;
	strbuf_addstr(&dt->rules, dt->rules.len > 1 ? ",{\"target\":" : "{\"target\":");
	bd_entry_json_string(&dt->rules, word.buf);
	strbuf_addstr(&dt->rules, ",\"terms\":[");
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
		if (terms++)
			strbuf_addch(&dt->rules, ',');
		bd_entry_json_string(&dt->rules, word.buf);
		skip_blanks(&p);
		if (*p == '\0' || *p == '\n')
			break;
		if (*p++ != '+') {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s:%d: sum rule: expected '+' between fields", source, line);
			goto cleanup;
		}
	}
	strbuf_addstr(&dt->rules, "]}");
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

	strbuf_addch(&dt->rules, '[');
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
				int rc = parse_rule(dt, copy, source, lineno, err);

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
	strbuf_addch(&dt->rules, ']');
	return 0;
}

/* The rules of field `f` the database checks again on final values
 * (entry.check_values, sql/migrations/031_field_rules.sql): required, its
 * lookup table, check digit, choices, and what bd_field_validate() checks:
 * length (always present: the database reads a version without it from its
 * screen text), upshift, pattern, picture, min and max (in their saved form). */
static void
add_field_rules(struct strbuf *json, const struct bd_field_def *f)
{
	static const char prefix[] = "entry.", suffix[] = "_lookup";
	size_t i, n;

	strbuf_addf(json, ",\"length\":%d", f->length);
	if (f->upshift)
		strbuf_addstr(json, ",\"upshift\":true");
	if (f->pattern) {
		strbuf_addstr(json, ",\"pattern\":");
		bd_entry_json_string(json, f->pattern);
	}
	if (f->picture) {
		strbuf_addstr(json, ",\"picture\":");
		bd_entry_json_string(json, f->picture);
	}
	if (f->has_min) {
		strbuf_addstr(json, ",\"min\":");
		bd_entry_json_string(json, f->min);
	}
	if (f->has_max) {
		strbuf_addstr(json, ",\"max\":");
		bd_entry_json_string(json, f->max);
	}
	if (f->required)
		strbuf_addstr(json, ",\"required\":true");
	/* entry.procedure_lookup reads the lookup table "procedure". */
	n = f->lookup ? strlen(f->lookup) : 0;
	if (n > strlen(prefix) + strlen(suffix) && !strncmp(f->lookup, prefix, strlen(prefix)) &&
	    !strcmp(f->lookup + n - strlen(suffix), suffix)) {
		strbuf_addstr(json, ",\"lookup\":\"");
		strbuf_add(json, f->lookup + strlen(prefix), n - strlen(prefix) - strlen(suffix));
		strbuf_addch(json, '"');
	}
	if (f->check_digit != BD_CHECK_NONE)
		strbuf_addf(json, ",\"check_digit\":\"%s\"",
			    f->check_digit == BD_CHECK_LUHN ? "luhn" : "mod11");
	if (f->type == BD_FIELD_CHOICE) {
		strbuf_addstr(json, ",\"values\":[");
		for (i = 0; i < f->nvalues; i++) {
			if (i)
				strbuf_addch(json, ',');
			bd_entry_json_string(json, f->values[i]);
		}
		strbuf_addch(json, ']');
	}
}

int
bd_entry_doctype_check(struct bd_entry_doctype *dt, const char *text, const char *source,
		       struct bd_err *err)
{
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
	strbuf_addch(&dt->fields, '[');
	for (i = 0; i < dt->screen.nfields; i++) {
		const struct bd_field_def *f = &dt->screen.fields[i];

		if (i)
			strbuf_addch(&dt->fields, ',');
		strbuf_addstr(&dt->fields, "{\"name\":");
		bd_entry_json_string(&dt->fields, f->name);
		strbuf_addstr(&dt->fields, ",\"type\":");
		bd_entry_json_string(&dt->fields, bd_field_type_name(f->type));
		strbuf_addstr(&dt->fields, ",\"label\":");
		bd_entry_json_string(&dt->fields, f->label);
		if (f->type == BD_FIELD_DECIMAL || f->type == BD_FIELD_MONEY)
			strbuf_addf(&dt->fields, ",\"scale\":%d", f->scale);
		add_field_rules(&dt->fields, f);
		strbuf_addch(&dt->fields, '}');
	}
	strbuf_addch(&dt->fields, ']');
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

struct csv_record {
	int line; /* physical line where the record starts */
	char **cells;
	size_t ncells, alloc;
};

static void
record_clear(struct csv_record *r)
{
	size_t i;

	for (i = 0; i < r->ncells; i++)
		free(r->cells[i]);
	r->ncells = 0;
}

static void
record_release(struct csv_record *r)
{
	record_clear(r);
	free(r->cells);
	r->cells = NULL;
	r->alloc = 0;
}

struct csv_reader {
	const char *p, *end;
	int line;
	const char *source;
};

/*
 * Reads the next record into r: 1 when read, 0 at the end of input, -1 on a
 * syntax error (err set). Blank lines are skipped.
 */
static int
csv_next(struct csv_reader *rd, struct csv_record *r, struct bd_err *err)
{
	struct strbuf cell = STRBUF_INIT;
	int rc = -1;

	record_clear(r);
	/* Skip blank lines. */
	while (rd->p < rd->end && (*rd->p == '\n' || *rd->p == '\r')) {
		if (*rd->p == '\n')
			rd->line++;
		rd->p++;
	}
	if (rd->p >= rd->end) {
		rc = 0;
		goto cleanup;
	}
	r->line = rd->line;
	for (;;) {
		bool quoted = false;

		strbuf_reset(&cell);
		if (rd->p < rd->end && *rd->p == '"') {
			quoted = true;
			rd->p++;
			for (;;) {
				if (rd->p >= rd->end) {
					bd_err_set(err, BD_ERR_INVALID,
						   "%s: line %d: a quoted value is not closed",
						   rd->source, r->line);
					goto cleanup;
				}
				if (*rd->p == '"') {
					if (rd->p + 1 < rd->end && rd->p[1] == '"') {
						strbuf_addch(&cell, '"');
						rd->p += 2;
						continue;
					}
					rd->p++;
					break;
				}
				if (*rd->p == '\n')
					rd->line++;
				strbuf_addch(&cell, *rd->p++);
			}
		} else {
			while (rd->p < rd->end && *rd->p != ',' && *rd->p != '\n' &&
			       *rd->p != '\r') {
				if (*rd->p == '"') {
					bd_err_set(err, BD_ERR_INVALID,
						   "%s: line %d: a quote inside an unquoted value "
						   "(quote the whole value and double the quote)",
						   rd->source, rd->line);
					goto cleanup;
				}
				strbuf_addch(&cell, *rd->p++);
			}
		}
		BD_GROW(r->cells, r->ncells + 1, r->alloc);
		r->cells[r->ncells++] = strbuf_detach(&cell, NULL);
		if (rd->p >= rd->end)
			break;
		if (*rd->p == ',') {
			rd->p++;
			continue;
		}
		if (*rd->p == '\r')
			rd->p++;
		if (rd->p < rd->end && *rd->p == '\n') {
			rd->p++;
			rd->line++;
			break;
		}
		if (rd->p >= rd->end)
			break;
		bd_err_set(err, BD_ERR_INVALID, "%s: line %d: text after a closing quote%s",
			   rd->source, rd->line, quoted ? "" : " or a stray carriage return");
		goto cleanup;
	}
	rc = 1;
cleanup:
	strbuf_release(&cell);
	return rc;
}

enum column_kind {
	COL_REF,
	COL_SOURCE,
	COL_FIELD,
};

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
map_header(const struct bd_screen *screen, struct csv_record *hdr, struct column *cols,
	   const char *source, struct bd_err *err)
{
	static const char *const ref_names[] = {"external_ref", "ref", "reference", NULL};
	static const char *const source_names[] = {"source", "source_path", "image", NULL};
	bool have_ref = false, have_source = false;
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
		} else {
			int f = -1;

			for (j = 0; j < screen->nfields; j++)
				if (!strcasecmp(screen->fields[j].name, name))
					f = (int)j;
			if (f < 0) {
				bd_err_set(err, BD_ERR_INVALID,
					   "%s: line %d: unknown column \"%s\": not a field of %s",
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
		bd_err_set(err, BD_ERR_INVALID, "%s: line %d: column \"%s\" appears twice", source,
			   hdr->line, name);
		return -1;
	}
	if (!have_ref) {
		bd_err_set(err, BD_ERR_INVALID, "%s: line %d: no external_ref column in the header",
			   source, hdr->line);
		return -1;
	}
	return 0;
}

/* Refuses invalid UTF-8 and control characters (tab included) in a value. */
static int
check_text(const char *s, const char *what, const char *source, int line, struct bd_err *err)
{
	size_t n = strlen(s), i;

	if (!bd_utf8_valid(s, n)) {
		bd_err_set(err, BD_ERR_INVALID, "%s: line %d: %s is not valid UTF-8", source, line,
			   what);
		return -1;
	}
	for (i = 0; i < n;) {
		uint32_t cp;
		size_t k = bd_utf8_decode(s + i, n - i, &cp);

		if (k == 0)
			k = 1;
		if (bd_cp_is_unsafe(cp) || cp < 0x20 || cp == 0x7f) {
			bd_err_set(err, BD_ERR_INVALID, "%s: line %d: %s holds a control character",
				   source, line, what);
			return -1;
		}
		i += k;
	}
	return 0;
}

static int
add_row(const struct bd_screen *screen, const struct csv_record *r, const struct column *cols,
	const char *source, struct strbuf *json, bool first, struct bd_err *err)
{
	struct strbuf value = STRBUF_INIT;
	struct bd_err ferr = BD_ERR_INIT;
	const char *ref = NULL, *src = NULL;
	bool first_value = true;
	size_t i;
	int rc = -1;

	for (i = 0; i < r->ncells; i++) {
		if (cols[i].kind == COL_REF)
			ref = r->cells[i];
		else if (cols[i].kind == COL_SOURCE)
			src = r->cells[i];
	}
	trim_in_place((char *)ref);
	if (!*ref) {
		bd_err_set(err, BD_ERR_INVALID, "%s: line %d: the external reference is empty",
			   source, r->line);
		goto cleanup;
	}
	if (bd_chars_count(ref) > 100) {
		bd_err_set(err, BD_ERR_INVALID,
			   "%s: line %d: the external reference is longer than 100 characters",
			   source, r->line);
		goto cleanup;
	}
	if (check_text(ref, "the external reference", source, r->line, err) < 0)
		goto cleanup;
	if (src) {
		trim_in_place((char *)src);
		if (check_text(src, "the source path", source, r->line, err) < 0)
			goto cleanup;
	}
	strbuf_addf(json, "%s{\"line\":%d,\"ref\":", first ? "" : ",", r->line);
	bd_entry_json_string(json, ref);
	if (src && *src) {
		strbuf_addstr(json, ",\"source\":");
		bd_entry_json_string(json, src);
	}
	strbuf_addstr(json, ",\"values\":{");
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
			bd_err_set(err, BD_ERR_INVALID, "%s: line %d: %s", source, r->line,
				   ferr.msg);
			goto cleanup;
		}
		if (!value.len)
			continue;
		if (!first_value)
			strbuf_addch(json, ',');
		first_value = false;
		bd_entry_json_string(json, f->name);
		strbuf_addch(json, ':');
		bd_entry_json_string(json, value.buf);
	}
	strbuf_addstr(json, "}}");
	rc = 0;
cleanup:
	strbuf_release(&value);
	return rc;
}

int
bd_entry_csv_rows(const struct bd_screen *screen, const char *csv, size_t len, const char *source,
		  struct strbuf *json, size_t *rows, struct bd_err *err)
{
	struct csv_reader rd = {csv, csv + len, 1, source};
	struct csv_record hdr = {0}, rec = {0};
	struct column *cols = NULL;
	size_t n = 0, start = json->len;
	int got, rc = -1;

	if (memchr(csv, '\0', len)) {
		bd_err_set(err, BD_ERR_INVALID, "%s: not a text file", source);
		goto cleanup;
	}
	if (len >= 3 && !memcmp(csv, "\xef\xbb\xbf", 3))
		rd.p += 3;
	got = csv_next(&rd, &hdr, err);
	if (got < 0)
		goto cleanup;
	if (got == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s: the file is empty", source);
		goto cleanup;
	}
	cols = xcalloc(hdr.ncells, sizeof(*cols));
	if (map_header(screen, &hdr, cols, source, err) < 0)
		goto cleanup;
	strbuf_addch(json, '[');
	while ((got = csv_next(&rd, &rec, err)) > 0) {
		if (rec.ncells != hdr.ncells) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s: line %d: %zu values, but the header has %zu columns",
				   source, rec.line, rec.ncells, hdr.ncells);
			goto cleanup;
		}
		if (add_row(screen, &rec, cols, source, json, n == 0, err) < 0)
			goto cleanup;
		n++;
	}
	if (got < 0)
		goto cleanup;
	if (n == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s: the file has no documents, only a header",
			   source);
		goto cleanup;
	}
	strbuf_addch(json, ']');
	if (rows)
		*rows = n;
	rc = 0;
cleanup:
	if (rc < 0)
		strbuf_setlen(json, start);
	free(cols);
	record_release(&hdr);
	record_release(&rec);
	return rc;
}

int
bd_entry_batch_import(struct bd_db *db, const struct bd_entry_import *imp, const char *csv,
		      size_t len, const char *source, long long *batch_id, size_t *rows,
		      struct bd_err *err)
{
	struct bd_db_result *res = NULL, *dt = NULL;
	struct bd_screen screen;
	struct strbuf json = STRBUF_INIT;
	char priority[16];
	size_t n = 0;
	int rc = -1;

	bd_screen_init(&screen);
	dt = bd_db_query(db, "entry.doctype_current", BD_PARAMS(imp->client, imp->doctype), err);
	if (!dt)
		goto cleanup;
	if (bd_db_result_rows(dt) == 0) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "Unknown document type %s for client %s",
			   imp->doctype, imp->client);
		goto cleanup;
	}
	if (bd_screen_parse(&screen, bd_db_result_get(dt, 0, bd_db_result_col(dt, "screen")),
			    imp->doctype, err) < 0)
		goto cleanup;
	if (bd_entry_csv_rows(&screen, csv, len, source, &json, &n, err) < 0)
		goto cleanup;
	snprintf(priority, sizeof(priority), "%d", imp->priority);
	res = bd_db_query(db, "entry.batch_import",
			  BD_PARAMS(imp->client, imp->doctype, imp->mode, priority, imp->sla_hours,
				    imp->name, json.buf),
			  err);
	if (!res)
		goto cleanup;
	if (batch_id)
		*batch_id = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	if (rows)
		*rows = n;
	rc = 0;
cleanup:
	bd_db_result_free(res);
	bd_db_result_free(dt);
	bd_screen_release(&screen);
	strbuf_release(&json);
	return rc;
}

/* --- export ------------------------------------------------------------ */

static void
csv_cell(struct strbuf *out, const char *s, bool first)
{
	size_t n = strlen(s);
	bool quote = n > 0 && (strpbrk(s, ",\"\r\n") || isspace((unsigned char)s[0]) ||
			       isspace((unsigned char)s[n - 1]));

	if (!first)
		strbuf_addch(out, ',');
	if (!quote) {
		strbuf_add(out, s, n);
		return;
	}
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

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
	for (k = 0; k < sizeof(head) / sizeof(*head); k++)
		csv_cell(&sb, head[k], k == 0);
	for (i = 0; i < nfields; i++)
		csv_cell(&sb, bd_db_result_get(fields, i, 0), false);
	strbuf_addstr(&sb, "\r\n");
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

		csv_cell(&sb, bd_db_result_get(vals, i, c_ref), true);
		csv_cell(&sb, bd_db_result_get(vals, i, c_src), false);
		csv_cell(&sb, bd_db_result_get(vals, i, c_status), false);
		csv_cell(&sb, bd_db_result_get(vals, i, c_reason), false);
		csv_cell(&sb, bd_db_result_get(vals, i, c_note), false);
		for (j = 0; j < nfields; j++) {
			if (strcmp(bd_db_result_get(vals, i + j, c_doc),
				   bd_db_result_get(vals, i, c_doc))) {
				bd_err_set(err, BD_ERR_INTERNAL,
					   "The export of batch %s is inconsistent", batch_id);
				goto cleanup;
			}
			csv_cell(&sb, bd_db_result_get(vals, i + j, c_val), false);
		}
		strbuf_addstr(&sb, "\r\n");
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

static void
json_member(struct strbuf *sb, const char *name, const struct bd_db_result *res, int row,
	    const char *col)
{
	int c = bd_db_result_col(res, col);

	strbuf_addch(sb, ',');
	bd_entry_json_string(sb, name);
	strbuf_addch(sb, ':');
	if (bd_db_result_isnull(res, row, c))
		strbuf_addstr(sb, "null");
	else
		bd_entry_json_string(sb, bd_db_result_get(res, row, c));
}

static int
export_json(struct bd_db *db, const char *batch_id, FILE *out, size_t *count, struct bd_err *err)
{
	struct bd_db_result *docs;
	struct strbuf sb = STRBUF_INIT;
	int i, n, rc = -1;

	docs = bd_db_query(db, "entry.batch_export", BD_PARAMS(batch_id), err);
	if (!docs)
		goto cleanup;
	n = bd_db_result_rows(docs);
	strbuf_addch(&sb, '[');
	for (i = 0; i < n; i++) {
		strbuf_addstr(&sb, i ? ",\n  {" : "\n  {");
		bd_entry_json_string(&sb, "external_ref");
		strbuf_addch(&sb, ':');
		bd_entry_json_string(
		    &sb, bd_db_result_get(docs, i, bd_db_result_col(docs, "external_ref")));
		json_member(&sb, "source_path", docs, i, "source_path");
		json_member(&sb, "status", docs, i, "status");
		json_member(&sb, "reject_reason", docs, i, "reject_reason");
		json_member(&sb, "reject_note", docs, i, "reject_note");
		/* jsonb output is JSON already. */
		strbuf_addstr(&sb, ",\"values\":");
		strbuf_addstr(&sb, bd_db_result_get(docs, i, bd_db_result_col(docs, "values")));
		strbuf_addch(&sb, '}');
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
