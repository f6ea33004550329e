/* The kit's list screens: see include/backdesk/kit.h. */
#include "backdesk/kit.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/money.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

/* ---- values as lists show them ------------------------------------------- */

static int
width_of(const struct strbuf *sb)
{
	return bd_text_width(sb->buf, sb->len);
}

/* |v| (minor units, 2 decimals) scaled to K, M, B, T with two decimals at
 * most, fitting `width`; false when nothing fits. */
static bool
amount_scaled(struct strbuf *sb, int64_t v, int width)
{
	static const char units[] = "KMBT";
	/* the magnitude in cents, as unsigned to take INT64_MIN */
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t div = 100000; /* cents per thousand */
	size_t u;

	for (u = 0; u < sizeof(units) - 1; u++, div *= 1000) {
		int dec;

		if (u > 0 && m / div == 0)
			break; /* never "0B": a whole part of at least 1 */
		if (m / div >= 1000 && u + 2 < sizeof(units))
			continue;
		for (dec = 2; dec >= 0; dec--) {
			uint64_t scale = dec == 2 ? 100 : dec == 1 ? 10 : 1;
			/* rounded to `dec` decimals of the unit */
			uint64_t step = div / scale;
			uint64_t q = m / step + (m % step * 2 >= step ? 1 : 0);
			strbuf_reset(sb);
			if (v < 0)
				strbuf_addch(sb, '-');
			if (dec)
				strbuf_addf(sb, "%" PRIu64 ".%0*" PRIu64 "%c", q / scale, dec,
					    q % scale, units[u]);
			else
				strbuf_addf(sb, "%" PRIu64 "%c", q, units[u]);
			if (width_of(sb) <= width)
				return true;
		}
	}
	return false;
}

void
bd_kit_amount(struct strbuf *out, const char *numeric, int width)
{
	struct strbuf sb = STRBUF_INIT;
	int64_t v;
	int w;

	if (!numeric || !*numeric)
		return;
	if (bd_money_from_numeric(numeric, 2, &v, NULL) < 0) {
		strbuf_addstr(&sb, numeric);
	} else {
		bd_money_format(&sb, v, 2, BD_MONEY_GROUPED);
		if (width > 0 && width_of(&sb) > width) {
			strbuf_reset(&sb);
			bd_money_format(&sb, v, 2, 0);
		}
		if (width > 0 && width_of(&sb) > width && !amount_scaled(&sb, v, width)) {
			strbuf_reset(&sb);
			for (w = 0; w < width; w++)
				strbuf_addch(&sb, '#');
		}
	}
	for (w = width_of(&sb); w < width; w++)
		strbuf_addch(out, ' ');
	strbuf_add(out, sb.buf, sb.len);
	strbuf_release(&sb);
}

void
bd_kit_number(struct strbuf *out, const char *numeric, int width)
{
	size_t n = strlen(numeric);
	int w;

	if (strchr(numeric, '.') && strspn(numeric, "-0123456789.") == n) {
		while (n && numeric[n - 1] == '0')
			n--;
		if (n && numeric[n - 1] == '.')
			n--;
	}
	if (width > 0 && bd_text_width(numeric, n) > width) {
		for (w = 0; w < width; w++)
			strbuf_addch(out, '#');
		return;
	}
	for (w = bd_text_width(numeric, n); w < width; w++)
		strbuf_addch(out, ' ');
	strbuf_add(out, numeric, n);
}

const struct bd_list_column *
bd_kit_column(const struct bd_screen *def, const char *name)
{
	size_t i;

	for (i = 0; def && i < def->ncolumns; i++)
		if (!strcmp(def->columns[i].name, name))
			return &def->columns[i];
	return NULL;
}

void
bd_kit_display_value(const struct bd_list_column *col, const char *name, const char *v,
		     struct strbuf *out)
{
	size_t n = strlen(v), clen = strlen(name);
	enum bd_column_type type = col ? col->type : BD_COLUMN_TEXT;

