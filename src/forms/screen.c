/*
 * Screen files: libconfig text -> struct bd_screen, validated. See screen.h.
 *
 * Attributes are read through tables (name, kind, offset into the struct),
 * so an unknown attribute, a wrong value type and the line of every setting
 * are handled in one place.
 */
#include "backdesk/screen.h"
#include "backdesk/embedded.h"
#include "backdesk/money.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "forms_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <libconfig.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNSET INT_MIN

enum attr_kind {
	ATTR_STRING,
	ATTR_INT,
	ATTR_BOOL,
	ATTR_SCALAR,  /* string, integer (or bool): stored as a string */
	ATTR_STRINGS, /* array or list of strings */
	ATTR_LIST,    /* list of groups, handled by the caller */
};

struct attr {
	const char *name;
	enum attr_kind kind;
	size_t offset; /* into the target struct; unused for ATTR_LIST */
};

#define MAX_ATTRS 32

struct parse {
	const char *source;
	struct bd_err *err;
};

__attribute__((format(printf, 3, 4))) static int
fail(struct parse *p, int line, const char *fmt, ...)
{
	char reason[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	bd_err_set(p->err, BD_ERR_INVALID, "%s:%d: %s", p->source, line, reason);
	return -1;
}

static int
line_of(const config_setting_t *s)
{
	return (int)config_setting_source_line(s);
}

static int
dup_string(struct parse *p, const config_setting_t *s, char **out)
{
	const char *v = config_setting_get_string(s);

	if (!bd_utf8_valid(v, strlen(v)))
		return fail(p, line_of(s), "'%s' is not valid UTF-8", config_setting_name(s));
	free(*out);
	*out = xstrdup(v);
	return 0;
}

/*
 * Reads every member of `group` into `base` according to `table`. lines[i]
 * gets the line of table[i]'s setting (0 when absent); lists[i] the setting
 * itself for ATTR_LIST entries.
 */
static int
read_group(struct parse *p, const config_setting_t *group, const struct attr *table, size_t ntable,
	   void *base, int *lines, config_setting_t **lists, const char *what)
{
	int i, count = config_setting_length(group);

	if (!config_setting_is_group(group))
		return fail(p, line_of(group), "%s must be a group { ... }", what);
	for (i = 0; i < count; i++) {
		config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		int type = config_setting_type(s), line = line_of(s);
		size_t t;
		char *at;

		for (t = 0; t < ntable; t++)
			if (!strcmp(table[t].name, name))
				break;
		if (t == ntable)
			return fail(p, line, "unknown attribute '%s' in %s", name, what);
		lines[t] = line;
		at = (char *)base + table[t].offset;
		switch (table[t].kind) {
		case ATTR_STRING:
			if (type != CONFIG_TYPE_STRING)
				return fail(p, line, "'%s' must be a string", name);
			if (dup_string(p, s, (char **)(void *)at) < 0)
				return -1;
			break;
		case ATTR_INT: {
			long long v;
			if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
				return fail(p, line, "'%s' must be a whole number", name);
			v = config_setting_get_int64(s);
			if (v < -10000 || v > 10000)
				return fail(p, line, "'%s' is out of range", name);
			*(int *)(void *)at = (int)v;
			break;
		}
		case ATTR_BOOL:
			if (type != CONFIG_TYPE_BOOL)
				return fail(p, line, "'%s' must be true or false", name);
			*(bool *)(void *)at = config_setting_get_bool(s) != 0;
			break;
		case ATTR_SCALAR: {
			char **sp = (char **)(void *)at;
			char buf[32];
			if (type == CONFIG_TYPE_STRING) {
				if (dup_string(p, s, sp) < 0)
					return -1;
				break;
			}
			if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)
				snprintf(buf, sizeof(buf), "%lld", config_setting_get_int64(s));
			else if (type == CONFIG_TYPE_BOOL)
				snprintf(buf, sizeof(buf), "%s",
					 config_setting_get_bool(s) ? "Y" : "N");
			else if (type == CONFIG_TYPE_FLOAT)
				return fail(p, line,
					    "write '%s' as a string (\"0.01\"): numbers with a "
					    "point are not exact",
					    name);
			else
				return fail(p, line, "'%s' must be a string or a number", name);
			free(*sp);
			*sp = xstrdup(buf);
			break;
		}
		case ATTR_STRINGS:
		case ATTR_LIST:
			if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST)
				return fail(p, line, "'%s' must be a list", name);
			lists[t] = s;
			break;
		}
	}
	return 0;
}

static size_t
attr_index(const struct attr *table, size_t ntable, const char *name)
{
	size_t t;

	for (t = 0; t < ntable; t++)
		if (!strcmp(table[t].name, name))
			return t;
	bd_die("screen.c: no attribute %s", name);
}

/* ---- fields ------------------------------------------------------------ */

/* Raw strings read before they are mapped onto the definition. */
struct field_raw {
	struct bd_field_def def;
	char *type;
	char *check_digit;
	char *date_order;
	char *two_digit_years;
	char *zone;
	bool in_grid; /* a grid's column */
};

#define FA(n, k, m)                                                                                \
	{                                                                                          \
		n, k, offsetof(struct field_raw, m)                                                \
	}
static const struct attr field_attrs[] = {
    FA("name", ATTR_STRING, def.name),
    FA("label", ATTR_STRING, def.label),
    FA("help", ATTR_STRING, def.help),
    FA("type", ATTR_STRING, type),
    FA("row", ATTR_INT, def.row),
    FA("col", ATTR_INT, def.col),
    FA("input_col", ATTR_INT, def.input_col),
    FA("width", ATTR_INT, def.width),
    FA("length", ATTR_INT, def.length),
    FA("required", ATTR_BOOL, def.required),
    FA("upshift", ATTR_BOOL, def.upshift),
    FA("auto_advance", ATTR_BOOL, def.auto_advance),
    FA("dup", ATTR_BOOL, def.dup),
    FA("readonly", ATTR_BOOL, def.readonly),
    FA("pattern", ATTR_STRING, def.pattern),
    FA("picture", ATTR_STRING, def.picture),
    FA("min", ATTR_SCALAR, def.min),
    FA("max", ATTR_SCALAR, def.max),
    FA("scale", ATTR_INT, def.scale),
    FA("values", ATTR_STRINGS, def.values),
    FA("check_digit", ATTR_STRING, check_digit),
    FA("date_order", ATTR_STRING, date_order),
    FA("two_digit_years", ATTR_STRING, two_digit_years),
    FA("default", ATTR_SCALAR, def.default_value),
    FA("lookup", ATTR_STRING, def.lookup),
    FA("codes", ATTR_STRING, def.codes),
    FA("zone", ATTR_STRING, zone),
};
#define NFIELD_ATTRS (sizeof(field_attrs) / sizeof(field_attrs[0]))
#define FLINE(name) lines[attr_index(field_attrs, NFIELD_ATTRS, name)]

