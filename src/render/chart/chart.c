/* chart.c — lays out the four charts of chart.h: axes, bars, lines, slices and labels on a
 * canvas of chart_int.h. Fonts and the SVG/PNG output are chart_out.c's. */
#include "render/chart/chart_int.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

/* The charts' own texts; chart_check_font lays out each of them. */
#define T_EMPTY "暂无数据"
#define T_NULL VOCAB_NO_DATA
#define T_PASS VOCAB_MET
#define T_FAIL VOCAB_UNMET
#define T_RULE VOCAB_TARGET
#define T_PASS_LINE "合格线"
#define T_SCORE_UNIT "分"
#define T_HOUSEHOLDS "户"
#define T_MONTH "月"
#define T_YEAR "年"
#define T_OMITTED "中间另有 %d 个未显示"
#define T_DIGITS "0123456789.,%-—…≥≤ "

const char *const chart_own_texts[] = {
    T_EMPTY,  T_NULL,   T_PASS,       T_FAIL,  T_RULE, T_PASS_LINE,           T_SCORE_UNIT,
    "通过",   "未通过", T_HOUSEHOLDS, T_MONTH, T_YEAR, "中间另有 0 个未显示", /* T_OMITTED */
    T_DIGITS, NULL,
};

/* No green or red (they mean 达标 and 未达标), no black or grey (the thresholds'). */
const uint32_t chart_series_colors[CHART_TREND_SERIES] = {
    0x0072B2, /* blue, circle */
    0xE69F00, /* orange, square */
    0x56B4E9, /* sky blue, triangle */
    0xCC79A7, /* reddish purple, diamond */
    0x5D3A9B, /* violet, triangle down */
};

/* Adjacent slices differ in lightness; "其他" (the sixth) is grey; no green or red, which
 * mean 达标 and 未达标. */
const uint32_t chart_segment_colors[8] = {
    0x0072B2, 0xE69F00, 0x5D3A9B, 0xF0E442, 0x56B4E9, 0xBBBBBB, 0xCC79A7, 0x8C6D31,
};

#define C_TITLE 0x222222
#define C_TEXT 0x333333
#define C_MUTED 0x777777
#define C_GRID 0xE3E3E3
#define C_AXIS 0x999999
#define C_EMPTY_FILL 0xF4F4F4
#define C_FUNNEL_LINK 0xCFE2F0

/* ---- drawing primitives ---- */

static void S_color(cairo_t *cr, uint32_t c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
	                     (c & 0xff) / 255.0);
}

