/*
 * Writes the manual pages backdesk(1) and backdesk.conf(5) at build time,
 * from the command table (bd_cli_commands: the platform's and every module's) and the
 * settings table (src/config/settings.def): the pages say what the binary
 * built beside them does, and cannot drift from it.
 *
 * It writes the bash completion too, from the same table: commands, their
 * subcommands and options, and for CLIENT and DOCTYPE places the codes the
 * database has (backdesk client list, backdesk doctype list CLIENT).
 *
 * usage: genman OUT.1 OUT.5 OUT.bash
 */
#include "backdesk/cli.h"
#include "backdesk/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
	const char *word, *usage, *help, *details;
	int needs;
};

/* The command table as the binary builds it: the platform's commands and
 * every module's (bd_cli_commands), filled in by main(). */
static struct command *commands;
static size_t ncommands;

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
	for (i = 0; i < ncommands; i++) {
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

/* The words of one usage alternative ("import CLIENT DOCTYPE FILE.csv
 * [--priority N]"): options into opts, the rest (placeholders) into pos,
 * space-separated. */
static void
alternative(const char *s, size_t n, char *pos, char *opts, size_t cap)
{
	size_t i = 0;
	int depth = 0;

	pos[0] = opts[0] = '\0';
	while (i < n) {
		size_t start, len;

		while (i < n && (s[i] == ' ' || s[i] == '\n'))
			i++;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != '\n')
			i++;
		len = i - start;
		if (!len)
			break;
		for (size_t k = start; k < i; k++) {
			if (s[k] == '[')
				depth++;
		}
		if (s[start + (s[start] == '[')] == '-' &&
		    s[start + 1 + (s[start] == '[')] == '-') {
			size_t b = start + (s[start] == '['), e = b, v = i;
			bool value;

			while (e < i && s[e] != ']' && s[e] != '=')
				e++;
			/* "--role ROLE", "--format csv|json": the next word is its value. */
			while (v < n && s[v] == ' ')
				v++;
			value = e == i && v < n && s[v] != '[' && s[v] != '|' && s[v] != '-';
			snprintf(opts + strlen(opts), cap - strlen(opts), "%s%.*s%s",
				 *opts ? " " : "", (int)(e - b), s + b, value ? "=" : "");
			if (value) {
				while (v < n && s[v] != ' ' && s[v] != '\n') {
					if (s[v] == ']')
						depth--;
					v++;
				}
				i = v;
			}
		} else if (!depth && s[start] != '.') {
			snprintf(pos + strlen(pos), cap - strlen(pos), "%s%.*s", *pos ? " " : "",
				 (int)len, s + start);
		}
		for (size_t k = start; k < i; k++) {
			if (s[k] == ']')
				depth--;
		}
	}
}

/* The next usage alternative of u (they are separated by a '|' with a blank
 * before it): its length; *next is where the following one starts or NULL. */
static size_t
next_alternative(const char *u, const char **next)
{
	const char *bar = u;

	while ((bar = strchr(bar, '|')) && bar > u && bar[-1] != ' ' && bar[-1] != '\n')
		bar++;
	*next = bar ? bar + 1 : NULL;
	return bar ? (size_t)(bar - u) : strlen(u);
}

/* Whether the first placeholder is a subcommand word ("import"), not a
 * value ("LOGIN", "trial-balance|pl"). */
static bool
is_subcommand(const char *pos)
{
	size_t len = strcspn(pos, " ");

	return *pos >= 'a' && *pos <= 'z' && !memchr(pos, '|', len);
}

