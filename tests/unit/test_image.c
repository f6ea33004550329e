/*
 * The document image's arithmetic (issue 20): zones as the document type
 * writes them, which part of the page a region shows (zone widened to the
 * region's shape, zoom, pan, kept on the page, a whole page keeping its
 * shape), the terminal capability from display.images and TERM, and the
 * bytea text the database sends.
 */
#include "backdesk/image.h"
#include "backdesk/screen.h"
#include "backdesk/ui_image.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-6)

static void
test_zone_pixels(void **state)
{
	const double frac[4] = {0.1, 0.2, 0.5, 0.05}, px[4] = {120, 40, 300, 30};
	struct bd_image_rect r;

	(void)state;
	r = bd_image_zone_pixels(frac, false, 1000, 2000);
	NEAR(r.x, 100);
	NEAR(r.y, 400);
	NEAR(r.w, 500);
	NEAR(r.h, 100);
	r = bd_image_zone_pixels(px, true, 1000, 2000);
	NEAR(r.x, 120);
	NEAR(r.w, 300);
}

static void
test_view_of_a_zone(void **state)
{
	struct bd_image_rect z = {300, 400, 400, 80}, r;
	int w, h;

	(void)state;
	/* a 780x96 band: the zone (5:1) widened to 8.125:1, centred on it */
	r = bd_image_view(z, 1000, 2000, 0, 0, 0, 780, 96, &w, &h);
	assert_int_equal(w, 780);
	assert_int_equal(h, 96);
	NEAR(r.h, 80);
	NEAR(r.w, 650);
	NEAR(r.x + r.w / 2, 500);
	NEAR(r.y, 400);
	/* zoom in once: half the size around the same centre */
	r = bd_image_view(z, 1000, 2000, 1, 0, 0, 780, 96, &w, &h);
	NEAR(r.h, 40);
	NEAR(r.x + r.w / 2, 500);
	NEAR(r.y + r.h / 2, 440);
	/* pan right by 2: two tenths of the part shown */
	r = bd_image_view(z, 1000, 2000, 1, 2, 0, 780, 96, &w, &h);
	NEAR(r.x + r.w / 2, 500 + 2 * 325 / 10.0);
	/* a zone near the left edge: widened, the part stays on the page */
	z.x = 20;
	z.w = 100;
	r = bd_image_view(z, 1000, 2000, 0, 0, 0, 780, 96, &w, &h);
	NEAR(r.x, 0);
	/* a zone at the page's edge: the part stays on the page */
	z.x = 900;
	z.w = 100;
	r = bd_image_view(z, 1000, 2000, 0, 0, 0, 780, 96, &w, &h);
	NEAR(r.x + r.w, 1000);
	/* panned far up: stops at the top */
	r = bd_image_view(z, 1000, 2000, 0, 0, -100, 780, 96, &w, &h);
	NEAR(r.y, 0);
}

static void
test_view_of_the_page(void **state)
{
	struct bd_image_rect none = {0, 0, 0, 0}, r;
	int w, h;

	(void)state;
	/* the whole page in a 780x840 region: the page's shape, not margins */
	r = bd_image_view(none, 1275, 1650, 0, 0, 0, 780, 840, &w, &h);
	NEAR(r.x, 0);
	NEAR(r.y, 0);
	NEAR(r.w, 1275);
	NEAR(r.h, 1650);
	assert_int_equal(h, 840);
	assert_int_equal(w, 649); /* 1275 * 840 / 1650 = 649.09 */
	/* zoomed out past the page: still the page */
	r = bd_image_view(none, 1275, 1650, -2, 0, 0, 780, 840, &w, &h);
	NEAR(r.w, 1275);
	assert_int_equal(h, 840);
	/* zoomed in: a quarter of the page's height, the region's shape */
	r = bd_image_view(none, 1275, 1650, 2, 0, 0, 780, 840, &w, &h);
	NEAR(r.h, 1650 / 4.0);
	NEAR(r.w / r.h, 780.0 / 840.0);
	assert_int_equal(w, 780);
}

