/*
 * Document page images: decoding, drawing and the sample page, with
 * gdk-pixbuf, poppler-glib and cairo. Built into backdesk-image.so, never
 * into the binary (src/kit/image_module.c). See include/backdesk/image.h.
 *
 * One pixel path: whatever comes in is drawn on a cairo image surface
 * (gdk-pixbuf's pixels copied in, poppler rendering a PDF page), written
 * out as PNG for storage; shown again by reading the PNG back with cairo
 * and painting the part wanted, scaled, on a surface of the terminal
 * region's size.
 */
#include "backdesk/image.h"

#include <cairo.h>
#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <poppler.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/xalloc.h"

/* The whole file, refused past the size limit. */
static int
read_file(const char *path, struct strbuf *out, struct bd_err *err)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	int rc = -1;

	if (!f) {
		bd_err_set(err, BD_ERR_IO, "cannot read it: %s", strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (out->len + n > BD_IMAGE_MAX_BYTES) {
			bd_err_set(err, BD_ERR_INVALID, "it is larger than %d MB",
				   BD_IMAGE_MAX_BYTES / (1024 * 1024));
			goto cleanup;
		}
		strbuf_add(out, buf, n);
	}
	if (ferror(f)) {
		bd_err_set(err, BD_ERR_IO, "cannot read it: %s", strerror(errno));
		goto cleanup;
	}
	rc = 0;
cleanup:
	fclose(f);
	return rc;
}

static const char *
sniff(const unsigned char *b, size_t n)
{
	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return "image/jpeg";
	if (n >= 4 && (!memcmp(b, "II*\0", 4) || !memcmp(b, "MM\0*", 4)))
		return "image/tiff";
	if (n >= 5 && !memcmp(b, "%PDF-", 5))
		return "application/pdf";
	return NULL;
}

static cairo_status_t
png_append(void *closure, const unsigned char *data, unsigned int len)
{
	strbuf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static int
size_ok(double w, double h, struct bd_err *err)
{
	if (w < 1 || h < 1 || w > 20000 || h > 20000 || w * h > BD_IMAGE_MAX_PIXELS) {
		bd_err_set(err, BD_ERR_INVALID,
			   "the page is %.0fx%.0f pixels: at most 20000 on a side and %d million "
			   "in all",
			   w, h, BD_IMAGE_MAX_PIXELS / 1000000);
		return -1;
	}
	return 0;
}

/* White surface of w x h, or NULL (err set). */
static cairo_surface_t *
white_surface(int w, int h, cairo_t **cr, struct bd_err *err)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		bd_err_set(err, BD_ERR_INTERNAL, "cannot make a %dx%d picture", w, h);
		return NULL;
	}
	*cr = cairo_create(s);
	cairo_set_source_rgb(*cr, 1, 1, 1);
	cairo_paint(*cr);
	return s;
}

static int
load_pdf(const struct strbuf *data, int page, struct bd_image_page *out, cairo_surface_t **surf,
	 struct bd_err *err)
{
	GBytes *bytes = g_bytes_new(data->buf, data->len);
	GError *gerr = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	PopplerPage *pg = NULL;
	cairo_t *cr = NULL;
	double pw, ph, scale = BD_IMAGE_PDF_DPI / 72.0;
	int rc = -1;

	if (!doc) {
		bd_err_set(err, BD_ERR_INVALID, "it is not a PDF poppler can read (%s)",
			   gerr ? gerr->message : "unknown reason");
		goto cleanup;
	}
	out->page_count = poppler_document_get_n_pages(doc);
	if (page > out->page_count) {
		bd_err_set(err, BD_ERR_INVALID, "the PDF has %d page%s, not %d", out->page_count,
			   out->page_count == 1 ? "" : "s", page);
		goto cleanup;
	}
	pg = poppler_document_get_page(doc, page - 1);
	poppler_page_get_size(pg, &pw, &ph);
	if (size_ok(ceil(pw * scale), ceil(ph * scale), err) < 0)
		goto cleanup;
	if (!(*surf = white_surface((int)ceil(pw * scale), (int)ceil(ph * scale), &cr, err)))
		goto cleanup;
	cairo_scale(cr, scale, scale);
	poppler_page_render_for_printing(pg, cr);
	rc = 0;
cleanup:
	if (cr)
		cairo_destroy(cr);
	if (pg)
		g_object_unref(pg);
	if (doc)
		g_object_unref(doc);
	if (gerr)
		g_error_free(gerr);
	g_bytes_unref(bytes);
	return rc;
}

