/*
 * Connections, named-query execution, SQLSTATE mapping, asynchronous
 * queries and LISTEN/NOTIFY. The only file family that sees libpq.
 */
#include "backdesk/db.h"
#include "backdesk/csv.h"
#include "backdesk/date.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "db_internal.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

enum {
	MAX_RETRIES = 3,
	RECONNECT_ATTEMPTS = 6,
	MESSAGE_WIDTH = 78,
	/* the background reconnect: first try at once, then every 100 ms doubling
	 * to 2 s; an attempt that hangs is given up after the connect timeout */
	BACKOFF_FIRST_MS = 100,
	BACKOFF_MAX_MS = 2000,
	CONNECT_STEP_MS = 20,
};

/* Where the link stands (see bd_db_reconnect_poll). */
enum link_state {
	LINK_UP,
	LINK_WAITING,	 /* down; the next attempt starts at next_ms */
	LINK_CONNECTING, /* an attempt is in progress (PQconnectStart) */
	LINK_REFUSED,	 /* the server refused the login: no more attempts */
};

struct bd_db {
	PGconn *conn;
	char *conninfo;
	char *user;
	/* prepared[i] is set once catalogue query i is prepared on this connection */
	unsigned char *prepared;
	size_t prepared_len;
	const char *in_flight; /* name of the query sent with bd_db_send() */
	bool background;       /* in_flight was sent with bd_db_send_background() */
	/* Where the background query's answer goes (bd_db_send_background_to);
	 * NULL: its errors are logged and the rows dropped. */
	void (*answer)(void *ctx, struct bd_db_result *res, const struct bd_err *err);
	void *answer_ctx;
	/* The last background query the database refused, until taken by
	 * bd_db_background_refused(). */
	struct bd_err refused;
	void (*notice_hook)(void *ctx, const char *message);
	void *notice_ctx;

	/* The background reconnect (bd_db_set_background_reconnect). */
	bool background_reconnect;
	enum link_state link;
	PostgresPollingStatusType polling; /* of the attempt in progress */
	long delay_ms;
	long long next_ms, attempt_ms;
	char *refusal; /* the server's words when it refused the login */
};

struct bd_db_result {
	PGresult *res;
};

static struct bd_db_result *wrap_result(struct bd_db *db, PGresult *res, const char *name,
					struct bd_err *err);

/* --- errors ------------------------------------------------------------ */

struct sqlstate_message {
	const char *prefix;
	enum bd_err_kind kind;
	const char *message;
};

/* Most specific prefix first; the first match wins. */
static const struct sqlstate_message sqlstate_messages[] = {
    {"23505", BD_ERR_CONFLICT, "That record already exists"},
    {"23503", BD_ERR_INVALID, "That refers to a record that does not exist or is still in use"},
    {"23502", BD_ERR_INVALID, "A required value is missing"},
    {"23514", BD_ERR_INVALID, "A value is not allowed here"},
    {"23P01", BD_ERR_CONFLICT, "That overlaps an existing record"},
    {"23", BD_ERR_INVALID, "The change breaks a rule of the data"},
    {"22003", BD_ERR_INVALID, "A number is too large"},
    {"22007", BD_ERR_INVALID, "A date or time is not valid"},
    {"22008", BD_ERR_INVALID, "A date or time is out of range"},
    {"22", BD_ERR_INVALID, "A value is not in the right form"},
    {"40001", BD_ERR_CONFLICT, "Someone else changed this at the same time; please try again"},
    {"40P01", BD_ERR_CONFLICT, "Someone else changed this at the same time; please try again"},
    {"55P03", BD_ERR_CONFLICT, "Someone else is changing this record; please try again"},
    {"42501", BD_ERR_PERMISSION, "You are not allowed to do that"},
    {"28", BD_ERR_PERMISSION, "The database refused your login"},
    {"3D000", BD_ERR_CONNECTION, "The database does not exist"},
    {"57014", BD_ERR_DATABASE, "The request was cancelled"},
    {"57P", BD_ERR_CONNECTION, "The database is shutting down or restarting"},
    {"08", BD_ERR_CONNECTION, "The connection to the database failed"},
    {"53", BD_ERR_DATABASE, "The database is out of resources; please tell your supervisor"},
};

static enum bd_err_kind
own_error_kind(const char *sqlstate)
{
	if (!strcmp(sqlstate, "BD002"))
		return BD_ERR_PERMISSION;
	if (!strcmp(sqlstate, "BD003"))
		return BD_ERR_CONFLICT;
	if (!strcmp(sqlstate, "BD004"))
		return BD_ERR_NOT_FOUND;
	return BD_ERR_INVALID;
}