	if (type == BD_COLUMN_AMOUNT) {
		bd_kit_amount(out, v, col->width);
	} else if (type == BD_COLUMN_NUMBER) {
		bd_kit_number(out, v, col->width);
	} else if (!strcmp(v, "t") || !strcmp(v, "f")) {
		strbuf_addstr(out, *v == 't' ? "Y" : "N");
	} else if (n >= 2 && v[0] == '{' && v[n - 1] == '}') {
		const char *p;
		bool first = true;
		size_t start = out->len;

		for (p = v + 1; p < v + n - 1; p++) {
			if (*p == '"' || *p == '\\')
				continue;
			if (*p == ',') {
				first = true;
				continue;
			}
			if (first && out->len > start && out->buf[out->len - 1] != ' ')
				strbuf_addch(out, ' ');
			first = false;
			strbuf_addch(out, *p);
		}
	} else if (clen > 3 && !strcmp(name + clen - 3, "_at") && n > 16 && v[10] == ' ') {
		strbuf_add(out, v, 16);
	} else {
		strbuf_addstr(out, v);
	}
}

void
bd_kit_duration(const char *seconds, struct strbuf *out)
{
	char *end;
	long long n;

	while (*seconds == ' ')
		seconds++;
	if (!*seconds)
		return;
	n = strtoll(seconds, &end, 10);
	if (*end && *end != '.') {
		strbuf_addstr(out, seconds);
		return;
	}
	if (n < 0) {
		strbuf_addch(out, '-');
		n = -n;
	}
	if (n >= 3600)
		strbuf_addf(out, "%lldh%02lldm", n / 3600, n % 3600 / 60);
	else if (n >= 60)
		strbuf_addf(out, "%lldm", n / 60);
	else
		strbuf_addf(out, "%llds", n);
}

void
bd_kit_when(const char *ts, struct strbuf *out)
{
	/* ISO from PostgreSQL: "YYYY-MM-DD HH:MM:SS..." */
	if (strlen(ts) >= 16 && ts[4] == '-' && ts[10] == ' ')
		strbuf_addf(out, "%.5s %.5s", ts + 5, ts + 11);
	else
		strbuf_addstr(out, ts);
}

void
bd_kit_rows_from_result(struct bd_ui_rows *rows, const struct bd_db_result *res,
			const struct bd_screen *def)
{
	int nr = bd_db_result_rows(res), nc = bd_db_result_cols(res), r, c;
	const char **names = xcalloc((size_t)nc + 1, sizeof(*names));
	char **cells = xcalloc((size_t)nc + 1, sizeof(*cells));
	const struct bd_list_column **cols = xcalloc((size_t)nc + 1, sizeof(*cols));
	struct strbuf sb = STRBUF_INIT;

	for (c = 0; c < nc; c++) {
		names[c] = bd_db_result_colname(res, c);
		cols[c] = bd_kit_column(def, names[c]);
	}
	if (!rows->ncols)
		bd_ui_rows_set_columns(rows, (size_t)nc, names);
	for (r = 0; r < nr; r++) {
		for (c = 0; c < nc; c++) {
			strbuf_reset(&sb);
			bd_kit_display_value(cols[c], names[c], bd_db_result_get(res, r, c), &sb);
			cells[c] = xstrdup(sb.buf);
		}
		bd_ui_rows_add(rows, (const char *const *)cells);
		for (c = 0; c < nc; c++)
			free(cells[c]);
	}
	strbuf_release(&sb);
	free(cols);
	free(cells);
	free(names);
}

void
bd_kit_rows_columns(struct bd_ui_rows *rows, const struct bd_db_result *res,
		    const char *const *extra_names, size_t n)
{
	size_t nc = (size_t)bd_db_result_cols(res), c;
	const char **names;

	if (rows->ncols)
		return;
	names = xcalloc(nc + n + 1, sizeof(*names));
	for (c = 0; c < nc + n; c++)
		names[c] = c < nc ? bd_db_result_colname(res, (int)c) : extra_names[c - nc];
	bd_ui_rows_set_columns(rows, nc + n, names);
	free(names);
}

