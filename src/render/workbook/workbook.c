/* workbook.c — the Excel workbooks' files and threads, their formats and document
 * properties, and the cell writer every sheet goes through (workbook_sheets.c says what). */
#include "render/workbook/workbook.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "compute/findsum.h"
#include "outtree.h"
#include "render/cap.h"
#include "render/workbook/workbook_int.h"

#define MIN_WIDTH 6
#define MAX_WIDTH 48
#define MAX_CELL_BYTES 32000 /* Excel holds 32,767 characters in a cell */
#define MAX_HEADER_BYTES 200 /* libxlsxwriter refuses print headers over 255 bytes */

/* Processes, not threads. libxlsxwriter 1.1.4 keeps state of its own that two workbooks
 * written at once would share: its temporary files are named by tmpfileplus(), whose generator
 * is a static seed and the C library's rand(), and workbook_close() formats the creation date
 * with gmtime(), whose result is static. zlib's deflate inside workbook_close() is most of a
 * workbook's time, so serialising those calls under a lock kept one core idle. Each writer is
 * therefore a forked process (workbook_write_all), with libxlsxwriter's state its own. */

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

static lxw_format *fmt(wb_sheet_t *s, wb_kind_t kind)
{
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
	wb_check(w, s->name, worksheet_set_row(s->ws, s->header_row, 22, NULL));
	for (int c = 0; c < t->ncols; c++) {
		wb_check(w, s->name,
		         worksheet_write_string(s->ws, s->header_row, (lxw_col_t)c,
		                                wb_safe(w, t->headers[c]), w->header));
		widen(s, c, text_width(t->headers[c]) + 1); /* bold */
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

void wb_flag_rule(wb_sheet_t *s, int col, lxw_row_t first, lxw_row_t last,
                  const indicator_rule_t *rule)
{
	if (!s->ws || !rule || last < first)
		return;
	lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
	                             .criteria = rule->is_max
	                                             ? LXW_CONDITIONAL_CRITERIA_GREATER_THAN
	                                             : LXW_CONDITIONAL_CRITERIA_LESS_THAN,
	                             .value = rule->threshold,
	                             .format = s->w->bad};
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

static void print_setup(wb_sheet_t *s)
{
	wb_t *w = s->w;
	char header[MAX_HEADER_BYTES + 16];
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9); /* A4 */
	worksheet_fit_to_pages(s->ws, 1, 0);
	wb_check(w, s->name, worksheet_repeat_rows(s->ws, s->header_row, s->header_row));
	header_text(header, MAX_HEADER_BYTES, "&L", wb_safe(w, w->title));
	wb_check(w, s->name, worksheet_set_header(s->ws, header));
	wb_check(w, s->name, worksheet_set_footer(s->ws, "&L&A&R第 &P 页，共 &N 页"));
}

/* Frozen panes, widths and print setup of the current part. */
static void finish_part(wb_sheet_t *s)
{
	wb_end_data(s);
	if (!s->ws)
		return;
	wb_t *w = s->w;
	worksheet_freeze_panes(s->ws, s->header_row + 1, (lxw_col_t)s->t.freeze_cols);
	for (int c = 0; c < s->t.ncols; c++) {
		unsigned wd = s->width[c] + 2u;
		wd = wd < MIN_WIDTH ? MIN_WIDTH : wd > MAX_WIDTH ? MAX_WIDTH : wd;
		wb_check(w, s->name,
		         worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, wd, NULL));
	}
	print_setup(s);
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

/* ---- one workbook ---- */

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

/* The as-of date at 00:00 UTC: the creation time written into docProps/core.xml, so the
 * same input gives the same bytes. */
static time_t as_of_time(int32_t ymd)
{
	struct tm t = {
	    .tm_year = ymd / 10000 - 1900, .tm_mon = ymd / 100 % 100 - 1, .tm_mday = ymd % 100};
	return timegm(&t);
}

static int set_properties(wb_t *w, const char *title, const char *subject)
{
	char t[512], subj[256], company[512], author[] = "cundang", comments[256];
	const char *bank = w->ind->model->site.bank;
	snprintf(t, sizeof t, "%s", wb_safe(w, title));
	snprintf(subj, sizeof subj, "%s", subject);
	snprintf(company, sizeof company, "%s", wb_safe(w, bank ? bank : ""));
	char asof[64];
	snprintf(comments, sizeof comments, "数据截至 %s，由 cundang 生成",
	         format_date(asof, sizeof asof, w->ind->as_of));
	lxw_doc_properties p = {.title = t,
	                        .subject = subj,
	                        .author = author,
	                        .company = company,
	                        .comments = comments,
	                        .created = as_of_time(w->ind->as_of)};
	return workbook_set_properties(w->wb, &p);
}

/* Writes the workbook of branch position b (the summary when b < 0) to path. */
static int write_one(const indicators_t *ind, int b, const char *path, const char *tmpdir,
                     const char *dir, err_t *err)
{
	const site_t *site = &ind->model->site;
	char month_cn[64], title[512];
	format_month_cn(month_cn, sizeof month_cn, ind->month);
	if (b < 0)
		snprintf(title, sizeof title, "%s %s 整村授信", site->bank, month_cn);
	else
		snprintf(title, sizeof title, "%s %s %s 整村授信", site->bank,
		         site->branches[ind->branches[b].branch].name, month_cn);
	/* Temporary files go into the month's folder of the (staging) output, not /tmp: those of
	 * a large branch workbook run to hundreds of MB, /tmp is often a small or RAM-backed
	 * tmpfs (which would hold in memory what constant_memory keeps out of it), and the
	 * output has to have room for the workbooks anyway. tmpfileplus() creates each with
	 * O_EXCL, mode 0600, and unlinks it at once, so none outlives the process. Branch
	 * workbooks (their 户表 and 贷款) need constant_memory; the summary holds no household,
	 * and written normally it gets shared strings and charts with their data cached, unless
	 * its 数据质量 sheet is long: a million findings held in memory took 780 MB more. */
	bool big = b >= 0 || ind->fsum->total > CAP_SUMMARY_IN_MEMORY;
	lxw_workbook_options opt = {.constant_memory = big ? LXW_TRUE : LXW_FALSE,
	                            .tmpdir = (char *)tmpdir,
	                            .use_zip64 = LXW_FALSE};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb)
		return err_set(err, path, 0, "cannot start the workbook (out of memory)");
	wb_t w = {.wb = wb, .ind = ind, .b = b, .dir = dir, .title = title};
	outtree_path(w.findings_csv, sizeof w.findings_csv, OUTTREE_FINDINGS, ind->month, NULL);
	add_formats(&w);
	wb_check(&w, "文档属性",
	         set_properties(&w, title, b < 0 ? "整村授信汇总工作簿" : "整村授信支行工作簿"));
	wb_write_sheets(&w);
	errno = 0;
	lxw_error rc = workbook_close(wb); /* frees wb whatever happens */
	int saved = errno;
	buf_free(&w.scratch);
	if (!w.failed && rc == LXW_NO_ERROR)
		return 0;
	unlink(path); /* no half-made workbook */
	if (w.failed)
		return err_set(err, path, 0, "%s", w.msg);
	if (rc == LXW_ERROR_CREATING_XLSX_FILE || rc == LXW_ERROR_CREATING_TMPFILE)
		return err_set(err, path, 0, "cannot write the workbook: %s (%s)",
		               strerror(saved ? saved : EIO), lxw_strerror(rc));
	return err_set(err, path, 0, "cannot write the workbook: %s", lxw_strerror(rc));
}

