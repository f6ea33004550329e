#ifndef BACKDESK_UI_KEYMAP_H
#define BACKDESK_UI_KEYMAP_H
/*
 * Keys as data: key names, the table of actions, the keymap file and the
 * Esc-prefix translation for terminals without function keys. No curses
 * here (src/ui/ui.c turns curses key codes into the keys below), so all of
 * it is unit-tested without a terminal.
 *
 * A key is an int: a Unicode code point (a printable character, always data
 * typed into a field) or one of the special keys BD_KEY_F1.. below. Only
 * special keys can be bound to actions.
 *
 * The keymap file (libconfig syntax; the default is screens/keymap.conf,
 * embedded in the binary, replaced by the file named by the setting
 * ui.keymap) has up to three groups of `KeyName = "action";`:
 *
 *   global = { F1 = "help"; F3 = "exit"; Enter = "enter"; ... };
 *   form   = { F2 = "save"; F6 = "dup"; };              # overrides for forms
 *   list   = { F4 = "filter"; F6 = "create"; F11 = "sort"; };  # for lists/popups
 *
 * A context group overrides `global` key by key; `KeyName = "none";`
 * unbinds a key there. Unknown groups, key names or actions, printable keys,
 * a key bound twice in one group, non-string values, and a keymap that
 * leaves help, exit, cancel or enter without a key are refused with
 * "SOURCE:LINE: reason".
 *
 * Esc prefix (terminals without function keys, or links that lose them):
 * Esc then 1..9 is F1..F9, Esc 0 is F10, Esc - is F11, Esc = is F12, and
 * Esc Esc is Esc itself (at once). A lone Esc is Esc (bound to cancel) once
 * BD_ESC_ALONE_MS pass with no key after it; keys already typed count as
 * coming at once, so type-ahead reads the same as keys typed one by one.
 * Esc followed by any other key means nothing: that key acts as itself.
 *
 * Escape sequences the terminal description does not know (curses passes
 * them on byte by byte) are read by their grammar and dropped whole: CSI,
 * ESC [ parameters intermediates final-byte (0x40-0x7E), and SS3, ESC O and
 * one byte. So F12 on a terminal that calls itself vt100 does nothing
 * rather than type "[24~".
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/err.h"

enum bd_key {
	BD_KEY_NONE = 0,
	BD_KEY_SPECIAL = 0x110000, /* first value past Unicode; not a key itself */
	BD_KEY_F1,
	BD_KEY_F2,
	BD_KEY_F3,
	BD_KEY_F4,
	BD_KEY_F5,
	BD_KEY_F6,
	BD_KEY_F7,
	BD_KEY_F8,
	BD_KEY_F9,
	BD_KEY_F10,
	BD_KEY_F11,
	BD_KEY_F12,
	BD_KEY_ENTER,
	BD_KEY_TAB,
	BD_KEY_BACKTAB,
	BD_KEY_INSERT,
	BD_KEY_DELETE,
	BD_KEY_HOME,
	BD_KEY_END,
	BD_KEY_PAGE_UP,
	BD_KEY_PAGE_DOWN,
	BD_KEY_UP,
	BD_KEY_DOWN,
	BD_KEY_LEFT,
	BD_KEY_RIGHT,
	BD_KEY_BACKSPACE,
	BD_KEY_ESC,
	BD_KEY_CTRL_A, /* Ctrl-A .. Ctrl-Z, less H, I, J and M (Backspace, Tab, Enter) */
	BD_KEY_CTRL_Z = BD_KEY_CTRL_A + 25,
	BD_KEY_END_OF_KEYS,
};

#define BD_KEY_NSPECIAL (BD_KEY_END_OF_KEYS - BD_KEY_SPECIAL)
#define BD_KEY_F(n) (BD_KEY_F1 + (n)-1)

static inline bool
bd_key_is_special(int key)
{
	return key > BD_KEY_SPECIAL && key < BD_KEY_END_OF_KEYS;
}

/* The canonical name ("F2", "PageDown", "Ctrl-L"), or NULL for a character. */
const char *bd_key_name(int key);
/* A key by name, case-insensitive; accepts the canonical names and curses
 * aliases (KEY_F1, KEY_PPAGE, KEY_NPAGE, KEY_BTAB, KEY_IC, KEY_DC,
 * KEY_ENTER, PgUp, PgDn, Shift-Tab, Return, Ins, Del, ...). 0 if unknown. */
int bd_key_by_name(const char *name);

/*
 * Actions: X(ENUM, "name", "Key line label", "help text"). The enum is
 * BD_UI_<ENUM>; BD_UI_NONE is 0. A modal UI call returns one of these (or
 * BD_UI_HANGUP / BD_UI_SELECT, which no key produces directly).
 */
