#ifndef BACKDESK_CONFIG_H
#define BACKDESK_CONFIG_H
/*
 * Settings: built-in defaults, then one libconfig file, then command-line
 * overrides. Every setting is declared once, in src/config/settings.def,
 * with its type, default, allowed range and help text.
 *
 * The file is the first of these that exists:
 *
 *   1. the explicit path (`--config FILE`)
 *   2. $BACKDESK_CONFIG
 *   3. $XDG_CONFIG_HOME/backdesk/backdesk.conf (or ~/.config/backdesk/backdesk.conf)
 *   4. /etc/backdesk/backdesk.conf
 *
 * An explicit path or $BACKDESK_CONFIG that does not exist is an error; no
 * file at all is fine and gives the defaults. The file is libconfig syntax
 * with one group per prefix:
 *
 *   database = { conninfo = "service=backdesk"; };
 *   ui = { idle_lock_minutes = 10; };
 *
 * Unknown settings, wrong types and out-of-range values are refused with
 * "FILE:LINE: ..." so a typo never silently falls back to a default.
 *
 * Paths whose default is "" and computed (database.data_dir, log.file,
 * draft.dir) hold the real path after loading, with source "default", so
 * `backdesk config` shows what will be used. The config module never
 * creates directories; whoever uses a path does. Path settings expand a
 * leading "~/" and refuse relative paths.
 *
 * Accessors take the full dotted name ("ui.color"). Asking for a name that
 * is not declared, or with the wrong type, is a programming error and
 * calls bd_die(). Returned strings belong to the config and stay valid
 * until the setting is changed or the config freed.
 */
#include <stdbool.h>
#include <stdio.h>

#include "backdesk/err.h"

struct bd_config;

/*
 * Finds and reads the configuration file (see above). `explicit_path` may
 * be NULL. Returns a new config for bd_config_free(), or NULL with err set;
 * err->msg reads like "/etc/backdesk/backdesk.conf:12: syntax error".
 */
struct bd_config *bd_config_load(const char *explicit_path, struct bd_err *err);

/* Every setting at its default, no file read. Never NULL. */
struct bd_config *bd_config_defaults(void);

/* Frees cfg and everything it owns. NULL is allowed. */
void bd_config_free(struct bd_config *cfg);

const char *bd_config_str(const struct bd_config *cfg, const char *name);
long long bd_config_int(const struct bd_config *cfg, const char *name);
bool bd_config_bool(const struct bd_config *cfg, const char *name);

/*
 * For settings restricted to a list of words (log.level, ui.color_*): the
 * index of the value in that list. log.level gives the enum bd_log_level
 * order (debug=0 .. error=3). Colours are listed "default", "black", "red",
 * "green", "yellow", "blue", "magenta", "cyan", "white", so index - 1 is the
 * curses COLOR_* number and "default" gives -1, as use_default_colors() wants.
 */
int bd_config_choice(const struct bd_config *cfg, const char *name);

/*
 * Sets `name` from its text form, as typed on a command line: integers in
 * decimal, booleans as true/false, yes/no, on/off or 1/0. `source` is what
 * bd_config_source() reports afterwards (e.g. "--set"); NULL means
 * "command line". Returns 0, or -1 with err set (unknown name, bad value,
 * out of range) and the config unchanged.
 */
int bd_config_set(struct bd_config *cfg, const char *name, const char *value, const char *source,
		  struct bd_err *err);

/* The same for "name=value" in one argument. */
int bd_config_set_arg(struct bd_config *cfg, const char *arg, const char *source,
		      struct bd_err *err);

/* "default", "FILE:LINE", or the source given to bd_config_set(). */
const char *bd_config_source(const struct bd_config *cfg, const char *name);

/* The file that was read, or NULL when none was. */
const char *bd_config_file(const struct bd_config *cfg);

/*
 * Writes every setting, grouped, in libconfig syntax that can be pasted
 * into a file, each with its source and a help comment: the output of
 * `backdesk config`.
 */
void bd_config_print(const struct bd_config *cfg, FILE *out);

#endif