static void
field_release(struct bd_field_def *f)
{
	size_t i;

	free(f->name);
	free(f->label);
	free(f->help);
	if (f->pattern)
		regfree(&f->regex);
	free(f->pattern);
	free(f->picture);
	free(f->min);
	free(f->max);
	for (i = 0; i < f->nvalues; i++)
		free(f->values[i]);
	free(f->values);
	free(f->default_value);
	free(f->lookup);
	free(f->codes);
	free(f->check_spec);
	memset(f, 0, sizeof(*f));
}

static int
read_values(struct parse *p, struct bd_field_def *f, const config_setting_t *list)
{
	int i, count = config_setting_length(list);

	f->values = xcalloc((size_t)count + 1, sizeof(*f->values));
	for (i = 0; i < count; i++) {
		const config_setting_t *v = config_setting_get_elem(list, (unsigned)i);
		const char *s;

		if (config_setting_type(v) != CONFIG_TYPE_STRING)
			return fail(p, line_of(list), "choice values must be strings");
		s = config_setting_get_string(v);
		if (!*s || !bd_utf8_valid(s, strlen(s)))
			return fail(p, line_of(list), "choice values must be non-empty text");
		f->values[f->nvalues++] = xstrdup(s);
	}
	return 0;
}

/* zone = "X Y W H" (a grid column: "X Y W H DY"); see field.h. */
static int
parse_zone(struct parse *p, struct bd_field_def *f, const char *text, int line, bool in_grid)
{
	double v[5];
	const char *s = text;
	char *end;
	int n = 0, i;
	bool fractions = true;

	while (n < 5) {
		while (*s == ' ' || *s == ',')
			s++;
		if (!*s)
			break;
		v[n] = strtod(s, &end);
		if (end == s || !(v[n] >= 0) || v[n] > 100000)
			break;
		n++;
		s = end;
	}
	while (*s == ' ')
		s++;
	if (*s || n < 4 || (n == 5 && !in_grid))
		return fail(p, line,
			    "field '%s': zone is \"X Y W H\" (on a grid column \"X Y W H DY\"): "
			    "fractions of the page (0 to 1) or its pixels",
			    f->name);
	for (i = 0; i < n; i++)
		if (v[i] > 1)
			fractions = false;
	if (v[2] <= 0 || v[3] <= 0 || (fractions && (v[0] + v[2] > 1.0001 || v[1] + v[3] > 1.0001)))
		return fail(p, line, "field '%s': the zone is empty or leaves the page", f->name);
	f->has_zone = true;
	f->zone_pixels = !fractions;
	for (i = 0; i < 4; i++)
		f->zone[i] = v[i];
	f->zone_step = n == 5 ? v[4] : 0;
	return 0;
}

static int
default_width(const struct bd_field_def *f)
{
	size_t i;
	int w = 1;

	if (f->picture)
		return (int)strlen(f->picture);
	switch (f->type) {
	case BD_FIELD_INTEGER:
		return 9;
	case BD_FIELD_DECIMAL:
	case BD_FIELD_MONEY:
		return 12;
	case BD_FIELD_DATE:
		return 10;
	case BD_FIELD_FLAG:
		return 1;
	case BD_FIELD_CHOICE:
		for (i = 0; i < f->nvalues; i++) {
			int vw = bd_text_width(f->values[i], strlen(f->values[i]));
			if (vw > w)
				w = vw;
		}
		return w;
	case BD_FIELD_TEXT:
	case BD_FIELD_LOOKUP:
		break;
	}
	return UNSET;
}

static bool
numeric_type(enum bd_field_type t)
{
	return t == BD_FIELD_INTEGER || t == BD_FIELD_DECIMAL || t == BD_FIELD_MONEY ||
	       t == BD_FIELD_DATE;
}

static int
parse_bound(struct parse *p, struct bd_field_def *f, char **text, int64_t *num, bool *has, int line,
	    const char *what)
{
	char *norm = NULL;

	if (!*text)
		return 0;
	if (!numeric_type(f->type))
		return fail(p, line, "field '%s': %s is only for integer, decimal, money and date",
			    f->name, what);
	if (bd_field_parse_bound(f, *text, num, &norm) < 0)
		return fail(p, line, "field '%s': %s \"%s\" is not a valid %s", f->name, what,
			    *text, bd_field_type_name(f->type));
	free(*text);
	*text = norm;
	*has = true;
	return 0;
}

/* Everything about one field that does not depend on the others. */
/* Sets f's date order and two-digit years from their text (either NULL:
 * unchanged). */
static int
date_rule(struct parse *p, const char *order, const char *years, struct bd_field_def *f, int line)
{
	if (order) {
		if (!strcmp(order, "dmy"))
			f->date_order = BD_DATE_DMY;
		else if (!strcmp(order, "mdy"))
			f->date_order = BD_DATE_MDY;
		else
			return fail(p, line, "date_order is \"dmy\" or \"mdy\", not \"%s\"", order);
	}
	if (years) {
		if (!strcmp(years, "refuse"))
			f->two_digit_years = BD_YEARS_REFUSE;
		else if (!strcmp(years, "past"))
			f->two_digit_years = BD_YEARS_PAST;
		else if (!strcmp(years, "window"))
			f->two_digit_years = BD_YEARS_WINDOW;
		else
			return fail(p, line,
				    "two_digit_years is \"refuse\", \"past\" or \"window\", not "
				    "\"%s\"",
				    years);
	}
	return 0;
}

