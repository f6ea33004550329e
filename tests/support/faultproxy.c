/* The fault proxy: see faultproxy.h. One thread, one poll(). */
#include "faultproxy.h"

#include "backdesk/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

enum { MAX_PAIRS = 512, BUF = 16384 };

struct pair {
	int cfd, sfd; /* client side, server side */
};

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "faultproxy: %s: %s\n", what, strerror(errno));
	abort();
}

static int
unix_socket(const char *path, bool listening)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (listening) {
		unlink(path);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 128) < 0)
			die("bind");
		chmod(path, 0777);
	} else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
close_pair(struct pair *p)
{
	close(p->cfd);
	close(p->sfd);
	p->cfd = p->sfd = -1;
}

/* Copies what `from` has to `to`: false when either side is done. */
static bool
forward(int from, int to)
{
	char buf[BUF];
	ssize_t n = read(from, buf, sizeof(buf)), off = 0;

	if (n <= 0)
		return false;
	while (off < n) {
		/* MSG_NOSIGNAL: a peer gone (a cut, a killed server) is an
		 * error here, not a SIGPIPE that would end the test process. */
		ssize_t w = send(to, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		off += w;
	}
	return true;
}

static void *
run(void *arg)
{
	struct faultproxy *fp = arg;
	struct pair *pairs = xcalloc(MAX_PAIRS, sizeof(*pairs));
	struct pollfd *fds = xcalloc(2 * MAX_PAIRS + 2, sizeof(*fds));
	int *who = xcalloc(2 * MAX_PAIRS + 2, sizeof(*who));
	size_t npairs = 0, i;

	for (;;) {
		enum faultproxy_mode mode;
		bool drop, stop;
		size_t nfds = 0;

		pthread_mutex_lock(&fp->lock);
		mode = fp->mode;
		drop = fp->drop_all;
		stop = fp->stop;
		fp->drop_all = false;
		pthread_mutex_unlock(&fp->lock);
		if (drop || stop) {
			for (i = 0; i < npairs; i++)
				close_pair(&pairs[i]);
			npairs = 0;
		}
		if (stop)
			break;
		fds[nfds].fd = fp->wake[0];
		fds[nfds++].events = POLLIN;
		fds[nfds].fd = fp->listen_fd;
		fds[nfds++].events = POLLIN;
		for (i = 0; mode == FAULTPROXY_PASS && i < npairs; i++) {
			who[nfds] = (int)i;
			fds[nfds].fd = pairs[i].cfd;
			fds[nfds++].events = POLLIN;
			who[nfds] = (int)i;
			fds[nfds].fd = pairs[i].sfd;
			fds[nfds++].events = POLLIN;
		}
		if (poll(fds, nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (fds[0].revents) {
			char c[64];

			if (read(fp->wake[0], c, sizeof(c)) < 0 && errno != EAGAIN)
				die("read");
		}
		if (fds[1].revents && npairs < MAX_PAIRS) {
			int cfd = accept4(fp->listen_fd, NULL, NULL, SOCK_CLOEXEC);
			int sfd = cfd >= 0 ? unix_socket(fp->target, false) : -1;

			if (cfd >= 0 && sfd < 0)
				close(cfd); /* the server is away: so is the connection */
			else if (cfd >= 0) {
				pairs[npairs].cfd = cfd;
				pairs[npairs++].sfd = sfd;
				pthread_mutex_lock(&fp->lock);
				fp->accepted++;
				pthread_mutex_unlock(&fp->lock);
			}
		}
		for (i = 2; i < nfds; i++) {
			struct pair *p = &pairs[who[i]];
			bool from_server = fds[i].fd == p->sfd, cut = false;

			if (!fds[i].revents || p->cfd < 0)
				continue;
			if (from_server) {
				pthread_mutex_lock(&fp->lock);
				if ((cut = fp->cut_reply)) {
					fp->cut_reply = false;
					fp->cuts++;
				}
				pthread_mutex_unlock(&fp->lock);
			}
			if (cut || !forward(fds[i].fd, from_server ? p->cfd : p->sfd))
				close_pair(p);
		}
		/* Closed pairs leave the list (keeping the order of the others). */
		for (i = 0; i < npairs;) {
			if (pairs[i].cfd < 0) {
				memmove(&pairs[i], &pairs[i + 1],
					(npairs - i - 1) * sizeof(*pairs));
				npairs--;
			} else {
				i++;
			}
		}
	}
	free(who);
	free(fds);
	free(pairs);
	return NULL;
}

static void
wake(struct faultproxy *fp)
{
	if (write(fp->wake[1], "x", 1) < 0 && errno != EAGAIN)
		die("write");
}

void
faultproxy_start(struct faultproxy *fp, const char *dir, const char *socket_dir)
{
	char path[200];

	memset(fp, 0, sizeof(*fp));
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		die("mkdir");
	chmod(dir, 0777);
	fp->dir = xstrdup(dir);
	snprintf(path, sizeof(path), "%s/.s.PGSQL.5432", socket_dir);
	fp->target = xstrdup(path);
	snprintf(path, sizeof(path), "%s/.s.PGSQL.5432", dir);
	fp->listen_fd = unix_socket(path, true);
	if (pipe2(fp->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		die("pipe");
	pthread_mutex_init(&fp->lock, NULL);
	if (pthread_create(&fp->thread, NULL, run, fp) != 0)
		die("pthread_create");
}

void
faultproxy_stop(struct faultproxy *fp)
{
	char path[200];

	pthread_mutex_lock(&fp->lock);
	fp->stop = true;
	pthread_mutex_unlock(&fp->lock);
	wake(fp);
	pthread_join(fp->thread, NULL);
	close(fp->listen_fd);
	close(fp->wake[0]);
	close(fp->wake[1]);
	snprintf(path, sizeof(path), "%s/.s.PGSQL.5432", fp->dir);
	unlink(path);
	rmdir(fp->dir);
	pthread_mutex_destroy(&fp->lock);
	free(fp->dir);
	free(fp->target);
}

void
faultproxy_mode(struct faultproxy *fp, enum faultproxy_mode mode)
{
	pthread_mutex_lock(&fp->lock);
	fp->mode = mode;
	pthread_mutex_unlock(&fp->lock);
	wake(fp);
}

void
faultproxy_drop_all(struct faultproxy *fp)
{
	pthread_mutex_lock(&fp->lock);
	fp->drop_all = true;
	pthread_mutex_unlock(&fp->lock);
	wake(fp);
}

void
faultproxy_cut_next_reply(struct faultproxy *fp)
{
	pthread_mutex_lock(&fp->lock);
	fp->cut_reply = true;
	pthread_mutex_unlock(&fp->lock);
	wake(fp);
}

int
faultproxy_cuts(struct faultproxy *fp)
{
	int n;

	pthread_mutex_lock(&fp->lock);
	n = fp->cuts;
	pthread_mutex_unlock(&fp->lock);
	return n;
}
