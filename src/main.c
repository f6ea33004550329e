/* backdesk: argv -> config -> command (database, TUI). */
#include "backdesk/cli.h"
#include "backdesk/config.h"
#include "backdesk/log.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
	const char *word;
	int (*run)(struct bd_cli *cli, int argc, char **argv);
	const char *usage;
	const char *help;
};

#define BD_CLI_ENTRY(fn, word, usage, help) {word, bd_cli_##fn, usage, help},
static const struct command commands[] = {BD_CLI_COMMANDS(BD_CLI_ENTRY)};
#undef BD_CLI_ENTRY

static void
usage(FILE *out)
{
	size_t i;

	fputs("usage: backdesk [--config FILE] [--set NAME=VALUE]... [--user NAME] [COMMAND ...]\n"
	      "\n"
	      "With no command, opens the terminal screens as the current operator.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(out, "  %-8s %s\n           %s\n", commands[i].word, commands[i].usage,
			commands[i].help);
	fputs("\nOptions:\n"
	      "  --config FILE      read this configuration file\n"
	      "  --set NAME=VALUE   override one setting (see 'backdesk config')\n"
	      "  --user NAME        act as this operator (embedded demo database only)\n"
	      "  --version, --help\n",
	      out);
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
	    {"config", required_argument, NULL, 'c'}, {"set", required_argument, NULL, 's'},
	    {"user", required_argument, NULL, 'u'},   {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
	};
	struct bd_err err = BD_ERR_INIT;
	struct bd_cli cli = {NULL, NULL};
	const char *config_path = NULL;
	char **sets = calloc((size_t)argc + 1, sizeof(*sets));
	int nsets = 0, opt, rc = 2, i;
	size_t c;

	setlocale(LC_ALL, "");
	/* Operators' SSH sessions often arrive with no locale at all; the screens
	 * need UTF-8 whatever the environment says. */
	if (strcmp(nl_langinfo(CODESET), "UTF-8"))
		setlocale(LC_CTYPE, "C.UTF-8");
	/* Options stop at the command word: the rest belongs to the command. */
	while ((opt = getopt_long(argc, argv, "+c:s:u:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config_path = optarg;
			break;
		case 's':
			sets[nsets++] = optarg;
			break;
		case 'u':
			cli.user = optarg;
			break;
		case 'h':
			usage(stdout);
			rc = 0;
			goto cleanup;
		case 'V':
			printf("backdesk %s\n", BD_VERSION);
			rc = 0;
			goto cleanup;
		default:
			usage(stderr);
			goto cleanup;
		}
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
	bd_log_set_level((enum bd_log_level)bd_config_choice(cli.cfg, "log.level"));
	if (optind >= argc) {
		rc = bd_cli_tui(&cli, false);
		goto cleanup;
	}
	for (c = 0; c < sizeof(commands) / sizeof(*commands); c++) {
		if (!strcmp(argv[optind], commands[c].word)) {
			int first = optind;

			optind = 0; /* a fresh getopt for the command's own options */
			rc = commands[c].run(&cli, argc - first, argv + first);
			goto cleanup;
		}
	}
	fprintf(stderr, "backdesk: unknown command '%s'\n\n", argv[optind]);
	usage(stderr);
cleanup:
	bd_config_free(cli.cfg);
	free(sets);
	return rc;
}
