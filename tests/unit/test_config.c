/*
 * The configuration module: defaults, the file search order, every kind of
 * bad file, command-line overrides and `backdesk config` output.
 *
 * Each test runs with HOME pointed at a fresh temporary directory and the
 * XDG and BACKDESK_CONFIG variables cleared, so the user's own files never
 * leak in. Fixtures live in $BD_SOURCE_DIR/tests/fixtures/config.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backdesk/config.h"

enum kind { STR, INT, BOOL };

/* Every declared setting, from the brief; the print tests check each one. */
static const struct {
	const char *name;
	enum kind kind;
} all_settings[] = {
    {"database.conninfo", STR},
    {"database.data_dir", STR},
    {"database.cluster_user", STR},
    {"database.pg_bindir", STR},
    {"database.connect_timeout", INT},
    {"ui.idle_lock_minutes", INT},
    {"ui.color", BOOL},
    {"ui.color_fields", STR},
    {"ui.color_errors", STR},
    {"ui.escdelay_ms", INT},
    {"ui.date_order", STR},
    {"ui.screens_dir", STR},
    {"ui.keymap", STR},
    {"log.file", STR},
    {"log.level", STR},
    {"entry.lease_seconds", INT},
};
#define NALL (sizeof(all_settings) / sizeof(all_settings[0]))

static char tmpdir[256];
static char home[300];

static const char *
fixture(const char *name)
{
	static char path[1024];
	const char *src = getenv("BD_SOURCE_DIR");

	if (!src)
		fail_msg("BD_SOURCE_DIR is not set (run the tests through ctest)");
	snprintf(path, sizeof(path), "%s/tests/fixtures/config/%s", src, name);
	return path;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* mkdir -p for a path inside tmpdir. */
static void
make_dirs(const char *path)
{
	char buf[1024];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0)
			assert_int_equal(errno, EEXIST);
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0)
		assert_int_equal(errno, EEXIST);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bd-test-config-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(home, sizeof(home), "%s/home", tmpdir);
	make_dirs(home);
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("BACKDESK_CONFIG");
	return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("expected \"%s\" in \"%s\"", needle, haystack);
}

static void
assert_source(const struct bd_config *cfg, const char *name, const char *file, int line)
{
	char want[1100];

	snprintf(want, sizeof(want), "%s:%d", file, line);
	assert_string_equal(bd_config_source(cfg, name), want);
}

/* Loads a fixture that must be refused, and returns the message. */
static const char *
load_error(const char *name)
{
	static struct bd_err err;
	struct bd_config *cfg;

	bd_err_clear(&err);
	cfg = bd_config_load(fixture(name), &err);
	assert_null(cfg);
	assert_true(bd_err_is_set(&err));
	return err.msg;
}

static void
test_defaults(void **state)
{
	struct bd_config *cfg = bd_config_defaults();
	char want[600];
	size_t i;

	(void)state;
	assert_null(bd_config_file(cfg));
	assert_string_equal(bd_config_str(cfg, "database.conninfo"), "");
	assert_string_equal(bd_config_str(cfg, "database.cluster_user"), "postgres");
	assert_string_equal(bd_config_str(cfg, "database.pg_bindir"), "");
	assert_int_equal(bd_config_int(cfg, "database.connect_timeout"), 10);
	assert_int_equal(bd_config_int(cfg, "ui.idle_lock_minutes"), 10);
	/* PCI DSS 8.2.8: re-authentication after 15 idle minutes. */
	assert_int_equal(bd_config_int(cfg, "ui.idle_end_minutes"), 15);
	assert_true(bd_config_bool(cfg, "ui.color"));
	assert_int_equal(bd_config_int(cfg, "ui.escdelay_ms"), 25);
	assert_string_equal(bd_config_str(cfg, "ui.date_order"), "dmy");
	assert_string_equal(bd_config_str(cfg, "ui.keymap"), "");
	assert_string_equal(bd_config_str(cfg, "log.level"), "info");
	assert_int_equal(bd_config_int(cfg, "entry.lease_seconds"), 300);

	/* Computed paths hold the real value, still reported as the default. */
	if (geteuid() == 0)
		snprintf(want, sizeof(want), "/var/lib/backdesk/cluster");
	else
		snprintf(want, sizeof(want), "%s/.local/share/backdesk/cluster", home);
	assert_string_equal(bd_config_str(cfg, "database.data_dir"), want);
	snprintf(want, sizeof(want), "%s/.local/state/backdesk/backdesk.log", home);
	assert_string_equal(bd_config_str(cfg, "log.file"), want);

	/* Choices as indexes: log levels in enum order, colours as curses numbers + 1. */
	assert_int_equal(bd_config_choice(cfg, "log.level"), 1);
	assert_int_equal(bd_config_choice(cfg, "ui.color_fields") - 1, 6); /* COLOR_CYAN */
	assert_int_equal(bd_config_choice(cfg, "ui.color_errors") - 1, 1); /* COLOR_RED */

	for (i = 0; i < NALL; i++)
		assert_string_equal(bd_config_source(cfg, all_settings[i].name), "default");
	bd_config_free(cfg);
}

