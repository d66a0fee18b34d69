/* test_chart_svg.c — the shapes of the SVG charts against Cairo's own SVG surface: every
 * case is drawn once through chart_render (cundang's writer) and once on a real
 * cairo_svg_surface, whose document is shortened by the rules cundang used before it wrote
 * the elements itself (ref_compact, kept here as the oracle); the two must be the same bytes.
 * Also chart_svg_number against printf and Cairo's number rules on many values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "render/chart/chart_int.h"

#include <cairo-svg.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the oracle: Cairo's printing and the former shortening ---- */

static void ref_hundredths(buf_t *b, long long m)
{
	if (m < 0) {
		buf_addc(b, '-');
		m = -m;
	}
	/* Built backwards by hand: a dossier's charts print some ten thousand numbers. */
	char tmp[32];
	char *p = tmp + sizeof tmp;
	unsigned long long u = (unsigned long long)m, i = u / 100, f = u % 100;
	if (f) {
		if (f % 10)
			*--p = (char)('0' + f % 10);
		*--p = (char)('0' + f / 10);
		*--p = '.';
	}
	if (i || !f) /* "0.5" → ".5" */
		do
			*--p = (char)('0' + i % 10);
		while ((i /= 10) != 0);
	buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

static double ref_decimal(const char *s, const char *dot, const char *end)
{
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	int64_t m = 0;
	int digits = 0, decimals = end - dot > 1 ? (int)(end - dot - 1) : 0;
	for (const char *p = s; p < end; p++) {
		if (*p == '.')
			continue;
		m = m * 10 + (*p - '0');
		if (++digits > 15)
			return strtod(s, NULL);
	}
	if (decimals >= (int)(sizeof pow10 / sizeof *pow10))
		return strtod(s, NULL);
	return (double)m / pow10[decimals];
}

static void ref_compact(buf_t *out, const char *s, size_t n)
{
	static const char *const defaults[] = {"fill-opacity:1;", "stroke-opacity:1;",
	                                       "fill-rule:nonzero;"};
	const char *end = s + n, *begin = s;
	bool in_d = false; /* inside a path's d="…" */
	while (s < end) {
		/* Each test starts from the first byte: this loop sees every byte of every chart.
		 */
		if (!in_d && *s == ' ' && end - s > 4 && !memcmp(s, " d=\"", 4)) {
			buf_add(out, s, 4);
			s += 4;
			in_d = true;
			continue;
		}
		if (in_d && *s == '"')
			in_d = false;
		/* In path data a space is needed only between two numbers the second of which is
		 * not negative: "M 96 46 L 536 46" is "M96 46L536 46". */
		if (in_d && *s == ' ' && s > begin && s + 1 < end &&
		    (isalpha((unsigned char)s[-1]) || isalpha((unsigned char)s[1]) ||
		     s[1] == '-')) {
			s++;
			continue;
		}
		if (*s == 'r' && end - s > 4 && !memcmp(s, "rgb(", 4)) {
			double c[3];
			const char *q = s + 4;
			int k = 0;
			for (; k < 3; k++) {
				char *e;
				c[k] = strtod(q, &e);
				if (e == q || *e != '%')
					break;
				q = e + 1;
				if (k < 2 && *q++ != ',')
					break;
			}
			if (k == 3 && *q == ')') {
				char hex[8];
				for (k = 0; k < 3; k++)
					c[k] = c[k] < 0 ? 0 : c[k] > 100 ? 255 : c[k] * 2.55;
				snprintf(hex, sizeof hex, "#%02x%02x%02x", (unsigned)lround(c[0]),
				         (unsigned)lround(c[1]), (unsigned)lround(c[2]));
				buf_adds(out, hex);
				s = q + 1;
				continue;
			}
		}
		bool dropped = false;
		for (size_t k = 0;
		     (*s == 'f' || *s == 's') && k < sizeof defaults / sizeof *defaults; k++) {
			size_t len = strlen(defaults[k]);
			if ((size_t)(end - s) >= len && !memcmp(s, defaults[k], len)) {
				s += len;
				dropped = true;
				break;
			}
		}
		if (dropped)
			continue;
		/* A number starts at a digit that does not continue a name (glyph0-1, clip2). */
		if (*s >= '0' && *s <= '9' &&
		    (s == begin ||
		     !(isalnum((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '.'))) {
			const char *q = s;
			while (q < end && *q >= '0' && *q <= '9')
				q++;
			const char *dot = q;
			if (q < end && *q == '.') {
				q++;
				while (q < end && *q >= '0' && *q <= '9')
					q++;
			}
			if (q - dot > 3) { /* ".123": more than two decimals */
				ref_hundredths(out, llround(ref_decimal(s, dot, q) * 100));
			} else {
				buf_add(out, s, (size_t)(q - s));
			}
			s = q;
			continue;
		}
		buf_addc(out, *s++);
	}
}

/* _cairo_dtostr (cairo-output-stream.c) in the C locale. */
static void ref_dtostr(char *buf, size_t size, double d)
{
	if (d == 0.0)
		d = 0.0;
	if (fabs(d) >= 0.1) {
		snprintf(buf, size, "%f", d);
	} else {
		snprintf(buf, size, "%.18f", d);
		char *p = buf;
		if (*p == '+' || *p == '-')
			p++;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '.')
			p++;
		int zeros = 0;
		while (*p++ == '0')
			zeros++;
		if (zeros + 6 < 18)
			snprintf(buf, size, "%.*f", zeros + 6, d);
	}
	char *dot = strchr(buf, '.');
	if (dot) {
		char *e = buf + strlen(buf) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
}

static void check_number(double d)
{
	char raw[512];
	ref_dtostr(raw, sizeof raw, d);
	buf_t want = {0}, got = {0};
	ref_compact(&want, raw, strlen(raw));
	chart_svg_number(&got, d);
	if (strcmp(want.data, got.data) != 0)
		fail_msg("%.17g: Cairo printed %s, shortened %s; chart_svg_number gave %s", d, raw,
		         want.data, got.data);
	buf_free(&want);
	buf_free(&got);
}

static void test_numbers(void **state)
{
	(void)state;
	/* Every device coordinate Cairo's 24.8 fixed point holds within ±1200 px, and the
	 * user-space ones a band of 24 or 28 px away. */
	for (int k = -1200 * 256; k <= 1200 * 256; k++) {
		check_number(k / 256.0);
		check_number(k / 256.0 - 28);
	}
	/* Arbitrary doubles: an LCG's, at several scales, and the places where rounding turns. */
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 400000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		double u = (double)(x >> 11) / 9007199254740992.0;
		static const double scale[] = {1e-4, 0.1, 1, 100, 1e4, 1e8, 2e9};
		check_number((u - 0.5) * scale[i % 7]);
	}
	for (int k = 0; k < 200000; k++) {
		check_number(k / 1000.0 + 0.0005);
		check_number(k / 100.0 + 0.005);
		check_number(k / 1e6 + 5e-7);
	}
	static const double special[] = {0.0,
	                                 -0.0,
	                                 0.1,
	                                 -0.1,
	                                 0.09999999999999999,
	                                 1e9,
	                                 -1e9,
	                                 1e12,
	                                 1e-300,
	                                 5e-324,
	                                 0.005,
	                                 0.015,
	                                 0.095,
	                                 1.5,
	                                 1.8,
	                                 M_SQRT2 * 10,
	                                 100.0 * 114 / 255,
	                                 99.999999,
	                                 0.99999995};
	for (size_t i = 0; i < sizeof special / sizeof *special; i++)
		check_number(special[i]);
}

/* ---- shapes drawn both ways ---- */

static cairo_status_t append(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static void color(cairo_t *cr, uint32_t c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
	                     (c & 0xff) / 255.0);
}

/* What S_paint does on an SVG surface, then the case: Cairo's document shortened, from its
 * surface group to the group's end, the group's id as chart_render names it. */
static void svg_surface_shapes(const chart_layout_t *lay, chart_draw_fn draw, buf_t *out)
{
	buf_t doc = {0};
	cairo_surface_t *s =
	    cairo_svg_surface_create_for_stream(append, &doc, lay->w, lay->h - lay->band);
	cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
	cairo_t *cr = cairo_create(s);
	color(cr, CHART_COLOR_BG);
	cairo_paint(cr);
	cairo_translate(cr, 0, -lay->band);
	chart_canvas_t c = {.cr = cr, .font = -1, .w = lay->w, .h = lay->h};
	draw(&c, NULL);
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	buf_addc(&doc, '\0');
	const char *g = strstr(doc.data, "<g id=\"surface");
	assert_non_null(g);
	const char *body = strchr(g, '>') + 1, *end = strstr(body, "</g>\n");
	assert_non_null(end);
	buf_adds(out, "<g id=\"t-1\">");
	ref_compact(out, body, (size_t)(end - body));
	buf_free(&doc);
}

static void cundang_shapes(const chart_layout_t *lay, chart_draw_fn draw, buf_t *out)
{
	buf_t svg = {0};
	err_t err = {0};
	assert_int_equal(chart_render("test", lay, "t", "t", CHART_SVG, draw, NULL, &svg, &err), 0);
	const char *g = strstr(svg.data, "<g id=\"t-1\">"), *end = g ? strstr(g, "</g>\n") : NULL;
	assert_non_null(end);
	buf_add(out, g, (size_t)(end - g));
	buf_free(&svg);
}

/* Lines and rectangles in the house colours, dashed and solid, caps and joins. */
static void draw_lines(chart_canvas_t *c, const void *arg)
{
	(void)arg;
	cairo_t *cr = c->cr;
	static const double dash[] = {4, 3};
	color(cr, 0xCFE2F0);
	cairo_rectangle(cr, 96.25, 46, 440.5, 12.1);
	chart_fill(c);
	color(cr, 0x6B7684);
	cairo_set_line_width(cr, 1);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_move_to(cr, 56, 44.5);
	cairo_line_to(cr, 656, 44.5);
	chart_stroke(c);
	cairo_set_dash(cr, dash, 2, 1.5);
	cairo_move_to(cr, 56, 74.5);
	cairo_line_to(cr, 300.333333, 80.1);
	chart_stroke(c);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_set_line_width(cr, 2);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_move_to(cr, 81, 68.89);
	for (int i = 1; i < 12; i++)
		cairo_line_to(cr, 81 + i * 50, 68.89 + 30 * sin(i));
	chart_stroke(c);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
	cairo_set_line_width(cr, 1.8);
	cairo_move_to(cr, 10.5, 100);
	cairo_line_to(cr, 13.5, 103.5);
	cairo_line_to(cr, 19, 96);
	cairo_move_to(cr, 30, 96.5);
	cairo_line_to(cr, 37, 103.5);
	chart_stroke(c);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	/* Several subpaths in one fill, negative and tiny coordinates. */
	color(cr, 0x0072B2);
	for (int i = 0; i < 4; i++) {
		cairo_move_to(cr, -3.3 + i * 20, 120.004);
		cairo_line_to(cr, 10 + i * 20, 120.004);
		cairo_line_to(cr, 8 + i * 20, 130.001);
		cairo_line_to(cr, 0.001 + i * 20, 130.001);
		cairo_close_path(cr);
	}
	chart_fill(c);
}

/* Markers and slices: fill_preserve and a stroke of the same path are one element. */
static void draw_markers(chart_canvas_t *c, const void *arg)
{
	(void)arg;
	cairo_t *cr = c->cr;
	for (int k = 0; k < 3; k++) {
		double x = 60 + 40 * k, y = 60.4;
		cairo_new_sub_path(cr);
		if (k == 0)
			cairo_arc(cr, x, y, 3.6, 0, 2 * M_PI);
		else if (k == 1)
			cairo_rectangle(cr, x - 3.2, y - 3.2, 6.4, 6.4);
		else {
			cairo_move_to(cr, x, y - 4.4);
			cairo_line_to(cr, x + 4.2, y + 3);
			cairo_line_to(cr, x - 4.2, y + 3);
		}
		cairo_close_path(cr);
		color(cr, 0xE69F00);
		chart_fill_preserve(c);
		cairo_set_line_width(cr, 1);
		color(cr, 0xFFFFFF);
		chart_stroke(c);
	}
	/* A donut's slices, the last one whole with no rim (width 0: no stroke at all). */
	double a0 = -M_PI / 2;
	static const double share[] = {0.43, 0.31, 0.26};
	for (int i = 0; i < 3; i++) {
		double a1 = a0 + 2 * M_PI * share[i];
		cairo_new_sub_path(cr);
		cairo_arc(cr, 200, 150, 70, a0, a1);
		cairo_arc_negative(cr, 200, 150, 42, a1, a0);
		cairo_close_path(cr);
		color(cr, 0x56B4E9 + (uint32_t)i * 0x101010);
		chart_fill_preserve(c);
		color(cr, 0xFFFFFF);
		cairo_set_line_width(cr, i < 2 ? 1.5 : 0);
		chart_stroke(c);
		a0 = a1;
	}
	cairo_new_path(cr);
	/* A fill, then a stroke of an equal path made anew: Cairo joins them too. */
	color(cr, 0x5D3A9B);
	cairo_rectangle(cr, 300, 40, 20, 20);
	chart_fill(c);
	cairo_rectangle(cr, 300, 40, 20, 20);
	color(cr, 0x333333);
	chart_stroke(c);
	/* And a fill followed by a stroke of another path: two elements. */
	cairo_rectangle(cr, 330, 40, 20, 20);
	chart_fill(c);
	cairo_rectangle(cr, 330, 40, 21, 20);
	chart_stroke(c);
}

/* What Cairo leaves out: empty fills, fills and strokes off the surface (the band above
 * it included), fills of no area; and what it keeps: a miter stroke just off the edge. */
static void draw_left_out(chart_canvas_t *c, const void *arg)
{
	(void)arg;
	cairo_t *cr = c->cr;
	color(cr, 0xCC79A7);
	cairo_rectangle(cr, 50, 50, 0, 20); /* no width */
	chart_fill(c);
	cairo_rectangle(cr, 50, 50, 20, 0); /* no height */
	chart_fill(c);
	cairo_rectangle(cr, 50.5, 50.25, 20, 0); /* no height, off the pixel grid */
	chart_fill(c);
	cairo_move_to(cr, 10, 10);
	chart_fill(c);                      /* a move only */
	cairo_rectangle(cr, 10, 2, 30, 10); /* in the band (above the surface when band > 12) */
	chart_fill(c);
	cairo_rectangle(cr, -40, 60, 30, 10); /* left of it */
	chart_fill(c);
	cairo_rectangle(cr, 700, 60, 30, 10); /* right of it */
	chart_fill(c);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, 10, 3);
	cairo_line_to(cr, 200, 3); /* a stroke in the band */
	chart_stroke(c);
	cairo_move_to(cr, -30, 40);
	cairo_line_to(cr, -3, 80); /* diagonal, 3 px left: a miter's reach keeps it */
	chart_stroke(c);
	cairo_move_to(cr, -30, 40);
	cairo_line_to(cr, -3, 40); /* level, 3 px left: gone */
	chart_stroke(c);
	cairo_move_to(cr, 5, 5);
	chart_stroke(c); /* nothing drawn */
	cairo_move_to(cr, 5, 90);
	cairo_line_to(cr, 5, 90); /* a dot */
	chart_stroke(c);
	cairo_rectangle(cr, 20, 90, 10, 10);
	cairo_set_line_width(cr, 0);
	chart_stroke(c);
	cairo_set_line_width(cr, 1);
}

/* A fill over the whole surface is Cairo's paint, and an opaque paint drops what was before. */
static void draw_cover(chart_canvas_t *c, const void *arg)
{
	(void)arg;
	cairo_t *cr = c->cr;
	color(cr, 0x999999);
	cairo_rectangle(cr, 20, 60, 50, 50);
	chart_fill(c);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, 20, 130);
	cairo_line_to(cr, 200, 130);
	chart_stroke(c);
	color(cr, 0xE3E3E3);
	cairo_rectangle(cr, -5, -40, c->w + 10, c->h + 80);
	chart_fill(c);
	color(cr, 0x0072B2);
	cairo_rectangle(cr, 30, 70, 40, 40);
	chart_fill(c);
	cairo_set_source_rgba(cr, 1, 0, 0, 0.5); /* translucent: a paint that keeps the rest */
	cairo_rectangle(cr, -5, -40, c->w + 10, c->h + 80);
	chart_fill(c);
	cairo_set_source_rgba(cr, 0, 0, 1, 0.25);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_rectangle(cr, 100, 100, 40, 40);
	cairo_rectangle(cr, 110, 110, 20, 20);
	chart_fill(c);
}