static void
set_result_error(struct bd_err *err, const PGresult *res, const char *what)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	const char *context = PQresultErrorField(res, PG_DIAG_CONTEXT);
	size_t i;

	if (!state)
		state = "XX000";
	if (!primary)
		primary = PQresultErrorMessage(res);
	if (!strncmp(state, "BD", 2) || !strcmp(state, "P0001")) {
		/* Our own functions speak to the user: show their words, gated. */
		char *safe = bd_gate_dup(primary, MESSAGE_WIDTH);

		const char *column = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);

		bd_err_set(err, own_error_kind(state), "%s", safe);
		free(safe);
		if (err && column)
			snprintf(err->field, sizeof(err->field), "%s", column);
	} else {
		for (i = 0; i < sizeof(sqlstate_messages) / sizeof(*sqlstate_messages); i++)
			if (!strncmp(state, sqlstate_messages[i].prefix,
				     strlen(sqlstate_messages[i].prefix)))
				break;
		if (i < sizeof(sqlstate_messages) / sizeof(*sqlstate_messages))
			bd_err_set(err, sqlstate_messages[i].kind, "%s",
				   sqlstate_messages[i].message);
		else
			bd_err_set(err, BD_ERR_DATABASE,
				   "The database reported an error; the log has the details");
	}
	if (!err)
		return;
	snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state);
	bd_err_detail(err, "%s: %s%s%s%s%s%s%s", what, primary, detail ? "; detail: " : "",
		      detail ? detail : "", hint ? "; hint: " : "", hint ? hint : "",
		      context ? "; context: " : "", context ? context : "");
}

static void
set_connection_error(struct bd_err *err, PGconn *conn, const char *msg)
{
	bd_err_set(err, BD_ERR_CONNECTION, "%s", msg);
	bd_err_detail(err, "%s", conn ? PQerrorMessage(conn) : "out of memory");
}

/* --- connections ------------------------------------------------------- */

static void
notice_processor(void *arg, const char *message)
{
	struct bd_db *db = arg;
	struct strbuf line = STRBUF_INIT;
	size_t len = strlen(message);

	while (len && (message[len - 1] == '\n' || message[len - 1] == '\r'))
		len--;
	bd_gate(&line, message, len, 200);
	if (db->notice_hook)
		db->notice_hook(db->notice_ctx, line.buf);
	else
		bd_log(BD_LOG_INFO, "server: %s", line.buf);
	strbuf_release(&line);
}

/*
 * Over TCP a link that goes dark gives no sign: keepalives and a send
 * timeout find it within a minute instead of the system's two hours (a
 * conninfo may say otherwise: it comes after them; Unix sockets ignore
 * them). The application's name and encoding come last, always.
 */
static const char *const connect_keys[] = {
    "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
    "dbname",	       "application_name",    "client_encoding",  NULL};
#define CONNECT_VALUES(conninfo)                                                                   \
	{                                                                                          \
		"20", "5", "4", "40000", (conninfo), "backdesk", "UTF8", NULL                      \
	}

static PGconn *
open_connection(const char *conninfo)
{
	const char *const values[] = CONNECT_VALUES(conninfo);

	return PQconnectdbParams(connect_keys, values, 1);
}

/* The same without waiting: the caller drives it with PQconnectPoll. */
static PGconn *
start_connection(const char *conninfo)
{
	const char *const values[] = CONNECT_VALUES(conninfo);

	return PQconnectStartParams(connect_keys, values, 1);
}

static int
after_connect(struct bd_db *db, struct bd_err *err)
{
	PQsetNoticeProcessor(db->conn, notice_processor, db);
	free(db->user);
	db->user = xstrdup(PQuser(db->conn));
	memset(db->prepared, 0, db->prepared_len);
	db->in_flight = NULL;
	db->background = false;
	db->link = LINK_UP;
	db->delay_ms = BACKOFF_FIRST_MS;
	(void)err;
	return 0;
}

/* libpq gives no SQLSTATE for a failed connection: these are the server's
 * ways of refusing a login (disabled, unknown or unauthenticated operator). */
static bool
login_refused(const char *message)
{
	return strstr(message, "not permitted to log in") ||
	       strstr(message, "authentication failed") ||
	       (strstr(message, "role \"") && strstr(message, "does not exist"));
}

struct bd_db *
bd_db_connect(const char *conninfo, struct bd_err *err)
{
	struct bd_db *db = xcalloc(1, sizeof(*db));

	db->conninfo = xstrdup(conninfo ? conninfo : "");
	db->prepared_len = bd_query_count();
	db->prepared = xcalloc(db->prepared_len + 1, 1);
	db->conn = open_connection(db->conninfo);
	if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
		set_connection_error(err, db->conn, "Cannot connect to the database");
		if (err && db->conn && login_refused(PQerrorMessage(db->conn))) {
			err->kind = BD_ERR_PERMISSION;
			snprintf(err->msg, sizeof(err->msg),
				 "The database refused your login; ask your administrator");
		}
		bd_db_free(db);
		return NULL;
	}
	after_connect(db, err);
	return db;
}

struct bd_db *
bd_db_connect_start(const char *conninfo)
{
	struct bd_db *db = xcalloc(1, sizeof(*db));

	db->conninfo = xstrdup(conninfo ? conninfo : "");
	db->prepared_len = bd_query_count();
	db->prepared = xcalloc(db->prepared_len + 1, 1);
	db->user = xstrdup("");
	db->background_reconnect = true;
	db->link = LINK_WAITING;
	db->next_ms = bd_monotonic_ms();
	db->delay_ms = BACKOFF_FIRST_MS;
	return db;
}

