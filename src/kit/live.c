/*
 * Live refresh: LISTEN on the clients' channels (or the operator's own),
 * coalesced into one re-read at a bounded rate. See include/backdesk/kit.h.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backdesk/connect.h"
#include "backdesk/date.h"
#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/xalloc.h"

struct bd_kit_live {
	struct bd_session *s;
	struct bd_kit_live_spec spec;
	char *client_id;  /* spec.client_id resolved (":client_id"), or NULL */
	struct bd_db *db; /* the connection listened on */
	bool own;	  /* db is ours (else spec.db, its owner reads it) */
	char **channels;  /* the channels listened to */
	size_t nchannels;
	int users; /* lists sharing this one (nested lists of one topic) */
	int watch_id, timer_id, clock_id;
	int waiting;	      /* a list waits for keys: a refresh may be asked of it */
	long long last_ms;    /* the last re-read asked for */
	long long changed_ms; /* the last change notified */
	long long read_ms;    /* the last time the rows were read */
	long long trail_ms;   /* the trailing re-read after the last change, or 0 */
	unsigned long notified, refreshed;
	struct bd_kit_live *next;
};

/* The live lists with a connection of their own: nested lists of the same
 * channels share one. */
static struct bd_kit_live *open_lives;

static void
forget_channels(struct bd_kit_live *l)
{
	size_t i;

	for (i = 0; i < l->nchannels; i++)
		free(l->channels[i]);
	free(l->channels);
	l->channels = NULL;
	l->nchannels = 0;
}

int
bd_kit_listen(struct bd_db *db, const char *topic, const char *client_id, char ***channels,
	      size_t *n, struct bd_err *err)
{
	bool operator= !strcmp(topic, "operator");
	struct bd_db_result *res = operator
				       ? bd_db_query(db, "core.operator_channel", BD_NO_PARAMS, err)
				       : bd_db_query(db, "core.client_channels", BD_PARAMS(topic),
						     err);
	char **names = NULL;
	size_t count = 0;
	int r, rc = -1;

	if (!res)
		return -1;
	names = xcalloc((size_t)bd_db_result_rows(res) + 1, sizeof(*names));
	for (r = 0; r < bd_db_result_rows(res); r++) {
		const char *name = bd_db_result_text(res, r, "channel");

		if (!operator&& client_id &&
		    strcmp(bd_db_result_text(res, r, "client_id"), client_id))
			continue;
		if (bd_db_listen(db, name, err) < 0)
			goto cleanup;
		names[count++] = xstrdup(name);
	}
	rc = 0;
cleanup:
	if (rc == 0 && channels) {
		*channels = names;
		*n = count;
	} else {
		while (count)
			free(names[--count]);
		free(names);
	}
	bd_db_result_free(res);
	return rc;
}

int
bd_kit_live_listen(struct bd_kit_live *l, struct bd_err *err)
{
	forget_channels(l);
	return bd_kit_listen(l->db, l->spec.topic, l->client_id, &l->channels, &l->nchannels, err);
}

/* The re-read: the hook, or a refresh asked of the list waiting for keys. */
static void
refresh(struct bd_kit_live *l)
{
	if (l->spec.changed) {
		l->last_ms = bd_monotonic_ms();
		l->refreshed++;
		l->spec.changed(l->s, l->spec.ctx);
		l->read_ms = bd_monotonic_ms();
		return;
	}
	if (!l->waiting || l->s->client_lost)
		return;
	l->last_ms = bd_monotonic_ms();
	l->refreshed++;
	bd_ui_request(l->s->ui, BD_UI_REFRESH);
}

/*
 * Asks for the re-read until the rows were read since the last change: a
 * request that reached a dialog over the list instead (F1, F4) is dropped
 * there, so it is asked again every BD_KIT_LIVE_MIN_MS.
 */
