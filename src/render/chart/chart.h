/* chart.h — the charts of cundang (funnel, 12-month trend, ranked bars, segment mix), drawn
 * with Cairo and labelled with Pango in a Chinese font: plain numbers in, SVG or PNG bytes out.
 *
 * Output. CHART_SVG appends an SVG element ready to inline in an HTML page: no XML
 * declaration; the root has class="chart chart-<kind>", a viewBox, width="100%" and no
 * height (the height follows the viewBox's aspect, so the page's CSS decides the size, e.g.
 * `svg.chart{max-width:720px}`), role="img" and aria-label="<title>". Text is glyph outlines
 * (each defined once per SVG as a <path> and placed with <use>), so it shows on machines
 * without Chinese fonts. Every id is "<id_prefix>-<n>", numbered in order of first
 * appearance (glyph outlines "<id_prefix>-g<n>"), so several charts can share one page.
 * CHART_SVG_DUAL appends two SVG elements for a page: the wide layout (class "chart-wide",
 * holding every glyph outline) and a narrow one for phones (class "chart-narrow",
 * CHART_NARROW_W wide, its ids "<id_prefix>-n-<n>", its text using the wide one's outlines),
 * both without namespace declarations (the HTML parser supplies them); the page's CSS shows
 * one of the two. CHART_PNG appends a PNG at twice the logical size with a pHYs chunk for
 * 192 dpi. The same data gives the same bytes, in any thread and whatever was drawn before.
 *
 * Titles. A PNG (a workbook's or a mail's picture, outside any page) draws its title in a
 * band at the top; an SVG sits under the page's own heading, so it draws none (the band is
 * left out of its height) and carries the title only as its aria-label.
 *
 * Text is never smaller than 11 logical pixels, so a chart shown at its design width or
 * wider (the wide one while its box is as wide as it, else the narrow one, which fits a
 * 390-pixel phone) never shows text under 11 CSS pixels.
 *
 * Threads. Call chart_init() once from the main thread before any chart, and
 * chart_shutdown() once after the last one. In between, every chart function may run in any
 * number of threads at once. A Pango font map must not be used by two threads at once (the
 * default one is per thread since Pango 1.32.6), so each call borrows a font map — with its
 * cache of glyph outlines — from a pool that holds one per thread drawing at the same time,
 * and creates its own PangoContext, layout and Cairo surface. */
#ifndef CUNDANG_CHART_H
#define CUNDANG_CHART_H

#include <stdint.h>

#include "util.h"

/* Sets up the fonts and loads CHART_FONT once, so a broken fontconfig is reported before any
 * work starts. Once, main thread. Returns 0, or -1 with err filled. A missing Chinese font is
 * not an error (Pango falls back; chart_check_font tells). */
int chart_init(err_t *err);
/* Frees the font maps and their caches, then Cairo's static data (so leak checkers see a
 * clean exit). Main thread, after every chart call has returned; it may wait a little for
 * Pango's font-sorting thread to let go of the maps. chart_init() may be called again. */
void chart_shutdown(void);

typedef enum { CHART_SVG, CHART_PNG, CHART_SVG_DUAL } chart_format_t;

#define CHART_FONT "Noto Sans CJK SC" /* labels 11px (the smallest), titles 14px bold */
#define CHART_FONT_MIN 11             /* the smallest text, in logical pixels */
#define CHART_NARROW_W 300            /* width of the narrow layouts of CHART_SVG_DUAL */
#define CHART_PNG_SCALE 2             /* PNG pixels per logical pixel */
#define CHART_PNG_PPM 7559            /* pHYs pixels per metre: 192 dpi */
#define CHART_TREND_SERIES 5

/* One step of the funnel: its count, the rate printed beside it ("走访率 96.1%"), which the
 * caller takes from the indicators (NAN or rate_label NULL: nothing printed), and its share of
 * the first (widest) step, the length of its bar. */
typedef struct {
	const char *label;
	int64_t value;
	const char *rate_label;
	double rate;
	double share;
} chart_step_t;

