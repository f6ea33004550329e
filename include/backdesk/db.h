#ifndef BACKDESK_DB_H
#define BACKDESK_DB_H
/*
 * The database layer: the only code that includes <libpq-fe.h>.
 *
 * SQL is never written in C. Every statement is a named query from
 * sql/queries/NAME.sql ("-- name: module.verb" above it), embedded at build time
 * and run with text parameters ($1..$n). A NULL parameter is SQL NULL.
 *
 * Errors are mapped to what a clerk understands (err->msg) with the SQLSTATE
 * and server text kept for the log (err->sqlstate, err->detail). Functions
 * raising SQLSTATE class "BD" (BD001 invalid, BD002 permission, BD003
 * conflict, BD004 not found) write their message for the user; it is passed
 * through the output gate and shown as is.
 *
 * A statement outside an explicit transaction that fails with a serialization
 * failure or deadlock is retried (up to 3 times). A lost connection is
 * re-established with backoff; the failed statement is reported, never
 * silently replayed, because it may have committed: only a call that carries
 * an idempotency key (bd_db_new_key) is sent again, by bd_db_query_resend()
 * or by its caller, and the database answers a key it has seen with the
 * answer it gave (sql/migrations/032_resilience.sql).
 *
 * Two ways to lose the link. By default (commands, tools) a dead link is
 * re-established at the next call, blocking, with backoff. With the
 * background reconnect (the TUI), nothing blocks: a call on a dead link
 * fails at once with BD_ERR_CONNECTION, and the caller's event loop drives
 * the reconnect with bd_db_reconnect_poll() (non-blocking connect).
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/err.h"

struct bd_db;
struct strbuf;
struct bd_db_result;

/* Connects with a libpq conninfo string ("" uses the PG* variables and
 * service files). Returns NULL with err set on failure. */
struct bd_db *bd_db_connect(const char *conninfo, struct bd_err *err);
void bd_db_free(struct bd_db *db);
/* A connection made in the background: returns at once, with the link down
 * and the background reconnect on (below); bd_db_reconnect_poll() connects
 * it, its first attempt at once. For a second server that may be away (the
 * reports' standby, database.report_conninfo) and must never hold up the
 * screen. */
struct bd_db *bd_db_connect_start(const char *conninfo);
/* A second session as db's operator (its conninfo, as a reconnect uses):
 * for work split over several server processes. NULL with err set. */
struct bd_db *bd_db_connect_again(const struct bd_db *db, struct bd_err *err);

/* The PostgreSQL session user: the operator's identity. */
const char *bd_db_user(const struct bd_db *db);
/* The socket, for poll(). */
int bd_db_socket(const struct bd_db *db);
bool bd_db_in_transaction(const struct bd_db *db);

/* Receives every server notice and warning, already passed through the
 * output gate. Without a hook they go to the log. */
void bd_db_set_notice_hook(struct bd_db *db, void (*hook)(void *ctx, const char *message),
			   void *ctx);

/* --- a lost link ------------------------------------------------------- */

/* An idempotency key: 32 random hex digits and a NUL. */
enum { BD_DB_KEY_SIZE = 33 };
void bd_db_new_key(char key[BD_DB_KEY_SIZE]);

/* Switches the background reconnect on (see above). */
void bd_db_set_background_reconnect(struct bd_db *db, bool on);
/* True while the link is up (as far as anyone has found out). */
bool bd_db_connected(const struct bd_db *db);
/*
 * Drives the background reconnect without blocking: starts an attempt when
 * the backoff allows (at once after the loss, then after 100 ms, doubling
 * to 2 s between attempts) and advances one in progress. Returns 1 when the link is up (after a
 * reconnect the session is new: prepared statements are prepared again on use, LISTENs must be
 * repeated), 0 while it is not, -1 with err set (BD_ERR_PERMISSION, "Your access was withdrawn
 * ...") when the server refused the login, e.g. the operator was disabled: no more attempts are
 * made.
 */
