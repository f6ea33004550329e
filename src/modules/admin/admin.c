/*
 * The admin screens: clients, operators and the audit log viewer. See
 * include/backdesk/admin.h. The screens are data (screens/admin.*.conf);
 * this file is the glue the data cannot say: which named queries save a
 * record, how the client codes of an operator are diffed into
 * assignments, and how an audit row is shown.
 */
#include "backdesk/admin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backdesk/draft.h"
#include "backdesk/form.h"
#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

static const char *
nul_if_empty(const char *v)
{
	return v && *v ? v : NULL;
}

/* Is `code` one of the space/comma separated codes in `list`? */
static bool
codes_contain(const char *list, const char *code)
{
	size_t n = strlen(code);
	const char *p = list;

	while (*p) {
		size_t len;

		while (*p == ' ' || *p == ',')
			p++;
		len = strcspn(p, " ,");
		if (len == n && !strncasecmp(p, code, n))
			return true;
		p += len;
	}
	return false;
}

void
bd_admin_codes_array(const char *typed, struct strbuf *out)
{
	struct strbuf seen = STRBUF_INIT;
	const char *p = typed;

	strbuf_addch(out, '{');
	for (;;) {
		size_t len, i;
		char *code;

		while (*p == ' ' || *p == ',')
			p++;
		if (!(len = strcspn(p, " ,")))
			break;
		code = xstrndup(p, len);
		p += len;
		for (i = 0; code[i]; i++)
			code[i] = (char)toupper((unsigned char)code[i]);
		if (!codes_contain(seen.buf, code)) {
			if (seen.len)
				strbuf_addch(out, ',');
			strbuf_addstr(out, code);
			strbuf_addf(&seen, "%s ", code);
		}
		free(code);
	}
	strbuf_addch(out, '}');
	strbuf_release(&seen);
}

/* ---- one record in a form --------------------------------------------------- */

enum form_mode {
	MODE_NEW = 0,
	MODE_EDIT,
	MODE_SHOW,
};

struct record_form;

struct record_kind {
	const char *screen;    /* "admin.client" */
	const char *what;      /* "client", in messages */
	const char *key_field; /* the field holding the record's key */
	/* Saves the form (params: normalised values in field order) in one
	 * transaction. 0, or -1 with err set. */
	int (*save)(struct record_form *rf, char **params, struct bd_err *err);
	int (*lookup)(void *ctx, size_t field, const char *search, struct bd_ui_rows *rows,
		      struct bd_err *err);
};

struct record_form {
	struct bd_session *s;
	const struct record_kind *kind;
	enum form_mode mode;
	struct bd_screen screen;
	struct bd_form form;
	struct bd_draft draft;
	struct strbuf initial; /* draft text as loaded: "changed?" */
	char **loaded;	       /* values as loaded (EDIT/SHOW), for diffs */
	char *key;
};

/* The normalised value of field `name` in params, or "". */
static const char *
param(const struct record_form *rf, char **params, const char *name)
{
	int i = bd_screen_field_index(&rf->screen, name);

	return i >= 0 && params[i] ? params[i] : "";
}

static const char *
loaded(const struct record_form *rf, const char *name)
{
	int i = bd_screen_field_index(&rf->screen, name);

	return i >= 0 && rf->loaded ? rf->loaded[i] : "";
}

