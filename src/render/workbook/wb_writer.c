/* wb_writer.c — the cell writer of the Excel workbooks: formats, tables written row by row,
 * cells by kind, SUM totals, flags, widths and print setup. It calls only libxlsxwriter. */
#include "render/workbook/wb_writer.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_WIDTH 6
#define MAX_WIDTH 48
#define MAX_CELL_BYTES 32000 /* Excel holds 32,767 characters in a cell */
#define MAX_HEADER_BYTES 200 /* libxlsxwriter refuses print headers over 255 bytes */
#define HEADER_ONE_LINE 11   /* character cells of the widest header kept on one line */

void wb_fail(wb_t *w, const char *where, const char *fmt, ...)
{
	if (w->failed)
		return;
	w->failed = true;
	int n = snprintf(w->msg, sizeof w->msg, "%.64s: ", where);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->msg + n, sizeof w->msg - (size_t)n, fmt, ap);
	va_end(ap);
}

void wb_check(wb_t *w, const char *where, lxw_error e)
{
	if (e != LXW_NO_ERROR)
		wb_fail(w, where, "%s", lxw_strerror(e));
}

/* ---- text ---- */

/* Length of the well-formed UTF-8 character at p, or 0. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char b = p[0];
	if (b < 0x80)
		return 1;
	size_t k = b >= 0xc2 && b <= 0xdf   ? 2
	           : b >= 0xe0 && b <= 0xef ? 3
	           : b >= 0xf0 && b <= 0xf4 ? 4
	                                    : 0;
	for (size_t i = 1; i < k; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (k == 3 && ((b == 0xe0 && p[1] < 0xa0) || (b == 0xed && p[1] > 0x9f)))
		return 0; /* overlong, surrogate */
	if (k == 4 && ((b == 0xf0 && p[1] < 0x90) || (b == 0xf4 && p[1] > 0x8f)))
		return 0; /* overlong, above U+10FFFF */
	return k;
}

const char *wb_safe(wb_t *w, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;
	for (;;) { /* the common case: nothing to change */
		if (!p[i])
			return text;
		size_t k = utf8_len(p + i);
		if (k == 0 || (k == 1 && p[i] < 0x20) || i + k > MAX_CELL_BYTES)
			break;
		i += k;
	}
	buf_clear(&w->scratch);
	buf_add(&w->scratch, text, i);
	while (p[i] && w->scratch.len < MAX_CELL_BYTES) {
		size_t k = utf8_len(p + i);
		if (k == 0) {
			buf_adds(&w->scratch, "\xef\xbf\xbd");
			k = 1;
		} else if (k == 1 && p[i] < 0x20) {
			buf_addc(&w->scratch, p[i] == '\n' || p[i] == '\t' ? (char)p[i] : ' ');
		} else {
			buf_add(&w->scratch, p + i, k);
		}
		i += k;
	}
	return w->scratch.data;
}

/* How many character cells text prints in: CJK and other characters of three or four bytes
 * count two. */
static unsigned text_width(const char *text)
{
	unsigned n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if ((*p & 0xc0) != 0x80)
			n += *p >= 0xe0 ? 2 : 1;
	return n;
}

/* ---- the cell writer ---- */

static void widen(wb_sheet_t *s, int col, unsigned width)
{
	if (col < s->t.ncols && width > s->width[col])
		s->width[col] = (uint16_t)(width > 0xffff ? 0xffff : width);
}

/* The current row holds a cell: it is inside the print area. */
static void touch(wb_sheet_t *s)
{
	if (s->row + 1 > s->used_end)
		s->used_end = s->row + 1;
}

static lxw_format *fmt(wb_sheet_t *s, wb_kind_t kind)
{
	touch(s);
	return s->in_total ? s->w->total[kind] : s->w->cell[kind];
}

/* Digits and group separators of |v| rounded to an integer. */
static unsigned digits_width(double v)
{
	unsigned n = 1;
	for (v = fabs(v); v >= 10 && n < 20; v /= 10)
		n++;
	return n + (n - 1) / 3;
}