struct bd_db *
bd_db_connect_again(const struct bd_db *db, struct bd_err *err)
{
	return bd_db_connect(db->conninfo, err);
}

void
bd_db_free(struct bd_db *db)
{
	if (!db)
		return;
	if (db->conn)
		PQfinish(db->conn);
	free(db->prepared);
	free(db->user);
	free(db->conninfo);
	free(db->refusal);
	free(db);
}

const char *
bd_db_user(const struct bd_db *db)
{
	return db->user;
}

int
bd_db_socket(const struct bd_db *db)
{
	return db->link == LINK_UP ? PQsocket(db->conn) : -1;
}

bool
bd_db_in_transaction(const struct bd_db *db)
{
	PGTransactionStatusType s = PQtransactionStatus(db->conn);

	return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

void
bd_db_set_notice_hook(struct bd_db *db, void (*hook)(void *ctx, const char *message), void *ctx)
{
	db->notice_hook = hook;
	db->notice_ctx = ctx;
}

/* --- losing and regaining the link -------------------------------------- */

void
bd_db_new_key(char key[BD_DB_KEY_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[(BD_DB_KEY_SIZE - 1) / 2];
	size_t got = 0, i;

	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

		if (n < 0)
			bd_die("getrandom: cannot make a request key");
		got += (size_t)n;
	}
	for (i = 0; i < sizeof(raw); i++) {
		key[2 * i] = hex[raw[i] >> 4];
		key[2 * i + 1] = hex[raw[i] & 15];
	}
	key[2 * sizeof(raw)] = '\0';
}

void
bd_db_set_background_reconnect(struct bd_db *db, bool on)
{
	db->background_reconnect = on;
}

bool
bd_db_connected(const struct bd_db *db)
{
	return db->link == LINK_UP && PQstatus(db->conn) == CONNECTION_OK;
}

/* Hands a background query's answer (res, or NULL and err) to its taker,
 * once. */
static void
give_answer(struct bd_db *db, struct bd_db_result *res, const struct bd_err *err)
{
	void (*answer)(void *, struct bd_db_result *, const struct bd_err *) = db->answer;

	db->answer = NULL;
	if (answer)
		answer(db->answer_ctx, res, err);
	else
		bd_db_result_free(res);
}

/* The background query will not answer: the link went with it. */
static void
answer_lost(struct bd_db *db)
{
	struct bd_err err = BD_ERR_INIT;

	if (!db->answer)
		return;
	bd_err_set(&err, BD_ERR_CONNECTION, "The database link dropped");
	give_answer(db, NULL, &err);
}

/* The link is found dead: the background reconnect starts at once. */
static void
link_lost(struct bd_db *db)
{
	if (db->link != LINK_UP)
		return;
	bd_log(BD_LOG_WARN, "database link lost: %s", PQerrorMessage(db->conn));
	db->link = LINK_WAITING;
	db->next_ms = bd_monotonic_ms();
	db->delay_ms = BACKOFF_FIRST_MS;
	db->in_flight = NULL;
	db->background = false;
	answer_lost(db);
}

static void
attempt_failed(struct bd_db *db)
{
	bd_log(BD_LOG_DEBUG, "reconnect: %s",
	       db->conn ? PQerrorMessage(db->conn) : "out of memory");
	db->link = LINK_WAITING;
	db->next_ms = bd_monotonic_ms() + db->delay_ms;
	db->delay_ms = db->delay_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : db->delay_ms * 2;
}

static long
attempt_timeout_ms(void)
{
	const char *t = getenv("PGCONNECT_TIMEOUT");
	long s = t ? strtol(t, NULL, 10) : 0;

	return (s > 0 ? s : 10) * 1000;
}

static void
set_refused_error(struct bd_db *db, struct bd_err *err)
{
	bd_err_set(err, BD_ERR_PERMISSION,
		   "Your access was withdrawn: the database no longer accepts your login");
	bd_err_detail(err, "%s", db->refusal ? db->refusal : "");
}

/* Whether PQconnectPoll can make progress now (a zero-timeout poll). */
static bool
attempt_ready(struct bd_db *db)
{
	struct pollfd p = {PQsocket(db->conn), 0, 0};

	if (p.fd < 0)
		return true;
	p.events = db->polling == PGRES_POLLING_WRITING ? POLLOUT : POLLIN;
	return poll(&p, 1, 0) != 0;
}

int
bd_db_reconnect_poll(struct bd_db *db, struct bd_err *err)
{
	switch (db->link) {
	case LINK_UP:
		if (PQstatus(db->conn) == CONNECTION_OK)
			return 1;
		link_lost(db);
		return 0;
	case LINK_REFUSED:
		set_refused_error(db, err);
		return -1;
	case LINK_WAITING:
		if (bd_monotonic_ms() < db->next_ms)
			return 0;
		PQfinish(db->conn);
		db->conn = start_connection(db->conninfo);
		if (!db->conn || PQstatus(db->conn) == CONNECTION_BAD) {
			attempt_failed(db);
			return 0;
		}
		db->link = LINK_CONNECTING;
		db->polling = PGRES_POLLING_WRITING;
		db->attempt_ms = bd_monotonic_ms();
		/* fall through */
	case LINK_CONNECTING:
		if (!attempt_ready(db)) {
			if (bd_monotonic_ms() - db->attempt_ms > attempt_timeout_ms())
				attempt_failed(db);
			return 0;
		}
		db->polling = PQconnectPoll(db->conn);
		if (db->polling == PGRES_POLLING_OK) {
			after_connect(db, NULL);
			bd_log(BD_LOG_WARN, "database connection re-established");
			return 1;
		}
		if (db->polling == PGRES_POLLING_FAILED) {
			if (login_refused(PQerrorMessage(db->conn))) {
				free(db->refusal);
				db->refusal = xstrdup(PQerrorMessage(db->conn));
				bd_log(BD_LOG_WARN, "database refused the login: %s", db->refusal);
				db->link = LINK_REFUSED;
				set_refused_error(db, err);
				return -1;
			}
			attempt_failed(db);
		}
		return 0;
	}
	return 0;
}

long
bd_db_reconnect_delay(const struct bd_db *db)
{
	long long left;

	switch (db->link) {
	case LINK_WAITING:
		left = db->next_ms - bd_monotonic_ms();
		return left < 1 ? 1 : (long)left;
	case LINK_CONNECTING:
		return CONNECT_STEP_MS;
	case LINK_UP:
	case LINK_REFUSED:
		break;
	}
	return 0;
}

/* Re-establishes a lost link, backing off from 100 ms to 3.2 s. */
static int
reconnect(struct bd_db *db)
{
	long delay_ms = 100;
	int attempt;

	for (attempt = 0; attempt < RECONNECT_ATTEMPTS; attempt++) {
		struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};

		PQreset(db->conn);
		if (PQstatus(db->conn) == CONNECTION_OK) {
			bd_log(BD_LOG_WARN, "database connection re-established");
			return after_connect(db, NULL);
		}
		nanosleep(&ts, NULL);
		delay_ms *= 2;
	}
	return -1;
}

