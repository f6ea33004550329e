/* Key names, the action table, keymap files and the Esc-prefix translation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backdesk/embedded.h"
#include "backdesk/ui_keymap.h"

static void
test_key_names(void **state)
{
	(void)state;
	assert_int_equal(bd_key_by_name("F1"), BD_KEY_F1);
	assert_int_equal(bd_key_by_name("f12"), BD_KEY_F12);
	assert_int_equal(bd_key_by_name("KEY_PPAGE"), BD_KEY_PAGE_UP);
	assert_int_equal(bd_key_by_name("KEY_NPAGE"), BD_KEY_PAGE_DOWN);
	assert_int_equal(bd_key_by_name("KEY_BTAB"), BD_KEY_BACKTAB);
	assert_int_equal(bd_key_by_name("BackTab"), BD_KEY_BACKTAB);
	assert_int_equal(bd_key_by_name("Insert"), BD_KEY_INSERT);
	assert_int_equal(bd_key_by_name("KEY_DC"), BD_KEY_DELETE);
	assert_int_equal(bd_key_by_name("Ctrl-L"), BD_KEY_CTRL_A + 11);
	assert_int_equal(bd_key_by_name("ctrl-z"), BD_KEY_CTRL_Z);
	/* Ctrl-I is Tab, Ctrl-M is Enter: not separately bindable. */
	assert_int_equal(bd_key_by_name("Ctrl-I"), 0);
	assert_int_equal(bd_key_by_name("Ctrl-M"), 0);
	assert_int_equal(bd_key_by_name("F13"), 0);
	assert_int_equal(bd_key_by_name("a"), 0);
	assert_int_equal(bd_key_by_name(""), 0);

	assert_string_equal(bd_key_name(BD_KEY_F2), "F2");
	assert_string_equal(bd_key_name(BD_KEY_PAGE_DOWN), "PageDown");
	assert_string_equal(bd_key_name(BD_KEY_CTRL_A + 10), "Ctrl-K");
	assert_null(bd_key_name('a'));

	/* Every special key has a name that maps back to it. */
	for (int k = BD_KEY_SPECIAL + 1; k < BD_KEY_END_OF_KEYS; k++) {
		const char *name = bd_key_name(k);

		if (k >= BD_KEY_CTRL_A && k <= BD_KEY_CTRL_Z) {
			int letter = 'A' + (k - BD_KEY_CTRL_A);

			if (letter == 'H' || letter == 'I' || letter == 'J' || letter == 'M')
				continue;
		}
		assert_non_null(name);
		assert_int_equal(bd_key_by_name(name), k);
	}
}

static void
test_actions(void **state)
{
	(void)state;
	assert_int_equal(bd_ui_action_by_name("save"), BD_UI_SAVE);
	assert_int_equal(bd_ui_action_by_name("page_down"), BD_UI_PAGE_DOWN);
	assert_int_equal(bd_ui_action_by_name("nope"), BD_UI_NONE);
	assert_string_equal(bd_ui_action_label(BD_UI_HELP), "Help");
	assert_string_equal(bd_ui_action_name(BD_UI_CANCEL), "cancel");
	assert_string_equal(bd_ui_action_name(BD_UI_HANGUP), "");
	for (int a = 1; a < BD_UI_NACTIONS; a++) {
		assert_true(strlen(bd_ui_action_help((enum bd_ui_action)a)) > 0);
		assert_int_equal(bd_ui_action_by_name(bd_ui_action_name((enum bd_ui_action)a)), a);
	}
}

static void
test_embedded_default(void **state)
{
	struct bd_keymap km;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	assert_non_null(bd_embedded_find("screens/keymap.conf"));
	assert_int_equal(bd_keymap_load(&km, NULL, &err), 0);
	/* The CUA / 5250 vocabulary of DESIGN.md. */
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F1), BD_UI_HELP);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F2), BD_UI_SAVE);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F3), BD_UI_EXIT);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F4), BD_UI_PROMPT);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F5), BD_UI_REFRESH);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F6), BD_UI_DUP);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F7), BD_UI_PAGE_UP);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F8), BD_UI_PAGE_DOWN);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F9), BD_UI_REJECT);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F10), BD_UI_MENU);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F12), BD_UI_CANCEL);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_PAGE_DOWN), BD_UI_PAGE_DOWN);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_ENTER), BD_UI_ENTER);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_BACKTAB), BD_UI_PREV);
	/* Lists override F4 and F6, and inherit the rest. */
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_LIST, BD_KEY_F4), BD_UI_FILTER);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_LIST, BD_KEY_F6), BD_UI_CREATE);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_LIST, BD_KEY_F3), BD_UI_EXIT);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_GLOBAL, BD_KEY_F2), BD_UI_NONE);
	/* Characters are never actions. */
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, '2'), BD_UI_NONE);
	/* The key line shows the function key, not PageDown. */
	assert_int_equal(bd_keymap_key_for(&km, BD_KEYMAP_LIST, BD_UI_PAGE_DOWN), BD_KEY_F8);
	assert_int_equal(bd_keymap_key_for(&km, BD_KEYMAP_LIST, BD_UI_SORT), BD_KEY_F11);
	assert_int_equal(bd_keymap_key_for(&km, BD_KEYMAP_LIST, BD_UI_SAVE), 0);
}

