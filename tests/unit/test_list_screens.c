/*
 * Every list screen file tells the truth (issue 14): the kit's runner reads
 * every option as written (kit.h), so each option must be of a kind it
 * knows (a screen it can open, or an action), every action a named query
 * that exists and takes exactly the parameters the option passes (its
 * params, or the row's first column, then the prompted value), every
 * `params` column one the list's query returns or a session value the kit
 * knows, every {column} of `ask` and `done` a column of the query, and
 * every option's screen a screen file or an opener a module registered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/db.h"
#include "backdesk/embedded.h"
#include "backdesk/kit.h"
#include "backdesk/ledger_ui.h"
#include "backdesk/screen.h"
#include "backdesk/supervisor.h"

/* The highest $n of `sql`, outside comments and string literals. */
static int
max_param(const char *sql)
{
	int max = 0;
	const char *p = sql;

	while (*p) {
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				;
			if (*p)
				p++;
		} else if (*p == '$' && isdigit((unsigned char)p[1])) {
			int n = (int)strtol(p + 1, (char **)&p, 10);

			if (n > max)
				max = n;
		} else {
			p++;
		}
	}
	return max;
}

/* Does `name` appear as a column of `sql`'s select list (as name, AS name
 * or .name)? A loose check: the word appears in the query at all. */
static bool
query_mentions(const char *sql, const char *name)
{
	size_t n = strlen(name);
	const char *p = sql;

	while ((p = strstr(p, name))) {
		bool left = p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool right = !(isalnum((unsigned char)p[n]) || p[n] == '_');

		if (left && right)
			return true;
		p += n;
	}
	return false;
}

static void
check_template(const struct bd_screen *def, const char *what, const char *t, int *bad)
{
	const char *p = t;
	const char *sql = bd_query_sql(def->query);

	while (p && (p = strchr(p, '{'))) {
		const char *close = strchr(p, '}');
		char name[64];

		if (!close || close - p - 1 >= (long)sizeof(name)) {
			fprintf(stderr, "%s: %s has an unclosed {\n", def->source, what);
			(*bad)++;
			return;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(close - p - 1), p + 1);
		if (!sql || !query_mentions(sql, name)) {
			fprintf(stderr, "%s: %s names {%s}, not a column of %s\n", def->source,
				what, name, def->query);
			(*bad)++;
		}
		p = close + 1;
	}
}

/* Options whose C hook turns what the operator gives into parameters the
 * screen file cannot state, each with its reason. Keep it short. */
static const struct {
	const char *screen, *code, *why;
} hooked[] = {
    {"supervisor.board", "3", "SLA: hours from now or a date, as $3 or $2"},
    {"supervisor.claims", "2", "reassign: an operator chosen from a list, and the lease"},
};

static bool
is_hooked(const struct bd_screen *def, const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(hooked) / sizeof(*hooked); i++)
		if (!strcmp(hooked[i].screen, def->name) && !strcmp(hooked[i].code, code))
			return true;
	return false;
}