static int
load_record(struct record_form *rf, struct bd_err *err)
{
	struct bd_db_result *res;
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int rc = -1;

	if (!rf->screen.load) {
		bd_err_set(err, BD_ERR_INTERNAL, "The screen %s cannot load a record",
			   rf->screen.name);
		return -1;
	}
	if (!(res = bd_session_query(rf->s, rf->screen.load, BD_PARAMS(rf->key), err)))
		return -1;
	if (bd_db_result_rows(res) < 1) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "The %s %s no longer exists", rf->kind->what,
			   rf->key);
		goto cleanup;
	}
	rf->loaded = xcalloc(rf->screen.nfields + 1, sizeof(*rf->loaded));
	for (i = 0; i < rf->screen.nfields; i++) {
		const char *name = rf->screen.fields[i].name;
		int c = bd_db_result_col(res, name);

		strbuf_reset(&sb);
		if (c >= 0)
			bd_kit_display_value(NULL, name, bd_db_result_get(res, 0, c), &sb);
		rf->loaded[i] = xstrdup(sb.buf);
		if (bd_form_set_value(&rf->form, i, sb.buf, err) < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	strbuf_release(&sb);
	bd_db_result_free(res);
	return rc;
}

static void
record_field_exit(void *ctx, struct bd_form *form)
{
	struct record_form *rf = ctx;

	(void)form;
	if (rf->mode != MODE_SHOW && !rf->s->db_broken)
		bd_draft_touch(&rf->draft);
}

static bool
record_changed(struct record_form *rf)
{
	struct strbuf now = STRBUF_INIT;
	bool changed;

	bd_form_draft_save(&rf->form, &now);
	changed = strcmp(now.buf, rf->initial.buf) != 0;
	strbuf_release(&now);
	return changed;
}

static void
discard_draft(struct record_form *rf)
{
	struct bd_err err = BD_ERR_INIT;

	if (!rf->s->db_broken && bd_draft_discard(&rf->draft, &err) < 0)
		bd_log_err(&err);
}

static enum bd_ui_action
record_loop(struct record_form *rf)
{
	struct bd_session *s = rf->s;
	struct bd_ui_form_opts opts = {0};
	struct strbuf title = STRBUF_INIT;
	const char *what = rf->kind->what;
	enum bd_ui_action act;

	if (rf->mode == MODE_NEW)
		strbuf_addf(&title, "New %s", what);
	else if (rf->mode == MODE_EDIT)
		strbuf_addf(&title, "Change %s %s", what, rf->key);
	else
		strbuf_addf(&title, "%c%s %s", toupper((unsigned char)*what), what + 1, rf->key);
	opts.title = title.buf;
	opts.ctx = rf;
	opts.lookup = rf->kind->lookup;
	if (rf->mode == MODE_SHOW) {
		opts.exits =
		    BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU);
	} else {
		opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) |
			     BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU);
		opts.enter_saves = true;
		opts.on_field_exit = record_field_exit;
	}
	for (;;) {
		struct bd_err err = BD_ERR_INIT;
		char **params;
		size_t bad = 0;

		act = bd_ui_form(s->ui, &rf->form, &opts);
		if (act == BD_UI_HANGUP) {
			if (rf->mode != MODE_SHOW && !s->db_broken &&
			    bd_draft_save_now(&rf->draft, &err) < 0)
				bd_log_err(&err);
			break;
		}
		if (act != BD_UI_SAVE) {
			if (rf->mode != MODE_SHOW && record_changed(rf) &&
			    !bd_ui_confirm(s->ui, "Leave without saving your changes?")) {
				if (bd_ui_hungup(s->ui)) {
					act = BD_UI_HANGUP;
					if (!s->db_broken &&
					    bd_draft_save_now(&rf->draft, &err) < 0)
						bd_log_err(&err);
					break;
				}
				continue;
			}
			discard_draft(rf);
			act = act == BD_UI_MENU ? BD_UI_MENU : BD_UI_EXIT;
			break;
		}
		if (!(params = bd_form_params(&rf->form, &bad, &err))) {
			bd_form_goto(&rf->form, bad);
			bd_session_error(s, &err);
			continue;
		}
		if (rf->kind->save(rf, params, &err) < 0) {
			bd_form_params_free(params, rf->form.nfields);
			if (s->db_broken) {
				act = BD_UI_HANGUP;
				break;
			}
			bd_session_error(s, &err);
			continue;
		}
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "%c%s %s %s.", toupper((unsigned char)*what),
			      what + 1, param(rf, params, rf->kind->key_field),
			      rf->mode == MODE_NEW ? "created" : "saved");
		bd_form_params_free(params, rf->form.nfields);
		discard_draft(rf);
		act = BD_UI_EXIT;
		break;
	}
	strbuf_release(&title);
	return act;
}