static const char minimal[] = "global = { F1 = \"help\"; F3 = \"exit\"; F12 = \"cancel\";\n"
			      "  Enter = \"enter\"; };\n";

static void
test_parse_override_and_none(void **state)
{
	struct bd_keymap km;
	struct bd_err err = BD_ERR_INIT;
	const char *text = "global = { F1 = \"help\"; F3 = \"exit\"; F12 = \"cancel\";\n"
			   "  Enter = \"enter\"; KEY_NPAGE = \"page_down\"; };\n"
			   "form = { F3 = \"save\"; KEY_NPAGE = \"none\"; F4 = \"exit\"; };\n";

	(void)state;
	assert_int_equal(bd_keymap_parse(&km, text, "t.conf", &err), 0);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F3), BD_UI_SAVE);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_LIST, BD_KEY_F3), BD_UI_EXIT);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_PAGE_DOWN), BD_UI_NONE);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_LIST, BD_KEY_PAGE_DOWN), BD_UI_PAGE_DOWN);
	assert_int_equal(bd_keymap_key_for(&km, BD_KEYMAP_FORM, BD_UI_EXIT), BD_KEY_F4);
	assert_int_equal(bd_keymap_parse(&km, minimal, "m.conf", &err), 0);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_FORM, BD_KEY_F3), BD_UI_EXIT);
}

static void
expect_refused(const char *text, const char *msg)
{
	struct bd_keymap km, before;
	struct bd_err err = BD_ERR_INIT;

	assert_int_equal(bd_keymap_parse(&km, minimal, "m.conf", &err), 0);
	before = km;
	assert_int_equal(bd_keymap_parse(&km, text, "bad.conf", &err), -1);
	assert_string_equal(err.msg, msg);
	assert_memory_equal(&km, &before, sizeof(km));
}

static void
test_parse_refusals(void **state)
{
	(void)state;
	expect_refused("global = {\n F1 = ;\n};\n", "bad.conf:2: syntax error");
	expect_refused("global = {\n  F13 = \"help\"; };\n", "bad.conf:2: unknown key \"F13\"");
	expect_refused("global = {\n  F1 = \"helpme\"; };\n",
		       "bad.conf:2: unknown action \"helpme\"");
	expect_refused("global = {\n  F1 = 1; };\n",
		       "bad.conf:2: F1 must be an action name in quotes");
	expect_refused("global = { F1 = \"help\";\n  KEY_F1 = \"exit\"; };\n",
		       "bad.conf:2: F1 is bound twice in global");
	expect_refused("\n\nscreen = { F1 = \"help\"; };\n",
		       "bad.conf:3: \"screen\" is not a keymap group (global, form or list = "
		       "{ ... })");
	expect_refused("global = { F1 = \"help\"; F3 = \"exit\"; Enter = \"enter\"; };\n",
		       "bad.conf:1: no key does \"cancel\" in global");
	expect_refused("global = { F1 = \"help\"; F3 = \"exit\"; Enter = \"enter\"; F12 = "
		       "\"cancel\"; };\nlist = { F3 = \"none\"; };\n",
		       "bad.conf:1: no key does \"exit\" in list");
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/bd_keymap_XXXXXX";
	int fd = mkstemp(path);
	struct bd_keymap km;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, minimal, strlen(minimal)), (long)strlen(minimal));
	close(fd);
	assert_int_equal(bd_keymap_load(&km, path, &err), 0);
	assert_int_equal(bd_keymap_action(&km, BD_KEYMAP_LIST, BD_KEY_ENTER), BD_UI_ENTER);
	unlink(path);
	assert_int_equal(bd_keymap_load(&km, path, &err), -1);
	assert_non_null(strstr(err.msg, "cannot read the keymap"));
}

