/*
 * The embedded local cluster (see cluster.h): initdb, pg_ctl and the first
 * database, run as an unprivileged user when we are root.
 */
#include "backdesk/cluster.h"
#include "backdesk/db.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char DATABASE_NAME[] = "backdesk";
enum { SOCKET_PATH_MAX = 100 };

static bool
is_executable(const char *dir, const char *prog)
{
	struct strbuf path = STRBUF_INIT;
	bool ok;

	strbuf_addf(&path, "%s/%s", dir, prog);
	ok = access(path.buf, X_OK) == 0;
	strbuf_release(&path);
	return ok;
}

/* The newest /usr/lib/postgresql/N/bin, else the PATH directory with initdb. */
static char *
find_bindir(void)
{
	DIR *d = opendir("/usr/lib/postgresql");
	struct dirent *e;
	long best = -1;
	char *found = NULL;
	const char *path;

	while (d && (e = readdir(d))) {
		char *end;
		long v = strtol(e->d_name, &end, 10);
		struct strbuf dir = STRBUF_INIT;

		if (*end || end == e->d_name || v <= best)
			continue;
		strbuf_addf(&dir, "/usr/lib/postgresql/%s/bin", e->d_name);
		if (is_executable(dir.buf, "initdb") && is_executable(dir.buf, "pg_ctl")) {
			best = v;
			free(found);
			found = strbuf_detach(&dir, NULL);
		}
		strbuf_release(&dir);
	}
	if (d)
		closedir(d);
	if (found || !(path = getenv("PATH")))
		return found;
	while (*path) {
		size_t len = strcspn(path, ":");
		char *dir = xstrndup(path, len);

		if (len && is_executable(dir, "initdb") && is_executable(dir, "pg_ctl"))
			return dir;
		free(dir);
		path += len + (path[len] == ':');
	}
	return NULL;
}

int
bd_cluster_init(struct bd_cluster *c, const struct bd_config *cfg, struct bd_err *err)
{
	const char *bindir = bd_config_str(cfg, "database.pg_bindir");
	struct strbuf sock = STRBUF_INIT;

	memset(c, 0, sizeof(*c));
	c->data_dir = xstrdup(bd_config_str(cfg, "database.data_dir"));
	strbuf_addf(&sock, "%s/run", c->data_dir);
	c->socket_dir = strbuf_detach(&sock, NULL);
	if (strlen(c->socket_dir) + sizeof("/.s.PGSQL.5432") > SOCKET_PATH_MAX) {
		bd_err_set(err, BD_ERR_INVALID,
			   "The data directory path is too long for a socket; choose a shorter "
			   "database.data_dir");
		goto fail;
	}
	c->bindir = *bindir ? xstrdup(bindir) : find_bindir();
	if (!c->bindir || !is_executable(c->bindir, "initdb")) {
		bd_err_set(err, BD_ERR_NOT_FOUND,
			   "PostgreSQL is not installed (no initdb found); run 'make deps' or set "
			   "database.pg_bindir");
		goto fail;
	}
	if (geteuid() == 0) {
		const char *user = bd_config_str(cfg, "database.cluster_user");
		struct passwd *pw = getpwnam(user);

		if (!pw || pw->pw_uid == 0) {
			bd_err_set(
			    err, BD_ERR_NOT_FOUND,
			    "Running as root needs an unprivileged user to own the database; "
			    "user '%s' does not exist (set database.cluster_user)",
			    user);
			goto fail;
		}
		c->run_as = xstrdup(user);
	}
	return 0;
fail:
	bd_cluster_release(c);
	return -1;
}

void
bd_cluster_release(struct bd_cluster *c)
{
	free(c->data_dir);
	free(c->socket_dir);
	free(c->bindir);
	free(c->run_as);
	memset(c, 0, sizeof(*c));
}

const char *
bd_cluster_superuser(const struct bd_cluster *c)
{
	static char login[64];
	struct passwd *pw;

	if (c->run_as)
		return c->run_as;
	pw = getpwuid(geteuid());
	snprintf(login, sizeof(login), "%s", pw ? pw->pw_name : "postgres");
	return login;
}

static char *
pgdata(const struct bd_cluster *c)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/pgdata", c->data_dir);
	return strbuf_detach(&p, NULL);
}

/* Runs bindir/argv[0] as the cluster owner with stdin from in_fd and stdout
 * to out_fd (-1: /dev/null and the cluster's tools.log) and stderr to the
 * log. Returns the exit status, or -1 when it could not run. */