static int
report_lost_link(struct bd_db *db, struct bd_err *err)
{
	char detail[512];

	snprintf(detail, sizeof(detail), "%s", PQerrorMessage(db->conn));
	if (db->background_reconnect) {
		link_lost(db);
		bd_err_set(err, BD_ERR_CONNECTION, "The database link dropped; reconnecting");
		bd_err_detail(err, "%s", detail);
		return -1;
	}
	if (reconnect(db) == 0)
		bd_err_set(err, BD_ERR_CONNECTION,
			   "The database link dropped and is back; please repeat the last action");
	else
		bd_err_set(err, BD_ERR_CONNECTION, "The database cannot be reached");
	bd_err_detail(err, "%s", detail);
	return -1;
}

/*
 * Whether a failed result means the link is gone: libpq says so, the server
 * said it ends the session (57P01..57P03), or libpq made the error itself
 * (no SQLSTATE) about the socket, which it can do before it has marked the
 * connection bad (a server that closed the connection while the call was
 * being sent).
 */
static bool
link_broken(struct bd_db *db, const PGresult *res)
{
	const char *msg = PQresultErrorMessage(res);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (PQstatus(db->conn) == CONNECTION_BAD)
		return true;
	/* the server ends the session: terminated, crashed, shutting down */
	if (state)
		return !strncmp(state, "57P0", 4);
	return strstr(msg, "server closed the connection") || strstr(msg, "no connection to") ||
	       strstr(msg, "could not send data") || strstr(msg, "could not receive data");
}

/* A failed result of query `name` into err: the lost link, or the server's refusal. */
static void
result_failed(struct bd_db *db, const PGresult *res, const char *name, struct bd_err *err)
{
	if (link_broken(db, res))
		report_lost_link(db, err);
	else
		set_result_error(err, res, name);
}

/* 0 when result `res` of `name` has status `want`; else -1 with err set:
 * the lost link or the server's refusal, or `internal` naming the reply. */
static int
result_expect(struct bd_db *db, const PGresult *res, ExecStatusType want, const char *name,
	      const char *internal, struct bd_err *err)
{
	ExecStatusType st = PQresultStatus(res);

	if (st == want)
		return 0;
	if (st == PGRES_FATAL_ERROR || st == PGRES_NONFATAL_ERROR) {
		result_failed(db, res, name, err);
		return -1;
	}
	bd_err_set(err, BD_ERR_INTERNAL, "%s", internal);
	bd_err_detail(err, "%s: %s", name, PQresStatus(st));
	return -1;
}

/*
 * Before anything is sent: 0 when the link is up. Otherwise, with the
 * background reconnect, -1 at once (nothing was sent, the caller may repeat
 * it when the link is back); without it, a dead link is restored first
 * (nothing was sent yet, so that is silent).
 */
static int
link_ready(struct bd_db *db, struct bd_err *err)
{
	if (db->link == LINK_UP && PQstatus(db->conn) != CONNECTION_BAD)
		return 0;
	if (db->background_reconnect) {
		link_lost(db);
		if (db->link == LINK_REFUSED)
			set_refused_error(db, err);
		else
			bd_err_set(err, BD_ERR_CONNECTION,
				   "The database is not connected; reconnecting");
		return -1;
	}
	if (reconnect(db) < 0) {
		set_connection_error(err, db->conn, "The database cannot be reached");
		return -1;
	}
	return 0;
}

