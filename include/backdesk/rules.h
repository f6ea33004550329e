#ifndef BACKDESK_RULES_H
#define BACKDESK_RULES_H
/*
 * Rules across fields, stated by a screen file and checked by the form
 * engine while keying (bd_form_next on the field a rule blames, bd_form_validate
 * on everything) and by the database on submit, adjudication and QA
 * (entry.check_values through entry.rule_problem, from the JSON that
 * bd_rules_json writes), with the same verdicts on the shared corpus
 * (tests/fixtures/field_rules/corpus.txt). A screen says:
 *
 *   rules = ( "service_to >= service_from", "service_from <= today",
 *             "required units if procedure", "required plan if relation = 'OTHER'",
 *             "all_or_none from to procedure charges units",
 *             "pointer pointer to diagnosis" );
 *
 *   A OP B          A compared with field B or with `today` (dates) when both
 *                   are filled; OP is = != < <= > >=; both dates, integers,
 *                   amounts of one scale, or text (compared byte-wise). A is
 *                   blamed.
 *   required A if B [= 'V']   A must be filled when B is (or equals V).
 *   all_or_none A B ...       all filled or all empty; the first empty one
 *                   (in the order written) is blamed when any is filled.
 *   pointer A to B  A holds letters, each naming a line of grid column B
 *                   (A = line 1 .. L = line 12), which must be filled: a
 *                   diagnosis pointer points at a keyed diagnosis.
 *
 * A name is a field or a grid column; a rule naming a column holds on every
 * line of its grid (line by line: "Units (line 4) ..."), the pointer's B
 * excepted (the whole column). A required column of a grid (a cell required
 * when its line is not empty) goes to the database as a rule too.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/err.h"
#include "backdesk/json.h"

struct bd_screen;
struct bd_form;

enum bd_rule_kind {
	BD_RULE_COMPARE = 1,
	BD_RULE_REQUIRED_IF,
	BD_RULE_ALL_OR_NONE,
	BD_RULE_POINTER,
};

/* One rule on concrete fields (a grid's rule is one of these per line). */
struct bd_rule {
	enum bd_rule_kind kind;
	int line; /* of its screen file */
	/* compare: {A, B}, or {A} against today; required_if: {A, B};
	 * all_or_none: the fields as written; pointer: {A, B line 1, ...}. */
	size_t *fields;
	size_t nfields;
	char op[3];  /* compare */
	char *value; /* required_if's V, or NULL */
};

/* Parses the screen's rules (strings, `lines` their lines in the file) onto
 * screen->rules. 0, or -1 with "SOURCE:LINE: reason". */
int bd_rules_parse(struct bd_screen *screen, const char *const *texts, const int *lines, size_t n,
		   const char *source, struct bd_err *err);
void bd_rules_release(struct bd_screen *screen);

/* Writes each rule as a JSON object into the open array `j`: {kind,
 * target, terms, ...}; target and terms are field names (see
 * entry.rule_problem). */
void bd_rules_json(const struct bd_screen *screen, struct bd_json *j);

/* Checks the rules on the form's values: every rule when `only` is
 * (size_t)-1, else the comparisons and pointers that blame field `only`.
 * 0, or -1 with the blamed field in *bad and the message in err->msg. */
int bd_rules_check(const struct bd_form *form, size_t only, size_t *bad, struct bd_err *err);

#endif
