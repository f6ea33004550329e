/* Rules across fields: parsing, the form engine's check, the database's JSON
 * (see rules.h). */
#include "backdesk/rules.h"
#include "backdesk/date.h"
#include "backdesk/form.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"
#include "forms_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_FIELD ((size_t)-1)

/* A name of a rule: a field (grid < 0) or a grid column. */
struct ref {
	int grid; /* -1: the field `field`; else grid index, column `col` */
	size_t field, col;
};

struct rtok {
	char kind;     /* 'w' word, 'o' operator, 'q' quoted, 0 end */
	char text[64]; /* an operator: 1 or 2 characters and a NUL */
};

__attribute__((format(printf, 4, 5))) static int
rfail(struct bd_err *err, const char *source, int line, const char *fmt, ...)
{
	char reason[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	bd_err_set(err, BD_ERR_INVALID, "%s:%d: rule: %s", source, line, reason);
	return -1;
}

/* Splits a rule into words, operators and one 'quoted' value. */
static int
tokenize(const char *s, struct rtok *toks, size_t cap, size_t *n)
{
	*n = 0;
	while (*s) {
		struct rtok *t;
		size_t len = 0;

		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		if (*n + 1 >= cap)
			return -1;
		t = &toks[(*n)++];
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_') {
			t->kind = 'w';
			while (((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				(*s >= '0' && *s <= '9') || *s == '_') &&
			       len + 1 < sizeof(t->text))
				t->text[len++] = *s++;
		} else if (*s == '\'') {
			t->kind = 'q';
			for (s++; *s && *s != '\''; s++) {
				if (len + 1 >= sizeof(t->text))
					return -1;
				t->text[len++] = *s;
			}
			if (*s != '\'')
				return -1;
			s++;
		} else if (strchr("=!<>", *s)) {
			t->kind = 'o';
			t->text[len++] = *s++;
			if (*s == '=')
				t->text[len++] = *s++;
			if (len == 1 && t->text[0] == '!')
				return -1;
		} else {
			return -1;
		}
		t->text[len] = '\0';
	}
	toks[*n].kind = 0;
	toks[*n].text[0] = '\0';
	return 0;
}

static bool
resolve(const struct bd_screen *screen, const char *name, struct ref *r)
{
	int i = bd_screen_field_index(screen, name);
	char cell[80];

	if (i >= 0) {
		r->grid = -1;
		r->field = (size_t)i;
		return true;
	}
	snprintf(cell, sizeof(cell), "%s1", name);
	i = bd_screen_field_index(screen, cell);
	if (i < 0 || !screen->fields[i].grid || screen->fields[i].grid_line != 0)
		return false;
	r->grid = screen->fields[i].grid - 1;
	r->col = (size_t)screen->fields[i].grid_col;
	r->field = (size_t)i;
	return true;
}

/* The field a name stands for on line `line` of its grid. */
static size_t
at_line(const struct bd_screen *screen, const struct ref *r, size_t line)
{
	if (r->grid < 0)
		return r->field;
	return (size_t)bd_screen_cell(screen, (size_t)r->grid, line, r->col);
}

static bool
is_numeric(enum bd_field_type t)
{
	return t == BD_FIELD_INTEGER || t == BD_FIELD_DECIMAL || t == BD_FIELD_MONEY;
}

/* Whether fields a and b may be compared. */
static bool
comparable(const struct bd_field_def *a, const struct bd_field_def *b)
{
	if (a->type == BD_FIELD_DATE || b->type == BD_FIELD_DATE)
		return a->type == b->type;
	if (is_numeric(a->type) || is_numeric(b->type))
		return is_numeric(a->type) && is_numeric(b->type) &&
		       (a->type == BD_FIELD_INTEGER ? 0 : a->scale) ==
			   (b->type == BD_FIELD_INTEGER ? 0 : b->scale);
	return true;
}

static void
add_rule(struct bd_screen *screen, const struct bd_rule *r, const size_t *fields, size_t n)
{
	struct bd_rule *d;

	screen->rules = xrealloc(screen->rules, (screen->nrules + 1) * sizeof(*screen->rules));
	d = &screen->rules[screen->nrules++];
	*d = *r;
	d->fields = xmalloc(n * sizeof(*fields));
	memcpy(d->fields, fields, n * sizeof(*fields));
	d->nfields = n;
	d->value = r->value ? xstrdup(r->value) : NULL;
}

static int
parse_one(struct bd_screen *screen, const char *text, int line, const char *source,
	  struct bd_err *err)
{
	struct rtok t[40];
	struct ref refs[32];
	size_t nt, nrefs = 0, i, lines = 1, line_no, ptr_target = NO_FIELD;
	int grid = -1;
	struct bd_rule r;
	size_t fields[1000];

	memset(&r, 0, sizeof(r));
	r.line = line;
	if (tokenize(text, t, NELEM(t), &nt) < 0 || nt < 2)
		return rfail(err, source, line, "cannot read \"%s\"", text);
	if (!strcmp(t[0].text, "required") && t[0].kind == 'w') {
		r.kind = BD_RULE_REQUIRED_IF;
		if (nt < 4 || t[1].kind != 'w' || strcmp(t[2].text, "if") || t[3].kind != 'w' ||
		    (nt != 4 && (nt != 6 || strcmp(t[4].text, "=") || t[5].kind != 'q')))
			return rfail(err, source, line,
				     "expected \"required FIELD if FIELD\" or \"... = 'VALUE'\"");
		if (nt == 6)
			r.value = t[5].text;
		if (!resolve(screen, t[1].text, &refs[0]) || !resolve(screen, t[3].text, &refs[1]))
			return rfail(err, source, line, "no field '%s'",
				     resolve(screen, t[1].text, &refs[0]) ? t[3].text : t[1].text);
		nrefs = 2;
	} else if (!strcmp(t[0].text, "all_or_none") && t[0].kind == 'w') {
		r.kind = BD_RULE_ALL_OR_NONE;
		if (nt < 3 || nt - 1 > NELEM(refs))
			return rfail(err, source, line, "all_or_none names 2-%zu fields",
				     NELEM(refs));
		for (i = 1; i < nt; i++) {
			if (t[i].kind != 'w' || !resolve(screen, t[i].text, &refs[nrefs++]))
				return rfail(err, source, line, "no field '%s'", t[i].text);
		}
	} else if (!strcmp(t[0].text, "pointer") && t[0].kind == 'w') {
		struct ref target;

		r.kind = BD_RULE_POINTER;
		if (nt != 4 || t[1].kind != 'w' || strcmp(t[2].text, "to") || t[3].kind != 'w')
			return rfail(err, source, line, "expected \"pointer FIELD to COLUMN\"");
		if (!resolve(screen, t[1].text, &refs[0]))
			return rfail(err, source, line, "no field '%s'", t[1].text);
		if (!resolve(screen, t[3].text, &target) || target.grid < 0)
			return rfail(err, source, line, "'%s' is not a grid column", t[3].text);
		if (screen->grids[target.grid].rows > 26)
			return rfail(err, source, line, "a pointer names at most 26 lines (A-Z)");
		nrefs = 1;
		ptr_target = (size_t)target.grid;
		refs[1] = target;
	} else {
		r.kind = BD_RULE_COMPARE;
		if (nt != 3 || t[0].kind != 'w' || t[1].kind != 'o' || t[2].kind != 'w')
			return rfail(err, source, line,
				     "expected \"FIELD OP FIELD\" (OP: = != < <= > >=), "
				     "\"required ...\", \"all_or_none ...\" or \"pointer ...\"");
		if (!strcmp(t[1].text, "==") || !strcmp(t[1].text, "=<") ||
		    !strcmp(t[1].text, "=>"))
			return rfail(err, source, line, "unknown operator '%s'", t[1].text);
		memcpy(r.op, t[1].text, 3); /* an operator is 1 or 2 characters */
		if (!resolve(screen, t[0].text, &refs[0]))
			return rfail(err, source, line, "no field '%s'", t[0].text);
		nrefs = 1;
		if (strcmp(t[2].text, "today")) {
			if (!resolve(screen, t[2].text, &refs[1]))
				return rfail(err, source, line, "no field '%s'", t[2].text);
			nrefs = 2;
			if (!comparable(&screen->fields[refs[0].field],
					&screen->fields[refs[1].field]))
				return rfail(err, source, line,
					     "'%s' and '%s' are not of one type (dates, whole "
					     "numbers, amounts of one scale or text)",
					     t[0].text, t[2].text);
		} else if (screen->fields[refs[0].field].type != BD_FIELD_DATE) {
			return rfail(err, source, line, "only a date compares with today");
		}
	}
	for (i = 0; i < nrefs; i++) {
		if (refs[i].grid < 0)
			continue;
		if (grid >= 0 && refs[i].grid != grid)
			return rfail(err, source, line, "a rule's columns are of one grid");
		grid = refs[i].grid;
	}
	if (grid >= 0)
		lines = (size_t)screen->grids[grid].rows;
	for (line_no = 0; line_no < lines; line_no++) {
		size_t n = 0;

		for (i = 0; i < nrefs; i++)
			fields[n++] = at_line(screen, &refs[i], line_no);
		if (ptr_target != NO_FIELD)
			for (i = 0; i < (size_t)screen->grids[ptr_target].rows; i++)
				fields[n++] = at_line(screen, &refs[1], i);
		add_rule(screen, &r, fields, n);
	}
	return 0;
}

int
bd_rules_parse(struct bd_screen *screen, const char *const *texts, const int *lines, size_t n,
	       const char *source, struct bd_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (parse_one(screen, texts[i], lines[i], source, err) < 0)
			return -1;
	return 0;
}

void
bd_rules_release(struct bd_screen *screen)
{
	for (size_t i = 0; i < screen->nrules; i++) {
		free(screen->rules[i].fields);
		free(screen->rules[i].value);
	}
	free(screen->rules);
	screen->rules = NULL;
	screen->nrules = 0;
}

static const char *
kind_name(enum bd_rule_kind k)
{
	switch (k) {
	case BD_RULE_COMPARE:
		return "compare";
	case BD_RULE_REQUIRED_IF:
		return "required_if";
	case BD_RULE_ALL_OR_NONE:
		return "all_or_none";
	case BD_RULE_POINTER:
		return "pointer";
	}
	return "";
}

void
bd_rules_json(const struct bd_screen *screen, struct bd_json *j)
{
	size_t i, k;

	for (i = 0; i < screen->nrules; i++) {
		const struct bd_rule *r = &screen->rules[i];
		const struct bd_field_def *a = &screen->fields[r->fields[0]];

		bd_json_begin_object(j);
		bd_json_key(j, "kind");
		bd_json_str(j, kind_name(r->kind));
		bd_json_key(j, "target");
		bd_json_str(j, a->name);
		bd_json_key(j, "terms");
		bd_json_begin_array(j);
		for (k = 1; k < r->nfields; k++)
			bd_json_str(j, screen->fields[r->fields[k]].name);
		bd_json_end_array(j);
		if (r->kind == BD_RULE_COMPARE) {
			bd_json_key(j, "op");
			bd_json_str(j, r->op);
			bd_json_key(j, "cmp");
			bd_json_str(j, is_numeric(a->type)	  ? "num"
				       : a->type == BD_FIELD_DATE ? "date"
								  : "text");
		}
		if (r->value) {
			bd_json_key(j, "value");
			bd_json_str(j, r->value);
		}
		bd_json_end_object(j);
	}
	/* A grid's required column: a cell is required when its line is not empty. */
	for (i = 0; i < screen->nfields; i++) {
		const struct bd_field_def *f = &screen->fields[i];
		const struct bd_grid *g;
		size_t first;

		if (!f->line_required)
			continue;
		g = &screen->grids[f->grid - 1];
		first = i - (size_t)f->grid_col;
		bd_json_begin_object(j);
		bd_json_key(j, "kind");
		bd_json_str(j, "line_required");
		bd_json_key(j, "target");
		bd_json_str(j, f->name);
		bd_json_key(j, "terms");
		bd_json_begin_array(j);
		for (k = 0; k < g->ncolumns; k++)
			if (first + k != i)
				bd_json_str(j, screen->fields[first + k].name);
		bd_json_end_array(j);
		bd_json_end_object(j);
	}
}

/* ---- the check ---------------------------------------------------------- */

static bool
filled(const struct bd_form *form, size_t i)
{
	return *form->values[i] != '\0';
}

/* The saved form of field i's value into out; false when it has none. */
static bool
saved(const struct bd_form *form, size_t i, struct strbuf *out)
{
	strbuf_reset(out);
	return bd_field_normalize(&form->screen->fields[i], form->values[i], out, NULL) == 0 &&
	       out->len > 0;
}

static const char *
op_words(const char *op, bool date)
{
	static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">="};
	static const char *const dates[] = {"the same as",  "different from", "before",
					    "on or before", "after",	      "on or after"};
	static const char *const nums[] = {"equal to", "different from", "less than",
					   "at most",  "more than",	 "at least"};

	for (size_t i = 0; i < NELEM(ops); i++)
		if (!strcmp(op, ops[i]))
			return date ? dates[i] : nums[i];
	return op;
}