/* --- named queries ----------------------------------------------------- */

/* Logs the outcome of a background query, or gives it to its taker;
 * consumes res. */
static void
log_background(struct bd_db *db, PGresult *res)
{
	struct bd_err err = BD_ERR_INIT;
	bool taken = db->answer != NULL;
	struct bd_db_result *out = wrap_result(db, res, db->in_flight, &err);

	if (taken) {
		if (db->answer)
			give_answer(db, out, &err);
		else
			bd_db_result_free(out); /* the link went: the taker heard */
		return;
	}
	if (out) {
		bd_db_result_free(out);
		return;
	}
	bd_log_err(&err);
	if (err.kind != BD_ERR_CONNECTION && err.kind != BD_ERR_INTERNAL)
		db->refused = err;
}

bool
bd_db_background_refused(struct bd_db *db, struct bd_err *err)
{
	if (!db || db->refused.kind == BD_ERR_NONE)
		return false;
	if (err)
		*err = db->refused;
	bd_err_clear(&db->refused);
	return true;
}

/* Waits for a background query still in flight, so the link is free. */
static void
finish_background(struct bd_db *db)
{
	PGresult *res;

	if (!db->in_flight || !db->background)
		return;
	while ((res = PQgetResult(db->conn)))
		log_background(db, res);
	db->in_flight = NULL;
	db->background = false;
	if (PQstatus(db->conn) == CONNECTION_BAD && db->background_reconnect)
		link_lost(db);
	answer_lost(db);
}

/* Is a named query's SQL (after its comment lines) a COPY? */
static bool
is_copy(const char *sql)
{
	for (;;) {
		sql += strspn(sql, " \t\r\n");
		if (strncmp(sql, "--", 2))
			return !strncmp(sql, "COPY ", 5);
		sql += strcspn(sql, "\n");
	}
}

static int
ensure_prepared(struct bd_db *db, const char *name, struct bd_err *err)
{
	int i = bd_query_index(name);
	PGresult *res;
	int rc = -1;

	finish_background(db);
	if (link_ready(db, err) < 0)
		return -1;
	if (i < 0) {
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: unknown query");
		bd_err_detail(err, "no named query %s", name);
		return -1;
	}
	if (db->prepared[i])
		return 0;
	if (is_copy(bd_query_sql(name))) {
		/* a COPY is not prepared: bd_db_copy_begin() sends its text */
		db->prepared[i] = 1;
		return 0;
	}
	res = PQprepare(db->conn, name, bd_query_sql(name), 0, NULL);
	rc =
	    result_expect(db, res, PGRES_COMMAND_OK, name, "Internal error preparing a query", err);
	if (rc == 0)
		db->prepared[i] = 1;
	PQclear(res);
	return rc;
}

int
bd_db_prepare(struct bd_db *db, const char *name, struct bd_err *err)
{
	return ensure_prepared(db, name, err);
}

/*
 * One round trip instead of one per statement: libpq's pipeline mode sends
 * the Parse of every name in `names` not yet prepared (and, with `exec`, the
 * Bind and Execute of that name) before a single Sync, then reads the
 * replies. Each statement the server accepted is marked prepared. With
 * `exec`, its result (or the first error) is returned through *out.
 * Returns 0 when every statement was prepared, -1 with err set when the
 * link failed or the server refused one (those after it stay unprepared and
 * are prepared on use, where their error is reported as usual).
 */
static int
prepare_pipelined(struct bd_db *db, const char *const *names, size_t n, const char *exec,
		  int nparams, const char *const *params, PGresult **out, struct bd_err *err)
{
	int *index = xcalloc(n + 1, sizeof(*index));
	size_t sent = 0, i, got = 0;
	PGresult *res, *failed = NULL;
	const char *failed_name = NULL;
	bool synced = false;
	int nulls = 0, rc = -1;

	if (out)
		*out = NULL;
	for (i = 0; i < n; i++) {
		int k = bd_query_index(names[i]);

		if (k < 0) {
			bd_err_set(err, BD_ERR_INTERNAL, "Internal error: unknown query");
			bd_err_detail(err, "no named query %s", names[i]);
			goto cleanup;
		}
		if (db->prepared[k])
			continue;
		index[sent++] = (int)i;
	}
	if (!sent && !exec) {
		rc = 0;
		goto cleanup;
	}
	if (!PQenterPipelineMode(db->conn)) {
		set_connection_error(err, db->conn, "Cannot send the request to the database");
		goto cleanup;
	}
	for (i = 0; i < sent; i++)
		if (!PQsendPrepare(db->conn, names[index[i]], bd_query_sql(names[index[i]]), 0,
				   NULL))
			break;
	if (i < sent ||
	    (exec && !PQsendQueryPrepared(db->conn, exec, nparams, params, NULL, NULL, 0)) ||
	    !PQpipelineSync(db->conn)) {
		PQexitPipelineMode(db->conn);
		if (PQstatus(db->conn) == CONNECTION_BAD)
			report_lost_link(db, err);
		else
			set_connection_error(err, db->conn,
					     "Cannot send the request to the database");
		goto cleanup;
	}
	/* Replies: one result per statement, each followed by a NULL, then the
	 * Sync's. After an error the rest come as PIPELINE_ABORTED. */
	while (PQstatus(db->conn) != CONNECTION_BAD) {
		ExecStatusType st;

		if (!(res = PQgetResult(db->conn))) {
			if (++nulls > 1)
				break; /* nothing more will come: the link failed */
			continue;
		}
		nulls = 0;
		st = PQresultStatus(res);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			synced = true;
			break;
		}
		if (got < sent) {
			const char *name = names[index[got++]];

			if (st == PGRES_COMMAND_OK) {
				db->prepared[bd_query_index(name)] = 1;
				PQclear(res);
			} else if (!failed) {
				failed = res;
				failed_name = name;
			} else {
				PQclear(res);
			}
		} else if (out && !*out && (!failed || st != PGRES_PIPELINE_ABORTED)) {
			*out = res;
		} else {
			PQclear(res);
		}
	}
	/* Out of pipeline mode on every path, so the next call may be
	 * synchronous (a connection that failed is replaced on reconnect). */
	if (PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF)
		PQexitPipelineMode(db->conn);
	if (!synced) {
		if (out && *out) {
			PQclear(*out);
			*out = NULL;
		}
		if (failed && !link_broken(db, failed))
			set_result_error(err, failed, failed_name);
		else
			report_lost_link(db, err);
	} else if (failed) {
		if (link_broken(db, failed))
			report_lost_link(db, err);
		else
			set_result_error(err, failed, failed_name);
	} else {
		rc = 0;
	}