/* Perceived lightness in 0..100 (CIE L*), to pick a text colour that reads on c. */
static double S_lightness(uint32_t c)
{
	double ch[3] = {((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0};
	for (int i = 0; i < 3; i++)
		ch[i] = ch[i] <= 0.04045 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4);
	double y = 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
	return y > 0.008856 ? 116 * cbrt(y) - 16 : 903.3 * y;
}

static void S_fill_rect(chart_canvas_t *cv, double x, double y, double w, double h, uint32_t c)
{
	S_color(cv->cr, c);
	cairo_rectangle(cv->cr, x, y, w, h);
	chart_fill(cv);
}

/* A 1-pixel line on a pixel centre (crisp at 1× and 2×); dashed or solid. */
static void S_line(chart_canvas_t *cv, double x0, double y0, double x1, double y1, uint32_t c,
                   bool dashed)
{
	static const double dash[] = {4, 3};
	cairo_t *cr = cv->cr;
	S_color(cr, c);
	cairo_set_line_width(cr, 1);
	cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	chart_stroke(cv);
	cairo_set_dash(cr, NULL, 0, 0);
}

static double S_snap(double v)
{
	return floor(v) + 0.5;
}

static double S_text_width(chart_canvas_t *c, const char *s, int font)
{
	double w, h;
	chart_measure_text(c, s, font, 0, &w, &h);
	return w;
}

/* Draws s so that the point (ax, ay) of its box — 0 left/top, 0.5 centre, 1 right/bottom —
 * lands on (x, y); maxw > 0 ellipsizes longer text. Returns the drawn width. */
static double S_text_fit(chart_canvas_t *c, const char *s, int font, uint32_t color, double x,
                         double y, double ax, double ay, double maxw)
{
	double w, h;
	chart_measure_text(c, s, font, maxw, &w, &h);
	chart_show_text(c, x - ax * w, y - ay * h, color);
	return w;
}

static double S_text(chart_canvas_t *c, const char *s, int font, uint32_t color, double x, double y,
                     double ax, double ay)
{
	return S_text_fit(c, s, font, color, x, y, ax, ay, 0);
}

/* The empty state: a pale box under the title with 暂无数据 in its middle. */
static void S_empty(chart_canvas_t *c, double top)
{
	double bottom = c->h - 12;
	if (bottom - top < 40)
		top = bottom - 40;
	S_fill_rect(c, 16, top, c->w - 32, bottom - top, C_EMPTY_FILL);
	S_text(c, T_EMPTY, CHART_F_EMPTY, C_MUTED, c->w / 2, (top + bottom) / 2, 0.5, 0.5);
}

/* Tick label of a percentage axis: as few decimals as the step needs ("20%", "2.5%"). */
static void S_tick_pct(char *out, size_t n, double v, double step)
{
	int d = 0;
	double s = step * 100;
	while (d < 4 && fabs(s * pow(10, d) - round(s * pow(10, d))) > 1e-6)
		d++;
	snprintf(out, n, "%.*f%%", d, v * 100 + 0.0); /* + 0.0 turns -0 into 0 */
}

void chart_axis_nice(double hi, chart_axis_t *a)
{
	if (!(hi > 0) || !isfinite(hi))
		hi = 1;
	double raw = hi / 5;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag, step = 10 * mag;
	static const double nice[] = {1, 2, 2.5, 5};
	for (size_t k = 0; k < sizeof nice / sizeof *nice; k++)
		if (f <= nice[k] + 1e-9) {
			step = nice[k] * mag;
			break;
		}
	int n = (int)ceil(hi / step - 1e-9);
	if (n < 1)
		n = 1;
	a->step = step;
	a->ticks = n + 1;
	a->max = n * step;
}

/* ---- every chart ---- */

typedef struct {
	const char *title;
	chart_draw_fn draw;
	const void *arg;
} titled_t;

/* A PNG's title, top left, leaving room for a legend at the right of it; an SVG has none
 * (the page's heading says it, and its band is cut off). */
static void S_draw_titled(chart_canvas_t *c, const void *p)
{
	const titled_t *t = p;
	if (!c->svg && t->title && *t->title)
		S_text_fit(c, t->title, CHART_F_TITLE, C_TITLE, 16, 8, 0, 0, c->w - 180);
	t->draw(c, t->arg);
}

static int S_render(const char *kind, const chart_layout_t *lay, const char *title,
                    const char *prefix, chart_format_t fmt, chart_draw_fn draw, const void *arg,
                    buf_t *out, err_t *err)
{
	titled_t t = {title, draw, arg};
	return chart_render(kind, lay, title, prefix, fmt, S_draw_titled, &t, out, err);
}

static bool S_narrow(const chart_canvas_t *c)
{
	return c->w <= CHART_NARROW_W;
}

/* A ✓ (pass) or ✗ (fail) of 9×9 pixels with its left edge at x, centred on y: the sign that
 * stays when colour does not (grey print, colour blindness). */
static void S_mark(chart_canvas_t *cv, double x, double y, bool pass, uint32_t color)
{
	cairo_t *cr = cv->cr;
	S_color(cr, color);
	cairo_set_line_width(cr, 1.8);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	if (pass) {
		cairo_move_to(cr, x + 0.5, y);
		cairo_line_to(cr, x + 3.5, y + 3.5);
		cairo_line_to(cr, x + 9, y - 4);
	} else {
		cairo_move_to(cr, x + 1, y - 3.5);
		cairo_line_to(cr, x + 8, y + 3.5);
		cairo_move_to(cr, x + 8, y - 3.5);
		cairo_line_to(cr, x + 1, y + 3.5);
	}
	chart_stroke(cv);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
}
#define MARK_W 12 /* a mark and the gap after it */

/* ---- funnel ---- */

typedef struct {
	const chart_step_t *steps;
	int n;
} funnel_arg_t;

#define FUNNEL_NARROW_H 256

static void S_draw_funnel(chart_canvas_t *c, const void *p)
{
	const funnel_arg_t *a = p;
	cairo_t *cr = c->cr;
	bool narrow = S_narrow(c);
	/* Narrow: labels, bars and a rate column of two lines (name over value). */
	const double top = narrow ? 8 : CHART_FUNNEL_TOP, maxw = narrow ? 170 : CHART_FUNNEL_MAXW;
	const double cx = narrow ? 52 + maxw / 2 : CHART_FUNNEL_CX;
	int64_t max = 0;
	for (int i = 0; i < a->n; i++)
		if (a->steps[i].value > max)
			max = a->steps[i].value;
	if (max <= 0) {
		S_empty(c, top);
		return;
	}
	double row = CHART_FUNNEL_ROW, bar = CHART_FUNNEL_BAR;
	if (a->n > 6) {
		row = floor((c->h - top - 12.0) / a->n);
		bar = floor(row * 0.7);
	}
	const double label_x = cx - maxw / 2 - 8;
	double width[12];
	for (int i = 0; i < a->n; i++) {
		double share = a->steps[i].value > 0 ? a->steps[i].share : 0;
		width[i] = share > 0 ? fmax(2, maxw * share) : 0;
	}
	/* Links between bars first, so the bars' edges stay sharp. */
	S_color(cr, C_FUNNEL_LINK);
	for (int i = 0; i + 1 < a->n; i++) {
		double y0 = top + i * row + (row + bar) / 2;
		double y1 = top + (i + 1) * row + (row - bar) / 2;
		cairo_move_to(cr, cx - width[i] / 2, y0);
		cairo_line_to(cr, cx + width[i] / 2, y0);
		cairo_line_to(cr, cx + width[i + 1] / 2, y1);
		cairo_line_to(cr, cx - width[i + 1] / 2, y1);
		cairo_close_path(cr);
	}
	chart_fill(c);
	for (int i = 0; i < a->n; i++) {
		const chart_step_t *s = &a->steps[i];
		double btop = top + i * row + (row - bar) / 2, mid = btop + bar / 2;
		if (width[i] > 0)
			S_fill_rect(c, cx - width[i] / 2, btop, width[i], bar, CHART_COLOR_BAR);
		if (s->label)
			S_text_fit(c, s->label, CHART_F_LABEL, C_TEXT, label_x, mid, 1, 0.5,
			           label_x - 4);
		char num[64];
		format_count(num, sizeof num, s->value);
		double tw = S_text_width(c, num, CHART_F_BOLD);
		if (tw + 12 <= width[i])
			S_text(c, num, CHART_F_BOLD, 0xFFFFFF, cx, mid, 0.5, 0.5);
		else
			S_text(c, num, CHART_F_BOLD, C_TEXT, cx + width[i] / 2 + 4, mid, 0, 0.5);
		if (s->rate_label && isfinite(s->rate)) {
			char pct[64];
			format_pct(pct, sizeof pct, s->rate);
			double right = c->w - (narrow ? 6 : 12);
			if (narrow) {
				S_text(c, s->rate_label, CHART_F_LABEL, C_MUTED, right, mid + 1, 1,
				       1);
				S_text(c, pct, CHART_F_BOLD, C_TEXT, right, mid, 1, 0);
			} else {
				double pw =
				    S_text(c, pct, CHART_F_BOLD, C_TEXT, right, mid, 1, 0.5);
				S_text(c, s->rate_label, CHART_F_LABEL, C_MUTED, right - pw - 4,
				       mid, 1, 0.5);
			}
		}
	}
}

int chart_funnel(const chart_step_t *steps, int n, const char *title, const char *id_prefix,
                 chart_format_t fmt, buf_t *out, err_t *err)
{
	if (n < 0 || n > 12 || (n > 0 && !steps))
		return err_set(err, NULL, 0, "chart funnel: %d steps (0 to 12 are drawn)", n);
	funnel_arg_t a = {steps, n};
	chart_layout_t lay = {CHART_FUNNEL_W, CHART_FUNNEL_H, CHART_FUNNEL_BAND, CHART_NARROW_W,
	                      FUNNEL_NARROW_H};
	return S_render("funnel", &lay, title, id_prefix, fmt, S_draw_funnel, &a, out, err);
}

/* ---- trend ---- */

typedef struct {
	const chart_month_t *months;
	int n;
	const char *const *labels;
	const double *thresholds;
} trend_arg_t;

/* Narrow: the legend in two columns of three rows, then the plot. */
#define TREND_NARROW_H 288
#define TREND_NARROW_X 36
#define TREND_NARROW_Y 70
#define TREND_NARROW_PW 210
#define TREND_NARROW_PH 176

/* Adds marker shape k (circle, square, triangle, diamond, triangle down) at x, y to the path. */
static void S_marker_path(cairo_t *cr, int k, double x, double y)
{
	cairo_new_sub_path(cr);
	switch (k) {
	case 0:
		cairo_arc(cr, x, y, 3.6, 0, 2 * M_PI);
		break;
	case 1:
		cairo_rectangle(cr, x - 3.2, y - 3.2, 6.4, 6.4);
		break;
	case 2:
		cairo_move_to(cr, x, y - 4.4);
		cairo_line_to(cr, x + 4.2, y + 3);
		cairo_line_to(cr, x - 4.2, y + 3);
		break;
	case 3:
		cairo_move_to(cr, x, y - 4.6);
		cairo_line_to(cr, x + 4.2, y);
		cairo_line_to(cr, x, y + 4.6);
		cairo_line_to(cr, x - 4.2, y);
		break;
	default:
		cairo_move_to(cr, x, y + 4.4);
		cairo_line_to(cr, x + 4.2, y - 3);
		cairo_line_to(cr, x - 4.2, y - 3);
		break;
	}
	cairo_close_path(cr);
}

/* Fills the markers on the path in colour with a white rim, so overlapping markers stay
 * apart. One fill and one stroke per series keep the SVG small (two elements, not two per
 * month). */
static void S_markers_paint(chart_canvas_t *c, uint32_t color)
{
	S_color(c->cr, color);
	chart_fill_preserve(c);
	cairo_set_line_width(c->cr, 1);
	S_color(c->cr, 0xFFFFFF);
	chart_stroke(c);
}

static void S_marker(chart_canvas_t *c, int k, double x, double y, uint32_t color)
{
	S_marker_path(c->cr, k, x, y);
	S_markers_paint(c, color);
}

/* "2026-01" → "1月" and, for the first label and the first one shown of each year (which
 * is not January when only every k-th month is labelled), "2026年" under it; year holds the
 * year of the label shown before. */
static void S_month_label(const char *m, char year[5], char *top, char *under, size_t n)
{
	under[0] = '\0';
	if (m && strlen(m) == 7 && m[4] == '-' && strspn(m, "0123456789-") == 7) {
		int mm = atoi(m + 5);
		snprintf(top, n, "%d" T_MONTH, mm);
		if (memcmp(year, m, 4) != 0)
			snprintf(under, n, "%.4s" T_YEAR, m);
		memcpy(year, m, 4);
	} else {
		snprintf(top, n, "%s", m ? m : "");
	}
}

static int S_cmp_double(const void *x, const void *y)
{
	const double *a = x, *b = y;
	return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : (a[1] > b[1]) - (a[1] < b[1]);
}

/* One legend entry at (x, y): the series' line and marker (k ≥ 0) or the thresholds' grey
 * dashes (k < 0), then its name. Returns the width drawn. */
static double S_legend_entry(chart_canvas_t *c, int k, const char *name, double x, double y)
{
	cairo_t *cr = c->cr;
	if (k >= 0) {
		uint32_t col = chart_series_colors[k];
		S_color(cr, col);
		cairo_set_line_width(cr, 2);
		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x + 20, y);
		chart_stroke(c);
		S_marker(c, k, x + 10, y, col);
	} else {
		S_line(c, x, S_snap(y), x + 20, S_snap(y), CHART_COLOR_RULE, true);
	}
	return 24 + S_text(c, name, CHART_F_LABEL, C_TEXT, x + 24, y, 0, 0.5);
}

