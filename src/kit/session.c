/*
 * What every module's screens share of the signed-on session (session.h):
 * queries with the screen alive, errors on the message line, screen files,
 * live-update channels and lists over rows held in memory. The app shell
 * owns the session; modules use it through these, never through the app.
 */
#include "backdesk/session.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backdesk/log.h"
#include "backdesk/module.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

/* ---- roles ----------------------------------------------------------------- */

unsigned
bd_role_bit(const char *role)
{
	static const char *const names[] = {"clerk", "accountant", "supervisor", "admin",
					    "payroll"};
	size_t i;

	for (i = 0; role && i < NELEM(names); i++)
		if (!strcmp(role, names[i]))
			return 1u << i;
	return 0;
}

/* ---- queries and screens ------------------------------------------------------ */

struct bd_db_result *
bd_session_query(struct bd_session *s, const char *name, int nparams, const char *const *params,
		 struct bd_err *err)
{
	bool hung = bd_ui_hungup(s->ui);
	struct bd_db_result *res;

	if (s->db_broken) {
		bd_err_set(err, BD_ERR_CONNECTION, "The connection was closed");
		return NULL;
	}
	res = bd_ui_query(s->ui, s->db, name, nparams, params, err);
	if (!res && !hung && bd_ui_hungup(s->ui))
		s->db_broken = true;
	else if (!bd_db_connected(s->db) && s->link_lost)
		s->link_lost(s);
	return res;
}

int
bd_session_run(struct bd_session *s, const char *name, int nparams, const char *const *params,
	       struct bd_err *err)
{
	struct bd_db_result *res = bd_session_query(s, name, nparams, params, err);

	bd_db_result_free(res);
	return res ? 0 : -1;
}

int
bd_session_listen_clients(struct bd_db *db, const char *topic, const char *client_id,
			  char **channel, struct bd_err *err)
{
	struct bd_db_result *res = bd_db_query(db, "core.client_channels", BD_PARAMS(topic), err);
	int r, rc = -1;

	if (channel)
		*channel = NULL;
	if (!res)
		return -1;
	for (r = 0; r < bd_db_result_rows(res); r++) {
		const char *name = bd_db_result_get(res, r, bd_db_result_col(res, "channel"));

		if (client_id &&
		    strcmp(bd_db_result_get(res, r, bd_db_result_col(res, "client_id")), client_id))
			continue;
		if (bd_db_listen(db, name, err) < 0)
			goto cleanup;
		if (channel && client_id)
			*channel = xstrdup(name);
	}
	rc = 0;
cleanup:
	if (rc < 0 && channel) {
		free(*channel);
		*channel = NULL;
	}
	bd_db_result_free(res);
	return rc;
}

void
bd_session_error(struct bd_session *s, const struct bd_err *err)
{
	bd_log_err(err);
	bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s", err->msg);
}

int
bd_session_load_screen(const struct bd_session *s, const char *name, struct bd_screen *screen,
		       struct bd_err *err)
{
	const char *dir = s->cfg ? bd_config_str(s->cfg, "ui.screens_dir") : "";
	struct strbuf path = STRBUF_INIT;
	int rc;

	if (!dir || !*dir)
		return bd_screen_load_embedded(screen, name, err);
	strbuf_addf(&path, "%s/%s.conf", dir, name);
	rc = bd_screen_load_file(screen, path.buf, err);
	strbuf_release(&path);
	return rc;
}

/* ---- rows held in memory, for small lists --------------------------------------- */

struct sort_ctx {
	const struct bd_ui_rows *rows;
	size_t col;
};

static bool
is_number(const char *s)
{
	char *end;

	if (!*s)
		return false;
	(void)strtod(s, &end);
	return *end == '\0';
}

/* Numbers largest first, text alphabetically, empty cells last; ties keep
 * the source's order. */
static int
cmp_rows(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *sc = arg;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	const char *va = bd_ui_rows_cell(sc->rows, ia, sc->col);
	const char *vb = bd_ui_rows_cell(sc->rows, ib, sc->col);
	int c;

	while (*va == ' ')
		va++;
	while (*vb == ' ')
		vb++;
	if (!*va || !*vb) {
		c = !*va - !*vb;
	} else if (is_number(va) && is_number(vb)) {
		double x = strtod(va, NULL), y = strtod(vb, NULL);

		c = (x < y) - (x > y);
	} else {
		c = strcasecmp(va, vb);
	}
	return c ? c : (ia > ib) - (ia < ib);
}

static void
rows_page(const struct bd_ui_rows *rows, const struct bd_screen *def,
	  const struct bd_ui_list_query *q, size_t offset, size_t limit, struct bd_ui_rows *out,
	  int first_sorted)
{
	size_t *idx = xcalloc(rows->nrows + 1, sizeof(*idx)), n = 0, r, c;
	const char *filter = q && q->filter ? q->filter : "";

	for (r = 0; r < rows->nrows; r++) {
		bool match = !*filter;

		for (c = 0; !match && c < rows->ncols; c++)
			match = strcasestr(bd_ui_rows_cell(rows, r, c), filter) != NULL;
		if (match)
			idx[n++] = r;
	}
	if (q && def && q->sort >= first_sorted && (size_t)q->sort < def->ncolumns) {
		struct strbuf key = STRBUF_INIT;
		int col;

		strbuf_addf(&key, "sort_%s", def->columns[q->sort].name);
		if ((col = bd_ui_rows_col(rows, key.buf)) < 0)
			col = bd_ui_rows_col(rows, def->columns[q->sort].name);
		if (col >= 0) {
			struct sort_ctx sc = {rows, (size_t)col};

			qsort_r(idx, n, sizeof(*idx), cmp_rows, &sc);
		}
		strbuf_release(&key);
	}
	if (!out->ncols)
		bd_ui_rows_set_columns(out, rows->ncols, (const char *const *)rows->names);
	for (r = offset; r < n && r < offset + limit; r++)
		bd_ui_rows_add(out, (const char *const *)rows->cells + idx[r] * rows->ncols);
	free(idx);
}

void
bd_session_rows_page(const struct bd_ui_rows *rows, const struct bd_screen *def,
		     const struct bd_ui_list_query *q, size_t offset, size_t limit,
		     struct bd_ui_rows *out)
{
	/* Every column, the first too: "Sorted by Login" is sorted by login,
	 * whatever order the source gave. */
	rows_page(rows, def, q, offset, limit, out, 0);
}

void
bd_session_rows_page_report(const struct bd_ui_rows *rows, const struct bd_screen *def,
			    const struct bd_ui_list_query *q, size_t offset, size_t limit,
			    struct bd_ui_rows *out)
{
	rows_page(rows, def, q, offset, limit, out, 1);
}

/* ---- the registry ------------------------------------------------------------- */

const char *
bd_module_approval_label(const struct bd_module *const *modules, const char *kind)
{
	const struct bd_module_approval *k;

	for (; modules && *modules; modules++)
		for (k = (*modules)->approvals; k && k->kind; k++)
			if (!strcmp(k->kind, kind))
				return k->label;
	return NULL;
}
