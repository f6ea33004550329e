#ifndef BACKDESK_UI_IMAGE_H
#define BACKDESK_UI_IMAGE_H
/*
 * A picture in a region of the screen (issue 20: the document beside the
 * form), drawn with sixel graphics where the terminal has them.
 *
 * Whether it does is the setting display.images: "off", "sixel" (the user
 * says so), or "auto": TERM names a terminal known to show sixel (foot,
 * mlterm, wezterm, contour, yaft, mintty, ...; see bd_ui_image_mode_for).
 * No query is sent to the terminal: a DA1 reply would arrive among the
 * keys the clerk types ahead at login and has to be waited for; the TERM
 * list never waits, and a terminal outside it is one setting away.
 *
 * The caller gives the page once per document (bd_ui_image_page) and
 * registers a provider that, at each screen update, says which part of the
 * page goes where (bd_ui_image_place): it is cheap and runs only when no
 * key is waiting. A part not drawn before is rendered and sixel-encoded on
 * a worker thread, never on the input path, and kept (a few per page, by
 * region and part), so moving between fields of the same zone sends
 * nothing, and coming back to a zone sends bytes already made. The bytes
 * reach the terminal after curses' own update, with the cursor saved and
 * restored around them, once per placement; again only after something
 * covered the region (a popup closed, a full-screen view left, a redraw or
 * resize). Curses sees the region as blank cells inside a frame, so it
 * never writes there (and no clear-to-end-of-line crosses it: the frame's
 * right side is the last thing on each of its lines).
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/image.h"
#include "backdesk/strbuf.h"
#include "backdesk/ui.h"

enum bd_ui_image_mode {
	BD_UI_IMAGE_NONE = 0,
	BD_UI_IMAGE_SIXEL,
};

/* The mode for setting `setting` ("auto", "sixel", "off"; NULL = auto) and
 * terminal type `term` (NULL = unknown). */
enum bd_ui_image_mode bd_ui_image_mode_for(const char *setting, const char *term);

/* This terminal's mode (display.images and $TERM, read when it opened). */
enum bd_ui_image_mode bd_ui_image_mode(const struct bd_ui *ui);

/* Pixels of one character cell (TIOCGWINSZ, else 10x20) and the screen's
 * size in cells. */
void bd_ui_image_geometry(const struct bd_ui *ui, int *cell_w, int *cell_h, int *lines, int *cols);

/* The page to show from now on: PNG bytes (copied) of width x height
 * pixels; NULL forgets it and hides the region. */
void bd_ui_image_page(struct bd_ui *ui, const void *png, size_t len, int width, int height);

/*
 * Called by the provider: show `part` of the page, drawn in out_w x out_h
 * pixels, in the region at (row, col) of rows x cols cells (its frame goes
 * around it, one cell out; `title` is written on the frame's top). rows 0
 * hides the region.
 */
void bd_ui_image_place(struct bd_ui *ui, int row, int col, int rows, int cols,
		       struct bd_image_rect part, int out_w, int out_h, const char *title);

/* The provider, called at each screen update of the view on top now (the
 * one it was registered under). NULL removes it (and hides the region). */
void bd_ui_image_provider(struct bd_ui *ui, void (*want)(struct bd_ui *ui, void *ctx), void *ctx);

/* Encodes `img` as one sixel image (ESC P ... q ... ESC \) appended to
 * `out`, at most `colors` colours. 0 or -1 with err set. */
int bd_sixel_encode(const struct bd_image *img, int colors, struct strbuf *out, struct bd_err *err);

#endif