static unsigned number_width(wb_kind_t kind, double v)
{
	switch (kind) {
	case WK_COUNT:
		return digits_width(v) + (v < 0);
	case WK_AMOUNT:
		return digits_width(v) + 3 + (v < 0);
	case WK_RATE:
	case WK_RATE2:
		return 7;
	case WK_DATE:
		return 10;
	case WK_MONTH:
		return 7;
	case WK_SCORE:
		return 6;
	default:
		return digits_width(v) + 2;
	}
}

/* Starts the worksheet of the current part: heading (first part only), autofilter over the
 * header and this part's data rows, header. */
static void start_part(wb_sheet_t *s)
{
	wb_t *w = s->w;
	const wb_table_t *t = &s->t;
	s->ws = workbook_add_worksheet(w->wb, s->name);
	if (!s->ws) { /* a bad name or no memory; the other calls then do nothing */
		wb_check(w, s->name, LXW_ERROR_PARAMETER_VALIDATION);
		return;
	}
	s->header_row = 0;
	if (t->heading && s->part == 1) {
		lxw_col_t last = (lxw_col_t)(t->ncols > 1 ? t->ncols - 1 : 1);
		wb_check(w, s->name, worksheet_set_row(s->ws, 0, 26, NULL));
		wb_check(w, s->name,
		         worksheet_merge_range(s->ws, 0, 0, 0, last, wb_safe(w, t->heading),
		                               w->heading));
		wb_check(w, s->name,
		         worksheet_merge_range(s->ws, 1, 0, 1, last,
		                               wb_safe(w, t->subheading ? t->subheading : ""),
		                               w->subheading));
		s->header_row = 2;
	}
	int64_t room = LXW_ROW_MAX - 1 - (int64_t)s->header_row;
	int64_t n = s->rows_left < room ? s->rows_left : room;
	s->rows_left -= n;
	s->data_end = s->header_row + 1 + (lxw_row_t)n;
	s->row = s->header_row + 1;
	s->data_done = false;
	s->in_total = false;
	wb_check(w, s->name,
	         worksheet_autofilter(s->ws, s->header_row, 0,
	                              n > 0 ? s->data_end - 1 : s->header_row,
	                              (lxw_col_t)(t->ncols > 0 ? t->ncols - 1 : 0)));
	if (t->id_cols) {
		char range[32];
		const char *colon = strchr(t->id_cols, ':');
		snprintf(range, sizeof range, "%.*s1:%s%d", colon ? (int)(colon - t->id_cols) : 0,
		         t->id_cols, colon ? colon + 1 : t->id_cols, LXW_ROW_MAX);
		wb_check(w, s->name,
		         worksheet_ignore_errors(s->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range));
	}
	s->used_end = s->header_row + 1;
	s->ndrawings = 0;
	/* A long header wraps onto a second line rather than widening its column past its
	 * figures: 30 columns as wide as their headers print on twice the pages. */
	bool two_lines = false;
	for (int c = 0; c < t->ncols; c++)
		two_lines = two_lines || text_width(t->headers[c]) + 1 > HEADER_ONE_LINE;
	wb_check(w, s->name, worksheet_set_row(s->ws, s->header_row, two_lines ? 36 : 22, NULL));
	for (int c = 0; c < t->ncols; c++) {
		wb_check(w, s->name,
		         worksheet_write_string(s->ws, s->header_row, (lxw_col_t)c,
		                                wb_safe(w, t->headers[c]), w->header));
		unsigned hw = text_width(t->headers[c]) + 1; /* bold */
		widen(s, c, hw <= HEADER_ONE_LINE ? hw : (hw + 1) / 2 + 2);
	}
}

