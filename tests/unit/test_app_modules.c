/*
 * The module registry (module.h, src/app/modules.c) walked whole: every
 * module's folder exists and its name is unique; every menu entry is shown
 * to known roles and runs something; the main menu keeps the order each role
 * had before the registry; every draft kind names a screen file that exists;
 * approval kinds and command words are unique; and `backdesk --help` lists
 * every command of the table built from the registry, in its order, each
 * with its own `backdesk WORD --help`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backdesk/app.h"
#include "backdesk/cli.h"
#include "backdesk/module.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v)
		fail_msg("%s is not set (run the tests through ctest)", name);
	return v;
}

static void
test_modules_have_folders(void **state)
{
	const struct bd_module *const *m, *const *n;
	size_t count = 0;

	(void)state;
	for (m = bd_modules; *m; m++, count++) {
		struct strbuf path = STRBUF_INIT;
		struct stat st;

		assert_non_null((*m)->name);
		strbuf_addf(&path, "%s/src/modules/%s/module.c", env("BD_SOURCE_DIR"), (*m)->name);
		if (stat(path.buf, &st) < 0)
			fail_msg("module %s: %s does not exist", (*m)->name, path.buf);
		strbuf_release(&path);
		for (n = bd_modules; n != m; n++)
			if (!strcmp((*n)->name, (*m)->name))
				fail_msg("module %s is listed twice", (*m)->name);
	}
	assert_true(count >= 5);
}

static void
test_menu_entries_are_sound(void **state)
{
	const struct bd_module *const *m;
	const struct bd_module_entry *e;
	size_t count = 0;

	(void)state;
	for (m = bd_modules; *m; m++) {
		for (e = (*m)->entries; e && e->label; e++, count++) {
			if (!*e->label || !e->run)
				fail_msg("module %s: an entry without a label or a screen",
					 (*m)->name);
			if (!e->roles || (e->roles & ~(unsigned)BD_ROLE_ANY))
				fail_msg("module %s: entry '%s' has roles %#x, not known roles",
					 (*m)->name, e->label, e->roles);
		}
	}
	assert_true(count > 0);
}

/* The main menu, per role, as it was before the registry (the TUI tests pick
 * entries by label; the order is what the operators are used to): these
 * entries, in this order; a module added since may put its own in between. */
static void
check_role_menu(const struct bd_module_entry *const *menu, unsigned role, const char *const *want)
{
	size_t i, k = 0;

	for (i = 0; menu[i] && want[k]; i++) {
		if (!(menu[i]->roles & role))
			continue;
		if (!strcmp(menu[i]->label, want[k])) {
			k++;
			continue;
		}
		/* not the next one expected: it must not be a later one either */
		for (size_t later = k + 1; want[later]; later++)
			if (!strcmp(menu[i]->label, want[later]))
				fail_msg("role %#x: '%s' comes before '%s'", role, menu[i]->label,
					 want[k]);
	}
	if (want[k])
		fail_msg("role %#x: '%s' is missing or out of order", role, want[k]);
}

static void
test_menu_order_per_role(void **state)
{
	static const char *const clerk[] = {"Key documents", "Adjudicate", "QA review", NULL};
	static const char *const accountant[] = {
	    "Journal entry",	 "Journal entries", "Approvals inbox", "Ledger reports",
	    "Chart of accounts", "Fiscal periods",  "Audit log",       NULL};
	static const char *const supervisor[] = {
	    "Queue board", "Claims",	"Operator productivity", "Queue actions",
	    "Adjudicate",  "QA review", "Approvals inbox",	 "Fiscal periods",
	    "Audit log",   NULL};
	static const char *const admin[] = {"Clients", "Operators", "Audit log", NULL};
	const struct bd_module_entry **menu = bd_app_menu_entries();

	(void)state;
	check_role_menu(menu, BD_ROLE_CLERK, clerk);
	check_role_menu(menu, BD_ROLE_ACCOUNTANT, accountant);
	check_role_menu(menu, BD_ROLE_SUPERVISOR, supervisor);
	check_role_menu(menu, BD_ROLE_ADMIN, admin);
	free(menu);
}

static void
test_draft_kinds_have_screens(void **state)
{
	const struct bd_module *const *m, *const *n;
	const struct bd_module_draft *d, *o;
	size_t count = 0;

	(void)state;
	for (m = bd_modules; *m; m++) {
		for (d = (*m)->drafts; d && d->screen; d++, count++) {
			struct bd_err err = BD_ERR_INIT;
			struct bd_screen screen;

			bd_screen_init(&screen);
			if (bd_screen_load_embedded(&screen, d->screen, &err) < 0)
				fail_msg("module %s: draft kind %s has no screen: %s", (*m)->name,
					 d->screen, err.msg);
			bd_screen_release(&screen);
			if (!d->resume || !*d->what)
				fail_msg("module %s: draft kind %s cannot be offered back",
					 (*m)->name, d->screen);
			if (!d->roles || (d->roles & ~(unsigned)BD_ROLE_ANY))
				fail_msg("module %s: draft kind %s has unknown roles %#x",
					 (*m)->name, d->screen, d->roles);
			/* A draft key's screen is the module's: "<name>.<screen>". */
			if (strncmp(d->screen, (*m)->name, strlen((*m)->name)) ||
			    d->screen[strlen((*m)->name)] != '.')
				fail_msg("module %s: draft kind %s is not named after it",
					 (*m)->name, d->screen);
			for (n = bd_modules; n <= m; n++)
				for (o = (*n)->drafts; o && o->screen && o != d; o++)
					if (!strcmp(o->screen, d->screen))
						fail_msg("draft kind %s is declared twice",
							 d->screen);
		}
	}
	assert_true(count > 0);
}

