/*
 * Key names, the action table and the keymap file. No curses here: see
 * include/backdesk/ui_keymap.h.
 */
#include "backdesk/ui_keymap.h"

#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backdesk/embedded.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#define KEYMAP_EMBEDDED "screens/keymap.conf"

struct action_info {
	const char *name, *label, *help;
};

static const struct action_info actions[BD_UI_NACTIONS] = {[BD_UI_NONE] = {"", "", ""},
#define X(e, name, label, help) [BD_UI_##e] = {name, label, help},
							   BD_UI_ACTIONS(X)
#undef X
};

struct key_name {
	const char *name;
	int key;
};

/* Canonical names first: bd_key_name() returns the first match. */
static const struct key_name key_names[] = {
    {"F1", BD_KEY_F1},
    {"F2", BD_KEY_F2},
    {"F3", BD_KEY_F3},
    {"F4", BD_KEY_F4},
    {"F5", BD_KEY_F5},
    {"F6", BD_KEY_F6},
    {"F7", BD_KEY_F7},
    {"F8", BD_KEY_F8},
    {"F9", BD_KEY_F9},
    {"F10", BD_KEY_F10},
    {"F11", BD_KEY_F11},
    {"F12", BD_KEY_F12},
    {"Enter", BD_KEY_ENTER},
    {"Tab", BD_KEY_TAB},
    {"BackTab", BD_KEY_BACKTAB},
    {"Insert", BD_KEY_INSERT},
    {"Delete", BD_KEY_DELETE},
    {"Home", BD_KEY_HOME},
    {"End", BD_KEY_END},
    {"PageUp", BD_KEY_PAGE_UP},
    {"PageDown", BD_KEY_PAGE_DOWN},
    {"Up", BD_KEY_UP},
    {"Down", BD_KEY_DOWN},
    {"Left", BD_KEY_LEFT},
    {"Right", BD_KEY_RIGHT},
    {"Backspace", BD_KEY_BACKSPACE},
    {"Esc", BD_KEY_ESC},
    /* aliases */
    {"KEY_ENTER", BD_KEY_ENTER},
    {"Return", BD_KEY_ENTER},
    {"KEY_BTAB", BD_KEY_BACKTAB},
    {"Shift-Tab", BD_KEY_BACKTAB},
    {"KEY_IC", BD_KEY_INSERT},
    {"Ins", BD_KEY_INSERT},
    {"KEY_DC", BD_KEY_DELETE},
    {"Del", BD_KEY_DELETE},
    {"KEY_HOME", BD_KEY_HOME},
    {"KEY_END", BD_KEY_END},
    {"KEY_PPAGE", BD_KEY_PAGE_UP},
    {"PgUp", BD_KEY_PAGE_UP},
    {"KEY_NPAGE", BD_KEY_PAGE_DOWN},
    {"PgDn", BD_KEY_PAGE_DOWN},
    {"KEY_UP", BD_KEY_UP},
    {"KEY_DOWN", BD_KEY_DOWN},
    {"KEY_LEFT", BD_KEY_LEFT},
    {"KEY_RIGHT", BD_KEY_RIGHT},
    {"KEY_BACKSPACE", BD_KEY_BACKSPACE},
    {"Escape", BD_KEY_ESC},
};

static char ctrl_names[26][8];

static const char *
ctrl_name(int key)
{
	int i = key - BD_KEY_CTRL_A;

	if (!ctrl_names[i][0])
		snprintf(ctrl_names[i], sizeof(ctrl_names[i]), "Ctrl-%c", 'A' + i);
	return ctrl_names[i];
}

/* Ctrl-H, I, J and M arrive as Backspace, Tab and Enter. */
static bool
ctrl_letter_ok(int letter)
{
	return letter != 'H' && letter != 'I' && letter != 'J' && letter != 'M';
}

const char *
bd_key_name(int key)
{
	size_t i;

	if (key >= BD_KEY_CTRL_A && key <= BD_KEY_CTRL_Z)
		return ctrl_name(key);
	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (key_names[i].key == key)
			return key_names[i].name;
	return NULL;
}

int
bd_key_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (!strcasecmp(key_names[i].name, name))
			return key_names[i].key;
	if (!strncasecmp(name, "KEY_F", 5) && name[5] >= '1' && name[5] <= '9') {
		char *end;
		long n = strtol(name + 5, &end, 10);

		if (!*end && n >= 1 && n <= 12)
			return BD_KEY_F((int)n);
	}
	if ((!strncasecmp(name, "Ctrl-", 5) || !strncasecmp(name, "Ctrl_", 5)) && name[5] &&
	    !name[6]) {
		int letter = name[5] & ~0x20;

		if (letter >= 'A' && letter <= 'Z' && ctrl_letter_ok(letter))
			return BD_KEY_CTRL_A + (letter - 'A');
	}
	return 0;
}