void wb_sheet_open(wb_t *w, wb_sheet_t *s, const wb_table_t *t)
{
	memset(s, 0, sizeof *s);
	s->w = w;
	s->t = *t;
	snprintf(s->name, sizeof s->name, "%s", t->name);
	s->part = 1;
	s->rows_left = t->rows;
	s->width = xcalloc((size_t)t->ncols + 1, sizeof *s->width);
	start_part(s);
}

void wb_end_data(wb_sheet_t *s)
{
	if (s->data_done)
		return;
	s->data_done = true;
	if (s->row != s->data_end)
		wb_check(s->w, s->name, LXW_ERROR_PARAMETER_VALIDATION);
}

void wb_next_row(wb_sheet_t *s)
{
	s->row++;
	s->in_total = false;
}

void wb_total_row(wb_sheet_t *s)
{
	wb_end_data(s);
	s->in_total = true;
}

void wb_text(wb_sheet_t *s, int col, const char *text)
{
	if (!s->ws || !text || !text[0])
		return;
	const char *t = wb_safe(s->w, text);
	wb_check(s->w, s->name,
	         worksheet_write_string(s->ws, s->row, (lxw_col_t)col, t, fmt(s, WK_TEXT)));
	widen(s, col, text_width(t));
}

void wb_note(wb_sheet_t *s, int col, const char *text)
{
	wb_end_data(s);
	if (!s->ws)
		return;
	touch(s);
	wb_check(
	    s->w, s->name,
	    worksheet_write_string(s->ws, s->row, (lxw_col_t)col, wb_safe(s->w, text), s->w->note));
}

void wb_num(wb_sheet_t *s, int col, wb_kind_t kind, double v)
{
	if (!s->ws)
		return;
	if (isnan(v) || isinf(v)) {
		wb_check(s->w, s->name,
		         worksheet_write_blank(s->ws, s->row, (lxw_col_t)col, fmt(s, kind)));
		return;
	}
	wb_check(s->w, s->name,
	         worksheet_write_number(s->ws, s->row, (lxw_col_t)col, v, fmt(s, kind)));
	widen(s, col, number_width(kind, v));
}

void wb_blank(wb_sheet_t *s, int col)
{
	if (s->ws)
		wb_check(s->w, s->name,
		         worksheet_write_blank(s->ws, s->row, (lxw_col_t)col, fmt(s, WK_TEXT)));
}

void wb_flag(wb_sheet_t *s, int col)
{
	if (!s->ws)
		return;
	if (!s->w->flag) {
		s->w->flag = workbook_add_format(s->w->wb);
		format_set_num_format(s->w->flag, "\"✓\";;;");
		format_set_align(s->w->flag, LXW_ALIGN_CENTER);
	}
	touch(s);
	wb_check(s->w, s->name,
	         worksheet_write_number(s->ws, s->row, (lxw_col_t)col, 1, s->w->flag));
	widen(s, col, 2);
}

void wb_count(wb_sheet_t *s, int col, int64_t v)
{
	wb_num(s, col, WK_COUNT, (double)v);
}

void wb_fen(wb_sheet_t *s, int col, int64_t fen)
{
	wb_num(s, col, WK_AMOUNT, (double)fen / 100.0);
}

void wb_rate(wb_sheet_t *s, int col, double rate)
{
	wb_num(s, col, WK_RATE, rate);
}

void wb_date(wb_sheet_t *s, int col, int32_t ymd)
{
	if (!s->ws || ymd <= 0)
		return;
	lxw_datetime dt = {.year = ymd / 10000, .month = ymd / 100 % 100, .day = ymd % 100};
	wb_check(s->w, s->name,
	         worksheet_write_datetime(s->ws, s->row, (lxw_col_t)col, &dt, fmt(s, WK_DATE)));
	widen(s, col, number_width(WK_DATE, 0));
}

void wb_month(wb_sheet_t *s, int col, int32_t ym)
{
	if (!s->ws)
		return;
	lxw_datetime dt = {.year = ym / 100, .month = ym % 100, .day = 1};
	wb_check(s->w, s->name,
	         worksheet_write_datetime(s->ws, s->row, (lxw_col_t)col, &dt, fmt(s, WK_MONTH)));
	widen(s, col, number_width(WK_MONTH, 0));
}

