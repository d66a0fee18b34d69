/* test_chart.c — unit tests of the charts: each chart drawn from fixed data to PNG and
 * probed where its layout puts bars, lines, thresholds and background; pHYs; empty states;
 * SVGs that parse, count their marks and keep their ids apart; identical bytes across
 * calls and threads; and every label set in real glyphs of the installed fonts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "render/chart/chart.h"

#include <cairo.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- fixed data ---- */

static const chart_step_t STEPS[6] = {
    {"总户数", 1000, NULL, NAN, 1},    {"走访", 900, "走访率", 0.9, 0.9},
    {"建档", 800, "建档率", 0.8, 0.8}, {"授信", 500, "授信覆盖率", 0.52, 0.5},
    {"签约", 300, "签约率", 0.6, 0.3}, {"用信", 100, "用信率", 0.2, 0.1},
};
static const char *const SERIES[CHART_TREND_SERIES] = {"走访率", "建档率", "授信覆盖率", "签约率",
                                                       "用信率"};
static const double THRESHOLDS[CHART_TREND_SERIES] = {0.95, 0.90, 0.80, 0.60, NAN};
static const char *const MONTHS[12] = {"2025-11", "2025-12", "2026-01", "2026-02",
                                       "2026-03", "2026-04", "2026-05", "2026-06",
                                       "2026-07", "2026-08", "2026-09", "2026-10"};
static const chart_bar_t BARS[8] = {
    {"后白村", 0.95, NULL, CHART_MARK_BY_RULE}, {"前进村", 0.85, NULL, CHART_MARK_BY_RULE},
    {"东风村", 0.7, NULL, CHART_MARK_BY_RULE},  {"北岗村", 0.5, NULL, CHART_MARK_BY_RULE},
    {"西冯村", NAN, NULL, CHART_MARK_BY_RULE},  {"南山村", 0.3, NULL, CHART_MARK_BY_RULE},
    {"王庄村", 0.9, NULL, CHART_MARK_BY_RULE},  {"李家村", 0.1, NULL, CHART_MARK_BY_RULE},
};
/* BARS sorted as the chart draws them (highest first, null last). */
static const double BARS_SORTED[8] = {0.95, 0.9, 0.85, 0.7, 0.5, 0.3, 0.1, NAN};
static const double BARS_RULE = 0.75;
static const chart_slice_t SLICES[6] = {
    {"农户", 600, 0.6},
    {"商户", 200, 0.2},
    {"公职人员", 100, 0.1},
    {"企业职工", 50, 0.05},
    {"新型农业经营主体", 30, 0.03},
    {"其他", 20, 0.02},
};
#define SLICES_TOTAL 1000

/* Series s in month i: series 0.15 apart, so markers of one month never touch. Series 4
 * (用信率) is null in month 5, and has no threshold, so its black line can be traced. */
static void trend_months(chart_month_t m[12])
{
	for (int i = 0; i < 12; i++) {
		m[i].month = MONTHS[i];
		for (int s = 0; s < CHART_TREND_SERIES; s++)
			m[i].rate[s] = 0.05 + 0.15 * s + 0.02 * i;
	}
	m[5].rate[4] = NAN;
}

/* ---- helpers ---- */

typedef struct {
	const unsigned char *p;
	size_t left;
} reader_t;

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int len)
{
	reader_t *r = closure;
	if (len > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, len);
	r->p += len;
	r->left -= len;
	return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *decode(const buf_t *b)
{
	reader_t r = {(const unsigned char *)b->data, b->len};
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png, &r);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(s);
	return s;
}

/* The pixel at device coordinates (x, y) as 0xRRGGBB. */
static uint32_t dpx(cairo_surface_t *s, int x, int y)
{
	assert_true(x >= 0 && x < cairo_image_surface_get_width(s));
	assert_true(y >= 0 && y < cairo_image_surface_get_height(s));
	const unsigned char *row =
	    cairo_image_surface_get_data(s) + (size_t)y * (size_t)cairo_image_surface_get_stride(s);
	return ((const uint32_t *)(const void *)row)[x] & 0xFFFFFF;
}

/* The pixel at logical coordinates (x, y). */
static uint32_t px(cairo_surface_t *s, double x, double y)
{
	return dpx(s, (int)floor(x * CHART_PNG_SCALE), (int)floor(y * CHART_PNG_SCALE));
}

#define assert_px(s, x, y, want)                                                                   \
	do {                                                                                       \
		uint32_t got_ = px(s, x, y);                                                       \
		if (got_ != (uint32_t)(want))                                                      \
			fail_msg("pixel (%g, %g) is %06X, want %06X", (double)(x), (double)(y),    \
			         (unsigned)got_, (unsigned)(want));                                \
	} while (0)

static int count_not(cairo_surface_t *s, uint32_t color)
{
	int n = 0, w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			n += dpx(s, x, y) != color;
	return n;
}

