/*
 * Document images (issue 20, item 2) against a real PostgreSQL: a batch's
 * PNG, JPEG, TIFF and PDF page stored with their documents, read back
 * through entry.image_of only by operators of the client, and a load with a
 * missing, unreadable or unsupported image refused whole with file, line
 * and reason, nothing stored.
 */
#include "dbtest.h"

#include "backdesk/entry.h"
#include "backdesk/image.h"
#include "backdesk/strbuf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static struct dbtest t;
static char dir[64];

static const char DOCTYPE[] =
    "screen = { name = \"scan\"; title = \"Scan\"; fields = (\n"
    "  { name = \"name\"; label = \"Name\"; row = 3; col = 2; type = \"text\"; width = 20;\n"
    "    zone = \"0.1 0.1 0.5 0.2\"; }\n"
    "); };\n";

static void
make_client(const char *code, const char *prefix)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup;
	struct strbuf sql = STRBUF_INIT, login = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	int version = 0;

	strbuf_addf(&sql,
		    "SELECT core.client_add('%s', 'Client %s');"
		    "SELECT core.operator_add('%ssup', 'Sup', 'supervisor', '{%s}');"
		    "SELECT core.operator_add('%sclerk', 'Clerk', 'clerk', '{%s}');",
		    code, code, prefix, code, prefix, code);
	dbtest_exec(super, sql.buf);
	strbuf_addf(&login, "%ssup", prefix);
	sup = dbtest_connect(&t, login.buf);
	if (bd_entry_doctype_load(sup, code, DOCTYPE, "scan.conf", &version, &err) < 0)
		fail_msg("doctype load: %s (%s)", err.msg, err.detail);
	bd_db_free(sup);
	bd_db_free(super);
	strbuf_release(&sql);
	strbuf_release(&login);
}

/* A w x h picture: white, a black bar at the top left. */
static cairo_surface_t *
picture(int w, int h)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_rectangle(cr, w / 10.0, h / 10.0, w / 2.0, h / 5.0);
	cairo_fill(cr);
	cairo_destroy(cr);
	return s;
}

static char *
path_of(const char *name)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, name);
	return strbuf_detach(&p, NULL);
}

/* a.png 200x100, b.jpg 120x80, c.tif 90x60, d.pdf two pages of 288x144 pt,
 * e.txt (not an image), f.png (a PNG signature and nothing after it). */
static void
write_files(void)
{
	cairo_surface_t *s = picture(200, 100);
	cairo_surface_t *pdf;
	cairo_t *cr;
	GdkPixbuf *pb;
	GError *gerr = NULL;
	char *p;
	FILE *f;

	p = path_of("a.png");
	assert_int_equal(cairo_surface_write_to_png(s, p), CAIRO_STATUS_SUCCESS);
	free(p);
	cairo_surface_destroy(s);

	pb = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, 120, 80);
	gdk_pixbuf_fill(pb, 0xffffffff);
	p = path_of("b.jpg");
	assert_true(gdk_pixbuf_save(pb, p, "jpeg", &gerr, NULL));
	free(p);
	g_object_unref(pb);
	pb = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, 90, 60);
	gdk_pixbuf_fill(pb, 0x000000ff);
	p = path_of("c.tif");
	assert_true(gdk_pixbuf_save(pb, p, "tiff", &gerr, NULL));
	free(p);
	g_object_unref(pb);

	p = path_of("d.pdf");
	pdf = cairo_pdf_surface_create(p, 288, 144);
	cr = cairo_create(pdf);
	cairo_show_page(cr);
	cairo_rectangle(cr, 10, 10, 100, 20);
	cairo_fill(cr);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(pdf);
	free(p);

	p = path_of("e.txt");
	f = fopen(p, "w");
	fputs("not a picture\n", f);
	fclose(f);
	free(p);
	p = path_of("f.png");
	f = fopen(p, "wb");
	fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
	fclose(f);
	free(p);
}

static int
import(const char *client, const char *prefix, const char *csv, const char *file,
       struct bd_err *err)
{
	struct bd_entry_import imp = {client, "scan", "single", 1, "24", file};
	struct strbuf login = STRBUF_INIT;
	char *path = path_of(file);
	struct bd_db *sup;
	int rc;