static void
test_xdg_defaults(void **state)
{
	struct bd_config *cfg;

	(void)state;
	setenv("XDG_DATA_HOME", "/x/data", 1);
	setenv("XDG_STATE_HOME", "/x/state", 1);
	cfg = bd_config_defaults();
	if (geteuid() != 0)
		assert_string_equal(bd_config_str(cfg, "database.data_dir"),
				    "/x/data/backdesk/cluster");
	assert_string_equal(bd_config_str(cfg, "log.file"), "/x/state/backdesk/backdesk.log");
	bd_config_free(cfg);

	/* The XDG spec says relative values are invalid and must be ignored. */
	setenv("XDG_STATE_HOME", "relative/state", 1);
	cfg = bd_config_defaults();
	assert_non_null(strstr(bd_config_str(cfg, "log.file"), home));
	assert_string_equal(bd_config_str(cfg, "log.file") + strlen(home),
			    "/.local/state/backdesk/backdesk.log");
	bd_config_free(cfg);
}

static void
test_good_file(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	const char *path = fixture("good.conf");
	struct bd_config *cfg = bd_config_load(path, &err);
	char want[600];

	(void)state;
	assert_non_null(cfg);
	assert_false(bd_err_is_set(&err));
	assert_string_equal(bd_config_file(cfg), path);

	assert_string_equal(bd_config_str(cfg, "database.conninfo"), "service=backdesk");
	assert_source(cfg, "database.conninfo", path, 3);
	assert_int_equal(bd_config_int(cfg, "database.connect_timeout"), 5);
	assert_source(cfg, "database.connect_timeout", path, 4);
	assert_string_equal(bd_config_str(cfg, "database.data_dir"), "/srv/backdesk/cluster");
	assert_source(cfg, "database.data_dir", path, 5);
	assert_int_equal(bd_config_int(cfg, "ui.idle_lock_minutes"), 0);
	assert_source(cfg, "ui.idle_lock_minutes", path, 9);
	assert_false(bd_config_bool(cfg, "ui.color"));
	assert_source(cfg, "ui.color", path, 10);
	assert_string_equal(bd_config_str(cfg, "ui.color_fields"), "yellow");
	assert_int_equal(bd_config_choice(cfg, "ui.color_fields") - 1, 3); /* COLOR_YELLOW */
	assert_string_equal(bd_config_str(cfg, "log.level"), "debug");
	assert_int_equal(bd_config_choice(cfg, "log.level"), 0);
	assert_source(cfg, "log.level", path, 15);

	/* "~/" expands to $HOME. */
	snprintf(want, sizeof(want), "%s/bd.log", home);
	assert_string_equal(bd_config_str(cfg, "log.file"), want);
	assert_source(cfg, "log.file", path, 16);

	/* Settings the file leaves alone keep their defaults. */
	assert_int_equal(bd_config_int(cfg, "ui.escdelay_ms"), 25);
	assert_string_equal(bd_config_source(cfg, "ui.escdelay_ms"), "default");
	assert_string_equal(bd_config_str(cfg, "database.cluster_user"), "postgres");
	bd_config_free(cfg);
}

