#ifndef BACKDESK_TEST_FIELD_CORPUS_H
#define BACKDESK_TEST_FIELD_CORPUS_H
/*
 * The shared sample of field rules, tests/fixtures/field_rules/corpus.txt:
 * field definitions, each followed by values in their saved form and whether
 * they are accepted. The form engine's test (tests/unit/test_field_rules.c)
 * and the database's (tests/db/test_field_rules.c) both read it and must
 * give the expected verdict on every case. The file's own header explains
 * its syntax.
 *
 * Loading failures abort the test (cmocka fail_msg): a corpus that cannot
 * be read must never pass as an empty one.
 */
#include <stdbool.h>
#include <stddef.h>

struct field_case {
	int line;    /* in corpus.txt, for messages */
	size_t def;  /* index into field_corpus.defs */
	char *value; /* the value as the client would send it (UTF-8, no NUL) */
	bool accept; /* expected verdict */
	char *note;  /* the comment after the case, or "" */
};

/* A case of rules across fields: a whole document's values. */
struct form_case {
	int line;
	size_t form;   /* index into field_corpus.forms */
	char **names;  /* n field names */
	char **values; /* their values, saved forms */
	size_t n;
	bool accept;
	char *blame; /* refused: the field the error must name */
	char *note;
};

struct field_corpus {
	char **defs; /* the attributes of each field, as screen-file text */
	int *def_lines;
	size_t ndefs;
	struct field_case *cases;
	size_t ncases;
	/* Rules across fields: screen bodies ("form" then "| ..." lines) and
	 * their cases. */
	char **forms;
	int *form_lines;
	size_t nforms;
	struct form_case *fcases;
	size_t nfcases;
};

/* Reads $BD_SOURCE_DIR/tests/fixtures/field_rules/corpus.txt into `c`. */
void field_corpus_load(struct field_corpus *c);
void field_corpus_release(struct field_corpus *c);

/* A malloc'd screen file with one field "f" of definition `def`, labelled
 * "Field", for a document type named `name`. */
char *field_corpus_screen(const struct field_corpus *c, size_t def, const char *name);

/* A malloc'd screen file of form `form`'s body, for a document type named
 * `name`. */
char *field_corpus_form_screen(const struct field_corpus *c, size_t form, const char *name);

#endif