static long
fire(struct bd_ui *ui, void *ctx)
{
	struct bd_kit_live *l = ctx;

	(void)ui;
	if (l->read_ms > l->changed_ms) {
		long long wait = l->trail_ms - bd_monotonic_ms();

		if (!l->trail_ms) {
			l->timer_id = -1;
			return 0;
		}
		if (wait > 0)
			return (long)wait;
		/* The trailing read: asked for like a change, until done. */
		l->trail_ms = 0;
		l->changed_ms = bd_monotonic_ms();
	}
	refresh(l);
	return BD_KIT_LIVE_MIN_MS;
}

/* Coalescing: the first change re-reads at once (BD_KIT_LIVE_MIN_MS after
 * the last re-read at the soonest); those arriving meanwhile ride along. */
static void
schedule(struct bd_kit_live *l)
{
	long long wait;

	if (l->timer_id >= 0)
		return;
	wait = BD_KIT_LIVE_MIN_MS - (bd_monotonic_ms() - l->last_ms);
	if (wait < 1)
		wait = 1;
	l->timer_id = bd_ui_timer(l->s->ui, (long)wait, fire, l);
}

/* `n` notifications came (or, n 0, the listener connected again). */
static void
changed(struct bd_kit_live *l, unsigned long n)
{
	l->notified += n;
	l->changed_ms = bd_monotonic_ms();
	l->trail_ms = l->spec.trail_ms ? l->changed_ms + l->spec.trail_ms : 0;
	if (l->timer_id >= 0) { /* it may be waiting for the trailing read */
		bd_ui_timer_cancel(l->s->ui, l->timer_id);
		l->timer_id = -1;
	}
	schedule(l);
}

void
bd_kit_live_drain(struct bd_kit_live *l)
{
	char *channel, *payload;
	unsigned long mine = 0;
	size_t i;

	if (!l || !l->db)
		return;
	while (bd_db_next_notify(l->db, &channel, &payload) == 1) {
		/* The channel says what changed; the payload is empty. */
		for (i = 0; i < l->nchannels; i++)
			if (!strcmp(channel, l->channels[i])) {
				mine++;
				break;
			}
		free(channel);
		free(payload);
	}
	if (mine)
		changed(l, mine);
}

static void
drop(struct bd_kit_live *l)
{
	if (l->watch_id >= 0)
		bd_ui_unwatch(l->s->ui, l->watch_id);
	if (l->timer_id >= 0)
		bd_ui_timer_cancel(l->s->ui, l->timer_id);
	l->watch_id = l->timer_id = -1;
	if (l->own) {
		bd_db_free(l->db);
		l->db = NULL;
	}
	forget_channels(l);
}

static long clock_tick(struct bd_ui *ui, void *ctx);

static void
start_clock(struct bd_kit_live *l)
{
	long ms = l->db ? l->spec.clock_ms : BD_KIT_LIVE_RETRY_MS;

	if (l->clock_id >= 0)
		bd_ui_timer_cancel(l->s->ui, l->clock_id);
	l->clock_id = ms > 0 ? bd_ui_timer(l->s->ui, ms, clock_tick, l) : -1;
}

static void
readable(struct bd_ui *ui, int fd, void *ctx)
{
	struct bd_kit_live *l = ctx;
	struct bd_err err = BD_ERR_INIT;

	(void)fd;
	if (bd_db_consume(l->db, &err) < 0) {
		bd_log_err(&err);
		drop(l);
		bd_ui_message(ui, BD_UI_MSG_ERROR,
			      "Live updates stopped (database link lost), retrying; F5 reads "
			      "again now");
		start_clock(l);
		return;
	}
	bd_kit_live_drain(l);
}

/* Connects a listener of its own; 0, or -1 with err set. */
static int
connect_own(struct bd_kit_live *l, struct bd_err *err)
{
	char *conninfo = NULL;
	int rc = -1;

	if (!(conninfo = bd_connect_conninfo(l->s->cfg, l->s->login, err)) ||
	    !(l->db = bd_db_connect(conninfo, err)) || bd_kit_live_listen(l, err) < 0) {
		bd_db_free(l->db);
		l->db = NULL;
		goto cleanup;
	}
	/* a lost link is found at once, never waited for: the clock reconnects */
	bd_db_set_background_reconnect(l->db, true);
	l->watch_id = bd_ui_watch_fd(l->s->ui, bd_db_socket(l->db), readable, l);
	rc = 0;
cleanup:
	free(conninfo);
	return rc;
}

