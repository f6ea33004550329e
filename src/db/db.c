/*
 * Connections, named-query execution, SQLSTATE mapping, asynchronous
 * queries and LISTEN/NOTIFY. The only file family that sees libpq.
 */
#include "backdesk/db.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "db_internal.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_RETRIES = 3, RECONNECT_ATTEMPTS = 6, MESSAGE_WIDTH = 78 };

struct bd_db {
	PGconn *conn;
	char *conninfo;
	char *user;
	/* prepared[i] is set once catalogue query i is prepared on this connection */
	unsigned char *prepared;
	size_t prepared_len;
	const char *in_flight; /* name of the query sent with bd_db_send() */
	bool background;       /* in_flight was sent with bd_db_send_background() */
	void (*notice_hook)(void *ctx, const char *message);
	void *notice_ctx;
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

static PGconn *
open_connection(const char *conninfo)
{
	const char *const keys[] = {"dbname", "application_name", "client_encoding", NULL};
	const char *const values[] = {conninfo, "backdesk", "UTF8", NULL};

	return PQconnectdbParams(keys, values, 1);
}

static int
after_connect(struct bd_db *db, struct bd_err *err)
{
	PQsetNoticeProcessor(db->conn, notice_processor, db);
	free(db->user);
	db->user = xstrdup(PQuser(db->conn));
	memset(db->prepared, 0, db->prepared_len);
	db->in_flight = NULL;
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
	return PQsocket(db->conn);
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
	if (reconnect(db) == 0)
		bd_err_set(err, BD_ERR_CONNECTION,
			   "The database link dropped and is back; please repeat the last action");
	else
		bd_err_set(err, BD_ERR_CONNECTION, "The database cannot be reached");
	bd_err_detail(err, "%s", detail);
	return -1;
}

/* --- named queries ----------------------------------------------------- */

/* Logs the outcome of a background query; consumes res. */
static void
log_background(struct bd_db *db, PGresult *res)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *out = wrap_result(db, res, db->in_flight, &err);

	if (out)
		bd_db_result_free(out);
	else
		bd_log_err(&err);
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
}

static int
ensure_prepared(struct bd_db *db, const char *name, struct bd_err *err)
{
	int i = bd_query_index(name);
	PGresult *res;
	int rc = -1;

	finish_background(db);
	if (i < 0) {
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: unknown query");
		bd_err_detail(err, "no named query %s", name);
		return -1;
	}
	if (db->prepared[i])
		return 0;
	res = PQprepare(db->conn, name, bd_query_sql(name), 0, NULL);
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
		db->prepared[i] = 1;
		rc = 0;
		break;
	case PGRES_FATAL_ERROR:
	case PGRES_NONFATAL_ERROR:
		if (PQstatus(db->conn) == CONNECTION_BAD)
			report_lost_link(db, err);
		else
			set_result_error(err, res, name);
		break;
	default:
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error preparing a query");
		bd_err_detail(err, "%s: %s", name, PQresStatus(PQresultStatus(res)));
		break;
	}
	PQclear(res);
	return rc;
}

int
bd_db_prepare(struct bd_db *db, const char *name, struct bd_err *err)
{
	return ensure_prepared(db, name, err);
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
		if (PQstatus(db->conn) == CONNECTION_BAD)
			report_lost_link(db, err);
		else
			set_result_error(err, res, name);
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
	/* Nothing was sent yet, so a link found dead here can be restored silently. */
	if (PQstatus(db->conn) == CONNECTION_BAD && reconnect(db) < 0) {
		set_connection_error(err, db->conn, "The database cannot be reached");
		return NULL;
	}
	for (attempt = 0;; attempt++) {
		PGresult *res;

		if (ensure_prepared(db, name, err) < 0)
			return NULL;
		res = PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
		if (may_retry && attempt < MAX_RETRIES && retryable(res)) {
			bd_log(BD_LOG_INFO, "%s: %s, retrying", name,
			       PQresultErrorField(res, PG_DIAG_SQLSTATE));
			PQclear(res);
			continue;
		}
		return wrap_result(db, res, name, err);
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
bd_db_exec_script(struct bd_db *db, const char *sql, struct bd_err *err)
{
	PGresult *res;
	int rc = -1;

	finish_background(db);
	res = PQexec(db->conn, sql);
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		rc = 0;
		break;
	default:
		if (PQstatus(db->conn) == CONNECTION_BAD)
			set_connection_error(err, db->conn, "The database link dropped");
		else
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
		return;
	}
	while (!PQisBusy(db->conn)) {
		if (!(res = PQgetResult(db->conn))) {
			db->in_flight = NULL;
			db->background = false;
			return;
		}
		log_background(db, res);
	}
}

int
bd_db_consume(struct bd_db *db, struct bd_err *err)
{
	if (!PQconsumeInput(db->conn)) {
		db->in_flight = NULL;
		return report_lost_link(db, err);
	}
	return 0;
}

bool
bd_db_busy(struct bd_db *db)
{
	return db->in_flight && PQisBusy(db->conn);
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
	PGnotify *n = PQnotifies(db->conn);

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

int
bd_db_result_col(const struct bd_db_result *res, const char *name)
{
	int i, n = PQnfields(res->res);

	for (i = 0; i < n; i++)
		if (!strcmp(PQfname(res->res, i), name))
			return i;
	return -1;
}

void
bd_db_result_free(struct bd_db_result *res)
{
	if (!res)
		return;
	PQclear(res->res);
	free(res);
}