#define BD_UI_ACTIONS(X)                                                                           \
	X(HELP, "help", "Help", "Help for the screen and the current field")                       \
	X(SAVE, "save", "Save", "Save or submit what is on the screen")                            \
	X(EXIT, "exit", "Exit", "Leave this screen")                                               \
	X(PROMPT, "prompt", "Prompt", "List the values allowed in this field")                     \
	X(REFRESH, "refresh", "Refresh", "Read the data again")                                    \
	X(DUP, "dup", "Dup", "Copy this field from the previous record")                           \
	X(PAGE_UP, "page_up", "PgUp", "Previous page")                                             \
	X(PAGE_DOWN, "page_down", "PgDn", "Next page")                                             \
	X(REJECT, "reject", "Reject", "Reject or skip this item")                                  \
	X(MENU, "menu", "Menu", "Back to the main menu")                                           \
	X(CANCEL, "cancel", "Cancel", "Cancel: back without saving")                               \
	X(CREATE, "create", "Create", "Add a new record")                                          \
	X(FILTER, "filter", "Filter", "Show only the rows containing a text")                      \
	X(SORT, "sort", "Sort", "Sort by the next column")                                         \
	X(ENTER, "enter", "Enter", "Next field; on a list, take the row")                          \
	X(NEXT, "next", "Next", "Next field")                                                      \
	X(PREV, "prev", "Prev", "Previous field")                                                  \
	X(UP, "up", "Up", "Field or row above")                                                    \
	X(DOWN, "down", "Down", "Field or row below")                                              \
	X(LEFT, "left", "Left", "Cursor left")                                                     \
	X(RIGHT, "right", "Right", "Cursor right")                                                 \
	X(HOME, "home", "Home", "Start of the field; first row of a list")                         \
	X(END, "end", "End", "End of the field; last row of a list")                               \
	X(INSERT, "insert", "Ins", "Switch between insert and overwrite")                          \
	X(DELETE, "delete", "Del", "Delete the character under the cursor")                        \
	X(BACKSPACE, "backspace", "Bksp", "Delete the character before the cursor")                \
	X(ERASE_EOF, "erase_eof", "Erase", "Clear the field from the cursor to the end")           \
	X(REDRAW, "redraw", "Redraw", "Draw the whole screen again")                               \
	X(SUSPEND, "suspend", "Suspend", "Suspend to the shell (fg to come back)")                 \
	X(ZOOM_IN, "zoom_in", "Zoom+", "Document image: zoom in")                                  \
	X(ZOOM_OUT, "zoom_out", "Zoom-", "Document image: zoom out")                               \
	X(PAN_LEFT, "pan_left", "Pan<", "Document image: move left")                               \
	X(PAN_RIGHT, "pan_right", "Pan>", "Document image: move right")                            \
	X(PAN_UP, "pan_up", "Pan^", "Document image: move up")                                     \
	X(PAN_DOWN, "pan_down", "Panv", "Document image: move down")

enum bd_ui_action {
	BD_UI_NONE = 0,
#define BD_UI_X_ENUM(e, name, label, help) BD_UI_##e,
	BD_UI_ACTIONS(BD_UI_X_ENUM)
#undef BD_UI_X_ENUM
	    BD_UI_NACTIONS,
	/* Results no key produces directly: */
	BD_UI_SELECT = BD_UI_NACTIONS, /* a list row (and option) was taken */
	BD_UI_HANGUP,		       /* SIGHUP/SIGTERM or the terminal went away */
};

/* Bit for an action in an action set (unsigned long long mask). */
#define BD_UI_BIT(action) (1ULL << (action))

const char *bd_ui_action_name(enum bd_ui_action action);  /* "save"; "" when none */
const char *bd_ui_action_label(enum bd_ui_action action); /* "Save" */
const char *bd_ui_action_help(enum bd_ui_action action);
/* By name ("page_up"); BD_UI_NONE when unknown. */
enum bd_ui_action bd_ui_action_by_name(const char *name);

enum bd_keymap_context {
	BD_KEYMAP_GLOBAL = 0,
	BD_KEYMAP_FORM,
	BD_KEYMAP_LIST,
	BD_KEYMAP_NCONTEXTS,
};

struct bd_keymap {
	/* Action per special key (index key - BD_KEY_SPECIAL) and context;
	 * for FORM and LIST, -1 means "as global". */
	signed char map[BD_KEYMAP_NCONTEXTS][BD_KEY_NSPECIAL];
};

/* Every key unbound. */
void bd_keymap_init(struct bd_keymap *km);

/* Parses keymap text into `km` (replacing its content). `source` names it in
 * messages. Returns 0, or -1 with "SOURCE:LINE: reason" and km unchanged. */
int bd_keymap_parse(struct bd_keymap *km, const char *text, const char *source, struct bd_err *err);

/* Loads the file at `path`, or the embedded screens/keymap.conf when path is
 * NULL or "". Returns 0 or -1 (err set). */
int bd_keymap_load(struct bd_keymap *km, const char *path, struct bd_err *err);

/* The action `key` performs in `ctx` (the context's own binding, else
 * global), or BD_UI_NONE. */
enum bd_ui_action bd_keymap_action(const struct bd_keymap *km, enum bd_keymap_context ctx, int key);

/* The key to show for `action` in `ctx`: the lowest function key bound to it,
 * else the first other key; 0 when none. */
int bd_keymap_key_for(const struct bd_keymap *km, enum bd_keymap_context ctx,
		      enum bd_ui_action action);

/* Esc-prefix translation and escape sequences (see the top of this file). */
enum bd_esc_phase {
	BD_ESC_IDLE = 0,
	BD_ESC_PREFIX, /* Esc seen: waiting for the next key, or the timeout */
	BD_ESC_CSI,    /* inside ESC [ ... (parameters, up to the final byte) */
	BD_ESC_SS3,    /* ESC O: one more byte */
};

struct bd_esc_state {
	enum bd_esc_phase state;
};

/* Feeds one key. Writes 0 or 1 key to out[] and returns how many. */
int bd_esc_feed(struct bd_esc_state *st, int key, int out[2]);
/* No key came within BD_ESC_ALONE_MS of the last one fed while a prefix or
 * sequence was open: a lone Esc becomes BD_KEY_ESC (1 key); an unfinished
 * sequence is dropped (0). */
int bd_esc_timeout(struct bd_esc_state *st, int out[2]);

/* How long a lone Esc waits for a digit before it counts as Esc itself. */
#define BD_ESC_ALONE_MS 500

#endif