static int count_str(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* How a page's SVG writes a fill of 0xRRGGBB: Cairo's "fill:rgb(0%,44.705882%,69.803922%)"
 * as chart_out.c shortens it, "fill:#0072b2". */
static void cairo_fill_of(char *out, size_t n, uint32_t c)
{
	snprintf(out, n, "fill:#%06x", (unsigned)c);
}

static int count_fills(const char *svg, uint32_t c)
{
	char needle[128];
	cairo_fill_of(needle, sizeof needle, c);
	return count_str(svg, needle);
}

/* Reads the pHYs chunk; checks that every chunk's CRC is right and pHYs precedes IDAT. */
static void check_phys(const buf_t *b)
{
	const unsigned char *p = (const unsigned char *)b->data;
	assert_true(b->len > 8);
	assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
	size_t off = 8;
	int seen_phys = 0, seen_idat = 0;
	while (off + 12 <= b->len) {
		uint32_t len = (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
		               (uint32_t)p[off + 2] << 8 | p[off + 3];
		assert_true(off + 12 + len <= b->len);
		const unsigned char *type = p + off + 4, *data = type + 4, *crc = data + len;
		uint32_t want = (uint32_t)crc32(0, type, 4 + len);
		uint32_t got = (uint32_t)crc[0] << 24 | (uint32_t)crc[1] << 16 |
		               (uint32_t)crc[2] << 8 | crc[3];
		assert_int_equal(got, want);
		if (memcmp(type, "pHYs", 4) == 0) {
			assert_int_equal(len, 9);
			assert_false(seen_idat);
			for (int axis = 0; axis < 2; axis++) {
				const unsigned char *d = data + 4 * axis;
				uint32_t ppm = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
				               (uint32_t)d[2] << 8 | d[3];
				assert_int_equal(ppm, 7559);
			}
			assert_int_equal(data[8], 1);
			seen_phys++;
		}
		if (memcmp(type, "IDAT", 4) == 0)
			seen_idat = 1;
		off += 12 + len;
	}
	assert_int_equal(off, b->len);
	assert_int_equal(seen_phys, 1);
	assert_true(seen_idat);
}

/* Parses svg with Python's XML parser (a real one: balanced tags, quoted attributes). */
static void check_xml(const char *svg)
{
	FILE *f = popen("/usr/bin/python3 -c 'import sys, xml.dom.minidom; "
	                "xml.dom.minidom.parseString(sys.stdin.buffer.read())'",
	                "w");
	assert_non_null(f);
	fputs(svg, f);
	int status = pclose(f);
	if (status != 0)
		fail_msg("SVG is not well-formed XML:\n%.400s", svg);
}

/* Checks that the ids of one SVG are prefix-1, prefix-2, … in order of first appearance
 * (definitions and references alike) and that every reference has its definition. */
/* Every id and reference of svg is "<prefix>-<n>" (Cairo's shapes), "<prefix>-g<n>" (glyph
 * outlines) or "<prefix>-n-<n>" (the narrow drawing of CHART_SVG_DUAL), each space numbered
 * 1, 2, … in order of first appearance; each defined once, and every reference defined. */
static void check_ids(const char *svg, const char *prefix)
{
	static const char *const space[3] = {"", "g", "n-"};
	int next[3] = {1, 1, 1};
	static int defined[3][4096], referenced[3][4096];
	memset(defined, 0, sizeof defined);
	memset(referenced, 0, sizeof referenced);
	size_t pl = strlen(prefix);
	for (const char *p = svg; *p; p++) {
		int is_def = strncmp(p, " id=\"", 5) == 0;
		int is_ref = strncmp(p, "href=\"#", 7) == 0 || strncmp(p, "url(#", 5) == 0;
		if (!is_def && !is_ref)
			continue;
		const char *name = is_def ? p + 5 : strchr(p, '#') + 1;
		if (strncmp(name, prefix, pl) != 0 || name[pl] != '-')
			fail_msg("id %.30s does not start with %s-", name, prefix);
		const char *rest = name + pl + 1;
		int k = rest[0] == 'g' ? 1 : strncmp(rest, "n-", 2) == 0 ? 2 : 0;
		int n = atoi(rest + strlen(space[k]));
		assert_true(n >= 1 && n < 4096);
		if (n == next[k])
			next[k]++;
		else if (n > next[k])
			fail_msg("id %s-%s%d appears before %s-%s%d", prefix, space[k], n, prefix,
			         space[k], next[k]);
		if (is_def) {
			if (defined[k][n])
				fail_msg("id %s-%s%d defined twice", prefix, space[k], n);
			defined[k][n] = 1;
		} else {
			referenced[k][n] = 1;
		}
	}
	for (int k = 0; k < 3; k++)
		for (int n = 1; n < next[k]; n++)
			if (referenced[k][n] && !defined[k][n])
				fail_msg("reference to %s-%s%d, which is not defined", prefix,
				         space[k], n);
}

static void check_svg(const buf_t *b, const char *prefix, int w, int h)
{
	char root[128];
	assert_non_null(b->data);
	assert_null(strstr(b->data, "<?xml"));
	assert_memory_equal(b->data, "<svg ", 5);
	const char *end = strchr(b->data, '>');
	snprintf(root, sizeof root, "viewBox=\"0 0 %d %d\"", w, h);
	const char *vb = strstr(b->data, root);
	assert_true(vb && vb < end);
	const char *rl = strstr(b->data, "role=\"img\"");
	assert_true(rl && rl < end);
	const char *wd = strstr(b->data, "width=\"100%\"");
	assert_true(wd && wd < end);
	assert_true(count_str(b->data, "<svg") == 1);
	assert_true(count_str(b->data, "<use ") > 0);
	check_xml(b->data);
	check_ids(b->data, prefix);
}

static void render_ok(int rc, const err_t *e)
{
	if (rc != 0)
		fail_msg("chart failed: %s", e->msg);
}

/* ---- the charts, drawn and probed ---- */

static void test_funnel_png(void **state)
{
	(void)state;
	buf_t b = {0};
	err_t e;
	render_ok(chart_funnel(STEPS, 6, "后白村 授信漏斗", NULL, CHART_PNG, &b, &e), &e);
	check_phys(&b);
	cairo_surface_t *s = decode(&b);
	assert_int_equal(cairo_image_surface_get_width(s), 2 * CHART_FUNNEL_W);
	assert_int_equal(cairo_image_surface_get_height(s), 2 * CHART_FUNNEL_H);
	assert_px(s, 4, 4, CHART_COLOR_BG);
	for (int i = 0; i < 6; i++) {
		double top = CHART_FUNNEL_TOP + i * CHART_FUNNEL_ROW +
		             (CHART_FUNNEL_ROW - CHART_FUNNEL_BAR) / 2.0;
		double half = CHART_FUNNEL_MAXW * STEPS[i].value / 1000.0 / 2;
		/* Above the count, at the centre and near both ends: bar. */
		assert_px(s, CHART_FUNNEL_CX, top + 2, CHART_COLOR_BAR);
		assert_px(s, CHART_FUNNEL_CX - half + 2, top + CHART_FUNNEL_BAR / 2.0,
		          CHART_COLOR_BAR);
		assert_px(s, CHART_FUNNEL_CX + half - 2, top + CHART_FUNNEL_BAR - 2,
		          CHART_COLOR_BAR);
		/* Just beyond the ends: background. */
		if (i > 0) {
			assert_px(s, CHART_FUNNEL_CX + half + 4, top + 2, CHART_COLOR_BG);
			assert_px(s, CHART_FUNNEL_CX - half - 4, top + 2, CHART_COLOR_BG);
		}
	}
	cairo_surface_destroy(s);
	buf_free(&b);
}

static void test_trend_png(void **state)
{
	(void)state;
	chart_month_t m[12];
	trend_months(m);
	buf_t b = {0};
	err_t e;
	render_ok(chart_trend(m, 12, SERIES, THRESHOLDS, "近12个月", NULL, CHART_PNG, &b, &e), &e);
	check_phys(&b);
	cairo_surface_t *s = decode(&b);
	assert_int_equal(cairo_image_surface_get_width(s), 2 * CHART_TREND_W);
	assert_int_equal(cairo_image_surface_get_height(s), 2 * CHART_TREND_H);
	chart_axis_t ax;
	chart_axis_nice(0.95, &ax); /* the highest threshold is above every rate */
	assert_true(fabs(ax.max - 1) < 1e-9);
#define TX(i) (CHART_TREND_X + ((i) + 0.5) * CHART_TREND_PW / 12.0)
#define TY(v) (CHART_TREND_Y + CHART_TREND_PH * (1 - (v) / ax.max))
	/* Every marker has its series' colour at its centre; a null month has none. */
	for (int sr = 0; sr < CHART_TREND_SERIES; sr++)
		for (int i = 0; i < 12; i++)
			if (isfinite(m[i].rate[sr]))
				assert_px(s, TX(i), TY(m[i].rate[sr]), chart_series_colors[sr]);
	assert_px(s, TX(5), TY(0.05 + 0.6 + 0.1), CHART_COLOR_BG);
	/* The thresholds: dashed rows of the one threshold grey across the plot, a colour no
	 * series has. */
	for (int sr = 0; sr < CHART_TREND_SERIES; sr++)
		assert_int_not_equal(chart_series_colors[sr], CHART_COLOR_RULE);
	for (int sr = 0; sr < 4; sr++) {
		int row = (int)floor(TY(THRESHOLDS[sr])) * CHART_PNG_SCALE, hits = 0;
		for (int x = (CHART_TREND_X + 30) * 2; x < (CHART_TREND_X + CHART_TREND_PW) * 2;
		     x++)
			hits += dpx(s, x, row) == CHART_COLOR_RULE;
		if (hits < 100)
			fail_msg("threshold %d: %d pixels of its colour on row %d", sr, hits, row);
	}
	/* The line of 用信率 (series 4) joins months 3 and 4 but not 4, 5 and 6. */
	int col_joined = (int)(((TX(3) + TX(4)) / 2) * 2),
	    col_gap = (int)(((TX(4) + TX(5)) / 2) * 2);
	int col_gap2 = (int)(((TX(5) + TX(6)) / 2) * 2), joined = 0, gap = 0;
	for (int y = CHART_TREND_Y * 2; y < (CHART_TREND_Y + CHART_TREND_PH) * 2; y++) {
		joined += dpx(s, col_joined, y) == chart_series_colors[4];
		gap += dpx(s, col_gap, y) == chart_series_colors[4] ||
		       dpx(s, col_gap2, y) == chart_series_colors[4];
	}
	assert_true(joined > 0);
	assert_int_equal(gap, 0);
	/* Empty plot area right of the last month, and nothing drawn under the zero line. */
	assert_px(s, CHART_TREND_X + CHART_TREND_PW - 4, TY(0.5), CHART_COLOR_BG);
	cairo_surface_destroy(s);
	buf_free(&b);
#undef TX
#undef TY
}

static void test_bars_png(void **state)
{
	(void)state;
	buf_t b = {0};
	err_t e;
	render_ok(chart_bars(BARS, 8, BARS_RULE, 0, "各村走访率", NULL, CHART_PNG, &b, &e), &e);
	check_phys(&b);
	cairo_surface_t *s = decode(&b);
	assert_int_equal(cairo_image_surface_get_width(s), 2 * CHART_BARS_W);
	assert_int_equal(cairo_image_surface_get_height(s), 2 * chart_bars_height(8));
	assert_int_equal(chart_bars_height(8), 80 + 22 * 8);
	chart_axis_t ax;
	chart_axis_nice(0.95, &ax);
	double rule_x = floor(CHART_BARS_X + CHART_BARS_PW * BARS_RULE / ax.max) + 0.5;
	for (int r = 0; r < 8; r++) {
		double mid = CHART_BARS_TOP + r * 22 + 11, v = BARS_SORTED[r];
		if (!isfinite(v)) {
			assert_px(s, CHART_BARS_X + 60, mid, CHART_COLOR_BG);
			continue;
		}
		double end = CHART_BARS_X + CHART_BARS_PW * v / ax.max;
		uint32_t want = v < BARS_RULE ? CHART_COLOR_FAIL : CHART_COLOR_PASS;
		assert_px(s, CHART_BARS_X + 3, mid, want);
		if (fabs(end - 3 - rule_x) > 2)
			assert_px(s, end - 3, mid - 5, want);
		/* Above and below the bar, inside its row: background (away from grid lines). */
		assert_px(s, end - 3 - (fabs(end - 3 - rule_x) <= 2 ? 6 : 0), mid - 9.5,
		          CHART_COLOR_BG);
	}
	/* The threshold: a dashed column of the rule's colour from above the first row (where
	 * the dash pattern starts) to the last row. */
	assert_px(s, rule_x, CHART_BARS_TOP - 3, CHART_COLOR_RULE);
	assert_px(s, rule_x, CHART_BARS_TOP - 1, CHART_COLOR_RULE);
	int col = (int)floor(rule_x) * CHART_PNG_SCALE, hits = 0;
	for (int y = CHART_BARS_TOP * 2; y < (CHART_BARS_TOP + 8 * 22) * 2; y++)
		hits += dpx(s, col, y) == CHART_COLOR_RULE;
	if (hits < 80)
		fail_msg("threshold: %d pixels of its colour in column %d", hits, col);
	cairo_surface_destroy(s);
	buf_free(&b);
}

static void test_segments_png(void **state)
{
	(void)state;
	buf_t b = {0};
	err_t e;
	render_ok(chart_segments(SLICES, 6, SLICES_TOTAL, "授信户客群", NULL, CHART_PNG, &b, &e),
	          &e);
	check_phys(&b);
	cairo_surface_t *s = decode(&b);
	assert_int_equal(cairo_image_surface_get_width(s), 2 * CHART_SEGMENTS_W);
	assert_int_equal(cairo_image_surface_get_height(s), 2 * CHART_SEGMENTS_H);
	/* Slices probed near their outer edge, where no share label reaches. */
	double a0 = -M_PI / 2, r = CHART_SEGMENTS_R - 3;
	for (int i = 0; i < 6; i++) {
		double a1 = a0 + 2 * M_PI * SLICES[i].value / 1000.0, m = (a0 + a1) / 2;
		assert_px(s, CHART_SEGMENTS_CX + r * cos(m), CHART_SEGMENTS_CY + r * sin(m),
		          chart_segment_colors[i]);
		a0 = a1;
		/* Its legend swatch. */
		assert_px(s, 258, CHART_SEGMENTS_CY - 2.5 * 24 + i * 24, chart_segment_colors[i]);
	}
	assert_px(s, CHART_SEGMENTS_CX - 45, CHART_SEGMENTS_CY, CHART_COLOR_BG); /* hole */
	assert_px(s, CHART_SEGMENTS_CX + CHART_SEGMENTS_R + 4, CHART_SEGMENTS_CY, CHART_COLOR_BG);
	cairo_surface_destroy(s);
	buf_free(&b);
}

/* ---- empty states ---- */

typedef int (*draw_fn)(int all_null, chart_format_t fmt, const char *prefix, buf_t *out, err_t *e);

static int draw_funnel(int all_null, chart_format_t fmt, const char *prefix, buf_t *out, err_t *e)
{
	chart_step_t z[6];
	for (int i = 0; i < 6; i++)
		z[i] = (chart_step_t){STEPS[i].label, 0, STEPS[i].rate_label, NAN, NAN};
	return chart_funnel(all_null ? z : NULL, all_null ? 6 : 0, "漏斗", prefix, fmt, out, e);
}

static int draw_trend(int all_null, chart_format_t fmt, const char *prefix, buf_t *out, err_t *e)
{
	chart_month_t m[12];
	trend_months(m);
	for (int i = 0; i < 12; i++)
		for (int s = 0; s < CHART_TREND_SERIES; s++)
			m[i].rate[s] = NAN;
	return chart_trend(all_null ? m : NULL, all_null ? 12 : 0, SERIES, THRESHOLDS, "趋势",
	                   prefix, fmt, out, e);
}

static int draw_bars(int all_null, chart_format_t fmt, const char *prefix, buf_t *out, err_t *e)
{
	chart_bar_t z[3] = {{"甲村", NAN, NULL, CHART_MARK_BY_RULE},
	                    {"乙村", NAN, NULL, CHART_MARK_BY_RULE},
	                    {"丙村", NAN, NULL, CHART_MARK_BY_RULE}};
	return chart_bars(all_null ? z : NULL, all_null ? 3 : 0, 0.9, 0, "各村", prefix, fmt, out,
	                  e);
}

static int draw_segments(int all_null, chart_format_t fmt, const char *prefix, buf_t *out, err_t *e)
{
	chart_slice_t z[6];
	for (int i = 0; i < 6; i++)
		z[i] = (chart_slice_t){SLICES[i].label, 0, 0};
	return chart_segments(all_null ? z : NULL, all_null ? 6 : 0, 0, "客群", prefix, fmt, out,
	                      e);
}

static const draw_fn DRAWS[4] = {draw_funnel, draw_trend, draw_bars, draw_segments};

static void test_empty_states(void **state)
{
	(void)state;
	for (int k = 0; k < 4; k++)
		for (int all_null = 0; all_null < 2; all_null++) {
			buf_t b = {0};
			err_t e;
			render_ok(DRAWS[k](all_null, CHART_PNG, NULL, &b, &e), &e);
			check_phys(&b);
			cairo_surface_t *s = decode(&b);
			/* Title and 暂无数据 at least: not a blank box. */
			int drawn = count_not(s, CHART_COLOR_BG);
			if (drawn < 500)
				fail_msg("chart %d (all null %d): only %d pixels drawn", k,
				         all_null, drawn);
			int w = cairo_image_surface_get_width(s),
			    h = cairo_image_surface_get_height(s);
			assert_true(dpx(s, w / 2, h / 2) != CHART_COLOR_BG); /* the empty box */
			cairo_surface_destroy(s);
			buf_free(&b);

			render_ok(DRAWS[k](all_null, CHART_SVG, "c-empty", &b, &e), &e);
			/* 暂无数据 is four glyphs (plus the title's). */
			assert_true(count_str(b.data, "<use ") >= 4);
			check_xml(b.data);
			check_ids(b.data, "c-empty");
			assert_int_equal(count_fills(b.data, CHART_COLOR_BAR), 0);
			buf_free(&b);
		}
}

/* ---- SVG ---- */

static void test_svg_marks(void **state)
{
	(void)state;
	buf_t b = {0};
	err_t e;
	chart_month_t m[12];
	trend_months(m);

	render_ok(chart_funnel(STEPS, 6, "漏斗", "c-BH01-funnel", CHART_SVG, &b, &e), &e);
	check_svg(&b, "c-BH01-funnel", CHART_FUNNEL_W, CHART_FUNNEL_H - CHART_FUNNEL_BAND);
	assert_int_equal(count_fills(b.data, CHART_COLOR_BAR), 6);
	buf_free(&b);

	render_ok(chart_trend(m, 12, SERIES, THRESHOLDS, "趋势", "c-BH01-trend", CHART_SVG, &b, &e),
	          &e);
	check_svg(&b, "c-BH01-trend", CHART_TREND_W, CHART_TREND_H - CHART_TREND_BAND);
	/* The markers of the months in one fill per series, one in the legend and one beside the
	 * series' threshold (the fifth has none). */
	for (int s = 0; s < CHART_TREND_SERIES; s++)
		assert_int_equal(count_fills(b.data, chart_series_colors[s]), s == 4 ? 2 : 3);
	buf_free(&b);

	render_ok(chart_bars(BARS, 8, BARS_RULE, 0, "各村", "c-BH-bars", CHART_SVG, &b, &e), &e);
	check_svg(&b, "c-BH-bars", CHART_BARS_W, chart_bars_height(8));
	/* Passing and failing bars, plus their legend swatches. */
	assert_int_equal(count_fills(b.data, CHART_COLOR_PASS), 3 + 1);
	assert_int_equal(count_fills(b.data, CHART_COLOR_FAIL), 4 + 1);
	buf_free(&b);

	/* A maximum: bars above it fail. */
	render_ok(chart_bars(BARS, 8, 0.4, 1, "各村", "c-max", CHART_SVG, &b, &e), &e);
	assert_int_equal(count_fills(b.data, CHART_COLOR_PASS), 2 + 1);
	assert_int_equal(count_fills(b.data, CHART_COLOR_FAIL), 5 + 1);
	buf_free(&b);

	render_ok(chart_segments(SLICES, 6, SLICES_TOTAL, "客群", "c-seg", CHART_SVG, &b, &e), &e);
	check_svg(&b, "c-seg", CHART_SEGMENTS_W, CHART_SEGMENTS_H - CHART_SEGMENTS_BAND);
	for (int i = 0; i < 6; i++)
		assert_int_equal(count_fills(b.data, chart_segment_colors[i]), 1 + 1);
	buf_free(&b);
}

/* CHART_SVG_DUAL: the wide drawing with every glyph outline, then the narrow one
 * (CHART_NARROW_W wide) using them; no namespaces, no title band, ids apart. */
static void test_dual(void **state)
{
	(void)state;
	buf_t b = {0};
	err_t e;
	chart_month_t m[12];
	trend_months(m);
	render_ok(chart_trend(m, 12, SERIES, THRESHOLDS, "趋势", "d-trend", CHART_SVG_DUAL, &b, &e),
	          &e);
	assert_int_equal(count_str(b.data, "<svg "), 2);
	assert_null(strstr(b.data, "xmlns"));
	const char *narrow = strstr(b.data, "<svg class=\"chart chart-trend chart-narrow\"");
	assert_memory_equal(b.data, "<svg class=\"chart chart-trend chart-wide\"", 41);
	assert_non_null(narrow);
	char vb[64];
	snprintf(vb, sizeof vb, "viewBox=\"0 0 %d %d\"", CHART_TREND_W,
	         CHART_TREND_H - CHART_TREND_BAND);
	assert_true(strstr(b.data, vb) < narrow);
	snprintf(vb, sizeof vb, "viewBox=\"0 0 %d ", CHART_NARROW_W);
	assert_true(strstr(b.data, vb) > narrow);
	assert_int_equal(count_str(b.data, "<defs>"), 1);
	assert_true(strstr(b.data, "<defs>") < narrow);
	assert_true(count_str(narrow, "<use ") > 20);
	check_ids(b.data, "d-trend"); /* the narrow one's glyphs are defined in the wide one */
	/* (Not XML on its own: xlink: is bound by the HTML parser, not by a declaration.) */
	assert_int_equal(count_str(narrow, "</svg>"), 1);
	buf_free(&b);
}

/* The dashed threshold never runs through a value label: in each row, the line's column
 * shows only the line, the background and bars (no text, no ✓/✗). */
static void test_label_clear(void **state)
{
	(void)state;
	static const chart_bar_t bars[] = {
	    {"甲村", 0.74, NULL, CHART_MARK_BY_RULE},    {"乙村", 0.72, NULL, CHART_MARK_BY_RULE},
	    {"丙村", 0.76, NULL, CHART_MARK_BY_RULE},    {"丁村", 0.3, NULL, CHART_MARK_BY_RULE},
	    {"戊村", NAN, "未启动", CHART_MARK_BY_RULE},
	};
	for (int k = 0; k < 2; k++) {
		double rule = k ? 0.02 : 0.75; /* k = 1: the note 未启动 is near the line */
		buf_t b = {0};
		err_t e;
		render_ok(chart_bars(bars, 5, rule, 0, "t", NULL, CHART_PNG, &b, &e), &e);
		cairo_surface_t *s = decode(&b);
		chart_axis_t ax;
		chart_axis_nice(0.76, &ax);
		int col =
		    (int)floor(CHART_BARS_X + CHART_BARS_PW * rule / ax.max) * CHART_PNG_SCALE;
		for (int r = 0; r < 5; r++)
			for (int y = (CHART_BARS_TOP + r * 22 + 4) * 2;
			     y < (CHART_BARS_TOP + r * 22 + 18) * 2; y++) {
				uint32_t p = dpx(s, col, y);
				if (p != CHART_COLOR_BG && p != CHART_COLOR_RULE &&
				    p != CHART_COLOR_PASS && p != CHART_COLOR_FAIL)
					fail_msg(
					    "rule %.2f, row %d: pixel %06X on the line at y %d",
					    rule, r, (unsigned)p, y);
			}
		cairo_surface_destroy(s);
		buf_free(&b);
	}
}

/* Scores: the axis is 0..100 whatever the values, the line is the pass score, and each bar's
 * colour is its mark (a score over the line may fail), with ✓/✗ and 通过/未通过. */
static void test_scores(void **state)
{
	(void)state;
	static const chart_bar_t bars[] = {
	    {"甲村", 92.5, NULL, CHART_MARK_PASS},
	    {"乙村", 95, NULL, CHART_MARK_FAIL},
	    {"丙村", 61.24, NULL, CHART_MARK_FAIL},
	    {"丁村", NAN, "未启动", CHART_MARK_BY_RULE},
	};
	buf_t b = {0};
	err_t e;
	render_ok(chart_scores(bars, 4, 80, "各村验收得分", "s", CHART_SVG, &b, &e), &e);
	check_svg(&b, "s", CHART_BARS_W, chart_bars_height(4));
	assert_int_equal(count_fills(b.data, CHART_COLOR_PASS), 1 + 1);
	assert_int_equal(count_fills(b.data, CHART_COLOR_FAIL), 2 + 1);
	assert_non_null(strstr(b.data, "class=\"chart chart-scores\""));
	buf_free(&b);
	render_ok(chart_scores(bars, 4, 80, "各村验收得分", NULL, CHART_PNG, &b, &e), &e);
	cairo_surface_t *s = decode(&b);
	/* Row 0 is 乙村 (95): red to 95% of the plot; row 1 甲村 (92.5) green. */
	double mid0 = CHART_BARS_TOP + 11, mid1 = CHART_BARS_TOP + 22 + 11;
	assert_px(s, CHART_BARS_X + CHART_BARS_PW * 0.95 - 3, mid0, CHART_COLOR_FAIL);
	assert_px(s, CHART_BARS_X + CHART_BARS_PW * 0.925 - 3, mid1, CHART_COLOR_PASS);
	int col = (int)floor(CHART_BARS_X + CHART_BARS_PW * 0.8) * CHART_PNG_SCALE, hits = 0;
	for (int y = CHART_BARS_TOP * 2; y < (CHART_BARS_TOP + 4 * 22) * 2; y++)
		hits += dpx(s, col, y) == CHART_COLOR_RULE;
	assert_true(hits > 40);
	cairo_surface_destroy(s);
	buf_free(&b);
}

static void test_svg_root(void **state)
{
	(void)state;
	buf_t b = {0};
	err_t e;
	render_ok(chart_funnel(STEPS, 6, "A&B <\"漏斗\">\x01", "p", CHART_SVG, &b, &e), &e);
	const char *end = strchr(b.data, '>');
	const char *label = strstr(b.data, "aria-label=\"A&amp;B &lt;&quot;漏斗&quot;&gt; \"");
	assert_true(label && label < end);
	check_xml(b.data);
	buf_free(&b);
	/* No title: still labelled. */
	render_ok(chart_funnel(STEPS, 6, NULL, "p", CHART_SVG, &b, &e), &e);
	assert_non_null(strstr(b.data, "aria-label=\""));
	buf_free(&b);
}

static void test_many_bars(void **state)
{
	(void)state;
	enum { N = 320 };
	chart_bar_t bars[N];
	char names[N][32];
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "第%d村", i + 1);
		bars[i] = (chart_bar_t){names[i], (i * 37 % 101) / 100.0, NULL, CHART_MARK_BY_RULE};
	}
	buf_t b = {0};
	err_t e;
	render_ok(chart_bars(bars, N, 0.5, 0, "全行各村", "c-all", CHART_SVG, &b, &e), &e);
	int h = chart_bars_height(N);
	assert_true(h <= 2600);
	check_svg(&b, "c-all", CHART_BARS_W, h);
	int drawn = count_fills(b.data, CHART_COLOR_PASS) + count_fills(b.data, CHART_COLOR_FAIL);
	/* CHART_BARS_MAX drawn (a value 0 has no bar), plus two legend swatches. */
	int zeros = 0;
	for (int i = 0; i < N; i++)
		zeros += bars[i].value == 0;
	assert_true(drawn >= CHART_BARS_MAX + 2 - zeros && drawn <= CHART_BARS_MAX + 2);
	buf_free(&b);
	render_ok(chart_bars(bars, N, 0.5, 0, "全行各村", NULL, CHART_PNG, &b, &e), &e);
	cairo_surface_t *s = decode(&b);
	assert_int_equal(cairo_image_surface_get_height(s), 2 * h);
	cairo_surface_destroy(s);
	buf_free(&b);
	/* 40 bars keep the 22-pixel rows; 41 get 16. */
	assert_int_equal(chart_bars_height(40), 80 + 22 * 40);
	assert_int_equal(chart_bars_height(41), 56 + 16 * 41 + 24);
}