/*
 * Opens `kind`'s form for a new record (key NULL), to edit or to show the
 * record `key`; with `draft` (len bytes) the draft's values are put over it.
 */
static enum bd_ui_action
run_record(struct bd_session *s, const struct record_kind *kind, enum form_mode mode,
	   const char *key, const char *draft, size_t len)
{
	struct bd_err err = BD_ERR_INIT;
	struct record_form rf;
	enum bd_ui_action act = BD_UI_EXIT;
	size_t i;

	memset(&rf, 0, sizeof(rf));
	rf.s = s;
	rf.kind = kind;
	rf.mode = mode;
	rf.key = key ? xstrdup(key) : NULL;
	strbuf_init(&rf.initial, 0);
	bd_screen_init(&rf.screen);
	if (bd_session_load_screen(s, kind->screen, &rf.screen, &err) < 0) {
		bd_session_error(s, &err);
		strbuf_release(&rf.initial);
		free(rf.key);
		return BD_UI_EXIT;
	}
	for (i = 0; i < rf.screen.nfields; i++)
		if (mode == MODE_SHOW ||
		    (mode == MODE_EDIT && !strcmp(rf.screen.fields[i].name, kind->key_field)))
			rf.screen.fields[i].readonly = true;
	bd_form_init(&rf.form, &rf.screen);
	bd_form_load_defaults(&rf.form);
	bd_draft_init(&rf.draft, s->db, &rf.form, kind->screen, mode == MODE_EDIT ? key : NULL,
		      NULL);
	if (mode != MODE_NEW && load_record(&rf, &err) < 0) {
		if (s->db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(s, &err);
		if (draft) /* the record is gone: its draft is of no use */
			rf.draft.stored = true, discard_draft(&rf);
		goto cleanup;
	}
	bd_form_draft_save(&rf.form, &rf.initial);
	if (draft) {
		rf.draft.stored = true;
		if (bd_form_draft_restore(&rf.form, draft, len, &err) < 0) {
			bd_log_err(&err);
			bd_ui_message(s->ui, BD_UI_MSG_ERROR,
				      "The draft could not be read; it was discarded");
			discard_draft(&rf);
		}
	}
	bd_draft_baseline(&rf.draft);
	act = record_loop(&rf);
cleanup:
	if (rf.loaded)
		for (i = 0; i < rf.screen.nfields; i++)
			free(rf.loaded[i]);
	free(rf.loaded);
	bd_draft_release(&rf.draft);
	bd_form_release(&rf.form);
	bd_screen_release(&rf.screen);
	strbuf_release(&rf.initial);
	free(rf.key);
	return act;
}

/* ---- saving in one transaction ---------------------------------------------- */

struct step {
	const char *query;
	int nparams;
	const char *params[4];
};

/* Runs the steps in one transaction. 0, or -1 with err set (rolled back). */
static int
run_steps(struct bd_session *s, const struct step *steps, size_t n, struct bd_err *err)
{
	size_t i;

	if (bd_db_begin(s->db, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (bd_session_run(s, steps[i].query, steps[i].nparams, steps[i].params, err) < 0)
			goto fail;
	if (bd_db_commit(s->db, err) < 0)
		goto fail;
	return 0;
fail:
	if (!s->db_broken)
		bd_db_rollback(s->db);
	return -1;
}

/* ---- clients ------------------------------------------------------------------- */

static int
client_save(struct record_form *rf, char **p, struct bd_err *err)
{
	const char *code = param(rf, p, "code"), *name = param(rf, p, "name");
	const char *active = !strcmp(param(rf, p, "active"), "N") ? "false" : "true";
	struct step steps[2];
	size_t n = 0;

	if (rf->mode == MODE_NEW) {
		steps[n++] = (struct step){"admin.client_add", 2, {code, name}};
		if (!strcmp(active, "false"))
			steps[n++] = (struct step){"admin.client_set_active", 2, {code, active}};
	} else {
		if (strcmp(name, loaded(rf, "name")))
			steps[n++] = (struct step){"admin.client_rename", 2, {code, name}};
		if (strcmp(param(rf, p, "active"), loaded(rf, "active")))
			steps[n++] = (struct step){"admin.client_set_active", 2, {code, active}};
	}
	return run_steps(rf->s, steps, n, err);
}

static const struct record_kind client_kind = {"admin.client", "client", "code", client_save, NULL};

static enum bd_ui_action
open_client(struct bd_session *s, const char *key, bool show)
{
	return run_record(s, &client_kind, key ? (show ? MODE_SHOW : MODE_EDIT) : MODE_NEW, key,
			  NULL, 0);
}

enum bd_ui_action
bd_admin_client_resume(struct bd_session *s, const char *record, const char *data, size_t len)
{
	return run_record(s, &client_kind, record ? MODE_EDIT : MODE_NEW, record, data, len);
}

/* ---- operators ------------------------------------------------------------------ */

/* F4 on Clients: one row per active client not yet in the field, whose
 * value is the field with that code added. */
static int
operator_lookup(void *ctx, size_t field, const char *search, struct bd_ui_rows *rows,
		struct bd_err *err)
{
	static const char *const names[] = {"clients", "client"};
	struct record_form *rf = ctx;
	struct bd_db_result *res;
	struct strbuf value = STRBUF_INIT, desc = STRBUF_INIT;
	int r;

	if (field != (size_t)bd_screen_field_index(&rf->screen, "clients")) {
		bd_err_set(err, BD_ERR_INVALID, "There is no list for this field");
		return -1;
	}
	if (!(res = bd_session_query(rf->s, "admin.client_list", BD_PARAMS("true"), err)))
		return -1;
	bd_ui_rows_set_columns(rows, 2, names);
	for (r = 0; r < bd_db_result_rows(res); r++) {
		const char *code = bd_db_result_get(res, r, 0);
		const char *cells[2];

		if (codes_contain(search, code))
			continue;
		strbuf_reset(&value);
		strbuf_reset(&desc);
		strbuf_addstr(&value, search);
		strbuf_rtrim(&value);
		if (value.len)
			strbuf_addch(&value, ' ');
		strbuf_addstr(&value, code);
		strbuf_addf(&desc, "add %s", bd_db_result_get(res, r, 1));
		cells[0] = value.buf;
		cells[1] = desc.buf;
		bd_ui_rows_add(rows, cells);
	}
	if (!rows->nrows) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "Every active client is already in the list");
		r = -1;
	} else {
		r = 0;
	}
	strbuf_release(&desc);
	strbuf_release(&value);
	bd_db_result_free(res);
	return r;
}

/* The codes of `from` that `other` lacks, upper-cased, appended to *out
 * (malloc'd strings). */
static void
codes_missing(const char *from, const char *other, char ***out, size_t *n, size_t *alloc)
{
	const char *p = from;

	for (;;) {
		size_t len, i;
		char *code;

		while (*p == ' ' || *p == ',')
			p++;
		if (!(len = strcspn(p, " ,")))
			break;
		code = xstrndup(p, len);
		p += len;
		for (i = 0; code[i]; i++)
			code[i] = (char)toupper((unsigned char)code[i]);
		if (codes_contain(other, code)) {
			free(code);
			continue;
		}
		BD_GROW(*out, *n + 1, *alloc);
		(*out)[(*n)++] = code;
	}
}

static int
operator_save(struct record_form *rf, char **p, struct bd_err *err)
{
	const char *login = param(rf, p, "login"), *name = param(rf, p, "full_name");
	const char *role = param(rf, p, "role"), *clients = param(rf, p, "clients");
	struct strbuf codes = STRBUF_INIT;
	char **gone = NULL, **added = NULL;
	size_t ngone = 0, agone = 0, nadded = 0, aadded = 0, n = 0, i;
	struct step *steps = NULL;
	int rc;

	if (rf->mode == MODE_NEW) {
		struct step add = {"admin.operator_add", 4, {login, name, role, NULL}};

		bd_admin_codes_array(clients, &codes);
		add.params[3] = codes.buf;
		rc = run_steps(rf->s, &add, 1, err);
		strbuf_release(&codes);
		return rc;
	}
	codes_missing(loaded(rf, "clients"), clients, &gone, &ngone, &agone);
	codes_missing(clients, loaded(rf, "clients"), &added, &nadded, &aadded);
	steps = xcalloc(ngone + nadded + 2, sizeof(*steps));
	if (strcmp(name, loaded(rf, "full_name")) || strcmp(role, loaded(rf, "role")))
		steps[n++] = (struct step){"admin.operator_update", 3, {login, name, role}};
	for (i = 0; i < ngone; i++)
		steps[n++] = (struct step){"admin.unassign", 2, {login, gone[i]}};
	for (i = 0; i < nadded; i++)
		steps[n++] = (struct step){"admin.assign", 2, {login, added[i]}};
	rc = run_steps(rf->s, steps, n, err);
	for (i = 0; i < ngone; i++)
		free(gone[i]);
	for (i = 0; i < nadded; i++)
		free(added[i]);
	free(gone);
	free(added);
	free(steps);
	return rc;
}

static const struct record_kind operator_kind = {"admin.operator", "operator", "login",
						 operator_save, operator_lookup};

static enum bd_ui_action
open_operator(struct bd_session *s, const char *key, bool show)
{
	return run_record(s, &operator_kind, key ? (show ? MODE_SHOW : MODE_EDIT) : MODE_NEW, key,
			  NULL, 0);
}

enum bd_ui_action
bd_admin_operator_resume(struct bd_session *s, const char *record, const char *data, size_t len)
{
	return run_record(s, &operator_kind, record ? MODE_EDIT : MODE_NEW, record, data, len);
}

/* ---- lists with options: the kit runs them -------------------------------------- */

/* 2 and 5 open the row's record (5 to show it). */
static enum bd_ui_action
open_row(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	 void *ctx)
{
	enum bd_ui_action (*open)(struct bd_session *, const char *, bool) =
	    !strcmp(o->screen, "admin.client") ? open_client : open_operator;

	(void)ctx;
	return open(s, bd_ui_rows_cell(row, 0, 0), !strcmp(o->code, "5"));
}

static enum bd_ui_action
create_client(struct bd_session *s, void *ctx)
{
	(void)ctx;
	return open_client(s, NULL, false);
}

static enum bd_ui_action
create_operator(struct bd_session *s, void *ctx)
{
	(void)ctx;
	return open_operator(s, NULL, false);
}

enum bd_ui_action
bd_admin_clients(struct bd_session *s)
{
	/* admin.client_list $1: NULL lists inactive clients too. */
	static const struct bd_kit_list_screen ls = {.screen = "admin.clients",
						     .nparams = 1,
						     .open = open_row,
						     .create = create_client,
						     .enter = "5",
						     .subtitle = ""};

	return bd_kit_list_run(s, &ls);
}

enum bd_ui_action
bd_admin_operators(struct bd_session *s)
{
	/* admin.operator_list $1 role, $2 hide disabled: all of them. */
	static const struct bd_kit_list_screen ls = {.screen = "admin.operators",
						     .nparams = 2,
						     .open = open_row,
						     .create = create_operator,
						     .enter = "5",
						     .subtitle = ""};

	return bd_kit_list_run(s, &ls);
}

/* ---- the audit log ---------------------------------------------------------------- */

struct audit {
	struct bd_session *s;
	const struct bd_screen *def;
	struct bd_screen filter_screen;
	struct bd_form filter;
	char **params; /* the filter's normalised values, in field order */
};

static const char *
audit_param(const struct audit *a, const char *name)
{
	int i = bd_screen_field_index(&a->filter_screen, name);

	return i >= 0 && a->params ? nul_if_empty(a->params[i]) : NULL;
}

static int
audit_fetch(void *ctx, const struct bd_ui_list_query *q, size_t offset, size_t limit,
	    struct bd_ui_rows *rows, struct bd_err *err)
{
	struct audit *a = ctx;
	char slimit[24], soffset[24];
	const char *sort = NULL;
	struct bd_db_result *res;

	snprintf(slimit, sizeof(slimit), "%zu", limit);
	snprintf(soffset, sizeof(soffset), "%zu", offset);
	if (q->sort >= 0 && (size_t)q->sort < a->def->ncolumns)
		sort = a->def->columns[q->sort].name;
	res = bd_session_query(a->s, a->def->query,
			       BD_PARAMS(audit_param(a, "client"), audit_param(a, "table_name"),
					 audit_param(a, "actor"), audit_param(a, "date_from"),
					 audit_param(a, "date_to"), slimit, soffset,
					 nul_if_empty(q->filter), sort),
			       err);
	if (!res)
		return -1;
	bd_kit_rows_from_result(rows, res, NULL);
	bd_db_result_free(res);
	return 0;
}

static enum bd_ui_action
audit_option(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	     void *ctx)
{
	const char *client = bd_ui_rows_get(row, 0, "client_code");
	const char *seq = bd_ui_rows_get(row, 0, "seq");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct strbuf text = STRBUF_INIT, title = STRBUF_INIT;
	enum bd_ui_action act;

	(void)ctx;
	if (!(res = bd_session_query(s, o->action, BD_PARAMS(client, seq), &err))) {
		if (s->db_broken)
			return BD_UI_HANGUP;
		bd_session_error(s, &err);
		return BD_UI_EXIT;
	}
	if (bd_db_result_rows(res) < 1) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "That audit row cannot be read");
		bd_db_result_free(res);
		return BD_UI_EXIT;
	}
