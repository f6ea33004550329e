#ifndef BACKDESK_KEYING_H
#define BACKDESK_KEYING_H
/*
 * The clerk's screens for data entry: "Key documents" (the work queue with
 * double keying) and "Adjudicate" (the third operator's choice between two
 * passes that differ). The queue, the rules and the comparison live in the
 * database (sql/migrations/020_entry.sql, sql/queries/entry.sql); these
 * screens are glue over the named queries entry.claim_next,
 * entry.submit_and_claim_next, entry.draft, entry.renew, entry.release,
 * entry.reject, entry.adjudication_next and entry.adjudicate.
 *
 * Key documents: the document type's form (the screen file stored in the
 * database, cached by client, type and version) under a header with the
 * reference, batch, source path and SLA. F2 submits and brings the next
 * document in the same round trip; F9 rejects (reason and note) or skips
 * (gives the document back with a note); F3 leaves with the claim and its
 * draft kept, so coming back (or a dropped link) resumes on the same
 * document. The draft is sent in the background after a field exit and
 * keeps the lease alive; a timer renews the lease while the clerk thinks.
 *
 * Type-ahead: every transition (submit, the next form, the reject dialog)
 * is a function of the keys alone; nothing is shown that takes keys only
 * sometimes. Keys typed while a query runs land in the next screen.
 *
 * Entry points (session.h): each runs until the operator leaves and
 * returns BD_UI_HANGUP when the terminal hung up, else BD_UI_EXIT or
 * BD_UI_MENU.
 */
#include <stddef.h>

#include "backdesk/err.h"
#include "backdesk/screen.h"
#include "backdesk/session.h"

enum bd_ui_action bd_keying_documents(struct bd_session *s);
enum bd_ui_action bd_keying_adjudicate(struct bd_session *s);

/*
 * The screen of a document type version (entry.doctype_screen) for the
 * keying, adjudication and QA screens: bd_entry_doctype_screen() (a form, or
 * refused). 0, or -1 with err set (screen released).
 */
int bd_keying_load_doctype(struct bd_session *s, const char *client_id, const char *doctype_id,
			   const char *version, struct bd_screen *screen, struct bd_err *err);

/*
 * The label of field `i` of a document type's screen as a message or a
 * review needs it: its label (or name), numbered when several fields share
 * it ("Amount 2": the second of the Amount fields in screen order). Appends
 * to `out`; *row_label (when not NULL) gets the label of the field that
 * starts i's row on the keying form ("Procedure 2"), or NULL.
 */
void bd_keying_field_label(const struct bd_screen *screen, size_t i, struct strbuf *out,
			   const char **row_label);

/*
 * When no document in review state `state` ("adjudication" or "qa") was
 * handed out: appends to `out` why, in the operator's words. With none
 * waiting, "Nothing is waiting for WHAT." (WHAT: "adjudication", "QA for
 * ACME"), or after some were done "Done with WHAT: the queue is empty.";
 * with some waiting that this operator may not take, how many and
 * why (keyed by them, held by others, paused, skipped). A failed query falls
 * back to the first sentence (and is logged).
 */
void bd_keying_why_empty(struct bd_session *s, const char *state, const char *what, bool done_some,
			 struct strbuf *out);

/*
 * The flat JSON the queue functions return: an object of names to strings
 * (numbers, booleans and null are kept as their text, null as NULL), or an
 * array of such objects. Nested values are refused.
 */
struct bd_keying_obj {
	size_t n, alloc;
	char **keys;   /* n malloc'd names */
	char **values; /* n malloc'd values; NULL for JSON null */
};

void bd_keying_obj_init(struct bd_keying_obj *o);
void bd_keying_obj_release(struct bd_keying_obj *o);
/* The value of `key` (NULL when absent or null). */
const char *bd_keying_obj_get(const struct bd_keying_obj *o, const char *key);

/* Parses one object into an initialised `o`. "" and "null" are an empty
 * object. 0, or -1 with err set. */
int bd_keying_json_object(const char *json, struct bd_keying_obj *o, struct bd_err *err);
/* Parses an array of objects: *objs (malloc'd, *n entries, each to be
 * released, then free the array). 0, or -1 with err set. */
int bd_keying_json_array(const char *json, struct bd_keying_obj **objs, size_t *n,
			 struct bd_err *err);

/*
 * QA review (clerks and supervisors, as the database allows): takes the
 * next sampled document of the active client (qa.next; never one the
 * reviewer keyed) and shows it in its document type's form with the
 * values as keyed. Every field the reviewer changes is wrong and the new
 * value is the correction; every other field is right. F2 records the
 * review (qa.review) and takes the next; F9 gives the document back with
 * a note; F3 leaves it held (it comes back first next time).
 */
enum bd_ui_action bd_qa_review(struct bd_session *s);

#endif