void wb_sum(wb_sheet_t *s, int col, wb_kind_t kind, lxw_row_t first, lxw_row_t last, double value)
{
	if (!s->ws)
		return;
	if (last < first) {
		wb_num(s, col, kind, value);
		return;
	}
	char range[LXW_MAX_CELL_RANGE_LENGTH], formula[LXW_MAX_CELL_RANGE_LENGTH + 16];
	lxw_rowcol_to_range(range, first, (lxw_col_t)col, last, (lxw_col_t)col);
	snprintf(formula, sizeof formula, "=SUM(%s)", range);
	wb_check(s->w, s->name,
	         worksheet_write_formula_num(s->ws, s->row, (lxw_col_t)col, formula, fmt(s, kind),
	                                     value));
	widen(s, col, number_width(kind, value));
}

void wb_flag_rule(wb_sheet_t *s, int col, lxw_row_t first, lxw_row_t last, bool is_max,
                  double threshold)
{
	if (!s->ws || last < first)
		return;
	/* A formula rather than a cell-value rule: Excel and LibreOffice compare an empty cell as
	 * 0, which would colour a rate that is not defined (— on the pages, a village not
	 * started) as one below its threshold. */
	char cell[32], formula[160];
	lxw_rowcol_to_cell(cell, first, (lxw_col_t)col);
	snprintf(formula, sizeof formula, "=AND(ISNUMBER(%s),%s%s%.10g)", cell, cell,
	         is_max ? ">" : "<", threshold);
	lxw_conditional_format cf = {
	    .type = LXW_CONDITIONAL_TYPE_FORMULA, .value_string = formula, .format = s->w->bad};
	wb_check(s->w, s->name,
	         worksheet_conditional_format_range(s->ws, first, (lxw_col_t)col, last,
	                                            (lxw_col_t)col, &cf));
}

void wb_flag_text(wb_sheet_t *s, int col, lxw_row_t first, lxw_row_t last, const char *text,
                  bool bad)
{
	if (!s->ws || last < first)
		return;
	char quoted[128];
	snprintf(quoted, sizeof quoted, "\"%s\"", text);
	lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
	                             .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
	                             .value_string = quoted,
	                             .format = bad ? s->w->bad : s->w->good};
	wb_check(s->w, s->name,
	         worksheet_conditional_format_range(s->ws, first, (lxw_col_t)col, last,
	                                            (lxw_col_t)col, &cf));
}

/* "&" starts a code in Excel's print headers; "&&" prints one. Cut to what fits. */
static void header_text(char *out, size_t n, const char *prefix, const char *text)
{
	size_t len = (size_t)snprintf(out, n, "%s", prefix);
	for (const unsigned char *p = (const unsigned char *)text; *p && len + 8 < n;) {
		size_t k = utf8_len(p);
		if (k == 0)
			k = 1; /* wb_safe'd already; never here */
		if (*p == '&')
			out[len++] = '&';
		memcpy(out + len, p, k);
		len += k;
		p += k;
	}
	out[len] = '\0';
}

/* How a sheet prints on A4: what print_setup decides from the width of its print area. */
typedef struct {
	bool landscape;
	bool fit_width;   /* scaled to one page wide (fit to 1 × as many pages as needed) */
	int scale;        /* percent, when not fitted: 100, or WB_BREAK_SCALE when columns break */
	double effective; /* the cells' font size as printed, in points */
} wb_print_t;

/* The cells' font (libxlsxwriter's default, Calibri 11) and the smallest size a sheet may print
 * at: a sheet fitted to one page wide only while its text stays at least WB_MIN_PRINT_PT;
 * wider, it prints at WB_BREAK_SCALE percent with its columns running on to further pages. */
