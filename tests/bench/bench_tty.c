/*
 * Bytes on the wire: runs a program in a pseudo-terminal at 80x24 and counts
 * what it writes for a full first draw and for each ordinary keystroke, the
 * cost an operator pays on a slow offshore SSH link.
 *
 *   bench_tty [--nav KEYS]... [--type TEXT] [--probe CMD] -- PROGRAM ARGS...
 *
 * --nav keys are sent one group at a time (waiting for the screen to settle
 * after each) to reach a form; --type characters are then sent one by one
 * and the bytes each causes are counted. KEYS understands \r, \e, \t and
 * \f (Ctrl-L, the redraw key).
 * Prints: full_draw_bytes (the first screen), nav_bytes_N (what the Nth
 * --nav group caused), per_key_mean, per_key_max (machine-readable
 * "name value" lines). TERM is taken from the environment.
 * --probe runs the shell command CMD just before the first typed key and
 * again after the last one has settled, and prints the first line of its
 * output each time as probe_before and probe_after (run.sh asks the
 * database whether the program sent it anything while keys were typed).
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { SETTLE_MS = 400, FIRST_WAIT_MS = 20000, MAX_STEPS = 64 };

/* Reads until the program has been quiet for SETTLE_MS (or `first_ms`
 * passed without any output); returns the bytes read. */
static long
drain(int fd, int first_ms)
{
	char buf[65536];
	long total = 0;
	int timeout = first_ms;

	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		int r = poll(&p, 1, timeout);
		ssize_t n;

		if (r <= 0)
			return total;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return total;
		total += n;
		timeout = SETTLE_MS;
	}
}

static void
probe(const char *cmd, const char *name)
{
	char line[4096] = "";
	FILE *p;

	if (!cmd)
		return;
	p = popen(cmd, "r");
	if (!p || !fgets(line, sizeof(line), p))
		line[0] = '\0';
	if (p)
		pclose(p);
	line[strcspn(line, "\r\n")] = '\0';
	printf("%s %s\n", name, line);
}

static size_t
unescape(const char *in, char *out)
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in == '\\' && in[1]) {
			in++;
			out[n++] = *in == 'r'	? '\r'
				   : *in == 'e' ? '\033'
				   : *in == 't' ? '\t'
				   : *in == 'f' ? '\f'
						: *in;
		} else {
			out[n++] = *in;
		}
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct winsize ws = {24, 80, 0, 0};
	const char *nav[MAX_STEPS], *type = "", *probe_cmd = NULL;
	size_t nnav = 0, i;
	long full, sum = 0, max = 0, nav_bytes[MAX_STEPS];
	int fd, status, a;
	pid_t pid;

	for (a = 1; a < argc && strcmp(argv[a], "--"); a++) {
		if (!strcmp(argv[a], "--nav") && a + 1 < argc && nnav < MAX_STEPS)
			nav[nnav++] = argv[++a];
		else if (!strcmp(argv[a], "--type") && a + 1 < argc)
			type = argv[++a];
		else if (!strcmp(argv[a], "--probe") && a + 1 < argc)
			probe_cmd = argv[++a];
		else
			return fprintf(stderr, "usage: bench_tty [--nav KEYS]... [--type TEXT] "
					       "[--probe CMD] -- "
					       "PROGRAM ARGS...\n"),
			       2;
	}
	if (a + 1 >= argc)
		return fprintf(stderr, "bench_tty: no program\n"), 2;
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0)
		return perror("forkpty"), 1;
	if (pid == 0) {
		execvp(argv[a + 1], argv + a + 1);
		_exit(127);
	}
	full = drain(fd, FIRST_WAIT_MS);
	for (i = 0; i < nnav; i++) {
		char keys[256];
		size_t n = unescape(nav[i], keys);

		if (write(fd, keys, n) != (ssize_t)n)
			return perror("write"), 1;
		nav_bytes[i] = drain(fd, 5000);
	}
	probe(probe_cmd, "probe_before");
	for (i = 0; type[i]; i++) {
		long n;

		if (write(fd, type + i, 1) != 1)
			return perror("write"), 1;
		n = drain(fd, 5000);
		sum += n;
		if (n > max)
			max = n;
	}
	probe(probe_cmd, "probe_after");
	printf("full_draw_bytes %ld\n", full);
	for (i = 0; i < nnav; i++)
		printf("nav_bytes_%zu %ld\n", i + 1, nav_bytes[i]);
	if (type[0]) {
		printf("per_key_mean %.1f\n", (double)sum / (double)strlen(type));
		printf("per_key_max %ld\n", max);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	close(fd);
	return 0;
}
