#ifndef BACKDESK_UI_INTERNAL_H
#define BACKDESK_UI_INTERNAL_H
/*
 * Shared between the files of src/ui only: the struct bd_ui, the event
 * loop's key reader, the view stack and drawing helpers.
 *
 * Drawing model: stdscr (a panel at the bottom of the stack) holds the
 * chrome and the current full-screen view; popups are panels above it. Each
 * modal call pushes a view whose paint() draws it completely; a resize,
 * SIGCONT or Ctrl-L repaints every view bottom-up. Between keys a view only
 * redraws what changed, and nothing reaches the terminal until the loop is
 * about to wait with no key pending (ui_flush).
 */
#include <curses.h>
#include <panel.h>
#include <stdbool.h>

#include "backdesk/strbuf.h"
#include "backdesk/ui.h"

#define UI_MIN_LINES 24
#define UI_MIN_COLS 80
#define UI_MAX_VIEWS 16

struct ui_view {
	void (*paint)(struct bd_ui *ui, void *ctx);
	void *ctx;
	char *title;	/* row 1 for full-screen views; NULL for popups */
	char *subtitle; /* right side of row 1, or NULL */
	char *keyline;	/* row LINES-1 */
	bool full;	/* draws the body of stdscr (pushed with a title) */
	/* Popups under a full-screen view, hidden while it covers them. */
	PANEL *hidden[UI_MAX_VIEWS];
	int nhidden;
};

struct ui_watch {
	int id, fd;
	void (*cb)(struct bd_ui *ui, int fd, void *ctx);
	void *ctx;
};

struct ui_timer {
	int id;
	long long due; /* monotonic ms */
	long (*cb)(struct bd_ui *ui, void *ctx);
	void *ctx;
};

struct bd_ui {
	SCREEN *scr;
	FILE *out, *in;
	int in_fd;
	PANEL *base;
	WINDOW *inwin;	  /* keys are read here */
	bool want_cursor; /* the current view shows the cursor */
	int cur_y, cur_x; /* where, when the top view is on stdscr */
	struct bd_keymap km;
	bool color;

	attr_t a_status, a_title, a_field, a_field_ro, a_error, a_info, a_keys, a_popup, a_select,
	    a_heading;

	char *status[5]; /* operator, role, client, db state, note */
	bool overwrite;	 /* shown on the status line */
	bool working;

	struct strbuf msg;
	enum bd_ui_message_kind msg_kind;
	/* The message the last key cleared, when it did not fit its line: F1
	 * shows it whole. Empty otherwise. */
	struct strbuf msg_cut;

	struct ui_view views[UI_MAX_VIEWS];
	int nviews;
	/* The last full-screen view popped with none below it stays on the
	 * screen under what follows (a confirmation, say): a copy of its image
	 * (NULL when none), its title and subtitle. Repaints draw it again until
	 * a full-screen view is pushed on an empty stack. */
	WINDOW *ghost;
	int ghost_lines; /* LINES when it was taken */
	char *ghost_title, *ghost_subtitle;
	bool closing;

	struct ui_watch *watches;
	size_t nwatches, watches_alloc;
	struct ui_timer *timers;
	size_t ntimers, timers_alloc;
	int next_id;
	void (*before_wait)(struct bd_ui *ui, void *ctx); /* bd_ui_before_wait */
	void *before_wait_ctx;

	/* Where lists opened without a place of their own stood when they
	 * returned (by list name), so a list reopened after an action on a row
	 * comes back at that row. A menu forgets them: a list opened from a
	 * menu starts at the top. */
	struct ui_list_memo {
		char *name;
		struct bd_ui_list_place place;
	} list_memo[8];
	int nlist_memo;

	int keyq[4];
	int nkeyq;
	struct bd_esc_state esc;
	long long esc_at; /* when the open Esc prefix or sequence last grew */
	enum bd_ui_action requested;
	bool hangup;
	long long last_key_ms;
	struct ui_image *image; /* the picture beside a form (ui_image.c) */
};

/* ui_image.c: opened and closed with the terminal; prepare draws the
 * region's frame before curses' update, send writes the picture after it;
 * touch: something erased the region on the terminal. */
struct bd_config;
void ui_image_open(struct bd_ui *ui, const struct bd_config *cfg);
void ui_image_close(struct bd_ui *ui);
void ui_image_prepare(struct bd_ui *ui);
void ui_image_send(struct bd_ui *ui);
void ui_image_touch(struct bd_ui *ui);

/*
 * The next key (a code point or BD_KEY_*), handling signals, timers and
 * watches while waiting, and flushing the screen before it blocks. Returns 0
 * when there is no key because of a hangup (ui->hangup) or a request
 * (ui->requested, which the caller takes and clears).
 */