#define COL(name) bd_db_result_text(res, 0, name)
	strbuf_addf(&title, "Audit row %s %s", COL("client_code"), COL("seq"));
	strbuf_addf(&text,
		    "Client:    %s%s\nWhen:      %s\nOperator:  %s\nTable:     %s\nChange:    %s\n"
		    "Key:       %s\n",
		    COL("client_code"), !strcmp(COL("client_code"), "*") ? " (firm level)" : "",
		    COL("at"), COL("actor"), COL("table_name"), COL("op"), COL("row_key"));
	strbuf_addf(&text, "\n%s:\n%s\n",
		    !strcmp(COL("op"), "UPDATE") ? "Changed (before  ->  after)" : "Values",
		    *COL("changes") ? COL("changes") : "(no column changed)");
	if (!strcmp(COL("op"), "UPDATE"))
		strbuf_addf(&text, "\nBefore:\n%s\n\nAfter:\n%s\n", COL("old"), COL("new"));
#undef COL
	bd_db_result_free(res);
	act = bd_ui_view_text(s->ui, title.buf, text.buf, BD_UI_BIT(BD_UI_MENU));
	strbuf_release(&title);
	strbuf_release(&text);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_EXIT;
}

/* F4 on the filter's Client (your clients, and * for admins) and Operator. */
static int
audit_lookup(void *ctx, size_t field, const char *search, struct bd_ui_rows *rows,
	     struct bd_err *err)
{
	static const char *const names[] = {"code", "name"};
	struct audit *a = ctx;
	const char *name = a->filter_screen.fields[field].name;
	const char *query = a->filter_screen.fields[field].lookup;
	struct bd_db_result *res;
	int r;