	strbuf_addf(&login, "%ssup", prefix);
	sup = dbtest_connect(&t, login.buf);
	rc = bd_entry_batch_import(sup, &imp, csv, strlen(csv), path, NULL, NULL, err);
	bd_db_free(sup);
	free(path);
	strbuf_release(&login);
	return rc;
}

static long long
count(const char *sql)
{
	struct bd_db *super = dbtest_connect(&t, NULL);
	long long n = dbtest_scalar(super, sql, 0, NULL);

	bd_db_free(super);
	return n;
}

static void
test_every_format_is_stored(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *super, *clerk;
	struct bd_db_result *res;
	struct strbuf png = STRBUF_INIT;
	struct bd_image img = {0};
	char *doc;
	int w = 0, h = 0;

	(void)state;
	if (import("IMGA", "ia",
		   "external_ref,image\nR1,a.png\nR2,b.jpg\nR3,c.tif\nR4,d.pdf#2\nR5,\n",
		   "formats.csv", &err) < 0)
		fail_msg("import: %s (%s)", err.msg, err.detail);
	super = dbtest_connect(&t, NULL);
	res =
	    dbtest_query(super,
			 "SELECT d.external_ref, i.media_type, i.source_type, i.page, i.page_count,"
			 " i.width, i.height, substring(i.bytes FROM 1 FOR 4) = '\\x89504e47'"
			 " AS png, d.source_path FROM entry.images i JOIN entry.documents d USING"
			 " (client_id, document_id) ORDER BY d.external_ref",
			 0, NULL, &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 4);
	/* PNG as it came, JPEG and TIFF decoded, the PDF's page 2 at 150 dpi */
	assert_string_equal(dbtest_col(res, 0, "source_type"), "image/png");
	assert_string_equal(dbtest_col(res, 0, "width"), "200");
	assert_string_equal(dbtest_col(res, 0, "height"), "100");
	assert_string_equal(dbtest_col(res, 1, "source_type"), "image/jpeg");
	assert_string_equal(dbtest_col(res, 1, "width"), "120");
	assert_string_equal(dbtest_col(res, 2, "source_type"), "image/tiff");
	assert_string_equal(dbtest_col(res, 2, "height"), "60");
	assert_string_equal(dbtest_col(res, 3, "source_type"), "application/pdf");
	assert_string_equal(dbtest_col(res, 3, "page"), "2");
	assert_string_equal(dbtest_col(res, 3, "page_count"), "2");
	assert_string_equal(dbtest_col(res, 3, "width"), "600");
	assert_string_equal(dbtest_col(res, 3, "height"), "300");
	assert_string_equal(dbtest_col(res, 3, "source_path"), "d.pdf#2");
	for (int r = 0; r < 4; r++) {
		assert_string_equal(dbtest_col(res, r, "media_type"), "image/png");
		assert_string_equal(dbtest_col(res, r, "png"), "t");
	}
	bd_db_result_free(res);
	/* R5 has no image */
	assert_int_equal(
	    dbtest_scalar(super,
			  "SELECT count(*) FROM entry.documents d WHERE d.external_ref = 'R5'"
			  " AND NOT EXISTS (SELECT 1 FROM entry.images i WHERE i.document_id ="
			  " d.document_id)",
			  0, NULL),
	    1);

	/* The client's clerk reads the PDF page back and it draws: the black
	 * bar the PDF's page 2 holds is where it was drawn. */
	doc = dbtest_text(
	    super, "SELECT document_id::text FROM entry.documents WHERE external_ref = $1", "R4");
	clerk = dbtest_connect(&t, "iaclerk");
	if (bd_entry_image(clerk, doc, &png, &w, &h, &err) < 0)
		fail_msg("image: %s", err.msg);
	assert_int_equal(w, 600);
	assert_int_equal(h, 300);
	assert_int_equal(bd_image_render(png.buf, png.len, 0, 0, w, h, 60, 30, &img, &err), 0);
	/* (10,10)-(110,30) pt of 288x144 = pixels (2..11, 2..6) of 60x30 */
	assert_true(img.rgb[(4 * 60 + 5) * 3] < 64);
	assert_true(img.rgb[(20 * 60 + 40) * 3] > 192);
	bd_image_release(&img);
	strbuf_release(&png);
	free(doc);
	bd_db_free(clerk);
	bd_db_free(super);
}