static int
feed_all(const int *in, size_t n, int *out)
{
	struct bd_esc_state st = {BD_ESC_IDLE};
	int count = 0;

	for (size_t i = 0; i < n; i++)
		count += bd_esc_feed(&st, in[i], out + count);
	return count;
}

static void
test_esc_digits(void **state)
{
	int out[16];

	(void)state;
	for (int d = 1; d <= 9; d++) {
		int in[] = {BD_KEY_ESC, '0' + d};

		assert_int_equal(feed_all(in, 2, out), 1);
		assert_int_equal(out[0], BD_KEY_F(d));
	}
	{
		int in[] = {BD_KEY_ESC, '0', BD_KEY_ESC, '-', BD_KEY_ESC, '='};

		assert_int_equal(feed_all(in, 6, out), 3);
		assert_int_equal(out[0], BD_KEY_F10);
		assert_int_equal(out[1], BD_KEY_F11);
		assert_int_equal(out[2], BD_KEY_F12);
	}
	{
		/* Esc Esc is Esc; Esc then another key is that key alone (the Esc
		 * means nothing: not a cancel that the key then lands after);
		 * plain keys pass through. */
		int in[] = {'a',       BD_KEY_ESC, BD_KEY_ESC, BD_KEY_ESC, 'x',
			    BD_KEY_F2, '2',	   BD_KEY_ESC, BD_KEY_DOWN};

		assert_int_equal(feed_all(in, 9, out), 6);
		assert_int_equal(out[0], 'a');
		assert_int_equal(out[1], BD_KEY_ESC);
		assert_int_equal(out[2], 'x');
		assert_int_equal(out[3], BD_KEY_F2);
		assert_int_equal(out[4], '2');
		assert_int_equal(out[5], BD_KEY_DOWN);
	}
	{
		/* A lone Esc at the end produces nothing yet. */
		int in[] = {'1', BD_KEY_ESC};

		assert_int_equal(feed_all(in, 2, out), 1);
		assert_int_equal(out[0], '1');
	}
}

static void
test_esc_alone_and_sequences(void **state)
{
	struct bd_esc_state st = {BD_ESC_IDLE};
	int out[2];

	(void)state;
	/* A lone Esc is Esc once the wait is over; then keys are plain again. */
	assert_int_equal(bd_esc_feed(&st, BD_KEY_ESC, out), 0);
	assert_int_equal(bd_esc_timeout(&st, out), 1);
	assert_int_equal(out[0], BD_KEY_ESC);
	assert_int_equal(bd_esc_feed(&st, '2', out), 1);
	assert_int_equal(out[0], '2');
	/* Nothing open: the timeout gives nothing. */
	assert_int_equal(bd_esc_timeout(&st, out), 0);

	/* Sequences the terminal description lacks are swallowed whole:
	 * F12 (ESC [ 2 4 ~), F5 (ESC [ 1 5 ~), Shift-F3 (ESC [ 1 ; 2 R),
	 * ESC [ > 1 u, and SS3 (ESC O P); the key after each is itself. */
	{
		static const char *const seqs[] = {"[24~", "[15~", "[1;2R", "[>1u", "OP", "[A"};

		for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
			int in[16], n = 0, count = 0, o[32];

			in[n++] = BD_KEY_ESC;
			for (const char *p = seqs[i]; *p; p++)
				in[n++] = *p;
			in[n++] = '5';
			count = feed_all(in, (size_t)n, o);
			assert_int_equal(count, 1);
			assert_int_equal(o[0], '5');
		}
	}
	/* A sequence cut short by a key that cannot be in it: dropped, and the
	 * key passes; cut short by the timeout: dropped. */
	{
		int in[] = {BD_KEY_ESC, '[', '2', BD_KEY_ENTER}, o[8];

		assert_int_equal(feed_all(in, 4, o), 1);
		assert_int_equal(o[0], BD_KEY_ENTER);
	}
	assert_int_equal(bd_esc_feed(&st, BD_KEY_ESC, out), 0);
	assert_int_equal(bd_esc_feed(&st, '[', out), 0);
	assert_int_equal(bd_esc_feed(&st, '2', out), 0);
	assert_int_equal(bd_esc_timeout(&st, out), 0);
	assert_int_equal(bd_esc_feed(&st, 'a', out), 1);
	assert_int_equal(out[0], 'a');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_names),	     cmocka_unit_test(test_actions),
	    cmocka_unit_test(test_embedded_default), cmocka_unit_test(test_parse_override_and_none),
	    cmocka_unit_test(test_parse_refusals),   cmocka_unit_test(test_load_file),
	    cmocka_unit_test(test_esc_digits),	     cmocka_unit_test(test_esc_alone_and_sequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