	(void)search;
	if (!query) {
		bd_err_set(err, BD_ERR_INVALID, "There is no list for this field");
		return -1;
	}
	if (!strcmp(name, "client")) {
		static const char *const firm[] = {"*",
						   "firm level: clients, operators, assignments"};

		bd_ui_rows_set_columns(rows, 2, names);
		if (a->s->role_bit & BD_ROLE_ADMIN)
			bd_ui_rows_add(rows, firm);
		res = bd_session_query(a->s, query, BD_NO_PARAMS, err);
	} else {
		/* admin.operator_list: $1 role, $2 hide disabled */
		res = bd_session_query(a->s, query, BD_PARAMS(NULL, NULL), err);
	}
	if (!res)
		return -1;
	if (!rows->ncols)
		bd_ui_rows_set_columns(rows, 2, names);
	for (r = 0; r < bd_db_result_rows(res); r++) {
		/* app.my_clients: client_id, code, name; operator_list: login, full_name */
		int c0 = bd_db_result_col(res, "code") >= 0 ? bd_db_result_col(res, "code") : 0;
		const char *cells[2];

		cells[0] = bd_db_result_get(res, r, c0);
		cells[1] = bd_db_result_get(res, r, c0 + 1);
		bd_ui_rows_add(rows, cells);
	}
	bd_db_result_free(res);
	return 0;
}

