/*
 * A run's payslip PDFs on every core of the host (payslip_pdf.h,
 * bd_payslip_pdf_files): a thread per core, each with its own renderer (a
 * renderer's fonts and pango context are one thread's), taking the next
 * payslip from a shared counter. Only the calling thread reports progress,
 * so a screen's callback never runs on another thread.
 */
#include "backdesk/payslip_pdf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 16

struct batch {
	const struct bd_payslip *slips;
	const char *const *paths;
	size_t n;
	atomic_size_t next, done;
	atomic_bool failed;
	pthread_mutex_t lock;
	struct bd_err err; /* the first failure */
};

static void
fail(struct batch *b, const struct bd_err *err)
{
	pthread_mutex_lock(&b->lock);
	if (!atomic_load(&b->failed)) {
		b->err = *err;
		atomic_store(&b->failed, true);
	}
	pthread_mutex_unlock(&b->lock);
}

/* Renders payslips until none is left or one failed; progress from the
 * calling thread only (arg NULL elsewhere). */
static void
render(struct batch *b, struct bd_payslip_renderer *r, void (*progress)(void *, size_t, size_t),
       void *arg)
{
	struct bd_err err = BD_ERR_INIT;
	time_t last = time(NULL);
	size_t i;

	while (!atomic_load(&b->failed) && (i = atomic_fetch_add(&b->next, 1)) < b->n) {
		if (bd_payslip_pdf_file(r, &b->slips[i], b->paths[i], &err) < 0) {
			fail(b, &err);
			return;
		}
		atomic_fetch_add(&b->done, 1);
		if (progress && time(NULL) != last) {
			last = time(NULL);
			progress(arg, atomic_load(&b->done), b->n);
		}
	}
}

/* No renderer (the output module is missing): the shims' own message
 * (output_module.c), which a NULL renderer gets. */
static void
no_renderer(struct bd_err *err)
{
	(void)bd_payslip_pdf_file(NULL, NULL, NULL, err);
}

static void *
worker(void *arg)
{
	struct batch *b = arg;
	struct bd_payslip_renderer *r = bd_payslip_renderer_new();
	struct bd_err err = BD_ERR_INIT;

	if (!r) {
		no_renderer(&err);
		fail(b, &err);
		return NULL;
	}
	render(b, r, NULL, NULL);
	bd_payslip_renderer_free(r);
	return NULL;
}

int
bd_payslip_pdf_files(const struct bd_payslip *slips, const char *const *paths, size_t n,
		     int threads, void (*progress)(void *arg, size_t done, size_t total), void *arg,
		     size_t *count, struct bd_err *err)
{
	struct batch b = {.slips = slips, .paths = paths, .n = n};
	struct bd_payslip_renderer *r;
	pthread_t tid[MAX_THREADS];
	int started = 0, i;

	if (threads < 1) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cores > 0 ? (int)cores : 1;
	}
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if ((size_t)threads > n)
		threads = n ? (int)n : 1;
	atomic_init(&b.next, 0);
	atomic_init(&b.done, 0);
	atomic_init(&b.failed, false);
	pthread_mutex_init(&b.lock, NULL);
	/* this thread's renderer first: it loads the output module, once */
	if (!(r = bd_payslip_renderer_new())) {
		pthread_mutex_destroy(&b.lock);
		no_renderer(err);
		return -1;
	}
	for (i = 1; i < threads; i++)
		if (pthread_create(&tid[started], NULL, worker, &b) == 0)
			started++;
	render(&b, r, progress, arg);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	bd_payslip_renderer_free(r);
	pthread_mutex_destroy(&b.lock);
	*count = atomic_load(&b.done);
	if (atomic_load(&b.failed)) {
		*err = b.err;
		return -1;
	}
	if (progress)
		progress(arg, n, n);
	return 0;
}