static void
test_approval_kinds_are_unique(void **state)
{
	const struct bd_module *const *m, *const *n;
	const struct bd_module_approval *k, *o;
	size_t count = 0;

	(void)state;
	for (m = bd_modules; *m; m++) {
		for (k = (*m)->approvals; k && k->kind; k++, count++) {
			assert_true(*k->label);
			for (n = bd_modules; n <= m; n++)
				for (o = (*n)->approvals; o && o->kind && o != k; o++)
					if (!strcmp(o->kind, k->kind))
						fail_msg("approval kind %s is declared twice",
							 k->kind);
			assert_ptr_equal(bd_module_approval_label(bd_modules, k->kind), k->label);
		}
	}
	assert_true(count > 0);
	assert_null(bd_module_approval_label(bd_modules, "no.such_kind"));
}

static void
test_command_words_are_unique(void **state)
{
	const struct bd_cli_command **cmds = bd_cli_commands();
	size_t i, j, from_modules = 0;
	const struct bd_module *const *m;
	const struct bd_cli_command *c;

	(void)state;
	for (i = 0; cmds[i]; i++) {
		if (!*cmds[i]->word || !cmds[i]->help || !*cmds[i]->help || !cmds[i]->usage ||
		    !cmds[i]->details || !cmds[i]->run)
			fail_msg("command %s is incomplete", cmds[i]->word);
		for (j = 0; j < i; j++)
			if (!strcmp(cmds[i]->word, cmds[j]->word))
				fail_msg("command word %s is taken twice", cmds[i]->word);
	}
	/* every module's command is in the table */
	for (m = bd_modules; *m; m++) {
		for (c = (*m)->commands; c && c->word; c++, from_modules++) {
			for (j = 0; cmds[j] && cmds[j] != c; j++)
				;
			if (!cmds[j])
				fail_msg("module %s: command %s is not in the table", (*m)->name,
					 c->word);
		}
	}
	assert_true(from_modules > 0);
	assert_true(i == from_modules + 5); /* config, db, migrate, deploy, demo */
	free(cmds);
}

/* Runs the binary with `args`, its stdout into *out; returns the exit status. */
static int
run_binary(const char *args, struct strbuf *out)
{
	struct strbuf cmd = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *p;
	int st;

	strbuf_addf(&cmd, "'%s' %s 2>/dev/null", env("BD_BINARY"), args);
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	st = pclose(p);
	strbuf_release(&cmd);
	return st;
}

static void
test_help_lists_the_registry(void **state)
{
	const struct bd_cli_command **cmds = bd_cli_commands();
	struct strbuf help = STRBUF_INIT, line = STRBUF_INIT;
	const char *at;
	size_t i;

	(void)state;
	assert_int_equal(run_binary("--help", &help), 0);
	at = help.buf;
	for (i = 0; cmds[i]; i++) {
		const char *found;

		/* "  WORD     usage" or "  WORD     help", in the table's order */
		strbuf_reset(&line);
		strbuf_addf(&line, "\n  %-8s %s", cmds[i]->word,
			    *cmds[i]->usage ? cmds[i]->usage : cmds[i]->help);
		if (!(found = strstr(at, line.buf)))
			fail_msg("--help lacks '%s' after the commands before it:\n%s",
				 cmds[i]->word, help.buf);
		at = found + line.len;
	}
	for (i = 0; cmds[i]; i++) {
		struct strbuf one = STRBUF_INIT, want = STRBUF_INIT;

		strbuf_reset(&line);
		strbuf_addf(&line, "%s --help", cmds[i]->word);
		assert_int_equal(run_binary(line.buf, &one), 0);
		strbuf_addf(&want, "usage: backdesk %s %s\n", cmds[i]->word, cmds[i]->usage);
		if (strncmp(one.buf, want.buf, want.len) || !strstr(one.buf, cmds[i]->details))
			fail_msg("'backdesk %s --help' is not the registry's:\n%s", cmds[i]->word,
				 one.buf);
		strbuf_release(&one);
		strbuf_release(&want);
	}
	strbuf_release(&line);
	strbuf_release(&help);
	free(cmds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_modules_have_folders),
	    cmocka_unit_test(test_menu_entries_are_sound),
	    cmocka_unit_test(test_menu_order_per_role),
	    cmocka_unit_test(test_draft_kinds_have_screens),
	    cmocka_unit_test(test_approval_kinds_are_unique),
	    cmocka_unit_test(test_command_words_are_unique),
	    cmocka_unit_test(test_help_lists_the_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
