/*
 * The picture in a region of the screen, as sixel graphics. See
 * include/backdesk/ui_image.h.
 */
#include "backdesk/ui_image.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "backdesk/config.h"
#include "backdesk/log.h"
#include "backdesk/xalloc.h"
#include "ui_internal.h"

#define CACHE_SIZE 8
#define IMAGE_COLORS 16

/* Terminals known to show sixel graphics, by TERM's start. */
static const char *const sixel_terms[] = {"foot",   "mlterm",	     "wezterm",	    "contour",
					  "yaft",   "mintty",	     "xterm-sixel", "ms-terminal",
					  "iTerm2", "konsole-sixel", NULL};

enum bd_ui_image_mode
bd_ui_image_mode_for(const char *setting, const char *term)
{
	size_t i;

	if (setting && !strcmp(setting, "off"))
		return BD_UI_IMAGE_NONE;
	if (setting && !strcmp(setting, "sixel"))
		return BD_UI_IMAGE_SIXEL;
	if (!term)
		return BD_UI_IMAGE_NONE;
	for (i = 0; sixel_terms[i]; i++)
		if (!strncmp(term, sixel_terms[i], strlen(sixel_terms[i])))
			return BD_UI_IMAGE_SIXEL;
	return BD_UI_IMAGE_NONE;
}

/* A part of the page drawn for a region: the key, and its sixel bytes. */
struct entry {
	long long id; /* 0: free */
	int out_w, out_h;
	int x, y, w, h; /* the part, rounded to pixels */
	struct strbuf bytes;
};

struct job {
	pthread_t thread;
	int wfd;
	long long page_id;
	struct strbuf png;
	struct entry e;
	struct bd_err err;
	int rc;
};

struct ui_image {
	enum bd_ui_image_mode mode;
	/* the page */
	long long page_id;
	struct strbuf png;
	int page_w, page_h;
	/* the provider and the view it belongs to */
	void (*want)(struct bd_ui *, void *);
	void *ctx;
	int view; /* index of its view: ui->views[view] */
	/* placed region (cells) and what goes there */
	int row, col, rows, cols;
	char *title;
	struct entry wanted; /* key of the part wanted (no bytes) */
	struct entry cache[CACHE_SIZE];
	long long next_id;
	long long shown;	     /* cache id on the screen, 0: none */
	unsigned long gen, sent_gen; /* covers of the region, and at the last send */
	bool framed;
	/* the worker */
	int pipe[2];
	int watch;
	struct job *job;
	bool pending; /* wanted is not cached and waits for the worker */
};

static bool
same_key(const struct entry *a, const struct entry *b)
{
	return a->out_w == b->out_w && a->out_h == b->out_h && a->x == b->x && a->y == b->y &&
	       a->w == b->w && a->h == b->h;
}

void
ui_image_open(struct bd_ui *ui, const struct bd_config *cfg)
{
	struct ui_image *im = xcalloc(1, sizeof(*im));

	im->mode =
	    bd_ui_image_mode_for(cfg ? bd_config_str(cfg, "display.images") : NULL, getenv("TERM"));
	strbuf_init(&im->png, 0);
	im->pipe[0] = im->pipe[1] = -1;
	im->watch = -1;
	im->view = -1;
	im->next_id = 1;
	ui->image = im;
	/* curses must not shift the cells of a line sideways (insert or delete
	 * character): that would move the picture's cells with the text */
	if (im->mode != BD_UI_IMAGE_NONE)
		idcok(stdscr, FALSE);
}

static void
job_free(struct job *j)
{
	strbuf_release(&j->png);
	strbuf_release(&j->e.bytes);
	free(j);
}

static void
forget_cache(struct ui_image *im)
{
	size_t i;

	for (i = 0; i < CACHE_SIZE; i++) {
		strbuf_release(&im->cache[i].bytes);
		memset(&im->cache[i], 0, sizeof(im->cache[i]));
	}
	im->shown = 0;
}

void
ui_image_close(struct bd_ui *ui)
{
	struct ui_image *im = ui->image;
	char c;

	if (!im)
		return;
	if (im->job) {
		/* a render in flight: it ends on its own; wait for it */
		while (read(im->pipe[0], &c, 1) < 0 && (errno == EINTR || errno == EAGAIN)) {
			struct timespec ts = {0, 5000000};

			nanosleep(&ts, NULL);
		}
		pthread_join(im->job->thread, NULL);
		job_free(im->job);
	}
	if (im->pipe[0] >= 0) {
		close(im->pipe[0]);
		close(im->pipe[1]);
	}
	forget_cache(im);
	strbuf_release(&im->png);
	free(im->title);
	free(im);
	ui->image = NULL;
}