static bool
is_plain_number(const char *v)
{
	const char *p = v + (*v == '-');
	size_t digits = strspn(p, "0123456789");

	if (!digits)
		return false;
	p += digits;
	if (*p == '.') {
		if (!(digits = strspn(p + 1, "0123456789")))
			return false;
		p += 1 + digits;
	}
	return *p == '\0';
}

/* What bd_kit_duration() writes: "1h05m", "12m", "45s". */
static bool
is_duration(const char *v)
{
	const char *p = v + (*v == '-');
	size_t digits = strspn(p, "0123456789");

	if (!digits)
		return false;
	p += digits;
	if (*p == 'h')
		return strspn(p + 1, "0123456789") == 2 && !strcmp(p + 3, "m");
	return !strcmp(p, "m") || !strcmp(p, "s");
}

void
bd_kit_rows_add(struct bd_ui_rows *rows, const struct bd_db_result *res, int r,
		const struct bd_screen *def, const char *const *extra_names,
		const char *const *extra, size_t n)
{
	size_t nc = (size_t)bd_db_result_cols(res), c;
	char **cells = xcalloc(nc + n + 1, sizeof(*cells));

	bd_kit_rows_columns(rows, res, extra_names, n);
	for (c = 0; c < nc + n; c++) {
		const char *name = c < nc ? bd_db_result_colname(res, (int)c) : extra_names[c - nc];
		const char *v = c < nc ? bd_db_result_get(res, r, (int)c) : extra[c - nc];
		const struct bd_list_column *col = bd_kit_column(def, name);
		int w = col ? col->width : 0;
		struct strbuf sb = STRBUF_INIT;

		v = v ? v : "";
		if (col && col->type != BD_COLUMN_TEXT)
			bd_kit_display_value(col, name, v, &sb);
		else if (w > 0 && (is_plain_number(v) || is_duration(v)) && (int)strlen(v) < w)
			strbuf_addf(&sb, "%*s", w, v);
		else
			strbuf_addstr(&sb, v);
		cells[c] = strbuf_detach(&sb, NULL);
	}
	bd_ui_rows_add(rows, (const char *const *)cells);
	for (c = 0; c < nc + n; c++)
		free(cells[c]);
	free(cells);
}

/* ---- control ------------------------------------------------------------- */

enum bd_ui_action
bd_kit_pass_up(struct bd_session *s, enum bd_ui_action act)
{
	if (act == BD_UI_HANGUP || s->db_broken || bd_ui_hungup(s->ui))
		return BD_UI_HANGUP;
	if (act == BD_UI_MENU || (s->client_lost && s->in_client_screen))
		return BD_UI_MENU;
	return BD_UI_NONE;
}

enum bd_ui_action
bd_kit_failed(struct bd_session *s, const struct bd_err *err)
{
	if (s->db_broken || bd_ui_hungup(s->ui))
		return BD_UI_HANGUP;
	bd_session_error(s, err);
	return BD_UI_NONE;
}

enum bd_ui_action
bd_kit_form_values(struct bd_session *s, struct bd_form *form, const struct bd_ui_form_opts *opts,
		   char ***values)
{
	for (;;) {
		struct bd_err err = BD_ERR_INIT;
		enum bd_ui_action act = bd_ui_form(s->ui, form, opts);
		size_t bad = 0;

		if (act != BD_UI_SAVE)
			return act;
		if ((*values = bd_form_params(form, &bad, &err)))
			return act;
		bd_form_goto(form, bad);
		bd_session_error(s, &err);
	}
}

const struct bd_list_option *
bd_kit_option(const struct bd_screen *def, const char *code)
{
	size_t i;

	for (i = 0; i < def->noptions; i++)
		if (!strcmp(def->options[i].code, code))
			return &def->options[i];
	return NULL;
}

/* ---- a list over rows held in memory ---------------------------------------- */