#define WB_FONT_PT 11.0
#define WB_MIN_PRINT_PT 8.25
#define WB_BREAK_SCALE 80

/* A4 (210 × 297 mm) less the margins print_setup sets, in points. */
#define MARGIN_SIDE_IN 0.4
#define MARGIN_END_IN 0.6
#define A4_SHORT_PT (210 / 25.4 * 72)
#define A4_LONG_PT (297 / 25.4 * 72)
#define PRINT_PORTRAIT_PT (A4_SHORT_PT - 2 * MARGIN_SIDE_IN * 72)
#define PRINT_LANDSCAPE_PT (A4_LONG_PT - 2 * MARGIN_SIDE_IN * 72)

/* The plan for a print area width_pt points wide (column widths as Excel lays them out):
 * portrait at 100% when it fits A4 portrait, else landscape — at 100%, fitted to the page's
 * width while that keeps WB_MIN_PRINT_PT, else at WB_BREAK_SCALE%. */
static wb_print_t print_plan(double width_pt)
{
	wb_print_t p = {.scale = 100, .effective = WB_FONT_PT};
	if (width_pt <= PRINT_PORTRAIT_PT)
		return p;
	p.landscape = true;
	if (width_pt <= PRINT_LANDSCAPE_PT)
		return p;
	double fit = PRINT_LANDSCAPE_PT / width_pt;
	if (fit * WB_FONT_PT >= WB_MIN_PRINT_PT) {
		p.fit_width = true;
		p.scale = 0;
		p.effective = fit * WB_FONT_PT;
	} else {
		p.scale = WB_BREAK_SCALE;
		p.effective = WB_BREAK_SCALE / 100.0 * WB_FONT_PT;
	}
	return p;
}

/* The printed width of a column of wd character cells, in pixels: Excel's (libxlsxwriter's
 * conversion for Calibri 11: 7 pixels a digit and 5 of padding) and 5 more, since LibreOffice
 * lays out the width libxlsxwriter stores (wd + 0.71) about that much wider; a sheet planned to
 * fit a page then fits it in either. */
static int column_pixels(double wd)
{
	return (wd < 1 ? (int)(wd * 12 + 0.5) : (int)(wd * 7 + 0.5) + 5) + 5;
}

/* The right edge (pixels from column A) and the last row of the current part's cells, and
 * with drawings also of its charts and images. */
static void extent(const wb_sheet_t *s, const int *px, bool drawings, int *right,
                   lxw_row_t *last_row)
{
	*right = 0;
	*last_row = s->used_end > 0 ? s->used_end - 1 : 0;
	for (int c = 0; c < s->t.ncols; c++)
		*right += px[c];
	for (int i = 0; drawings && i < s->ndrawings; i++) {
		const wb_drawing_t *d = &s->drawing[i];
		int x = d->x;
		for (int c = 0; c < d->col; c++)
			x += c < s->t.ncols ? px[c] : column_pixels(LXW_DEF_COL_WIDTH);
		if (x + d->w > *right)
			*right = x + d->w;
		/* Rows below the table are libxlsxwriter's default 15 points, 20 pixels. */
		lxw_row_t end = d->row + (lxw_row_t)((d->h + 19) / 20);
		if (end > *last_row)
			*last_row = end;
	}
}

/* The last column of a print area reaching right pixels from column A, and (*width) its
 * width in pixels. */
static int last_column(const wb_sheet_t *s, const int *px, int right, int *width)
{
	int c = 0, x = 0;
	for (; x < right; c++)
		x += c < s->t.ncols ? px[c] : column_pixels(LXW_DEF_COL_WIDTH);
	*width = x;
	return c > 0 ? c - 1 : 0;
}