static int
run_tool_io(const struct bd_cluster *c, const char *const argv[], int in_fd, int out_fd)
{
	struct strbuf prog = STRBUF_INIT, logpath = STRBUF_INIT;
	int status = -1;
	pid_t pid;

	strbuf_addf(&prog, "%s/%s", c->bindir, argv[0]);
	strbuf_addf(&logpath, "%s/tools.log", c->data_dir);
	pid = fork();
	if (pid == 0) {
		int fd = open(logpath.buf, O_WRONLY | O_APPEND | O_CREAT, 0600);
		int devnull = open("/dev/null", O_RDONLY);

		if (c->run_as) {
			struct passwd *pw = getpwnam(c->run_as);

			if (!pw || (fd >= 0 && fchown(fd, pw->pw_uid, pw->pw_gid)) ||
			    initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
			    setuid(pw->pw_uid))
				_exit(126);
			setenv("HOME", pw->pw_dir, 1);
		}
		if (in_fd >= 0)
			dup2(in_fd, 0);
		else if (devnull >= 0)
			dup2(devnull, 0);
		if (fd >= 0) {
			dup2(out_fd >= 0 ? out_fd : fd, 1);
			dup2(fd, 2);
		}
		/* Never hand the server our terminal's session: it must outlive us. */
		setsid();
		{
			/* argv[0] with its directory: pg_dumpall finds pg_dump by it */
			size_t n = 0;
			const char **args;

			while (argv[n])
				n++;
			args = xcalloc(n + 1, sizeof(*args));
			memcpy(args, argv, n * sizeof(*args));
			args[0] = prog.buf;
			execv(prog.buf, (char *const *)args);
		}
		dprintf(2, "cannot run %s: %s\n", prog.buf, strerror(errno));
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	strbuf_release(&prog);
	strbuf_release(&logpath);
	return status;
}

static int
run_tool(const struct bd_cluster *c, const char *const argv[])
{
	return run_tool_io(c, argv, -1, -1);
}

enum bd_cluster_state
bd_cluster_state(const struct bd_cluster *c)
{
	char *data = pgdata(c);
	struct strbuf version = STRBUF_INIT;
	enum bd_cluster_state state = BD_CLUSTER_ABSENT;

	strbuf_addf(&version, "%s/PG_VERSION", data);
	if (access(version.buf, F_OK) == 0) {
		const char *argv[] = {"pg_ctl", "-D", data, "status", NULL};

		state = run_tool(c, argv) == 0 ? BD_CLUSTER_RUNNING : BD_CLUSTER_STOPPED;
	}
	strbuf_release(&version);
	free(data);
	return state;
}

static int
make_private_dir(const struct bd_cluster *c, const char *dir, struct bd_err *err)
{
	struct strbuf parent = STRBUF_INIT;
	char *slash;

	strbuf_addstr(&parent, dir);
	/* Parents are ordinary directories; only `dir` itself is private. */
	for (slash = parent.buf + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		if (mkdir(parent.buf, 0755) && errno != EEXIST)
			break;
		*slash = '/';
	}
	strbuf_release(&parent);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		bd_err_set(err, BD_ERR_IO, "Cannot create the database directory %s", dir);
		bd_err_detail(err, "%s", strerror(errno));
		return -1;
	}
	if (c->run_as) {
		struct passwd *pw = getpwnam(c->run_as);

		if (!pw || chown(dir, pw->pw_uid, pw->pw_gid)) {
			bd_err_set(err, BD_ERR_IO, "Cannot hand %s to user %s", dir, c->run_as);
			return -1;
		}
	}
	return 0;
}

