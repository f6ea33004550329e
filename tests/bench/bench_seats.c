/*
 * Seats on one host (issue 21, item 5): N operators' sessions of the real
 * binary, each in a pseudo-terminal of its own at 80x24 (a small pty driver,
 * this program), against one cluster, and what each costs.
 *
 *   BENCH_CONFIG=FILE bench_seats BACKDESK_BINARY
 *
 * Not through sshd: N sessions through sshd need N Unix accounts (one per
 * operator: the database role is the login) on a shared machine, and sshd
 * adds its own per-session processes without changing Backdesk's; its cost
 * is the sshd row's (BENCH_SSHD_KB, measured by seats.sh on a few real
 * sessions when it can run sshd) and is added to the per-operator total.
 *
 * Knobs (environment): BENCH_SEATS (N, 500; small 50), BENCH_KEYING (K
 * clerks keying, 200; small 20), BENCH_REST_S (CPU at rest, 60 s; small 10),
 * BENCH_KEY_S (keying, 150 s; small 90), BENCH_STEP_MS (a clerk's pace: one
 * field's text or one key every 2000 ms on average, about a claim a minute,
 * each pause drawn from half to one and a half times that; each clerk opens
 * its form at a moment of its own within a claim's time, so forms and F2s
 * do not come in waves).
 *
 * 1. Operators seat0001..seatN (clerks of ACME) are made, a claim batch of
 *    of claims enough for the keying imported, and max_connections raised
 *    to N + 60 (the cluster restarted).
 * 2. Seats start one after another: each is `backdesk` with
 *    database.conninfo naming its role (as peer authentication would), and
 *    its time to the first screen is from the fork to "Main menu" on its
 *    terminal (single client: no client choice), with every seat before it
 *    open; the phases of that time are the medians of what each seat logs
 *    when its menu shows (app.h, bd_app_mark; --set log.file names a log
 *    of the seats' own), with its backend's CPU after the sign-on. A
 *    supervisor (super1, in tmux, whose screen this program reads)
 *    watches the queue board.
 * 3. Memory: per seat, /proc/PID/smaps_rollup of the client (Pss, private =
 *    Private_Clean + Private_Dirty) and of its backend (found in
 *    pg_stat_activity); reference: psql in a pty of its own, signed on as
 *    a seat's role, and its backend. Also MemAvailable before and after the
 *    seats, per seat (what the kernel lost: page tables, pty buffers, all).
 * 4. CPU at rest: every seat's process and the whole cluster (postmaster and
 *    its children) over BENCH_REST_S seconds with no key pressed: a whole
 *    minute by default, so anything that wakes a seat once a minute is
 *    counted exactly once (the status line's clock did: its turn cost more
 *    than the rest of the minute, and a 30 s window read 0% or 4% for the
 *    clients by whether it held the turn).
 * 5. Keying: K seats open "Key documents" and key claims at a clerk's pace,
 *    F2 after each (every field exit also saves the form's draft, as the
 *    TUI does); the CPU of the keying seats and of the cluster meanwhile; the board is read every
 * 100 ms (tmux capture-pane) for the batch's Done count. The k-th submitted pass (by its submit
 * time in the database) is on the board when Done first reaches start + k; its latency is that
 * moment minus the time its clerk's F2 was sent (the i-th F2 of a clerk is its i-th pass). Includes
 * the 100 ms of reading.
 *
 * Result rows to stdout, progress to stderr. Every seat is ended (SIGTERM,
 * then SIGKILL) on the way out, whatever happens.
 */
#include "bench_common.h"

#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>

enum { TAIL = 64, MAX_F2 = 4096 };

static const char *SUPER_SOCKET = "bdseats";

/* A clerk's claim, as the TUI tests key it: field text or keys, one step at
 * a time; "\033OQ" is F2 on xterm. */
static const char *const CLAIM[] = {
    "Seat, Sam", "\r", "1980-02-03", "\r", "AC10237576", "\r",	  "2024-06-01",
    "\r",	 "\r", "Dr Who",     "\r", "99213",	 "J20.9", "\r",
    "75.00",	 "\r", "\r",	     "\r", "\r",	 "\r",	  "\r",
    "\r",	 "\r", "\r",	     "\r", "\r",	 "75.00", "\033OQ",
};

enum seat_state { S_STARTING, S_MENU, S_OPENING, S_KEYING, S_AFTER_F2, S_DONE };