/* ---- determinism and threads ---- */

static void render_all(buf_t *out, chart_format_t fmt)
{
	chart_month_t m[12];
	trend_months(m);
	err_t e;
	render_ok(chart_funnel(STEPS, 6, "漏斗", "c-a", fmt, out, &e), &e);
	render_ok(chart_trend(m, 12, SERIES, THRESHOLDS, "趋势", "c-b", fmt, out, &e), &e);
	render_ok(chart_bars(BARS, 8, BARS_RULE, 0, "各村", "c-c", fmt, out, &e), &e);
	render_ok(chart_segments(SLICES, 6, SLICES_TOTAL, "客群", "c-d", fmt, out, &e), &e);
}

typedef struct {
	buf_t svg, png;
	int rounds;
} job_t;

static void *worker(void *arg)
{
	job_t *j = arg;
	for (int i = 0; i < j->rounds; i++) {
		buf_clear(&j->svg);
		buf_clear(&j->png);
		render_all(&j->svg, CHART_SVG);
		render_all(&j->png, CHART_PNG);
	}
	return NULL;
}

/* The SVGs are written short (chart_out.c): no number with more than two decimals, no
 * rgb(…%) colour, no style property at its default, no space after a path command. */
static void test_svg_short(void **state)
{
	(void)state;
	buf_t a = {0};
	render_all(&a, CHART_SVG);
	assert_non_null(a.data);
	assert_null(strstr(a.data, "rgb("));
	assert_null(strstr(a.data, "fill-opacity:1;"));
	assert_null(strstr(a.data, "fill-rule:nonzero"));
	assert_null(strstr(a.data, " d=\"M "));
	for (const char *p = a.data; (p = strchr(p, '.')) != NULL; p++) {
		int digits = 0;
		while (p[1 + digits] >= '0' && p[1 + digits] <= '9')
			digits++;
		if (digits > 2 && p > a.data && p[-1] >= '0' && p[-1] <= '9')
			fail_msg("a number with %d decimals: %.20s", digits, p - 4);
	}
	/* Glyph outlines are relative (m, l, c, z), with hundredths at most. */
	assert_non_null(strstr(a.data, "\" d=\"m"));
	buf_free(&a);
}