void
bd_kit_list_init(struct bd_kit_list *l, struct bd_session *s, const struct bd_screen *def)
{
	memset(l, 0, sizeof(*l));
	l->s = s;
	l->def = def;
	bd_ui_rows_init(&l->all);
}

void
bd_kit_list_release(struct bd_kit_list *l)
{
	bd_ui_rows_release(&l->all);
	bd_ui_rows_init(&l->all);
}

static int
load_query(const struct bd_kit_list *l, struct bd_ui_rows *rows, struct bd_err *err)
{
	struct bd_db_result *res =
	    l->report ? bd_session_report_query(l->s, l->def->query, l->nparams, l->params, err)
		      : bd_session_query(l->s, l->def->query, l->nparams, l->params, err);

	if (!res)
		return -1;
	if (l->shape) {
		l->shape(rows, res, l->def, l->ctx);
		bd_kit_rows_columns(rows, res, NULL, 0); /* no rows, no derived columns */
	} else {
		bd_kit_rows_from_result(rows, res, l->def);
	}
	bd_db_result_free(res);
	return 0;
}

int
bd_kit_list_fetch(void *ctx, const struct bd_ui_list_query *q, size_t offset, size_t limit,
		  struct bd_ui_rows *rows, struct bd_err *err)
{
	struct bd_kit_list *l = ctx;

	if ((offset == 0 && !l->fresh) || !l->all.ncols) {
		struct bd_ui_rows fresh;

		bd_ui_rows_init(&fresh);
		if ((l->load ? l->load : load_query)(l, &fresh, err) < 0) {
			bd_ui_rows_release(&fresh);
			return -1;
		}
		bd_ui_rows_release(&l->all);
		l->all = fresh;
		bd_kit_live_read(l->live);
	}
	l->fresh = false;
	if (l->report_order)
		bd_session_rows_page_report(&l->all, l->def, q, offset, limit, rows);
	else
		bd_session_rows_page(&l->all, l->def, q, offset, limit, rows);
	return 0;
}

/* ---- openers by name -------------------------------------------------------------- */

static struct {
	const char *screen;
	bd_kit_opener open;
} openers[16];
static size_t nopeners;

void
bd_kit_register_opener(const char *screen, bd_kit_opener open)
{
	if (nopeners == NELEM(openers))
		bd_die("too many screen openers (raise the table in src/kit/kit.c)");
	openers[nopeners].screen = screen;
	openers[nopeners++].open = open;
}

static bd_kit_opener
opener(const char *screen)
{
	size_t i;

	for (i = 0; i < nopeners; i++)
		if (!strcmp(openers[i].screen, screen))
			return openers[i].open;
	return NULL;
}

bool
bd_kit_has_opener(const char *screen)
{
	return opener(screen) != NULL;
}

enum bd_ui_action
bd_kit_open(struct bd_session *s, const char *screen, const struct bd_ui_rows *row)
{
	bd_kit_opener open = opener(screen);

	if (!open) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s cannot be opened here", screen);
		return BD_UI_NONE;
	}
	return open(s, row);
}

/* ---- the runner ----------------------------------------------------------------- */

const char *
bd_kit_param(const struct bd_session *s, const char *p, const struct bd_ui_rows *row)
{
	const char *v;

	if (*p == '=')
		return p + 1;
	if (*p != ':') { /* a cell, without the padding that aligned it */
		v = bd_ui_rows_get(row, 0, p);
		return v + strspn(v, " ");
	}
	if (!strcmp(p, ":client_code"))
		v = s->client_code;
	else if (!strcmp(p, ":client_id"))
		v = s->client_id;
	else if (!strcmp(p, ":login"))
		v = s->login;
	else
		v = NULL;
	return v && *v ? v : NULL;
}

/* The row's key as messages name it: the first param that is a column, or
 * the first column. */
static const char *
row_key(const struct bd_list_option *o, const struct bd_ui_rows *row)
{
	size_t i;

	for (i = 0; i < o->nparams; i++)
		if (o->params[i][0] != ':' && o->params[i][0] != '=')
			return bd_kit_param(NULL, o->params[i], row);
	return row->ncols ? bd_ui_rows_cell(row, 0, 0) + strspn(bd_ui_rows_cell(row, 0, 0), " ")
			  : "";
}