/* ---- all workbooks ---- */

/* What the writers share: a MAP_SHARED page, so that forked processes can take workbooks from
 * one queue and hand back their results. */
typedef struct {
	int next;    /* the next position in order to take, taken with an atomic add */
	int done;    /* workbooks finished, for the progress line */
	int n;       /* workbooks: the summary (0) then branch i (1 + i) */
	int slots[]; /* order[n] (workbooks, largest first), then rc[n]; errs[n] follow */
} queue_t;

typedef struct {
	const indicators_t *ind;
	const char *dir, *wbdir; /* the (staging) output; its folder of the month's workbooks */
	queue_t *q;
	int progress; /* show "workbooks k/n" on standard error */
	int *rc;      /* per workbook; 1 until written */
	err_t *errs;  /* per workbook */
} job_t;

/* Output-relative path of workbook i: the summary (0), then branch i - 1. */
static char *workbook_path(const indicators_t *ind, int i, char *rel, size_t n)
{
	if (i == 0)
		return outtree_path(rel, n, OUTTREE_SUMMARY_WORKBOOK, ind->month, NULL);
	return outtree_path(rel, n, OUTTREE_BRANCH_WORKBOOK, ind->month,
	                    ind->model->site.branches[ind->branches[i - 1].branch].code);
}

int workbook_paths(const indicators_t *ind, char ***paths)
{
	int n = 1 + ind->nbranches;
	char rel[OUTTREE_PATH_MAX];
	*paths = xmalloc((size_t)n * sizeof **paths);
	for (int i = 0; i < n; i++)
		(*paths)[i] = xstrdup(workbook_path(ind, i, rel, sizeof rel));
	return n;
}

static int run_one(const job_t *j, int i)
{
	int b = i - 1;
	char rel[OUTTREE_PATH_MAX];
	char *path = path_join(j->dir, workbook_path(j->ind, i, rel, sizeof rel));
	int rc = write_one(j->ind, b, path, j->wbdir, j->dir, &j->errs[i]);
	free(path);
	return rc;
}

/* Writes workbooks from the queue until it is empty. */
static void work(const job_t *j)
{
	for (;;) {
		int k = __atomic_fetch_add(&j->q->next, 1, __ATOMIC_RELAXED);
		if (k >= j->q->n)
			return;
		int i = j->q->slots[k]; /* order[k] */
		j->rc[i] = run_one(j, i);
		int done = __atomic_add_fetch(&j->q->done, 1, __ATOMIC_RELAXED);
		if (j->progress)
			fprintf(stderr, "\rcundang: workbooks %d/%d", done, j->q->n);
	}
}

