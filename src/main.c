/* backdesk: argv -> config -> command (database, TUI). */
#include "backdesk/app.h"
#include "backdesk/cli.h"
#include "backdesk/config.h"
#include "backdesk/log.h"

#include <ctype.h>
#include <getopt.h>
#include <sys/stat.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char global_options[] = BD_CLI_GLOBAL_OPTIONS;

/* Every command, the platform's and the modules' (cli.h), NULL-ended. */
static const struct bd_cli_command **commands;

static void
usage(FILE *out)
{
	size_t i;

	fputs("usage: backdesk [OPTIONS] [COMMAND ...]\n"
	      "\n"
	      "With no command, opens the terminal screens as the current operator.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (i = 0; commands[i]; i++) {
		if (*commands[i]->usage)
			fprintf(out, "  %-8s %s\n           ", commands[i]->word,
				commands[i]->usage);
		else
			fprintf(out, "  %-8s ", commands[i]->word);
		fprintf(out, "%s%s\n", commands[i]->help,
			commands[i]->needs == BD_CLI_OPERATOR ? "; as an operator" : "");
	}
	fputs("\n", out);
	fputs(global_options, out);
}

static void
command_help(const struct bd_cli_command *c)
{
	printf("usage: backdesk %s %s\n\n%c%s.\n", c->word, c->usage, toupper(c->help[0]),
	       c->help + 1);
	if (c->needs == BD_CLI_OPERATOR)
		printf("It works as an operator: --user NAME on the embedded database.\n");
	if (*c->details)
		printf("\n%s", c->details);
	printf("\n%s", global_options);
}

/*
 * Takes the global options out of argv wherever they are (before or after
 * the command word, up to a "--"), so that `demo --user acct1 --set
 * ui.color=false` works as the user meant. Only the long forms are taken
 * after the command word. Returns 0, or 2 after a usage message; *help is set
 * by --help (1 before the command word, 2 after it), *version by --version
 * before it.
 */
static int
take_global_options(int *argcp, char **argv, const char **config_path, char **sets, int *nsets,
		    struct bd_cli *cli, int *help, bool *version)
{
	static const char *const names[] = {"--config", "--set", "--user"};
	int argc = *argcp, i, out = 1;
	bool seen_command = false, rest = false;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *value = NULL;
		size_t n, k;

		if (rest || a[0] != '-' || !a[1]) {
			seen_command = true;
			argv[out++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			rest = true;
			argv[out++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--help") || (!seen_command && !strcmp(a, "-h"))) {
			*help = seen_command ? 2 : 1;
			continue;
		}
		if (!seen_command && (!strcmp(a, "--version") || !strcmp(a, "-V"))) {
			*version = true;
			continue;
		}
		for (k = 0; k < sizeof(names) / sizeof(*names); k++) {
			n = strlen(names[k]);
			if (!strncmp(a, names[k], n) && (a[n] == '=' || a[n] == '\0'))
				break;
			/* -c FILE, -s NAME=VALUE, -u NAME before the command word */
			if (!seen_command && a[1] == names[k][2] && a[2] == '\0')
				break;
		}
		if (k == sizeof(names) / sizeof(*names)) {
			if (!seen_command) {
				fprintf(stderr, "backdesk: unknown option '%s'\n\n", a);
				usage(stderr);
				return 2;
			}
			argv[out++] = argv[i]; /* the command's own option */
			continue;
		}
		n = strlen(names[k]);
		if (a[1] == '-' && a[n] == '=') {
			value = a + n + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			fprintf(stderr, "backdesk: %s needs a value\n", names[k]);
			return 2;
		}
		if (k == 0)
			*config_path = value;
		else if (k == 1)
			sets[(*nsets)++] = (char *)value;
		else
			cli->user = value;
	}
	argv[out] = NULL;
	*argcp = out;
	return 0;
}

static void
open_log(const struct bd_config *cfg)
{
	const char *path = bd_config_str(cfg, "log.file");
	struct bd_err err = BD_ERR_INIT;
	char *copy = strdup(path), *slash;

	/* Technical detail (SQLSTATEs, PL/pgSQL context) belongs in the log,
	 * never on the terminal: the commands log where the screens do. */
	for (slash = copy ? copy + 1 : NULL; slash && (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(copy, 0700);
		*slash = '/';
	}
	free(copy);
	if (bd_log_open(path, &err) < 0)
		bd_log_discard(); /* no log: the detail is lost, not shown */
}

int
main(int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_cli cli = {NULL, NULL, NULL, BD_CLI_ANYONE};
	const char *config_path = NULL;
	char **sets = calloc((size_t)argc + 1, sizeof(*sets));
	int nsets = 0, rc = 2, i, help = 0;
	bool version = false;
	const struct bd_cli_command *cmd = NULL;
	size_t c;

	bd_app_mark(BD_APP_MARK_MAIN);
	setlocale(LC_ALL, "");
	/* Operators' SSH sessions often arrive with no locale at all; the screens
	 * need UTF-8 whatever the environment says. */
	if (strcmp(nl_langinfo(CODESET), "UTF-8"))
		setlocale(LC_CTYPE, "C.UTF-8");
	bd_cli_output_begin();
	commands = bd_cli_commands();
	if (take_global_options(&argc, argv, &config_path, sets, &nsets, &cli, &help, &version))
		goto cleanup;
	if (argc > 1) {
		for (c = 0; commands[c]; c++)
			if (!strcmp(argv[1], commands[c]->word))
				cmd = commands[c];
		if (!cmd) {
			fprintf(stderr, "backdesk: unknown command '%s'\n\n", argv[1]);
			usage(stderr);
			goto cleanup;
		}
	}
	if (help || version) {
		if (version)
			printf("backdesk %s\n", BD_VERSION);
		else if (cmd && help == 2)
			command_help(cmd);
		else
			usage(stdout);
		rc = 0;
		goto cleanup;
	}
	if (!(cli.cfg = bd_config_load(config_path, &err))) {
		fprintf(stderr, "backdesk: %s\n", err.msg);
		goto cleanup;
	}
	for (i = 0; i < nsets; i++) {
		if (bd_config_set_arg(cli.cfg, sets[i], "--set", &err) < 0) {
			fprintf(stderr, "backdesk: %s\n", err.msg);
			goto cleanup;
		}
	}
	bd_app_mark(BD_APP_MARK_CONFIG);
	bd_log_set_level((enum bd_log_level)bd_config_choice(cli.cfg, "log.level"));
	open_log(cli.cfg);
	/* sshd's ForceCommand (backdesk deploy sshd) runs us whatever the
	 * operator asked for: say that it was not run rather than ignore it. */
	if (!cmd && getenv("SSH_ORIGINAL_COMMAND") && *getenv("SSH_ORIGINAL_COMMAND")) {
		fprintf(stderr,
			"backdesk: this login opens Backdesk's screens only: '%s' was not run "
			"(connect with ssh -t and no command)\n",
			getenv("SSH_ORIGINAL_COMMAND"));
		goto cleanup;
	}
	if (!cmd) {
		rc = bd_cli_tui(&cli, false);
		goto cleanup;
	}
	cli.command = cmd->word;
	cli.needs = cmd->needs;
	optind = 0; /* a fresh getopt for the command's own options */
	rc = cmd->run(&cli, argc - 1, argv + 1);
cleanup:
	bd_config_free(cli.cfg);
	bd_log_close();
	free(sets);
	free(commands);
	bd_cli_output_end();
	return rc;
}