static void S_draw_trend(chart_canvas_t *c, const void *p)
{
	const trend_arg_t *a = p;
	cairo_t *cr = c->cr;
	bool narrow = S_narrow(c);
	const double X = narrow ? TREND_NARROW_X : CHART_TREND_X;
	const double Y = narrow ? TREND_NARROW_Y : CHART_TREND_Y;
	const double PW = narrow ? TREND_NARROW_PW : CHART_TREND_PW;
	const double PH = narrow ? TREND_NARROW_PH : CHART_TREND_PH;
	double hi = 0;
	bool any = false;
	for (int i = 0; i < a->n; i++)
		for (int s = 0; s < CHART_TREND_SERIES; s++)
			if (isfinite(a->months[i].rate[s])) {
				any = true;
				hi = fmax(hi, a->months[i].rate[s]);
			}
	if (!any) {
		S_empty(c, narrow ? 8 : 40);
		return;
	}
	bool any_rule = false;
	for (int s = 0; s < CHART_TREND_SERIES; s++)
		if (a->thresholds && isfinite(a->thresholds[s])) {
			any_rule = true;
			hi = fmax(hi, a->thresholds[s]);
		}
	chart_axis_t ax;
	chart_axis_nice(hi, &ax);

	/* Legend: a line with its marker per series, then the thresholds' grey dashes. */
	for (int s = 0, lx = (int)X; s < CHART_TREND_SERIES + (any_rule ? 1 : 0); s++) {
		const char *name = s == CHART_TREND_SERIES     ? T_RULE
		                   : a->labels && a->labels[s] ? a->labels[s]
		                                               : "";
		int k = s == CHART_TREND_SERIES ? -1 : s;
		if (narrow)
			S_legend_entry(c, k, name, 8 + (s % 2) * 146, 12 + (s / 2) * 18);
		else
			lx += (int)S_legend_entry(c, k, name, lx, 44) + 16;
	}

	/* Grid and rate axis. */
	for (int k = 0; k < ax.ticks; k++) {
		double v = k * ax.step, y = S_snap(Y + PH * (1 - v / ax.max));
		S_line(c, X, y, X + PW, y, k == 0 ? C_AXIS : C_GRID, false);
		char t[32];
		S_tick_pct(t, sizeof t, v, ax.step);
		S_text(c, t, CHART_F_SMALL, C_MUTED, X - 4, y, 1, 0.5);
	}
	/* Month axis: every label while they fit, else every k-th. */
	int every = (int)ceil(a->n / (PW / 40));
	if (every < 1)
		every = 1;
	char year[5] = "";
	for (int i = 0; i < a->n; i += every) {
		double x = X + (i + 0.5) * PW / a->n;
		char top[64], under[64];
		S_month_label(a->months[i].month, year, top, under, sizeof top);
		S_text(c, top, CHART_F_SMALL, C_MUTED, x, Y + PH + 4, 0.5, 0);
		if (under[0])
			S_text(c, under, CHART_F_SMALL, C_MUTED, x, Y + PH + 18, 0.5, 0);
	}

	/* Thresholds in the one grey, each labelled at the right end with its series' marker
	 * and value; labels pushed apart when values are close. */
	double lab[CHART_TREND_SERIES][2];
	int nlab = 0;
	for (int s = 0; a->thresholds && s < CHART_TREND_SERIES; s++) {
		double t = a->thresholds[s];
		if (!isfinite(t))
			continue;
		double y = S_snap(Y + PH * (1 - fmin(fmax(t, 0), ax.max) / ax.max));
		S_line(c, X, y, X + PW, y, CHART_COLOR_RULE, true);
		lab[nlab][0] = y;
		lab[nlab][1] = s;
		nlab++;
	}
	qsort(lab, (size_t)nlab, sizeof lab[0], S_cmp_double);
	double prev = -1e9;
	for (int i = 0; i < nlab; i++) {
		int s = (int)lab[i][1];
		double y = fmax(lab[i][0], prev + 14);
		char pct[64];
		format_pct(pct, sizeof pct, a->thresholds[s]);
		S_marker(c, s, X + PW + 9, y, chart_series_colors[s]);
		S_text(c, pct, CHART_F_SMALL, C_TEXT, X + PW + 16, y, 0, 0.5);
		prev = y;
	}

	/* Series: lines broken at null months, then the markers on top. */
	cairo_set_line_width(cr, 2);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	for (int s = 0; s < CHART_TREND_SERIES; s++) {
		bool open = false;
		for (int i = 0; i < a->n; i++) {
			double v = a->months[i].rate[s];
			if (!isfinite(v)) {
				open = false;
				continue;
			}
			double x = X + (i + 0.5) * PW / a->n;
			double y = Y + PH * (1 - fmin(fmax(v, 0), ax.max) / ax.max);
			if (open)
				cairo_line_to(cr, x, y);
			else
				cairo_move_to(cr, x, y);
			open = true;
		}
		S_color(cr, chart_series_colors[s]);
		cairo_set_line_width(cr, 2);
		chart_stroke(c);
	}
	for (int s = 0; s < CHART_TREND_SERIES; s++) {
		bool any_marker = false;
		for (int i = 0; i < a->n; i++) {
			double v = a->months[i].rate[s];
			if (!isfinite(v))
				continue;
			double x = X + (i + 0.5) * PW / a->n;
			double y = Y + PH * (1 - fmin(fmax(v, 0), ax.max) / ax.max);
			S_marker_path(cr, s, x, y);
			any_marker = true;
		}
		if (any_marker)
			S_markers_paint(c, chart_series_colors[s]);
	}
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
}