/*
 * The clock: re-reads now and then for what moves with time alone (minutes
 * held, leases running out), and connects the listener again after its
 * link dropped (changes may have been missed meanwhile, so that re-reads
 * too).
 */
static long
clock_tick(struct bd_ui *ui, void *ctx)
{
	struct bd_kit_live *l = ctx;
	struct bd_err err = BD_ERR_INIT;

	(void)ui;
	if (!l->db) {
		if (connect_own(l, &err) < 0) {
			bd_log_err(&err);
			return BD_KIT_LIVE_RETRY_MS;
		}
		bd_log(BD_LOG_INFO, "live %s: listening again", l->spec.topic);
		changed(l, 0);
		if (!l->spec.clock_ms) {
			l->clock_id = -1;
			return 0;
		}
		return l->spec.clock_ms;
	}
	if (l->timer_id < 0 && bd_monotonic_ms() - l->last_ms >= l->spec.clock_ms / 2)
		refresh(l);
	return l->spec.clock_ms;
}

static bool
same_spec(const struct bd_kit_live *l, const struct bd_kit_live_spec *spec, const char *client)
{
	return l->own && !spec->db && !l->spec.changed && !spec->changed &&
	       !strcmp(l->spec.topic, spec->topic) &&
	       (l->client_id ? client && !strcmp(l->client_id, client) : !client);
}

struct bd_kit_live *
bd_kit_live_open(struct bd_session *s, const struct bd_kit_live_spec *spec)
{
	struct bd_err err = BD_ERR_INIT;
	const char *client = spec->client_id && !strcmp(spec->client_id, ":client_id")
				 ? s->client_id
				 : spec->client_id;
	struct bd_kit_live *l;

	for (l = open_lives; l; l = l->next)
		if (same_spec(l, spec, client)) {
			l->users++;
			return l;
		}
	l = xcalloc(1, sizeof(*l));
	l->s = s;
	l->spec = *spec;
	l->client_id = client ? xstrdup(client) : NULL;
	l->users = 1;
	l->watch_id = l->timer_id = l->clock_id = -1;
	l->last_ms = bd_monotonic_ms();
	if (spec->db) {
		l->db = spec->db;
		if (bd_kit_live_listen(l, &err) < 0)
			bd_log_err(&err);
		return l;
	}
	l->own = true;
	if (connect_own(l, &err) < 0) {
		bd_log_err(&err);
		bd_ui_message(s->ui, BD_UI_MSG_ERROR,
			      "Live updates are off for now (%s): F5 reads again", err.msg);
	}
	start_clock(l);
	l->next = open_lives;
	open_lives = l;
	return l;
}

void
bd_kit_live_close(struct bd_kit_live *l)
{
	struct bd_kit_live **p;

	if (!l || --l->users > 0)
		return;
	bd_log(BD_LOG_INFO, "live %s: %lu notifications, %lu re-reads", l->spec.topic, l->notified,
	       l->refreshed);
	for (p = &open_lives; *p; p = &(*p)->next)
		if (*p == l) {
			*p = l->next;
			break;
		}
	drop(l);
	if (l->clock_id >= 0)
		bd_ui_timer_cancel(l->s->ui, l->clock_id);
	free(l->client_id);
	free(l);
}

bool
bd_kit_live_on(const struct bd_kit_live *l)
{
	return l && l->db;
}

void
bd_kit_live_wait(struct bd_kit_live *l, bool waiting)
{
	if (l)
		l->waiting += waiting ? 1 : -1;
}

void
bd_kit_live_read(struct bd_kit_live *l)
{
	if (l)
		l->read_ms = bd_monotonic_ms();
}