static void test_deterministic(void **state)
{
	(void)state;
	buf_t a = {0}, b = {0}, pa = {0}, pb = {0};
	render_all(&a, CHART_SVG);
	render_all(&pa, CHART_PNG);
	render_all(&b, CHART_SVG); /* Cairo's global counters have moved on meanwhile */
	render_all(&pb, CHART_PNG);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_int_equal(pa.len, pb.len);
	assert_memory_equal(pa.data, pb.data, pa.len);
	/* The second render took its texts from the font map's cache; shaped anew (a full cache
	 * keeps none), the bytes are the same. */
	buf_t c = {0};
	chart_set_shape_cache(0);
	render_all(&c, CHART_SVG);
	chart_set_shape_cache(200000);
	assert_int_equal(c.len, a.len);
	assert_memory_equal(c.data, a.data, a.len);
	buf_free(&c);

	/* Four charts in one buffer: ids never collide. */
	char *ids[8192];
	int n = 0;
	for (const char *p = a.data; (p = strstr(p, " id=\"")) != NULL; p += 5) {
		const char *q = strchr(p + 5, '"');
		assert_true(n < 8192);
		ids[n++] = strndup(p + 5, (size_t)(q - p - 5));
	}
	assert_true(n > 20);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				fail_msg("duplicate id %s", ids[i]);
	for (int i = 0; i < n; i++)
		free(ids[i]);

	/* Threads drawing at the same time get the same bytes. */
	enum { T = 4 };
	pthread_t th[T];
	job_t jobs[T];
	for (int i = 0; i < T; i++) {
		jobs[i] = (job_t){{0}, {0}, 3};
		assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
	}
	for (int i = 0; i < T; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(jobs[i].svg.len, a.len);
		assert_memory_equal(jobs[i].svg.data, a.data, a.len);
		assert_int_equal(jobs[i].png.len, pa.len);
		assert_memory_equal(jobs[i].png.data, pa.data, pa.len);
		buf_free(&jobs[i].svg);
		buf_free(&jobs[i].png);
	}
	buf_free(&a);
	buf_free(&b);
	buf_free(&pa);
	buf_free(&pb);
}