static void
test_capability(void **state)
{
	(void)state;
	assert_int_equal(bd_ui_image_mode_for("auto", "foot"), BD_UI_IMAGE_SIXEL);
	assert_int_equal(bd_ui_image_mode_for("auto", "foot-extra"), BD_UI_IMAGE_SIXEL);
	assert_int_equal(bd_ui_image_mode_for(NULL, "mlterm"), BD_UI_IMAGE_SIXEL);
	assert_int_equal(bd_ui_image_mode_for("auto", "xterm-256color"), BD_UI_IMAGE_NONE);
	assert_int_equal(bd_ui_image_mode_for("auto", "screen"), BD_UI_IMAGE_NONE);
	assert_int_equal(bd_ui_image_mode_for("auto", NULL), BD_UI_IMAGE_NONE);
	assert_int_equal(bd_ui_image_mode_for("sixel", "vt100"), BD_UI_IMAGE_SIXEL);
	assert_int_equal(bd_ui_image_mode_for("off", "foot"), BD_UI_IMAGE_NONE);
}

static void
test_zones_in_the_document_type(void **state)
{
	static const char ok[] =
	    "screen = { name = \"z\"; fields = (\n"
	    "  { name = \"a\"; label = \"A\"; row = 3; col = 1; type = \"text\"; width = 5;\n"
	    "    zone = \"0.1 0.2 0.3 0.04\"; },\n"
	    "  { name = \"b\"; label = \"B\"; row = 4; col = 1; type = \"text\"; width = 5;\n"
	    "    zone = \"120 40 300 30\"; },\n"
	    "  { name = \"c\"; label = \"C\"; row = 5; col = 1; type = \"text\"; width = 5; }\n"
	    "); grids = ( { name = \"g\"; rows = 3; row = 7; col = 1; columns = (\n"
	    "  { name = \"x\"; label = \"X\"; type = \"text\"; width = 5;\n"
	    "    zone = \"0.1 0.5 0.2 0.03 0.04\"; } ); } ); };\n";
	static const char *const bad[] = {
	    "zone = \"0.1 0.2 0.3\"", "zone = \"0.1 0.2 0.3 0.4 0.5\"",
	    "zone = \"0.8 0.2 0.3 0.1\"", "zone = \"0.1 0.2 0 0.1\"", "zone = \"a b c d\""};
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;
	size_t i;

	(void)state;
	bd_screen_init(&s);
	assert_int_equal(bd_screen_parse(&s, ok, "z.conf", &err), 0);
	assert_true(s.fields[0].has_zone);
	assert_false(s.fields[0].zone_pixels);
	NEAR(s.fields[0].zone[3], 0.04);
	assert_true(s.fields[1].has_zone);
	assert_true(s.fields[1].zone_pixels);
	NEAR(s.fields[1].zone[0], 120);
	assert_false(s.fields[2].has_zone);
	/* a grid's lines step down by DY */
	NEAR(s.fields[3].zone[1], 0.5);
	NEAR(s.fields[4].zone[1], 0.54);
	NEAR(s.fields[5].zone[1], 0.58);
	bd_screen_release(&s);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char text[400];

		snprintf(text, sizeof(text),
			 "screen = { name = \"z\"; fields = (\n"
			 "  { name = \"a\"; label = \"A\"; row = 3; col = 1; type = \"text\"; "
			 "width = 5;\n"
			 "    %s; }\n); };\n",
			 bad[i]);
		bd_screen_init(&s);
		if (bd_screen_parse(&s, text, "z.conf", &err) == 0)
			fail_msg("accepted %s", bad[i]);
		if (!strstr(err.msg, "field 'a'") || !strstr(err.msg, "zone"))
			fail_msg("%s: %s", bad[i], err.msg);
	}
}

static void
test_bytea_text(void **state)
{
	struct strbuf b = STRBUF_INIT;

	(void)state;
	assert_int_equal(bd_image_hex_decode("\\x89504e47", &b), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.buf, "\x89PNG", 4);
	strbuf_reset(&b);
	assert_int_equal(bd_image_hex_decode("89504e47", &b), -1);
	assert_int_equal(bd_image_hex_decode("\\x8", &b), -1);
	assert_int_equal(bd_image_hex_decode("\\xzz", &b), -1);
	strbuf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_zone_pixels),
	    cmocka_unit_test(test_view_of_a_zone),
	    cmocka_unit_test(test_view_of_the_page),
	    cmocka_unit_test(test_capability),
	    cmocka_unit_test(test_zones_in_the_document_type),
	    cmocka_unit_test(test_bytea_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