static void
test_other_clients_never_see_images(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *super = dbtest_connect(&t, NULL), *other;
	struct strbuf png = STRBUF_INIT;
	char *doc;
	int w = 0, h = 0;

	(void)state;
	if (import("IMGA", "ia", "external_ref,image\nS1,a.png\n", "iso.csv", &err) < 0)
		fail_msg("import: %s (%s)", err.msg, err.detail);
	doc = dbtest_text(
	    super, "SELECT document_id::text FROM entry.documents WHERE external_ref = $1", "S1");
	other = dbtest_connect(&t, "ibclerk");
	/* the table through row security: none of IMGA's rows */
	assert_int_equal(dbtest_scalar(other, "SELECT count(*) FROM entry.images", 0, NULL), 0);
	/* the definer function: "no image you may see", as for no image at all */
	assert_int_equal(bd_entry_image(other, doc, &png, &w, &h, &err), -1);
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
	assert_int_equal(png.len, 0);
	bd_db_free(other);
	/* IMGB's supervisor cannot put an image on IMGA's batch either */
	other = dbtest_connect(&t, "ibsup");
	assert_true(dbtest_fails(
	    other,
	    "SELECT entry.image_put('IMGA', (SELECT max(batch_id) FROM entry.batches), 1,"
	    " 'image/png', 1, 1, 1, 1, '\\x89504e470d0a1a0a00'::bytea)",
	    0, NULL, &err));
	bd_db_free(other);
	/* while IMGA's clerk does read it */
	other = dbtest_connect(&t, "iaclerk");
	assert_int_equal(bd_entry_image(other, doc, &png, &w, &h, &err), 0);
	assert_int_equal(w, 200);
	bd_db_free(other);
	strbuf_release(&png);
	free(doc);
	bd_db_free(super);
}

static void
test_a_bad_image_refuses_the_load(void **state)
{
	static const struct {
		const char *csv, *message;
	} bad[] = {
	    {"external_ref,image\nB1,a.png\nB2,missing.png\n",
	     "bad.csv:3: image missing.png: cannot read it: No such file or directory"},
	    {"external_ref,image\nB1,a.png\nB2,e.txt\n",
	     "bad.csv:3: image e.txt: it is not a PNG, JPEG, TIFF or PDF file"},
	    {"external_ref,image\nB1,f.png\n", "bad.csv:2: image f.png: it is a damaged"},
	    {"external_ref,image\nB1,d.pdf#3\n",
	     "bad.csv:2: image d.pdf#3: the PDF has 2 pages, not 3"},
	    {"external_ref,image\nB1,b.jpg#2\n",
	     "bad.csv:2: image b.jpg#2: only a PDF has pages to choose from"},
	};
	long long batches = count("SELECT count(*) FROM entry.batches"),
		  docs = count("SELECT count(*) FROM entry.documents"),
		  images = count("SELECT count(*) FROM entry.images");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct bd_err err = BD_ERR_INIT;

		assert_int_equal(import("IMGA", "ia", bad[i].csv, "bad.csv", &err), -1);
		if (!strstr(err.msg, bad[i].message))
			fail_msg("case %zu: \"%s\", wanted \"%s\"", i, err.msg, bad[i].message);
	}
	assert_int_equal(count("SELECT count(*) FROM entry.batches"), batches);
	assert_int_equal(count("SELECT count(*) FROM entry.documents"), docs);
	assert_int_equal(count("SELECT count(*) FROM entry.images"), images);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_format_is_stored),
	    cmocka_unit_test(test_other_clients_never_see_images),
	    cmocka_unit_test(test_a_bad_image_refuses_the_load),
	};
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/bd_images_XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	write_files();
	dbtest_start(&t, false);
	make_client("IMGA", "ia");
	make_client("IMGB", "ib");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	{
		const char *names[] = {"a.png", "b.jpg", "c.tif", "d.pdf", "e.txt", "f.png"};
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
			char *p = path_of(names[i]);

			unlink(p);
			free(p);
		}
		rmdir(dir);
	}
	return rc;
}