/* ---- fonts, axis, arguments ---- */

static void test_glyphs(void **state)
{
	(void)state;
	static const char *const labels[] = {"总户数",
	                                     "走访",
	                                     "建档",
	                                     "授信",
	                                     "签约",
	                                     "用信",
	                                     "走访率",
	                                     "建档率",
	                                     "授信覆盖率",
	                                     "签约率",
	                                     "用信率",
	                                     "农户",
	                                     "商户",
	                                     "公职人员",
	                                     "企业职工",
	                                     "新型农业经营主体",
	                                     "其他",
	                                     "11月",
	                                     "2025年",
	                                     "100%",
	                                     "95.0%",
	                                     "1,234",
	                                     "后白村 授信漏斗",
	                                     "各村走访率",
	                                     "近12个月走访、建档、授信、签约、用信率",
	                                     "授信户客群",
	                                     NULL};
	err_t e;
	if (chart_check_font(labels, &e) != 0)
		fail_msg("%s", e.msg);
	/* And it does notice a character no font has (U+0378 is unassigned). */
	const char *const bad[] = {"走访\xcd\xb8", NULL};
	assert_int_equal(chart_check_font(bad, &e), -1);
	assert_non_null(strstr(e.msg, "走访"));
}

static void test_axis(void **state)
{
	(void)state;
	static const struct {
		double hi, max, step;
	} cases[] = {
	    {0.95, 1, 0.2},   {1, 1, 0.2},         {0.3, 0.3, 0.1},
	    {0.31, 0.4, 0.1}, {0.02, 0.02, 0.005}, {0.12, 0.125, 0.025},
	    {0, 1, 0.2},      {NAN, 1, 0.2},       {1.37, 1.5, 0.5},
	    {7, 8, 2},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		chart_axis_t a;
		chart_axis_nice(cases[i].hi, &a);
		if (fabs(a.max - cases[i].max) > 1e-9 || fabs(a.step - cases[i].step) > 1e-12)
			fail_msg("hi %g: axis 0..%g step %g, want 0..%g step %g", cases[i].hi,
			         a.max, a.step, cases[i].max, cases[i].step);
		assert_int_equal(a.ticks, (int)lround(a.max / a.step) + 1);
	}
}