static const char completion_body[] =
    "_backdesk() {\n"
    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} words=() w i spec='' subs n=1 k what client=''\n"
    "\tlocal -a pos\n"
    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
    "\t\tw=${COMP_WORDS[i]}\n"
    "\t\tcase $w in\n"
    "\t\t--config | --set | --user) ((i++)) ;;\n"
    "\t\t-*) [[ \" ${spec#*;} \" == *\" $w= \"* ]] && ((i++)) ;;\n"
    "\t\t*) words+=(\"$w\") ;;\n"
    "\t\tesac\n"
    "\t\t[ ${#words[@]} -lt 1 ] || spec=$(_backdesk_words \"${words[0]}\" \"${words[1]:-}\")\n"
    "\tdone\n"
    "\tif [ ${#words[@]} -eq 0 ]; then\n"
    "\t\tCOMPREPLY=($(compgen -W \"$(_backdesk_subs '') --config --set --user --help --version\" "
    "-- \"$cur\"))\n"
    "\t\treturn\n"
    "\tfi\n"
    "\tsubs=$(_backdesk_subs \"${words[0]}\")\n"
    "\tif [ -n \"$subs\" ]; then\n"
    "\t\tif [ ${#words[@]} -eq 1 ]; then\n"
    "\t\t\tCOMPREPLY=($(compgen -W \"$subs\" -- \"$cur\"))\n"
    "\t\t\treturn\n"
    "\t\tfi\n"
    "\t\tn=2\n"
    "\tfi\n"
    "\tspec=$(_backdesk_words \"${words[0]}\" \"${words[1]:-}\")\n"
    "\tif [[ $cur == -* ]]; then\n"
    "\t\tw=${spec#*;}\n"
    "\t\tCOMPREPLY=($(compgen -W \"${w//=/} --help\" -- \"$cur\"))\n"
    "\t\treturn\n"
    "\tfi\n"
    "\tread -ra pos <<<\"${spec%%;*}\"\n"
    "\tk=$((${#words[@]} - n))\n"
    "\twhat=${pos[k]:-}\n"
    "\tfor ((i = 0; i < k; i++)); do\n"
    "\t\t[ \"${pos[i]}\" != CLIENT ] || client=${words[i + n]}\n"
    "\tdone\n"
    "\tcase $what in\n"
    "\tCLIENT) COMPREPLY=($(compgen -W \"$(backdesk client list 2>/dev/null | awk 'NR > 1 {print "
    "$1}')\" -- \"$cur\")) ;;\n"
    "\tDOCTYPE) COMPREPLY=($(compgen -W \"$(backdesk doctype list \"$client\" 2>/dev/null | awk "
    "'NR > 1 {print $1}')\" -- \"$cur\")) ;;\n"
    "\tFILE*) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
    "\t*\\|*) COMPREPLY=($(compgen -W \"${what//|/ }\" -- \"$cur\")) ;;\n"
    "\tesac\n"
    "}\n"
    "complete -o default -F _backdesk backdesk\n";

/* The completion: for each COMMAND SUBCOMMAND the placeholders in order and
 * the options ("--role=" takes a value), and each command's subcommands. */
static void
completion(FILE *f)
{
	char pos[512], opts[512], subs[512];
	size_t i, n, len;
	const char *u, *next;

	fputs("# bash completion for backdesk; written by man/genman.c from the command table.\n"
	      "_backdesk_words() { # COMMAND SUBCOMMAND: \"PLACEHOLDER...;--option[=]...\"\n"
	      "\tcase \"$1 $2\" in\n",
	      f);
	for (i = 0; i < ncommands; i++) {
		for (u = commands[i].usage; u; u = next) {
			const char *sp;

			n = next_alternative(u, &next);
			alternative(u, n, pos, opts, sizeof(pos));
			sp = strchr(pos, ' ');
			if (is_subcommand(pos))
				fprintf(f, "\t\"%s %.*s\") echo \"%s;%s\" ;;\n", commands[i].word,
					(int)(sp ? (size_t)(sp - pos) : strlen(pos)), pos,
					sp ? sp + 1 : "", opts);
			else
				fprintf(f, "\t\"%s \"*) echo \"%s;%s\" ;;\n", commands[i].word, pos,
					opts);
		}
	}
	fputs("\tesac\n}\n_backdesk_subs() { # COMMAND, or '' for the commands\n\tcase $1 "
	      "in\n\t'') echo \"",
	      f);
	for (i = 0; i < ncommands; i++)
		fprintf(f, "%s%s", i ? " " : "", commands[i].word);
	fputs("\" ;;\n", f);
	for (i = 0; i < ncommands; i++) {
		subs[0] = '\0';
		for (u = commands[i].usage; u; u = next) {
			n = next_alternative(u, &next);
			alternative(u, n, pos, opts, sizeof(pos));
			len = strcspn(pos, " ");
			if (is_subcommand(pos))
				snprintf(subs + strlen(subs), sizeof(subs) - strlen(subs), "%s%.*s",
					 *subs ? " " : "", (int)len, pos);
		}
		if (*subs)
			fprintf(f, "\t%s) echo \"%s\" ;;\n", commands[i].word, subs);
	}
	fputs("\tesac\n}\n", f);
	fputs(completion_body, f);
}

int
main(int argc, char **argv)
{
	FILE *f1, *f5, *fb;

	if (argc != 4) {
		fprintf(stderr, "usage: genman OUT.1 OUT.5 OUT.bash\n");
		return 2;
	}
	{
		const struct bd_cli_command **table = bd_cli_commands();

		for (ncommands = 0; table[ncommands]; ncommands++)
			;
		commands = calloc(ncommands, sizeof(*commands));
		for (size_t k = 0; k < ncommands; k++)
			commands[k] =
			    (struct command){table[k]->word, table[k]->usage, table[k]->help,
					     table[k]->details, (int)table[k]->needs};
		free(table);
	}
	if (!(f1 = fopen(argv[1], "w")) || !(f5 = fopen(argv[2], "w")) ||
	    !(fb = fopen(argv[3], "w"))) {
		perror("genman");
		return 1;
	}
	page1(f1);
	page5(f5);
	completion(fb);
	if (fclose(f1) || fclose(f5) || fclose(fb)) {
		perror("genman");
		return 1;
	}
	return 0;
}
