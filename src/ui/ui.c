/*
 * The terminal and the event loop (see include/backdesk/ui.h and
 * src/ui/ui_internal.h). One poll() serves the terminal, the signal
 * self-pipe, registered fds, timers and an in-flight query.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "backdesk/config.h"
#include "backdesk/db.h"
#include "backdesk/date.h"
#include "backdesk/log.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "ui_internal.h"

#define WORKING_AFTER_MS 200

static struct bd_ui *the_ui;
static int sig_pipe[2] = {-1, -1};

static const int caught_signals[] = {SIGHUP, SIGTERM, SIGINT, SIGWINCH, SIGTSTP, SIGCONT};
#define NCAUGHT (sizeof(caught_signals) / sizeof(caught_signals[0]))
static struct sigaction saved_actions[NCAUGHT];

static void drop_ghost(struct bd_ui *ui);

/* --- signals -------------------------------------------------------------- */

static void
on_signal(int signo)
{
	int saved = errno;
	char c = (char)signo;

	if (sig_pipe[1] >= 0 && write(sig_pipe[1], &c, 1) < 0) {
		/* pipe full: a signal of this kind is already pending */
	}
	errno = saved;
}

static int
install_signals(struct bd_err *err)
{
	struct sigaction sa;
	size_t i;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		bd_err_set(err, BD_ERR_IO, "cannot set up the terminal: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NCAUGHT; i++)
		sigaction(caught_signals[i], &sa, &saved_actions[i]);
	return 0;
}

static void
remove_signals(void)
{
	size_t i;

	if (sig_pipe[0] < 0)
		return;
	for (i = 0; i < NCAUGHT; i++)
		sigaction(caught_signals[i], &saved_actions[i], NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

static void
fatal_restore(void)
{
	if (the_ui && the_ui->scr) {
		endwin();
		fflush(the_ui->out);
	}
}

/* --- opening ----------------------------------------------------------------- */

static bool
locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

int
bd_ui_check_terminal(struct bd_err *err)
{
	const char *term = getenv("TERM");
	struct winsize ws;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		bd_err_set(err, BD_ERR_IO,
			   "the screens need a terminal: standard input and output must be a "
			   "terminal");
		return -1;
	}
	if (!term || !*term) {
		bd_err_set(err, BD_ERR_IO, "TERM is not set: cannot drive the terminal");
		return -1;
	}
	if (!strcmp(term, "dumb")) {
		bd_err_set(err, BD_ERR_IO,
			   "the terminal type is \"dumb\": the screens need a full-screen "
			   "terminal (e.g. TERM=xterm-256color)");
		return -1;
	}
	if (!ui_term_known(term, STDOUT_FILENO)) {
		bd_err_set(err, BD_ERR_IO, "unknown terminal type \"%s\" (check TERM)", term);
		return -1;
	}
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col &&
	    (ws.ws_row < UI_MIN_LINES || ws.ws_col < UI_MIN_COLS)) {
		bd_err_set(err, BD_ERR_IO, "the terminal is %ux%u; the screens need at least %dx%d",
			   (unsigned)ws.ws_col, (unsigned)ws.ws_row, UI_MIN_COLS, UI_MIN_LINES);
		return -1;
	}
	if (!locale_is_utf8() && !setlocale(LC_CTYPE, "C.UTF-8")) {
		bd_err_set(err, BD_ERR_IO,
			   "the locale is not UTF-8 and C.UTF-8 is not available (set LANG)");
		return -1;
	}
	return 0;
}

static short
config_color(const struct bd_config *cfg, const char *name, short fallback)
{
	if (!cfg)
		return fallback;
	return (short)(bd_config_choice(cfg, name) - 1);
}

static void
setup_attrs(struct bd_ui *ui, const struct bd_config *cfg)
{
	ui->a_status = A_REVERSE;
	ui->a_title = A_BOLD;
	ui->a_field = A_UNDERLINE;
	ui->a_field_ro = A_NORMAL;
	ui->a_error = A_BOLD;
	ui->a_info = A_NORMAL;
	ui->a_keys = A_NORMAL;
	ui->a_popup = A_NORMAL;
	ui->a_select = A_REVERSE;
	ui->a_heading = A_BOLD | A_UNDERLINE;
	ui->color = (!cfg || bd_config_bool(cfg, "ui.color")) && has_colors();
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	init_pair(1, config_color(cfg, "ui.color_fields", COLOR_CYAN), -1);
	init_pair(2, config_color(cfg, "ui.color_errors", COLOR_RED), -1);
	ui->a_field |= COLOR_PAIR(1);
	ui->a_error |= COLOR_PAIR(2);
}

struct bd_ui *
bd_ui_open(const struct bd_config *cfg, struct bd_err *err)
{
	struct bd_ui *ui = NULL;
	const char *keymap = cfg ? bd_config_str(cfg, "ui.keymap") : NULL;
	int escdelay = cfg ? (int)bd_config_int(cfg, "ui.escdelay_ms") : 25;

	if (the_ui) {
		bd_err_set(err, BD_ERR_INTERNAL, "the terminal is already open");
		goto fail;
	}
	if (bd_ui_check_terminal(err) < 0)
		goto fail;
	ui = xcalloc(1, sizeof(*ui));
	strbuf_init(&ui->msg, 0);
	strbuf_init(&ui->msg_cut, 0);
	if (bd_keymap_load(&ui->km, keymap, err) < 0)
		goto fail;
	if (install_signals(err) < 0)
		goto fail;
	ui->out = stdout;
	ui->in = stdin;
	ui->in_fd = STDIN_FILENO;
	/* Lines and boxes as Unicode characters, not the terminal's alternate
	 * character set: UTF-8 terminals that call themselves vt100 (PuTTY,
	 * tmux) ignore its SO/SI switch and would show "lqqqk". */
	setenv("NCURSES_NO_UTF8_ACS", "1", 0);
	ui->scr = newterm(NULL, ui->out, ui->in);
	if (!ui->scr) {
		bd_err_set(err, BD_ERR_IO, "cannot open the terminal (check TERM)");
		goto fail;
	}
	the_ui = ui;
	bd_set_fatal_hook(fatal_restore);
	if (LINES < UI_MIN_LINES || COLS < UI_MIN_COLS) {
		bd_err_set(err, BD_ERR_IO, "the terminal is %dx%d; the screens need at least %dx%d",
			   COLS, LINES, UI_MIN_COLS, UI_MIN_LINES);
		goto fail;
	}
	set_escdelay(escdelay);
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	/* Keys are read through a window that is never drawn, so reading never
	 * refreshes anything behind the panels' back. */
	ui->inwin = newwin(1, 1, 0, 0);
	keypad(ui->inwin, TRUE);
	nodelay(ui->inwin, TRUE);
	untouchwin(ui->inwin);
	leaveok(stdscr, FALSE);
	ui->base = new_panel(stdscr);
	setup_attrs(ui, cfg);
	ui->last_key_ms = bd_monotonic_ms();
	ui_image_open(ui, cfg);
	ui_repaint(ui, false);
	return ui;
fail:
	bd_ui_close(ui);
	return NULL;
}

void
bd_ui_close(struct bd_ui *ui)
{
	int i;

	if (!ui)
		return;
	ui->closing = true;
	ui_image_close(ui);
	while (ui->nviews > 0)
		ui_pop_view(ui);
	drop_ghost(ui);
	if (ui->scr) {
		if (ui->base)
			del_panel(ui->base);
		if (ui->inwin)
			delwin(ui->inwin);
		endwin();
		fflush(ui->out);
		delscreen(ui->scr);
		ui->scr = NULL;
	}
	if (the_ui == ui) {
		the_ui = NULL;
		bd_set_fatal_hook(NULL);
	}
	remove_signals();
	for (i = 0; i < 5; i++)
		free(ui->status[i]);
	free(ui->watches);
	free(ui->timers);
	strbuf_release(&ui->msg);
	strbuf_release(&ui->msg_cut);
	ui_list_forget(ui);
	free(ui);
}

bool
bd_ui_hungup(const struct bd_ui *ui)
{
	return ui->hangup;
}

void
bd_ui_set_subtitle(struct bd_ui *ui, const char *subtitle)
{
	ui_set_subtitle(ui, subtitle);
}

/* --- drawing helpers ------------------------------------------------------------ */

int
ui_putn(WINDOW *w, int y, int x, const char *s, size_t n, int width, attr_t attr, bool pad)
{
	struct strbuf sb = STRBUF_INIT;
	int maxx = getmaxx(w), drawn;

	if (x >= maxx || y < 0 || y >= getmaxy(w) || width <= 0)
		return 0;
	if (width > maxx - x)
		width = maxx - x;
	drawn = bd_gate(&sb, s ? s : "", s ? n : 0, width);
	wattrset(w, attr);
	mvwaddstr(w, y, x, sb.buf);
	if (pad) {
		int i;

		for (i = drawn; i < width; i++)
			waddch(w, ' ');
	}
	wattrset(w, A_NORMAL);
	strbuf_release(&sb);
	return drawn;
}

int
ui_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr, bool pad)
{
	return ui_putn(w, y, x, s, s ? strlen(s) : 0, width, attr, pad);
}