/* The print setup of the current part, whose columns are px[0..ncols) pixels wide: the print
 * area is what was written, on A4 as print_plan says; the header row repeated on every
 * page and, where columns run on to a second page, the frozen key columns too; gridlines
 * printed, since data cells have no borders; the workbook's title in the page header, the
 * sheet's name and the page number in the footer. Charts and images are in the print area
 * when it still prints one page wide with them (a narrow table's chart below it), each then
 * starting a page if the sheet is longer than one; beside a table that runs on to further
 * pages they would be cut at the page's edge, and are left to the screen. */
static void print_setup(wb_sheet_t *s, const int *px)
{
	wb_t *w = s->w;
	int right, width;
	lxw_row_t last_row;
	extent(s, px, true, &right, &last_row);
	int last_col = last_column(s, px, right, &width);
	wb_print_t p = print_plan(width * 0.75);
	bool drawings = s->ndrawings > 0 && p.scale != WB_BREAK_SCALE;
	if (!drawings) {
		extent(s, px, false, &right, &last_row);
		last_col = last_column(s, px, right, &width);
		p = print_plan(width * 0.75);
	}

	worksheet_set_paper(s->ws, 9); /* A4 */
	if (p.landscape)
		worksheet_set_landscape(s->ws);
	else
		worksheet_set_portrait(s->ws);
	worksheet_set_margins(s->ws, MARGIN_SIDE_IN, MARGIN_SIDE_IN, MARGIN_END_IN, MARGIN_END_IN);
	if (p.fit_width)
		worksheet_fit_to_pages(s->ws, 1, 0);
	else
		worksheet_set_print_scale(s->ws, (uint16_t)p.scale);
	if (p.scale == WB_BREAK_SCALE && s->t.freeze_cols > 0) {
		wb_check(w, s->name,
		         worksheet_repeat_columns(s->ws, 0, (lxw_col_t)(s->t.freeze_cols - 1)));
		worksheet_print_across(
		    s->ws); /* a band of rows, then the next: halves side by side */
	}
	/* Rows of 15 points on a page, at the plan's size: a drawing past them starts a page. */
	double page_pt = (p.landscape ? A4_SHORT_PT : A4_LONG_PT) - 2 * MARGIN_END_IN * 72;
	double rows = page_pt / (15 * p.effective / WB_FONT_PT);
	if (drawings && last_row + 1 > rows && s->drawing[0].row > s->header_row + 1) {
		lxw_row_t breaks[2] = {s->drawing[0].row, 0};
		wb_check(w, s->name, worksheet_set_h_pagebreaks(s->ws, breaks));
	}
	wb_check(w, s->name, worksheet_print_area(s->ws, 0, 0, last_row, (lxw_col_t)last_col));
	wb_check(w, s->name, worksheet_repeat_rows(s->ws, s->header_row, s->header_row));
	worksheet_gridlines(s->ws, LXW_SHOW_ALL_GRIDLINES);
	char header[MAX_HEADER_BYTES + 16];
	header_text(header, MAX_HEADER_BYTES, "&L", wb_safe(w, w->title));
	wb_check(w, s->name, worksheet_set_header(s->ws, header));
	wb_check(w, s->name, worksheet_set_footer(s->ws, "&L&A&R第 &P 页，共 &N 页"));
}

void wb_drawing(wb_sheet_t *s, lxw_row_t row, int col, int x, int w, int h)
{
	if (s->ndrawings < (int)(sizeof s->drawing / sizeof *s->drawing))
		s->drawing[s->ndrawings++] = (wb_drawing_t){row, col, x, w, h};
}

