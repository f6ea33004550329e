#ifndef BACKDESK_TEST_FAULTPROXY_H
#define BACKDESK_TEST_FAULTPROXY_H
/*
 * A proxy between libpq and the test cluster's Unix socket, for tests that
 * cut the network: clients connect to host=<fp->dir> (its socket is
 * <dir>/.s.PGSQL.5432) and every byte is passed on to the cluster's socket,
 * until the test tells the proxy to misbehave. It runs in a thread of the
 * test process; the clients may be other processes.
 */
#include <pthread.h>
#include <stdbool.h>

enum faultproxy_mode {
	FAULTPROXY_PASS = 0,
	/* Nothing passes either way and the connections stay open, as when a
	 * link goes dark: each side waits (until PASS again). */
	FAULTPROXY_BLACKHOLE,
};

struct faultproxy {
	char *dir;    /* where the proxy's socket is: the clients' host */
	char *target; /* the cluster's socket file */
	int listen_fd, wake[2];
	pthread_t thread;
	pthread_mutex_t lock;
	enum faultproxy_mode mode;
	bool drop_all, cut_reply, stop;
	int cuts;     /* replies cut so far */
	int accepted; /* connections accepted so far */
};

/* Starts a proxy in directory `dir` (created) to the cluster whose sockets
 * are in `socket_dir`. Aborts on failure. */
void faultproxy_start(struct faultproxy *fp, const char *dir, const char *socket_dir);
void faultproxy_stop(struct faultproxy *fp);

void faultproxy_mode(struct faultproxy *fp, enum faultproxy_mode mode);
/* Closes every connection now, both sides (new ones pass). */
void faultproxy_drop_all(struct faultproxy *fp);
/* The next reply any server sends is thrown away and its connection closed,
 * both sides: the server has done the work, the client never hears of it. */
void faultproxy_cut_next_reply(struct faultproxy *fp);
int faultproxy_cuts(struct faultproxy *fp);

#endif