/* How much each workbook writes, for taking the largest first: a branch workbook's rows are
 * its households (and their loans, about as many), the summary's a few a village. One pass
 * over the villages; size[0] is the summary, size[1 + i] branch i. */
static void workbook_sizes(const indicators_t *ind, int64_t *size)
{
	const model_t *m = ind->model;
	int *pos = xmalloc(((size_t)m->site.nbranches + 1) * sizeof *pos);
	for (int b = 0; b < m->site.nbranches; b++)
		pos[b] = -1;
	for (int i = 0; i < ind->nbranches; i++) {
		pos[ind->branches[i].branch] = i;
		size[1 + i] = 0;
	}
	size[0] = ind->nvillages;
	for (int k = 0; k < ind->nvillages; k++) {
		const village_t *v = &m->villages[ind->villages[k].village];
		if (pos[v->branch] >= 0)
			size[1 + pos[v->branch]] += v->nhouseholds;
	}
	free(pos);
}

/* Forks nproc - 1 writers and works as the last one itself. A writer that does not end
 * normally leaves rc 1 on the workbook it held; why says how it ended ("" when all did). */
static void run_writers(const job_t *j, int nproc, char *why, size_t whylen)
{
	pid_t *pid = xcalloc((size_t)nproc, sizeof *pid);
	int started = 0;
	why[0] = '\0';
	fflush(NULL); /* nothing buffered is written twice */
	pid_t parent = getpid();
	for (int p = 1; p < nproc; p++) {
		pid_t c = fork();
		if (c == 0) {
			/* A writer dies with the build (kill -9 included), and on SIGINT or SIGTERM
			 * simply ends: the build's handler removes the staging folder. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(1);
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			work(j);
			_exit(0); /* no atexit handlers, no flushing of the parent's buffers */
		}
		if (c < 0)
			break; /* the writers that started, and this process, take the rest */
		pid[started++] = c;
	}
	work(j);
	for (int p = 0; p < started; p++) {
		int status;
		while (waitpid(pid[p], &status, 0) < 0 && errno == EINTR)
			;
		if (!why[0] && WIFSIGNALED(status))
			snprintf(why, whylen, "killed by signal %d", WTERMSIG(status));
		else if (!why[0] && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			snprintf(why, whylen, "exit status %d", WEXITSTATUS(status));
	}
	free(pid);
}

int workbook_write_all(const indicators_t *ind, const char *dir, int jobs, int progress, err_t *err)
{
	char rel[OUTTREE_PATH_MAX];
	char *wbdir =
	    path_join(dir, outtree_dir(rel, sizeof rel, OUTTREE_SUMMARY_WORKBOOK, ind->month));
	int n = 1 + ind->nbranches, rc = 0;
	size_t errs_at = sizeof(queue_t) + 2 * (size_t)n * sizeof(int);
	errs_at = (errs_at + _Alignof(err_t) - 1) / _Alignof(err_t) * _Alignof(err_t);
	size_t bytes = errs_at + (size_t)n * sizeof(err_t);
	void *shared = MAP_FAILED;
	if (rc == 0) {
		shared =
		    mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shared == MAP_FAILED)
			rc = err_set(err, wbdir, 0,
			             "cannot share memory with the workbook writers: %s",
			             strerror(errno));
	}
	if (rc == 0) {
		job_t j = {
		    .ind = ind, .dir = dir, .wbdir = wbdir, .q = shared, .progress = progress};
		j.q->n = n;
		int *order = j.q->slots;
		j.rc = order + n;
		j.errs = (err_t *)(void *)((char *)shared + errs_at);
		int64_t *size = xmalloc((size_t)n * sizeof *size);
		workbook_sizes(ind, size);
		for (int i = 0; i < n; i++) {
			j.rc[i] = 1;
			int k = i; /* insertion by size, largest first; ties in file order */
			while (k > 0 && size[order[k - 1]] < size[i]) {
				order[k] = order[k - 1];
				k--;
			}
			order[k] = i;
		}
		free(size);
		int nproc = jobs < 1 ? 1 : jobs > n ? n : jobs;
		char why[64];
		run_writers(&j, nproc, why, sizeof why);
		if (progress)
			fputc('\n', stderr);
		/* The first failure in file order, so the message does not depend on timing. */
		for (int i = 0; i < n && rc == 0; i++) {
			if (j.rc[i] == 0)
				continue;
			if (j.rc[i] == 1) { /* its writer died before saying anything */
				char *path = path_join(dir, workbook_path(ind, i, rel, sizeof rel));
				err_set(&j.errs[i], path, 0,
				        "the process writing it ended abnormally (%s)",
				        why[0] ? why : "unknown");
				free(path);
			}
			if (err)
				*err = j.errs[i];
			rc = -1;
		}
	}
	if (shared != MAP_FAILED)
		munmap(shared, bytes);
	free(wbdir);
	return rc == 0 ? n : -1;
}