static void test_bad_arguments(void **state)
{
	(void)state;
	buf_t b = {0};
	err_t e;
	assert_int_equal(chart_funnel(STEPS, 6, "t", "bad prefix!", CHART_SVG, &b, &e), -1);
	assert_non_null(strstr(e.msg, "prefix"));
	assert_int_equal(chart_funnel(STEPS, 6, "t", "", CHART_SVG, &b, &e), -1);
	assert_int_equal(chart_funnel(STEPS, 6, "t", NULL, CHART_SVG, &b, &e), -1);
	assert_int_equal(chart_funnel(STEPS, 13, "t", "p", CHART_SVG, &b, &e), -1);
	assert_int_equal(chart_funnel(NULL, 3, "t", "p", CHART_SVG, &b, &e), -1);
	assert_int_equal(chart_trend(NULL, -1, SERIES, THRESHOLDS, "t", "p", CHART_SVG, &b, &e),
	                 -1);
	assert_int_equal(chart_bars(NULL, 2, NAN, 0, "t", "p", CHART_SVG, &b, &e), -1);
	assert_int_equal(chart_segments(SLICES, 9, SLICES_TOTAL, "t", "p", CHART_SVG, &b, &e), -1);
	assert_int_equal(chart_funnel(STEPS, 6, "t", "p", (chart_format_t)7, &b, &e), -1);
	assert_int_equal(b.len, 0); /* out untouched on failure */
	buf_free(&b);
}