int ui_getkey(struct bd_ui *ui);
/* Sends the pending screen changes (panels, cursor) to the terminal. */
void ui_flush(struct bd_ui *ui);
/* Repaints everything: chrome and every view, bottom-up. */
void ui_repaint(struct bd_ui *ui, bool clear);

/* The view stack. title/keyline are copied; NULL title keeps the lower
 * view's (a popup). Popping a full-screen view repaints the views below it;
 * with none below, its image stays until something else is drawn. */
void ui_push_view(struct bd_ui *ui, void (*paint)(struct bd_ui *, void *), void *ctx,
		  const char *title, const char *keyline);
void ui_pop_view(struct bd_ui *ui);
/* The top view's subtitle (right side of the title row); NULL for none. */
void ui_set_subtitle(struct bd_ui *ui, const char *subtitle);

/* "F1=Help F3=Exit ..." for the actions in `mask` (plus help), in key
 * order, as bound in `ctx`, in the words of `labels` (may be NULL). */
void ui_keyline_for(struct bd_ui *ui, enum bd_keymap_context ctx, unsigned long long mask,
		    const struct bd_ui_label *labels, struct strbuf *out);
/* The same for exactly the actions in `mask` (no help). */
void ui_keyline_only(struct bd_ui *ui, enum bd_keymap_context ctx, unsigned long long mask,
		     const struct bd_ui_label *labels, struct strbuf *out);
/* "F9=Reject" (or the action's name when unbound). */
void ui_key_label(struct bd_ui *ui, enum bd_keymap_context ctx, enum bd_ui_action a,
		  struct strbuf *out);

/*
 * Draws `s` through the output gate at (y, x) in `w`, at most `width`
 * columns (clipped to the window), with `attr`; pads with spaces to `width`
 * when `pad`. Returns the columns drawn (before padding).
 */
int ui_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr, bool pad);
/* The same for s[0..n). */
int ui_putn(WINDOW *w, int y, int x, const char *s, size_t n, int width, attr_t attr, bool pad);

/* The message line, after the message changed. */
void ui_paint_message(struct bd_ui *ui);
void ui_paint_status(struct bd_ui *ui);
void ui_beep(struct bd_ui *ui);
void ui_clear_message(struct bd_ui *ui);

/* Body rows: first and last usable row for views (2 .. LINES-3). */
static inline int
ui_body_top(void)
{
	return 2;
}
static inline int
ui_body_bottom(void)
{
	return LINES - 3;
}

/*
 * Word-wraps gated text to `width` columns: appends lines to *lines (malloc'd
 * strings; *n counts them). Newlines in `text` break paragraphs.
 */
void ui_wrap(const char *text, int width, char ***lines, size_t *n, size_t *alloc);
void ui_lines_free(char **lines, size_t n);

/* Does terminfo know `term`? (setupterm without exiting) */
bool ui_term_known(const char *term, int fd);

/* Suspends to the shell (SIGTSTP) and redraws on return. */
void ui_suspend(struct bd_ui *ui);

/*
 * A popup window as a panel, centred in the body, with a box and `title`.
 * Inner area rows 1..h-2, columns 1..w-2 (of the window).
 */
struct ui_popup {
	WINDOW *win;
	PANEL *panel;
	int h, w;
};
void ui_popup_open(struct bd_ui *ui, struct ui_popup *p, int h, int w, const char *title);
void ui_popup_close(struct ui_popup *p);

/* The popup row chooser used by lookups and bd_ui_choose: rows' first
 * column is shown first, other columns after it. Returns BD_UI_SELECT with
 * *choice, BD_UI_CANCEL, BD_UI_EXIT or BD_UI_HANGUP. */
enum bd_ui_action ui_pick(struct bd_ui *ui, const char *title, const struct bd_ui_rows *rows,
			  size_t *choice);

/* Help popup: the message the key that opened it cleared, when it was too
 * long for the message line; title, screen help, field help, and the keys
 * of `ctx` whose actions are in `works`, each with what it does on this
 * screen: its text in `words` (ends with { BD_UI_NONE, NULL }; NULL for
 * none), else the action's general help. */
void ui_help(struct bd_ui *ui, enum bd_keymap_context ctx, unsigned long long works,
	     const struct bd_ui_label *words, const char *title, const char *screen_help,
	     const char *field_title, const char *field_help);

/* Forgets the places of lists (ui_list.c); the menu calls it. */
void ui_list_forget(struct bd_ui *ui);

/* Is `key` printable text for a field (not a special key)? */
static inline bool
ui_key_is_char(int key)
{
	return key >= 0x20 && key < BD_KEY_SPECIAL && key != 0x7f;
}

#endif
