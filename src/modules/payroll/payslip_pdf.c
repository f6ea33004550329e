/*
 * The payslip PDF: cairo draws, pango shapes the text. See payslip_pdf.h.
 *
 * A4 portrait in points. One pango context and one layout per renderer,
 * reused for every string of every payslip: what costs is the font lookup
 * and the PDF's font subsets, which cairo makes once per document.
 */
#include "backdesk/payslip_pdf.h"

#include "backdesk/money.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <unistd.h>

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 48.0
#define BOTTOM (PAGE_H - 60.0)
#define FONT_FAMILY "DejaVu Sans"

struct bd_payslip_renderer {
	PangoFontMap *fontmap;
	PangoContext *ctx;
	PangoLayout *layout;
	PangoFontDescription *normal, *bold, *title, *small;
	struct strbuf text; /* the gated string being drawn */
	struct strbuf num;  /* a formatted amount */
};

/* The table's columns: description, quantity, amount, year to date. */
static const double COL_X[] = {MARGIN, 282.0, 347.0, 447.0};
static const double COL_W[] = {230.0, 60.0, 95.0, PAGE_W - MARGIN - 447.0};

struct bd_payslip_renderer *
bd_payslip_renderer_new(void)
{
	struct bd_payslip_renderer *r = xcalloc(1, sizeof(*r));

	r->fontmap = pango_cairo_font_map_new();
	r->ctx = pango_font_map_create_context(r->fontmap);
	r->layout = pango_layout_new(r->ctx);
	/* Left stays left for a right-to-left name too; its letters still run
	 * right to left within it. */
	pango_layout_set_auto_dir(r->layout, FALSE);
	{
		/* No ligatures: a ligature glyph stands for no one character, which
		 * makes cairo embed a second subset of the font (a CID font) in
		 * every document; without them one subset per face does. */
		PangoAttrList *attrs = pango_attr_list_new();

		pango_attr_list_insert(attrs, pango_attr_font_features_new("liga=0, clig=0"));
		pango_layout_set_attributes(r->layout, attrs);
		pango_attr_list_unref(attrs);
	}
	r->normal = pango_font_description_from_string(FONT_FAMILY " 9");
	r->bold = pango_font_description_from_string(FONT_FAMILY " Bold 9");
	r->title = pango_font_description_from_string(FONT_FAMILY " Bold 13");
	r->small = pango_font_description_from_string(FONT_FAMILY " 7");
	strbuf_init(&r->text, 256);
	strbuf_init(&r->num, 64);
	return r;
}

void
bd_payslip_renderer_free(struct bd_payslip_renderer *r)
{
	if (!r)
		return;
	pango_font_description_free(r->normal);
	pango_font_description_free(r->bold);
	pango_font_description_free(r->title);
	pango_font_description_free(r->small);
	g_object_unref(r->layout);
	g_object_unref(r->ctx);
	g_object_unref(r->fontmap);
	strbuf_release(&r->text);
	strbuf_release(&r->num);
	free(r);
}

/*
 * Appends s to out as the PDF may show it: the output gate's rule
 * (bd_cp_is_unsafe: controls, bidi overrides and isolates, invisible format
 * characters, invalid UTF-8 become a stand-in) without its terminal widths,
 * which depend on the locale and mean nothing on paper. ZWNJ and ZWJ stay:
 * they shape Persian, Arabic and Indic names and reorder nothing.
 */
static void
pdf_safe(struct strbuf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = bd_utf8_decode(s + i, n - i, &cp);
		char enc[4];

		if (cp == BD_REPLACEMENT_CHAR ||
		    (cp != 0x200C && cp != 0x200D && bd_cp_is_unsafe(cp))) {
			cp = cp < 0x20 ? 0x2400 + cp : BD_REPLACEMENT_CHAR;
			strbuf_add(out, enc, bd_utf8_encode(cp, enc));
		} else {
			strbuf_add(out, s + i, len);
		}
		i += len;
	}
}