static int
write_settings(const struct bd_cluster *c, const char *data, struct bd_err *err)
{
	struct strbuf path = STRBUF_INIT, conf = STRBUF_INIT;
	FILE *f;
	int rc = -1;

	strbuf_addf(&path, "%s/postgresql.conf", data);
	strbuf_addf(&conf,
		    "\n# backdesk: a private cluster on a Unix socket only\n"
		    "listen_addresses = ''\n"
		    "unix_socket_directories = '%s'\n"
		    "unix_socket_permissions = 0700\n"
		    "max_connections = 200\n"
		    "logging_collector = off\n"
		    /* The work queue's table is vacuumed often (020_entry.sql):
		     * look for work every 10 s, not every minute. Its cost is the
		     * cluster's, not a session's (0.9% of a core at rest: README,
		     * Capacity), and the benchmarks measure the setting Deployment
		     * asks of a firm's server. */
		    "autovacuum_naptime = 10s\n"
		    /* Loaded once by the postmaster, not by each new backend at
		     * its first PL/pgSQL call (the sign-on's core.my_clients()):
		     * 6 ms of every session's first screen (README, Capacity). */
		    "shared_preload_libraries = 'plpgsql'\n",
		    c->socket_dir);
	f = fopen(path.buf, "a");
	if (!f || fputs(conf.buf, f) == EOF) {
		bd_err_set(err, BD_ERR_IO, "Cannot configure the database in %s", data);
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (f)
		fclose(f);
	strbuf_release(&conf);
	strbuf_release(&path);
	return rc;
}

static int
ensure_database(const struct bd_cluster *c, struct bd_err *err)
{
	char *conninfo = bd_cluster_conninfo(c, NULL, "postgres");
	struct bd_db *db = bd_db_connect(conninfo, err);
	struct bd_db_result *res = NULL;
	int rc = -1;

	free(conninfo);
	if (!db)
		return -1;
	res = bd_db_query(db, "cluster.database_exists", BD_PARAMS(DATABASE_NAME), err);
	if (!res)
		goto cleanup;
	if (bd_db_result_rows(res) == 0 &&
	    bd_db_run(db, "cluster.create_database", BD_NO_PARAMS, err) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	bd_db_result_free(res);
	bd_db_free(db);
	return rc;
}

int
bd_cluster_start(struct bd_cluster *c, struct bd_err *err)
{
	char *data = pgdata(c);
	struct strbuf logfile = STRBUF_INIT;
	enum bd_cluster_state state = bd_cluster_state(c);
	int rc = -1;

	if (state == BD_CLUSTER_ABSENT) {
		const char *argv[] = {"initdb",
				      "-D",
				      data,
				      "-A",
				      "trust",
				      "-E",
				      "UTF8",
				      "--locale=C.UTF-8",
				      "-U",
				      bd_cluster_superuser(c),
				      "--no-instructions",
				      NULL};

		if (make_private_dir(c, c->data_dir, err) < 0)
			goto cleanup;
		bd_log(BD_LOG_INFO, "creating the local database cluster in %s", c->data_dir);
		if (run_tool(c, argv) != 0) {
			bd_err_set(err, BD_ERR_IO, "Cannot create the local database");
			bd_err_detail(err, "initdb failed; see %s/tools.log", c->data_dir);
			goto cleanup;
		}
		if (write_settings(c, data, err) < 0)
			goto cleanup;
		state = BD_CLUSTER_STOPPED;
	}
	if (state == BD_CLUSTER_STOPPED) {
		const char *argv[] = {"pg_ctl", "-D", data, "-l",    NULL,
				      "-w",	"-t", "60", "start", NULL};

		if (make_private_dir(c, c->socket_dir, err) < 0)
			goto cleanup;
		strbuf_addf(&logfile, "%s/postgresql.log", c->data_dir);
		argv[4] = logfile.buf;
		if (run_tool(c, argv) != 0) {
			bd_err_set(err, BD_ERR_IO, "Cannot start the local database");
			bd_err_detail(err, "pg_ctl start failed; see %s", logfile.buf);
			goto cleanup;
		}
	}
	rc = ensure_database(c, err);
cleanup:
	strbuf_release(&logfile);
	free(data);
	return rc;
}

int
bd_cluster_stop(struct bd_cluster *c, struct bd_err *err)
{
	char *data = pgdata(c);
	const char *argv[] = {"pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "60", "stop", NULL};
	int rc = 0;

	if (bd_cluster_state(c) == BD_CLUSTER_RUNNING && run_tool(c, argv) != 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot stop the local database");
		bd_err_detail(err, "pg_ctl stop failed; see %s/tools.log", c->data_dir);
		rc = -1;
	}
	free(data);
	return rc;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
bd_cluster_destroy(struct bd_cluster *c, struct bd_err *err)
{
	if (bd_cluster_stop(c, err) < 0)
		return -1;
	if (access(c->data_dir, F_OK) == 0 &&
	    nftw(c->data_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot remove %s", c->data_dir);
		bd_err_detail(err, "%s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Appends key='value' with conninfo quoting. */
static void
add_conninfo_value(struct strbuf *out, const char *key, const char *value)
{
	const char *p;

	strbuf_addf(out, "%s%s='", out->len ? " " : "", key);
	for (p = value; *p; p++) {
		if (*p == '\'' || *p == '\\')
			strbuf_addch(out, '\\');
		strbuf_addch(out, *p);
	}
	strbuf_addch(out, '\'');
}

char *
bd_cluster_conninfo(const struct bd_cluster *c, const char *user, const char *dbname)
{
	struct strbuf ci = STRBUF_INIT;

	add_conninfo_value(&ci, "host", c->socket_dir);
	add_conninfo_value(&ci, "dbname", dbname ? dbname : DATABASE_NAME);
	add_conninfo_value(&ci, "user", user ? user : bd_cluster_superuser(c));
	return strbuf_detach(&ci, NULL);
}

/* --- backup and restore -------------------------------------------------- */

/*
 * A backup is one file:
 *
 *   BACKDESK-BACKUP 1\n
 *   roles BYTES\n
 *   <pg_dumpall --roles-only: the group roles, bd_owner, every operator's
 *    login role and memberships (no passwords: there are none)>
 *   dump\n
 *   <pg_dump --format=custom of the backdesk database>
 *
 * Roles are cluster-wide, so a dump of the database alone would restore
 * tables owned by and granted to roles a fresh cluster lacks: operators
 * could not sign on.
 */
static const char BACKUP_MAGIC[] = "BACKDESK-BACKUP 1\n";

static int
write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A temporary file, already unlinked; -1 on failure. */
static int
temp_fd(void)
{
	char path[] = "/tmp/backdesk-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

int
bd_cluster_backup(struct bd_cluster *c, const char *file, struct bd_err *err)
{
	char *conninfo = bd_cluster_conninfo(c, NULL, NULL);
	char *postgres = bd_cluster_conninfo(c, NULL, "postgres");
	const char *roles_argv[] = {"pg_dumpall", "--roles-only", "--no-role-passwords",
				    "-d",	  postgres,	  NULL};
	const char *dump_argv[] = {"pg_dump", "--format=custom", "-d", conninfo, NULL};
	struct strbuf head = STRBUF_INIT, roles = STRBUF_INIT;
	int rfd = -1, out = -1, rc = -1;
	char buf[8192];
	ssize_t n;

	if (bd_cluster_start(c, err) < 0)
		goto cleanup;
	if ((rfd = temp_fd()) < 0 || run_tool_io(c, roles_argv, -1, rfd) != 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot read the database's roles");
		bd_err_detail(err, "pg_dumpall --roles-only failed; see %s/tools.log", c->data_dir);
		goto cleanup;
	}
	lseek(rfd, 0, SEEK_SET);
	while ((n = read(rfd, buf, sizeof(buf))) > 0)
		strbuf_add(&roles, buf, (size_t)n);
	out = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot write %s: %s", file, strerror(errno));
		goto cleanup;
	}
	strbuf_addf(&head, "%sroles %zu\n", BACKUP_MAGIC, roles.len);
	if (write_all(out, head.buf, head.len) < 0 || write_all(out, roles.buf, roles.len) < 0 ||
	    write_all(out, "dump\n", 5) < 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot write %s: %s", file, strerror(errno));
		goto cleanup;
	}
	if (run_tool_io(c, dump_argv, -1, out) != 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot dump the database");
		bd_err_detail(err, "pg_dump failed; see %s/tools.log", c->data_dir);
		goto cleanup;
	}
	if (fsync(out) < 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot write %s: %s", file, strerror(errno));
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (out >= 0 && close(out) < 0 && rc == 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot write %s: %s", file, strerror(errno));
		rc = -1;
	}
	if (rc < 0 && out >= 0)
		unlink(file);
	if (rfd >= 0)
		close(rfd);
	strbuf_release(&head);
	strbuf_release(&roles);
	free(conninfo);
	free(postgres);
	return rc;
}

/* Reads one "\n"-ended line of at most size-1 bytes from fd, unbuffered
 * (the rest of the file is for the tools). */
static int
read_line(int fd, char *line, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		if (read(fd, line + n, 1) != 1)
			return -1;
		if (line[n++] == '\n') {
			line[n] = '\0';
			return 0;
		}
	}
	return -1;
}

/* What the database holds already: "" when nothing of Backdesk's. */
static int
describe_contents(const struct bd_cluster *c, struct strbuf *out, struct bd_err *err)
{
	char *conninfo = bd_cluster_conninfo(c, NULL, NULL);
	struct bd_db *db = bd_db_connect(conninfo, err);
	struct bd_db_result *res = NULL;
	int rc = -1;

	free(conninfo);
	if (!db)
		return -1;
	if (!(res = bd_db_query(db, "cluster.has_schema", BD_NO_PARAMS, err)))
		goto cleanup;
	if (!strcmp(bd_db_result_get(res, 0, 0), "t")) {
		bd_db_result_free(res);
		if (!(res = bd_db_query(db, "cluster.contents", BD_NO_PARAMS, err)))
			goto cleanup;
		strbuf_addf(out, "%s clients, %s operators, %s audit records",
			    bd_db_result_get(res, 0, 0), bd_db_result_get(res, 0, 1),
			    bd_db_result_get(res, 0, 2));
	}
	rc = 0;
cleanup:
	bd_db_result_free(res);
	bd_db_free(db);
	return rc;
}

int
bd_cluster_restore(struct bd_cluster *c, const char *file, bool force, struct bd_err *err)
{
	char *conninfo = bd_cluster_conninfo(c, NULL, NULL);
	char *postgres = bd_cluster_conninfo(c, NULL, "postgres");
	const char *psql_argv[] = {"psql", "-X", "-q", "-d", postgres, NULL};
	const char *restore_argv[] = {"pg_restore", "--exit-on-error", "--single-transaction",
				      "-d",	    conninfo,	       NULL};
	struct strbuf contents = STRBUF_INIT;
	struct bd_db *admin = NULL;
	char line[64], buf[8192];
	size_t left = 0;
	int in = -1, rfd = -1, rc = -1;

	in = open(file, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot read %s: %s", file, strerror(errno));
		goto cleanup;
	}
	if (read_line(in, line, sizeof(line)) < 0 || strcmp(line, BACKUP_MAGIC) ||
	    read_line(in, line, sizeof(line)) < 0 || sscanf(line, "roles %zu", &left) != 1) {
		bd_err_set(err, BD_ERR_INVALID, "%s is not a Backdesk backup", file);
		goto cleanup;
	}
	if ((rfd = temp_fd()) < 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot make a temporary file: %s", strerror(errno));
		goto cleanup;
	}
	while (left) {
		ssize_t n = read(in, buf, left < sizeof(buf) ? left : sizeof(buf));

		if (n <= 0 || write_all(rfd, buf, (size_t)n) < 0) {
			bd_err_set(err, BD_ERR_INVALID, "%s is cut short", file);
			goto cleanup;
		}
		left -= (size_t)n;
	}
	if (read_line(in, line, sizeof(line)) < 0 || strcmp(line, "dump\n")) {
		bd_err_set(err, BD_ERR_INVALID, "%s is not a Backdesk backup", file);
		goto cleanup;
	}
	lseek(rfd, 0, SEEK_SET);

	if (bd_cluster_start(c, err) < 0 || describe_contents(c, &contents, err) < 0)
		goto cleanup;
	if (contents.len && !force) {
		bd_err_set(err, BD_ERR_CONFLICT,
			   "The database already holds data (%s); restoring would replace all "
			   "of it. Add --force to replace it",
			   contents.buf);
		goto cleanup;
	}
	if (contents.len) {
		bd_log(BD_LOG_WARN, "restore: replacing a database that held %s", contents.buf);
		if (!(admin = bd_db_connect(postgres, err)) ||
		    bd_db_run(admin, "cluster.drop_database", BD_NO_PARAMS, err) < 0 ||
		    bd_db_run(admin, "cluster.create_database", BD_NO_PARAMS, err) < 0)
			goto cleanup;
	}
	/* Roles first; those the cluster has already are left as they are. */
	if (run_tool_io(c, psql_argv, rfd, -1) != 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot restore the roles");
		bd_err_detail(err, "psql failed; see %s/tools.log", c->data_dir);
		goto cleanup;
	}
	if (run_tool_io(c, restore_argv, in, -1) != 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot restore the database");
		bd_err_detail(err, "pg_restore failed; see %s/tools.log", c->data_dir);
		goto cleanup;
	}
	rc = 0;
cleanup:
	bd_db_free(admin);
	if (rfd >= 0)
		close(rfd);
	if (in >= 0)
		close(in);
	strbuf_release(&contents);
	free(conninfo);
	free(postgres);
	return rc;
}