void
ui_wrap(const char *text, int width, char ***lines, size_t *n, size_t *alloc)
{
	const char *p = text ? text : "";

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t plen = nl ? (size_t)(nl - p) : strlen(p);
		struct strbuf para = STRBUF_INIT, line = STRBUF_INIT;
		size_t i = 0;
		int lw = 0;
		bool first_line = true; /* keeps a paragraph's indentation */

		bd_gate(&para, p, plen, -1);
		while (i <= para.len) {
			size_t j = i;
			int ww;

			while (j < para.len && para.buf[j] != ' ')
				j++;
			ww = bd_text_width(para.buf + i, j - i);
			if (line.len && lw + 1 + ww > width) {
				BD_GROW(*lines, *n + 1, *alloc);
				(*lines)[(*n)++] = strbuf_detach(&line, NULL);
				lw = 0;
				first_line = false;
			}
			if (line.len || (first_line && i > 0 && lw < width)) {
				strbuf_addch(&line, ' ');
				lw++;
			}
			if (ww > width) {
				struct strbuf cut = STRBUF_INIT;

				bd_gate(&cut, para.buf + i, j - i, width);
				strbuf_add(&line, cut.buf, cut.len);
				strbuf_release(&cut);
				lw += width;
			} else {
				strbuf_add(&line, para.buf + i, j - i);
				lw += ww;
			}
			i = j + 1;
		}
		BD_GROW(*lines, *n + 1, *alloc);
		(*lines)[(*n)++] = strbuf_detach(&line, NULL);
		strbuf_release(&para);
		if (!nl)
			break;
		p = nl + 1;
	}
}