/* One month of the trend: "YYYY-MM" and the rates of the five series; NAN is a null month
 * of that series, drawn as a gap. */
typedef struct {
	const char *month;
	double rate[CHART_TREND_SERIES];
} chart_month_t;

/* Whether a bar passes: by the chart's threshold (the rate bars: met(i) of SPEC §6 on the
 * bar's value), or as the caller says (a village's verdict, which may fail above the pass
 * score on an unmet indicator). */
typedef enum { CHART_MARK_BY_RULE = 0, CHART_MARK_PASS, CHART_MARK_FAIL } chart_mark_t;

/* One bar: a village (or branch) and its value; NAN is null: no bar, and note (无数据 when
 * NULL) where it would be, such as 未启动 for a village not started. */
typedef struct {
	const char *label;
	double value;
	const char *note;
	chart_mark_t mark;
} chart_bar_t;

/* One segment of the mix: its name, its count of households and its share of the total. */
typedef struct {
	const char *label;
	int64_t value;
	double share;
} chart_slice_t;

/* Common to every chart function: strings are UTF-8 and borrowed for the call; title
 * (may be NULL) is drawn at the top and is the SVG's aria-label; id_prefix must match
 * [A-Za-z0-9_-]{1,100} (it is only used for SVG); the chart is appended to out (the caller
 * owns out and frees it with buf_free). Returns 0, or -1 with err filled (a bad argument or
 * a Cairo failure); out is then unchanged. No data (n = 0, all counts 0 or all values
 * NAN) draws the title and "暂无数据" instead of a plot. */

/* Funnel of n ≤ 12 steps, 640×300: bar widths proportional to the counts, centred; counts
 * on the bars; each step's rate in the right column. */
int chart_funnel(const chart_step_t *steps, int n, const char *title, const char *id_prefix,
                 chart_format_t fmt, buf_t *out, err_t *err);

/* Trend of n ≤ 60 months, oldest first, 720×320: five rate series (colour and marker
 * shape differ, so they stay apart in grey), each with its threshold (NAN: none) as a thin
 * dashed line in the series' colour, labelled at the right end. labels name the series. */
int chart_trend(const chart_month_t *months, int n, const char *const labels[CHART_TREND_SERIES],
                const double thresholds[CHART_TREND_SERIES], const char *title,
                const char *id_prefix, chart_format_t fmt, buf_t *out, err_t *err);

/* Horizontal bars of one rate, 720 wide, chart_bars_height(n) high. A sorted copy is drawn
 * (highest first, nulls last, ties by label). threshold (NAN: none) is a dashed grey line
 * labelled 目标; a bar below a minimum (above a maximum when threshold_is_max) is failing:
 * CHART_COLOR_FAIL and ✗, else CHART_COLOR_PASS and ✓ (CHART_COLOR_BAR without a
 * threshold). The value is printed after the bar's end, and after the threshold line when
 * the line would cross it. Beyond CHART_BARS_MAX bars, the highest and lowest
 * CHART_BARS_MAX / 2 are drawn with a note of how many were left out between them. */
int chart_bars(const chart_bar_t *bars, int n, double threshold, int threshold_is_max,
               const char *title, const char *id_prefix, chart_format_t fmt, buf_t *out,
               err_t *err);

/* Bars of acceptance scores (0 to 100, two decimals) as chart_bars, with pass_score as the
 * dashed 合格线 and each bar coloured and marked by its mark (通过/未通过; CHART_MARK_BY_RULE
 * compares the score with the line). */
int chart_scores(const chart_bar_t *bars, int n, double pass_score, const char *title,
                 const char *id_prefix, chart_format_t fmt, buf_t *out, err_t *err);

/* Donut of n ≤ 8 segments, 480×260, clockwise from 12 o'clock in the given order (zero
 * slices only in the legend), total (the caller's sum of the counts) in the hole, legend with
 * counts and shares. */
int chart_segments(const chart_slice_t *slices, int n, int64_t total, const char *title,
                   const char *id_prefix, chart_format_t fmt, buf_t *out, err_t *err);

