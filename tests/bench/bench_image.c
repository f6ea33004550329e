/*
 * The document image's bytes on the terminal (issue 20): what the keying
 * screen sends per document view, against the image's own sixel size (the
 * page at its own pixels, the same encoder, the same run).
 *
 * The page: the shipped CMS-1500-like claim's sample page (`backdesk image
 * --sample`, US Letter at 150 dpi, 1275x1650), normalised as a batch load
 * stores it. Cells of 10x20 pixels (the fallback when the terminal does
 * not say). Wide: 160x48, the whole page beside the form, sent once per
 * document view whatever is keyed. 80x24: the current field's zone in a
 * band of 78x5 cells, sent when the zone changes: per zone (every field
 * and grid line of the claim), the largest and the mean. Goals (issue 20):
 * a view sends at most the image's own sixel size once, and at most 64 KB
 * per zone at 80x24. Also the time to render and encode (on the worker
 * thread, off the input path).
 */
#include "bench_common.h"

#include "backdesk/embedded.h"
#include "backdesk/entry.h"
#include "backdesk/image.h"
#include "backdesk/screen.h"
#include "backdesk/ui_image.h"

/* what ui_image.c writes around the sixel: ESC 7, ESC [ r;c H, ESC 8 */
#define WRAPPER 14

static size_t
encode(const struct strbuf *png, struct bd_image_rect part, int w, int h, double *ms)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_image img = {0};
	struct strbuf out = STRBUF_INIT;
	double t0 = bench_now();
	size_t n;

	if (bd_image_render(png->buf, png->len, part.x, part.y, part.w, part.h, w, h, &img, &err) <
		0 ||
	    bd_sixel_encode(&img, 16, &out, &err) < 0) {
		fprintf(stderr, "bench_image: %s\n", err.msg);
		exit(1);
	}
	if (ms)
		*ms = (bench_now() - t0) * 1000;
	n = out.len;
	bd_image_release(&img);
	strbuf_release(&out);
	return n;
}

int
main(void)
{
	const struct bd_embedded_file *f = bd_embedded_find("screens/doctypes/cms1500.conf");
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen screen;
	struct strbuf sample = STRBUF_INIT;
	struct bd_image_page page;
	struct bd_image_rect whole = {0, 0, 0, 0}, part;
	char path[] = "/tmp/bd_bench_image_XXXXXX", a[64], b[64];
	size_t own, wide, zone, max = 0, sum = 0, nzones = 0, i;
	double ms_wide = 0, ms;
	int fd, ow, oh;
	FILE *fp;

	bd_screen_init(&screen);
	bd_image_page_init(&page);
	if (!f || bd_screen_parse(&screen, f->data, "cms1500.conf", &err) < 0 ||
	    bd_entry_sample_page(&screen, &sample, &err) < 0) {
		fprintf(stderr, "bench_image: %s\n", err.msg);
		return 1;
	}
	/* stored as a batch load stores it */
	if ((fd = mkstemp(path)) < 0 || !(fp = fdopen(fd, "wb")) ||
	    fwrite(sample.buf, 1, sample.len, fp) != sample.len || fclose(fp) != 0 ||
	    bd_image_page_load(path, 1, &page, &err) < 0) {
		fprintf(stderr, "bench_image: cannot store the sample page: %s\n", err.msg);
		return 1;
	}
	unlink(path);
	part.x = part.y = 0;
	part.w = page.width;
	part.h = page.height;
	own = encode(&page.png, part, page.width, page.height, NULL);

	/* wide: 160x48 cells, the region 78x42 cells */
	part = bd_image_view(whole, page.width, page.height, 0, 0, 0, 78 * 10, 42 * 20 / 6 * 6, &ow,
			     &oh);
	wide = encode(&page.png, part, ow, oh, &ms_wide) + WRAPPER;

	/* 80x24: a band of 78x5 cells per zone */
	for (i = 0; i < screen.nfields; i++) {
		const struct bd_field_def *fd2 = &screen.fields[i];
		struct bd_image_rect z;

		if (!fd2->has_zone)
			continue;
		z = bd_image_zone_pixels(fd2->zone, fd2->zone_pixels, page.width, page.height);
		part = bd_image_view(z, page.width, page.height, 0, 0, 0, 78 * 10, 5 * 20 / 6 * 6,
				     &ow, &oh);
		zone = encode(&page.png, part, ow, oh, &ms) + WRAPPER;
		if (zone > max)
			max = zone;
		sum += zone;
		nzones++;
	}
	fprintf(stderr,
		"bench_image: page %dx%d, PNG %zu bytes; own sixel %zu; wide view %zu (%.0f ms to "
		"render and encode); %zu zones, largest %zu, mean %zu\n",
		page.width, page.height, page.png.len, own, wide, ms_wide, nzones, max,
		nzones ? sum / nzones : 0);
	snprintf(a, sizeof(a), "%.1f KB", wide / 1024.0);
	snprintf(b, sizeof(b), "%.1f KB own sixel", own / 1024.0);
	bench_row("Document image, wide terminal (160x48, whole page)",
		  "bytes per document view (one sixel)", a, b, (double)wide / own,
		  "<= own size, once", bench_met(wide <= own));
	snprintf(a, sizeof(a), "%.1f KB max, %.1f KB mean", max / 1024.0,
		 nzones ? sum / nzones / 1024.0 : 0);
	bench_row("Document image, 80x24 zones (78x5-cell band)",
		  "bytes per zone change (never per key)", a, b, (double)max / own, "<= 64 KB",
		  bench_met(max <= 64 * 1024));
	bd_image_page_release(&page);
	strbuf_release(&sample);
	bd_screen_release(&screen);
	return 0;
}