int chart_trend(const chart_month_t *months, int n, const char *const labels[CHART_TREND_SERIES],
                const double thresholds[CHART_TREND_SERIES], const char *title,
                const char *id_prefix, chart_format_t fmt, buf_t *out, err_t *err)
{
	if (n < 0 || n > 60 || (n > 0 && !months))
		return err_set(err, NULL, 0, "chart trend: %d months (0 to 60 are drawn)", n);
	trend_arg_t a = {months, n, labels, thresholds};
	chart_layout_t lay = {CHART_TREND_W, CHART_TREND_H, CHART_TREND_BAND, CHART_NARROW_W,
	                      TREND_NARROW_H};
	return S_render("trend", &lay, title, id_prefix, fmt, S_draw_trend, &a, out, err);
}

/* ---- bars ---- */

typedef struct {
	const chart_bar_t *const *order; /* the bars, sorted */
	int n;
	double threshold;
	int is_max;
	bool scores; /* 0..100 with two decimals, the line is the pass score */
} bars_arg_t;

/* Narrow: a shorter label column, and the legend above the ticks (no title beside it). */
#define BARS_NARROW_X 84
#define BARS_NARROW_PW 150
#define BARS_NARROW_TOP 44

static double S_bars_row(int n)
{
	return n <= 40 ? 22 : 16;
}

