/*
 * Document page images: what needs no image library (the page's buffers,
 * bytea text, the arithmetic of zones and views). Decoding, drawing and
 * sixel encoding are in image_codec.c and ../ui/sixel_encode.c, built into
 * backdesk-image.so (image_module.c says why). See include/backdesk/image.h.
 */
#include "backdesk/image.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/xalloc.h"

void
bd_image_page_init(struct bd_image_page *p)
{
	memset(p, 0, sizeof(*p));
	strbuf_init(&p->png, 0);
}

void
bd_image_page_release(struct bd_image_page *p)
{
	strbuf_release(&p->png);
	bd_image_page_init(p);
}

void
bd_image_release(struct bd_image *img)
{
	free(img->rgb);
	memset(img, 0, sizeof(*img));
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
bd_image_hex_decode(const char *text, struct strbuf *out)
{
	size_t n, i;

	if (!text || text[0] != '\\' || text[1] != 'x')
		return -1;
	text += 2;
	n = strlen(text);
	if (n % 2)
		return -1;
	strbuf_grow(out, n / 2);
	for (i = 0; i < n; i += 2) {
		int hi = hexval(text[i]), lo = hexval(text[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		strbuf_addch(out, hi * 16 + lo);
	}
	return 0;
}

/* ---- showing a zone ---------------------------------------------------- */

struct bd_image_rect
bd_image_zone_pixels(const double zone[4], bool pixels, int page_w, int page_h)
{
	struct bd_image_rect r;

	if (pixels) {
		r.x = zone[0];
		r.y = zone[1];
		r.w = zone[2];
		r.h = zone[3];
	} else {
		r.x = zone[0] * page_w;
		r.y = zone[1] * page_h;
		r.w = zone[2] * page_w;
		r.h = zone[3] * page_h;
	}
	return r;
}

/* Moves [*pos, *pos + len) inside [0, limit) when it fits, else centres it. */
static void
keep_inside(double *pos, double len, double limit)
{
	if (len >= limit)
		*pos = (limit - len) / 2;
	else if (*pos < 0)
		*pos = 0;
	else if (*pos + len > limit)
		*pos = limit - len;
}

struct bd_image_rect
bd_image_view(struct bd_image_rect want, int page_w, int page_h, int zoom, int pan_x, int pan_y,
	      int region_w, int region_h, int *out_w, int *out_h)
{
	struct bd_image_rect r = want;
	double cx, cy, f = pow(2.0, -zoom), aspect = (double)region_w / region_h;

	if (r.w <= 0 || r.h <= 0) {
		r.x = r.y = 0;
		r.w = page_w;
		r.h = page_h;
	}
	cx = r.x + r.w / 2;
	cy = r.y + r.h / 2;
	r.w *= f;
	r.h *= f;
	/* the region's shape, widening the short side: the zone is never cut */
	if (r.w / r.h < aspect)
		r.w = r.h * aspect;
	else
		r.h = r.w / aspect;
	cx += pan_x * r.w / 10;
	cy += pan_y * r.h / 10;
	r.x = cx - r.w / 2;
	r.y = cy - r.h / 2;
	keep_inside(&r.x, r.w, page_w);
	keep_inside(&r.y, r.h, page_h);
	*out_w = region_w;
	*out_h = region_h;
	/* a whole page (or more) shows the page's shape, not white margins */
	if (r.w >= page_w && r.h >= page_h) {
		double s = fmin((double)region_w / page_w, (double)region_h / page_h);

		r.x = r.y = 0;
		r.w = page_w;
		r.h = page_h;
		*out_w = (int)fmax(1, floor(page_w * s + 1e-6));
		*out_h = (int)fmax(1, floor(page_h * s + 1e-6));
	}
	return r;
}