/* `template` with every {column} replaced by the row's value. */
static void
expand(struct strbuf *out, const char *template, const struct bd_ui_rows *row)
{
	const char *p = template;

	while (*p) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;

		if (close) {
			char *name = xstrndup(p + 1, (size_t)(close - p - 1));

			const char *v = bd_ui_rows_get(row, 0, name);

			strbuf_addstr(out, v + strspn(v, " "));
			free(name);
			p = close + 1;
		} else {
			strbuf_addch(out, *p++);
		}
	}
}

enum bd_ui_action
bd_kit_run_action(struct bd_session *s, const struct bd_list_option *o,
		  const struct bd_ui_rows *row)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf value = STRBUF_INIT, text = STRBUF_INIT;
	const char *params[16];
	const char *key = row_key(o, row);
	struct bd_db_result *res = NULL;
	enum bd_ui_action act = BD_UI_NONE;
	size_t n = 0, i;

	if (o->ask)
		expand(&text, o->ask, row);
	else
		strbuf_addf(&text, "%s %s?", o->label, key);
	if (o->confirm && (act = bd_ui_ask(s->ui, "%s", text.buf)) != BD_UI_SELECT) {
		act = bd_kit_pass_up(s, act);
		goto cleanup;
	}
	act = BD_UI_NONE;
	if (o->prompt) {
		struct strbuf label = STRBUF_INIT;

		/* a prompt alone (no confirm) shows `ask` as its hint */
		if (o->ask && !o->confirm)
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", text.buf);
		expand(&label, o->prompt, row);
		act = bd_ui_prompt(s->ui, label.buf, &value, 200);
		strbuf_release(&label);
		if (act != BD_UI_SELECT) {
			act = bd_kit_pass_up(s, act);
			goto cleanup;
		}
		act = BD_UI_NONE;
	}
	if (!o->nparams)
		params[n++] = key;
	for (i = 0; i < o->nparams && n < NELEM(params) - 1; i++)
		params[n++] = bd_kit_param(s, o->params[i], row);
	if (o->prompt)
		params[n++] = value.buf;
	if (!(res = bd_session_query(s, o->action, (int)n, params, &err))) {
		act = bd_kit_failed(s, &err);
		goto cleanup;
	}
	strbuf_reset(&text);
	/* An action that knows better says so in a column "message" (e.g.
	 * "acct1 was already enabled: nothing changed"). */
	if (*bd_db_result_text(res, 0, "message"))
		strbuf_addstr(&text, bd_db_result_text(res, 0, "message"));
	else if (o->done)
		expand(&text, o->done, row);
	else
		strbuf_addf(&text, "Done: %s %s.", o->label, key);
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", text.buf);
cleanup:
	bd_db_result_free(res);
	strbuf_release(&text);
	strbuf_release(&value);
	return act;
}

static bool
codes_have(const char *codes, const char *code)
{
	size_t n = strlen(code);
	const char *p = codes;

	while (p && *p) {
		size_t len;

		p += strspn(p, " ");
		len = strcspn(p, " ");
		if (len == n && !strncmp(p, code, n))
			return true;
		p += len;
	}
	return false;
}

/* Enter alone where no option is the default: what may be typed. */
static void
option_hint(struct bd_session *s, const struct bd_screen *def)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, "Type an option beside a row");
	for (i = 0; i < def->noptions; i++)
		strbuf_addf(&sb, "%s%s %s", i ? ", " : " (", def->options[i].code,
			    def->options[i].label);
	strbuf_addstr(&sb, def->noptions ? "), then press Enter" : ", then press Enter");
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", sb.buf);
	strbuf_release(&sb);
}

