/* The shared corpus of field rules: see field_corpus.h. */
#include "field_corpus.h"

#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int
hex(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Reads the value at *p: "quoted" pieces, each optionally followed by *N,
 * with \\ \" \t \n and \xHH (a byte) escapes. */
static void
read_value(const char **p, struct strbuf *out, int line)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '"')
		fail_msg("corpus.txt:%d: a value is written \"...\"", line);
	while (*s == '"') {
		struct strbuf piece = STRBUF_INIT;
		long times = 1;

		for (s++; *s != '"'; s++) {
			if (!*s || *s == '\n')
				fail_msg("corpus.txt:%d: unterminated value", line);
			if (*s != '\\') {
				strbuf_addch(&piece, *s);
				continue;
			}
			s++;
			switch (*s) {
			case 'x':
				if (hex(s[1]) < 0 || hex(s[2]) < 0 || (hex(s[1]) | hex(s[2])) == 0)
					fail_msg("corpus.txt:%d: \\x needs two hex digits, not 00",
						 line);
				strbuf_addch(&piece, hex(s[1]) * 16 + hex(s[2]));
				s += 2;
				break;
			case 't':
				strbuf_addch(&piece, '\t');
				break;
			case 'n':
				strbuf_addch(&piece, '\n');
				break;
			case '\\':
			case '"':
				strbuf_addch(&piece, *s);
				break;
			default:
				fail_msg("corpus.txt:%d: unknown escape \\%c", line, *s);
			}
		}
		s++;
		if (*s == '*') {
			char *end;
			times = strtol(s + 1, &end, 10);
			if (end == s + 1 || times < 1 || times > 100000)
				fail_msg("corpus.txt:%d: *N repeats a piece 1..100000 times", line);
			s = end;
		}
		while (times-- > 0)
			strbuf_add(out, piece.buf, piece.len);
		strbuf_release(&piece);
		while (*s == ' ' || *s == '\t')
			s++;
	}
	*p = s;
}