static void both_ways(chart_draw_fn draw)
{
	static const chart_layout_t lays[] = {
	    {640, 268, 24, 0, 0}, {300, 256, 0, 0, 0}, {721, 300, 28, 0, 0}};
	for (size_t i = 0; i < sizeof lays / sizeof *lays; i++) {
		buf_t want = {0}, got = {0};
		svg_surface_shapes(&lays[i], draw, &want);
		cundang_shapes(&lays[i], draw, &got);
		buf_addc(&want, '\0');
		buf_addc(&got, '\0');
		if (strcmp(want.data, got.data) != 0) {
			size_t k = 0;
			while (want.data[k] == got.data[k])
				k++;
			size_t from = k > 120 ? k - 120 : 0;
			fail_msg(
			    "layout %zu differs at byte %zu:\nCairo:   %.240s\ncundang: %.240s", i,
			    k, want.data + from, got.data + from);
		}
		buf_free(&want);
		buf_free(&got);
	}
}

static void test_lines(void **state)
{
	(void)state;
	both_ways(draw_lines);
}

static void test_markers(void **state)
{
	(void)state;
	both_ways(draw_markers);
}

static void test_left_out(void **state)
{
	(void)state;
	both_ways(draw_left_out);
}

static void test_cover(void **state)
{
	(void)state;
	both_ways(draw_cover);
}

static int setup(void **state)
{
	(void)state;
	err_t err = {0};
	return chart_init(&err);
}

static int teardown(void **state)
{
	(void)state;
	chart_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbers), cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_markers), cmocka_unit_test(test_left_out),
	    cmocka_unit_test(test_cover),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