static enum bd_ui_action
take_row(struct bd_session *s, const struct bd_screen *def, const struct bd_kit_list_screen *ls,
	 const struct bd_ui_list_result *res)
{
	const char *code = *res->option ? res->option : ls->enter ? ls->enter : "";
	const struct bd_list_option *o = bd_kit_option(def, code);

	if (!*code && !def->noptions && ls->select)
		return ls->select(s, &res->row, ls->ctx);
	if (!o) {
		if (*res->option)
			bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Option %s is not valid here",
				      res->option);
		else
			option_hint(s, def);
		return BD_UI_NONE;
	}
	if (ls->option && codes_have(ls->hooked, o->code))
		return ls->option(s, o, &res->row, ls->ctx);
	if (o->screen)
		return ls->open ? ls->open(s, o, &res->row, ls->ctx)
				: bd_kit_open(s, o->screen, &res->row);
	return bd_kit_run_action(s, o, &res->row);
}

enum bd_ui_action
bd_kit_list_run(struct bd_session *s, const struct bd_kit_list_screen *ls)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen own;
	const struct bd_screen *def = ls->def ? ls->def : &own;
	struct bd_kit_list list;
	struct bd_ui_list_source mem = {&list, bd_kit_list_fetch};
	struct bd_ui_list_opts opts = {0};
	struct bd_ui_list_result res;
	struct bd_ui_list_place place = {0};
	struct strbuf subtitle = STRBUF_INIT;
	enum bd_ui_action act, up = BD_UI_NONE;
	int i;

	bd_screen_init(&own);
	if (!ls->def && bd_session_load_screen(s, ls->screen, &own, &err) < 0) {
		bd_session_error(s, &err);
		return BD_UI_EXIT;
	}
	bd_kit_list_init(&list, s, def);
	if (ls->live)
		list.live = bd_kit_live_open(s, ls->live);
	for (i = 0; ls->sort && i < (int)def->ncolumns; i++)
		if (!strcmp(def->columns[i].name, ls->sort))
			place.sort = i;
	list.load = ls->load;
	list.shape = ls->shape;
	if (ls->rows) {
		bd_ui_rows_release(&list.all);
		list.all = *ls->rows;
		bd_ui_rows_init(ls->rows);
		list.fresh = true;
	}
	list.ctx = ls->ctx;
	list.report_order = ls->report_order;
	list.report = ls->report;
	for (i = 0; i < ls->nparams && i < (int)NELEM(list.params); i++)
		list.params[list.nparams++] =
		    ls->params[i] && (*ls->params[i] == ':' || *ls->params[i] == '=')
			? bd_kit_param(s, ls->params[i], NULL)
			: ls->params[i];
	opts.exits = BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU) |
		     (ls->create ? BD_UI_BIT(BD_UI_CREATE) : 0);
	opts.labels = ls->labels;
	opts.place = &place;
	opts.note = ls->note;
	bd_ui_list_result_init(&res);
	for (;;) {
		strbuf_reset(&subtitle);
		strbuf_addstr(&subtitle, ls->subtitle	  ? ls->subtitle
					 : s->client_code ? s->client_code
							  : "");
		if (ls->live)
			strbuf_addstr(&subtitle,
				      bd_kit_live_on(list.live) ? "  live" : "  not live");
		opts.subtitle = subtitle.buf;
		bd_kit_live_wait(list.live, true);
		act = bd_ui_list(s->ui, def, ls->source ? ls->source : &mem, &opts, &res);
		bd_kit_live_wait(list.live, false);
		if (act == BD_UI_SELECT)
			act = take_row(s, def, ls, &res);
		else if (act == BD_UI_CREATE)
			act = ls->create(s, ls->ctx);
		else
			break;
		if ((up = bd_kit_pass_up(s, act)) != BD_UI_NONE)
			break;
	}
	bd_ui_list_result_release(&res);
	bd_kit_live_close(list.live);
	bd_kit_list_release(&list);
	bd_screen_release(&own);
	strbuf_release(&subtitle);
	if (up == BD_UI_NONE)
		up = bd_kit_pass_up(s, act);
	return up != BD_UI_NONE ? up : BD_UI_EXIT;
}