static int
check_compare(const struct bd_form *form, const struct bd_rule *r, struct bd_err *err)
{
	const struct bd_field_def *a = &form->screen->fields[r->fields[0]];
	struct strbuf va = STRBUF_INIT, vb = STRBUF_INIT;
	int c, rc = 0;
	bool ok;

	if (!saved(form, r->fields[0], &va))
		goto done;
	if (r->nfields > 1) {
		if (!saved(form, r->fields[1], &vb))
			goto done;
	} else {
		struct bd_date d;
		char iso[BD_DATE_ISO_LEN + 1];

		if (bd_date_today(&d, NULL) < 0)
			goto done;
		bd_date_to_iso(&d, iso);
		strbuf_addstr(&vb, iso);
	}
	c = bd_field_compare_saved(a, va.buf, vb.buf);
	if (!strcmp(r->op, "="))
		ok = c == 0;
	else if (!strcmp(r->op, "!="))
		ok = c != 0;
	else if (!strcmp(r->op, "<"))
		ok = c < 0;
	else if (!strcmp(r->op, "<="))
		ok = c <= 0;
	else if (!strcmp(r->op, ">"))
		ok = c > 0;
	else
		ok = c >= 0;
	if (!ok) {
		bd_err_set(err, BD_ERR_INVALID, "%s must be %s %s", bd_field_title(a),
			   op_words(r->op, a->type == BD_FIELD_DATE),
			   r->nfields > 1 ? bd_field_title(&form->screen->fields[r->fields[1]])
					  : "today");
		rc = -1;
	}
done:
	strbuf_release(&va);
	strbuf_release(&vb);
	return rc;
}