static void
test_include(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_config *cfg = bd_config_load(fixture("include.conf"), &err);

	(void)state;
	assert_non_null(cfg);
	assert_string_equal(bd_config_str(cfg, "database.conninfo"), "host=db1");
	assert_contains(bd_config_source(cfg, "database.conninfo"), "include_part.conf:2");
	assert_int_equal(bd_config_int(cfg, "ui.escdelay_ms"), 50);
	assert_source(cfg, "ui.escdelay_ms", fixture("include.conf"), 3);
	bd_config_free(cfg);
}

static void
expect_escdelay(const char *explicit_path, const char *file, long long escdelay)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_config *cfg = bd_config_load(explicit_path, &err);

	if (!cfg)
		fail_msg("load failed: %s", err.msg);
	assert_string_equal(bd_config_file(cfg), file);
	assert_int_equal(bd_config_int(cfg, "ui.escdelay_ms"), escdelay);
	bd_config_free(cfg);
}

static void
test_search_order(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_config *cfg;
	char home_conf[600], xdg[600], xdg_conf[700], env_conf[600], missing[600];
	struct stat st;

	(void)state;
	snprintf(home_conf, sizeof(home_conf), "%s/.config/backdesk/backdesk.conf", home);
	snprintf(xdg, sizeof(xdg), "%s/xdg", tmpdir);
	snprintf(xdg_conf, sizeof(xdg_conf), "%s/backdesk/backdesk.conf", xdg);
	snprintf(env_conf, sizeof(env_conf), "%s/env.conf", tmpdir);
	snprintf(missing, sizeof(missing), "%s/missing.conf", tmpdir);

	/* No file anywhere: defaults (unless this host has a system file). */
	cfg = bd_config_load(NULL, &err);
	assert_non_null(cfg);
	if (stat("/etc/backdesk/backdesk.conf", &st) == 0)
		assert_string_equal(bd_config_file(cfg), "/etc/backdesk/backdesk.conf");
	else
		assert_null(bd_config_file(cfg));
	bd_config_free(cfg);

	/* ~/.config when XDG_CONFIG_HOME is unset. */
	snprintf(xdg_conf, sizeof(xdg_conf), "%s/.config/backdesk", home);
	make_dirs(xdg_conf);
	write_file(home_conf, "ui = { escdelay_ms = 40; };\n");
	expect_escdelay(NULL, home_conf, 40);

	/* $XDG_CONFIG_HOME replaces ~/.config. */
	snprintf(xdg_conf, sizeof(xdg_conf), "%s/backdesk", xdg);
	make_dirs(xdg_conf);
	snprintf(xdg_conf, sizeof(xdg_conf), "%s/backdesk/backdesk.conf", xdg);
	write_file(xdg_conf, "ui = { escdelay_ms = 60; };\n");
	setenv("XDG_CONFIG_HOME", xdg, 1);
	expect_escdelay(NULL, xdg_conf, 60);

	/* An empty $BACKDESK_CONFIG is as good as unset. */
	setenv("BACKDESK_CONFIG", "", 1);
	expect_escdelay(NULL, xdg_conf, 60);

	/* $BACKDESK_CONFIG beats the XDG file... */
	write_file(env_conf, "ui = { escdelay_ms = 70; };\n");
	setenv("BACKDESK_CONFIG", env_conf, 1);
	expect_escdelay(NULL, env_conf, 70);

	/* ...and --config beats $BACKDESK_CONFIG. */
	expect_escdelay(fixture("include.conf"), fixture("include.conf"), 50);

	/* A $BACKDESK_CONFIG that does not exist is an error, not a fallback. */
	setenv("BACKDESK_CONFIG", missing, 1);
	assert_null(bd_config_load(NULL, &err));
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
	assert_contains(err.msg, missing);
	assert_contains(err.msg, "$BACKDESK_CONFIG");
}

static void
test_missing_explicit(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	char missing[600];

	(void)state;
	snprintf(missing, sizeof(missing), "%s/nope.conf", tmpdir);
	assert_null(bd_config_load(missing, &err));
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
	assert_contains(err.msg, missing);
	assert_contains(err.msg, "--config");

	/* Even when a file further down the search order exists. */
	setenv("BACKDESK_CONFIG", fixture("good.conf"), 1);
	bd_err_clear(&err);
	assert_null(bd_config_load(missing, &err));
	assert_contains(err.msg, missing);

	bd_err_clear(&err);
	assert_null(bd_config_load(tmpdir, &err));
	assert_contains(err.msg, "not a regular file");
}

