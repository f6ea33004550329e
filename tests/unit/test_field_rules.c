/*
 * The form engine on the shared sample of field rules
 * (tests/fixtures/field_rules/corpus.txt, see tests/support/field_corpus.h):
 * a value is accepted when the engine would save exactly it, i.e. when
 * bd_field_normalize() takes it and gives it back unchanged. The database
 * must agree case by case (tests/db/test_field_rules.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/field.h"
#include "backdesk/form.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"
#include "field_corpus.h"

/* Whether the engine saves `value` as it is in field f; *why gets the
 * engine's message when it refuses the value itself. A date's or an
 * integer's picture shapes what the clerk types (15/03/2024, 0123), and the
 * engine checks it there; what it saves (2024-03-15, 123) is that of the
 * field without the picture, which is what a saved value is judged by. */
static bool
engine_accepts(const struct bd_field_def *f, const char *value, char *why, size_t size)
{
	struct strbuf out = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_field_def saved = *f;
	bool ok;

	if (f->type == BD_FIELD_DATE || f->type == BD_FIELD_INTEGER)
		saved.picture = NULL;
	f = &saved;
	if (bd_field_normalize(f, value, &out, &err) < 0) {
		snprintf(why, size, "%s", err.msg);
		ok = false;
	} else {
		ok = strcmp(out.buf, value) == 0;
		snprintf(why, size, ok ? "saved as is" : "saved as \"%s\"", out.buf);
	}
	strbuf_release(&out);
	return ok;
}

static void
test_corpus_verdicts(void **state)
{
	struct field_corpus c;
	struct bd_screen *screens;
	size_t i, wrong = 0, accepted = 0;

	(void)state;
	field_corpus_load(&c);
	screens = calloc(c.ndefs, sizeof(*screens));
	for (i = 0; i < c.ndefs; i++) {
		struct bd_err err = BD_ERR_INIT;
		char *text = field_corpus_screen(&c, i, "rules");

		bd_screen_init(&screens[i]);
		if (bd_screen_parse(&screens[i], text, "corpus", &err) < 0)
			fail_msg("corpus.txt:%d: %s", c.def_lines[i], err.msg);
		free(text);
	}
	for (i = 0; i < c.ncases; i++) {
		const struct field_case *k = &c.cases[i];
		char why[300];
		bool ok = engine_accepts(&screens[k->def].fields[0], k->value, why, sizeof(why));

		accepted += ok;
		if (ok != k->accept) {
			fprintf(stderr, "corpus.txt:%d: expected %s, the engine %s (%s)\n", k->line,
				k->accept ? "accept" : "refuse", ok ? "accepts" : "refuses", why);
			wrong++;
		}
	}
	/* Enough cases, of both verdicts, for the sample to mean something. */
	assert_true(c.ncases >= 60);
	assert_true(accepted >= 20 && c.ncases - accepted >= 20);
	assert_int_equal(wrong, 0);
	for (i = 0; i < c.ndefs; i++)
		bd_screen_release(&screens[i]);
	free(screens);
	field_corpus_release(&c);
}

/* Rules across fields: each document of the corpus through the form
 * engine's bd_form_validate, which must refuse or accept it as written and
 * blame the field the corpus names. */
static void
test_corpus_form_rules(void **state)
{
	struct field_corpus c;
	struct bd_screen *screens;
	size_t i, j, wrong = 0, refused = 0;

	(void)state;
	field_corpus_load(&c);
	assert_true(c.nforms >= 2);
	screens = calloc(c.nforms, sizeof(*screens));
	for (i = 0; i < c.nforms; i++) {
		struct bd_err err = BD_ERR_INIT;
		char *text = field_corpus_form_screen(&c, i, "rules");

		if (bd_screen_parse(&screens[i], text, "corpus", &err) < 0)
			fail_msg("corpus.txt:%d: %s", c.form_lines[i], err.msg);
		assert_true(screens[i].nrules > 0);
		free(text);
	}
	for (i = 0; i < c.nfcases; i++) {
		const struct form_case *k = &c.fcases[i];
		struct bd_form form;
		struct bd_err err = BD_ERR_INIT;
		size_t bad = 0;
		bool ok;

		bd_form_init(&form, &screens[k->form]);
		for (j = 0; j < k->n; j++) {
			int at = bd_screen_field_index(&screens[k->form], k->names[j]);

			if (at < 0)
				fail_msg("corpus.txt:%d: no field %s", k->line, k->names[j]);
			if (bd_form_set_value(&form, (size_t)at, k->values[j], &err) < 0)
				fail_msg("corpus.txt:%d: %s", k->line, err.msg);
		}
		ok = bd_form_validate(&form, &bad, &err) == 0;
		refused += !ok;
		if (ok != k->accept) {
			fprintf(stderr, "corpus.txt:%d: expected %s, the engine %s (%s)\n", k->line,
				k->accept ? "accept" : "refuse", ok ? "accepts" : "refuses",
				ok ? "" : err.msg);
			wrong++;
		} else if (!ok && strcmp(screens[k->form].fields[bad].name, k->blame) != 0) {
			fprintf(stderr, "corpus.txt:%d: the engine blames %s, not %s (%s)\n",
				k->line, screens[k->form].fields[bad].name, k->blame, err.msg);
			wrong++;
		}
		bd_form_release(&form);
	}
	assert_true(c.nfcases >= 25 && refused >= 12);
	assert_int_equal(wrong, 0);
	for (i = 0; i < c.nforms; i++)
		bd_screen_release(&screens[i]);
	free(screens);
	field_corpus_release(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus_verdicts),
	    cmocka_unit_test(test_corpus_form_rules),
	};

	/* Characters are counted as the terminal draws them (combining marks). */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
