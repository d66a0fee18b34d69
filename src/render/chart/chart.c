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
#define T_RULE "验收标准"
#define T_HOUSEHOLDS "户"
#define T_MONTH "月"
#define T_YEAR "年"
#define T_OMITTED "中间另有 %d 个未显示"
#define T_DIGITS "0123456789.,%-—…≥≤ "

const char *const chart_own_texts[] = {
    T_EMPTY,  T_NULL, T_PASS,
    T_FAIL,   T_RULE, T_HOUSEHOLDS,
    T_MONTH,  T_YEAR, "中间另有 0 个未显示", /* T_OMITTED */
    T_DIGITS, NULL,
};

const uint32_t chart_series_colors[CHART_TREND_SERIES] = {
    0x0072B2, /* blue, circle */
    0xE69F00, /* orange, square */
    0x009E73, /* bluish green, triangle */
    0xD55E00, /* vermillion, diamond */
    0x000000, /* black, triangle down */
};

/* Adjacent slices differ in lightness; "其他" (the sixth) is grey. */
const uint32_t chart_segment_colors[8] = {
    0x0072B2, 0xE69F00, 0x009E73, 0xF0E442, 0xD55E00, 0xBBBBBB, 0x56B4E9, 0xCC79A7,
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

static void S_fill_rect(cairo_t *cr, double x, double y, double w, double h, uint32_t c)
{
	S_color(cr, c);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
}

/* A 1-pixel line on a pixel centre (crisp at 1× and 2×); dashed or solid. */
static void S_line(cairo_t *cr, double x0, double y0, double x1, double y1, uint32_t c, bool dashed)
{
	static const double dash[] = {4, 3};
	S_color(cr, c);
	cairo_set_line_width(cr, 1);
	cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

static double S_snap(double v)
{
	return floor(v) + 0.5;
}

static void S_extents(chart_canvas_t *c, double *w, double *h)
{
	PangoRectangle r;
	pango_layout_get_extents(c->layout, NULL, &r);
	*w = (double)r.width / PANGO_SCALE;
	*h = (double)r.height / PANGO_SCALE;
}

static double S_text_width(chart_canvas_t *c, const char *s, int font)
{
	double w, h;
	chart_set_text(c, s, font);
	S_extents(c, &w, &h);
	return w;
}

/* Draws s so that the point (ax, ay) of its box — 0 left/top, 0.5 centre, 1 right/bottom —
 * lands on (x, y); maxw > 0 ellipsizes longer text. Returns the drawn width. */
static double S_text_fit(chart_canvas_t *c, const char *s, int font, uint32_t color, double x,
                         double y, double ax, double ay, double maxw)
{
	chart_set_text(c, s, font);
	if (maxw > 0) {
		pango_layout_set_width(c->layout, (int)(maxw * PANGO_SCALE));
		pango_layout_set_ellipsize(c->layout, PANGO_ELLIPSIZE_END);
	}
	double w, h;
	S_extents(c, &w, &h);
	chart_show_layout(c, x - ax * w, y - ay * h, color);
	if (maxw > 0) {
		pango_layout_set_width(c->layout, -1);
		pango_layout_set_ellipsize(c->layout, PANGO_ELLIPSIZE_NONE);
	}
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
	S_fill_rect(c->cr, 16, top, c->w - 32, bottom - top, C_EMPTY_FILL);
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

/* The title, top left, leaving room for a legend at the right of it. */
static void S_draw_titled(chart_canvas_t *c, const void *p)
{
	const titled_t *t = p;
	if (t->title && *t->title)
		S_text_fit(c, t->title, CHART_F_TITLE, C_TITLE, 16, 8, 0, 0, c->w - 180);
	t->draw(c, t->arg);
}

static int S_render(const char *kind, int w, int h, const char *title, const char *prefix,
                    chart_format_t fmt, chart_draw_fn draw, const void *arg, buf_t *out, err_t *err)
{
	titled_t t = {title, draw, arg};
	return chart_render(kind, w, h, title, prefix, fmt, S_draw_titled, &t, out, err);
}

/* ---- funnel ---- */

typedef struct {
	const chart_step_t *steps;
	int n;
} funnel_arg_t;

static void S_draw_funnel(chart_canvas_t *c, const void *p)
{
	const funnel_arg_t *a = p;
	cairo_t *cr = c->cr;
	int64_t max = 0;
	for (int i = 0; i < a->n; i++)
		if (a->steps[i].value > max)
			max = a->steps[i].value;
	if (max <= 0) {
		S_empty(c, CHART_FUNNEL_TOP);
		return;
	}
	double row = CHART_FUNNEL_ROW, bar = CHART_FUNNEL_BAR;
	if (a->n > 6) {
		row = floor((CHART_FUNNEL_H - CHART_FUNNEL_TOP - 12.0) / a->n);
		bar = floor(row * 0.7);
	}
	const double cx = CHART_FUNNEL_CX, label_x = cx - CHART_FUNNEL_MAXW / 2.0 - 8;
	double width[12];
	for (int i = 0; i < a->n; i++) {
		double share = a->steps[i].value > 0 ? a->steps[i].share : 0;
		width[i] = share > 0 ? fmax(2, CHART_FUNNEL_MAXW * share) : 0;
	}
	/* Links between bars first, so the bars' edges stay sharp. */
	S_color(cr, C_FUNNEL_LINK);
	for (int i = 0; i + 1 < a->n; i++) {
		double y0 = CHART_FUNNEL_TOP + i * row + (row + bar) / 2;
		double y1 = CHART_FUNNEL_TOP + (i + 1) * row + (row - bar) / 2;
		cairo_move_to(cr, cx - width[i] / 2, y0);
		cairo_line_to(cr, cx + width[i] / 2, y0);
		cairo_line_to(cr, cx + width[i + 1] / 2, y1);
		cairo_line_to(cr, cx - width[i + 1] / 2, y1);
		cairo_close_path(cr);
	}
	cairo_fill(cr);
	for (int i = 0; i < a->n; i++) {
		const chart_step_t *s = &a->steps[i];
		double top = CHART_FUNNEL_TOP + i * row + (row - bar) / 2, mid = top + bar / 2;
		if (width[i] > 0)
			S_fill_rect(cr, cx - width[i] / 2, top, width[i], bar, CHART_COLOR_BAR);
		if (s->label)
			S_text_fit(c, s->label, CHART_F_LABEL, C_TEXT, label_x, mid, 1, 0.5,
			           label_x - 8);
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
			double right = CHART_FUNNEL_W - 12;
			double pw = S_text(c, pct, CHART_F_BOLD, C_TEXT, right, mid, 1, 0.5);
			S_text(c, s->rate_label, CHART_F_LABEL, C_MUTED, right - pw - 4, mid, 1,
			       0.5);
		}
	}
}

int chart_funnel(const chart_step_t *steps, int n, const char *title, const char *id_prefix,
                 chart_format_t fmt, buf_t *out, err_t *err)
{
	if (n < 0 || n > 12 || (n > 0 && !steps))
		return err_set(err, NULL, 0, "chart funnel: %d steps (0 to 12 are drawn)", n);
	funnel_arg_t a = {steps, n};
	return S_render("funnel", CHART_FUNNEL_W, CHART_FUNNEL_H, title, id_prefix, fmt,
	                S_draw_funnel, &a, out, err);
}

/* ---- trend ---- */

typedef struct {
	const chart_month_t *months;
	int n;
	const char *const *labels;
	const double *thresholds;
} trend_arg_t;

/* Fills path with marker shape k (circle, square, triangle, diamond, triangle down) at x, y,
 * then fills it in colour with a white rim so overlapping markers stay apart. */
static void S_marker(cairo_t *cr, int k, double x, double y, uint32_t color)
{
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
	S_color(cr, color);
	cairo_fill_preserve(cr);
	cairo_set_line_width(cr, 1);
	S_color(cr, 0xFFFFFF);
	cairo_stroke(cr);
}

/* "2026-01" → "1月" and, for the first label and each January, "2026年" under it. */
static void S_month_label(const char *m, bool first, char *top, char *under, size_t n)
{
	under[0] = '\0';
	if (m && strlen(m) == 7 && m[4] == '-' && strspn(m, "0123456789-") == 7) {
		int mm = atoi(m + 5);
		snprintf(top, n, "%d" T_MONTH, mm);
		if (first || mm == 1)
			snprintf(under, n, "%.4s" T_YEAR, m);
	} else {
		snprintf(top, n, "%s", m ? m : "");
	}
}

static int S_cmp_double(const void *x, const void *y)
{
	const double *a = x, *b = y;
	return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : (a[1] > b[1]) - (a[1] < b[1]);
}

static void S_draw_trend(chart_canvas_t *c, const void *p)
{
	const trend_arg_t *a = p;
	cairo_t *cr = c->cr;
	const double X = CHART_TREND_X, Y = CHART_TREND_Y, PW = CHART_TREND_PW, PH = CHART_TREND_PH;
	double hi = 0;
	bool any = false;
	for (int i = 0; i < a->n; i++)
		for (int s = 0; s < CHART_TREND_SERIES; s++)
			if (isfinite(a->months[i].rate[s])) {
				any = true;
				hi = fmax(hi, a->months[i].rate[s]);
			}
	if (!any) {
		S_empty(c, 40);
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

	/* Legend: a line with its marker per series, then the threshold's dashes. */
	double lx = X, ly = 44;
	for (int s = 0; s < CHART_TREND_SERIES; s++) {
		uint32_t col = chart_series_colors[s];
		S_color(cr, col);
		cairo_set_line_width(cr, 2);
		cairo_move_to(cr, lx, ly);
		cairo_line_to(cr, lx + 20, ly);
		cairo_stroke(cr);
		S_marker(cr, s, lx + 10, ly, col);
		const char *name = a->labels && a->labels[s] ? a->labels[s] : "";
		lx += 24 + S_text(c, name, CHART_F_LABEL, C_TEXT, lx + 24, ly, 0, 0.5) + 16;
	}
	if (any_rule) {
		S_line(cr, lx, S_snap(ly), lx + 20, S_snap(ly), C_MUTED, true);
		S_text(c, T_RULE, CHART_F_LABEL, C_TEXT, lx + 24, ly, 0, 0.5);
	}

	/* Grid and rate axis. */
	for (int k = 0; k < ax.ticks; k++) {
		double v = k * ax.step, y = S_snap(Y + PH * (1 - v / ax.max));
		S_line(cr, X, y, X + PW, y, k == 0 ? C_AXIS : C_GRID, false);
		char t[32];
		S_tick_pct(t, sizeof t, v, ax.step);
		S_text(c, t, CHART_F_SMALL, C_MUTED, X - 6, y, 1, 0.5);
	}
	/* Month axis: every label while they fit, else every k-th. */
	int every = (int)ceil(a->n / (PW / 40));
	if (every < 1)
		every = 1;
	for (int i = 0; i < a->n; i += every) {
		double x = X + (i + 0.5) * PW / a->n;
		char top[64], under[64];
		S_month_label(a->months[i].month, i == 0, top, under, sizeof top);
		S_text(c, top, CHART_F_SMALL, C_MUTED, x, Y + PH + 4, 0.5, 0);
		if (under[0])
			S_text(c, under, CHART_F_SMALL, C_MUTED, x, Y + PH + 18, 0.5, 0);
	}

	/* Thresholds, labelled at the right end; labels pushed apart when values are close. */
	double lab[CHART_TREND_SERIES][2];
	int nlab = 0;
	for (int s = 0; a->thresholds && s < CHART_TREND_SERIES; s++) {
		double t = a->thresholds[s];
		if (!isfinite(t))
			continue;
		double y = S_snap(Y + PH * (1 - fmin(fmax(t, 0), ax.max) / ax.max));
		S_line(cr, X, y, X + PW, y, chart_series_colors[s], true);
		lab[nlab][0] = y;
		lab[nlab][1] = s;
		nlab++;
	}
	qsort(lab, (size_t)nlab, sizeof lab[0], S_cmp_double);
	double prev = -1e9;
	for (int i = 0; i < nlab; i++) {
		int s = (int)lab[i][1];
		double y = fmax(lab[i][0], prev + 12);
		char pct[64];
		format_pct(pct, sizeof pct, a->thresholds[s]);
		S_text(c, pct, CHART_F_SMALL, chart_series_colors[s], X + PW + 4, y, 0, 0.5);
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
		cairo_stroke(cr);
	}
	for (int s = 0; s < CHART_TREND_SERIES; s++)
		for (int i = 0; i < a->n; i++) {
			double v = a->months[i].rate[s];
			if (!isfinite(v))
				continue;
			double x = X + (i + 0.5) * PW / a->n;
			double y = Y + PH * (1 - fmin(fmax(v, 0), ax.max) / ax.max);
			S_marker(cr, s, x, y, chart_series_colors[s]);
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
	return S_render("trend", CHART_TREND_W, CHART_TREND_H, title, id_prefix, fmt, S_draw_trend,
	                &a, out, err);
}

/* ---- bars ---- */

typedef struct {
	const chart_bar_t *const *order; /* the bars, sorted */
	int n;
	double threshold;
	int is_max;
} bars_arg_t;

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

static double S_bar_width(double v, const chart_axis_t *ax)
{
	v = fmin(fmax(v, 0), ax->max);
	return v > 0 ? fmax(1, CHART_BARS_PW * v / ax->max) : 0;
}

/* A bar below a minimum, or above a maximum, is failing (met(i) of SPEC §6 on its value). */
static bool S_bar_fails(const bars_arg_t *a, double v)
{
	return isfinite(a->threshold) && isfinite(v) &&
	       (a->is_max ? v > a->threshold : v < a->threshold);
}

static void S_draw_bars(chart_canvas_t *c, const void *p)
{
	const bars_arg_t *a = p;
	cairo_t *cr = c->cr;
	const double X = CHART_BARS_X, PW = CHART_BARS_PW, TOP = CHART_BARS_TOP;
	double hi = 0;
	bool any = false;
	for (int i = 0; i < a->n; i++)
		if (isfinite(a->order[i]->value)) {
			any = true;
			hi = fmax(hi, a->order[i]->value);
		}
	if (!any) {
		S_empty(c, 40);
		return;
	}
	bool rule = isfinite(a->threshold);
	if (rule)
		hi = fmax(hi, a->threshold);
	chart_axis_t ax;
	chart_axis_nice(hi, &ax);
	double row = S_bars_row(a->n), bar = row <= 16 ? 10 : 14;
	int rows = S_bars_rows(a->n);
	double bottom = TOP + rows * row;

	if (rule) { /* legend at the right of the title */
		double x = CHART_BARS_W - 16;
		x -= S_text(c, T_FAIL, CHART_F_LABEL, C_TEXT, x, 18, 1, 0.5) + 4;
		S_fill_rect(cr, x - 10, 13, 10, 10, CHART_COLOR_WARN);
		x -= 24;
		x -= S_text(c, T_PASS, CHART_F_LABEL, C_TEXT, x, 18, 1, 0.5) + 4;
		S_fill_rect(cr, x - 10, 13, 10, 10, CHART_COLOR_BAR);
	}
	for (int k = 0; k < ax.ticks; k++) {
		double v = k * ax.step, x = S_snap(X + PW * v / ax.max);
		S_line(cr, x, TOP - 4, x, bottom, k == 0 ? C_AXIS : C_GRID, false);
		char t[32];
		S_tick_pct(t, sizeof t, v, ax.step);
		S_text(c, t, CHART_F_SMALL, C_MUTED, x, TOP - 6, 0.5, 1);
	}
	/* Bars, then the threshold across them, then every text above both. */
	for (int r = 0; r < rows; r++) {
		const chart_bar_t *b = S_bar_at(a, r);
		if (!b || !isfinite(b->value))
			continue;
		double mid = TOP + r * row + row / 2, w = S_bar_width(b->value, &ax);
		bool fail = S_bar_fails(a, b->value);
		if (w > 0)
			S_fill_rect(cr, X, mid - bar / 2, w, bar,
			            fail ? CHART_COLOR_WARN : CHART_COLOR_BAR);
	}
	if (rule) {
		double x = S_snap(X + PW * fmin(fmax(a->threshold, 0), ax.max) / ax.max);
		S_line(cr, x, TOP - 4, x, bottom + 4, CHART_COLOR_RULE, true);
		char pct[64], label[128];
		format_pct(pct, sizeof pct, a->threshold);
		snprintf(label, sizeof label, T_RULE " %s%s", a->is_max ? "≤" : "≥", pct);
		S_text(c, label, CHART_F_SMALL, CHART_COLOR_RULE, x, bottom + 6, 0.5, 0);
	}
	for (int r = 0; r < rows; r++) {
		const chart_bar_t *b = S_bar_at(a, r);
		double mid = TOP + r * row + row / 2;
		if (!b) {
			char note[128];
			snprintf(note, sizeof note, T_OMITTED, a->n - CHART_BARS_MAX);
			S_text(c, note, CHART_F_SMALL, C_MUTED, X + PW / 2, mid, 0.5, 0.5);
			continue;
		}
		S_text_fit(c, b->label ? b->label : "", CHART_F_LABEL, C_TEXT, X - 8, mid, 1, 0.5,
		           X - 20);
		if (!isfinite(b->value)) {
			S_text(c, b->note ? b->note : T_NULL, CHART_F_SMALL, C_MUTED, X + 4, mid, 0,
			       0.5);
			continue;
		}
		/* The label beside a failing bar never reads as meeting the threshold line. */
		char pct[64];
		indicator_rule_t r = {.is_max = a->is_max, .threshold = a->threshold};
		format_pct_vs(pct, sizeof pct, b->value, rule ? &r : NULL,
		              !S_bar_fails(a, b->value));
		S_text(c, pct, CHART_F_SMALL, C_TEXT, X + S_bar_width(b->value, &ax) + 4, mid, 0,
		       0.5);
	}
}

int chart_bars(const chart_bar_t *bars, int n, double threshold, int threshold_is_max,
               const char *title, const char *id_prefix, chart_format_t fmt, buf_t *out, err_t *err)
{
	if (n < 0 || (n > 0 && !bars))
		return err_set(err, NULL, 0, "chart bars: %d bars", n);
	const chart_bar_t **order = xmalloc((size_t)(n ? n : 1) * sizeof *order);
	for (int i = 0; i < n; i++)
		order[i] = &bars[i];
	qsort(order, (size_t)n, sizeof *order, S_cmp_bars);
	bars_arg_t a = {order, n, threshold, threshold_is_max};
	int rc = S_render("bars", CHART_BARS_W, chart_bars_height(n), title, id_prefix, fmt,
	                  S_draw_bars, &a, out, err);
	free(order);
	return rc;
}

/* ---- segments ---- */

typedef struct {
	const chart_slice_t *slices;
	int n;
	int64_t total;
} segments_arg_t;

static void S_draw_segments(chart_canvas_t *c, const void *p)
{
	const segments_arg_t *a = p;
	cairo_t *cr = c->cr;
	const double cx = CHART_SEGMENTS_CX, cy = CHART_SEGMENTS_CY, R = CHART_SEGMENTS_R,
	             RI = CHART_SEGMENTS_R_IN;
	const int64_t total = a->total;
	if (total <= 0) {
		S_empty(c, 40);
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
				cairo_fill_preserve(cr);
				S_color(cr, 0xFFFFFF);
				cairo_set_line_width(cr, share < 1 ? 1.5 : 0);
				cairo_stroke(cr);
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
	const double lx = 252, pitch = 24;
	double y = cy - (a->n - 1) * pitch / 2;
	for (int i = 0; i < a->n; i++, y += pitch) {
		const chart_slice_t *s = &a->slices[i];
		S_fill_rect(cr, lx, y - 6, 12, 12, chart_segment_colors[i]);
		S_text_fit(c, s->label ? s->label : "", CHART_F_LABEL, C_TEXT, lx + 18, y, 0, 0.5,
		           100);
		format_count(num, sizeof num, s->value);
		S_text(c, num, CHART_F_LABEL, C_TEXT, CHART_SEGMENTS_W - 76, y, 1, 0.5);
		char pct[64];
		format_pct(pct, sizeof pct, s->value > 0 ? s->share : 0);
		S_text(c, pct, CHART_F_LABEL, C_MUTED, CHART_SEGMENTS_W - 16, y, 1, 0.5);
	}
}

int chart_segments(const chart_slice_t *slices, int n, int64_t total, const char *title,
                   const char *id_prefix, chart_format_t fmt, buf_t *out, err_t *err)
{
	if (n < 0 || n > 8 || (n > 0 && !slices))
		return err_set(err, NULL, 0, "chart segments: %d segments (0 to 8 are drawn)", n);
	segments_arg_t a = {slices, n, total};
	return S_render("segments", CHART_SEGMENTS_W, CHART_SEGMENTS_H, title, id_prefix, fmt,
	                S_draw_segments, &a, out, err);
}