static void
audit_subtitle(const struct audit *a, struct strbuf *out)
{
	static const char *const what[][2] = {{"client", "client "},
					      {"table_name", "table "},
					      {"actor", "by "},
					      {"date_from", "from "},
					      {"date_to", "to "}};
	size_t i;

	for (i = 0; i < NELEM(what); i++) {
		const char *v = audit_param(a, what[i][0]);

		if (!v)
			continue;
		if (out->len)
			strbuf_addstr(out, ", ");
		strbuf_addf(out, "%s%s", what[i][1], v);
	}
	if (!out->len)
		strbuf_addstr(out, "all rows");
}

static const struct bd_ui_label show_labels[] = {{BD_UI_SAVE, "Show"}, {BD_UI_NONE, NULL}};

enum bd_ui_action
bd_admin_audit(struct bd_session *s)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen def;
	struct audit a;
	struct bd_ui_list_source src = {&a, audit_fetch};
	struct bd_ui_form_opts fopts = {0};
	struct strbuf sub = STRBUF_INIT;
	/* 5=Show views the row the screen file's action reads (app.audit_get). */
	struct bd_kit_list_screen ls = {.screen = "admin.audit",
					.source = &src,
					.hooked = "5",
					.option = audit_option,
					.enter = "5"};
	enum bd_ui_action act = BD_UI_EXIT;

	memset(&a, 0, sizeof(a));
	a.s = s;
	a.def = &def;
	bd_screen_init(&def);
	bd_screen_init(&a.filter_screen);
	if (bd_session_load_screen(s, "admin.audit_filter", &a.filter_screen, &err) < 0 ||
	    bd_session_load_screen(s, "admin.audit", &def, &err) < 0) {
		bd_session_error(s, &err);
		bd_screen_release(&a.filter_screen);
		bd_screen_release(&def);
		return BD_UI_EXIT;
	}
	bd_form_init(&a.filter, &a.filter_screen);
	bd_form_load_defaults(&a.filter);
	/* Admins read the whole firm; the others start with the active client. */
	if (!(s->role_bit & BD_ROLE_ADMIN) && s->client_code &&
	    bd_screen_field_index(&a.filter_screen, "client") >= 0)
		bd_form_set_value(&a.filter,
				  (size_t)bd_screen_field_index(&a.filter_screen, "client"),
				  s->client_code, NULL);
	fopts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		      BD_UI_BIT(BD_UI_MENU);
	fopts.enter_saves = true;
	fopts.labels = show_labels;
	fopts.ctx = &a;
	fopts.lookup = audit_lookup;
	for (;;) {
		if ((act = bd_kit_form_values(s, &a.filter, &fopts, &a.params)) != BD_UI_SAVE)
			break;
		strbuf_reset(&sub);
		audit_subtitle(&a, &sub);
		ls.subtitle = sub.buf;
		act = bd_kit_list_run(s, &ls);
		bd_form_params_free(a.params, a.filter.nfields);
		a.params = NULL;
		if (act == BD_UI_HANGUP || act == BD_UI_MENU)
			break;
	}
	strbuf_release(&sub);
	bd_form_release(&a.filter);
	bd_screen_release(&a.filter_screen);
	bd_screen_release(&def);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_EXIT;
}