/* Lays out the charts' own texts (暂无数据, legends, units) and each string of extra
 * (NULL-terminated; extra may be NULL) in the chart font. Returns 0 when every character
 * has a glyph, else -1 with err naming the first text that would show boxes. */
int chart_check_font(const char *const *extra, err_t *err);

/* ---- Layout and colours, in logical pixels; documented so tests and pages can rely on
 * where things are. ---- */

/* Axis for values in [0, hi]: ticks 0, step, …, max = (ticks − 1) × step, with step 1, 2,
 * 2.5 or 5 × 10^k and about five intervals. hi ≤ 0 or not finite gives 0..1. */
typedef struct {
	double max, step;
	int ticks;
} chart_axis_t;
void chart_axis_nice(double hi, chart_axis_t *axis);

/* The top *_BAND rows of a layout hold a PNG's title; an SVG is that much shorter (its
 * viewBox starts below them). */
#define CHART_FUNNEL_W 640
#define CHART_FUNNEL_H 300
#define CHART_FUNNEL_BAND 32
#define CHART_FUNNEL_TOP 44   /* first row's top */
#define CHART_FUNNEL_ROW 40   /* row pitch for n ≤ 6 (smaller rows for more steps) */
#define CHART_FUNNEL_BAR 28   /* bar height, vertically centred in its row */
#define CHART_FUNNEL_CX 316   /* bars are centred on this x */
#define CHART_FUNNEL_MAXW 440 /* width of the largest count's bar */

#define CHART_TREND_W 720
#define CHART_TREND_H 320
#define CHART_TREND_BAND 28
/* Plot rectangle; month i of n is at x = X + (i + 0.5) · W / n, rate r at
 * y = Y + H · (1 − r / axis.max), axis = chart_axis_nice(max of rates and thresholds). */
#define CHART_TREND_X 56
#define CHART_TREND_Y 64
#define CHART_TREND_PW 600
#define CHART_TREND_PH 212

#define CHART_BARS_W 720 /* no band: the legend sits in the title's row */
#define CHART_BARS_MAX 150
/* Bar area: bar i (after sorting) spans x = X .. X + value / axis.max · PW and is vertically
 * centred in the row at y = TOP + i · row, row = 22 for n ≤ 40 bars, else 16. */
#define CHART_BARS_X 148
#define CHART_BARS_PW 492
#define CHART_BARS_TOP 56
int chart_bars_height(int n);

#define CHART_SEGMENTS_W 480
#define CHART_SEGMENTS_H 260
#define CHART_SEGMENTS_BAND 24
#define CHART_SEGMENTS_CX 130 /* donut centre and radii */
#define CHART_SEGMENTS_CY 148
#define CHART_SEGMENTS_R 92
#define CHART_SEGMENTS_R_IN 56

/* Colours as 0xRRGGBB, the one place the charts (and the workbooks' Excel charts) take them
 * from. One meaning, one colour: 达标/通过 and 未达标/未通过 are the pages' --met and
 * --unmet (templates/style.mustache), and no series uses green, red or the thresholds' grey.
 * Pass and fail are as dark as each other, so a ✓ or ✗ drawn beside each value and the
 * legend's words tell them apart in grey print and for red-green colour blindness. */
#define CHART_COLOR_BG 0xFFFFFF
#define CHART_COLOR_BAR 0x0072B2  /* funnel bars; bars without a threshold */
#define CHART_COLOR_PASS 0x17703A /* 达标 / 通过: --met */
#define CHART_COLOR_FAIL 0xB42318 /* 未达标 / 未通过: --unmet */
#define CHART_COLOR_RULE 0x6B7684 /* every threshold (dashed): --na */
extern const uint32_t chart_series_colors[CHART_TREND_SERIES];
extern const uint32_t chart_segment_colors[8];

/* How many shaped texts each font map keeps for the SVG charts (default 200,000; 0 keeps
 * none, each text then shaped anew). The output is the same either way; tests use it to check
 * that. */
void chart_set_shape_cache(size_t max);

#endif