cleanup:
	if (failed)
		PQclear(failed);
	free(index);
	return rc;
}

int
bd_db_prepare_all(struct bd_db *db, const char *const *names, size_t n, struct bd_err *err)
{
	finish_background(db);
	if (db->in_flight) {
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: the database is busy");
		bd_err_detail(err, "prepare sent while %s is in flight", db->in_flight);
		return -1;
	}
	if (link_ready(db, err) < 0)
		return -1;
	return prepare_pipelined(db, names, n, NULL, 0, NULL, NULL, err);
}

static bool
retryable(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	return state && (!strcmp(state, "40001") || !strcmp(state, "40P01"));
}

/* Wraps a finished PGresult, or maps its error; consumes res. */
static struct bd_db_result *
wrap_result(struct bd_db *db, PGresult *res, const char *name, struct bd_err *err)
{
	struct bd_db_result *out;

	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		out = xmalloc(sizeof(*out));
		out->res = res;
		return out;
	case PGRES_FATAL_ERROR:
	case PGRES_NONFATAL_ERROR:
		result_failed(db, res, name, err);
		break;
	case PGRES_EMPTY_QUERY:
	case PGRES_COPY_OUT:
	case PGRES_COPY_IN:
	case PGRES_COPY_BOTH:
	case PGRES_BAD_RESPONSE:
	case PGRES_SINGLE_TUPLE:
	case PGRES_PIPELINE_SYNC:
	case PGRES_PIPELINE_ABORTED:
	default:
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: unexpected database reply");
		bd_err_detail(err, "%s: %s", name, PQresStatus(PQresultStatus(res)));
		break;
	}
	PQclear(res);
	return NULL;
}

struct bd_db_result *
bd_db_query(struct bd_db *db, const char *name, int nparams, const char *const *params,
	    struct bd_err *err)
{
	bool may_retry;
	int attempt;

	finish_background(db);
	may_retry = !bd_db_in_transaction(db);
	if (db->in_flight) {
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: the database is busy");
		bd_err_detail(err, "%s sent while %s is in flight", name, db->in_flight);
		return NULL;
	}
	if (link_ready(db, err) < 0)
		return NULL;
	for (attempt = 0;; attempt++) {
		int k = bd_query_index(name);
		PGresult *res;

		if (k >= 0 && !db->prepared[k]) {
			/* first use on this connection: prepared and run in one
			 * round trip */
			if (prepare_pipelined(db, &name, 1, name, nparams, params, &res, err) < 0)
				return NULL;
		} else {
			if (ensure_prepared(db, name, err) < 0)
				return NULL;
			res = PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
		}
		if (may_retry && attempt < MAX_RETRIES && retryable(res)) {
			bd_log(BD_LOG_INFO, "%s: %s, retrying", name,
			       PQresultErrorField(res, PG_DIAG_SQLSTATE));
			PQclear(res);
			continue;
		}
		return wrap_result(db, res, name, err);
	}
}

struct bd_db_result *
bd_db_query_resend(struct bd_db *db, const char *name, int nparams, const char *const *params,
		   struct bd_err *err)
{
	int attempt;

	for (attempt = 0;; attempt++) {
		struct bd_err e = BD_ERR_INIT;
		struct bd_db_result *res = bd_db_query(db, name, nparams, params, &e);

		if (res || e.kind != BD_ERR_CONNECTION || attempt >= MAX_RETRIES ||
		    db->background_reconnect || bd_db_in_transaction(db)) {
			if (!res && err)
				*err = e;
			return res;
		}
		bd_log(BD_LOG_WARN, "%s: no answer (%s); sending it again with its key", name,
		       e.detail);
	}
}