/* Shutting down and starting again works; a chart between the two is refused. */
static void test_restart(void **state)
{
	(void)state;
	buf_t b = {0};
	err_t e;
	chart_shutdown();
	assert_int_equal(chart_funnel(STEPS, 6, "t", "p", CHART_SVG, &b, &e), -1);
	assert_non_null(strstr(e.msg, "chart_init"));
	assert_int_equal(chart_init(&e), 0);
	render_ok(chart_funnel(STEPS, 6, "t", "p", CHART_SVG, &b, &e), &e);
	buf_free(&b);
}

static int setup_calling_chart_init(void **state)
{
	(void)state;
	err_t e;
	if (chart_init(&e) != 0) {
		fprintf(stderr, "chart_init: %s\n", e.msg);
		return -1;
	}
	return 0;
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
	    cmocka_unit_test(test_funnel_png),   cmocka_unit_test(test_trend_png),
	    cmocka_unit_test(test_bars_png),     cmocka_unit_test(test_segments_png),
	    cmocka_unit_test(test_empty_states), cmocka_unit_test(test_svg_marks),
	    cmocka_unit_test(test_dual),         cmocka_unit_test(test_label_clear),
	    cmocka_unit_test(test_scores),       cmocka_unit_test(test_svg_root),
	    cmocka_unit_test(test_many_bars),    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_svg_short),    cmocka_unit_test(test_glyphs),
	    cmocka_unit_test(test_axis),         cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_restart),
	};
	return cmocka_run_group_tests_name("chart", tests, setup_calling_chart_init, teardown);
}