/* Rows drawn: every bar, or the capped ones plus the row of the note. */
static int S_bars_rows(int n)
{
	return n <= CHART_BARS_MAX ? n : CHART_BARS_MAX + 1;
}

int chart_bars_height(int n)
{
	if (n <= 0)
		return 140;
	return (int)(CHART_BARS_TOP + S_bars_rows(n) * S_bars_row(n) + 24);
}

static int S_bars_narrow_height(int n)
{
	return chart_bars_height(n) - (CHART_BARS_TOP - BARS_NARROW_TOP);
}

/* Highest first, nulls last, then by label, then in input order (pointers into one array). */
static int S_cmp_bars(const void *x, const void *y)
{
	const chart_bar_t *a = *(const chart_bar_t *const *)x, *b = *(const chart_bar_t *const *)y;
	bool na = !isfinite(a->value), nb = !isfinite(b->value);
	if (na != nb)
		return na ? 1 : -1;
	if (!na && a->value != b->value)
		return a->value > b->value ? -1 : 1;
	int c = strcmp(a->label ? a->label : "", b->label ? b->label : "");
	return c ? c : (a > b) - (a < b);
}

/* The bar drawn in row r, or NULL for the row of the note about bars left out. */
static const chart_bar_t *S_bar_at(const bars_arg_t *a, int r)
{
	if (a->n <= CHART_BARS_MAX || r < CHART_BARS_MAX / 2)
		return a->order[r];
	if (r == CHART_BARS_MAX / 2)
		return NULL;
	return a->order[a->n - (CHART_BARS_MAX + 1 - r)];
}