/* Frozen panes, widths and print setup of the current part. */
static void finish_part(wb_sheet_t *s)
{
	wb_end_data(s);
	if (!s->ws)
		return;
	wb_t *w = s->w;
	worksheet_freeze_panes(s->ws, s->header_row + 1, (lxw_col_t)s->t.freeze_cols);
	int *px = xmalloc(((size_t)s->t.ncols + 1) * sizeof *px);
	for (int c = 0; c < s->t.ncols; c++) {
		unsigned wd = s->width[c] + 2u;
		wd = wd < MIN_WIDTH ? MIN_WIDTH : wd > MAX_WIDTH ? MAX_WIDTH : wd;
		px[c] = column_pixels(wd);
		wb_check(w, s->name,
		         worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, wd, NULL));
	}
	print_setup(s, px);
	free(px);
	/* In constant_memory mode the rows went to a temporary file, and libxlsxwriter checks
	 * none of those writes: on a full disk (or past the file size limit) it would zip the
	 * truncated sheet into a workbook that opens with rows missing. So the file is flushed
	 * and its error flag read here. Only the current row is still held in memory. */
	FILE *tmp = s->ws->optimize_tmpfile;
	errno = 0;
	if (tmp && (fflush(tmp) != 0 || ferror(tmp)))
		wb_fail(w, s->name, "cannot write the sheet's temporary file: %s",
		        errno ? strerror(errno) : "a write failed (disk full or file too large?)");
}

void wb_sheet_close(wb_sheet_t *s)
{
	finish_part(s);
	free(s->width);
	s->width = NULL;
	s->ws = NULL;
}

void wb_room(wb_sheet_t *s)
{
	if (!s->ws || s->row < LXW_ROW_MAX)
		return;
	finish_part(s);
	s->part++;
	snprintf(s->name, sizeof s->name, "%.40s (%d)", s->t.name, s->part);
	start_part(s);
}

static lxw_format *add_format(lxw_workbook *wb, const char *num_format, bool total)
{
	lxw_format *f = workbook_add_format(wb);
	if (num_format)
		format_set_num_format(f, num_format);
	if (total) {
		format_set_bold(f);
		format_set_top(f, LXW_BORDER_THIN);
		format_set_bottom(f, LXW_BORDER_DOUBLE);
		format_set_bg_color(f, 0xF2F2F2);
	}
	return f;
}

static void add_formats(wb_t *w)
{
	static const char *const numfmt[WK_KINDS] = {
	    [WK_COUNT] = "#,##0", [WK_AMOUNT] = "#,##0.00", [WK_RATE] = "0.0%",
	    [WK_RATE2] = "0.00%", [WK_DATE] = "yyyy-mm-dd", [WK_MONTH] = "yyyy-mm",
	    [WK_SCORE] = "0.00"};
	lxw_workbook *wb = w->wb;
	for (int k = 0; k < WK_KINDS; k++) {
		w->cell[k] =
		    k == WK_TEXT || k == WK_NUMBER ? NULL : add_format(wb, numfmt[k], false);
		w->total[k] = add_format(wb, numfmt[k], true);
	}
	w->header = workbook_add_format(wb);
	format_set_bold(w->header);
	format_set_bg_color(w->header, 0xDDEBF7);
	format_set_border(w->header, LXW_BORDER_THIN);
	format_set_border_color(w->header, 0x9BC2E6);
	format_set_align(w->header, LXW_ALIGN_CENTER);
	format_set_align(w->header, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(w->header);
	w->heading = workbook_add_format(wb);
	format_set_bold(w->heading);
	format_set_font_size(w->heading, 14);
	format_set_align(w->heading, LXW_ALIGN_VERTICAL_CENTER);
	w->subheading = workbook_add_format(wb);
	format_set_font_color(w->subheading, 0x595959);
	w->note = workbook_add_format(wb);
	format_set_italic(w->note);
	format_set_font_color(w->note, 0x595959);
	w->bad = workbook_add_format(wb);
	format_set_bg_color(w->bad, 0xFFC7CE);
	format_set_font_color(w->bad, 0x9C0006);
	w->good = workbook_add_format(wb);
	format_set_bg_color(w->good, 0xC6EFCE);
	format_set_font_color(w->good, 0x006100);
}

void wb_begin(wb_t *w, lxw_workbook *wb, const char *title)
{
	memset(w, 0, sizeof *w);
	w->wb = wb;
	w->title = title;
	add_formats(w);
}

void wb_end(wb_t *w)
{
	buf_free(&w->scratch);
}