/* PNG, JPEG, TIFF through gdk-pixbuf's loader for that type only. */
static int
load_pixbuf(const struct strbuf *data, const char *type, cairo_surface_t **surf, struct bd_err *err)
{
	GError *gerr = NULL;
	GdkPixbufLoader *ld = gdk_pixbuf_loader_new_with_mime_type(type, &gerr);
	GdkPixbuf *pb;
	cairo_t *cr = NULL;
	const unsigned char *px;
	unsigned char *dst;
	int w, h, n, stride, dstride, x, y, rc = -1;

	if (!ld) {
		bd_err_set(err, BD_ERR_INTERNAL, "cannot read %s here (%s)", type,
			   gerr ? gerr->message : "no loader");
		goto cleanup;
	}
	if (!gdk_pixbuf_loader_write(ld, (const guchar *)data->buf, data->len, &gerr) ||
	    !gdk_pixbuf_loader_close(ld, &gerr) || !(pb = gdk_pixbuf_loader_get_pixbuf(ld))) {
		bd_err_set(err, BD_ERR_INVALID, "it is a damaged %s file (%s)", type + 6,
			   gerr ? gerr->message : "no picture in it");
		goto cleanup;
	}
	w = gdk_pixbuf_get_width(pb);
	h = gdk_pixbuf_get_height(pb);
	if (size_ok(w, h, err) < 0)
		goto cleanup;
	n = gdk_pixbuf_get_n_channels(pb);
	stride = gdk_pixbuf_get_rowstride(pb);
	px = gdk_pixbuf_read_pixels(pb);
	if (!(*surf = white_surface(w, h, &cr, err)))
		goto cleanup;
	cairo_surface_flush(*surf);
	dst = cairo_image_surface_get_data(*surf);
	dstride = cairo_image_surface_get_stride(*surf);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			const unsigned char *p =
			    px + (size_t)y * (size_t)stride + (size_t)x * (size_t)n;
			unsigned a = n == 4 ? p[3] : 255;
			/* over white */
			unsigned r = (p[0] * a + 255 * (255 - a)) / 255;
			unsigned g = (p[1] * a + 255 * (255 - a)) / 255;
			unsigned b = (p[2] * a + 255 * (255 - a)) / 255;
			uint32_t v = 0xff000000u | (r << 16) | (g << 8) | b;

			memcpy(dst + (size_t)y * (size_t)dstride + (size_t)x * 4, &v, 4);
		}
	}
	cairo_surface_mark_dirty(*surf);
	rc = 0;
cleanup:
	if (cr)
		cairo_destroy(cr);
	if (gerr)
		g_error_free(gerr);
	if (ld) {
		if (rc < 0)
			gdk_pixbuf_loader_close(ld, NULL);
		g_object_unref(ld);
	}
	return rc;
}