/*
 * Draws `s` (made safe by pdf_safe) at x, y in a box `w` wide, aligned as asked, wrapped at
 * words (or anywhere in a word too long for the box, as CJK names are);
 * returns the height used.
 */
static double
draw_text(struct bd_payslip_renderer *r, cairo_t *cr, double x, double y, double w,
	  PangoAlignment align, const PangoFontDescription *font, const char *s)
{
	int pw, ph;

	strbuf_reset(&r->text);
	pdf_safe(&r->text, s);
	pango_layout_set_font_description(r->layout, font);
	pango_layout_set_width(r->layout, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(r->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(r->layout, align);
	pango_layout_set_text(r->layout, r->text.buf, (int)r->text.len);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, r->layout);
	pango_layout_get_size(r->layout, &pw, &ph);
	return (double)ph / PANGO_SCALE;
}

/* The amount as "12,345.67" in r->num. */
static const char *
amount_text(struct bd_payslip_renderer *r, int64_t minor, int scale)
{
	strbuf_reset(&r->num);
	bd_money_format(&r->num, minor, scale, BD_MONEY_GROUPED);
	return r->num.buf;
}

struct page {
	struct bd_payslip_renderer *r;
	cairo_t *cr;
	const struct bd_payslip *slip;
	double y;
	int number;
};

static void
rule(struct page *pg, double width)
{
	cairo_set_line_width(pg->cr, width);
	cairo_move_to(pg->cr, MARGIN, pg->y);
	cairo_line_to(pg->cr, PAGE_W - MARGIN, pg->y);
	cairo_stroke(pg->cr);
}

static void
footer(struct page *pg)
{
	char label[96];

	snprintf(label, sizeof(label), "Page %d", pg->number);
	draw_text(pg->r, pg->cr, MARGIN, PAGE_H - 40.0, PAGE_W - 2 * MARGIN, PANGO_ALIGN_LEFT,
		  pg->r->small, pg->slip->run_ref);
	draw_text(pg->r, pg->cr, MARGIN, PAGE_H - 40.0, PAGE_W - 2 * MARGIN, PANGO_ALIGN_RIGHT,
		  pg->r->small, label);
}

static void
table_head(struct page *pg)
{
	static const char *const heads[] = {"Description", "Quantity", "Amount", "Year to date"};
	double h = 0;

	for (size_t i = 0; i < NELEM(heads); i++) {
		double hi =
		    draw_text(pg->r, pg->cr, COL_X[i], pg->y, COL_W[i],
			      i ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, pg->r->bold, heads[i]);
		if (hi > h)
			h = hi;
	}
	pg->y += h + 3;
	rule(pg, 0.5);
	pg->y += 4;
}

/* Makes room for `need` points, starting a new page (with the table's
 * heading again) when this one is full. */
static void
room(struct page *pg, double need)
{
	if (pg->y + need <= BOTTOM)
		return;
	footer(pg);
	cairo_show_page(pg->cr);
	pg->number++;
	pg->y = MARGIN;
	draw_text(pg->r, pg->cr, MARGIN, pg->y, PAGE_W - 2 * MARGIN, PANGO_ALIGN_LEFT, pg->r->bold,
		  pg->slip->employee_name);
	pg->y += 20;
	table_head(pg);
}

/* One row of the table; a NULL cell is left empty. */
static void
row(struct page *pg, const PangoFontDescription *font, const char *label, const char *qty,
    const int64_t *amount, const int64_t *ytd)
{
	struct bd_payslip_renderer *r = pg->r;
	const struct bd_payslip *slip = pg->slip;
	double h;

	room(pg, 14);
	h = draw_text(r, pg->cr, COL_X[0], pg->y, COL_W[0], PANGO_ALIGN_LEFT, font, label);
	if (qty && *qty)
		draw_text(r, pg->cr, COL_X[1], pg->y, COL_W[1], PANGO_ALIGN_RIGHT, font, qty);
	if (amount)
		draw_text(r, pg->cr, COL_X[2], pg->y, COL_W[2], PANGO_ALIGN_RIGHT, font,
			  amount_text(r, *amount, slip->scale));
	if (ytd)
		draw_text(r, pg->cr, COL_X[3], pg->y, COL_W[3], PANGO_ALIGN_RIGHT, font,
			  amount_text(r, *ytd, slip->scale));
	pg->y += (h > 11 ? h : 11) + 2;
}

static void
section(struct page *pg, enum bd_payslip_section which, const char *heading)
{
	const struct bd_payslip *slip = pg->slip;

	room(pg, 30);
	pg->y += 4;
	draw_text(pg->r, pg->cr, MARGIN, pg->y, COL_W[0], PANGO_ALIGN_LEFT, pg->r->bold, heading);
	pg->y += 14;
	for (size_t i = 0; i < slip->nlines; i++) {
		const struct bd_payslip_line *l = &slip->lines[i];

		if (l->section == which)
			row(pg, pg->r->normal, l->label, l->quantity, &l->amount,
			    l->no_ytd ? NULL : &l->ytd);
	}
}

/* A labelled value of the details block; returns the height used. */
static double
detail(struct page *pg, double x, double y, const char *label, const char *value)
{
	double h1, h2;

	h1 = draw_text(pg->r, pg->cr, x, y, 62, PANGO_ALIGN_LEFT, pg->r->bold, label);
	h2 = draw_text(pg->r, pg->cr, x + 64, y, 175, PANGO_ALIGN_LEFT, pg->r->normal,
		       value && *value ? value : "-");
	return (h1 > h2 ? h1 : h2) + 3;
}

/* The figures must agree with each other before anything is drawn. */
static int
check_figures(const struct bd_payslip *slip, struct bd_err *err)
{
	int64_t sum[3] = {0, 0, 0}, net, ytd_net;

	if (slip->scale < 0 || slip->scale > BD_MONEY_MAX_SCALE) {
		bd_err_set(err, BD_ERR_INTERNAL, "The payslip's amounts have no valid scale");
		return -1;
	}
	for (size_t i = 0; i < slip->nlines; i++) {
		const struct bd_payslip_line *l = &slip->lines[i];

		if ((unsigned)l->section > BD_PAYSLIP_EMPLOYER ||
		    !bd_money_add(sum[l->section], l->amount, &sum[l->section])) {
			bd_err_set(err, BD_ERR_INVALID, "Payslip of %s: line %zu is out of range",
				   slip->employee_number ? slip->employee_number : "?", i + 1);
			return -1;
		}
	}
	if (sum[BD_PAYSLIP_EARNING] != slip->gross ||
	    sum[BD_PAYSLIP_DEDUCTION] != slip->deductions ||
	    !bd_money_sub(slip->gross, slip->deductions, &net) || net != slip->net ||
	    !bd_money_sub(slip->ytd_gross, slip->ytd_deductions, &ytd_net) ||
	    ytd_net != slip->ytd_net) {
		bd_err_set(err, BD_ERR_INVALID,
			   "Payslip of %s: the lines do not add up to its gross, deductions and "
			   "net pay",
			   slip->employee_number ? slip->employee_number : "?");
		return -1;
	}
	return 0;
}

static cairo_status_t
append_pdf(void *closure, const unsigned char *data, unsigned int length)
{
	strbuf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

static void
draw(struct bd_payslip_renderer *r, cairo_t *cr, const struct bd_payslip *slip)
{
	struct page pg = {r, cr, slip, MARGIN, 1};
	double left = 0, right = 0, colx = PAGE_W / 2 + 5;
	char net_label[64];

	pango_cairo_update_context(cr, r->ctx);
	pango_layout_context_changed(r->layout);
	cairo_set_source_rgb(cr, 0, 0, 0);

	pg.y += draw_text(r, cr, MARGIN, pg.y, PAGE_W - 2 * MARGIN - 80, PANGO_ALIGN_LEFT, r->title,
			  slip->employer);
	draw_text(r, cr, PAGE_W - MARGIN - 70, MARGIN, 70, PANGO_ALIGN_RIGHT, r->title, "Payslip");
	pg.y += 8;
	rule(&pg, 1.0);
	pg.y += 8;

	left += detail(&pg, MARGIN, pg.y + left, "Employee", slip->employee_name);
	left += detail(&pg, MARGIN, pg.y + left, "Number", slip->employee_number);
	left += detail(&pg, MARGIN, pg.y + left, "Tax ID", slip->tax_id);
	right += detail(&pg, colx, pg.y + right, "Period", slip->period);
	right += detail(&pg, colx, pg.y + right, "Pay date", slip->pay_date);
	right += detail(&pg, colx, pg.y + right, "Account", slip->bank_account);
	pg.y += (left > right ? left : right) + 10;
	table_head(&pg);

	section(&pg, BD_PAYSLIP_EARNING, "Earnings");
	row(&pg, r->bold, "Gross pay", NULL, &slip->gross, &slip->ytd_gross);
	section(&pg, BD_PAYSLIP_DEDUCTION, "Deductions");
	row(&pg, r->bold, "Total deductions", NULL, &slip->deductions, &slip->ytd_deductions);

	room(&pg, 30);
	pg.y += 6;
	rule(&pg, 1.0);
	pg.y += 5;
	snprintf(net_label, sizeof(net_label), "Net pay (%s)",
		 slip->currency ? slip->currency : "");
	row(&pg, r->bold, net_label, NULL, &slip->net, &slip->ytd_net);
	pg.y += 4;
	rule(&pg, 1.0);
	pg.y += 6;

	for (size_t i = 0; i < slip->nlines; i++) {
		if (slip->lines[i].section == BD_PAYSLIP_EMPLOYER) {
			section(&pg, BD_PAYSLIP_EMPLOYER, "Employer contributions (not deducted)");
			break;
		}
	}
	footer(&pg);
	cairo_show_page(cr);
}

int
bd_payslip_pdf(struct bd_payslip_renderer *r, const struct bd_payslip *slip, struct strbuf *out,
	       struct bd_err *err)
{
	cairo_surface_t *surface;
	cairo_t *cr;
	cairo_status_t status;
	size_t start = out->len;

	if (check_figures(slip, err) < 0)
		return -1;
	surface = cairo_pdf_surface_create_for_stream(append_pdf, out, PAGE_W, PAGE_H);
	strbuf_reset(&r->text);
	pdf_safe(&r->text, slip->employee_name);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, r->text.buf);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Backdesk");
	cr = cairo_create(surface);
	draw(r, cr, slip);
	status = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (status != CAIRO_STATUS_SUCCESS) {
		strbuf_setlen(out, start);
		bd_err_set(err, BD_ERR_INTERNAL, "The payslip of %s could not be drawn",
			   slip->employee_number ? slip->employee_number : "?");
		bd_err_detail(err, "cairo: %s", cairo_status_to_string(status));
		return -1;
	}
	return 0;
}

int
bd_payslip_pdf_file(struct bd_payslip_renderer *r, const struct bd_payslip *slip, const char *path,
		    struct bd_err *err)
{
	struct strbuf pdf = STRBUF_INIT, tmp = STRBUF_INIT;
	int fd = -1, rc = -1;
	size_t off = 0;

	if (bd_payslip_pdf(r, slip, &pdf, err) < 0)
		goto out;
	strbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		goto io;
	while (off < pdf.len) {
		ssize_t n = write(fd, pdf.buf + off, pdf.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto io;
		off += (size_t)n;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto io;
	}
	fd = -1;
	if (rename(tmp.buf, path) < 0)
		goto io;
	rc = 0;
	goto out;
io:
	bd_err_set(err, BD_ERR_IO, "Cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp.buf);
out:
	strbuf_release(&pdf);
	strbuf_release(&tmp);
	return rc;
}