void
ui_lines_free(char **lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

void
ui_beep(struct bd_ui *ui)
{
	(void)ui;
	beep();
}

/* --- chrome: status, title, message, keys ------------------------------------ */

void
ui_paint_status(struct bd_ui *ui)
{
	struct strbuf left = STRBUF_INIT, right = STRBUF_INIT;
	const char *note = ui->status[4] && *ui->status[4] ? ui->status[4] : NULL;
	int rw, pass;

	/* No clock: a session at rest must not wake each minute to turn it (the
	 * operator's own desktop shows the time; README, Capacity). */
	if (ui->working)
		strbuf_addstr(&right, "Working");
	if (ui->overwrite)
		strbuf_addf(&right, "%sOVR", right.len ? "  " : "");
	if (right.len)
		strbuf_addch(&right, ' ');
	rw = (int)right.len;
	/* The note goes last; when all does not fit, the operator's name gives
	 * way to it (the login stays). */
	for (pass = 0; pass < 2; pass++) {
		strbuf_reset(&left);
		if (ui->status[0] && *ui->status[0]) {
			const char *op = ui->status[0];

			strbuf_add(&left, op, pass ? strcspn(op, " ") : strlen(op));
			if (ui->status[1] && *ui->status[1])
				strbuf_addf(&left, " (%s)", ui->status[1]);
		}
		if (ui->status[2] && *ui->status[2])
			strbuf_addf(&left, "%sClient: %s", left.len ? "  " : "", ui->status[2]);
		if (ui->status[3] && *ui->status[3])
			strbuf_addf(&left, "%sDB: %s", left.len ? "  " : "", ui->status[3]);
		if (note)
			strbuf_addf(&left, "%s%s", left.len ? "  " : "", note);
		if (!note || bd_text_width(left.buf, left.len) <= COLS - rw - 2)
			break;
	}
	ui_put(stdscr, 0, 0, " ", 1, ui->a_status, false);
	ui_put(stdscr, 0, 1, left.buf, COLS - rw - 2, ui->a_status, true);
	ui_put(stdscr, 0, COLS - rw - 1, " ", 1, ui->a_status, false);
	if (rw)
		ui_put(stdscr, 0, COLS - rw, right.buf, rw, ui->a_status, true);
	strbuf_release(&left);
	strbuf_release(&right);
}

/* Centred on the terminal's width; the subtitle at the right edge, like the
 * clock on the status line. */
static void
paint_title(struct bd_ui *ui)
{
	const char *title = ui->ghost && ui->ghost_title ? ui->ghost_title : "";
	const char *sub = ui->ghost ? ui->ghost_subtitle : NULL;
	int i, w;

	for (i = ui->nviews - 1; i >= 0; i--)
		if (ui->views[i].title) {
			title = ui->views[i].title;
			sub = ui->views[i].subtitle;
			break;
		}
	wmove(stdscr, 1, 0);
	wclrtoeol(stdscr);
	w = bd_text_width(title, strlen(title));
	ui_put(stdscr, 1, w < COLS ? (COLS - w) / 2 : 0, title, COLS, ui->a_title, false);
	if (sub) {
		w = bd_text_width(sub, strlen(sub));
		if (w > 24)
			w = 24;
		ui_put(stdscr, 1, COLS - 1 - w, sub, w, ui->a_info, false);
	}
}

static void
drop_ghost(struct bd_ui *ui)
{
	if (ui->ghost)
		delwin(ui->ghost);
	free(ui->ghost_title);
	free(ui->ghost_subtitle);
	ui->ghost = NULL;
	ui->ghost_title = ui->ghost_subtitle = NULL;
}

/* Copies the ghost's body rows back onto stdscr (as far as both reach: the
 * terminal may have been resized since). */
static void
paint_ghost(struct bd_ui *ui)
{
	/* resizeterm() grows windows that reach the screen's edges: the rows
	 * that held the message and key lines then sit inside the copy. */
	int last_row = ui->ghost_lines - 3, last_col = getmaxx(ui->ghost) - 1;

	if (last_row > getmaxy(ui->ghost) - 1)
		last_row = getmaxy(ui->ghost) - 1;
	if (last_row > ui_body_bottom())
		last_row = ui_body_bottom();
	if (last_col > COLS - 1)
		last_col = COLS - 1;
	if (last_row >= ui_body_top() && last_col >= 0)
		copywin(ui->ghost, stdscr, ui_body_top(), 0, ui_body_top(), 0, last_row, last_col,
			FALSE);
}

static bool
any_full_view(const struct bd_ui *ui)
{
	int i;

	for (i = 0; i < ui->nviews; i++)
		if (ui->views[i].full)
			return true;
	return false;
}

#define MSG_MORE " ...F1=All"

static bool
message_too_wide(const struct bd_ui *ui)
{
	struct strbuf g = STRBUF_INIT;
	int w = bd_gate(&g, ui->msg.buf, ui->msg.len, -1);

	strbuf_release(&g);
	return w > COLS - 1;
}

/* A message wider than the line is cut at a word, with a pointer to F1,
 * whose help shows it whole. */
void
ui_paint_message(struct bd_ui *ui)
{
	attr_t a = ui->msg_kind == BD_UI_MSG_ERROR ? ui->a_error : ui->a_info;
	int room = COLS - 1 - (int)strlen(MSG_MORE), w;
	struct strbuf cut = STRBUF_INIT;
	char *sp;

	if (!message_too_wide(ui)) {
		ui_put(stdscr, LINES - 2, 0, ui->msg.buf, COLS, a, true);
		return;
	}
	bd_gate(&cut, ui->msg.buf, ui->msg.len, room);
	sp = strrchr(cut.buf, ' ');
	if (sp && sp - cut.buf > room / 2)
		strbuf_setlen(&cut, (size_t)(sp - cut.buf));
	w = ui_put(stdscr, LINES - 2, 0, cut.buf, room, a, false);
	ui_put(stdscr, LINES - 2, w, MSG_MORE, COLS - w, ui->a_info, true);
	strbuf_release(&cut);
}

static void
paint_keyline(struct bd_ui *ui)
{
	const char *k = ui->nviews ? ui->views[ui->nviews - 1].keyline : "";

	ui_put(stdscr, LINES - 1, 0, k ? k : "", COLS - 1, ui->a_keys, true);
}

void
ui_repaint(struct bd_ui *ui, bool clear)
{
	int i, from = 0;

	if (clear) {
		clearok(curscr, TRUE);
		ui_image_touch(ui);
	}
	werase(stdscr);
	if (ui->ghost && !any_full_view(ui))
		paint_ghost(ui);
	ui_paint_status(ui);
	paint_title(ui);
	ui_paint_message(ui);
	paint_keyline(ui);
	/* The top full-screen view covers everything pushed before it. */
	for (i = 0; i < ui->nviews; i++)
		if (ui->views[i].full)
			from = i;
	for (i = from; i < ui->nviews; i++)
		if (ui->views[i].paint)
			ui->views[i].paint(ui, ui->views[i].ctx);
}

/* A full-screen view draws on stdscr, under every panel: the popups pushed
 * before it are hidden until it is popped (the idle lock must cover a
 * lookup list). */
static void
hide_popups(struct bd_ui *ui, struct ui_view *v)
{
	PANEL *p;
	int i;

	v->nhidden = 0;
	if (!ui->scr || !ui->base)
		return;
	for (p = panel_above(ui->base); p && v->nhidden < UI_MAX_VIEWS; p = panel_above(p))
		v->hidden[v->nhidden++] = p;
	for (i = 0; i < v->nhidden; i++)
		hide_panel(v->hidden[i]);
}

void
ui_push_view(struct bd_ui *ui, void (*paint)(struct bd_ui *, void *), void *ctx, const char *title,
	     const char *keyline)
{
	struct ui_view *v;

	if (ui->nviews == UI_MAX_VIEWS)
		bd_die("too many nested screens");
	v = &ui->views[ui->nviews++];
	v->paint = paint;
	v->ctx = ctx;
	v->title = title ? xstrdup(title) : NULL;
	v->subtitle = NULL;
	v->keyline = xstrdup(keyline ? keyline : "");
	v->full = title != NULL;
	v->nhidden = 0;
	if (v->full)
		hide_popups(ui, v);
	/* A new screen replaces the ghost; an overlay on the popups over it (the
	 * idle lock on a confirmation) keeps it for when it is gone. */
	if (title && ui->nviews == 1)
		drop_ghost(ui);
	if (title)
		paint_title(ui);
	paint_keyline(ui);
}

void
ui_pop_view(struct bd_ui *ui)
{
	struct ui_view *v;
	int i;

	if (!ui->nviews)
		return;
	v = &ui->views[--ui->nviews];
	if (ui->scr && !ui->closing && v->full && !any_full_view(ui) &&
	    !(ui->ghost && ui->nviews)) {
		/* Nothing to show instead: keep its image, and its title. */
		drop_ghost(ui);
		ui->ghost = dupwin(stdscr);
		ui->ghost_lines = LINES;
		ui->ghost_title = v->title;
		ui->ghost_subtitle = v->subtitle;
		v->title = v->subtitle = NULL;
	}
	free(v->title);
	free(v->subtitle);
	free(v->keyline);
	if (!ui->scr || ui->closing)
		return;
	for (i = 0; i < v->nhidden; i++) /* bottom first: the order they had */
		show_panel(v->hidden[i]);
	if (v->full && (any_full_view(ui) || (ui->ghost && ui->nviews))) {
		ui_repaint(ui, false); /* what was underneath, whole */
	} else {
		paint_title(ui);
		paint_keyline(ui);
	}
}

void
ui_set_subtitle(struct bd_ui *ui, const char *subtitle)
{
	struct ui_view *v;

	if (!ui->nviews)
		return;
	v = &ui->views[ui->nviews - 1];
	free(v->subtitle);
	v->subtitle = subtitle ? xstrdup(subtitle) : NULL;
	paint_title(ui);
}

void
ui_key_label(struct bd_ui *ui, enum bd_keymap_context ctx, enum bd_ui_action a, struct strbuf *out)
{
	int key = bd_keymap_key_for(&ui->km, ctx, a);

	strbuf_addf(out, "%s=%s", key ? bd_key_name(key) : bd_ui_action_name(a),
		    bd_ui_action_label(a));
}

void
ui_keyline_for(struct bd_ui *ui, enum bd_keymap_context ctx, unsigned long long mask,
	       const struct bd_ui_label *labels, struct strbuf *out)
{
	ui_keyline_only(ui, ctx, mask | BD_UI_BIT(BD_UI_HELP), labels, out);
}

void
ui_keyline_only(struct bd_ui *ui, enum bd_keymap_context ctx, unsigned long long mask,
		const struct bd_ui_label *labels, struct strbuf *out)
{
	int key;
	unsigned long long done = 0;
	const struct bd_ui_label *l;

	for (key = BD_KEY_SPECIAL + 1; key < BD_KEY_END_OF_KEYS; key++) {
		enum bd_ui_action a = bd_keymap_action(&ui->km, ctx, key);

		if (a == BD_UI_NONE || !(mask & BD_UI_BIT(a)) || (done & BD_UI_BIT(a)))
			continue;
		if (bd_keymap_key_for(&ui->km, ctx, a) != key)
			continue;
		done |= BD_UI_BIT(a);
		if (out->len)
			strbuf_addch(out, ' ');
		for (l = labels; l && l->label && l->action != a; l++)
			;
		strbuf_addf(out, "%s=%s", bd_key_name(key),
			    l && l->label ? l->label : bd_ui_action_label(a));
	}
}

void
bd_ui_set_status(struct bd_ui *ui, const char *operator_name, const char *role, const char *client,
		 const char *db_state)
{
	const char *v[4] = {operator_name, role, client, db_state};
	int i;

	for (i = 0; i < 4; i++)
		if (v[i]) {
			free(ui->status[i]);
			ui->status[i] = xstrdup(v[i]);
		}
	ui_paint_status(ui);
}

void
bd_ui_set_status_note(struct bd_ui *ui, const char *note)
{
	free(ui->status[4]);
	ui->status[4] = xstrdup(note ? note : "");
	ui_paint_status(ui);
}

void
bd_ui_message(struct bd_ui *ui, enum bd_ui_message_kind kind, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(&ui->msg);
	va_start(ap, fmt);
	strbuf_vaddf(&ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_kind = kind;
	ui_paint_message(ui);
	if (kind == BD_UI_MSG_ERROR)
		ui_beep(ui);
}

void
ui_clear_message(struct bd_ui *ui)
{
	if (!ui->msg.len)
		return;
	strbuf_reset(&ui->msg);
	ui_paint_message(ui);
}

/* --- popups ------------------------------------------------------------------ */

void
ui_popup_open(struct bd_ui *ui, struct ui_popup *p, int h, int w, const char *title)
{
	int body = ui_body_bottom() - ui_body_top() + 1;
	int y, x;

	if (h > body)
		h = body;
	if (w > COLS - 2)
		w = COLS - 2;
	y = ui_body_top() + (body - h) / 2;
	x = (UI_MIN_COLS - w) / 2;
	if (x < 0)
		x = 0;
	if (!p->win) {
		p->win = newwin(h, w, y, x);
		if (!p->win)
			bd_die("cannot open a window of %dx%d", w, h);
		keypad(p->win, TRUE);
		p->panel = new_panel(p->win);
	} else {
		if (h != p->h || w != p->w)
			wresize(p->win, h, w);
		move_panel(p->panel, y, x);
		top_panel(p->panel);
	}
	p->h = h;
	p->w = w;
	werase(p->win);
	wattrset(p->win, ui->a_popup);
	box(p->win, 0, 0);
	wattrset(p->win, A_NORMAL);
	if (title && *title) {
		ui_put(p->win, 0, 2, " ", 1, ui->a_title, false);
		int tw = ui_put(p->win, 0, 3, title, w - 6, ui->a_title, false);
		ui_put(p->win, 0, 3 + tw, " ", 1, ui->a_title, false);
	}
}

void
ui_popup_close(struct ui_popup *p)
{
	if (p->panel)
		del_panel(p->panel);
	if (p->win)
		delwin(p->win);
	p->panel = NULL;
	p->win = NULL;
	update_panels();
	if (the_ui)
		ui_image_touch(the_ui); /* curses puts blanks back where it was */
}

/* --- the event loop -------------------------------------------------------------- */

static bool cursor_on = true;

static void
set_cursor_visible(bool on)
{
	if (on != cursor_on) {
		curs_set(on ? 1 : 0);
		cursor_on = on;
	}
}

void
ui_flush(struct bd_ui *ui)
{
	PANEL *top = panel_below(NULL);
	WINDOW *w = top ? panel_window(top) : stdscr;
	int y, x;

	set_cursor_visible(ui->want_cursor);
	if (w == stdscr) {
		y = ui->cur_y;
		x = ui->cur_x;
	} else {
		getyx(w, y, x);
	}
	ui_image_prepare(ui);
	update_panels();
	wmove(w, y, x);
	wnoutrefresh(w);
	doupdate();
	ui_image_send(ui);
}

void
bd_ui_flush(struct bd_ui *ui)
{
	ui_flush(ui);
}

static void
handle_resize(struct bd_ui *ui)
{
	struct winsize ws;

	if (ioctl(fileno(ui->out), TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		resizeterm(ws.ws_row, ws.ws_col);
	ui_repaint(ui, true);
	if (LINES < UI_MIN_LINES || COLS < UI_MIN_COLS)
		ui_put(stdscr, LINES - 2, 0, "The terminal is smaller than 80x24", COLS,
		       ui->a_error, true);
}

void
ui_suspend(struct bd_ui *ui)
{
	struct sigaction sa, old;

	endwin();
	fflush(ui->out);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, &old);
	raise(SIGTSTP);
	sigaction(SIGTSTP, &old, NULL);
	/* continued */
	handle_resize(ui);
}

/* Reads the signal pipe; returns true when something needs the caller. */
static void
drain_signals(struct bd_ui *ui)
{
	char buf[64];
	ssize_t n, i;
	bool winch = false, tstp = false, cont = false;

	while ((n = read(sig_pipe[0], buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			switch (buf[i]) {
			case SIGHUP:
			case SIGTERM:
			case SIGINT:
				if (!ui->hangup)
					bd_log(BD_LOG_INFO, "ui: signal %d, hanging up", buf[i]);
				ui->hangup = true;
				break;
			case SIGWINCH:
				winch = true;
				break;
			case SIGTSTP:
				tstp = true;
				break;
			case SIGCONT:
				cont = true;
				break;
			default:
				break;
			}
		}
	}
	if (ui->hangup)
		return;
	if (tstp)
		ui_suspend(ui);
	else if (winch || cont)
		handle_resize(ui);
}

static int
translate_key(int rc, wint_t wch)
{
	if (rc == KEY_CODE_YES) {
		if (wch >= (wint_t)KEY_F(1) && wch <= (wint_t)KEY_F(12))
			return BD_KEY_F1 + (int)(wch - KEY_F(1));
		switch (wch) {
		case KEY_ENTER:
			return BD_KEY_ENTER;
		case KEY_BTAB:
			return BD_KEY_BACKTAB;
		case KEY_IC:
			return BD_KEY_INSERT;
		case KEY_DC:
			return BD_KEY_DELETE;
		case KEY_HOME:
			return BD_KEY_HOME;
		case KEY_END:
			return BD_KEY_END;
		case KEY_PPAGE:
			return BD_KEY_PAGE_UP;
		case KEY_NPAGE:
			return BD_KEY_PAGE_DOWN;
		case KEY_UP:
			return BD_KEY_UP;
		case KEY_DOWN:
			return BD_KEY_DOWN;
		case KEY_LEFT:
			return BD_KEY_LEFT;
		case KEY_RIGHT:
			return BD_KEY_RIGHT;
		case KEY_BACKSPACE:
			return BD_KEY_BACKSPACE;
		default:
			return 0;
		}
	}
	switch (wch) {
	case 27:
		return BD_KEY_ESC;
	case '\t':
		return BD_KEY_TAB;
	case '\r':
	case '\n':
		return BD_KEY_ENTER;
	case 8:
	case 127:
		return BD_KEY_BACKSPACE;
	default:
		break;
	}
	if (wch >= 1 && wch <= 26)
		return BD_KEY_CTRL_A + (int)(wch - 1);
	if (wch < 0x20 || (wch >= 0x80 && wch < 0xa0) || wch >= 0x110000)
		return 0;
	return (int)wch;
}

/* One key from curses without waiting, through the Esc translation into
 * the queue. Returns false when none was available. */
static bool
read_key(struct bd_ui *ui)
{
	wint_t wch;
	int rc = wget_wch(ui->inwin, &wch), key, out[2], n, i;

	if (rc == ERR)
		return false;
	key = translate_key(rc, wch);
	if (!key)
		return true;
	n = bd_esc_feed(&ui->esc, key, out);
	for (i = 0; i < n; i++)
		ui->keyq[ui->nkeyq++] = out[i];
	if (ui->esc.state != BD_ESC_IDLE)
		ui->esc_at = bd_monotonic_ms();
	return true;
}

static long long
next_timer_due(struct bd_ui *ui)
{
	long long due = -1;
	size_t i;

	for (i = 0; i < ui->ntimers; i++)
		if (due < 0 || ui->timers[i].due < due)
			due = ui->timers[i].due;
	return due;
}

static void
run_timers(struct bd_ui *ui)
{
	long long now = bd_monotonic_ms();
	size_t i;

	for (i = 0; i < ui->ntimers; i++) {
		if (ui->timers[i].due <= now) {
			int id = ui->timers[i].id;
			long next = ui->timers[i].cb(ui, ui->timers[i].ctx);
			size_t j;

			/* The callback may have added or removed timers. */
			for (j = 0; j < ui->ntimers && ui->timers[j].id != id; j++)
				;
			if (j == ui->ntimers)
				continue;
			if (next > 0) {
				ui->timers[j].due = bd_monotonic_ms() + next;
			} else {
				bd_ui_timer_cancel(ui, id);
				i = (size_t)-1; /* restart: the array moved */
			}
		}
	}
}

/*
 * Waits for input: keys when want_keys, plus `extra_fd` when >= 0. Returns
 * 1 when a key is queued, 2 when extra_fd is readable, 0 after a hangup,
 * request or other event (signal, timer, watch) without a key.
 */
static int
wait_events(struct bd_ui *ui, bool want_keys, int extra_fd, long max_ms)
{
	struct pollfd *fds;
	size_t nfds = 0, i, nw;
	long long due;
	int timeout = -1, rc, result = 0;
	int *watch_ids = NULL;

	/* first: it may add watches and timers */
	if (want_keys && ui->before_wait) {
		ui->before_wait(ui, ui->before_wait_ctx);
		if (ui->requested || ui->hangup)
			return 0;
	}
	nw = want_keys ? ui->nwatches : 0;
	due = want_keys ? next_timer_due(ui) : -1;
	fds = xcalloc(nw + 3, sizeof(*fds));
	watch_ids = xcalloc(nw + 1, sizeof(*watch_ids));
	fds[nfds].fd = sig_pipe[0];
	fds[nfds++].events = POLLIN;
	if (want_keys) {
		fds[nfds].fd = ui->in_fd;
		fds[nfds++].events = POLLIN;
	}
	if (extra_fd >= 0) {
		fds[nfds].fd = extra_fd;
		fds[nfds++].events = POLLIN;
	}
	for (i = 0; i < nw; i++) {
		watch_ids[i] = ui->watches[i].id;
		fds[nfds].fd = ui->watches[i].fd;
		fds[nfds++].events = POLLIN;
	}
	if (due >= 0) {
		long long d = due - bd_monotonic_ms();

		timeout = d < 0 ? 0 : (int)(d > 600000 ? 600000 : d);
	}
	if (max_ms >= 0 && (timeout < 0 || max_ms < timeout))
		timeout = (int)max_ms;
	rc = poll(fds, nfds, timeout);
	if (rc < 0 && errno != EINTR) {
		bd_log(BD_LOG_ERROR, "ui: poll: %s", strerror(errno));
		ui->hangup = true;
		goto cleanup;
	}
	if (rc > 0 && fds[0].revents)
		drain_signals(ui);
	if (ui->hangup)
		goto cleanup;
	if (rc > 0 && want_keys && fds[1].revents) {
		if (read_key(ui)) {
			result = ui->nkeyq ? 1 : 0;
		} else if (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			bd_log(BD_LOG_INFO, "ui: the terminal went away");
			ui->hangup = true;
			goto cleanup;
		}
	}
	if (rc > 0 && extra_fd >= 0 && fds[want_keys ? 2 : 1].revents)
		result = result ? result : 2;
	if (want_keys) {
		size_t base = extra_fd >= 0 ? 3 : 2;

		for (i = 0; rc > 0 && i < nw; i++) {
			size_t j;

			if (!fds[base + i].revents)
				continue;
			for (j = 0; j < ui->nwatches && ui->watches[j].id != watch_ids[i]; j++)
				;
			if (j < ui->nwatches)
				ui->watches[j].cb(ui, ui->watches[j].fd, ui->watches[j].ctx);
		}
		run_timers(ui);
	}
cleanup:
	free(watch_ids);
	free(fds);
	return result;
}

int
ui_getkey(struct bd_ui *ui)
{
	int key;

	for (;;) {
		if (ui->hangup || ui->requested)
			return 0;
		if (ui->nkeyq) {
			key = ui->keyq[0];
			memmove(ui->keyq, ui->keyq + 1, (size_t)--ui->nkeyq * sizeof(int));
			break;
		}
		/* Keys already buffered by curses come first; draw only when none is
		 * pending, so type-ahead costs no output. */
		if (read_key(ui))
			continue;
		/* An open Esc waits for its digit only so long; keys already typed
		 * were read above, so only a real pause ends it. */
		if (ui->esc.state != BD_ESC_IDLE) {
			long left = BD_ESC_ALONE_MS - (long)(bd_monotonic_ms() - ui->esc_at);
			int out[2], n, i;

			if (left <= 0) {
				n = bd_esc_timeout(&ui->esc, out);
				for (i = 0; i < n; i++)
					ui->keyq[ui->nkeyq++] = out[i];
				continue;
			}
			ui_flush(ui);
			wait_events(ui, true, -1, left);
			continue;
		}
		ui_flush(ui);
		wait_events(ui, true, -1, -1);
	}
	ui->last_key_ms = bd_monotonic_ms();
	strbuf_reset(&ui->msg_cut);
	if (ui->msg.len && message_too_wide(ui))
		strbuf_addstr(&ui->msg_cut, ui->msg.buf);
	ui_clear_message(ui);
	return key;
}

long
bd_ui_idle_ms(const struct bd_ui *ui)
{
	return (long)(bd_monotonic_ms() - ui->last_key_ms);
}

void
bd_ui_request(struct bd_ui *ui, enum bd_ui_action action)
{
	ui->requested = action;
}

int
bd_ui_watch_fd(struct bd_ui *ui, int fd, void (*cb)(struct bd_ui *ui, int fd, void *ctx), void *ctx)
{
	struct ui_watch *w;

	BD_GROW(ui->watches, ui->nwatches + 1, ui->watches_alloc);
	w = &ui->watches[ui->nwatches++];
	w->id = ui->next_id++;
	w->fd = fd;
	w->cb = cb;
	w->ctx = ctx;
	return w->id;
}

void
bd_ui_unwatch(struct bd_ui *ui, int id)
{
	size_t i;

	for (i = 0; i < ui->nwatches; i++)
		if (ui->watches[i].id == id) {
			memmove(ui->watches + i, ui->watches + i + 1,
				(ui->nwatches - i - 1) * sizeof(*ui->watches));
			ui->nwatches--;
			return;
		}
}

void
bd_ui_before_wait(struct bd_ui *ui, void (*cb)(struct bd_ui *ui, void *ctx), void *ctx)
{
	ui->before_wait = cb;
	ui->before_wait_ctx = ctx;
}

int
bd_ui_timer(struct bd_ui *ui, long ms, long (*cb)(struct bd_ui *ui, void *ctx), void *ctx)
{
	struct ui_timer *t;

	BD_GROW(ui->timers, ui->ntimers + 1, ui->timers_alloc);
	t = &ui->timers[ui->ntimers++];
	t->id = ui->next_id++;
	t->due = bd_monotonic_ms() + (ms < 0 ? 0 : ms);
	t->cb = cb;
	t->ctx = ctx;
	return t->id;
}

void
bd_ui_timer_cancel(struct bd_ui *ui, int id)
{
	size_t i;

	for (i = 0; i < ui->ntimers; i++)
		if (ui->timers[i].id == id) {
			memmove(ui->timers + i, ui->timers + i + 1,
				(ui->ntimers - i - 1) * sizeof(*ui->timers));
			ui->ntimers--;
			return;
		}
}

/* --- queries ------------------------------------------------------------------ */

struct bd_db_result *
bd_ui_query(struct bd_ui *ui, struct bd_db *db, const char *name, int nparams,
	    const char *const *params, struct bd_err *err)
{
	if (ui->hangup) {
		bd_err_set(err, BD_ERR_IO, "interrupted");
		return NULL;
	}
	if (bd_db_send(db, name, nparams, params, err) < 0)
		return NULL;
	return bd_ui_take(ui, db, err);
}

struct bd_db_result *
bd_ui_take(struct bd_ui *ui, struct bd_db *db, struct bd_err *err)
{
	long long start = bd_monotonic_ms();
	struct bd_db_result *res = NULL;
	int fd;

	if (ui->hangup) {
		bd_err_set(err, BD_ERR_IO, "interrupted");
		return NULL;
	}
	fd = bd_db_socket(db);
	while (bd_db_busy(db)) {
		long left = WORKING_AFTER_MS - (long)(bd_monotonic_ms() - start);
		int rc;

		rc = wait_events(ui, false, fd, ui->working || left < 0 ? -1 : left);
		if (ui->hangup) {
			bd_err_set(err, BD_ERR_IO, "interrupted");
			goto cleanup;
		}
		if (!ui->working && bd_monotonic_ms() - start >= WORKING_AFTER_MS) {
			ui->working = true;
			ui_paint_status(ui);
			ui_flush(ui);
		}
		if (rc == 2 && bd_db_consume(db, err) < 0)
			goto cleanup;
	}
	res = bd_db_take(db, err);
cleanup:
	if (ui->working) {
		ui->working = false;
		ui_paint_status(ui);
	}
	return res;
}

/* --- rows ------------------------------------------------------------------------ */

void
bd_ui_rows_init(struct bd_ui_rows *rows)
{
	memset(rows, 0, sizeof(*rows));
}

void
bd_ui_rows_release(struct bd_ui_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->ncols; i++)
		free(rows->names[i]);
	for (i = 0; i < rows->nrows * rows->ncols; i++)
		free(rows->cells[i]);
	free(rows->names);
	free(rows->cells);
	bd_ui_rows_init(rows);
}

void
bd_ui_rows_set_columns(struct bd_ui_rows *rows, size_t ncols, const char *const *names)
{
	size_t i;

	if (rows->ncols && rows->ncols != ncols)
		bd_die("bd_ui_rows_set_columns: %zu columns, table has %zu", ncols, rows->ncols);
	if (!rows->names)
		rows->names = xcalloc(ncols ? ncols : 1, sizeof(char *));
	for (i = 0; i < ncols; i++) {
		free(rows->names[i]);
		rows->names[i] = xstrdup(names && names[i] ? names[i] : "");
	}
	rows->ncols = ncols;
}

void
bd_ui_rows_add(struct bd_ui_rows *rows, const char *const *cells)
{
	size_t i, base = rows->nrows * rows->ncols;

	BD_GROW(rows->cells, base + rows->ncols, rows->alloc);
	for (i = 0; i < rows->ncols; i++)
		rows->cells[base + i] = xstrdup(cells[i] ? cells[i] : "");
	rows->nrows++;
}

int
bd_ui_rows_add_result(struct bd_ui_rows *rows, const struct bd_db_result *res, struct bd_err *err)
{
	size_t ncols = (size_t)bd_db_result_cols(res), c;
	int r, n = bd_db_result_rows(res);
	const char **cells;

	if (rows->ncols && rows->ncols != ncols) {
		bd_err_set(err, BD_ERR_INTERNAL,
			   "a page of rows came back with %zu columns, not %zu", ncols,
			   rows->ncols);
		return -1;
	}
	if (!rows->ncols) {
		cells = xcalloc(ncols ? ncols : 1, sizeof(char *));
		for (c = 0; c < ncols; c++)
			cells[c] = bd_db_result_colname(res, (int)c);
		bd_ui_rows_set_columns(rows, ncols, cells);
		free(cells);
	}
	cells = xcalloc(ncols ? ncols : 1, sizeof(char *));
	for (r = 0; r < n; r++) {
		for (c = 0; c < ncols; c++)
			cells[c] = bd_db_result_get(res, r, (int)c);
		bd_ui_rows_add(rows, cells);
	}
	free(cells);
	return 0;
}

int
bd_ui_rows_col(const struct bd_ui_rows *rows, const char *name)
{
	size_t i;

	for (i = 0; i < rows->ncols; i++)
		if (!strcmp(rows->names[i], name))
			return (int)i;
	return -1;
}

const char *
bd_ui_rows_cell(const struct bd_ui_rows *rows, size_t row, size_t col)
{
	if (row >= rows->nrows || col >= rows->ncols)
		return "";
	return rows->cells[row * rows->ncols + col];
}

const char *
bd_ui_rows_get(const struct bd_ui_rows *rows, size_t row, const char *name)
{
	int c = bd_ui_rows_col(rows, name);

	return c < 0 ? "" : bd_ui_rows_cell(rows, row, (size_t)c);
}
