/* wb_writer.h — the cell writer of the Excel workbooks: tables written row by row, cells by
 * kind, SUM totals and flags. It knows cells, not indicators, and calls only libxlsxwriter. */
#ifndef CUNDANG_WB_WRITER_H
#define CUNDANG_WB_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <xlsxwriter.h>

#include "util.h"

/* What a cell holds, which decides its number format and how wide it prints. */
typedef enum {
	WK_TEXT = 0,
	WK_COUNT,  /* #,##0 */
	WK_AMOUNT, /* #,##0.00, yuan */
	WK_RATE,   /* 0.0% */
	WK_RATE2,  /* 0.00%: a rate read against its threshold (验收), so 94.96% is not 95.0% */
	WK_DATE,   /* yyyy-mm-dd */
	WK_MONTH,  /* yyyy-mm */
	WK_SCORE,  /* 0.00 */
	WK_NUMBER, /* General: line numbers, members, days */
	WK_KINDS
} wb_kind_t;

/* One workbook being written. */
typedef struct {
	lxw_workbook *wb;
	const char *title; /* "<bank> 2026年10月 整村授信…", for the print header (borrowed) */
	lxw_format *cell[WK_KINDS];  /* data cells by kind (NULL: General) */
	lxw_format *total[WK_KINDS]; /* the same in a total row: bold, shaded, ruled */
	lxw_format *header, *heading, *subheading, *note, *bad, *good;
	lxw_format *flag; /* "✓" for 1, made by the first wb_flag (workbooks without none) */
	bool failed;      /* something went wrong; msg says what */
	char msg[512];    /* the first error: "<sheet>: what" */
	buf_t scratch;    /* text made safe for XML */
} wb_t;

/* What a table looks like: the sheet's name, an optional heading (two merged rows above the
 * header; subheading may be NULL), the header texts (borrowed while the sheet is open), how
 * many columns stay in view on the left, and how many data rows it will have — known before
 * the first is written, because constant_memory mode writes rows in order and the autofilter
 * has to be set before its last row goes by. */
typedef struct {
	const char *name, *heading, *subheading;
	const char **headers;
	int ncols, freeze_cols;
	int64_t rows;
	const char *id_cols; /* e.g. "C:F": identifiers kept as text that look like numbers
	                        (户号, 身份证号, 电话), which Excel is told not to flag; or NULL */
} wb_table_t;

/* A chart or image on a sheet: the cell it is anchored at, its offset and size in pixels. */
typedef struct {
	lxw_row_t row;
	int col, x, w, h;
} wb_drawing_t;

/* One table being written on a worksheet: the header, data rows strictly top to bottom and
 * left to right, then an optional total row or notes. The writer tracks how wide each
 * column's content prints. */
typedef struct {
	wb_t *w;
	lxw_worksheet *ws;
	wb_table_t t;
	char name[64];           /* of this part: "户表", "户表 (2)"… */
	lxw_row_t header_row;    /* 0, or 2 below a heading */
	lxw_row_t row;           /* the row being written */
	lxw_row_t data_end;      /* the row after this part's data rows */
	int64_t rows_left;       /* data rows still to come in later parts */
	bool in_total;           /* cells of the current row use the total formats */
	bool data_done;          /* the data rows have ended (total row, notes) */
	int part;                /* 1, or 2… for continuation sheets past Excel's last row */
	uint16_t *width;         /* widest content per column, in character cells */
	lxw_row_t used_end;      /* the row after the last one written in this part */
	wb_drawing_t drawing[4]; /* charts and images, which the print area has to hold */
	int ndrawings;
} wb_sheet_t;

/* Starts writing workbook wb (which the caller creates and closes): adds the formats of every
 * kind. title is borrowed until wb_end. */
void wb_begin(wb_t *w, lxw_workbook *wb, const char *title);
/* Frees what the writer holds; failed and msg stay readable. */
void wb_end(wb_t *w);

/* Adds a worksheet for table t (copied) and leaves s on its first data row. */
void wb_sheet_open(wb_t *w, wb_sheet_t *s, const wb_table_t *t);
/* Finishes the table: frozen panes below the header and right of the frozen columns,
 * column widths from the content, print setup (A4, readable: see print_setup in wb_writer.c).
 * Frees what the writer allocated; s must not be written afterwards. A number of data rows
 * other than announced is reported as an error (it would leave the autofilter wrong). */
void wb_sheet_close(wb_sheet_t *s);
/* Ends the current row and starts the next. */
void wb_next_row(wb_sheet_t *s);
/* Ends the data rows (as many must have been written as announced; wb_note, the total row
 * and closing the sheet end them too). */
void wb_end_data(wb_sheet_t *s);
/* Starts the total row below the data rows: its cells are bold and ruled. */
void wb_total_row(wb_sheet_t *s);
/* Makes sure one more data row fits; past Excel's last row the table continues on a new
 * sheet "<name> (2)" with the same header. */
void wb_room(wb_sheet_t *s);

void wb_text(wb_sheet_t *s, int col, const char *text);
/* An empty cell that keeps the row's format (the rule of a total row). */
void wb_blank(wb_sheet_t *s, int col);
/* A number of the given kind; NAN writes a formatted empty cell (a null rate is not 0). */
void wb_num(wb_sheet_t *s, int col, wb_kind_t kind, double v);
void wb_count(wb_sheet_t *s, int col, int64_t v);
/* A mark: the number 1 shown as "✓", so a column of them filters on ✓ and sums to a count. */
void wb_flag(wb_sheet_t *s, int col);
void wb_fen(wb_sheet_t *s, int col, int64_t fen); /* written as yuan */
void wb_rate(wb_sheet_t *s, int col, double rate);
void wb_date(wb_sheet_t *s, int col, int32_t ymd); /* yyyymmdd; 0 is an empty cell */
void wb_month(wb_sheet_t *s, int col, int32_t ym); /* yyyymm, as its first day */
/* =SUM(<col><first>:<col><last>) with value stored as its result (a plain number when the
 * range is empty). Rows are 0-based. */
void wb_sum(wb_sheet_t *s, int col, wb_kind_t kind, lxw_row_t first, lxw_row_t last, double value);
/* Records a chart or image of w × h pixels inserted at (row, col) with x pixels of offset, so
 * that the sheet's print area takes it in. */
void wb_drawing(wb_sheet_t *s, lxw_row_t row, int col, int x, int w, int h);
/* A note in column col that is not part of the table's widths. */
void wb_note(wb_sheet_t *s, int col, const char *text);

/* Colours the cells of col in rows first..last red when they break a rule: below threshold
 * for a min, above it for a max (is_max). An empty cell counts as 0, which is unmet for a min
 * and met for a max, as in SPEC §6. */
void wb_flag_rule(wb_sheet_t *s, int col, lxw_row_t first, lxw_row_t last, bool is_max,
                  double threshold);
/* Colours cells equal to text: bad (red) or good (green). */
void wb_flag_text(wb_sheet_t *s, int col, lxw_row_t first, lxw_row_t last, const char *text,
                  bool bad);
/* Records the first failing libxlsxwriter status of the workbook, on sheet where. */
void wb_check(wb_t *w, const char *where, lxw_error e);
/* Records a failure of the workbook (unless one was recorded before). */
void wb_fail(wb_t *w, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* text, with invalid UTF-8 replaced by U+FFFD, control characters other than tab and line
 * feed by spaces, and cut to what a cell holds; valid until the next call on w. */
const char *wb_safe(wb_t *w, const char *text);

#endif
