/*
 * backdesk deploy sshd | check, and the Unix half of `user add --unix`: an
 * application host where operators reach Backdesk over SSH and nothing else.
 *
 * The drop-in is printed from one table (sshd_wanted) that `deploy check`
 * also compares with `sshd -T`, so what we ask for and what we check for are
 * the same list.
 */
#include "backdesk/cli.h"
#include "backdesk/connect.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"
#include "backdesk/command.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* sshd settings for the operators' group: keyword as sshd_config spells it
 * and the value `sshd -T` must show (ForceCommand is added apart: its value
 * is the binary). ClientAlive: a link that stops answering ends within a
 * minute, and with it the session (the draft is saved on SIGHUP). */
static const struct {
	const char *keyword;
	const char *value;
} sshd_wanted[] = {
    {"PermitTTY", "yes"},	  {"DisableForwarding", "yes"},
    {"AllowTcpForwarding", "no"}, {"AllowStreamLocalForwarding", "no"},
    {"PermitTunnel", "no"},	  {"GatewayPorts", "no"},
    {"X11Forwarding", "no"},	  {"AllowAgentForwarding", "no"},
    {"PermitUserRC", "no"},	  {"ClientAliveInterval", "15"},
    {"ClientAliveCountMax", "4"},
};

/* The backdesk binary sshd runs for operators: ssh.binary, or this one. */
static void
binary_path(const struct bd_config *cfg, struct strbuf *out)
{
	const char *set = bd_config_str(cfg, "ssh.binary");
	char buf[4096];
	ssize_t n;

	if (*set) {
		strbuf_addstr(out, set);
		return;
	}
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	strbuf_add(out, buf, n > 0 ? (size_t)n : 0);
	if (n <= 0)
		strbuf_addstr(out, "/usr/bin/backdesk");
}

/* The ForceCommand line: the binary, and `--config FILE` when the file read
 * is not one every operator finds by itself. -1 when a path would need
 * quoting (sshd hands the line to the shell). */
static int
force_command(const struct bd_config *cfg, struct strbuf *out)
{
	static const char unsafe[] = " \t\n'\"\\$`;&|<>*?()";
	const char *file = bd_config_file(cfg);
	int rc;

	binary_path(cfg, out);
	rc = strpbrk(out->buf, unsafe) ? -1 : 0;
	if (file && strcmp(file, "/etc/backdesk/backdesk.conf")) {
		rc = strpbrk(file, unsafe) ? -1 : rc;
		strbuf_addf(out, " --config %s", file);
	}
	return rc;
}

static int
deploy_sshd(struct bd_cli *cli)
{
	const char *group = bd_config_str(cli->cfg, "ssh.group");
	struct strbuf cmd = STRBUF_INIT;
	size_t i;

	if (force_command(cli->cfg, &cmd) < 0 || strpbrk(group, " \t\"'")) {
		fprintf(stderr,
			"backdesk: the binary, configuration path or group holds a blank or a "
			"quote, which sshd_config cannot carry safely: %s (group %s)\n",
			cmd.buf, group);
		strbuf_release(&cmd);
		return 2;
	}
	printf("# Backdesk operators (backdesk deploy sshd): install as\n"
	       "# /etc/ssh/sshd_config.d/backdesk.conf, check with 'backdesk deploy check'.\n"
	       "# Members of group %s get Backdesk and nothing else: no shell, no\n"
	       "# forwarding of any kind; a link that stops answering ends in a minute.\n"
	       "Match Group %s\n"
	       "\tForceCommand %s\n",
	       group, group, cmd.buf);
	for (i = 0; i < NELEM(sshd_wanted); i++)
		printf("\t%s %s\n", sshd_wanted[i].keyword, sshd_wanted[i].value);
	printf("Match all\n");
	strbuf_release(&cmd);
	return 0;
}

/* ---- deploy check ---- */

struct check {
	const struct bd_config *cfg;
	const char *group;
	int wrong;
};