int
bd_image_page_load(const char *path, int page, struct bd_image_page *out, struct bd_err *err)
{
	struct strbuf data = STRBUF_INIT;
	cairo_surface_t *surf = NULL;
	const char *type;
	int rc = -1;

	strbuf_reset(&out->png);
	if (page <= 0)
		page = 1;
	if (read_file(path, &data, err) < 0)
		goto cleanup;
	if (!(type = sniff((const unsigned char *)data.buf, data.len))) {
		bd_err_set(err, BD_ERR_INVALID, "it is not a PNG, JPEG, TIFF or PDF file");
		goto cleanup;
	}
	out->source_type = type;
	out->page = page;
	out->page_count = 1;
	if (!strcmp(type, "application/pdf")) {
		if (load_pdf(&data, page, out, &surf, err) < 0)
			goto cleanup;
	} else {
		if (page != 1) {
			bd_err_set(err, BD_ERR_INVALID,
				   "only a PDF has pages to choose from (this is %s)", type);
			goto cleanup;
		}
		if (load_pixbuf(&data, type, &surf, err) < 0)
			goto cleanup;
	}
	out->width = cairo_image_surface_get_width(surf);
	out->height = cairo_image_surface_get_height(surf);
	if (cairo_surface_write_to_png_stream(surf, png_append, &out->png) !=
	    CAIRO_STATUS_SUCCESS) {
		bd_err_set(err, BD_ERR_INTERNAL, "cannot write the page as PNG");
		goto cleanup;
	}
	if (out->png.len > BD_IMAGE_MAX_BYTES) {
		bd_err_set(err, BD_ERR_INVALID, "the page as PNG is larger than %d MB",
			   BD_IMAGE_MAX_BYTES / (1024 * 1024));
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (surf)
		cairo_surface_destroy(surf);
	strbuf_release(&data);
	if (rc < 0)
		strbuf_reset(&out->png);
	return rc;
}

struct png_reader {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t
png_read(void *closure, unsigned char *data, unsigned int len)
{
	struct png_reader *r = closure;

	if (len > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, len);
	r->p += len;
	r->left -= len;
	return CAIRO_STATUS_SUCCESS;
}

int
bd_image_render(const void *png, size_t len, double x, double y, double w, double h, int out_w,
		int out_h, struct bd_image *out, struct bd_err *err)
{
	struct png_reader rd = {png, len};
	cairo_surface_t *page = cairo_image_surface_create_from_png_stream(png_read, &rd),
			*s = NULL;
	cairo_t *cr = NULL;
	const unsigned char *px;
	int stride, i, j, rc = -1;

	memset(out, 0, sizeof(*out));
	if (cairo_surface_status(page) != CAIRO_STATUS_SUCCESS) {
		bd_err_set(err, BD_ERR_INVALID, "the stored image is not a PNG cairo can read");
		goto cleanup;
	}
	if (out_w < 1 || out_h < 1 || w <= 0 || h <= 0) {
		bd_err_set(err, BD_ERR_INVALID, "nothing to draw");
		goto cleanup;
	}
	if (!(s = white_surface(out_w, out_h, &cr, err)))
		goto cleanup;
	cairo_scale(cr, out_w / w, out_h / h);
	cairo_translate(cr, -x, -y);
	cairo_set_source_surface(cr, page, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_surface_flush(s);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	out->width = out_w;
	out->height = out_h;
	out->rgb = xmalloc((size_t)out_w * (size_t)out_h * 3);
	for (j = 0; j < out_h; j++)
		for (i = 0; i < out_w; i++) {
			uint32_t v;
			unsigned char *d = out->rgb + ((size_t)j * (size_t)out_w + (size_t)i) * 3;

			memcpy(&v, px + (size_t)j * (size_t)stride + (size_t)i * 4, 4);
			d[0] = (unsigned char)(v >> 16);
			d[1] = (unsigned char)(v >> 8);
			d[2] = (unsigned char)v;
		}
	rc = 0;
cleanup:
	if (cr)
		cairo_destroy(cr);
	if (s)
		cairo_surface_destroy(s);
	cairo_surface_destroy(page);
	return rc;
}

int
bd_image_sample_page(const char *title, const char *subtitle, const struct bd_image_label *labels,
		     size_t n, int w, int h, struct strbuf *png, struct bd_err *err)
{
	cairo_t *cr = NULL;
	cairo_surface_t *s = white_surface(w, h, &cr, err);
	size_t i;
	int rc = -1;

	if (!s)
		return -1;
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 34);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	cairo_move_to(cr, 40, 70);
	cairo_show_text(cr, title);
	cairo_set_font_size(cr, 18);
	cairo_move_to(cr, 40, 100);
	cairo_show_text(cr, subtitle);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	for (i = 0; i < n; i++) {
		const struct bd_image_rect *r = &labels[i].r;
		double fs = r->h * 0.42 < 20 ? r->h * 0.42 : 20;

		cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
		cairo_set_line_width(cr, 2);
		cairo_rectangle(cr, r->x, r->y, r->w, r->h);
		cairo_stroke(cr);
		cairo_set_font_size(cr, fs);
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.5);
		cairo_move_to(cr, r->x + 4, r->y + fs + 2);
		cairo_show_text(cr, labels[i].text);
	}
	cairo_destroy(cr);
	if (cairo_surface_write_to_png_stream(s, png_append, png) != CAIRO_STATUS_SUCCESS)
		bd_err_set(err, BD_ERR_INTERNAL, "Cannot draw the sample page");
	else
		rc = 0;
	cairo_surface_destroy(s);
	return rc;
}