int
bd_db_run(struct bd_db *db, const char *name, int nparams, const char *const *params,
	  struct bd_err *err)
{
	struct bd_db_result *res = bd_db_query(db, name, nparams, params, err);

	if (!res)
		return -1;
	bd_db_result_free(res);
	return 0;
}

struct bd_db_result *
bd_db_adhoc(struct bd_db *db, const char *sql, int nparams, const char *const *params,
	    struct bd_err *err)
{
	finish_background(db);
	return wrap_result(db, PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0),
			   "adhoc", err);
}

int
bd_db_copy_begin(struct bd_db *db, const char *name, struct bd_err *err)
{
	const char *sql = bd_query_sql(name);
	PGresult *res;
	int rc = -1;

	finish_background(db);
	if (!sql || !is_copy(sql)) {
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: not a COPY");
		bd_err_detail(err, "no named COPY %s", name);
		return -1;
	}
	if (link_ready(db, err) < 0)
		return -1;
	res = PQexec(db->conn, sql);
	rc = result_expect(db, res, PGRES_COPY_IN, name,
			   "Internal error: unexpected database reply", err);
	PQclear(res);
	return rc;
}

int
bd_db_copy_put(struct bd_db *db, const char *buf, size_t len, struct bd_err *err)
{
	while (len > 0) {
		int n = len > (1 << 30) ? 1 << 30 : (int)len;

		if (PQputCopyData(db->conn, buf, n) != 1) {
			set_connection_error(err, db->conn, "The database link dropped");
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
bd_db_copy_end(struct bd_db *db, const char *name, const char *abandon, struct bd_err *err)
{
	PGresult *res;
	int rc = -1;

	if (PQputCopyEnd(db->conn, abandon) != 1) {
		set_connection_error(err, db->conn, "The database link dropped");
		return -1;
	}
	while ((res = PQgetResult(db->conn))) {
		/* abandoned: the caller's error stands */
		if (!abandon)
			rc = result_expect(db, res, PGRES_COMMAND_OK, name,
					   "Internal error: unexpected database reply", err);
		PQclear(res);
	}
	return rc;
}

int
bd_db_exec_script(struct bd_db *db, const char *sql, struct bd_err *err)
{
	PGresult *res;
	int rc = -1;

	finish_background(db);
	if (db->background_reconnect && link_ready(db, err) < 0)
		return -1;
	res = PQexec(db->conn, sql);
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		rc = 0;
		break;
	default:
		if (PQstatus(db->conn) == CONNECTION_BAD) {
			set_connection_error(err, db->conn, "The database link dropped");
			if (db->background_reconnect)
				link_lost(db);
		} else
			set_result_error(err, res, "script");
		break;
	}
	PQclear(res);
	return rc;
}

static int
simple_command(struct bd_db *db, const char *command, struct bd_err *err)
{
	return bd_db_exec_script(db, command, err);
}

int
bd_db_begin(struct bd_db *db, struct bd_err *err)
{
	return simple_command(db, "BEGIN", err);
}

int
bd_db_commit(struct bd_db *db, struct bd_err *err)
{
	return simple_command(db, "COMMIT", err);
}

void
bd_db_rollback(struct bd_db *db)
{
	if (bd_db_in_transaction(db))
		simple_command(db, "ROLLBACK", NULL);
}

/* --- asynchronous ------------------------------------------------------ */

int
bd_db_send(struct bd_db *db, const char *name, int nparams, const char *const *params,
	   struct bd_err *err)
{
	finish_background(db);
	if (db->in_flight) {
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: the database is busy");
		bd_err_detail(err, "%s sent while %s is in flight", name, db->in_flight);
		return -1;
	}
	if (ensure_prepared(db, name, err) < 0)
		return -1;
	if (!PQsendQueryPrepared(db->conn, name, nparams, params, NULL, NULL, 0)) {
		if (PQstatus(db->conn) == CONNECTION_BAD)
			return report_lost_link(db, err);
		set_connection_error(err, db->conn, "Cannot send the request to the database");
		return -1;
	}
	db->in_flight = bd_query_sql(name) ? name : NULL;
	db->background = false;
	return 0;
}

int
bd_db_send_background(struct bd_db *db, const char *name, int nparams, const char *const *params,
		      struct bd_err *err)
{
	if (bd_db_send(db, name, nparams, params, err) < 0)
		return -1;
	db->background = true;
	return 0;
}

int
bd_db_send_background_to(struct bd_db *db, const char *name, int nparams, const char *const *params,
			 void (*answer)(void *ctx, struct bd_db_result *res,
					const struct bd_err *err),
			 void *ctx, struct bd_err *err)
{
	if (bd_db_send_background(db, name, nparams, params, err) < 0)
		return -1;
	db->answer = answer;
	db->answer_ctx = ctx;
	return 0;
}

/* The answer of a withdrawn taker: dropped, errors and all. */
static void
drop_answer(void *ctx, struct bd_db_result *res, const struct bd_err *err)
{
	(void)ctx;
	(void)err;
	bd_db_result_free(res);
}

void
bd_db_background_forget(struct bd_db *db, void *ctx)
{
	if (db && db->answer && db->answer_ctx == ctx)
		db->answer = drop_answer;
}

void
bd_db_poll_background(struct bd_db *db)
{
	PGresult *res;

	if (!db->in_flight || !db->background)
		return;
	if (!PQconsumeInput(db->conn)) {
		bd_log(BD_LOG_WARN, "background %s: %s", db->in_flight, PQerrorMessage(db->conn));
		db->in_flight = NULL;
		db->background = false;
		if (db->background_reconnect && PQstatus(db->conn) == CONNECTION_BAD)
			link_lost(db);
		answer_lost(db);
		return;
	}
	while (!PQisBusy(db->conn)) {
		if (!(res = PQgetResult(db->conn))) {
			db->in_flight = NULL;
			db->background = false;
			answer_lost(db);
			return;
		}
		log_background(db, res);
	}
}

int
bd_db_consume(struct bd_db *db, struct bd_err *err)
{
	if (db->link != LINK_UP)
		return link_ready(db, err);
	if (!PQconsumeInput(db->conn)) {
		db->in_flight = NULL;
		return report_lost_link(db, err);
	}
	return 0;
}

bool
bd_db_busy(struct bd_db *db)
{
	return db->in_flight && db->link == LINK_UP && PQisBusy(db->conn);
}

struct bd_db_result *
bd_db_take(struct bd_db *db, struct bd_err *err)
{
	const char *name = db->in_flight ? db->in_flight : "async";
	struct bd_db_result *out = NULL;
	PGresult *res, *first = NULL;

	/* Drain every result so the connection is free for the next query. */
	while ((res = PQgetResult(db->conn))) {
		if (first)
			PQclear(res);
		else
			first = res;
	}
	db->in_flight = NULL;
	if (!first) {
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: no reply from the database");
		return NULL;
	}
	out = wrap_result(db, first, name, err);
	return out;
}

/* --- LISTEN/NOTIFY ----------------------------------------------------- */

int
bd_db_listen(struct bd_db *db, const char *channel, struct bd_err *err)
{
	/* LISTEN takes no parameters: the channel is quoted as an identifier. */
	char *ident = PQescapeIdentifier(db->conn, channel, strlen(channel));
	struct strbuf sql = STRBUF_INIT;
	int rc;

	if (!ident) {
		set_connection_error(err, db->conn, "Cannot listen for changes");
		return -1;
	}
	strbuf_addf(&sql, "LISTEN %s", ident);
	PQfreemem(ident);
	rc = bd_db_exec_script(db, sql.buf, err);
	strbuf_release(&sql);
	return rc;
}

int
bd_db_next_notify(struct bd_db *db, char **channel, char **payload)
{
	PGnotify *n = db->link == LINK_UP ? PQnotifies(db->conn) : NULL;

	if (!n)
		return 0;
	*channel = xstrdup(n->relname);
	*payload = xstrdup(n->extra ? n->extra : "");
	PQfreemem(n);
	return 1;
}

/* --- results ----------------------------------------------------------- */

int
bd_db_result_rows(const struct bd_db_result *res)
{
	return PQntuples(res->res);
}

int
bd_db_result_cols(const struct bd_db_result *res)
{
	return PQnfields(res->res);
}

const char *
bd_db_result_get(const struct bd_db_result *res, int row, int col)
{
	if (row < 0 || row >= PQntuples(res->res) || col < 0 || col >= PQnfields(res->res))
		return "";
	return PQgetvalue(res->res, row, col);
}

bool
bd_db_result_isnull(const struct bd_db_result *res, int row, int col)
{
	return PQgetisnull(res->res, row, col) != 0;
}

const char *
bd_db_result_colname(const struct bd_db_result *res, int col)
{
	const char *name = PQfname(res->res, col);

	return name ? name : "";
}

void
bd_db_result_csv(const struct bd_db_result *res, struct strbuf *out)
{
	int rows = bd_db_result_rows(res), cols = bd_db_result_cols(res), r, c;

	for (r = -1; r < rows; r++) {
		for (c = 0; c < cols; c++)
			bd_csv_cell(
			    out, r < 0 ? bd_db_result_colname(res, c) : bd_db_result_get(res, r, c),
			    c == 0);
		bd_csv_end_record(out);
	}
}

int
bd_db_result_col(const struct bd_db_result *res, const char *name)
{
	int i, n = PQnfields(res->res);

	for (i = 0; i < n; i++)
		if (!strcmp(PQfname(res->res, i), name))
			return i;
	return -1;
}

const char *
bd_db_result_value(const struct bd_db_result *res, int row, const char *name)
{
	int c = bd_db_result_col(res, name);

	if (c < 0 || row < 0 || row >= PQntuples(res->res) || PQgetisnull(res->res, row, c))
		return NULL;
	return PQgetvalue(res->res, row, c);
}

const char *
bd_db_result_text(const struct bd_db_result *res, int row, const char *name)
{
	const char *v = bd_db_result_value(res, row, name);

	return v ? v : "";
}

void
bd_db_result_free(struct bd_db_result *res)
{
	if (!res)
		return;
	PQclear(res->res);
	free(res);
}