struct seat {
	pid_t pid;
	int fd;
	char login[32];
	double t_fork, t_first;
	enum seat_state state;
	char tail[TAIL];
	size_t tail_len;
	bool seen; /* the awaited text arrived */
	const char *await;
	size_t step;
	double next;
	double *f2; /* realtime of each F2 sent */
	size_t nf2;
	size_t stalls;
};

static struct seat *seats;
static size_t nseats;
static pid_t ref_pid = -1;
/* The seats' own log (--set log.file): each logs its start-up's phases
 * once its main menu shows (app.h, bd_app_mark). */
static char app_log[64];

static double
now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ends every seat: SIGTERM (the draft is saved), then SIGKILL. */
static void
end_all(void)
{
	size_t i;
	int round;

	for (i = 0; i < nseats; i++)
		if (seats[i].pid > 0)
			kill(seats[i].pid, SIGTERM);
	if (ref_pid > 0)
		kill(ref_pid, SIGTERM);
	for (round = 0; round < 50; round++) {
		size_t left = 0;

		for (i = 0; i < nseats; i++) {
			if (seats[i].pid <= 0)
				continue;
			if (waitpid(seats[i].pid, NULL, WNOHANG) == seats[i].pid) {
				seats[i].pid = 0;
				close(seats[i].fd);
			} else {
				left++;
			}
		}
		if (!left)
			break;
		bench_sleep_until(bench_now() + 0.1);
	}
	for (i = 0; i < nseats; i++)
		if (seats[i].pid > 0) {
			kill(seats[i].pid, SIGKILL);
			waitpid(seats[i].pid, NULL, 0);
			seats[i].pid = 0;
		}
	if (ref_pid > 0) {
		kill(ref_pid, SIGKILL);
		waitpid(ref_pid, NULL, 0);
		ref_pid = -1;
	}
	if (system("tmux -L bdseats kill-server 2>/dev/null") < 0)
		bench_log("cannot end the supervisor's tmux");
}

static void
on_signal(int sig)
{
	(void)sig;
	exit(130);
}

/* Reads what seat i wrote; notes when its awaited text arrived. */
static void
drain_seat(struct seat *st)
{
	char buf[65536 + TAIL];
	ssize_t n;

	memcpy(buf, st->tail, st->tail_len);
	while ((n = read(st->fd, buf + st->tail_len, sizeof(buf) - st->tail_len)) > 0) {
		size_t len = st->tail_len + (size_t)n;

		if (st->await && memmem(buf, len, st->await, strlen(st->await)))
			st->seen = true;
		st->tail_len = len < TAIL ? len : TAIL;
		memmove(st->tail, buf + len - st->tail_len, st->tail_len);
		memcpy(buf, st->tail, st->tail_len);
	}
}

static void
await(struct seat *st, const char *text)
{
	st->await = text;
	st->seen = false;
	st->tail_len = 0;
}

/* One poll over every seat for at most `ms`. */
static void
pump(int ms)
{
	struct pollfd *p = calloc(nseats + 1, sizeof(*p));
	size_t i, n = 0;

	for (i = 0; i < nseats; i++)
		if (seats[i].pid > 0)
			p[n++] = (struct pollfd){seats[i].fd, POLLIN, 0};
	if (poll(p, n, ms) > 0) {
		n = 0;
		for (i = 0; i < nseats; i++) {
			if (seats[i].pid <= 0)
				continue;
			if (p[n++].revents)
				drain_seat(&seats[i]);
		}
	}
	free(p);
}

static pid_t
spawn(int *fd, char *const argv[])
{
	struct winsize ws = {24, 80, 0, 0};
	pid_t pid = forkpty(fd, NULL, NULL, &ws);

	if (pid < 0)
		bench_die("forkpty: %s", strerror(errno));
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) | O_NONBLOCK);
	return pid;
}

static void
start_seat(struct seat *st, const char *binary, const char *conf)
{
	char *ci = bd_cluster_conninfo(&bench.cluster, st->login, NULL);
	struct strbuf set = STRBUF_INIT;
	struct strbuf log = STRBUF_INIT;
	char *argv[8];

	strbuf_addf(&set, "database.conninfo=%s", ci);
	strbuf_addf(&log, "log.file=%s", app_log);
	argv[0] = (char *)binary;
	argv[1] = "--config";
	argv[2] = (char *)conf;
	argv[3] = "--set";
	argv[4] = set.buf;
	argv[5] = "--set";
	argv[6] = log.buf;
	argv[7] = NULL;
	await(st, "Main menu");
	st->t_fork = bench_now();
	st->pid = spawn(&st->fd, argv);
	strbuf_release(&set);
	strbuf_release(&log);
	free(ci);
}