const char *
bd_ui_action_name(enum bd_ui_action action)
{
	return action > 0 && action < BD_UI_NACTIONS ? actions[action].name : "";
}

const char *
bd_ui_action_label(enum bd_ui_action action)
{
	return action > 0 && action < BD_UI_NACTIONS ? actions[action].label : "";
}

const char *
bd_ui_action_help(enum bd_ui_action action)
{
	return action > 0 && action < BD_UI_NACTIONS ? actions[action].help : "";
}

enum bd_ui_action
bd_ui_action_by_name(const char *name)
{
	int i;

	for (i = 1; i < BD_UI_NACTIONS; i++)
		if (!strcmp(actions[i].name, name))
			return (enum bd_ui_action)i;
	return BD_UI_NONE;
}

void
bd_keymap_init(struct bd_keymap *km)
{
	int c;

	memset(km->map[BD_KEYMAP_GLOBAL], 0, sizeof(km->map[0]));
	for (c = 1; c < BD_KEYMAP_NCONTEXTS; c++)
		memset(km->map[c], -1, sizeof(km->map[0]));
}

static const char *const context_names[BD_KEYMAP_NCONTEXTS] = {"global", "form", "list"};

static int
parse_group(struct bd_keymap *km, int ctx, config_setting_t *group, const char *source,
	    struct bd_err *err)
{
	int i, n = config_setting_length(group);
	bool seen[BD_KEY_NSPECIAL] = {false};

	for (i = 0; i < n; i++) {
		config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		const char *value;
		int key = bd_key_by_name(name);
		enum bd_ui_action action;
		int line = config_setting_source_line(s);

		if (!key) {
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: unknown key \"%s\"", source, line,
				   name);
			return -1;
		}
		if (seen[key - BD_KEY_SPECIAL]) {
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s is bound twice in %s", source,
				   line, bd_key_name(key), context_names[ctx]);
			return -1;
		}
		seen[key - BD_KEY_SPECIAL] = true;
		if (config_setting_type(s) != CONFIG_TYPE_STRING) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s:%d: %s must be an action name in quotes", source, line,
				   name);
			return -1;
		}
		value = config_setting_get_string(s);
		if (!strcmp(value, "none")) {
			action = BD_UI_NONE;
		} else {
			action = bd_ui_action_by_name(value);
			if (action == BD_UI_NONE) {
				bd_err_set(err, BD_ERR_INVALID, "%s:%d: unknown action \"%s\"",
					   source, line, value);
				return -1;
			}
		}
		km->map[ctx][key - BD_KEY_SPECIAL] = (signed char)action;
	}
	return 0;
}

int
bd_keymap_parse(struct bd_keymap *km, const char *text, const char *source, struct bd_err *err)
{
	static const enum bd_ui_action needed[] = {BD_UI_HELP, BD_UI_EXIT, BD_UI_CANCEL,
						   BD_UI_ENTER};
	config_t cfg;
	config_setting_t *root;
	struct bd_keymap tmp;
	int i, n, rc = -1;
	size_t k;

	config_init(&cfg);
	bd_keymap_init(&tmp);
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s", source, config_error_line(&cfg),
			   config_error_text(&cfg));
		goto cleanup;
	}
	root = config_root_setting(&cfg);
	n = config_setting_length(root);
	for (i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(g);
		int ctx;

		for (ctx = 0; ctx < BD_KEYMAP_NCONTEXTS; ctx++)
			if (!strcmp(name, context_names[ctx]))
				break;
		if (ctx == BD_KEYMAP_NCONTEXTS || !config_setting_is_group(g)) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s:%d: \"%s\" is not a keymap group (global, form or list "
				   "= { ... })",
				   source, config_setting_source_line(g), name);
			goto cleanup;
		}
		if (parse_group(&tmp, ctx, g, source, err) < 0)
			goto cleanup;
	}
	for (k = 0; k < sizeof(needed) / sizeof(needed[0]); k++) {
		for (i = 0; i < BD_KEYMAP_NCONTEXTS; i++)
			if (!bd_keymap_key_for(&tmp, (enum bd_keymap_context)i, needed[k]))
				break;
		if (i < BD_KEYMAP_NCONTEXTS) {
			bd_err_set(err, BD_ERR_INVALID, "%s:1: no key does \"%s\" in %s", source,
				   bd_ui_action_name(needed[k]), context_names[i]);
			goto cleanup;
		}
	}
	*km = tmp;
	rc = 0;
