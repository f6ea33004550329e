/* Drafts of open forms: see include/backdesk/draft.h. */
#include "backdesk/draft.h"

#include <stdlib.h>
#include <string.h>

#include "backdesk/log.h"
#include "backdesk/xalloc.h"

char *
bd_draft_key(const char *screen, const char *record)
{
	struct strbuf key = STRBUF_INIT;

	strbuf_addstr(&key, screen);
	if (record && *record)
		strbuf_addf(&key, ":%s", record);
	return strbuf_detach(&key, NULL);
}

void
bd_draft_split_key(const char *key, char **screen, char **record)
{
	const char *colon = strchr(key, ':');

	if (!colon) {
		*screen = xstrdup(key);
		*record = NULL;
		return;
	}
	*screen = xstrndup(key, (size_t)(colon - key));
	*record = colon[1] ? xstrdup(colon + 1) : NULL;
}

void
bd_draft_init(struct bd_draft *d, struct bd_db *db, struct bd_form *form, const char *screen,
	      const char *record, const char *client_id)
{
	d->db = db;
	d->form = form;
	d->key = bd_draft_key(screen, record);
	d->client_id = client_id ? xstrdup(client_id) : NULL;
	strbuf_init(&d->sent, 0);
	d->stored = false;
}

void
bd_draft_release(struct bd_draft *d)
{
	free(d->key);
	free(d->client_id);
	strbuf_release(&d->sent);
	d->key = d->client_id = NULL;
}

void
bd_draft_baseline(struct bd_draft *d)
{
	strbuf_reset(&d->sent);
	bd_form_draft_save(d->form, &d->sent);
}

/* The form's draft text when it differs from the last one sent, else NULL. */
static char *
changed_data(struct bd_draft *d)
{
	struct strbuf now = STRBUF_INIT;

	bd_form_draft_save(d->form, &now);
	if (now.len == d->sent.len && !memcmp(now.buf, d->sent.buf, now.len)) {
		strbuf_release(&now);
		return NULL;
	}
	return strbuf_detach(&now, NULL);
}

void
bd_draft_touch(struct bd_draft *d)
{
	struct bd_err err = BD_ERR_INIT;
	char *data;

	if (!d->db || !(data = changed_data(d)))
		return;
	if (bd_db_send_background(d->db, "draft.save", BD_PARAMS(d->key, d->client_id, data),
				  &err) < 0) {
		bd_log_err(&err);
		free(data);
		return;
	}
	strbuf_reset(&d->sent);
	strbuf_addstr(&d->sent, data);
	d->stored = true;
	free(data);
}

int
bd_draft_save_now(struct bd_draft *d, struct bd_err *err)
{
	struct strbuf data = STRBUF_INIT;
	int rc = -1;

	if (!d->db) {
		bd_err_set(err, BD_ERR_CONNECTION, "No database connection to save the draft");
		goto cleanup;
	}
	bd_form_draft_save(d->form, &data);
	if (bd_db_run(d->db, "draft.save", BD_PARAMS(d->key, d->client_id, data.buf), err) < 0)
		goto cleanup;
	strbuf_reset(&d->sent);
	strbuf_addstr(&d->sent, data.buf);
	d->stored = true;
	rc = 0;
cleanup:
	strbuf_release(&data);
	return rc;
}

int
bd_draft_discard(struct bd_draft *d, struct bd_err *err)
{
	if (!d->stored || !d->db)
		return 0;
	if (bd_db_run(d->db, "draft.discard", BD_PARAMS(d->key), err) < 0)
		return -1;
	d->stored = false;
	return 0;
}

void
bd_draft_when(const char *saved_at, const char *today, struct strbuf *out)
{
	size_t n = strlen(saved_at);

	/* "YYYY-MM-DD HH:MM..." */
	if (n < 16 || saved_at[10] != ' ') {
		strbuf_addstr(out, saved_at);
		return;
	}
	if (today && !strncmp(saved_at, today, 10))
		strbuf_add(out, saved_at + 11, 5);
	else
		strbuf_add(out, saved_at, 16);
}