static void ok(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wrong(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
ok(struct check *c, const char *fmt, ...)
{
	va_list ap;

	(void)c;
	fputs("ok     ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void
wrong(struct check *c, const char *fmt, ...)
{
	va_list ap;

	c->wrong++;
	fputs("WRONG  ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Does the text hold a password (conninfo `password=`, a URI's user:pass@)? */
static bool
holds_password(const char *s)
{
	const char *p, *at;

	for (p = s; (p = strcasestr(p, "password")); p += 8) {
		const char *q = p + 8;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '=')
			return true;
	}
	if ((p = strstr(s, "://")) && (at = strchr(p + 3, '@'))) {
		const char *colon = memchr(p + 3, ':', (size_t)(at - p - 3));

		if (colon && !memchr(p + 3, '/', (size_t)(colon - p - 3)))
			return true;
	}
	return false;
}

static void
check_config_file(struct check *c)
{
	const char *file = bd_config_file(c->cfg);
	struct strbuf text = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct stat st;
	bool secret;

	if (!file) {
		wrong(c, "config: no configuration file: operators would each get a private "
			 "embedded database (write /etc/backdesk/backdesk.conf)");
		return;
	}
	if (stat(file, &st) < 0 || bd_cli_read_file(file, &text, &err) < 0) {
		wrong(c, "config: cannot read %s: %s", file, strerror(errno));
		goto cleanup;
	}
	secret = holds_password(text.buf);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		wrong(c, "config: %s is writable by %s (mode %04o): chmod go-w %s", file,
		      (st.st_mode & S_IWOTH) ? "everyone" : "its group",
		      (unsigned)(st.st_mode & 07777), file);
	else if (secret && (st.st_mode & S_IROTH))
		wrong(c, "config: %s holds a password and everyone may read it (mode %04o)", file,
		      (unsigned)(st.st_mode & 07777));
	else
		ok(c, "config: %s is mode %04o, owner uid %u", file, (unsigned)(st.st_mode & 07777),
		   (unsigned)st.st_uid);
cleanup:
	strbuf_release(&text);
}

/* 1 after a finding when the pg_service.conf at path (NULL: none) holds a
 * password, else 0. */
static int
service_file_password(struct check *c, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	int found = 0;

	if (path && access(path, F_OK) == 0 && bd_cli_read_file(path, &text, &err) == 0 &&
	    holds_password(text.buf)) {
		wrong(c, "auth: %s holds a password: use peer or certificate authentication", path);
		found = 1;
	}
	strbuf_release(&text);
	return found;
}

/* A password in the conninfo, the environment, a service file, or a
 * ~/.pgpass or ~/.pg_service.conf of one of the n logins. */
static void
check_passwords(struct check *c, char **logins, int n)
{
	const char *conninfo = bd_config_str(c->cfg, "database.conninfo");
	const char *passfile = getenv("PGPASSFILE");
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int found = 0, i;

	if (holds_password(conninfo)) {
		wrong(c,
		      "auth: database.conninfo (%s) holds a password: use peer or certificate "
		      "authentication",
		      bd_config_source(c->cfg, "database.conninfo"));
		found++;
	}
	if (getenv("PGPASSWORD")) {
		wrong(c, "auth: PGPASSWORD is set in this environment");
		found++;
	}
	if (passfile && stat(passfile, &st) == 0) {
		wrong(c, "auth: PGPASSFILE names %s, a password file", passfile);
		found++;
	}
	for (i = 0; i < n; i++) {
		struct passwd *pw = getpwnam(logins[i]);

		if (!pw)
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/.pgpass", pw->pw_dir);
		if (stat(path.buf, &st) == 0) {
			wrong(c,
			      "auth: %s holds passwords: operators sign in by peer or certificate",
			      path.buf);
			found++;
		}
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/.pg_service.conf", pw->pw_dir);
		found += service_file_password(c, path.buf);
	}
	/* service=NAME: the connection services may carry a password too. */
	found += service_file_password(c, getenv("PGSERVICEFILE"));
	found += service_file_password(c, "/etc/postgresql-common/pg_service.conf");
	if (getenv("PGSYSCONFDIR")) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/pg_service.conf", getenv("PGSYSCONFDIR"));
		found += service_file_password(c, path.buf);
	}
	if (!found)
		ok(c, "auth: no password in the conninfo, the environment, the operators' "
		      "~/.pgpass or a service file");
	strbuf_release(&path);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The logins in the group (its member list and those whose primary group it
 * is), sorted, malloc'd; *n their number. NULL when there is no such group. */
static char **
group_members(const char *group, int *n)
{
	struct group *gr = getgrnam(group);
	struct passwd *pw;
	char **out;
	int cap = 16, i;
	gid_t gid;

	*n = 0;
	if (!gr)
		return NULL;
	gid = gr->gr_gid;
	out = xcalloc((size_t)cap, sizeof(*out));
	for (i = 0; gr->gr_mem[i]; i++) {
		if (*n + 1 >= cap)
			out = xrealloc(out, (size_t)(cap *= 2) * sizeof(*out));
		out[(*n)++] = xstrdup(gr->gr_mem[i]);
	}
	setpwent();
	while ((pw = getpwent())) {
		bool seen = false;

		if (pw->pw_gid != gid)
			continue;
		for (i = 0; i < *n; i++)
			seen = seen || !strcmp(out[i], pw->pw_name);
		if (seen)
			continue;
		if (*n + 1 >= cap)
			out = xrealloc(out, (size_t)(cap *= 2) * sizeof(*out));
		out[(*n)++] = xstrdup(pw->pw_name);
	}
	endpwent();
	qsort(out, (size_t)*n, sizeof(*out), compare_names);
	return out;
}

static bool
in_list(char **list, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/* Whether the server checks who connects: signing in as another operator
 * must fail (peer, certificate), never succeed (trust). At most five tries. */
static void
check_identity(struct check *c, const char *login, const struct bd_db_result *roles)
{
	const char *conninfo = bd_config_str(c->cfg, "database.conninfo");
	bool uri = !strncmp(conninfo, "postgres://", 11) || !strncmp(conninfo, "postgresql://", 13);
	struct strbuf other = STRBUF_INIT;
	int row, tried = 0;

	for (row = 0; row < bd_db_result_rows(roles) && tried < 5; row++) {
		const char *role = bd_db_result_get(roles, row, 0);
		struct bd_err err = BD_ERR_INIT;
		struct bd_db *db;

		if (!strcmp(role, login) || strcmp(bd_db_result_get(roles, row, 1), "t") ||
		    strspn(role, "abcdefghijklmnopqrstuvwxyz0123456789_.-") != strlen(role))
			continue;
		strbuf_reset(&other);
		strbuf_addstr(&other, conninfo);
		if (uri)
			strbuf_addf(&other, "%cuser=%s", strchr(conninfo, '?') ? '&' : '?', role);
		else
			strbuf_addf(&other, " user='%s'", role);
		tried++;
		if ((db = bd_db_connect(other.buf, &err))) {
			bd_db_free(db);
			wrong(c,
			      "auth: %s signed in to the database as %s without a password: the "
			      "server trusts whoever connects; use peer or certificate "
			      "authentication",
			      login, role);
			goto cleanup;
		}
	}
	if (tried)
		ok(c,
		   "auth: %s cannot sign in as another operator (%d tried): the server checks "
		   "who connects",
		   login, tried);
cleanup:
	strbuf_release(&other);
}

/* The database, as `login`: reachable, at this binary's schema, and its
 * operator roles matched with the group's Unix accounts. */
static void
check_database(struct check *c, const char *login, char **members, int nmembers)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = NULL;
	struct bd_db *db;
	int row, matched = 0;

	if (bd_connect_is_embedded(c->cfg)) {
		wrong(c, "database: database.conninfo is empty: each operator would get a private "
			 "embedded database; name the shared server");
		return;
	}
	if (!(db = bd_connect(c->cfg, NULL, &err))) {
		wrong(c, "database: as %s: %s", login, err.msg);
		if (err.sqlstate[0] || err.detail[0])
			bd_log_err(&err);
		return;
	}
	ok(c, "database: %s reaches it; its schema is this binary's (backdesk %s)", login,
	   BD_VERSION);
	if (!(res = bd_db_query(db, "deploy.operator_roles", BD_NO_PARAMS, &err))) {
		wrong(c, "database: cannot list the operators as %s: %s", login, err.msg);
		goto cleanup;
	}
	for (row = 0; row < bd_db_result_rows(res); row++) {
		const char *role = bd_db_result_get(res, row, 0);
		struct passwd *pw;

		if (strcmp(bd_db_result_get(res, row, 1), "t"))
			continue; /* disabled: may keep an account, gets no session */
		if (!(pw = getpwnam(role)))
			wrong(c, "accounts: operator %s has no Unix account on this host", role);
		else if (!in_list(members, nmembers, role))
			wrong(c,
			      "accounts: operator %s's Unix account is not in group %s: sshd gives "
			      "it a shell, not Backdesk",
			      role, c->group);
		else
			matched++;
	}
	for (row = 0; row < nmembers; row++) {
		int r;
		bool active = false;

		for (r = 0; r < bd_db_result_rows(res); r++)
			active = active || (!strcmp(bd_db_result_get(res, r, 0), members[row]) &&
					    !strcmp(bd_db_result_get(res, r, 1), "t"));
		if (!active)
			wrong(c,
			      "accounts: %s is in group %s but is no active operator in the "
			      "database",
			      members[row], c->group);
	}
	check_identity(c, login, res);
	if (matched)
		ok(c, "accounts: %d operator%s, each with a Unix account in group %s", matched,
		   matched == 1 ? "" : "s", c->group);
cleanup:
	bd_db_result_free(res);
	bd_db_free(db);
}

/* check_database() as `login`: when we are root, in a child that has become
 * that user (so peer authentication and file permissions are the
 * operator's). */
static void
check_database_as(struct check *c, const char *login, char **members, int nmembers)
{
	struct passwd *pw = getpwnam(login);
	int status;
	pid_t pid;

	if (!pw) {
		wrong(c, "accounts: there is no Unix account %s to check the database as", login);
		return;
	}
	if (geteuid() != 0 || pw->pw_uid == geteuid()) {
		struct passwd *me = getpwuid(geteuid());

		/* Not root: the database as whoever runs the check. */
		check_database(c, me ? me->pw_name : login, members, nmembers);
		return;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		wrong(c, "database: cannot become %s to connect: %s", login, strerror(errno));
		return;
	}
	if (pid == 0) {
		if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
		    setuid(pw->pw_uid) < 0) {
			wrong(c, "database: cannot become %s: %s", login, strerror(errno));
		} else {
			c->wrong = 0; /* the parent counted its own */
			setenv("HOME", pw->pw_dir, 1);
			setenv("USER", pw->pw_name, 1);
			setenv("LOGNAME", pw->pw_name, 1);
			if (chdir(pw->pw_dir) < 0 && chdir("/") < 0)
				_exit(100);
			check_database(c, login, members, nmembers);
		}
		fflush(NULL);
		_exit(c->wrong > 99 ? 99 : c->wrong);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) < 100)
		c->wrong += WEXITSTATUS(status);
	else
		wrong(c, "database: the check as %s ended abnormally", login);
}

static const char *
find_sshd(void)
{
	static const char *const paths[] = {"/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd"};
	size_t i;

	for (i = 0; i < NELEM(paths); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return "sshd";
}

/* The value `sshd -T` shows for keyword (lower case), or NULL. Points into
 * text, which is modified: lines are cut at their end. */
static const char *
sshd_value(char *text, const char *keyword, struct strbuf *value)
{
	size_t n = strlen(keyword);
	char *line = text;

	strbuf_reset(value);
	while (line && *line) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (len > n && !strncasecmp(line, keyword, n) && line[n] == ' ') {
			strbuf_add(value, line + n + 1, len - n - 1);
			return value->buf;
		}
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

static void
check_sshd(struct check *c, const char *login, const char *config, const char *addr)
{
	struct strbuf spec = STRBUF_INIT, out = STRBUF_INIT, value = STRBUF_INIT, cmd = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	const char *argv[8];
	int argc = 0, rc, bad = 0;
	size_t i;

	strbuf_addf(&spec, "user=%s,host=%s,addr=%s", login, addr, addr);
	argv[argc++] = find_sshd();
	argv[argc++] = "-T";
	argv[argc++] = "-C";
	argv[argc++] = spec.buf;
	if (config) {
		argv[argc++] = "-f";
		argv[argc++] = config;
	}
	argv[argc] = NULL;
	rc = bd_cli_run_program(argv, &out, &err);
	if (rc != 0) {
		char *nl;

		strbuf_rtrim(&out);
		while ((nl = strchr(out.buf, '\n')))
			*nl = ' '; /* one line per finding */
		wrong(c, "sshd: 'sshd -T' for %s failed: %s", login, rc < 0 ? err.msg : out.buf);
		goto cleanup;
	}
	force_command(c->cfg, &cmd);
	if (!sshd_value(out.buf, "forcecommand", &value) || strcmp(value.buf, cmd.buf)) {
		wrong(c, "sshd: ForceCommand for %s is %s, should be %s ('backdesk deploy sshd')",
		      login, value.len ? value.buf : "unset", cmd.buf);
		bad++;
	}
	for (i = 0; i < NELEM(sshd_wanted); i++) {
		const char *v = sshd_value(out.buf, sshd_wanted[i].keyword, &value);

		if (!v || strcasecmp(v, sshd_wanted[i].value)) {
			wrong(c, "sshd: %s for %s is %s, should be %s ('backdesk deploy sshd')",
			      sshd_wanted[i].keyword, login, v ? v : "unset", sshd_wanted[i].value);
			bad++;
		}
	}
	if (!bad)
		ok(c, "sshd: %s from %s gets '%s' only: no forwarding, a terminal, dead links end",
		   login, addr, cmd.buf);
cleanup:
	strbuf_release(&cmd);
	strbuf_release(&value);
	strbuf_release(&out);
	strbuf_release(&spec);
}

static int
deploy_check(struct bd_cli *cli, int argc, char **argv)
{
	static const struct option options[] = {{"login", required_argument, NULL, 'l'},
						{"sshd-config", required_argument, NULL, 'f'},
						{"addr", required_argument, NULL, 'a'},
						{NULL, 0, NULL, 0}};
	struct check c = {cli->cfg, bd_config_str(cli->cfg, "ssh.group"), 0};
	const char *login = NULL, *config = NULL, *addr = "192.0.2.1";
	char **members;
	int nmembers = 0, opt, i;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'l')
			login = optarg;
		else if (opt == 'f')
			config = optarg;
		else if (opt == 'a')
			addr = optarg;
		else
			return bd_cli_usage("deploy", "check [--login LOGIN] [--sshd-config FILE] "
						      "[--addr ADDR]");
	}
	if (optind != argc)
		return bd_cli_usage("deploy",
				    "check [--login LOGIN] [--sshd-config FILE] [--addr ADDR]");
	members = group_members(c.group, &nmembers);
	if (!members)
		wrong(&c, "accounts: there is no Unix group %s (ssh.group): groupadd %s", c.group,
		      c.group);
	else if (!nmembers)
		wrong(&c, "accounts: group %s has no members: 'backdesk user add --unix'", c.group);
	if (!login && nmembers)
		login = members[0];
	check_config_file(&c);
	check_passwords(&c, members, nmembers);
	if (login) {
		check_sshd(&c, login, config, addr);
		check_database_as(&c, login, members, nmembers);
	}
	for (i = 0; i < nmembers; i++)
		free(members[i]);
	free(members);
	if (c.wrong) {
		fprintf(stderr, "backdesk: %d thing%s to fix on this host\n", c.wrong,
			c.wrong == 1 ? "" : "s");
		return 1;
	}
	return 0;
}

/* deploy sshd [--group GROUP] [--binary PATH]: the options set ssh.group and
 * ssh.binary for this run, checked as the settings are. */
static int
deploy_sshd_options(struct bd_cli *cli, int argc, char **argv)
{
	static const struct option options[] = {{"group", required_argument, NULL, 'g'},
						{"binary", required_argument, NULL, 'b'},
						{NULL, 0, NULL, 0}};
	struct bd_err err = BD_ERR_INIT;
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'g' && opt != 'b')
			return bd_cli_usage("deploy", "sshd [--group GROUP] [--binary PATH]");
		if (bd_config_set(cli->cfg, opt == 'g' ? "ssh.group" : "ssh.binary", optarg,
				  opt == 'g' ? "--group" : "--binary", &err) < 0) {
			fprintf(stderr, "backdesk: %s\n", err.msg);
			return 2;
		}
	}
	if (optind != argc)
		return bd_cli_usage("deploy", "sshd [--group GROUP] [--binary PATH]");
	return deploy_sshd(cli);
}

int
bd_cli_deploy(struct bd_cli *cli, int argc, char **argv)
{
	static const char usage[] = "sshd [--group GROUP] [--binary PATH]\n"
				    "         | check [--login LOGIN] [--sshd-config FILE] "
				    "[--addr ADDR]";

	if (argc >= 2 && !strcmp(argv[1], "sshd"))
		return deploy_sshd_options(cli, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return deploy_check(cli, argc - 1, argv + 1);
	return bd_cli_usage("deploy", usage);
}