enum bd_ui_image_mode
bd_ui_image_mode(const struct bd_ui *ui)
{
	return ui->image ? ui->image->mode : BD_UI_IMAGE_NONE;
}

void
bd_ui_image_geometry(const struct bd_ui *ui, int *cell_w, int *cell_h, int *lines, int *cols)
{
	struct winsize ws;

	*cell_w = 10;
	*cell_h = 20;
	if (ioctl(fileno(ui->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row &&
	    ws.ws_xpixel >= ws.ws_col * 4 && ws.ws_ypixel >= ws.ws_row * 6) {
		*cell_w = ws.ws_xpixel / ws.ws_col;
		*cell_h = ws.ws_ypixel / ws.ws_row;
	}
	*lines = LINES;
	*cols = COLS;
}

void
ui_image_touch(struct bd_ui *ui)
{
	if (ui->image)
		ui->image->gen++;
}

static void
hide(struct bd_ui *ui)
{
	struct ui_image *im = ui->image;

	if (im->rows && im->framed)
		ui_repaint(ui, false); /* the views draw what the region hid */
	im->rows = 0;
	im->framed = false;
	im->pending = false;
	im->shown = 0;
	memset(&im->wanted, 0, sizeof(im->wanted));
}

void
bd_ui_image_page(struct bd_ui *ui, const void *png, size_t len, int width, int height)
{
	struct ui_image *im = ui->image;

	if (!im)
		return;
	forget_cache(im);
	strbuf_reset(&im->png);
	im->page_id++;
	im->page_w = im->page_h = 0;
	if (png && len && width > 0 && height > 0) {
		strbuf_add(&im->png, png, len);
		im->page_w = width;
		im->page_h = height;
	}
	hide(ui);
}

void
bd_ui_image_provider(struct bd_ui *ui, void (*want)(struct bd_ui *ui, void *ctx), void *ctx)
{
	struct ui_image *im = ui->image;

	if (!im)
		return;
	if (!want)
		hide(ui);
	im->want = want;
	im->ctx = ctx;
	/* the view pushed next (the form) is the provider's */
	im->view = want ? ui->nviews : -1;
}

/* ---- the worker ---------------------------------------------------------- */

static void *
job_run(void *arg)
{
	struct job *j = arg;
	struct bd_image img = {0};
	char c = 1;

	j->rc = bd_image_render(j->png.buf, j->png.len, j->e.x, j->e.y, j->e.w, j->e.h, j->e.out_w,
				j->e.out_h, &img, &j->err);
	if (j->rc == 0)
		j->rc = bd_sixel_encode(&img, IMAGE_COLORS, &j->e.bytes, &j->err);
	bd_image_release(&img);
	while (write(j->wfd, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static void start_job(struct bd_ui *ui);

static struct entry *
cached(struct ui_image *im, const struct entry *key)
{
	size_t i;

	for (i = 0; i < CACHE_SIZE; i++)
		if (im->cache[i].id && same_key(&im->cache[i], key))
			return &im->cache[i];
	return NULL;
}

static void
job_done(struct bd_ui *ui, int fd, void *ctx)
{
	struct ui_image *im = ui->image;
	struct job *j = im->job;
	struct entry *slot = NULL;
	size_t i;
	char c;

	(void)ctx;
	if (read(fd, &c, 1) != 1 || !j)
		return;
	pthread_join(j->thread, NULL);
	im->job = NULL;
	if (j->rc < 0) {
		bd_log_err(&j->err);
	} else if (j->page_id == im->page_id) {
		/* the oldest goes */
		for (i = 0; i < CACHE_SIZE; i++)
			if (!slot || im->cache[i].id < slot->id)
				slot = &im->cache[i];
		strbuf_release(&slot->bytes);
		*slot = j->e;
		strbuf_init(&j->e.bytes, 0);
		slot->id = im->next_id++;
	}
	job_free(j);
	if (im->pending && !cached(im, &im->wanted))
		start_job(ui);
	else
		im->pending = false;
}

static void
start_job(struct bd_ui *ui)
{
	struct ui_image *im = ui->image;
	struct job *j;

	if (im->job)
		return; /* started when the one in flight ends */
	if (im->pipe[0] < 0) {
		if (pipe(im->pipe) < 0) {
			bd_log(BD_LOG_ERROR, "image: pipe: %s", strerror(errno));
			return;
		}
		fcntl(im->pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(im->pipe[0], F_SETFD, FD_CLOEXEC);
		fcntl(im->pipe[1], F_SETFD, FD_CLOEXEC);
		im->watch = bd_ui_watch_fd(ui, im->pipe[0], job_done, NULL);
	}
	j = xcalloc(1, sizeof(*j));
	j->wfd = im->pipe[1];
	j->page_id = im->page_id;
	strbuf_init(&j->png, 0);
	strbuf_add(&j->png, im->png.buf, im->png.len);
	j->e = im->wanted;
	strbuf_init(&j->e.bytes, 0);
	j->err = (struct bd_err)BD_ERR_INIT;
	if (pthread_create(&j->thread, NULL, job_run, j) != 0) {
		bd_log(BD_LOG_ERROR, "image: cannot start a thread");
		job_free(j);
		return;
	}
	im->job = j;
	im->pending = false;
}

void
bd_ui_image_place(struct bd_ui *ui, int row, int col, int rows, int cols, struct bd_image_rect part,
		  int out_w, int out_h, const char *title)
{
	struct ui_image *im = ui->image;
	struct entry key = {0};

	if (!im || im->mode == BD_UI_IMAGE_NONE || !im->png.len)
		return;
	if (rows <= 0 || cols <= 0) {
		hide(ui);
		return;
	}
	if (row != im->row || col != im->col || rows != im->rows || cols != im->cols) {
		if (im->rows && im->framed)
			ui_repaint(ui, false);
		im->row = row;
		im->col = col;
		im->rows = rows;
		im->cols = cols;
		im->framed = false;
		im->shown = 0;
	}
	if (!im->title || strcmp(im->title, title ? title : "")) {
		free(im->title);
		im->title = xstrdup(title ? title : "");
		im->framed = false;
	}
	key.out_w = out_w;
	key.out_h = out_h;
	key.x = (int)lround(part.x);
	key.y = (int)lround(part.y);
	key.w = (int)lround(part.w);
	key.h = (int)lround(part.h);
	if (!same_key(&key, &im->wanted) || !im->wanted.out_w) {
		im->wanted = key;
		if (!cached(im, &key)) {
			im->pending = true;
			start_job(ui);
		}
	}
}

/* ---- drawing --------------------------------------------------------------- */

/* The topmost full-screen view, or -1. */
static int
top_full_view(const struct bd_ui *ui)
{
	int i;

	for (i = ui->nviews - 1; i >= 0; i--)
		if (ui->views[i].full)
			return i;
	return -1;
}

static void
draw_frame(struct bd_ui *ui)
{
	struct ui_image *im = ui->image;
	int top = im->row - 1, left = im->col - 1, bottom = im->row + im->rows,
	    right = im->col + im->cols, r;

	mvwaddch(stdscr, top, left, ACS_ULCORNER);
	mvwhline(stdscr, top, left + 1, ACS_HLINE, im->cols);
	mvwaddch(stdscr, top, right, ACS_URCORNER);
	for (r = im->row; r < bottom; r++) {
		mvwaddch(stdscr, r, left, ACS_VLINE);
		mvwhline(stdscr, r, im->col, ' ', im->cols);
		mvwaddch(stdscr, r, right, ACS_VLINE);
	}
	mvwaddch(stdscr, bottom, left, ACS_LLCORNER);
	mvwhline(stdscr, bottom, left + 1, ACS_HLINE, im->cols);
	mvwaddch(stdscr, bottom, right, ACS_LRCORNER);
	if (im->title && *im->title)
		ui_put(stdscr, top, left + 2, im->title, im->cols - 2, A_NORMAL, false);
}

void
ui_image_prepare(struct bd_ui *ui)
{
	struct ui_image *im = ui->image;

	if (!im || im->mode == BD_UI_IMAGE_NONE || !im->want || im->view < 0)
		return;
	if (ui->nviews == im->view + 1 && panel_below(NULL) == ui->base)
		im->want(ui, im->ctx);
	if (!im->rows || top_full_view(ui) != im->view) {
		if (im->framed)
			im->gen++; /* a full-screen view over it: send again after */
		im->framed = false;
		return;
	}
	/* every update: the views may have drawn in the region */
	draw_frame(ui);
	im->framed = true;
}

void
ui_image_send(struct bd_ui *ui)
{
	struct ui_image *im = ui->image;
	struct entry *e;

	if (!im || !im->framed || ui->nviews != im->view + 1 || panel_below(NULL) != ui->base)
		return;
	if (!(e = cached(im, &im->wanted)))
		return;
	if (e->id == im->shown && im->sent_gen == im->gen)
		return;
	/* save the cursor, draw at the region's corner, put the cursor back */
	fprintf(ui->out, "\0337\033[%d;%dH", im->row + 1, im->col + 1);
	fwrite(e->bytes.buf, 1, e->bytes.len, ui->out);
	fputs("\0338", ui->out);
	fflush(ui->out);
	im->shown = e->id;
	im->sent_gen = im->gen;
}
