#ifndef BACKDESK_DRAFT_H
#define BACKDESK_DRAFT_H
/*
 * Drafts of open forms, so a dropped link loses at most the field being
 * typed. A draft lives in the database (core.drafts, one per operator and
 * draft key), so it comes back whichever application host the operator
 * lands on next.
 *
 * The draft key is the screen name ("admin.client") for a new record, or
 * "<screen>:<record>" ("admin.client:ACME") when an existing record is being
 * edited, so that a restored draft reopens the same record. The data is
 * bd_form_draft_save()'s text.
 *
 * Life of a draft, driven by the module that runs the form:
 *   - bd_draft_touch() from the form's on_field_exit: sends draft.save in the
 *     background (bd_db_send_background) when the values changed; the
 *     operator never waits. The app's watch on the connection's socket
 *     collects the result (bd_db_poll_background).
 *   - bd_draft_save_now() on BD_UI_HANGUP: synchronously, before exiting.
 *   - bd_draft_discard() when the form is saved or deliberately cancelled.
 *   - at the next sign-on the app lists the drafts (draft.list) and offers
 *     each; a restored draft is applied with bd_form_draft_restore().
 *
 * Ownership: a struct bd_draft borrows db and form (which must outlive it)
 * and owns copies of the key and client id.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/form.h"
#include "backdesk/strbuf.h"

struct bd_draft {
	struct bd_db *db;
	struct bd_form *form;
	char *key;	    /* draft.save $1 */
	char *client_id;    /* draft.save $2, NULL for screens of no client */
	struct strbuf sent; /* the data last sent, to skip identical saves */
	bool stored;	    /* a draft may exist in the database */
};

/* `record` NULL or "" for a new record. client_id may be NULL. */
void bd_draft_init(struct bd_draft *d, struct bd_db *db, struct bd_form *form, const char *screen,
		   const char *record, const char *client_id);
void bd_draft_release(struct bd_draft *d);

/* The draft key for a screen and record (malloc'd). */
char *bd_draft_key(const char *screen, const char *record);
/*
 * Splits a draft key: *screen gets the screen name (malloc'd), *record the
 * record part (malloc'd) or NULL for a new record.
 */
void bd_draft_split_key(const char *key, char **screen, char **record);

/* Marks the form's current values as the baseline (e.g. just restored from
 * a draft or loaded from the database): touch only saves what differs. */
void bd_draft_baseline(struct bd_draft *d);

/* On field exit: saves the form in the background when it changed since the
 * last save. Errors are logged, never shown: a draft must not interrupt the
 * clerk. */
void bd_draft_touch(struct bd_draft *d);

/* Saves at once and waits (hangup). 0, or -1 with err set. */
int bd_draft_save_now(struct bd_draft *d, struct bd_err *err);

/* Deletes the draft (the form was saved or cancelled). 0, or -1 with err
 * set. Nothing is sent when no draft was ever saved or offered. */
int bd_draft_discard(struct bd_draft *d, struct bd_err *err);

/*
 * "14:02" when `saved_at` (a timestamptz as text, "2024-11-23 14:02:11+00")
 * is on `today` ("2024-11-23"), else "2024-11-22 14:02". Appended to out.
 */
void bd_draft_when(const char *saved_at, const char *today, struct strbuf *out);

#endif