static double S_bar_width(double v, const chart_axis_t *ax, double pw)
{
	v = fmin(fmax(v, 0), ax->max);
	return v > 0 ? fmax(1, pw * v / ax->max) : 0;
}

/* A bar below a minimum, or above a maximum, is failing (met(i) of SPEC §6 on its value),
 * unless the caller marked it. */
static bool S_bar_fails(const bars_arg_t *a, const chart_bar_t *b)
{
	if (b->mark != CHART_MARK_BY_RULE)
		return b->mark == CHART_MARK_FAIL;
	return isfinite(a->threshold) && isfinite(b->value) &&
	       (a->is_max ? b->value > a->threshold : b->value < a->threshold);
}

/* Is a bar pass or fail at all (a threshold, or the caller's mark)? */
static bool S_bar_judged(const bars_arg_t *a, const chart_bar_t *b)
{
	return b->mark != CHART_MARK_BY_RULE || isfinite(a->threshold);
}

/* The left edge of a text of width w that would start at x, moved past the threshold line
 * at rx when the line would run through it (the line never crosses a label). */
static double S_clear_of(double x, double w, double rx)
{
	return x - 3 <= rx && rx <= x + w + 3 ? rx + 4 : x;
}

static void S_draw_bars(chart_canvas_t *c, const void *p)
{
	const bars_arg_t *a = p;
	bool narrow = S_narrow(c);
	const double X = narrow ? BARS_NARROW_X : CHART_BARS_X;
	const double PW = narrow ? BARS_NARROW_PW : CHART_BARS_PW;
	const double TOP = narrow ? BARS_NARROW_TOP : CHART_BARS_TOP;
	double hi = 0;
	bool any = false;
	for (int i = 0; i < a->n; i++)
		if (isfinite(a->order[i]->value)) {
			any = true;
			hi = fmax(hi, a->order[i]->value);
		}
	if (!any) {
		S_empty(c, narrow ? 8 : 40);
		return;
	}
	bool rule = isfinite(a->threshold), judged = rule;
	for (int i = 0; i < a->n; i++)
		judged = judged || a->order[i]->mark != CHART_MARK_BY_RULE;
	if (rule)
		hi = fmax(hi, a->threshold);
	chart_axis_t ax;
	chart_axis_nice(a->scores ? 100 : hi, &ax);
	double row = S_bars_row(a->n), bar = row <= 16 ? 10 : 14;
	int rows = S_bars_rows(a->n);
	double bottom = TOP + rows * row;

	if (judged) { /* legend at the top right: swatch, mark, word */
		const char *pass = a->scores ? "通过" : T_PASS,
		           *fail = a->scores ? "未通过" : T_FAIL;
		double x = c->w - (narrow ? 8 : 16), y = narrow ? 12 : 18;
		for (int k = 0; k < 2; k++) {
			x -= S_text(c, k ? pass : fail, CHART_F_LABEL, C_TEXT, x, y, 1, 0.5) + 2;
			uint32_t col = k ? CHART_COLOR_PASS : CHART_COLOR_FAIL;
			S_mark(c, x - 10, y, k, col);
			S_fill_rect(c, x - 24, y - 5, 10, 10, col);
			x -= 24 + 14;
		}
	}
	for (int k = 0; k < ax.ticks; k++) {
		double v = k * ax.step, x = S_snap(X + PW * v / ax.max);
		S_line(c, x, TOP - 4, x, bottom, k == 0 ? C_AXIS : C_GRID, false);
		char t[32];
		if (a->scores)
			snprintf(t, sizeof t, "%.0f", v);
		else
			S_tick_pct(t, sizeof t, v, ax.step);
		S_text(c, t, CHART_F_SMALL, C_MUTED, x, TOP - 6, 0.5, 1);
	}
	/* Bars, then the threshold across them, then every text above both. */
	for (int r = 0; r < rows; r++) {
		const chart_bar_t *b = S_bar_at(a, r);
		if (!b || !isfinite(b->value))
			continue;
		double mid = TOP + r * row + row / 2, w = S_bar_width(b->value, &ax, PW);
		uint32_t col = !S_bar_judged(a, b) ? CHART_COLOR_BAR
		               : S_bar_fails(a, b) ? CHART_COLOR_FAIL
		                                   : CHART_COLOR_PASS;
		if (w > 0)
			S_fill_rect(c, X, mid - bar / 2, w, bar, col);
	}
	double rx = -1e9;
	if (rule) {
		rx = S_snap(X + PW * fmin(fmax(a->threshold, 0), ax.max) / ax.max);
		S_line(c, rx, TOP - 4, rx, bottom + 4, CHART_COLOR_RULE, true);
		char num[64], label[128];
		if (a->scores) {
			snprintf(num, sizeof num, "%g",
			         a->threshold); /* site.yaml's 80, not 80.00 */
			snprintf(label, sizeof label, T_PASS_LINE " %s" T_SCORE_UNIT, num);
		} else {
			format_pct(num, sizeof num, a->threshold);
			snprintf(label, sizeof label, T_RULE " %s%s", a->is_max ? "≤" : "≥", num);
		}
		double lw = S_text_width(c, label, CHART_F_SMALL);
		double lx = fmin(fmax(rx - lw / 2, 4), c->w - 4 - lw);
		S_text(c, label, CHART_F_SMALL, C_TEXT, lx, bottom + 6, 0, 0);
	}
	for (int r = 0; r < rows; r++) {
		const chart_bar_t *b = S_bar_at(a, r);
		double mid = TOP + r * row + row / 2;
		if (!b) {
			char note[128];
			snprintf(note, sizeof note, T_OMITTED, a->n - CHART_BARS_MAX);
			double nw = S_text_width(c, note, CHART_F_SMALL);
			/* A white box keeps the threshold line out of the note. */
			S_fill_rect(c, X + PW / 2 - nw / 2 - 3, mid - 7, nw + 6, 14,
			            CHART_COLOR_BG);
			S_text(c, note, CHART_F_SMALL, C_MUTED, X + PW / 2, mid, 0.5, 0.5);
			continue;
		}
		S_text_fit(c, b->label ? b->label : "", CHART_F_LABEL, C_TEXT, X - 8, mid, 1, 0.5,
		           X - 12);
		if (!isfinite(b->value)) {
			const char *note = b->note ? b->note : T_NULL;
			double x = S_clear_of(X + 4, S_text_width(c, note, CHART_F_SMALL), rx);
			S_text(c, note, CHART_F_SMALL, C_MUTED, x, mid, 0, 0.5);
			continue;
		}
		/* The label beside a failing bar never reads as meeting the threshold line. */
		char num[64];
		bool fails = S_bar_fails(a, b);
		if (a->scores) {
			format_score(num, sizeof num, b->value);
		} else {
			indicator_rule_t ir = {.is_max = a->is_max, .threshold = a->threshold};
			format_pct_vs(num, sizeof num, b->value, rule ? &ir : NULL, !fails);
		}
		bool judged_b = S_bar_judged(a, b);
		double w = (judged_b ? MARK_W : 0) + S_text_width(c, num, CHART_F_SMALL);
		double x = S_clear_of(X + S_bar_width(b->value, &ax, PW) + 4, w, rx);
		if (judged_b) {
			S_mark(c, x, mid, !fails, fails ? CHART_COLOR_FAIL : CHART_COLOR_PASS);
			x += MARK_W;
		}
		S_text(c, num, CHART_F_SMALL, C_TEXT, x, mid, 0, 0.5);
	}
}