/* kB of `field` in /proc/PID/smaps_rollup, or -1. */
static long
smaps(long pid, const char *field)
{
	char path[64], line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':')
			v = atol(line + n + 1);
	fclose(f);
	return v;
}

static long
private_kb(long pid)
{
	return smaps(pid, "Private_Clean") + smaps(pid, "Private_Dirty");
}

static long
mem_available_kb(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "MemAvailable:", 13))
			v = atol(line + 13);
	if (f)
		fclose(f);
	return v;
}

/* A clerk's pause before the next step: step_ms, from half to one and a
 * half times it, in seconds. */
static double
jitter(long step_ms)
{
	return (double)step_ms * (0.5 + (double)rand() / RAND_MAX) / 1000.0;
}

static double
percentile(double *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), bench_cmp_double);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

/* The queue board's Done for `batch`, read from the supervisor's screen, or
 * -1 when the row is not there. */
static long
board_done(const char *batch)
{
	char line[512];
	long done = -1;
	FILE *p = popen("tmux -L bdseats capture-pane -p -t sup 2>/dev/null", "r");

	while (p && fgets(line, sizeof(line), p)) {
		char f[9][32];

		if (sscanf(line, "%31s %31s %31s %31s %31s %31s %31s %31s", f[1], f[2], f[3], f[4],
			   f[5], f[6], f[7], f[8]) == 8 &&
		    !strcmp(f[2], batch))
			done = atol(f[8]);
	}
	if (p)
		pclose(p);
	return done;
}

static void
run_cmd(const char *what, const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		bench_die("%s failed (%d): %s", what, rc, cmd);
}

/* The supervisor's board in tmux, ACME, its batch row showing. */
static void
start_supervisor(const char *binary, const char *conf, const char *batch)
{
	char *ci = bd_cluster_conninfo(&bench.cluster, "super1", NULL);
	struct strbuf cmd = STRBUF_INIT;
	double until;

	strbuf_addf(&cmd,
		    "tmux -L %s -f /dev/null new-session -d -s sup -x 80 -y 24 "
		    "\"TERM=xterm-256color '%s' --config '%s' --set \\\"database.conninfo=%s\\\"\"",
		    SUPER_SOCKET, binary, conf, ci);
	run_cmd("the supervisor", cmd.buf);
	/* Choose ACME, then the board (the supervisor menu's first entry). */
	for (until = bench_now() + 60;; bench_sleep_until(bench_now() + 0.2)) {
		FILE *p = popen("tmux -L bdseats capture-pane -p -t sup", "r");
		char line[512];
		bool choose = false, menu = false;

		while (p && fgets(line, sizeof(line), p)) {
			choose = choose || strstr(line, "Choose a client");
			menu = menu || strstr(line, "Main menu");
		}
		if (p)
			pclose(p);
		if (choose)
			run_cmd("keys", "tmux -L bdseats send-keys -t sup -l ACME && "
					"tmux -L bdseats send-keys -t sup Enter");
		if (menu)
			break;
		if (bench_now() > until)
			bench_die("the supervisor never reached the menu");
	}
	run_cmd("keys", "tmux -L bdseats send-keys -t sup -l 1 && "
			"tmux -L bdseats send-keys -t sup Enter");
	until = bench_now() + 60;
	while (board_done(batch) < 0) {
		if (bench_now() > until)
			bench_die("batch %s never showed on the board", batch);
		bench_sleep_until(bench_now() + 0.2);
	}
	strbuf_release(&cmd);
	free(ci);
}

/* The phases of the way to the first screen, from the seats' log lines
 * "first screen N ms after exec: before main A, config B, database C,
 * terminal D, sign-on E, menu F ms; CPU G": the median of each, in
 * medians[0..7] (total, A..F, G). Returns the number of lines read. */
enum { PHASES = 8 };
static const char *const PHASE_NAMES[PHASES] = {"first screen", "before main", "config", "database",
						"terminal",	"sign-on",     "menu",	 "CPU"};

