#ifndef BACKDESK_IMAGE_H
#define BACKDESK_IMAGE_H
/*
 * Document page images (issue 20): a batch's scans and PDFs normalised to
 * one PNG page for storage (sql/migrations/071_images.sql says why PNG),
 * decoded back to pixels, and the arithmetic of showing a zone of the page
 * in a region of the terminal.
 *
 * The decoding, drawing and sixel functions live in backdesk-image.so,
 * loaded the first time one is called (src/kit/image_module.c); when it
 * cannot be loaded they fail with err saying so.
 *
 * Formats read: PNG, JPEG and TIFF (its first page) through gdk-pixbuf, by
 * their signature and never by the file name's ending; a page of a PDF
 * rendered by poppler-glib on cairo at BD_IMAGE_PDF_DPI. Anything else,
 * a file over BD_IMAGE_MAX_BYTES, or a page over BD_IMAGE_MAX_PIXELS is
 * refused with the reason in the user's words.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/err.h"
#include "backdesk/strbuf.h"

#define BD_IMAGE_MAX_BYTES (8 * 1024 * 1024)
#define BD_IMAGE_MAX_PIXELS (40 * 1000 * 1000)
#define BD_IMAGE_PDF_DPI 150

/* A page as stored: PNG bytes and what they came from. */
struct bd_image_page {
	struct strbuf png;
	const char *source_type; /* "image/png", "image/jpeg", "image/tiff", "application/pdf" */
	int page, page_count;	 /* 1-based; 1 of 1 but for a PDF */
	int width, height;	 /* pixels */
};

void bd_image_page_init(struct bd_image_page *p);
void bd_image_page_release(struct bd_image_page *p);

/*
 * Reads the file at `path` and normalises page `page` (1-based; 0 means 1)
 * of it into `out` (initialised). Returns 0, or -1 with err->msg a reason
 * without the file's name ("it is not a PNG, JPEG, TIFF or PDF file", "the
 * PDF has 2 pages, not 3", "cannot read it: No such file or directory").
 */
int bd_image_page_load(const char *path, int page, struct bd_image_page *out, struct bd_err *err);

/* Decoded pixels: 8-bit RGB, row after row, no padding. */
struct bd_image {
	int width, height;
	unsigned char *rgb;
};

void bd_image_release(struct bd_image *img);

/*
 * Decodes `png` and draws the part (x, y, w, h) of it, in the page's
 * pixels, scaled into an image of out_w x out_h pixels (white where the
 * part leaves the page). 0, or -1 with err set.
 */
int bd_image_render(const void *png, size_t len, double x, double y, double w, double h, int out_w,
		    int out_h, struct bd_image *out, struct bd_err *err);

/* Writes `len` bytes of text bytea ("\x0a1b...") as bytes into `out`.
 * -1 when it is not that form. */
int bd_image_hex_decode(const char *text, struct strbuf *out);

/* ---- showing a zone ---------------------------------------------------- */

/* A rectangle of the page in its pixels. */
struct bd_image_rect {
	double x, y, w, h;
};

/*
 * A field's zone as the document type writes it ("X Y W H": four numbers,
 * fractions of the page when all are at most 1, else page pixels) turned
 * into page pixels for a page of page_w x page_h.
 */
struct bd_image_rect bd_image_zone_pixels(const double zone[4], bool pixels, int page_w,
					  int page_h);

/* A box drawn on a sample page and the text written in it. */
struct bd_image_label {
	struct bd_image_rect r;
	const char *text;
};

/*
 * A sample page of w x h pixels as PNG into `png`: the title and subtitle
 * at the top, each label's box and text where it says. 0, or -1 with err.
 */
int bd_image_sample_page(const char *title, const char *subtitle,
			 const struct bd_image_label *labels, size_t n, int w, int h,
			 struct strbuf *png, struct bd_err *err);

/*
 * What to show of a page of page_w x page_h pixels in a region of
 * region_w x region_h pixels: the part `want` (the whole page, or a
 * field's zone), zoomed by 2^zoom around its centre and moved by (pan_x,
 * pan_y) tenths of the part shown, widened so its shape is the region's
 * (the zone stays centred, never cut), and kept on the page when it fits.
 * *out_w, *out_h get the pixels to draw it in: the region's, or less on one
 * side when the page is narrower than the region (a whole page keeps its
 * shape).
 */
struct bd_image_rect bd_image_view(struct bd_image_rect want, int page_w, int page_h, int zoom,
				   int pan_x, int pan_y, int region_w, int region_h, int *out_w,
				   int *out_h);

#endif