cleanup:
	config_destroy(&cfg);
	return rc;
}

int
bd_keymap_load(struct bd_keymap *km, const char *path, struct bd_err *err)
{
	struct strbuf text = STRBUF_INIT;
	FILE *f = NULL;
	char chunk[4096];
	size_t n;
	int rc = -1;

	if (!path || !*path) {
		const struct bd_embedded_file *ef = bd_embedded_find(KEYMAP_EMBEDDED);

		if (!ef) {
			bd_err_set(err, BD_ERR_INTERNAL, "the built-in keymap is missing");
			goto cleanup;
		}
		rc = bd_keymap_parse(km, ef->data, KEYMAP_EMBEDDED, err);
		goto cleanup;
	}
	f = fopen(path, "r");
	if (!f) {
		bd_err_set(err, BD_ERR_IO, "cannot read the keymap %s: %m", path);
		goto cleanup;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(&text, chunk, n);
	if (ferror(f)) {
		bd_err_set(err, BD_ERR_IO, "cannot read the keymap %s: %m", path);
		goto cleanup;
	}
	rc = bd_keymap_parse(km, text.buf, path, err);
cleanup:
	if (f)
		fclose(f);
	strbuf_release(&text);
	return rc;
}

enum bd_ui_action
bd_keymap_action(const struct bd_keymap *km, enum bd_keymap_context ctx, int key)
{
	int a;

	if (!bd_key_is_special(key) || ctx < 0 || ctx >= BD_KEYMAP_NCONTEXTS)
		return BD_UI_NONE;
	a = km->map[ctx][key - BD_KEY_SPECIAL];
	if (a < 0)
		a = km->map[BD_KEYMAP_GLOBAL][key - BD_KEY_SPECIAL];
	return (enum bd_ui_action)a;
}

int
bd_keymap_key_for(const struct bd_keymap *km, enum bd_keymap_context ctx, enum bd_ui_action action)
{
	int key;

	if (action == BD_UI_NONE)
		return 0;
	for (key = BD_KEY_SPECIAL + 1; key < BD_KEY_END_OF_KEYS; key++)
		if (bd_keymap_action(km, ctx, key) == action)
			return key;
	return 0;
}

/* Esc then a key: the function key it stands for, or 0. */
static int
esc_function_key(int key)
{
	if (key >= '1' && key <= '9')
		return BD_KEY_F(key - '0');
	switch (key) {
	case '0':
		return BD_KEY_F10;
	case '-':
		return BD_KEY_F11;
	case '=':
		return BD_KEY_F12;
	case BD_KEY_ESC:
		return BD_KEY_ESC;
	default:
		return 0;
	}
}

int
bd_esc_feed(struct bd_esc_state *st, int key, int out[2])
{
	int f;

	switch (st->state) {
	case BD_ESC_IDLE:
		break;
	case BD_ESC_PREFIX:
		st->state = BD_ESC_IDLE;
		if (key == '[') {
			st->state = BD_ESC_CSI;
			return 0;
		}
		if (key == 'O') {
			st->state = BD_ESC_SS3;
			return 0;
		}
		if ((f = esc_function_key(key))) {
			out[0] = f;
			return 1;
		}
		/* Esc then any other key: the Esc meant nothing; the key is itself. */
		out[0] = key;
		return 1;
	case BD_ESC_CSI:
		/* ESC [ parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one
		 * final byte 0x40-0x7E: swallowed whole. */
		if (key >= 0x20 && key <= 0x3f)
			return 0;
		st->state = BD_ESC_IDLE;
		if (key >= 0x40 && key <= 0x7e)
			return 0;
		break; /* not a sequence byte: the sequence was cut short */
	case BD_ESC_SS3:
		st->state = BD_ESC_IDLE;
		if (key >= 0x20 && key <= 0x7e)
			return 0;
		break;
	}
	if (key == BD_KEY_ESC) {
		st->state = BD_ESC_PREFIX;
		return 0;
	}
	out[0] = key;
	return 1;
}

int
bd_esc_timeout(struct bd_esc_state *st, int out[2])
{
	enum bd_esc_phase was = st->state;

	st->state = BD_ESC_IDLE;
	if (was == BD_ESC_PREFIX) {
		out[0] = BD_KEY_ESC;
		return 1;
	}
	return 0; /* a sequence cut short: dropped */
}