int bd_db_reconnect_poll(struct bd_db *db, struct bd_err *err);
/* Milliseconds until bd_db_reconnect_poll() next has something to do; 0 when
 * the link is up or refused. */
long bd_db_reconnect_delay(const struct bd_db *db);

/* --- named queries ---------------------------------------------------- */

/* The SQL text of a named query, or NULL when no such name exists. */
const char *bd_query_sql(const char *name);
/* Iteration over the catalogue, for the test that prepares every query. */
size_t bd_query_count(void);
const char *bd_query_name(size_t index);

/* Prepares named query `name` on this connection without running it: 0, or
 * -1 with err set when the SQL does not fit the schema. bd_db_query()
 * prepares on first use; this is for the test that checks every query. */
int bd_db_prepare(struct bd_db *db, const char *name, struct bd_err *err);

/* Prepares every query of `names` not yet prepared on this connection, in
 * one round trip (libpq's pipeline mode): a sign-on's queries before their
 * first use. 0, or -1 with err set (the link failed, or the SQL of one does
 * not fit the schema: it and those after it are prepared on use). */
int bd_db_prepare_all(struct bd_db *db, const char *const *names, size_t n, struct bd_err *err);

/* Runs named query `name` (on its first use on a connection, prepared and
 * run in one round trip). Returns its result (possibly 0 rows), or NULL with
 * err set. The caller frees the result with bd_db_result_free(). */
struct bd_db_result *bd_db_query(struct bd_db *db, const char *name, int nparams,
				 const char *const *params, struct bd_err *err);
/*
 * As bd_db_query(), for a call that carries an idempotency key among its
 * parameters: when the link drops before the answer arrives (outside a
 * transaction, without the background reconnect), reconnects and sends the
 * very same call again, up to 3 times. The database then answers once.
 */
struct bd_db_result *bd_db_query_resend(struct bd_db *db, const char *name, int nparams,
					const char *const *params, struct bd_err *err);
/* As bd_db_query(), discarding the result: 0 or -1. */
int bd_db_run(struct bd_db *db, const char *name, int nparams, const char *const *params,
	      struct bd_err *err);

/* Parameter list literal: bd_db_query(db, "x.y", BD_PARAMS(a, b), err). */
#define BD_PARAMS(...)                                                                             \
	(int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), (const char *const[]) \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}
#define BD_NO_PARAMS 0, NULL

/* Explicit transactions (for multi-statement units of work). */
int bd_db_begin(struct bd_db *db, struct bd_err *err);
int bd_db_commit(struct bd_db *db, struct bd_err *err);
void bd_db_rollback(struct bd_db *db);

/*
 * COPY ... FROM STDIN of named query `name` (its SQL is the COPY statement,
 * sent as it is: a COPY has no parameters and is not prepared). Between
 * bd_db_copy_begin() and bd_db_copy_end() only bd_db_copy_put() may use the
 * connection; libpq sends the data as its buffer fills, so the server reads
 * rows while the caller makes the next ones. bd_db_copy_end() with
 * `abandon` (the reason, for the server's log) ends it failed: -1 with the
 * caller's err untouched; without, 0 when the server took every row, or -1
 * with its refusal in err. The COPY ends on every path after a successful
 * begin.
 */
int bd_db_copy_begin(struct bd_db *db, const char *name, struct bd_err *err);
int bd_db_copy_put(struct bd_db *db, const char *buf, size_t len, struct bd_err *err);
int bd_db_copy_end(struct bd_db *db, const char *name, const char *abandon, struct bd_err *err);

/* Runs SQL text with no parameters, possibly several statements. For the
 * migrator and the demo seed only, whose text is embedded from sql/. */
int bd_db_exec_script(struct bd_db *db, const char *sql, struct bd_err *err);

/* Runs SQL text the caller wrote, with parameters. For tests and tools
 * only: application code runs named queries. */
struct bd_db_result *bd_db_adhoc(struct bd_db *db, const char *sql, int nparams,
				 const char *const *params, struct bd_err *err);