static void
every_option_is_run_as_written(void **state)
{
	const struct bd_embedded_file *f;
	int bad = 0, lists = 0, actions = 0;
	/* links the modules' screens and their openers */
	enum bd_ui_action (*volatile link[])(struct bd_session *) = {bd_ledger_entries,
								     bd_supervisor_actions};

	(void)state;
	(void)link;
	for (f = bd_embedded_files; f->path; f++) {
		struct bd_screen def;
		struct bd_err err = BD_ERR_INIT;
		char *text;
		size_t i, j;

		if (strncmp(f->path, "screens/", 8) || strstr(f->path, "doctypes/") ||
		    !strstr(f->path, ".conf") || strstr(f->path, "keymap"))
			continue;
		text = strndup(f->data, f->len);
		bd_screen_init(&def);
		if (bd_screen_parse(&def, text, f->path, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			bad++;
			free(text);
			continue;
		}
		free(text);
		if (def.kind != BD_SCREEN_LIST) {
			bd_screen_release(&def);
			continue;
		}
		lists++;
		if (!bd_query_sql(def.query)) {
			fprintf(stderr, "%s: query %s does not exist\n", f->path, def.query);
			bad++;
		}
		for (i = 0; i < def.noptions; i++) {
			const struct bd_list_option *o = &def.options[i];

			if (o->screen) {
				struct bd_screen other;

				bd_screen_init(&other);
				if (!bd_kit_has_opener(o->screen) &&
				    bd_screen_load_embedded(&other, o->screen, &err) < 0) {
					fprintf(
					    stderr,
					    "%s: option %s opens %s: no such screen file and no "
					    "opener registered\n",
					    f->path, o->code, o->screen);
					bad++;
				}
				bd_screen_release(&other);
			} else if (o->action) {
				const char *sql = bd_query_sql(o->action);
				int passed =
				    (o->nparams ? (int)o->nparams : 1) + (o->prompt ? 1 : 0);

				actions++;
				if (!sql) {
					fprintf(stderr, "%s: option %s runs %s: no such query\n",
						f->path, o->code, o->action);
					bad++;
				} else if (max_param(sql) != passed && !is_hooked(&def, o->code)) {
					fprintf(stderr,
						"%s: option %s passes %d parameters to %s, which "
						"takes %d: declare its params\n",
						f->path, o->code, passed, o->action,
						max_param(sql));
					bad++;
				}
				for (j = 0; j < o->nparams; j++) {
					const char *p = o->params[j];

					if (*p == ':' && strcmp(p, ":client_code") &&
					    strcmp(p, ":client_id") && strcmp(p, ":login")) {
						fprintf(stderr, "%s: option %s: unknown %s\n",
							f->path, o->code, p);
						bad++;
					}
				}
			} else {
				fprintf(stderr, "%s: option %s is of no kind the runner knows\n",
					f->path, o->code);
				bad++;
			}
			if (o->ask)
				check_template(&def, "ask", o->ask, &bad);
			if (o->prompt)
				check_template(&def, "prompt", o->prompt, &bad);
			if (o->done)
				check_template(&def, "done", o->done, &bad);
		}
		bd_screen_release(&def);
	}
	assert_true(lists >= 10);
	assert_true(actions >= 5);
	assert_int_equal(bad, 0);
}

/* The runner's own check: an option with a param of a kind it does not
 * know, or neither screen nor action, is refused when the file is read. */
static void
screen_file_refuses_bad_options(void **state)
{
	struct bd_screen def;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_screen_init(&def);
	assert_int_equal(
	    bd_screen_parse(&def,
			    "list = { name = \"x\"; query = \"q\"; columns = ({ name = "
			    "\"a\"; }); options = ({ code = \"1\"; label = \"L\"; "
			    "action = \"q\"; params = [1]; }); };",
			    "t", &err),
	    -1);
	assert_non_null(strstr(err.msg, "params"));
	bd_screen_init(&def);
	assert_int_equal(
	    bd_screen_parse(&def,
			    "list = { name = \"x\"; query = \"q\"; columns = ({ name = "
			    "\"a\"; }); options = ({ code = \"1\"; label = \"L\"; "
			    "screen = \"s\"; prompt = \"P\"; }); };",
			    "t", &err),
	    -1);
	assert_non_null(strstr(err.msg, "prompt"));
}

/* A column's type says how its values show: an amount or a quantity is
 * right-aligned under a right-aligned heading and never cut, nor left
 * across the 80th column; an unknown type is refused with the file's
 * line. */
static void
column_types_show_numbers_whole(void **state)
{
	struct bd_screen def;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	bd_screen_init(&def);
	assert_int_equal(
	    bd_screen_parse(&def,
			    "list = { name = \"x\"; query = \"q\"; columns = (\n"
			    "{ name = \"v\"; heading = \"Value\"; width = 8; type = "
			    "\"amount\"; },\n{ name = \"q\"; heading = \"Qty\"; width = 6; "
			    "type = \"number\"; },\n{ name = \"t\"; width = 4; }); };",
			    "t", &err),
	    0);
	assert_string_equal(def.columns[0].heading, "   Value");
	assert_string_equal(def.columns[1].heading, "   Qty");
	bd_kit_display_value(&def.columns[0], "v", "1234.5", &sb);
	assert_string_equal(sb.buf, "1,234.50");
	strbuf_reset(&sb);
	bd_kit_display_value(&def.columns[0], "v", "12345678.9", &sb);
	assert_string_equal(sb.buf, "  12.35M");
	strbuf_reset(&sb);
	bd_kit_display_value(&def.columns[1], "q", "12.500", &sb);
	assert_string_equal(sb.buf, "  12.5");
	strbuf_reset(&sb);
	bd_kit_display_value(&def.columns[1], "q", "-3", &sb);
	assert_string_equal(sb.buf, "    -3");
	strbuf_reset(&sb);
	bd_kit_display_value(&def.columns[1], "q", "1234567", &sb);
	assert_string_equal(sb.buf, "######");
	strbuf_reset(&sb);
	bd_kit_display_value(&def.columns[2], "t", "12.500", &sb);
	assert_string_equal(sb.buf, "12.500");
	bd_screen_release(&def);
	bd_screen_init(&def);
	assert_int_equal(bd_screen_parse(&def,
					 "list = { name = \"x\"; query = \"q\"; columns = (\n"
					 "{ name = \"v\"; type = \"money\"; }); };",
					 "t", &err),
			 -1);
	assert_non_null(strstr(err.msg, "t:2"));
	assert_non_null(strstr(err.msg, "type must be text, amount or number"));
	/* an amount across the 80th column would not show at 80 columns */
	bd_screen_release(&def);
	bd_screen_init(&def);
	assert_int_equal(
	    bd_screen_parse(&def,
			    "list = { name = \"x\"; query = \"q\"; columns = (\n"
			    "{ name = \"t\"; width = 70; },\n{ name = \"v\"; width = 12; "
			    "type = \"amount\"; }); };",
			    "t", &err),
	    -1);
	assert_non_null(strstr(err.msg, "t:3: column 'v' takes columns 73-84"));
	strbuf_release(&sb);
}

/* Amounts are never cut: too wide, they lose their grouping, then scale
 * with a unit, then show as #, never as a truncated number. */
static void
amounts_are_never_cut(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	bd_kit_amount(&sb, "1234.5", 10);
	assert_string_equal(sb.buf, "  1,234.50");
	strbuf_reset(&sb);
	bd_kit_amount(&sb, "1234567.89", 10);
	assert_string_equal(sb.buf, "1234567.89");
	strbuf_reset(&sb);
	bd_kit_amount(&sb, "-123456789.99", 10);
	assert_string_equal(sb.buf, "  -123.46M");
	strbuf_reset(&sb);
	bd_kit_amount(&sb, "-123456789.99", 9);
	assert_string_equal(sb.buf, " -123.46M");
	strbuf_reset(&sb);
	bd_kit_amount(&sb, "123456789.99", 4);
	assert_string_equal(sb.buf, "123M");
	strbuf_reset(&sb);
	bd_kit_amount(&sb, "123456789.99", 3);
	assert_string_equal(sb.buf, "###");
	strbuf_reset(&sb);
	bd_kit_amount(&sb, "", 5);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_option_is_run_as_written),
	    cmocka_unit_test(screen_file_refuses_bad_options),
	    cmocka_unit_test(amounts_are_never_cut),
	    cmocka_unit_test(column_types_show_numbers_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