static size_t
first_screen_phases(double medians[PHASES])
{
	char line[1024];
	double *v[PHASES];
	size_t n = 0, cap = nseats + 1, k;
	FILE *f = fopen(app_log, "r");

	for (k = 0; k < PHASES; k++) {
		v[k] = calloc(cap, sizeof(double));
		medians[k] = -1;
	}
	while (f && fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "first screen ");
		double x[PHASES];

		if (!p || n == cap)
			continue;
		if (sscanf(p,
			   "first screen %lf ms after exec: before main %lf, config %lf, database "
			   "%lf, "
			   "terminal %lf, sign-on %lf, menu %lf ms; CPU %lf",
			   &x[0], &x[1], &x[2], &x[3], &x[4], &x[5], &x[6], &x[7]) != PHASES)
			continue;
		for (k = 0; k < PHASES; k++)
			v[k][n] = x[k];
		n++;
	}
	if (f)
		fclose(f);
	for (k = 0; k < PHASES; k++) {
		if (n)
			medians[k] = bench_median(v[k], n);
		free(v[k]);
	}
	return n;
}

/* psql in a pty of its own, signed on as seat0001: the reference session. */
static void
reference_session(long *client_pss, long *client_priv, long *backend_priv, long *backend_pss)
{
	char *ci = bd_cluster_conninfo(&bench.cluster, "seat0001", NULL);
	char psql[256];
	char *argv[] = {psql, "-X", ci, NULL};
	struct bd_db *su = bench_connect(NULL, NULL);
	char *pid;
	int fd;
	double until = bench_now() + 30;
	struct seat st = {0};
	FILE *p =
	    popen("ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1", "r");

	psql[0] = '\0';
	if (!p || !fgets(psql, sizeof(psql), p))
		snprintf(psql, sizeof(psql), "/usr/bin/psql");
	if (p)
		pclose(p);
	psql[strcspn(psql, "\n")] = '\0';
	ref_pid = spawn(&fd, argv);
	st.pid = ref_pid;
	st.fd = fd;
	await(&st, "backdesk=>");
	while (!st.seen && bench_now() < until) {
		struct pollfd pf = {fd, POLLIN, 0};

		if (poll(&pf, 1, 100) > 0)
			drain_seat(&st);
	}
	if (!st.seen)
		bench_die("psql never showed its prompt");
	bench_sleep_until(bench_now() + 1);
	drain_seat(&st);
	*client_pss = smaps(ref_pid, "Pss");
	*client_priv = private_kb(ref_pid);
	pid = bench_value(su,
			  "SELECT pid FROM pg_stat_activity WHERE usename = 'seat0001' "
			  "AND application_name = 'psql'",
			  0, NULL);
	*backend_priv = private_kb(atol(pid));
	*backend_pss = smaps(atol(pid), "Pss");
	free(pid);
	kill(ref_pid, SIGTERM);
	waitpid(ref_pid, NULL, 0);
	ref_pid = -1;
	close(fd);
	bd_db_free(su);
	free(ci);
}

/* The load average of the last minute, or -1: the rows say the load they
 * were measured at (wall times under load are upper bounds). */
static double
load_now(void)
{
	FILE *l = fopen("/proc/loadavg", "r");
	double load = -1;

	if (!l || fscanf(l, "%lf", &load) != 1)
		load = -1;
	if (l)
		fclose(l);
	return load;
}