/* + name="value" name="value" ... [@field] [# note] */
static void
read_form_case(struct field_corpus *c, const char *buf, int line)
{
	struct form_case *k;
	const char *p = buf + 1;

	c->fcases = xrealloc(c->fcases, (c->nfcases + 1) * sizeof(*c->fcases));
	k = &c->fcases[c->nfcases++];
	memset(k, 0, sizeof(*k));
	k->line = line;
	k->form = c->nforms - 1;
	k->accept = buf[0] == '+';
	for (;;) {
		struct strbuf name = STRBUF_INIT, v = STRBUF_INIT;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#' || *p == '@')
			break;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
			strbuf_addch(&name, *p++);
		if (!name.len || *p++ != '=')
			fail_msg("corpus.txt:%d: expected name=\"value\"", line);
		read_value(&p, &v, line);
		k->names = xrealloc(k->names, (k->n + 1) * sizeof(*k->names));
		k->values = xrealloc(k->values, (k->n + 1) * sizeof(*k->values));
		k->names[k->n] = strbuf_detach(&name, NULL);
		k->values[k->n++] = strbuf_detach(&v, NULL);
	}
	if (*p == '@') {
		struct strbuf b = STRBUF_INIT;

		for (p++; (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'; p++)
			strbuf_addch(&b, *p);
		k->blame = strbuf_detach(&b, NULL);
		while (*p == ' ')
			p++;
	}
	if (k->accept != (k->blame == NULL))
		fail_msg("corpus.txt:%d: a refused case names its field (@name), an accepted one "
			 "does not",
			 line);
	if (*p == '#')
		p++;
	while (*p == ' ')
		p++;
	k->note = xstrdup(p);
}

void
field_corpus_load(struct field_corpus *c)
{
	const char *root = getenv("BD_SOURCE_DIR");
	char path[1024], buf[4096];
	FILE *fp;
	int line = 0;
	bool in_form = false;

	memset(c, 0, sizeof(*c));
	if (!root)
		fail_msg("BD_SOURCE_DIR is not set (run the tests through ctest)");
	snprintf(path, sizeof(path), "%s/tests/fixtures/field_rules/corpus.txt", root);
	fp = fopen(path, "r");
	if (!fp)
		fail_msg("cannot open %s", path);
	while (fgets(buf, sizeof(buf), fp)) {
		size_t n = strlen(buf);
		const char *p = buf;

		line++;
		if (n && buf[n - 1] != '\n' && !feof(fp))
			fail_msg("corpus.txt:%d: line too long", line);
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		if (!strcmp(buf, "form")) {
			c->forms = xrealloc(c->forms, (c->nforms + 1) * sizeof(*c->forms));
			c->form_lines =
			    xrealloc(c->form_lines, (c->nforms + 1) * sizeof(*c->form_lines));
			c->forms[c->nforms] = xstrdup("");
			c->form_lines[c->nforms++] = line;
			in_form = true;
		} else if (buf[0] == '|') {
			struct strbuf sb = STRBUF_INIT;

			if (!in_form)
				fail_msg("corpus.txt:%d: a | line outside a form", line);
			strbuf_addf(&sb, "%s%s\n", c->forms[c->nforms - 1], buf + 1);
			free(c->forms[c->nforms - 1]);
			c->forms[c->nforms - 1] = strbuf_detach(&sb, NULL);
		} else if (in_form && (buf[0] == '+' || buf[0] == '-')) {
			read_form_case(c, buf, line);
		} else if (!strncmp(buf, "field ", 6)) {
			in_form = false;
			c->defs = xrealloc(c->defs, (c->ndefs + 1) * sizeof(*c->defs));
			c->def_lines =
			    xrealloc(c->def_lines, (c->ndefs + 1) * sizeof(*c->def_lines));
			c->defs[c->ndefs] = xstrdup(buf + 6);
			c->def_lines[c->ndefs++] = line;
		} else if (buf[0] == '+' || buf[0] == '-') {
			struct strbuf v = STRBUF_INIT;
			struct field_case *k;

			if (!c->ndefs)
				fail_msg("corpus.txt:%d: a case before any field", line);
			p = buf + 1;
			read_value(&p, &v, line);
			if (*p && *p != '#')
				fail_msg("corpus.txt:%d: only a # comment may follow the value",
					 line);
			c->cases = xrealloc(c->cases, (c->ncases + 1) * sizeof(*c->cases));
			k = &c->cases[c->ncases++];
			k->line = line;
			k->def = c->ndefs - 1;
			k->accept = buf[0] == '+';
			k->value = strbuf_detach(&v, NULL);
			if (*p == '#')
				p++;
			while (*p == ' ')
				p++;
			k->note = xstrdup(p);
		} else if (buf[0] != '#' && buf[strspn(buf, " \t")] != '\0') {
			fail_msg("corpus.txt:%d: expected field, +, - or #", line);
		}
	}
	fclose(fp);
	if (!c->ncases)
		fail_msg("corpus.txt holds no cases");
}

void
field_corpus_release(struct field_corpus *c)
{
	size_t i;

	for (i = 0; i < c->ndefs; i++)
		free(c->defs[i]);
	for (i = 0; i < c->ncases; i++) {
		free(c->cases[i].value);
		free(c->cases[i].note);
	}
	free(c->defs);
	free(c->def_lines);
	free(c->cases);
	for (i = 0; i < c->nforms; i++)
		free(c->forms[i]);
	free(c->forms);
	free(c->form_lines);
	for (i = 0; i < c->nfcases; i++) {
		for (size_t j = 0; j < c->fcases[i].n; j++) {
			free(c->fcases[i].names[j]);
			free(c->fcases[i].values[j]);
		}
		free(c->fcases[i].names);
		free(c->fcases[i].values);
		free(c->fcases[i].blame);
		free(c->fcases[i].note);
	}
	free(c->fcases);
	memset(c, 0, sizeof(*c));
}

char *
field_corpus_screen(const struct field_corpus *c, size_t def, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb,
		    "screen = { name = \"%s\"; title = \"Field rules\"; fields = (\n"
		    "  { name = \"f\"; label = \"Field\"; row = 3; col = 2; input_col = 9; %s }\n"
		    "); };\n",
		    name, c->defs[def]);
	return strbuf_detach(&sb, NULL);
}

char *
field_corpus_form_screen(const struct field_corpus *c, size_t form, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "screen = { name = \"%s\"; title = \"Rules across fields\";\n%s};\n", name,
		    c->forms[form]);
	return strbuf_detach(&sb, NULL);
}