/* A file the user may not read is refused with the path and the reason. Root
 * reads everything, so as root the load runs in a child that has become
 * nobody: the case is tested either way, never skipped. */
static void
unreadable_check(const char *path)
{
	struct bd_err err = BD_ERR_INIT;

	assert_null(bd_config_load(path, &err));
	assert_int_equal(err.kind, BD_ERR_IO);
	assert_contains(err.msg, path);
	assert_contains(err.msg, "Permission denied");
}

static void
test_unreadable(void **state)
{
	char path[600];
	int status;
	pid_t pid;

	(void)state;
	snprintf(path, sizeof(path), "%s/secret.conf", tmpdir);
	write_file(path, "ui = { color = false; };\n");
	assert_int_equal(chmod(path, 0), 0);
	if (geteuid() != 0) {
		unreadable_check(path);
		return;
	}
	assert_int_equal(chmod(tmpdir, 0711), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct bd_err err = BD_ERR_INIT;
		const char *msg;

		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		/* cmocka's asserts longjmp into the parent's runner: plain checks here. */
		if (bd_config_load(path, &err))
			_exit(3);
		msg = err.msg;
		_exit(err.kind == BD_ERR_IO && strstr(msg, path) && strstr(msg, "Permission denied")
			  ? 0
			  : 4);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(chmod(tmpdir, 0700), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_syntax_error(void **state)
{
	char want[1100];

	(void)state;
	snprintf(want, sizeof(want), "%s:4: syntax error", fixture("bad_syntax.conf"));
	assert_string_equal(load_error("bad_syntax.conf"), want);
}

static void
test_unknown_setting(void **state)
{
	const char *msg;
	char want[1100];

	(void)state;
	msg = load_error("bad_unknown.conf");
	snprintf(want, sizeof(want),
		 "%s:4: unknown setting ui.idle_lock_minuts (did you mean ui.idle_lock_minutes?)",
		 fixture("bad_unknown.conf"));
	assert_string_equal(msg, want);

	msg = load_error("bad_group.conf");
	snprintf(want, sizeof(want), "%s:2: unknown setting databse (did you mean database?)",
		 fixture("bad_group.conf"));
	assert_string_equal(msg, want);
}

static void
test_wrong_type(void **state)
{
	char want[1100];

	(void)state;
	snprintf(want, sizeof(want), "%s:3: ui.color: expected a boolean (true or false)",
		 fixture("bad_type.conf"));
	assert_string_equal(load_error("bad_type.conf"), want);

	snprintf(want, sizeof(want), "%s:2: ui: expected a group", fixture("bad_not_group.conf"));
	assert_contains(load_error("bad_not_group.conf"), want);
}

static void
test_bad_values(void **state)
{
	char want[1100];

	(void)state;
	snprintf(want, sizeof(want),
		 "%s:3: database.connect_timeout: -1 is out of range (0 to 3600)",
		 fixture("bad_negative.conf"));
	assert_string_equal(load_error("bad_negative.conf"), want);

	snprintf(want, sizeof(want),
		 "%s:1: log.level: expected one of debug, info, warn, error, not \"verbose\"",
		 fixture("bad_choice.conf"));
	assert_string_equal(load_error("bad_choice.conf"), want);

	snprintf(want, sizeof(want), "%s:3: log.file: expected an absolute path",
		 fixture("bad_relative.conf"));
	assert_contains(load_error("bad_relative.conf"), want);
}

static void
test_set(void **state)
{
	struct bd_config *cfg = bd_config_defaults();
	struct bd_err err = BD_ERR_INIT;
	char want[600];

	(void)state;
	assert_int_equal(bd_config_set(cfg, "ui.idle_lock_minutes", "30", "--set", &err), 0);
	assert_int_equal(bd_config_int(cfg, "ui.idle_lock_minutes"), 30);
	assert_string_equal(bd_config_source(cfg, "ui.idle_lock_minutes"), "--set");

	/* Refused values leave the setting as it was. */
	assert_int_equal(bd_config_set(cfg, "ui.idle_lock_minutes", "abc", "--set", &err), -1);
	assert_string_equal(err.msg,
			    "--set: ui.idle_lock_minutes: expected an integer, not \"abc\"");
	assert_int_equal(bd_config_set(cfg, "ui.idle_lock_minutes", "12x", NULL, &err), -1);
	assert_int_equal(bd_config_set(cfg, "ui.idle_lock_minutes", "", NULL, &err), -1);
	assert_int_equal(
	    bd_config_set(cfg, "ui.idle_lock_minutes", "99999999999999999999", NULL, &err), -1);
	assert_int_equal(bd_config_set(cfg, "ui.idle_lock_minutes", "-5", NULL, &err), -1);
	assert_string_equal(err.msg,
			    "command line: ui.idle_lock_minutes: -5 is out of range (0 to 1440)");
	assert_int_equal(bd_config_int(cfg, "ui.idle_lock_minutes"), 30);
	assert_string_equal(bd_config_source(cfg, "ui.idle_lock_minutes"), "--set");

	/* Booleans in the usual spellings. */
	assert_int_equal(bd_config_set(cfg, "ui.color", "off", NULL, &err), 0);
	assert_false(bd_config_bool(cfg, "ui.color"));
	assert_string_equal(bd_config_source(cfg, "ui.color"), "command line");
	assert_int_equal(bd_config_set(cfg, "ui.color", "YES", NULL, &err), 0);
	assert_true(bd_config_bool(cfg, "ui.color"));
	assert_int_equal(bd_config_set(cfg, "ui.color", "maybe", NULL, &err), -1);
	assert_contains(err.msg, "expected true or false");
	assert_true(bd_config_bool(cfg, "ui.color"));

	/* Choices, paths and unknown names. */
	assert_int_equal(bd_config_set(cfg, "log.level", "warn", NULL, &err), 0);
	assert_int_equal(bd_config_choice(cfg, "log.level"), 2);
	assert_int_equal(bd_config_set(cfg, "log.level", "loud", NULL, &err), -1);
	assert_int_equal(bd_config_set(cfg, "ui.color_errors", "purple", NULL, &err), -1);
	assert_string_equal(bd_config_str(cfg, "ui.color_errors"), "red");
	assert_int_equal(bd_config_set(cfg, "log.file", "~", NULL, &err), 0);
	assert_string_equal(bd_config_str(cfg, "log.file"), home);
	assert_int_equal(bd_config_set(cfg, "log.file", "backdesk.log", NULL, &err), -1);
	/* "" puts a computed path back to its real default. */
	assert_int_equal(bd_config_set(cfg, "log.file", "", NULL, &err), 0);
	snprintf(want, sizeof(want), "%s/.local/state/backdesk/backdesk.log", home);
	assert_string_equal(bd_config_str(cfg, "log.file"), want);

	assert_int_equal(bd_config_set(cfg, "ui.colour", "true", NULL, &err), -1);
	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_string_equal(err.msg,
			    "command line: unknown setting ui.colour (did you mean ui.color?)");
	assert_int_equal(bd_config_set(cfg, "conninfo", "x", NULL, &err), -1);
	assert_contains(err.msg, "did you mean database.conninfo?");

	/* NAME=VALUE in one argument; the value may itself contain '='. */
	assert_int_equal(bd_config_set_arg(cfg, "database.conninfo=host=db port=5433", "-o", &err),
			 0);
	assert_string_equal(bd_config_str(cfg, "database.conninfo"), "host=db port=5433");
	assert_string_equal(bd_config_source(cfg, "database.conninfo"), "-o");
	assert_int_equal(bd_config_set_arg(cfg, "ui.color", "-o", &err), -1);
	assert_contains(err.msg, "expected NAME=VALUE");
	assert_int_equal(bd_config_set_arg(cfg, "=x", "-o", &err), -1);
	bd_config_free(cfg);
}

static char *
print_to_string(const struct bd_config *cfg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	bd_config_print(cfg, f);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void
test_print_every_setting(void **state)
{
	struct bd_config *cfg = bd_config_load(fixture("good.conf"), NULL);
	char *text, *group_start, *group_end, needle[1100];
	const char *dot;
	size_t i;

	(void)state;
	assert_non_null(cfg);
	text = print_to_string(cfg);
	assert_contains(text, fixture("good.conf"));
	for (i = 0; i < NALL; i++) {
		/* "leaf = " inside the block "group = { ... };" */
		dot = strchr(all_settings[i].name, '.');
		snprintf(needle, sizeof(needle), "\n%.*s = {\n", (int)(dot - all_settings[i].name),
			 all_settings[i].name);
		group_start = strstr(text, needle);
		if (!group_start)
			fail_msg("no group for %s in:\n%s", all_settings[i].name, text);
		group_end = strstr(group_start, "\n};");
		assert_non_null(group_end);
		snprintf(needle, sizeof(needle), "\n\t%s = ", dot + 1);
		group_start = strstr(group_start, needle);
		if (!group_start || group_start > group_end)
			fail_msg("%s not printed in its group:\n%s", all_settings[i].name, text);
	}
	/* Value, source and help for one setting of each kind. */
	snprintf(needle, sizeof(needle), "# %s:3\n", fixture("good.conf"));
	assert_contains(text, "\tconninfo = \"service=backdesk\";");
	assert_contains(text, needle);
	assert_contains(text, "\tconnect_timeout = 5;");
	assert_contains(text, "\tcolor = false;");
	assert_contains(text, "\tescdelay_ms = 25;");
	assert_contains(text, "# default\n");
	assert_contains(text, "\tlevel = \"debug\";");
	assert_contains(text, "\t    #   one of: debug, info, warn, error\n");
	assert_contains(text,
			"\t    # seconds to wait for the database; 0 = wait forever (0 to 3600)\n");
	free(text);
	bd_config_free(cfg);
}

/* What is printed reads back as the same configuration. */
static void
test_print_round_trip(void **state)
{
	struct bd_config *cfg = bd_config_defaults(), *back;
	struct bd_err err = BD_ERR_INIT;
	char path[600], *text;
	const char *name;
	size_t i;

	(void)state;
	assert_int_equal(bd_config_set(cfg, "database.conninfo",
				       "password='a\"b\\c'\n\ttab\x01 caf\xc3\xa9", NULL, &err),
			 0);
	assert_int_equal(bd_config_set(cfg, "ui.color", "false", NULL, &err), 0);
	assert_int_equal(bd_config_set(cfg, "entry.lease_seconds", "86400", NULL, &err), 0);
	assert_int_equal(bd_config_set(cfg, "database.pg_bindir", "/opt/my pg/bin", NULL, &err), 0);
	assert_int_equal(bd_config_set(cfg, "log.level", "error", NULL, &err), 0);

	text = print_to_string(cfg);
	snprintf(path, sizeof(path), "%s/printed.conf", tmpdir);
	write_file(path, text);
	back = bd_config_load(path, &err);
	if (!back)
		fail_msg("printed output does not load: %s\n%s", err.msg, text);
	for (i = 0; i < NALL; i++) {
		name = all_settings[i].name;
		switch (all_settings[i].kind) {
		case STR:
			assert_string_equal(bd_config_str(back, name), bd_config_str(cfg, name));
			break;
		case INT:
			assert_int_equal(bd_config_int(back, name), bd_config_int(cfg, name));
			break;
		case BOOL:
			assert_int_equal(bd_config_bool(back, name), bd_config_bool(cfg, name));
			break;
		}
		assert_non_null(strstr(bd_config_source(back, name), path));
	}
	free(text);
	bd_config_free(back);
	bd_config_free(cfg);
}

/* Asking for a setting that does not exist, or with the wrong type, is a bug: bd_die(). */
static void
expect_death(int which)
{
	struct bd_config *cfg = bd_config_defaults();
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Keep the child's "internal error" line out of the test output. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(1);
		switch (which) {
		case 0:
			(void)bd_config_int(cfg, "ui.color");
			break;
		case 1:
			(void)bd_config_str(cfg, "ui.colour");
			break;
		case 2:
			(void)bd_config_bool(cfg, "database.conninfo");
			break;
		default:
			(void)bd_config_choice(cfg, "ui.keymap");
			break;
		}
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 70);
	bd_config_free(cfg);
}

static void
test_misuse_dies(void **state)
{
	int which;

	(void)state;
	for (which = 0; which < 4; which++)
		expect_death(which);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xdg_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_good_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_include, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_search_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_explicit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_syntax_error, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_setting, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_type, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_print_every_setting, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_print_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_misuse_dies, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