static int S_bars(const chart_bar_t *bars, int n, double threshold, int is_max, bool scores,
                  const char *title, const char *id_prefix, chart_format_t fmt, buf_t *out,
                  err_t *err)
{
	if (n < 0 || (n > 0 && !bars))
		return err_set(err, NULL, 0, "chart %s: %d bars", scores ? "scores" : "bars", n);
	const chart_bar_t **order = xmalloc((size_t)(n ? n : 1) * sizeof *order);
	for (int i = 0; i < n; i++)
		order[i] = &bars[i];
	qsort(order, (size_t)n, sizeof *order, S_cmp_bars);
	bars_arg_t a = {order, n, threshold, is_max, scores};
	chart_layout_t lay = {CHART_BARS_W, chart_bars_height(n), 0, CHART_NARROW_W,
	                      S_bars_narrow_height(n)};
	int rc = S_render(scores ? "scores" : "bars", &lay, title, id_prefix, fmt, S_draw_bars, &a,
	                  out, err);
	free(order);
	return rc;
}

int chart_bars(const chart_bar_t *bars, int n, double threshold, int threshold_is_max,
               const char *title, const char *id_prefix, chart_format_t fmt, buf_t *out, err_t *err)
{
	return S_bars(bars, n, threshold, threshold_is_max, false, title, id_prefix, fmt, out, err);
}

int chart_scores(const chart_bar_t *bars, int n, double pass_score, const char *title,
                 const char *id_prefix, chart_format_t fmt, buf_t *out, err_t *err)
{
	return S_bars(bars, n, pass_score, 0, true, title, id_prefix, fmt, out, err);
}

