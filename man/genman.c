/*
 * Writes the manual pages backdesk(1) and backdesk.conf(5) at build time,
 * from the command table (BD_CLI_COMMANDS in include/backdesk/cli.h) and the
 * settings table (src/config/settings.def): the pages say what the binary
 * built beside them does, and cannot drift from it.
 *
 * usage: genman OUT.1 OUT.5
 */
#include "backdesk/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
	const char *word, *usage, *help, *details;
	int needs;
};

#define BD_CLI_ENTRY(fn, word, usage, help, needs, details) {word, usage, help, details, needs},
static const struct command commands[] = {BD_CLI_COMMANDS(BD_CLI_ENTRY)};
#undef BD_CLI_ENTRY

struct setting {
	const char *name, *type, *def, *computed, *choices, *help;
	long long min, max;
};

#define BD_SETTING_STR(name, def, help) {name, "string", def, "NULL", NULL, help, 0, 0},
#define BD_SETTING_PATH(name, computed, help) {name, "path", "", #computed, NULL, help, 0, 0},
#define BD_SETTING_CHOICE(name, def, choices, help)                                                \
	{name, "choice", def, "NULL", choices, help, 0, 0},
#define BD_SETTING_INT(name, def, min, max, help)                                                  \
	{name, "integer", #def, "NULL", NULL, help, min, max},
#define BD_SETTING_BOOL(name, def, help) {name, "boolean", #def, "NULL", NULL, help, 0, 0},
static const struct setting settings[] = {
#include "../src/config/settings.def"
};

/* Text for roff: backslashes and hyphens escaped, a leading dot or quote
 * made harmless. */
static void
put(FILE *f, const char *s, size_t n)
{
	size_t i;

	if (n && (s[0] == '.' || s[0] == '\''))
		fputs("\\&", f);
	for (i = 0; i < n; i++) {
		if (s[i] == '\\')
			fputs("\\e", f);
		else if (s[i] == '-')
			fputs("\\-", f);
		else
			fputc(s[i], f);
	}
}

static void
puts_roff(FILE *f, const char *s)
{
	put(f, s, strlen(s));
}

/* Multi-line text as written for the terminal, inside a .TP item: blank
 * lines start paragraphs (.IP keeps the item's indent), indented lines are
 * kept as they are. */
static void
text_block(FILE *f, const char *s)
{
	bool verbatim = false;

	while (*s) {
		const char *end = strchr(s, '\n');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		bool indented = n > 1 && s[0] == ' ' && s[1] == ' ';

		if (indented != verbatim) {
			fputs(indented ? ".nf\n" : ".fi\n", f);
			verbatim = indented;
		}
		if (n == 0) {
			fputs(".IP\n", f);
		} else if (indented) {
			fputs("\\ \\ ", f);
			put(f, s + 2, n - 2);
			fputc('\n', f);
		} else {
			put(f, s, n);
			fputc('\n', f);
		}
		s += n + (end != NULL);
	}
	if (verbatim)
		fputs(".fi\n", f);
}

static void
page1(FILE *f)
{
	const char *opt = BD_CLI_GLOBAL_OPTIONS;
	size_t i;

	fprintf(f, ".TH BACKDESK 1 \"\" \"backdesk %s\" \"User Commands\"\n", BD_VERSION);
	fputs(".SH NAME\nbackdesk \\- terminal back office for outsourcing firms\n"
	      ".SH SYNOPSIS\n.B backdesk\n[\\fIOPTIONS\\fR] [\\fICOMMAND\\fR ...]\n"
	      ".SH DESCRIPTION\n"
	      "With no command, opens the terminal screens as the current operator: the Unix\n"
	      "login, which is also the PostgreSQL role. Operators normally reach it over SSH,\n"
	      "where sshd runs it for the members of the operators' group and nothing else\n"
	      "(see \\fBdeploy\\fR below). The commands are for scripting and provisioning.\n"
	      "Messages go to standard error, results to standard output.\n"
	      ".SH COMMANDS\n",
	      f);
	for (i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
		const struct command *c = &commands[i];
		const char *u = c->usage;

		fputs(".TP\n.B ", f);
		puts_roff(f, c->word);
		fputc('\n', f);
		if (*u) {
			/* The usage's continuation lines start with blanks and '|'. */
			while (*u) {
				const char *end = strchr(u, '\n');
				size_t n = end ? (size_t)(end - u) : strlen(u);

				while (n && *u == ' ') {
					u++;
					n--;
				}
				fputs("\\fI", f);
				put(f, u, n);
				fputs("\\fR\n", f);
				u += n + (end != NULL);
				if (*u)
					fputs(".br\n", f);
			}
			fputs(".br\n", f);
		}
		fputc((char)(c->help[0] - 'a' + 'A'), f);
		puts_roff(f, c->help + 1);
		fputs(c->needs == BD_CLI_OPERATOR ? "; works as an operator.\n" : ".\n", f);
		if (*c->details) {
			fputs(".IP\n", f);
			text_block(f, c->details);
		}
	}
	/* The options, as --help prints them: "  OPTION   what it does". */
	fputs(".SH OPTIONS\n", f);
	opt = strchr(opt, '\n') + 1;
	while (*opt) {
		const char *end = strchr(opt, '\n'), *gap;
		size_t n = (size_t)(end - opt);

		while (*opt == ' ') {
			opt++;
			n--;
		}
		gap = strstr(opt, "  ");
		fputs(".TP\n.B ", f);
		put(f, opt, (size_t)(gap - opt));
		fputc('\n', f);
		while (*gap == ' ')
			gap++;
		put(f, gap, (size_t)(end - gap));
		fputc('\n', f);
		opt = end + 1;
	}
	fputs(".SH EXIT STATUS\n0 done, 1 failed, 2 usage or configuration error.\n"
	      ".SH ENVIRONMENT\n"
	      ".TP\n.B BACKDESK_CONFIG\nthe configuration file, when \\-\\-config is not given\n"
	      ".TP\n.BR PGHOST \", \" PGSERVICE \", ...\"\n"
	      "with database.conninfo empty, the standard libpq variables name the server\n"
	      ".SH FILES\n.TP\n.I /etc/backdesk/backdesk.conf\n"
	      "the host's configuration; see\n.BR backdesk.conf (5)\n"
	      ".SH SEE ALSO\n.BR backdesk.conf (5),\n.BR sshd_config (5),\n.BR psql (1)\n",
	      f);
}

static void
page5(FILE *f)
{
	size_t i, group_len = 0;
	const char *group = "";

	fprintf(f, ".TH BACKDESK.CONF 5 \"\" \"backdesk %s\" \"File Formats\"\n", BD_VERSION);
	fputs(".SH NAME\nbackdesk.conf \\- configuration of backdesk\n"
	      ".SH SYNOPSIS\n.I /etc/backdesk/backdesk.conf\n"
	      ".SH DESCRIPTION\n"
	      "One file in libconfig syntax, the first that exists of: the file given with\n"
	      "\\-\\-config, $BACKDESK_CONFIG, $XDG_CONFIG_HOME/backdesk/backdesk.conf (or\n"
	      "~/.config/backdesk/backdesk.conf), /etc/backdesk/backdesk.conf. No file at all\n"
	      "gives the defaults. Each setting is written in its group:\n"
	      ".PP\n.RS 2\n.nf\n"
	      "database = { conninfo = \"service=backdesk\"; };\n"
	      "ui = { idle_lock_minutes = 10; };\n"
	      ".fi\n.RE\n.PP\n"
	      "Unknown settings, wrong types and values out of range are refused with the\n"
	      "file and line. \\fBbackdesk config\\fR prints every setting, its value and where\n"
	      "it came from; \\fB\\-\\-set\\fR \\fINAME\\fR=\\fIVALUE\\fR overrides one.\n"
	      "Paths expand a leading ~/ and must be absolute.\n"
	      ".PP\n"
	      "The file may name the database; it must not hold a password (operators sign in\n"
	      "by peer or certificate authentication), and must not be writable by anyone\n"
	      "but its owner: \\fBbackdesk deploy check\\fR says so when it is.\n"
	      ".SH SETTINGS\n",
	      f);
	for (i = 0; i < sizeof(settings) / sizeof(*settings); i++) {
		const struct setting *s = &settings[i];
		const char *dot = strchr(s->name, '.');

		if ((size_t)(dot - s->name) != group_len || strncmp(s->name, group, group_len)) {
			group = s->name;
			group_len = (size_t)(dot - s->name);
			fputs(".SS ", f);
			put(f, group, group_len);
			fputc('\n', f);
		}
		fputs(".TP\n.B ", f);
		puts_roff(f, dot + 1);
		fputs("\n(", f);
		if (s->choices) {
			fputs("one of ", f);
			for (const char *p = s->choices; *p; p++) {
				if (*p == '|')
					fputs(", ", f);
				else
					fputc(*p, f);
			}
		} else {
			puts_roff(f, s->type);
		}
		if (!strcmp(s->type, "integer"))
			fprintf(f, " %lld to %lld", s->min, s->max);
		fputs(", default ", f);
		if (strcmp(s->computed, "NULL"))
			fputs("computed: see \\fBbackdesk config\\fR", f);
		else if (!strcmp(s->type, "string") || !strcmp(s->type, "path") ||
			 !strcmp(s->type, "choice")) {
			fputs("\\(dq", f);
			puts_roff(f, s->def);
			fputs("\\(dq", f);
		} else
			puts_roff(f, s->def);
		fputs(")\n.br\n", f);
		puts_roff(f, s->help);
		fputc('\n', f);
	}
	fputs(".SH SEE ALSO\n.BR backdesk (1)\n", f);
}

int
main(int argc, char **argv)
{
	FILE *f1, *f5;

	if (argc != 3) {
		fprintf(stderr, "usage: genman OUT.1 OUT.5\n");
		return 2;
	}
	if (!(f1 = fopen(argv[1], "w")) || !(f5 = fopen(argv[2], "w"))) {
		perror("genman");
		return 1;
	}
	page1(f1);
	page5(f5);
	if (fclose(f1) || fclose(f5)) {
		perror("genman");
		return 1;
	}
	return 0;
}