static int
check_field(struct parse *p, struct field_raw *raw, const int *lines,
	    config_setting_t *const *lists, int line)
{
	struct bd_field_def *f = &raw->def;
	size_t i, t;
	int rc;

	if (!f->name || !*f->name)
		return fail(p, line, "field without a name");
	if (!f->label)
		f->label = xstrdup("");
	if (!f->help)
		f->help = xstrdup("");

	f->type = BD_FIELD_TEXT;
	if (raw->type) {
		for (t = 0; t <= BD_FIELD_FLAG; t++)
			if (!strcmp(raw->type, bd_field_type_name((enum bd_field_type)t)))
				break;
		if (t > BD_FIELD_FLAG)
			return fail(p, FLINE("type"), "field '%s': unknown type '%s'", f->name,
				    raw->type);
		f->type = (enum bd_field_type)t;
	}

	if (f->scale != UNSET) {
		if (f->type != BD_FIELD_DECIMAL && f->type != BD_FIELD_MONEY)
			return fail(p, FLINE("scale"),
				    "field '%s': scale is only for decimal and money", f->name);
		if (f->scale < 0 || f->scale > BD_MONEY_MAX_SCALE)
			return fail(p, FLINE("scale"), "field '%s': scale must be 0..%d", f->name,
				    BD_MONEY_MAX_SCALE);
	} else {
		f->scale = (f->type == BD_FIELD_DECIMAL || f->type == BD_FIELD_MONEY) ? 2 : 0;
	}

	if (f->picture) {
		bool slot = false;
		if (f->type != BD_FIELD_TEXT && f->type != BD_FIELD_LOOKUP &&
		    f->type != BD_FIELD_INTEGER && f->type != BD_FIELD_DATE)
			return fail(p, FLINE("picture"),
				    "field '%s': a picture is for text, lookup, integer and date "
				    "fields",
				    f->name);
		for (i = 0; f->picture[i]; i++) {
			if (f->picture[i] < 0x20 || f->picture[i] > 0x7e)
				return fail(p, FLINE("picture"),
					    "field '%s': a picture holds ASCII characters only",
					    f->name);
			slot |= bd_picture_is_slot(f->picture[i]);
		}
		if (i > 100)
			return fail(p, FLINE("picture"),
				    "field '%s': a picture is at most 100 characters", f->name);
		if (!slot)
			return fail(p, FLINE("picture"),
				    "field '%s': a picture needs at least one of 9 A X N", f->name);
		if (f->length != UNSET)
			return fail(p, FLINE("length"),
				    "field '%s': length comes from the picture; drop one", f->name);
		f->length = (int)strlen(f->picture);
	}

	if (lists[attr_index(field_attrs, NFIELD_ATTRS, "values")]) {
		if (f->type != BD_FIELD_CHOICE)
			return fail(p, FLINE("values"), "field '%s': values are for choice fields",
				    f->name);
		if (read_values(p, f, lists[attr_index(field_attrs, NFIELD_ATTRS, "values")]) < 0)
			return -1;
	}
	if (f->type == BD_FIELD_CHOICE && f->nvalues == 0)
		return fail(p, FLINE("values") ? FLINE("values") : line,
			    "field '%s': a choice needs values = [\"A\", \"B\"]", f->name);

	if (f->width == UNSET) {
		f->width = default_width(f);
		if (f->width == UNSET)
			return fail(p, line, "field '%s': width is required for %s fields", f->name,
				    bd_field_type_name(f->type));
	}
	if (f->width <= 0 || f->width > BD_SCREEN_COLS)
		return fail(p, FLINE("width"), "field '%s': width must be 1..%d", f->name,
			    BD_SCREEN_COLS);
	if (f->length == UNSET) {
		f->length = f->width;
		if (f->type == BD_FIELD_CHOICE)
			for (i = 0; i < f->nvalues; i++)
				if ((int)bd_chars_count(f->values[i]) > f->length)
					f->length = (int)bd_chars_count(f->values[i]);
	}
	if (f->length <= 0 || f->length > 10000)
		return fail(p, FLINE("length"), "field '%s': length must be 1..10000", f->name);
	if (f->type == BD_FIELD_FLAG)
		f->length = 1;

	if (f->pattern) {
		char msg[128];
		rc = regcomp(&f->regex, f->pattern, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			regerror(rc, NULL, msg, sizeof(msg));
			free(f->pattern);
			f->pattern = NULL;
			return fail(p, FLINE("pattern"), "field '%s': bad pattern: %s", f->name,
				    msg);
		}
	}

	if (f->codes) {
		const char *c = f->codes;
		size_t n = strlen(c);

		if (n < 1 || n > 32 || !(c[0] >= 'a' && c[0] <= 'z') ||
		    strspn(c, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
			return fail(
			    p, FLINE("codes"),
			    "field '%s': a code table is 1-32 of a-z, 0-9 and _ (got \"%s\")",
			    f->name, c);
		if (f->type != BD_FIELD_LOOKUP || f->lookup)
			return fail(
			    p, FLINE("codes"),
			    "field '%s': codes is for a lookup field without a lookup query",
			    f->name);
		f->lookup = xstrdup("entry.code_lookup");
	}
	if (raw->date_order || raw->two_digit_years) {
		if (f->type != BD_FIELD_DATE)
			return fail(p, FLINE(raw->date_order ? "date_order" : "two_digit_years"),
				    "field '%s': date_order and two_digit_years are for dates",
				    f->name);
		if (date_rule(p, raw->date_order, raw->two_digit_years, f,
			      FLINE(raw->date_order ? "date_order" : "two_digit_years")) < 0)
			return -1;
		f->years_set = raw->two_digit_years != NULL;
	}
	if (raw->check_digit) {
		const char *param;
		const struct bd_check_algorithm *a =
		    bd_check_algorithm_find(raw->check_digit, &param);

		if (!a)
			return fail(p, FLINE("check_digit"),
				    "field '%s': unknown check digit '%s' (%s)", f->name,
				    raw->check_digit, bd_check_algorithm_names());
		if (param && !a->param)
			return fail(p, FLINE("check_digit"),
				    "field '%s': check digit '%s' takes no parameter", f->name,
				    raw->check_digit);
		if (param &&
		    (!*param || strlen(param) > 20 || strspn(param, "0123456789") != strlen(param)))
			return fail(p, FLINE("check_digit"),
				    "field '%s': check digit '%s' takes %s after the colon (1-20)",
				    f->name, raw->check_digit, a->param);
		f->check_digit = a->id;
		f->check_spec = xstrdup(raw->check_digit);
	}
	if (raw->zone && parse_zone(p, f, raw->zone, FLINE("zone"), raw->in_grid) < 0)
		return -1;

	if (parse_bound(p, f, &f->min, &f->min_num, &f->has_min, FLINE("min"), "min") < 0 ||
	    parse_bound(p, f, &f->max, &f->max_num, &f->has_max, FLINE("max"), "max") < 0)
		return -1;
	if (f->has_min && f->has_max &&
	    (f->type == BD_FIELD_DATE ? strcmp(f->min, f->max) > 0 : f->min_num > f->max_num))
		return fail(p, FLINE("max"), "field '%s': min %s is greater than max %s", f->name,
			    f->min, f->max);

	if (f->type == BD_FIELD_LOOKUP && !f->lookup)
		return fail(p, line, "field '%s': a lookup field needs lookup = \"query.name\"",
			    f->name);

	if (f->default_value) {
		struct bd_err derr = BD_ERR_INIT;
		if (f->type == BD_FIELD_FLAG && f->default_value[0] == 'y')
			f->default_value[0] = 'Y';
		if (f->type == BD_FIELD_FLAG && f->default_value[0] == 'n')
			f->default_value[0] = 'N';
		if (!(f->type == BD_FIELD_DATE && !strcmp(f->default_value, "today")) &&
		    bd_field_validate(f, f->default_value, &derr) < 0)
			return fail(p, FLINE("default"), "field '%s': bad default: %s", f->name,
				    derr.msg);
	}
	return 0;
}

static int
read_fields(struct parse *p, struct bd_screen *screen, const config_setting_t *list)
{
	int count = config_setting_length(list), i, row = BD_SCREEN_FIRST_ROW - 1;
	int *linesv = NULL;
	size_t n, j;
	int maxlabel = 0, rc = -1;

	if (config_setting_type(list) != CONFIG_TYPE_LIST || count == 0) {
		rc = fail(p, line_of(list), "fields must be a non-empty list ( { ... }, ... )");
		goto cleanup;
	}
	screen->fields = xcalloc((size_t)count, sizeof(*screen->fields));
	linesv = xcalloc((size_t)count, sizeof(int) * NFIELD_ATTRS);
	for (i = 0; i < count; i++) {
		config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		config_setting_t *lists[NFIELD_ATTRS] = {0};
		int *lines = linesv + (size_t)i * NFIELD_ATTRS;
		struct field_raw raw;
		int gl = line_of(g);

		memset(&raw, 0, sizeof(raw));
		raw.def.row = raw.def.col = raw.def.input_col = UNSET;
		raw.def.width = raw.def.length = raw.def.scale = UNSET;
		raw.def.date_order = -1;
		raw.def.line = gl;
		n = screen->nfields;
		if (read_group(p, g, field_attrs, NFIELD_ATTRS, &raw, lines, lists, "a field") <
			0 ||
		    check_field(p, &raw, lines, lists, gl) < 0) {
			field_release(&raw.def);
			free(raw.type);
			free(raw.check_digit);
			free(raw.date_order);
			free(raw.two_digit_years);
			free(raw.zone);
			goto cleanup;
		}
		free(raw.type);
		free(raw.check_digit);
		free(raw.date_order);
		free(raw.two_digit_years);
		free(raw.zone);
		for (j = 0; j < n; j++) {
			if (!strcmp(screen->fields[j].name, raw.def.name)) {
				fail(p, gl, "duplicate field name '%s' (first at line %d)",
				     raw.def.name, screen->fields[j].line);
				field_release(&raw.def);
				goto cleanup;
			}
		}
		screen->fields[screen->nfields++] = raw.def;
		int lw = bd_text_width(raw.def.label, strlen(raw.def.label));
		if (lw > maxlabel)
			maxlabel = lw;
	}

	if (screen->label_width == UNSET)
		screen->label_width = maxlabel + 2;
	for (j = 0; j < screen->nfields; j++) {
		struct bd_field_def *f = &screen->fields[j];
		int *lines = linesv + j * NFIELD_ATTRS;
		int lw = bd_text_width(f->label, strlen(f->label));
		int where = FLINE("row") ? FLINE("row") : f->line;

		if (f->row == UNSET)
			f->row = row + 1;
		row = f->row;
		if (f->col == UNSET)
			f->col = 2;
		if (f->input_col == UNSET)
			f->input_col = lw ? f->col + screen->label_width : f->col;
		if (f->row < BD_SCREEN_FIRST_ROW || f->row > BD_SCREEN_LAST_ROW) {
			fail(p, where, "field '%s' is outside the screen: row must be %d..%d",
			     f->name, BD_SCREEN_FIRST_ROW, BD_SCREEN_LAST_ROW);
			goto cleanup;
		}
		where = FLINE("col") ? FLINE("col") : f->line;
		if (f->col < 0 || f->col >= BD_SCREEN_COLS || f->input_col < f->col ||
		    (lw && f->col + lw >= f->input_col)) {
			fail(p, where,
			     "field '%s' is outside the screen: the label needs columns %d..%d "
			     "before the input at %d",
			     f->name, f->col, f->col + lw, f->input_col);
			goto cleanup;
		}
		if (f->input_col + f->width > BD_SCREEN_COLS) {
			where = FLINE("width")	     ? FLINE("width")
				: FLINE("input_col") ? FLINE("input_col")
						     : where;
			fail(p, where,
			     "field '%s' is outside the screen: columns %d..%d, the screen has %d",
			     f->name, f->input_col, f->input_col + f->width - 1, BD_SCREEN_COLS);
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	free(linesv);
	return rc;
}

/* ---- grids ------------------------------------------------------------- */

struct grid_raw {
	char *name;
	int rows, visible, row, col;
};

#define GA(n, k, m)                                                                                \
	{                                                                                          \
		n, k, offsetof(struct grid_raw, m)                                                 \
	}
static const struct attr grid_attrs[] = {
    GA("name", ATTR_STRING, name), GA("rows", ATTR_INT, rows), GA("visible", ATTR_INT, visible),
    GA("row", ATTR_INT, row),	   GA("col", ATTR_INT, col),   GA("columns", ATTR_LIST, name),
};
#define NGRID_ATTRS (sizeof(grid_attrs) / sizeof(grid_attrs[0]))
#define GLINE(name) glines[attr_index(grid_attrs, NGRID_ATTRS, name)]

static char *
xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* A deep copy of a checked definition. */
static void
field_clone(struct bd_field_def *dst, const struct bd_field_def *src)
{
	size_t i;

	*dst = *src;
	dst->name = xstrdup(src->name);
	dst->label = xstrdup(src->label);
	dst->help = xstrdup(src->help);
	dst->pattern = xstrdup_or_null(src->pattern);
	if (dst->pattern && regcomp(&dst->regex, dst->pattern, REG_EXTENDED | REG_NOSUB) != 0)
		bd_die("screen.c: a checked pattern no longer compiles");
	dst->picture = xstrdup_or_null(src->picture);
	dst->min = xstrdup_or_null(src->min);
	dst->max = xstrdup_or_null(src->max);
	if (src->values) {
		dst->values = xcalloc(src->nvalues + 1, sizeof(*dst->values));
		for (i = 0; i < src->nvalues; i++)
			dst->values[i] = xstrdup(src->values[i]);
	}
	dst->default_value = xstrdup_or_null(src->default_value);
	dst->lookup = xstrdup_or_null(src->lookup);
	dst->check_spec = xstrdup_or_null(src->check_spec);
	dst->codes = xstrdup_or_null(src->codes);
}

static void
grid_release(struct bd_grid *g)
{
	size_t i;

	for (i = 0; i < g->ncolumns; i++)
		free(g->headings[i]);
	free(g->headings);
	free(g->name);
	memset(g, 0, sizeof(*g));
}

/* Reads the columns of grid `g` into cols[] (checked definitions). */
static int
read_grid_columns(struct parse *p, struct bd_grid *g, const config_setting_t *list,
		  struct bd_field_def **cols)
{
	int count = config_setting_length(list), i;
	size_t j;
	int x = g->col + g->number_width + 1;

	if (config_setting_type(list) != CONFIG_TYPE_LIST || count == 0)
		return fail(p, line_of(list),
			    "grid '%s': columns must be a non-empty list ( { ... }, ... )",
			    g->name);
	*cols = xcalloc((size_t)count, sizeof(**cols));
	g->headings = xcalloc((size_t)count, sizeof(*g->headings));
	for (i = 0; i < count; i++) {
		config_setting_t *c = config_setting_get_elem(list, (unsigned)i);
		config_setting_t *lists[NFIELD_ATTRS] = {0};
		int lines[NFIELD_ATTRS] = {0};
		struct field_raw raw;
		struct bd_field_def *f;
		int gl = line_of(c);

		memset(&raw, 0, sizeof(raw));
		raw.def.row = raw.def.col = raw.def.input_col = UNSET;
		raw.def.width = raw.def.length = raw.def.scale = UNSET;
		raw.def.date_order = -1;
		raw.def.line = gl;
		raw.in_grid = true;
		if (read_group(p, c, field_attrs, NFIELD_ATTRS, &raw, lines, lists,
			       "a grid column") < 0 ||
		    check_field(p, &raw, lines, lists, gl) < 0)
			goto bad;
		f = &raw.def;
		if (FLINE("row") || FLINE("input_col")) {
			fail(p, FLINE("row") ? FLINE("row") : FLINE("input_col"),
			     "grid '%s', column '%s': the grid places its columns: give col "
			     "(the input's column) or nothing",
			     g->name, f->name);
			goto bad;
		}
		for (j = 0; j < g->ncolumns; j++)
			if (!strcmp((*cols)[j].name, f->name)) {
				fail(p, gl, "grid '%s': duplicate column '%s'", g->name, f->name);
				goto bad;
			}
		if (f->col != UNSET && f->col < x) {
			fail(p, FLINE("col"), "grid '%s', column '%s': col must be %d or more",
			     g->name, f->name, x);
			goto bad;
		}
		f->input_col = f->col = f->col != UNSET ? f->col : x;
		if (f->input_col + f->width > BD_SCREEN_COLS) {
			fail(p, FLINE("width") ? FLINE("width") : gl,
			     "grid '%s', column '%s' is outside the screen: columns %d..%d, the "
			     "screen has %d",
			     g->name, f->name, f->input_col, f->input_col + f->width - 1,
			     BD_SCREEN_COLS);
			goto bad;
		}
		x = f->input_col + f->width + 1;
		free(raw.type);
		free(raw.check_digit);
		free(raw.date_order);
		free(raw.two_digit_years);
		free(raw.zone);
		g->headings[g->ncolumns] = xstrdup(*f->label ? f->label : f->name);
		(*cols)[g->ncolumns++] = raw.def;
		continue;
	bad:
		field_release(&raw.def);
		free(raw.type);
		free(raw.check_digit);
		free(raw.date_order);
		free(raw.two_digit_years);
		free(raw.zone);
		return -1;
	}
	return 0;
}

static const struct bd_field_def *sort_names;

static int
cmp_name(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(sort_names[x].name, sort_names[y].name);

	return c ? c : x < y ? -1 : x > y;
}

/* Refuses a cell whose name another field has (the later of the two). */
static int
check_unique_names(struct parse *p, const struct bd_screen *screen, const char *grid)
{
	size_t *idx = xcalloc(screen->nfields + 1, sizeof(*idx)), i;
	int rc = 0;

	for (i = 0; i < screen->nfields; i++)
		idx[i] = i;
	sort_names = screen->fields;
	qsort(idx, screen->nfields, sizeof(*idx), cmp_name);
	sort_names = NULL;
	for (i = 1; i < screen->nfields; i++)
		if (!strcmp(screen->fields[idx[i - 1]].name, screen->fields[idx[i]].name)) {
			const struct bd_field_def *later = &screen->fields[idx[i]];

			rc = fail(p, later->line,
				  "grid '%s': cell '%s' has the name of another field (line %d)",
				  grid, later->name, screen->fields[idx[i - 1]].line);
			break;
		}
	free(idx);
	return rc;
}

/* Appends grid `g`'s cells to the screen's fields. */
static int
expand_grid(struct parse *p, struct bd_screen *screen, size_t gi, const struct bd_field_def *cols)
{
	struct bd_grid *g = &screen->grids[gi];
	size_t n = (size_t)g->rows * g->ncolumns, j;
	int line;

	if (screen->nfields + n > BD_SCREEN_MAX_CELLS)
		return fail(p, g->line,
			    "grid '%s': %d lines of %zu columns make more than %d fields", g->name,
			    g->rows, g->ncolumns, BD_SCREEN_MAX_CELLS);
	screen->fields = xrealloc(screen->fields, (screen->nfields + n) * sizeof(*screen->fields));
	g->first = screen->nfields;
	for (line = 0; line < g->rows; line++)
		for (j = 0; j < g->ncolumns; j++) {
			struct bd_field_def *f = &screen->fields[screen->nfields];
			char buf[160];

			field_clone(f, &cols[j]);
			screen->nfields++;
			snprintf(buf, sizeof(buf), "%s%d", cols[j].name, line + 1);
			free(f->name);
			f->name = xstrdup(buf);
			snprintf(buf, sizeof(buf), "%s (line %d)", g->headings[j], line + 1);
			free(f->label);
			f->label = xstrdup(buf);
			f->row = g->row + 1 + line;
			f->grid = (int)gi + 1;
			f->grid_line = line;
			f->grid_col = (int)j;
			f->line_required = cols[j].required;
			f->required = false;
			f->zone[1] += line * f->zone_step;
			f->zone_step = 0;
		}
	/* Names must stay unique: account1 against a plain field, a1 + "1"
	 * against a11. Sorted, so a big grid costs n log n. */
	return check_unique_names(p, screen, g->name);
}

static int
read_grids(struct parse *p, struct bd_screen *screen, const config_setting_t *list)
{
	int count = config_setting_length(list), i;
	size_t j, k, plain = screen->nfields;

	if (config_setting_type(list) != CONFIG_TYPE_LIST || count == 0)
		return fail(p, line_of(list), "grids must be a non-empty list ( { ... }, ... )");
	screen->grids = xcalloc((size_t)count, sizeof(*screen->grids));
	for (i = 0; i < count; i++) {
		config_setting_t *gs = config_setting_get_elem(list, (unsigned)i);
		config_setting_t *lists[NGRID_ATTRS] = {0};
		int glines[NGRID_ATTRS] = {0};
		struct grid_raw raw = {NULL, UNSET, UNSET, UNSET, UNSET};
		struct bd_grid *g = &screen->grids[screen->ngrids];
		struct bd_field_def *cols = NULL;
		int gl = line_of(gs), rc;

		if (read_group(p, gs, grid_attrs, NGRID_ATTRS, &raw, glines, lists, "a grid") < 0) {
			free(raw.name);
			return -1;
		}
		g->name = raw.name;
		g->line = gl;
		screen->ngrids++;
		if (!g->name || !*g->name)
			return fail(p, gl, "grid without a name");
		for (j = 0; j + 1 < screen->ngrids; j++)
			if (!strcmp(screen->grids[j].name, g->name))
				return fail(p, gl, "duplicate grid name '%s' (first at line %d)",
					    g->name, screen->grids[j].line);
		if (raw.rows == UNSET || raw.rows < 1 || raw.rows > 999)
			return fail(p, GLINE("rows") ? GLINE("rows") : gl,
				    "grid '%s': rows (the number of lines) must be 1..999",
				    g->name);
		g->rows = raw.rows;
		g->visible = raw.visible == UNSET ? raw.rows : raw.visible;
		g->row = raw.row == UNSET ? BD_SCREEN_FIRST_ROW : raw.row;
		g->col = raw.col == UNSET ? 1 : raw.col;
		if (g->visible < 1 || g->visible > g->rows)
			return fail(p, GLINE("visible") ? GLINE("visible") : gl,
				    "grid '%s': visible must be 1..%d (rows)", g->name, g->rows);
		if (g->row < BD_SCREEN_FIRST_ROW || g->row + g->visible > BD_SCREEN_LAST_ROW)
			return fail(p,
				    GLINE("row")       ? GLINE("row")
				    : GLINE("visible") ? GLINE("visible")
						       : gl,
				    "grid '%s' is outside the screen: its headings and %d lines "
				    "need rows %d..%d, fields go on rows %d..%d",
				    g->name, g->visible, g->row, g->row + g->visible,
				    BD_SCREEN_FIRST_ROW, BD_SCREEN_LAST_ROW);
		if (g->col < 0 || g->col >= BD_SCREEN_COLS)
			return fail(p, GLINE("col") ? GLINE("col") : gl,
				    "grid '%s' is outside the screen: col must be 0..%d", g->name,
				    BD_SCREEN_COLS - 1);
		g->number_width = g->rows >= 100 ? 3 : g->rows >= 10 ? 2 : 1;
		if (!lists[attr_index(grid_attrs, NGRID_ATTRS, "columns")])
			return fail(p, gl, "grid '%s' has no columns", g->name);
		rc = read_grid_columns(p, g, lists[attr_index(grid_attrs, NGRID_ATTRS, "columns")],
				       &cols);
		if (rc == 0)
			rc = expand_grid(p, screen, screen->ngrids - 1, cols);
		for (j = 0; cols && j < g->ncolumns; j++)
			field_release(&cols[j]);
		free(cols);
		if (rc < 0)
			return -1;
		for (k = 0; k < plain; k++) {
			const struct bd_field_def *f = &screen->fields[k];

			if (f->row >= g->row && f->row <= g->row + g->visible)
				return fail(p, f->line,
					    "field '%s' is inside grid '%s' (rows %d..%d)", f->name,
					    g->name, g->row, g->row + g->visible);
		}
		for (j = 0; j + 1 < screen->ngrids; j++) {
			const struct bd_grid *o = &screen->grids[j];

			if (g->row <= o->row + o->visible && o->row <= g->row + g->visible)
				return fail(p, gl, "grid '%s' overlaps grid '%s'", g->name,
					    o->name);
		}
	}
	return 0;
}

int
bd_screen_cell(const struct bd_screen *screen, size_t grid, size_t line, size_t col)
{
	const struct bd_grid *g;

	if (grid >= screen->ngrids)
		return -1;
	g = &screen->grids[grid];
	if (line >= (size_t)g->rows || col >= g->ncolumns)
		return -1;
	return (int)(g->first + line * g->ncolumns + col);
}

/* ---- screen and list groups -------------------------------------------- */

#define SA(n, k, m)                                                                                \
	{                                                                                          \
		n, k, offsetof(struct bd_screen, m)                                                \
	}
static const struct attr form_attrs[] = {
    SA("name", ATTR_STRING, name),
    SA("title", ATTR_STRING, title),
    SA("help", ATTR_STRING, help),
    SA("load", ATTR_STRING, load),
    SA("save", ATTR_STRING, save),
    SA("label_width", ATTR_INT, label_width),
    SA("fields", ATTR_LIST, fields),
    SA("grids", ATTR_LIST, grids),
    SA("rules", ATTR_LIST, rules),
    SA("date_order", ATTR_STRING, date_order),
    SA("two_digit_years", ATTR_STRING, two_digit_years),
};
static const struct attr list_attrs[] = {
    SA("name", ATTR_STRING, name),     SA("title", ATTR_STRING, title),
    SA("help", ATTR_STRING, help),     SA("query", ATTR_STRING, query),
    SA("columns", ATTR_LIST, columns), SA("options", ATTR_LIST, options),
};
#define CA(n, k, m)                                                                                \
	{                                                                                          \
		n, k, offsetof(struct bd_list_column, m)                                           \
	}
static const struct attr column_attrs[] = {
    CA("name", ATTR_STRING, name),
    CA("heading", ATTR_STRING, heading),
    CA("width", ATTR_INT, width),
    CA("type", ATTR_STRING, type_name),
};
#define OA(n, k, m)                                                                                \
	{                                                                                          \
		n, k, offsetof(struct bd_list_option, m)                                           \
	}
static const struct attr option_attrs[] = {
    OA("code", ATTR_STRING, code),     OA("label", ATTR_STRING, label),
    OA("screen", ATTR_STRING, screen), OA("action", ATTR_STRING, action),
    OA("confirm", ATTR_BOOL, confirm), OA("params", ATTR_STRINGS, params),
    OA("prompt", ATTR_STRING, prompt), OA("ask", ATTR_STRING, ask),
    OA("done", ATTR_STRING, done),
};

/* The heading of an amount or number column over its values' right edge. */
static void
align_heading_right(struct bd_list_column *c)
{
	const char *text = c->heading + strspn(c->heading, " ");
	int pad = c->width - bd_text_width(text, strlen(text));
	struct strbuf sb = STRBUF_INIT;

	for (int i = 0; i < pad; i++)
		strbuf_addch(&sb, ' ');
	strbuf_addstr(&sb, text);
	free(c->heading);
	c->heading = strbuf_detach(&sb, NULL);
}

static int
read_columns(struct parse *p, struct bd_screen *screen, const config_setting_t *list)
{
	int count = config_setting_length(list), i;

	if (config_setting_type(list) != CONFIG_TYPE_LIST || count == 0)
		return fail(p, line_of(list), "columns must be a non-empty list ( { ... }, ... )");
	screen->columns = xcalloc((size_t)count, sizeof(*screen->columns));
	for (i = 0; i < count; i++) {
		config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		struct bd_list_column *c = &screen->columns[screen->ncolumns++];
		int lines[NELEM(column_attrs)] = {0};
		config_setting_t *lists[NELEM(column_attrs)] = {0};

		c->width = UNSET;
		c->line = line_of(g);
		if (read_group(p, g, column_attrs, NELEM(column_attrs), c, lines, lists,
			       "a column") < 0)
			return -1;
		if (!c->name || !*c->name)
			return fail(p, c->line, "column without a name");
		if (!c->heading)
			c->heading = xstrdup(c->name);
		if (c->width == UNSET) {
			c->width = bd_text_width(c->heading, strlen(c->heading));
			if (c->width < 1)
				c->width = 1;
		}
		if (c->width <= 0 || c->width > BD_SCREEN_COLS)
			return fail(p, lines[2] ? lines[2] : c->line,
				    "column '%s': width must be 1..%d", c->name, BD_SCREEN_COLS);
		if (!c->type_name || !strcmp(c->type_name, "text"))
			c->type = BD_COLUMN_TEXT;
		else if (!strcmp(c->type_name, "amount"))
			c->type = BD_COLUMN_AMOUNT;
		else if (!strcmp(c->type_name, "number"))
			c->type = BD_COLUMN_NUMBER;
		else
			return fail(p, lines[3] ? lines[3] : c->line,
				    "column '%s': type must be text, amount or number", c->name);
		if (c->type != BD_COLUMN_TEXT)
			align_heading_right(c);
	}
	return 0;
}

/* A list's row: a space, the Opt column (when it has options), then the
 * columns a space apart (ui_list.c). A terminal shows an amount or number
 * column whole or not at all; at 80 columns none may straddle the edge
 * (text is cut to its width anyway). */
static int
list_fits(struct parse *p, const struct bd_screen *screen)
{
	int x = screen->noptions > 0 ? 5 : 1;

	for (size_t i = 0; i < screen->ncolumns; i++) {
		const struct bd_list_column *c = &screen->columns[i];

		if (c->type != BD_COLUMN_TEXT && x < BD_SCREEN_COLS &&
		    x + c->width > BD_SCREEN_COLS)
			return fail(p, c->line,
				    "column '%s' takes columns %d-%d: at %d columns its numbers "
				    "would not show (narrow the columns before it)",
				    c->name, x + 1, x + c->width, BD_SCREEN_COLS);
		x += c->width + 1;
	}
	return 0;
}

/* An option's `params`: the row's columns passed to its action, in order. */
static int
read_option_params(struct parse *p, struct bd_list_option *o, const config_setting_t *list)
{
	int i, count = list ? config_setting_length(list) : 0;

	if (!list)
		return 0;
	o->params = xcalloc((size_t)count + 1, sizeof(*o->params));
	for (i = 0; i < count; i++) {
		const config_setting_t *v = config_setting_get_elem(list, (unsigned)i);

		if (config_setting_type(v) != CONFIG_TYPE_STRING || !*config_setting_get_string(v))
			return fail(p, line_of(list), "option '%s': params must be column names",
				    o->code);
		o->params[o->nparams++] = xstrdup(config_setting_get_string(v));
	}
	return 0;
}

static int
read_options(struct parse *p, struct bd_screen *screen, const config_setting_t *list)
{
	int count = config_setting_length(list), i;
	size_t j;

	if (config_setting_type(list) != CONFIG_TYPE_LIST)
		return fail(p, line_of(list), "options must be a list ( { ... }, ... )");
	screen->options = xcalloc((size_t)count + 1, sizeof(*screen->options));
	for (i = 0; i < count; i++) {
		config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		struct bd_list_option *o = &screen->options[screen->noptions++];
		int lines[NELEM(option_attrs)] = {0};
		config_setting_t *lists[NELEM(option_attrs)] = {0};

		o->line = line_of(g);
		if (read_group(p, g, option_attrs, NELEM(option_attrs), o, lines, lists,
			       "an option") < 0)
			return -1;
		if (!o->code || !*o->code)
			return fail(p, o->line, "option without a code");
		if (!o->label)
			o->label = xstrdup("");
		if (!o->screen == !o->action)
			return fail(p, o->line, "option '%s' needs exactly one of screen or action",
				    o->code);
		if (read_option_params(
			p, o, lists[attr_index(option_attrs, NELEM(option_attrs), "params")]) < 0)
			return -1;
		if (o->prompt && !o->action)
			return fail(p, o->line, "option '%s': a prompt needs an action", o->code);
		for (j = 0; j + 1 < screen->noptions; j++)
			if (!strcmp(screen->options[j].code, o->code))
				return fail(p, o->line, "duplicate option code '%s'", o->code);
	}
	return 0;
}

static int read_rules(struct parse *p, struct bd_screen *screen, const config_setting_t *list);

static int
read_top(struct parse *p, struct bd_screen *screen, const config_setting_t *g, bool is_list)
{
	const struct attr *table = is_list ? list_attrs : form_attrs;
	size_t ntable = is_list ? NELEM(list_attrs) : NELEM(form_attrs);
	int lines[MAX_ATTRS] = {0};
	config_setting_t *lists[MAX_ATTRS] = {0};
	const char *what = is_list ? "the list" : "the screen";

	screen->kind = is_list ? BD_SCREEN_LIST : BD_SCREEN_FORM;
	screen->label_width = UNSET;
	if (read_group(p, g, table, ntable, screen, lines, lists, what) < 0)
		return -1;
	if (!screen->name || !*screen->name)
		return fail(p, line_of(g), "%s has no name", what);
	if (!screen->title)
		screen->title = xstrdup("");
	if (!screen->help)
		screen->help = xstrdup("");
	if (is_list) {
		config_setting_t *columns = lists[attr_index(table, ntable, "columns")];
		config_setting_t *options = lists[attr_index(table, ntable, "options")];
		if (!screen->query)
			return fail(p, line_of(g), "the list has no query");
		if (!columns)
			return fail(p, line_of(g), "the list has no columns");
		if (read_columns(p, screen, columns) < 0)
			return -1;
		if (options && read_options(p, screen, options) < 0)
			return -1;
		return list_fits(p, screen);
	}
	if (screen->label_width != UNSET &&
	    (screen->label_width < 0 || screen->label_width >= BD_SCREEN_COLS))
		return fail(p, lines[attr_index(table, ntable, "label_width")],
			    "label_width must be 0..%d", BD_SCREEN_COLS - 1);
	if (!lists[attr_index(table, ntable, "fields")] &&
	    !lists[attr_index(table, ntable, "grids")])
		return fail(p, line_of(g), "the screen has no fields");
	if (lists[attr_index(table, ntable, "fields")] &&
	    read_fields(p, screen, lists[attr_index(table, ntable, "fields")]) < 0)
		return -1;
	if (lists[attr_index(table, ntable, "grids")] &&
	    read_grids(p, screen, lists[attr_index(table, ntable, "grids")]) < 0)
		return -1;
	if (screen->date_order || screen->two_digit_years) {
		/* The form's own dates, for every date field that does not say. */
		struct bd_field_def probe;
		int line = lines[attr_index(table, ntable,
					    screen->date_order ? "date_order" : "two_digit_years")];

		memset(&probe, 0, sizeof(probe));
		probe.date_order = -1;
		if (date_rule(p, screen->date_order, screen->two_digit_years, &probe, line) < 0)
			return -1;
		for (size_t i = 0; i < screen->nfields; i++) {
			struct bd_field_def *f = &screen->fields[i];

			if (f->type != BD_FIELD_DATE)
				continue;
			if (f->date_order < 0)
				f->date_order = probe.date_order;
			if (!f->years_set)
				f->two_digit_years = probe.two_digit_years;
		}
	}
	if (lists[attr_index(table, ntable, "rules")])
		return read_rules(p, screen, lists[attr_index(table, ntable, "rules")]);
	return 0;
}

/* rules = ( "a <= b", ... ): strings, parsed by rules.c. */
static int
read_rules(struct parse *p, struct bd_screen *screen, const config_setting_t *list)
{
	int count = config_setting_length(list), i, rc;
	const char **texts = xcalloc((size_t)count + 1, sizeof(*texts));
	int *lines = xcalloc((size_t)count + 1, sizeof(*lines));

	for (i = 0; i < count; i++) {
		const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);

		if (config_setting_type(s) != CONFIG_TYPE_STRING) {
			free(texts);
			free(lines);
			return fail(p, line_of(s), "rules are strings");
		}
		texts[i] = config_setting_get_string(s);
		lines[i] = line_of(s) ? line_of(s) : line_of(list);
	}
	rc = bd_rules_parse(screen, texts, lines, (size_t)count, p->source, p->err);
	free(texts);
	free(lines);
	return rc;
}

/* libconfig's @include would read any file named in a screen that came from
 * the database; screens are self-contained. */
static int
find_include(const char *text)
{
	int line = 1;
	const char *s = text;

	while (*s) {
		s += strspn(s, " \t");
		if (!strncmp(s, "@include", 8))
			return line;
		s += strcspn(s, "\n");
		if (*s == '\n') {
			s++;
			line++;
		}
	}
	return 0;
}

void
bd_screen_init(struct bd_screen *screen)
{
	memset(screen, 0, sizeof(*screen));
}

void
bd_screen_release(struct bd_screen *screen)
{
	size_t i;

	for (i = 0; i < screen->nfields; i++)
		field_release(&screen->fields[i]);
	free(screen->fields);
	for (i = 0; i < screen->ngrids; i++)
		grid_release(&screen->grids[i]);
	free(screen->grids);
	bd_rules_release(screen);
	for (i = 0; i < screen->ncolumns; i++) {
		free(screen->columns[i].name);
		free(screen->columns[i].heading);
		free(screen->columns[i].type_name);
	}
	free(screen->columns);
	for (i = 0; i < screen->noptions; i++) {
		free(screen->options[i].code);
		free(screen->options[i].label);
		free(screen->options[i].screen);
		free(screen->options[i].action);
		free(screen->options[i].prompt);
		free(screen->options[i].ask);
		free(screen->options[i].done);
		for (size_t j = 0; j < screen->options[i].nparams; j++)
			free(screen->options[i].params[j]);
		free(screen->options[i].params);
	}
	free(screen->options);
	free(screen->source);
	free(screen->name);
	free(screen->title);
	free(screen->help);
	free(screen->load);
	free(screen->save);
	free(screen->query);
	free(screen->date_order);
	free(screen->two_digit_years);
	bd_screen_init(screen);
}

int
bd_screen_parse(struct bd_screen *screen, const char *text, const char *source, struct bd_err *err)
{
	struct parse p = {source ? source : "screen", err};
	config_t cfg;
	config_setting_t *root, *form, *list;
	int rc = -1, line;

	bd_screen_init(screen);
	config_init(&cfg);
	if ((line = find_include(text)) > 0) {
		fail(&p, line, "@include is not allowed in a screen file");
		goto cleanup;
	}
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		fail(&p, config_error_line(&cfg), "%s", config_error_text(&cfg));
		goto cleanup;
	}
	root = config_root_setting(&cfg);
	for (int i = 0; i < config_setting_length(root); i++) {
		config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(s);
		if (strcmp(name, "screen") && strcmp(name, "list")) {
			fail(&p, line_of(s), "unknown setting '%s' (expected screen or list)",
			     name);
			goto cleanup;
		}
	}
	form = config_setting_get_member(root, "screen");
	list = config_setting_get_member(root, "list");
	if (!form == !list) {
		fail(&p, form ? line_of(list) : 1,
		     "a screen file holds one screen = { } or list = { }");
		goto cleanup;
	}
	if (read_top(&p, screen, form ? form : list, list != NULL) < 0)
		goto cleanup;
	screen->source = xstrdup(p.source);
	rc = 0;
cleanup:
	config_destroy(&cfg);
	if (rc < 0)
		bd_screen_release(screen);
	return rc;
}

struct bd_screen *
bd_screen_new(const char *text, const char *source, struct bd_err *err)
{
	struct bd_screen *screen = xmalloc(sizeof(*screen));

	if (bd_screen_parse(screen, text, source, err) < 0) {
		free(screen);
		return NULL;
	}
	return screen;
}

void
bd_screen_free(struct bd_screen *screen)
{
	if (!screen)
		return;
	bd_screen_release(screen);
	free(screen);
}

int
bd_screen_load_file(struct bd_screen *screen, const char *path, struct bd_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *fp = NULL;
	char buf[4096];
	size_t n;
	int rc = -1;

	bd_screen_init(screen);
	fp = fopen(path, "r");
	if (!fp) {
		bd_err_set(err, BD_ERR_IO, "Cannot open screen file %s: %s", path, strerror(errno));
		goto cleanup;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(fp)) {
		bd_err_set(err, BD_ERR_IO, "Cannot read screen file %s", path);
		goto cleanup;
	}
	if (memchr(sb.buf, '\0', sb.len)) {
		bd_err_set(err, BD_ERR_INVALID, "%s:1: not a text file", path);
		goto cleanup;
	}
	rc = bd_screen_parse(screen, sb.buf, path, err);
cleanup:
	if (fp)
		fclose(fp);
	strbuf_release(&sb);
	return rc;
}

int
bd_screen_load_embedded(struct bd_screen *screen, const char *name, struct bd_err *err)
{
	struct strbuf path = STRBUF_INIT;
	const struct bd_embedded_file *f;
	int rc = -1;

	bd_screen_init(screen);
	strbuf_addf(&path, "screens/%s.conf", name);
	f = bd_embedded_find(path.buf);
	if (f) {
		/* The file named after the screen: its parse error is the answer. */
		if (bd_screen_parse(screen, f->data, f->path, err) < 0)
			goto cleanup;
		if (!strcmp(screen->name, name)) {
			rc = 0;
			goto cleanup;
		}
		bd_screen_release(screen);
	}
	for (f = bd_embedded_files; f->path; f++) {
		size_t len = strlen(f->path);
		if (strncmp(f->path, "screens/", 8) || len < 5 ||
		    strcmp(f->path + len - 5, ".conf"))
			continue;
		/* Cheap pre-check before a full parse. */
		if (!strstr(f->data, name))
			continue;
		if (bd_screen_parse(screen, f->data, f->path, NULL) == 0) {
			if (!strcmp(screen->name, name)) {
				rc = 0;
				goto cleanup;
			}
			bd_screen_release(screen);
		}
	}
	bd_err_set(err, BD_ERR_NOT_FOUND, "No screen called %s", name);
cleanup:
	strbuf_release(&path);
	return rc;
}

int
bd_screen_field_index(const struct bd_screen *screen, const char *name)
{
	size_t i;

	for (i = 0; i < screen->nfields; i++)
		if (!strcmp(screen->fields[i].name, name))
			return (int)i;
	return -1;
}