/* ---- segments ---- */

typedef struct {
	const chart_slice_t *slices;
	int n;
	int64_t total;
} segments_arg_t;

/* Narrow: the donut on top, the legend under it. */
#define SEGMENTS_NARROW_CY 96
#define SEGMENTS_NARROW_R 84
#define SEGMENTS_NARROW_R_IN 52
#define SEGMENTS_NARROW_PITCH 22

static int S_segments_narrow_height(int n)
{
	return SEGMENTS_NARROW_CY + SEGMENTS_NARROW_R + 20 + n * SEGMENTS_NARROW_PITCH;
}

static void S_draw_segments(chart_canvas_t *c, const void *p)
{
	const segments_arg_t *a = p;
	cairo_t *cr = c->cr;
	bool narrow = S_narrow(c);
	const double cx = narrow ? c->w / 2 : CHART_SEGMENTS_CX;
	const double cy = narrow ? SEGMENTS_NARROW_CY : CHART_SEGMENTS_CY;
	const double R = narrow ? SEGMENTS_NARROW_R : CHART_SEGMENTS_R;
	const double RI = narrow ? SEGMENTS_NARROW_R_IN : CHART_SEGMENTS_R_IN;
	const int64_t total = a->total;
	if (total <= 0) {
		S_empty(c, narrow ? 8 : 40);
		return;
	}
	/* Slices clockwise from 12 o'clock with white gaps, then their shares on top. */
	for (int pass = 0; pass < 2; pass++) {
		double a0 = -M_PI / 2;
		for (int i = 0; i < a->n; i++) {
			int64_t v = a->slices[i].value;
			if (v <= 0)
				continue;
			double share = a->slices[i].share, a1 = a0 + 2 * M_PI * share;
			uint32_t col = chart_segment_colors[i];
			if (pass == 0) {
				cairo_new_sub_path(cr);
				cairo_arc(cr, cx, cy, R, a0, a1);
				cairo_arc_negative(cr, cx, cy, RI, a1, a0);
				cairo_close_path(cr);
				S_color(cr, col);
				chart_fill_preserve(c);
				S_color(cr, 0xFFFFFF);
				cairo_set_line_width(cr, share < 1 ? 1.5 : 0);
				chart_stroke(c);
			} else if (share >= 0.06) {
				double m = (a0 + a1) / 2, r = (R + RI) / 2;
				char t[32];
				snprintf(t, sizeof t, "%.0f%%", share * 100);
				S_text(c, t, CHART_F_SMALL,
				       S_lightness(col) < 60 ? 0xFFFFFF : C_TEXT, cx + r * cos(m),
				       cy + r * sin(m), 0.5, 0.5);
			}
			a0 = a1;
		}
	}
	char num[64];
	format_count(num, sizeof num, total);
	S_text(c, num, CHART_F_BIG, C_TITLE, cx, cy + 2, 0.5, 1);
	S_text(c, T_HOUSEHOLDS, CHART_F_SMALL, C_MUTED, cx, cy + 4, 0.5, 0);

	/* Legend: swatch, name, count, share. */
	const double lx = narrow ? 16 : 252, pitch = narrow ? SEGMENTS_NARROW_PITCH : 24;
	double y = narrow ? cy + R + 20 + pitch / 2 - 2 : cy - (a->n - 1) * pitch / 2;
	for (int i = 0; i < a->n; i++, y += pitch) {
		const chart_slice_t *s = &a->slices[i];
		S_fill_rect(c, lx, y - 6, 12, 12, chart_segment_colors[i]);
		S_text_fit(c, s->label ? s->label : "", CHART_F_LABEL, C_TEXT, lx + 18, y, 0, 0.5,
		           narrow ? 130 : 100);
		format_count(num, sizeof num, s->value);
		S_text(c, num, CHART_F_LABEL, C_TEXT, c->w - (narrow ? 70 : 76), y, 1, 0.5);
		char pct[64];
		format_pct(pct, sizeof pct, s->value > 0 ? s->share : 0);
		S_text(c, pct, CHART_F_LABEL, C_MUTED, c->w - 16, y, 1, 0.5);
	}
}

int chart_segments(const chart_slice_t *slices, int n, int64_t total, const char *title,
                   const char *id_prefix, chart_format_t fmt, buf_t *out, err_t *err)
{
	if (n < 0 || n > 8 || (n > 0 && !slices))
		return err_set(err, NULL, 0, "chart segments: %d segments (0 to 8 are drawn)", n);
	segments_arg_t a = {slices, n, total};
	chart_layout_t lay = {CHART_SEGMENTS_W, CHART_SEGMENTS_H, CHART_SEGMENTS_BAND,
	                      CHART_NARROW_W, S_segments_narrow_height(n)};
	return S_render("segments", &lay, title, id_prefix, fmt, S_draw_segments, &a, out, err);
}