int
main(int argc, char **argv)
{
	const char *binary = argc > 1 ? argv[1] : NULL, *conf = getenv("BENCH_CONFIG");
	long n = bench_knob("BENCH_SEATS", 500, 50), k = bench_knob("BENCH_KEYING", 200, 20);
	long rest_s = bench_knob("BENCH_REST_S", 60, 10),
	     key_s = bench_knob("BENCH_KEY_S", 150, 90);
	long step_ms = bench_knob("BENCH_STEP_MS", 2000, 2000);
	long sshd_kb = bench_knob("BENCH_SSHD_KB", -1, -1);
	long docs, avail_before, avail_after, ref_cpss, ref_cpriv, ref_bpriv, ref_bpss;
	struct strbuf sql = STRBUF_INIT, cmd = STRBUF_INIT, csv = STRBUF_INIT, a = STRBUF_INIT,
		      b = STRBUF_INIT;
	struct bd_db *su;
	char *batch, *scratch;
	double *ttfs, *cpss, *cpriv, *bpriv, *bpss, *bcpu, *lat, t0, cpu0, cpu1, srv0, srv1;
	double phases[PHASES], load_at_start = -1, load_rest = -1, load_keyed = -1;
	size_t nphases;
	double *obs_t, board_start, kcpu0, kcpu1 = 0, ksrv0, ksrv1 = 0, kspan = 1;
	long *obs_done, done0;
	size_t nobs = 0, cap_obs = 1024, nlat = 0, i, sent = 0, stalls = 0, steps = 0;
	FILE *f;

	if (!binary || !conf)
		return fprintf(stderr, "usage: BENCH_CONFIG=FILE bench_seats BACKDESK_BINARY\n"), 2;
	if (k > n)
		k = n;
	bench_open("bench_seats");
	snprintf(app_log, sizeof(app_log), "/tmp/bdseats-%ld.log", (long)getpid());
	atexit(end_all);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	/* 1. Operators, a batch, and connections enough. */
	su = bench_connect(NULL, NULL);
	strbuf_addf(&sql,
		    "SELECT count(core.operator_add(format('seat%%s', lpad(i::text, 4, '0')), "
		    "'Seat ' || i, 'clerk', '{ACME}')) FROM generate_series(1, %ld) i "
		    "WHERE NOT EXISTS (SELECT 1 FROM core.operators o "
		    "WHERE o.login = format('seat%%s', lpad(i::text, 4, '0')))",
		    n);
	bench_exec(su, sql.buf);
	strbuf_reset(&sql);
	strbuf_addf(&sql, "ALTER SYSTEM SET max_connections = %ld", n + 60);
	bench_statement(su, sql.buf);
	bd_db_free(su);
	{
		struct bd_err err = BD_ERR_INIT;

		if (bd_cluster_stop(&bench.cluster, &err) < 0 ||
		    bd_cluster_start(&bench.cluster, &err) < 0)
			bench_die("restart: %s (%s)", err.msg, err.detail);
	}
	docs = k * (key_s * 1000 / (step_ms * (long)NELEM(CLAIM)) + 3);
	scratch = bench_scratch();
	strbuf_addf(&csv, "%s/seats.csv", scratch);
	if (!(f = fopen(csv.buf, "w")))
		bench_die("cannot write %s", csv.buf);
	fprintf(f, "external_ref,source\n");
	for (i = 1; i <= (size_t)docs; i++)
		fprintf(f, "SEAT-%06zu,/scans/seat/%06zu.tif\n", i, i);
	fclose(f);
	strbuf_addf(&cmd,
		    "'%s' --config '%s' --user super1 batch import ACME claim '%s' --mode single "
		    "--priority 99 --sla 4 2>&1 | sed -n 's/^batch \\([0-9]*\\):.*/\\1/p' > "
		    "'%s/batch'",
		    binary, conf, csv.buf, scratch);
	run_cmd("batch import", cmd.buf);
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "%s/batch", scratch);
	if (!(f = fopen(cmd.buf, "r")))
		bench_die("no batch id");
	batch = calloc(1, 32);
	if (!fgets(batch, 32, f) || !*batch)
		bench_die("the import printed no batch id");
	fclose(f);
	batch[strcspn(batch, "\n")] = '\0';
	unlink(cmd.buf);
	unlink(csv.buf);
	rmdir(scratch);
	bench_log("%ld seats, %ld keying, batch %s of %ld claims", n, k, batch, docs);

	/* 2. Seats, one after another, then the supervisor. */
	load_at_start = load_now();
	avail_before = mem_available_kb();
	seats = calloc((size_t)n, sizeof(*seats));
	ttfs = calloc((size_t)n + 1, sizeof(*ttfs));
	for (i = 0; i < (size_t)n; i++) {
		struct seat *st = &seats[i];
		double until;

		snprintf(st->login, sizeof(st->login), "seat%04zu", i + 1);
		st->f2 = calloc(MAX_F2, sizeof(*st->f2));
		nseats = i + 1;
		start_seat(st, binary, conf);
		until = st->t_fork + 60;
		while (!st->seen) {
			if (bench_now() > until)
				bench_die("%s never showed the main menu", st->login);
			pump(50);
		}
		st->t_first = bench_now();
		st->state = S_MENU;
		ttfs[i] = (st->t_first - st->t_fork) * 1000;
		if ((i + 1) % 50 == 0)
			bench_log("%zu seats open", i + 1);
	}
	start_supervisor(binary, conf, batch);
	t0 = bench_now();
	while (bench_now() < t0 + 2)
		pump(100);
	avail_after = mem_available_kb();

	/* 3. Memory. */
	cpss = calloc((size_t)n, sizeof(double));
	cpriv = calloc((size_t)n, sizeof(double));
	bpriv = calloc((size_t)n, sizeof(double));
	bpss = calloc((size_t)n, sizeof(double));
	bcpu = calloc((size_t)n, sizeof(double));
	su = bench_connect(NULL, NULL);
	for (i = 0; i < (size_t)n; i++) {
		const char *params[1] = {seats[i].login};
		char *pid = bench_value(su,
					"SELECT coalesce(min(pid), 0) FROM pg_stat_activity "
					"WHERE usename = $1",
					1, params);

		cpss[i] = (double)smaps(seats[i].pid, "Pss");
		cpriv[i] = (double)private_kb(seats[i].pid);
		bpriv[i] = (double)private_kb(atol(pid));
		bpss[i] = (double)smaps(atol(pid), "Pss");
		/* all of its CPU so far: the sign-on (a backend at rest costs none) */
		bcpu[i] = bench_proc_run_seconds(atol(pid)) * 1000;
		free(pid);
	}
	reference_session(&ref_cpss, &ref_cpriv, &ref_bpriv, &ref_bpss);

	/* 4. CPU at rest. */
	cpu0 = 0;
	for (i = 0; i < (size_t)n; i++)
		cpu0 += bench_proc_cpu_seconds(seats[i].pid);
	srv0 = bench_server_cpu_seconds();
	t0 = bench_now();
	while (bench_now() < t0 + (double)rest_s)
		pump(200);
	cpu1 = 0;
	for (i = 0; i < (size_t)n; i++)
		cpu1 += bench_proc_cpu_seconds(seats[i].pid);
	srv1 = bench_server_cpu_seconds();
	load_rest = load_now();
	{
		double span = bench_now() - t0;
		double client_pct = (cpu1 - cpu0) / span * 100,
		       server_pct = (srv1 - srv0) / span * 100;

		bench_log("at rest over %.1f s: clients %.2f%%, server %.2f%% of one core", span,
			  client_pct, server_pct);
		cpu1 = client_pct;
		srv1 = server_pct;
	}

	/* 5. Keying. */
	board_start = now_real();
	done0 = board_done(batch);
	obs_t = calloc(cap_obs, sizeof(*obs_t));
	obs_done = calloc(cap_obs, sizeof(*obs_done));
	for (i = 0; i < (size_t)k; i++) {
		struct seat *st = &seats[i];

		/* Each opens its form at a moment of its own, spread over a whole
		 * claim's time, so forms and F2s do not come in waves. */
		st->next = bench_now() + (double)rand() / RAND_MAX * (double)step_ms *
					     (double)NELEM(CLAIM) / 1000.0;
	}
	t0 = bench_now();
	kcpu0 = 0;
	for (i = 0; i < (size_t)k; i++)
		kcpu0 += bench_proc_cpu_seconds(seats[i].pid);
	ksrv0 = bench_server_cpu_seconds();
	{
		double next_board = 0, end = t0 + (double)key_s;

		while (bench_now() < end + 3) {
			double now = bench_now();
			bool keying = now < end;

			for (i = 0; i < (size_t)k; i++) {
				struct seat *st = &seats[i];

				if (st->state == S_MENU && keying && now >= st->next) {
					await(st, "Patient name");
					if (write(st->fd, "1\r", 2) != 2)
						bench_die("write to %s", st->login);
					st->state = S_OPENING;
				}
				if (st->state == S_OPENING && st->seen) {
					st->state = S_KEYING;
					st->step = 0;
				}
				if (st->state == S_AFTER_F2 && (st->seen || now > st->next + 5)) {
					if (!st->seen)
						st->stalls++;
					st->state = S_KEYING;
					st->step = 0;
					st->next = now + jitter(step_ms);
				}
				if (!keying || st->state != S_KEYING || now < st->next)
					continue;
				{
					const char *s = CLAIM[st->step];
					size_t len = strlen(s);

					if (st->step == NELEM(CLAIM) - 1) {
						await(st, "SEAT-");
						if (st->nf2 < MAX_F2)
							st->f2[st->nf2++] = now_real();
						st->state = S_AFTER_F2;
						sent++;
					}
					if (write(st->fd, s, len) != (ssize_t)len)
						bench_die("write to %s", st->login);
					st->step++;
					steps++;
					st->next = now + jitter(step_ms);
				}
			}
			if (now >= next_board) {
				long d = board_done(batch);

				next_board = now + 0.1;
				if (d >= 0 && (!nobs || d != obs_done[nobs - 1])) {
					if (nobs == cap_obs) {
						cap_obs *= 2;
						obs_t = realloc(obs_t, cap_obs * sizeof(*obs_t));
						obs_done =
						    realloc(obs_done, cap_obs * sizeof(*obs_done));
					}
					obs_t[nobs] = now_real();
					obs_done[nobs++] = d;
				}
			}
			pump(10);
			if (keying && bench_now() >= end) {
				kspan = bench_now() - t0;
				for (i = 0; i < (size_t)k; i++)
					kcpu1 += bench_proc_cpu_seconds(seats[i].pid);
				ksrv1 = bench_server_cpu_seconds();
				load_keyed = load_now();
			}
		}
	}
	for (i = 0; i < (size_t)k; i++)
		stalls += seats[i].stalls;

	/* Latency: pass of rank r (by submit time) is on the board when Done
	 * first reaches done0 + r; its F2 is its clerk's i-th. */
	lat = calloc(sent + 1, sizeof(*lat));
	{
		struct bd_err err = BD_ERR_INIT;
		const char *params[1] = {batch};
		struct bd_db_result *res = bd_db_adhoc(
		    su,
		    "SELECT p.operator FROM entry.passes p WHERE p.batch_id = $1::bigint "
		    "ORDER BY p.submitted_at, p.document_id",
		    1, params, &err);
		size_t *seen_of = calloc((size_t)n + 1, sizeof(*seen_of));
		int r;

		if (!res)
			bench_die("passes: %s (%s)", err.msg, err.detail);
		for (r = 0; r < bd_db_result_rows(res); r++) {
			const char *op = bd_db_result_get(res, r, 0);
			size_t s = (size_t)atol(op + 4) - 1, j;

			if (strncmp(op, "seat", 4) || s >= (size_t)k || seen_of[s] >= seats[s].nf2)
				continue;
			for (j = 0; j < nobs && obs_done[j] < done0 + r + 1; j++)
				;
			if (j < nobs)
				lat[nlat++] = (obs_t[j] - seats[s].f2[seen_of[s]]) * 1000;
			seen_of[s]++;
		}
		bench_log("%zu F2s sent, %d passes in the batch, %zu matched to a board redraw, "
			  "%zu waits for the next form over 5 s, board read %zu times changed",
			  sent, bd_db_result_rows(res), nlat, stalls, nobs);
		bd_db_result_free(res);
		free(seen_of);
	}
	(void)board_start;
	bd_db_free(su);

	/* Results. */
	{
		char bench_name[96], v[160], ref[160];
		double c_pss = bench_median(cpss, (size_t)n),
		       c_priv = bench_median(cpriv, (size_t)n);
		double b_priv = bench_median(bpriv, (size_t)n),
		       b_pss = bench_median(bpss, (size_t)n);
		double per_seat = (double)(avail_before - avail_after) / (double)n;
		double total = c_priv + b_priv + (sshd_kb > 0 ? (double)sshd_kb : 0);

		snprintf(bench_name, sizeof(bench_name), "Seats: %ld operators on one host (ptys)",
			 n);
		snprintf(v, sizeof(v), "%.0f kB (Pss %.0f kB)", c_priv, c_pss);
		snprintf(ref, sizeof(ref), "%ld kB (Pss %ld kB) psql", ref_cpriv, ref_cpss);
		bench_row(bench_name, "client private memory per operator, median", v, ref,
			  ref_cpriv > 0 ? c_priv / (double)ref_cpriv : -1, "<= 2.5 MB",
			  bench_met(c_priv <= 2560));
		snprintf(v, sizeof(v), "%.0f kB (Pss %.0f kB)", b_priv, b_pss);
		snprintf(ref, sizeof(ref), "%ld kB (Pss %ld kB) psql's", ref_bpriv, ref_bpss);
		bench_row(bench_name, "its backend's private memory, median", v, ref,
			  ref_bpriv > 0 ? b_priv / (double)ref_bpriv : -1, "-", "-");
		snprintf(v, sizeof(v), "%.0f kB%s", total,
			 sshd_kb > 0 ? " (client + backend + sshd)"
				     : " (client + backend; no sshd)");
		if (sshd_kb > 0)
			snprintf(ref, sizeof(ref), "sshd %ld kB per session", sshd_kb);
		else
			snprintf(ref, sizeof(ref), "-");
		bench_row(bench_name, "private memory per operator, all its processes", v, ref, -1,
			  "<= 6 MB", sshd_kb > 0 ? bench_met(total <= 6144) : "-");
		snprintf(v, sizeof(v), "%.0f kB", per_seat);
		bench_row(bench_name, "MemAvailable lost per seat (kernel and all)", v, "-", -1,
			  "-", "-");
		snprintf(v, sizeof(v), "median %.0f ms, p95 %.0f ms, max %.0f ms",
			 percentile(ttfs, (size_t)n, 0.5), percentile(ttfs, (size_t)n, 0.95),
			 percentile(ttfs, (size_t)n, 1.0));
		snprintf(ref, sizeof(ref), "load %.1f when the seats started", load_at_start);
		bench_row(bench_name, "time to the first screen (exec to main menu)", v, ref, -1,
			  "<= 100 ms", bench_met(percentile(ttfs, (size_t)n, 0.95) <= 100));
		nphases = first_screen_phases(phases);
		if (nphases) {
			struct strbuf ph = STRBUF_INIT;
			size_t ki;

			for (ki = 1; ki < PHASES - 1; ki++)
				strbuf_addf(&ph, "%s%s %.1f", ki > 1 ? ", " : "", PHASE_NAMES[ki],
					    phases[ki]);
			strbuf_addf(&ph, " ms (medians of %zu)", nphases);
			snprintf(ref, sizeof(ref),
				 "CPU to the first screen: client %.1f ms, its backend %.1f ms",
				 phases[PHASES - 1], bench_median(bcpu, (size_t)n));
			bench_row(bench_name, "first screen, phase by phase (the app's log)",
				  ph.buf, ref, -1, "-", "-");
			strbuf_release(&ph);
		}
		snprintf(v, sizeof(v), "%.2f%% (clients %.2f%%, server %.2f%%)", cpu1 + srv1, cpu1,
			 srv1);
		snprintf(ref, sizeof(ref), "over %ld s, load %.1f", rest_s, load_rest);
		bench_row(bench_name, "CPU at rest, % of one core", v, ref, -1, "< 2%",
			  bench_met(cpu1 + srv1 < 2));
		snprintf(bench_name, sizeof(bench_name),
			 "Seats: %ld keying of %ld, a step each %ld ms", k, n, step_ms);
		snprintf(v, sizeof(v),
			 "clients %.1f%% (%.3f%% a clerk), server %.1f%% (%.2f ms a field or key)",
			 (kcpu1 - kcpu0) / kspan * 100, (kcpu1 - kcpu0) / kspan * 100 / (double)k,
			 (ksrv1 - ksrv0) / kspan * 100,
			 steps ? (ksrv1 - ksrv0) * 1000 / (double)steps : 0.0);
		snprintf(ref, sizeof(ref), "over %.0f s: %zu fields or keys, %zu F2s; load %.1f",
			 kspan, steps, sent, load_keyed);
		bench_row(bench_name, "CPU while keying, % of one core", v, ref, -1, "-", "-");
		snprintf(v, sizeof(v), "median %.0f ms, p95 %.0f ms, max %.0f ms (%zu F2s)",
			 percentile(lat, nlat, 0.5), percentile(lat, nlat, 0.95),
			 percentile(lat, nlat, 1.0), nlat);
		bench_row(bench_name, "clerk's F2 to the supervisor board's redraw", v,
			  "read every 100 ms", -1, "<= 1 s",
			  bench_met(nlat > 0 && percentile(lat, nlat, 0.95) <= 1000));
	}
	end_all();
	for (i = 0; i < (size_t)n; i++)
		free(seats[i].f2);
	free(seats);
	seats = NULL;
	nseats = 0;
	free(ttfs);
	free(cpss);
	free(cpriv);
	free(bpriv);
	free(bpss);
	free(bcpu);
	free(lat);
	unlink(app_log);
	free(obs_t);
	free(obs_done);
	free(batch);
	free(scratch);
	strbuf_release(&sql);
	strbuf_release(&cmd);
	strbuf_release(&csv);
	strbuf_release(&a);
	strbuf_release(&b);
	bench_close();
	return 0;
}
