/*
 * A picture as sixel graphics, with libsixel. Built into backdesk-image.so,
 * never into the binary (src/kit/image_module.c). See
 * include/backdesk/ui_image.h.
 */
#include "backdesk/ui_image.h"

#include <sixel.h>

static int
sixel_append(char *data, int size, void *priv)
{
	strbuf_add(priv, data, (size_t)size);
	return size;
}

int
bd_sixel_encode(const struct bd_image *img, int colors, struct strbuf *out, struct bd_err *err)
{
	sixel_output_t *output = NULL;
	sixel_dither_t *dither = NULL;
	SIXELSTATUS st;
	int rc = -1;

	st = sixel_output_new(&output, sixel_append, out, NULL);
	if (SIXEL_FAILED(st))
		goto fail;
	sixel_output_set_encode_policy(output, SIXEL_ENCODEPOLICY_SIZE);
	st = sixel_dither_new(&dither, colors, NULL);
	if (SIXEL_FAILED(st))
		goto fail;
	st = sixel_dither_initialize(dither, img->rgb, img->width, img->height,
				     SIXEL_PIXELFORMAT_RGB888, SIXEL_LARGE_AUTO, SIXEL_REP_AUTO,
				     SIXEL_QUALITY_AUTO);
	if (SIXEL_FAILED(st))
		goto fail;
	/* scans are text on paper: no dithering noise, which costs bytes */
	sixel_dither_set_diffusion_type(dither, SIXEL_DIFFUSE_NONE);
	st = sixel_encode(img->rgb, img->width, img->height, 3, dither, output);
	if (SIXEL_FAILED(st))
		goto fail;
	rc = 0;
	goto cleanup;
fail:
	bd_err_set(err, BD_ERR_INTERNAL, "cannot encode the image as sixel (%s)",
		   sixel_helper_format_error(st));
cleanup:
	if (dither)
		sixel_dither_unref(dither);
	if (output)
		sixel_output_unref(output);
	return rc;
}