static int
check_pointer(const struct bd_form *form, const struct bd_rule *r, struct bd_err *err)
{
	const struct bd_field_def *a = &form->screen->fields[r->fields[0]];
	struct strbuf v = STRBUF_INIT;
	size_t n = r->nfields - 1;
	int rc = 0;

	if (!saved(form, r->fields[0], &v))
		goto done;
	for (const char *s = v.buf; *s; s++) {
		size_t k = (size_t)(*s - 'A');

		if (*s < 'A' || *s > 'Z' || k >= n) {
			bd_err_set(err, BD_ERR_INVALID, "%s must be letters A to %c",
				   bd_field_title(a), (char)('A' + n - 1));
			rc = -1;
			break;
		}
		if (!filled(form, r->fields[1 + k])) {
			bd_err_set(err, BD_ERR_INVALID, "%s: %c points at %s, which is empty",
				   bd_field_title(a), *s,
				   bd_field_title(&form->screen->fields[r->fields[1 + k]]));
			rc = -1;
			break;
		}
	}
done:
	strbuf_release(&v);
	return rc;
}

static int
check_one(const struct bd_form *form, const struct bd_rule *r, size_t *bad, struct bd_err *err)
{
	const struct bd_field_def *fields = form->screen->fields;
	size_t i;

	*bad = r->fields[0];
	switch (r->kind) {
	case BD_RULE_COMPARE:
		return check_compare(form, r, err);
	case BD_RULE_POINTER:
		return check_pointer(form, r, err);
	case BD_RULE_REQUIRED_IF:
		if (filled(form, r->fields[0]) || !filled(form, r->fields[1]))
			return 0;
		if (r->value) {
			struct strbuf v = STRBUF_INIT;
			bool eq = saved(form, r->fields[1], &v) && !strcmp(v.buf, r->value);

			strbuf_release(&v);
			if (!eq)
				return 0;
			bd_err_set(err, BD_ERR_INVALID, "%s is required when %s is %s",
				   bd_field_title(&fields[r->fields[0]]),
				   bd_field_title(&fields[r->fields[1]]), r->value);
			return -1;
		}
		bd_err_set(err, BD_ERR_INVALID, "%s is required when %s is filled in",
			   bd_field_title(&fields[r->fields[0]]),
			   bd_field_title(&fields[r->fields[1]]));
		return -1;
	case BD_RULE_ALL_OR_NONE: {
		size_t some = NO_FIELD, none = NO_FIELD;

		for (i = 0; i < r->nfields; i++) {
			if (filled(form, r->fields[i]) && some == NO_FIELD)
				some = r->fields[i];
			if (!filled(form, r->fields[i]) && none == NO_FIELD)
				none = r->fields[i];
		}
		if (some == NO_FIELD || none == NO_FIELD)
			return 0;
		*bad = none;
		bd_err_set(err, BD_ERR_INVALID, "%s is required when %s is filled in",
			   bd_field_title(&fields[none]), bd_field_title(&fields[some]));
		return -1;
	}
	}
	return 0;
}

int
bd_rules_check(const struct bd_form *form, size_t only, size_t *bad, struct bd_err *err)
{
	for (size_t i = 0; i < form->screen->nrules; i++) {
		const struct bd_rule *r = &form->screen->rules[i];
		size_t blamed;

		if (only != NO_FIELD && (r->fields[0] != only || (r->kind != BD_RULE_COMPARE &&
								  r->kind != BD_RULE_POINTER)))
			continue;
		if (check_one(form, r, &blamed, err) < 0) {
			if (bad)
				*bad = blamed;
			return -1;
		}
	}
	return 0;
}
