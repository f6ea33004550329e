/* Helpers shared by the ledger screens: see ledger_ui_internal.h. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backdesk/date.h"
#include "backdesk/ledger.h"
#include "backdesk/money.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "ledger_ui_internal.h"

/* ---- CSV files -------------------------------------------------------- */

enum bd_ui_action
lui_export_csv(struct bd_session *s, const struct bd_db_result *res, const char *suggest)
{
	struct strbuf path = STRBUF_INIT, csv = STRBUF_INIT;
	enum bd_ui_action act = BD_UI_NONE;
	struct stat st;
	FILE *f = NULL;
	size_t start, end;

	if (!res) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "There is no report to write");
		goto cleanup;
	}
	strbuf_addstr(&path, suggest);
	act = bd_ui_prompt(s->ui, "Write the report to CSV file", &path, 200);
	if (act == BD_UI_HANGUP)
		goto cleanup;
	if (act != BD_UI_SELECT) {
		act = BD_UI_NONE;
		goto cleanup;
	}
	act = BD_UI_NONE;
	for (start = 0; start < path.len && path.buf[start] == ' '; start++)
		;
	for (end = path.len; end > start && path.buf[end - 1] == ' '; end--)
		;
	if (end == start) {
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "Nothing written: no file name");
		goto cleanup;
	}
	strbuf_setlen(&path, end);
	if (start) {
		memmove(path.buf, path.buf + start, end - start + 1);
		strbuf_setlen(&path, end - start);
	}
	if (stat(path.buf, &st) == 0) {
		enum bd_ui_action answer;

		if (S_ISDIR(st.st_mode)) {
			bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s is a directory", path.buf);
			goto cleanup;
		}
		answer = bd_ui_ask(s->ui, "%s exists. Replace it?", path.buf);
		if (answer == BD_UI_HANGUP) {
			act = BD_UI_HANGUP;
			goto cleanup;
		}
		if (answer != BD_UI_SELECT) {
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "Nothing written");
			goto cleanup;
		}
	}
	bd_db_result_csv(res, &csv);
	if (!(f = fopen(path.buf, "w")) || fwrite(csv.buf, 1, csv.len, f) != csv.len) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Cannot write %s: %s", path.buf,
			      strerror(errno));
		goto cleanup;
	}
	if (fclose(f) != 0) {
		f = NULL;
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Cannot write %s: %s", path.buf,
			      strerror(errno));
		goto cleanup;
	}
	f = NULL;
	{
		/* say where a relative name went */
		char *full = realpath(path.buf, NULL);

		bd_ui_message(s->ui, BD_UI_MSG_INFO, "Wrote %d rows to %s", bd_db_result_rows(res),
			      full ? full : path.buf);
		free(full);
	}
cleanup:
	if (f)
		fclose(f);
	strbuf_release(&csv);
	strbuf_release(&path);
	return act;
}

void
lui_today(char buf[11])
{
	struct bd_date d;

	buf[0] = '\0';
	if (bd_date_today(&d, NULL) == 0)
		bd_date_to_iso(&d, buf);
}
