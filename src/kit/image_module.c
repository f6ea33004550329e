/*
 * Document images' decoding, drawing and sixel encoding (image_codec.c,
 * ../ui/sixel_encode.c) live in backdesk-image.so, loaded the first time
 * one of them is called: gdk-pixbuf, poppler-glib, cairo and libsixel
 * bring about fifty shared libraries that every session would otherwise
 * load and relocate before its first screen (about 100 ms; README,
 * Capacity), for a picture most terminals cannot show.
 *
 * These are the functions of image.h and ui_image.h as the rest of the
 * program calls them: each loads the module once and calls its own. When it
 * cannot be loaded every call fails with err saying so.
 */
#include "backdesk/image.h"
#include "backdesk/ui_image.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "backdesk/loadable.h"

#define MODULE_NAME "backdesk-image.so"

static struct {
	char error[256];
	int (*page_load)(const char *, int, struct bd_image_page *, struct bd_err *);
	int (*render)(const void *, size_t, double, double, double, double, int, int,
		      struct bd_image *, struct bd_err *);
	int (*sample_page)(const char *, const char *, const struct bd_image_label *, size_t, int,
			   int, struct strbuf *, struct bd_err *);
	int (*sixel_encode)(const struct bd_image *, int, struct strbuf *, struct bd_err *);
} img;

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

/* Once, from whichever thread calls first (the keying screen renders on a
 * worker thread). */
static void
load_once(void)
{
	void *h = bd_loadable_open(MODULE_NAME, img.error, sizeof(img.error));

	if (!h)
		return;
	/* POSIX's way from a data pointer to a function pointer (dlsym(3)). */
	*(void **)&img.page_load = dlsym(h, "bd_image_page_load");
	*(void **)&img.render = dlsym(h, "bd_image_render");
	*(void **)&img.sample_page = dlsym(h, "bd_image_sample_page");
	*(void **)&img.sixel_encode = dlsym(h, "bd_sixel_encode");
	if (!img.page_load || !img.render || !img.sample_page || !img.sixel_encode) {
		snprintf(img.error, sizeof(img.error), "%s: a function is missing", MODULE_NAME);
		img.page_load = NULL;
	}
}

/* True when the module is there; else err says so. */
static bool
load(struct bd_err *err)
{
	pthread_once(&loaded, load_once);
	if (img.page_load)
		return true;
	bd_err_set(err, BD_ERR_INTERNAL,
		   "Document images cannot be read or shown on this host: its Backdesk is "
		   "installed without " MODULE_NAME);
	bd_err_detail(err, "%s", img.error);
	return false;
}

int
bd_image_page_load(const char *path, int page, struct bd_image_page *out, struct bd_err *err)
{
	return load(err) ? img.page_load(path, page, out, err) : -1;
}

int
bd_image_render(const void *png, size_t len, double x, double y, double w, double h, int out_w,
		int out_h, struct bd_image *out, struct bd_err *err)
{
	memset(out, 0, sizeof(*out));
	return load(err) ? img.render(png, len, x, y, w, h, out_w, out_h, out, err) : -1;
}

int
bd_image_sample_page(const char *title, const char *subtitle, const struct bd_image_label *labels,
		     size_t n, int w, int h, struct strbuf *png, struct bd_err *err)
{
	return load(err) ? img.sample_page(title, subtitle, labels, n, w, h, png, err) : -1;
}

int
bd_sixel_encode(const struct bd_image *img_in, int colors, struct strbuf *out, struct bd_err *err)
{
	return load(err) ? img.sixel_encode(img_in, colors, out, err) : -1;
}
