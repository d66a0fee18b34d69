/* chart_int.h — what the two halves of the chart module share (and its unit tests), nothing else:
 * chart.c draws the charts on a canvas; chart_out.c owns the fonts and turns a canvas into
 * SVG or PNG bytes. */
#ifndef CUNDANG_CHART_INT_H
#define CUNDANG_CHART_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "render/chart/chart.h"

/* The fonts of the charts, all CHART_FONT. */
enum {
	CHART_F_LABEL,
	CHART_F_SMALL,
	CHART_F_BOLD,
	CHART_F_TITLE,
	CHART_F_BIG,
	CHART_F_EMPTY,
	CHART_F_COUNT
};

typedef struct chart_svg chart_svg_t;

/* A text shaped for SVG (chart_measure_text): its size and its glyphs, each an outline (an
 * index into the font map's paths, never an empty one) at Pango units from the origin. */
typedef struct {
	size_t path;
	int dx, dy;
} chart_glyph_t;

struct shaped {
	double w, h;
	int n;
	chart_glyph_t *g;
};

/* What a drawing function draws on: Cairo for shapes, one layout for every label. Logical
 * pixels; the PNG's scale is already on cr. */
typedef struct {
	cairo_t *cr;
	PangoLayout *layout;
	int font;         /* set on layout, or -1 */
	double w, h;      /* the layout's size, title band included */
	chart_svg_t *svg; /* SVG only: where shapes and text go (chart_fill, chart_show_text) */
	/* SVG only: the text chart_measure_text measured last, in the font map's cache or, when
	 * that is full, in shaped_tmp (owned here). */
	const struct shaped *shaped;
	struct shaped shaped_tmp;
} chart_canvas_t;

typedef void (*chart_draw_fn)(chart_canvas_t *c, const void *arg);

/* The sizes of a chart: the wide layout w×h, whose top band rows hold a PNG's title (an SVG
 * leaves them out), and the narrow layout nw×nh of CHART_SVG_DUAL (no title band). */
typedef struct {
	int w, h, band;
	int nw, nh;
} chart_layout_t;

/* Creates the canvas of fmt, paints the background, calls draw(c, arg) (twice for
 * CHART_SVG_DUAL, on the wide then the narrow canvas; draw tells them apart by c->w) and
 * appends the result to out (SVG finished for inlining with ids "<prefix>-<n>", or PNG with
 * pHYs). kind names the chart in messages and in the SVG's class. Returns 0 or -1 with
 * err. */
int chart_render(const char *kind, const chart_layout_t *lay, const char *title, const char *prefix,
                 chart_format_t fmt, chart_draw_fn draw, const void *arg, buf_t *out, err_t *err);

/* Sets s in font, ellipsized to maxw px when maxw > 0, and gives its size in *w and *h;
 * chart_show_text then draws it with its top-left corner at (x, y) in colour 0xRRGGBB. On PNG
 * that is pango_cairo_show_layout; on SVG the glyphs become <use> of outlines defined once per
 * document and cached per font map, all text landing above the shapes, and a text is shaped
 * once per font map (per thread), however many charts show it. */
void chart_measure_text(chart_canvas_t *c, const char *s, int font, double maxw, double *w,
                        double *h);
void chart_show_text(chart_canvas_t *c, double x, double y, uint32_t color);

/* Paint the current path as cairo_fill, cairo_fill_preserve and cairo_stroke do, with cr's
 * colour, line and dash. On PNG they are those calls; on SVG they write the element Cairo's
 * SVG surface would have written, to the same bytes (chart_out.c says why). */
void chart_fill(chart_canvas_t *c);
void chart_fill_preserve(chart_canvas_t *c);
void chart_stroke(chart_canvas_t *c);

/* Appends d as the charts' SVG prints a number: what Cairo's SVG surface printed (%f with the
 * trailing zeros cut, six significant decimals below 0.1), with more than two decimals
 * rounded to hundredths. Exposed for the unit test. */
void chart_svg_number(buf_t *b, double d);

/* The charts' own texts, NULL-terminated (checked by chart_check_font). */
extern const char *const chart_own_texts[];

#endif