/* --- asynchronous use from the event loop ----------------------------- */

/* Sends a named query without waiting. One at a time per connection. */
int bd_db_send(struct bd_db *db, const char *name, int nparams, const char *const *params,
	       struct bd_err *err);
/* Reads what arrived on the socket; then bd_db_busy() tells whether the
 * result is complete. Returns -1 with err set when the link is lost. */
int bd_db_consume(struct bd_db *db, struct bd_err *err);
bool bd_db_busy(struct bd_db *db);
/* The completed result of the query sent, or NULL with err set. */
struct bd_db_result *bd_db_take(struct bd_db *db, struct bd_err *err);

/* Sends a named query whose result nobody waits for (a draft saved on field
 * exit): the caller goes on at once. Its errors are logged. The connection
 * completes it before running anything else; bd_db_poll_background(), when
 * the socket is readable, collects it early. 0, or -1 with err set. */
int bd_db_send_background(struct bd_db *db, const char *name, int nparams,
			  const char *const *params, struct bd_err *err);
void bd_db_poll_background(struct bd_db *db);
/*
 * As bd_db_send_background, for a query whose answer someone takes without
 * waiting for it (the page image of the document being keyed): `answer`
 * gets the result (its to free), or NULL and the error, once, when the
 * query completes, from bd_db_poll_background() or from the next call on
 * the connection, which completes it first. It must not use the
 * connection. bd_db_background_forget(db, ctx) withdraws the taker `ctx`
 * (the answer is then dropped).
 */
int bd_db_send_background_to(struct bd_db *db, const char *name, int nparams,
			     const char *const *params,
			     void (*answer)(void *ctx, struct bd_db_result *res,
					    const struct bd_err *err),
			     void *ctx, struct bd_err *err);
void bd_db_background_forget(struct bd_db *db, void *ctx);
/* True once for each background query the database refused (a rule, a
 * permission, a cap: not a lost link, which the reconnect handles), with
 * its error: the screen tells the operator, who would not know otherwise. */
bool bd_db_background_refused(struct bd_db *db, struct bd_err *err);

/* --- LISTEN/NOTIFY ---------------------------------------------------- */

int bd_db_listen(struct bd_db *db, const char *channel, struct bd_err *err);
/* Drains one pending notification: 1 and malloc'd *channel and *payload
 * (caller frees), or 0 when none is pending. Call bd_db_consume() first. */
int bd_db_next_notify(struct bd_db *db, char **channel, char **payload);

/* --- results ---------------------------------------------------------- */

int bd_db_result_rows(const struct bd_db_result *res);
int bd_db_result_cols(const struct bd_db_result *res);
/* The value as text ("" for NULL); valid until the result is freed. */
const char *bd_db_result_get(const struct bd_db_result *res, int row, int col);
bool bd_db_result_isnull(const struct bd_db_result *res, int row, int col);
const char *bd_db_result_colname(const struct bd_db_result *res, int col);
/* Appends the whole result as CSV (base/csv.c, RFC 4180): a header row of
 * column names, then the rows; every field passes through the output gate.
 * The one way a list, report or export becomes CSV. */
void bd_db_result_csv(const struct bd_db_result *res, struct strbuf *out);
/* Column index by name, or -1. */
int bd_db_result_col(const struct bd_db_result *res, const char *name);
/*
 * The cell of column `name` in `row`, the one lookup by name. One rule: a
 * column the result lacks and a row out of range read as SQL NULL.
 * bd_db_result_text() gives "" for NULL (for display and parameters where
 * empty means nothing); bd_db_result_value() gives NULL (to tell "" from
 * NULL, or to pass NULL on as a parameter).
 */
const char *bd_db_result_text(const struct bd_db_result *res, int row, const char *name);
const char *bd_db_result_value(const struct bd_db_result *res, int row, const char *name);
void bd_db_result_free(struct bd_db_result *res);

#endif
