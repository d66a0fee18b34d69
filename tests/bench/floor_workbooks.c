/* floor_workbooks.c — the floor of the workbook stage (issue 13): the cells cundang's workbooks
 * hold, written with plain libxlsxwriter calls and nothing else, timed.
 *
 * Usage: build/floor_workbooks [-i DIR] [-o DIR] [-j N]
 *
 * Untimed, it reads the archive and computes the indicators and work lists with cundang's own
 * functions (archive_load, indicators_compute_at, tasks_compute), for the report month of
 * site.yaml, all branches. Timed, it writes the same workbook files as `cundang build -j N`
 * under DIR (workbooks/YYYY-MM/summary.xlsx and <branch>.xlsx, tasks/YYYY-MM/<branch>.xlsx),
 * by the same number of processes sharing one queue, largest first, with libxlsxwriter's
 * constant_memory where cundang uses it and its temporary files in the same folder. Each sheet
 * gets the same cells as cundang's: the same count of strings, numbers, dates, formulas and
 * formatted blanks, with the same number formats, the strings taken from the model. What it
 * leaves out is everything but the cells: column widths (and the scan of every text that
 * measures them), the UTF-8 sanitising of texts, autofilters, frozen panes, print setup,
 * conditional formats, charts, the funnel image, document properties and the error bookkeeping
 * of each call. scripts/wb-cells checks that the cells match (make bench, tests/e2e).
 *
 * It prints "floor: N workbooks in S s (-j J)" on standard output. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "build.h"
#include "format.h"
#include "model.h"
#include "outtree.h"
#include "compute/findsum.h"
#include "compute/indicators.h"
#include "compute/tasks.h"
#include "read/archive.h"
#include "read/config.h"
#include "render/cap.h"
#include "render/site/view.h"
#include "vocab.h"

#define NCOUNTS VOCAB_NCOUNTS
#define NAMOUNTS VOCAB_NAMOUNTS
#define NFIG (NCOUNTS + NAMOUNTS + RATE_COUNT)
#define TREND_CHART_VILLAGES 10 /* as workbook_sheets.c: above it, the 趋势 note */

enum { K_TEXT, K_COUNT, K_AMOUNT, K_RATE, K_RATE2, K_DATE, K_MONTH, K_SCORE, K_NUMBER, K_KINDS };

/* One workbook's formats, as wb_writer.c adds them, and the sheet being written. */
typedef struct {
	lxw_workbook *wb;
	lxw_format *cell[K_KINDS], *total[K_KINDS], *header, *heading, *subheading, *note, *flag;
	lxw_worksheet *ws;
	lxw_format **f; /* cell or total */
	lxw_row_t row;
	char name[64];          /* of the sheet, for a continuation "<name> (2)" */
	const char *const *hdr; /* the header, repeated on a continuation sheet */
	int ncols;
	int part;
	const indicators_t *ind;
	const tasks_t *tasks;
	int b; /* branch position, -1 for the summary */
} fl_t;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ---- cells: the libxlsxwriter call and the cell's format, nothing more ---- */

static void text(fl_t *x, int col, const char *s)
{
	if (s && s[0]) /* cundang writes no cell for an empty text */
		worksheet_write_string(x->ws, x->row, (lxw_col_t)col, s, x->f[K_TEXT]);
}

static void num(fl_t *x, int col, int kind, double v)
{
	if (isnan(v) || isinf(v))
		worksheet_write_blank(x->ws, x->row, (lxw_col_t)col, x->f[kind]);
	else
		worksheet_write_number(x->ws, x->row, (lxw_col_t)col, v, x->f[kind]);
}

static void blank(fl_t *x, int col)
{
	worksheet_write_blank(x->ws, x->row, (lxw_col_t)col, x->f[K_TEXT]);
}

static void date(fl_t *x, int col, int32_t ymd)
{
	if (ymd <= 0)
		return;
	lxw_datetime dt = {.year = ymd / 10000, .month = ymd / 100 % 100, .day = ymd % 100};
	worksheet_write_datetime(x->ws, x->row, (lxw_col_t)col, &dt, x->f[K_DATE]);
}

static void month(fl_t *x, int col, int32_t ym)
{
	lxw_datetime dt = {.year = ym / 100, .month = ym % 100, .day = 1};
	worksheet_write_datetime(x->ws, x->row, (lxw_col_t)col, &dt, x->f[K_MONTH]);
}

static void fen(fl_t *x, int col, int64_t v)
{
	num(x, col, K_AMOUNT, (double)v / 100.0);
}

static void sum(fl_t *x, int col, int kind, lxw_row_t first, lxw_row_t last, double v)
{
	if (last < first) {
		num(x, col, kind, v);
		return;
	}
	char range[LXW_MAX_CELL_RANGE_LENGTH], formula[LXW_MAX_CELL_RANGE_LENGTH + 16];
	lxw_rowcol_to_range(range, first, (lxw_col_t)col, last, (lxw_col_t)col);
	snprintf(formula, sizeof formula, "=SUM(%s)", range);
	worksheet_write_formula_num(x->ws, x->row, (lxw_col_t)col, formula, x->f[kind], v);
}

static void note(fl_t *x, int col, const char *s)
{
	worksheet_write_string(x->ws, x->row, (lxw_col_t)col, s, x->note);
}

static void next_row(fl_t *x)
{
	x->row++;
	x->f = x->cell;
}

static void total_row(fl_t *x)
{
	x->f = x->total;
}

/* ---- sheets ---- */

static void header_row(fl_t *x)
{
	for (int c = 0; c < x->ncols; c++)
		worksheet_write_string(x->ws, x->row, (lxw_col_t)c, x->hdr[c], x->header);
	next_row(x);
}

/* A worksheet with the heading rows (the cells of two merged ranges) when heading is given,
 * and the header; leaves x on the first data row. */
static void sheet(fl_t *x, const char *name, const char *heading, const char *sub,
                  const char *const *hdr, int ncols)
{
	snprintf(x->name, sizeof x->name, "%s", name);
	x->ws = workbook_add_worksheet(x->wb, name);
	x->hdr = hdr;
	x->ncols = ncols;
	x->part = 1;
	x->row = 0;
	x->f = x->cell;
	if (heading) {
		int last = ncols > 1 ? ncols - 1 : 1;
		const char *t[2] = {heading, sub ? sub : ""};
		lxw_format *f[2] = {x->heading, x->subheading};
		for (int r = 0; r < 2; r++) {
			worksheet_write_string(x->ws, x->row, 0, t[r], f[r]);
			for (int c = 1; c <= last; c++)
				worksheet_write_blank(x->ws, x->row, (lxw_col_t)c, f[r]);
			x->row++;
		}
	}
	header_row(x);
}

/* Past Excel's last row a table goes on in "<name> (2)" with its header, as wb_room. */
static void room(fl_t *x)
{
	if (x->row < LXW_ROW_MAX)
		return;
	char base[64];
	snprintf(base, sizeof base, "%s", x->name);
	x->part++;
	char name[80];
	snprintf(name, sizeof name, "%.40s (%d)", base, x->part);
	x->ws = workbook_add_worksheet(x->wb, name);
	x->row = 0;
	header_row(x);
}

static const char *const generic_hdr[64] = {
    "列01", "列02", "列03", "列04", "列05", "列06", "列07", "列08", "列09", "列10", "列11",
    "列12", "列13", "列14", "列15", "列16", "列17", "列18", "列19", "列20", "列21", "列22",
    "列23", "列24", "列25", "列26", "列27", "列28", "列29", "列30", "列31", "列32", "列33",
    "列34", "列35", "列36", "列37", "列38", "列39", "列40", "列41", "列42", "列43", "列44",
    "列45", "列46", "列47", "列48", "列49", "列50", "列51", "列52", "列53", "列54", "列55",
    "列56", "列57", "列58", "列59", "列60", "列61", "列62", "列63", "列64"};

static int put_figures(fl_t *x, int col, const figures_t *f)
{
	const counts_t *c = &f->c;
	const int64_t n[NCOUNTS] = {
	    c->households_total,  c->listed,      c->negative, c->eligible, c->visited,
	    c->archived,          c->granted,     c->signed_,  c->used,     c->overdue,
	    c->loans_outstanding, c->loans_online};
	for (int i = 0; i < NCOUNTS; i++)
		num(x, col++, K_COUNT, (double)n[i]);
	fen(x, col++, c->credit_total);
	fen(x, col++, c->balance_total);
	fen(x, col++, c->npl_balance);
	for (int r = 0; r < RATE_COUNT; r++)
		num(x, col++, K_RATE, f->rate[r]);
	return col;
}

static int put_figure_sums(fl_t *x, int col, const figures_t *f, lxw_row_t first, lxw_row_t last)
{
	const counts_t *c = &f->c;
	const int64_t n[NCOUNTS] = {
	    c->households_total,  c->listed,      c->negative, c->eligible, c->visited,
	    c->archived,          c->granted,     c->signed_,  c->used,     c->overdue,
	    c->loans_outstanding, c->loans_online};
	for (int i = 0; i < NCOUNTS; i++)
		sum(x, col++, K_COUNT, first, last, (double)n[i]);
	const int64_t a[NAMOUNTS] = {c->credit_total, c->balance_total, c->npl_balance};
	for (int i = 0; i < NAMOUNTS; i++)
		sum(x, col++, K_AMOUNT, first, last, (double)a[i] / 100.0);
	for (int r = 0; r < RATE_COUNT; r++)
		num(x, col++, K_RATE, f->rate[r]);
	return col;
}

static int branch_of(const fl_t *x)
{
	return x->b < 0 ? -1 : x->ind->branches[x->b].branch;
}

static bool village_in(const fl_t *x, const village_ind_t *vi)
{
	return x->b < 0 || x->ind->model->villages[vi->village].branch == branch_of(x);
}

enum { SUM_FIG = 2, SUM_COLS = SUM_FIG + NFIG + 5 };

static void branch_row(fl_t *x, const branch_ind_t *br)
{
	const branch_t *b = &x->ind->model->site.branches[br->branch];
	text(x, 0, b->name);
	text(x, 1, b->code);
	int col = put_figures(x, SUM_FIG, &br->f);
	num(x, col++, K_COUNT, br->villages_total);
	num(x, col++, K_COUNT, br->villages_passed);
	num(x, col++, K_RATE, br->acceptance_rate);
	if (b->has_target)
		num(x, col, K_COUNT, (double)b->target_granted);
	num(x, col + 1, K_RATE, br->target_rate);
}

static void sheet_summary(fl_t *x)
{
	const indicators_t *ind = x->ind;
	const site_t *site = &ind->model->site;
	char heading[512], sub[256], m[64], asof[64];
	snprintf(heading, sizeof heading, "%s %s 整村授信汇总",
	         x->b < 0 ? site->bank : site->branches[branch_of(x)].name,
	         format_month_cn(m, sizeof m, ind->month));
	snprintf(sub, sizeof sub,
	         "数据截至 %s · 金额单位：元 · 比率空白表示分母为 0 · 由 cundang 生成",
	         format_date(asof, sizeof asof, ind->as_of));
	sheet(x, "汇总", heading, sub, generic_hdr, SUM_COLS);
	if (x->b >= 0) {
		branch_row(x, &ind->branches[x->b]);
		next_row(x);
		return;
	}
	lxw_row_t first = x->row;
	for (int i = 0; i < ind->nbranches; i++) {
		branch_row(x, &ind->branches[i]);
		next_row(x);
	}
	lxw_row_t last = x->row - 1;
	total_row(x);
	text(x, 0, "全行合计");
	blank(x, 1);
	int col = put_figure_sums(x, SUM_FIG, &ind->bank, first, last);
	sum(x, col++, K_COUNT, first, last, ind->villages_total);
	sum(x, col++, K_COUNT, first, last, ind->villages_passed);
	num(x, col++, K_RATE, ind->acceptance_rate);
	if (ind->has_target) {
		sum(x, col++, K_COUNT, first, last, (double)ind->target_granted);
		num(x, col++, K_RATE, ind->target_rate);
	}
	for (; col < SUM_COLS; col++)
		blank(x, col);
	next_row(x);
}

static void sheet_villages(fl_t *x)
{
	const indicators_t *ind = x->ind;
	const model_t *m = ind->model;
	sheet(x, "村级指标", NULL, NULL, generic_hdr, 6 + NFIG);
	lxw_row_t first = x->row;
	for (int i = 0; i < ind->nvillages; i++) {
		if (!village_in(x, &ind->villages[i]))
			continue;
		const village_t *v = &m->villages[ind->villages[i].village];
		char grade[2] = {v->grade, 0};
		text(x, 0, v->code);
		text(x, 1, v->name);
		text(x, 2, v->township);
		text(x, 3, m->site.branches[v->branch].name);
		text(x, 4, grade);
		text(x, 5, vocab_grade_label(v->grade));
		put_figures(x, 6, &ind->villages[i].f);
		next_row(x);
	}
	lxw_row_t last = x->row - 1;
	total_row(x);
	text(x, 0, "合计");
	for (int c = 1; c < 6; c++)
		blank(x, c);
	put_figure_sums(x, 6, x->b < 0 ? &ind->bank : &ind->branches[x->b].f, first, last);
	next_row(x);
}

static void sheet_acceptance(fl_t *x)
{
	const indicators_t *ind = x->ind;
	const model_t *m = ind->model;
	const site_t *site = &m->site;
	int ni = site->nindicators, nk = site->nchecks;
	sheet(x, "验收", NULL, NULL, generic_hdr, 6 + 2 * ni + nk + 1);
	for (int i = 0; i < ind->nvillages; i++) {
		const village_ind_t *vi = &ind->villages[i];
		if (!village_in(x, vi))
			continue;
		const village_t *v = &m->villages[vi->village];
		char grade[2] = {v->grade, 0}, failed[1024];
		bool started = vi->verdict != VERDICT_NOT_STARTED;
		text(x, 0, v->code);
		text(x, 1, v->name);
		text(x, 2, site->branches[v->branch].name);
		text(x, 3, grade);
		num(x, 4, K_SCORE, vi->score_rounded);
		text(x, 5, vocab_verdict_label(vi->verdict));
		int col = 6;
		for (int k = 0; k < ni; k++) {
			if (started)
				num(x, col++, K_RATE2, vi->f.rate[site->indicators[k].rate]);
			else
				blank(x, col++);
			text(x, col++,
			     !started     ? vocab_verdict_label(VERDICT_NOT_STARTED)
			     : vi->met[k] ? VOCAB_MET
			                  : VOCAB_UNMET);
		}
		for (int j = 0; j < nk; j++)
			text(x, col++, v->checks[j] ? VOCAB_DONE : VOCAB_NOT_DONE);
		view_failed_labels(ind, vi, failed, sizeof failed);
		text(x, col, failed);
		next_row(x);
	}
}

static void sheet_managers(fl_t *x)
{
	const indicators_t *ind = x->ind;
	const manager_ind_t *mg = x->b < 0 ? ind->managers : ind->branches[x->b].managers;
	const int *ranked = x->b < 0 ? ind->ranked : ind->branches[x->b].ranked;
	int nm = x->b < 0 ? ind->nmanagers : ind->branches[x->b].nmanagers;
	const bool bank = x->b < 0;
	const int c0 = bank ? 3 : 2; /* the summary has a 支行 column after the name */
	sheet(x, VOCAB_MANAGER, NULL, NULL, generic_hdr, c0 + 9);
	lxw_row_t first = x->row;
	buf_t names = {0};
	for (int i = 0; i < nm; i++) {
		const manager_ind_t *g = &mg[ranked[i]];
		const char *name = ind->model->managers[g->manager];
		if (strcmp(name, MODEL_UNASSIGNED) != 0)
			num(x, 0, K_COUNT, i + 1);
		else
			text(x, 0, "—");
		text(x, 1, name);
		if (bank) {
			buf_clear(&names);
			for (int j = ind->manager_branch_at[ranked[i]];
			     j < ind->manager_branch_at[ranked[i] + 1]; j++) {
				if (j > ind->manager_branch_at[ranked[i]])
					buf_adds(&names, "、");
				buf_adds(
				    &names,
				    ind->model->site
				        .branches[ind->branches[ind->manager_branches[j]].branch]
				        .name);
			}
			text(x, 2, names.data);
		}
		num(x, c0, K_COUNT, (double)g->listed);
		num(x, c0 + 1, K_COUNT, (double)g->visited);
		num(x, c0 + 2, K_COUNT, (double)g->granted);
		num(x, c0 + 3, K_COUNT, (double)g->signed_);
		num(x, c0 + 4, K_COUNT, (double)g->used);
		fen(x, c0 + 5, g->balance_total);
		num(x, c0 + 6, K_RATE, g->visit_rate);
		num(x, c0 + 7, K_RATE, g->signing_rate);
		num(x, c0 + 8, K_RATE, g->usage_rate);
		next_row(x);
	}
	buf_free(&names);
	lxw_row_t last = x->row - 1;
	const counts_t *c = bank ? &ind->bank.c : &ind->branches[x->b].f.c;
	total_row(x);
	blank(x, 0);
	text(x, 1, "合计");
	for (int col = 2; col < c0; col++)
		blank(x, col);
	const int64_t v[5] = {c->listed, c->visited, c->granted, c->signed_, c->used};
	for (int k = 0; k < 5; k++)
		sum(x, c0 + k, K_COUNT, first, last, (double)v[k]);
	sum(x, c0 + 5, K_AMOUNT, first, last, (double)c->balance_total / 100.0);
	for (int col = c0 + 6; col < c0 + 9; col++)
		blank(x, col);
	next_row(x);
}

static void trend_cells(fl_t *x, int col, const trend_point_t *t)
{
	const int64_t c[5] = {t->visited, t->archived, t->granted, t->signed_, t->used};
	const double r[5] = {t->visit_rate, t->archive_rate, t->credit_coverage, t->signing_rate,
	                     t->usage_rate};
	month(x, col++, t->month);
	for (int i = 0; i < 5; i++)
		num(x, col++, K_COUNT, (double)c[i]);
	for (int i = 0; i < 5; i++)
		num(x, col++, K_RATE, r[i]);
}

/* The threshold of rate r beside each month (the charts' dashed lines read it). */
static void threshold(fl_t *x, int col, rate_t r)
{
	const indicator_rule_t *rule = config_rule(&x->ind->model->site, r);
	num(x, col, K_RATE, rule ? rule->threshold : NAN);
}

static const rate_t trend_rates[5] = {RATE_VISIT, RATE_ARCHIVE, RATE_COVERAGE, RATE_SIGNING,
                                      RATE_USAGE};

static void sheet_trend(fl_t *x)
{
	const indicators_t *ind = x->ind;
	const model_t *m = ind->model;
	if (x->b < 0) {
		sheet(x, "趋势", NULL, NULL, generic_hdr, 16);
		for (int i = 0; i < TREND_MONTHS; i++) {
			trend_cells(x, 0, &ind->trend[i]);
			for (int k = 0; k < 5; k++)
				threshold(x, 11 + k, trend_rates[k]);
			next_row(x);
		}
		return;
	}
	sheet(x, "趋势", NULL, NULL, generic_hdr, 14);
	int nvillages = 0;
	for (int i = 0; i < ind->nvillages; i++) {
		const village_ind_t *vi = &ind->villages[i];
		if (!village_in(x, vi))
			continue;
		const village_t *v = &m->villages[vi->village];
		nvillages++;
		for (int k = 0; k < TREND_MONTHS; k++) {
			text(x, 0, v->code);
			text(x, 1, v->name);
			trend_cells(x, 2, &vi->trend[k]);
			threshold(x, 13, RATE_USAGE);
			next_row(x);
		}
	}
	const branch_ind_t *br = &ind->branches[x->b];
	for (int k = 0; k < TREND_MONTHS; k++) {
		text(x, 0, m->site.branches[br->branch].code);
		text(x, 1, "全支行");
		trend_cells(x, 2, &br->trend[k]);
		threshold(x, 13, RATE_USAGE);
		next_row(x);
	}
	if (nvillages > TREND_CHART_VILLAGES) {
		char s[256];
		x->row++;
		snprintf(s, sizeof s,
		         "本支行有 %d 个村，超过 %d "
		         "个村时折线图只画全支行；请按村代码筛选查看各村趋势。",
		         nvillages, TREND_CHART_VILLAGES);
		note(x, 0, s);
	}
}

static bool finding_in(const fl_t *x, const finding_t *f)
{
	const model_t *m = x->ind->model;
	if (!indicators_finding_selected(x->ind, f))
		return false;
	return x->b < 0 || (f->village >= 0 && m->villages[f->village].branch == branch_of(x));
}

static void sheet_quality(fl_t *x)
{
	const model_t *m = x->ind->model;
	int64_t n = 0;
	for (int i = 0; i < m->nfindings; i++)
		n += finding_in(x, &m->findings[i]);
	int64_t rows = cap_sheet_rows(n, 0), written = 0;
	sheet(x, VOCAB_QUALITY_TITLE, NULL, NULL, generic_hdr, 6);
	for (int i = 0; i < m->nfindings && written < rows; i++) {
		const finding_t *f = &m->findings[i];
		if (!finding_in(x, f))
			continue;
		text(x, 0, f->file);
		if (f->line > 0)
			num(x, 1, K_NUMBER, f->line);
		text(x, 2, f->column);
		text(x, 3, vocab_severity_label(f->severity));
		text(x, 4, f->code);
		text(x, 5, f->message);
		next_row(x);
		written++;
	}
	if (n == 0)
		note(x, 0, "本期没有数据质量问题。");
	if (written < n) {
		char s[512], more[32], all[32], rel[OUTTREE_PATH_MAX];
		snprintf(s, sizeof s, "另有 %s 条未列出（已达 Excel 行数上限）；全部 %s 条见 %s。",
		         format_count(more, sizeof more, n - written),
		         format_count(all, sizeof all, n),
		         outtree_path(rel, sizeof rel, OUTTREE_FINDINGS, x->ind->month, NULL));
		note(x, 0, s);
	}
}

static const char *yes_no(bool b)
{
	return b ? VOCAB_YES : VOCAB_NO;
}

static void sheet_households(fl_t *x)
{
	const indicators_t *ind = x->ind;
	const model_t *m = ind->model;
	const bool mask = m->site.mask_workbooks;
	char t[256];
	sheet(x, "户表", NULL, NULL, generic_hdr, 24);
	for (int i = 0; i < ind->nvillages; i++) {
		if (!village_in(x, &ind->villages[i]))
			continue;
		const village_t *v = &m->villages[ind->villages[i].village];
		for (int k = 0; k < v->nhouseholds; k++) {
			int hi = v->first_household + k;
			const household_t *h = &m->households[hi];
			uint8_t st = ind->hh_status[hi];
			room(x);
			text(x, 0, v->code);
			text(x, 1, v->name);
			text(x, 2, h->id);
			text(x, 3, mask ? format_mask_name(t, sizeof t, h->name) : h->name);
			text(x, 4, mask ? format_mask_id(t, sizeof t, h->id_number) : h->id_number);
			text(x, 5, mask ? format_mask_phone(t, sizeof t, h->phone) : h->phone);
			text(x, 6, vocab_segment_label(h->segment));
			text(x, 7, h->grid);
			text(x, 8, h->manager && h->manager[0] ? h->manager : MODEL_UNASSIGNED);
			if (h->members >= 0)
				num(x, 9, K_NUMBER, h->members);
			text(x, 10, yes_no(h->migrant));
			date(x, 11, h->visited_on);
			date(x, 12, h->archived_on);
			if (h->credit_line)
				fen(x, 13, h->credit_line);
			date(x, 14, h->granted_on);
			date(x, 15, h->signed_on);
			text(x, 16, yes_no(st & HH_VISITED));
			text(x, 17, yes_no(st & HH_ARCHIVED));
			text(x, 18, yes_no(st & HH_GRANTED));
			text(x, 19, yes_no(st & HH_SIGNED));
			text(x, 20, yes_no(st & HH_USED));
			text(x, 21, yes_no(st & HH_OVERDUE));
			fen(x, 22, ind->hh_balance[hi]);
			text(x, 23, h->negative_reason);
			next_row(x);
		}
	}
}

static void sheet_loans(fl_t *x)
{
	const indicators_t *ind = x->ind;
	const model_t *m = ind->model;
	sheet(x, "贷款", NULL, NULL, generic_hdr, 12);
	for (int i = 0; i < ind->nvillages; i++) {
		if (!village_in(x, &ind->villages[i]))
			continue;
		const village_t *v = &m->villages[ind->villages[i].village];
		for (int k = 0; k < v->nhouseholds; k++) {
			const household_t *h = &m->households[v->first_household + k];
			for (int l = 0; l < h->nloans; l++) {
				int li = m->loan_order[h->first_loan + l];
				const loan_t *ln = &m->loans[li];
				room(x);
				text(x, 0, v->code);
				text(x, 1, h->id);
				text(x, 2, ln->id);
				text(x, 3, ln->product);
				fen(x, 4, ln->amount);
				date(x, 5, ln->disbursed_on);
				date(x, 6, ln->due_on);
				date(x, 7, ln->settled_on);
				fen(x, 8, ln->balance);
				num(x, 9, K_NUMBER, ln->overdue_days);
				text(x, 10, ln->online ? VOCAB_CHANNEL_ONLINE : "线下");
				text(x, 11, yes_no(ind->loan_outstanding[li]));
				next_row(x);
			}
		}
	}
}

static void guide_row(fl_t *x, const char *kind, const char *name, const char *meaning,
                      const char *rule, double weight)
{
	text(x, 0, kind);
	text(x, 1, name);
	text(x, 2, meaning);
	text(x, 3, rule);
	if (!isnan(weight))
		num(x, 4, K_NUMBER, weight);
	next_row(x);
}

static void sheet_guide(fl_t *x)
{
	const site_t *site = &x->ind->model->site;
	char th[64], ps[64];
	sheet(x, VOCAB_GUIDE_TITLE, NULL, NULL, generic_hdr, 5);
	for (int r = 0; r < RATE_COUNT; r++) {
		const indicator_rule_t *rule = NULL;
		for (int i = 0; i < site->nindicators; i++)
			if ((int)site->indicators[i].rate == r)
				rule = &site->indicators[i];
		guide_row(x, "定量指标", vocab_rate_label[r], vocab_rate_formula[r],
		          rule ? format_threshold(th, sizeof th, rule) : "不考核",
		          rule ? rule->weight : NAN);
	}
	for (int i = 0; i < site->nchecks; i++)
		guide_row(x, "定性项目", site->checks[i].label,
		          site->checks[i].required ? "通过必备" : "不是通过必备", VOCAB_DONE,
		          site->checks[i].weight);
	snprintf(ps, sizeof ps, "≥ %g 分", site->pass_score);
	guide_row(x, "得分与结论", "通过分数线", "得分不低于此分数（且满足“通过”的其他条件）", ps,
	          NAN);
	for (int i = 0; i < VOCAB_NGUIDE_RULES; i++)
		guide_row(x, "得分与结论", vocab_guide_rules[i].term, vocab_guide_rules[i].meaning,
		          NULL, NAN);
	for (int i = 0; i < VOCAB_NGUIDE_TERMS; i++)
		guide_row(x, "口径", vocab_guide_terms[i].term, vocab_guide_terms[i].meaning, NULL,
		          NAN);
	for (char g = 'A'; g <= 'C'; g++) {
		char gs[2] = {g, 0};
		guide_row(x, "村的等级", gs, vocab_grade_label(g), NULL, NAN);
	}
}

/* ---- the tasks workbook ---- */

enum { L_LISTS = 6, L_NCOLS = L_LISTS + TASK_COUNT + 7 };

/* The sheet of manager i: named by its key, unique in the branch and a valid sheet name, in
 * place of cundang's name made safe (a string of the same type in the index). */
static const char *list_sheet_name(const task_branch_t *tb, int i)
{
	return i < CAP_TASK_SHEETS ? tb->managers[i].key : "其他客户经理";
}

static void sheet_index(fl_t *x, const task_branch_t *tb)
{
	const indicators_t *ind = x->ind;
	const model_t *m = ind->model;
	const branch_ind_t *br = &ind->branches[x->b];
	char heading[512], sub[512], asof[32];
	snprintf(heading, sizeof heading, "%s %s", m->site.branches[br->branch].name,
	         VOCAB_TASKS_TITLE);
	snprintf(sub, sizeof sub,
	         "数据截至 "
	         "%s；每位客户经理一张工作表：其管户中在任一清单上的农户每户一行，所在清单列打 ✓",
	         format_date(asof, sizeof asof, ind->as_of));
	sheet(x, VOCAB_TASKS_MANAGERS_SHEET, heading, sub, generic_hdr, 6 + TASK_COUNT);
	lxw_row_t first = x->row;
	for (int i = 0; i < tb->nmanagers; i++) {
		const task_manager_t *tm = &tb->managers[i];
		text(x, 0, m->managers[tm->fig->manager]);
		text(x, 1, list_sheet_name(tb, i));
		num(x, 2, K_COUNT, (double)tm->fig->listed);
		num(x, 3, K_RATE, tm->fig->visit_rate);
		num(x, 4, K_RATE, tm->fig->signing_rate);
		num(x, 5, K_RATE, tm->fig->usage_rate);
		for (int l = 0; l < TASK_COUNT; l++)
			num(x, 6 + l, K_COUNT, (double)tm->n[l]);
		next_row(x);
	}
	lxw_row_t last = x->row - 1;
	const manager_ind_t *all = &br->managers_all;
	total_row(x);
	text(x, 0, "合计");
	blank(x, 1);
	sum(x, 2, K_COUNT, first, last, (double)all->listed);
	num(x, 3, K_RATE, all->visit_rate);
	num(x, 4, K_RATE, all->signing_rate);
	num(x, 5, K_RATE, all->usage_rate);
	for (int l = 0; l < TASK_COUNT; l++)
		sum(x, 6 + l, K_COUNT, first, last, (double)tb->n[l]);
	next_row(x);
}

static void list_rows(fl_t *x, const task_manager_t *tm, int c0)
{
	const indicators_t *ind = x->ind;
	const model_t *m = ind->model;
	const bool mask = m->site.mask_workbooks;
	char t[256];
	for (int64_t i = 0; i < tm->nany; i++) {
		int hi = tm->any[i];
		const household_t *h = &m->households[hi];
		uint8_t on = x->tasks->on[hi];
		room(x);
		if (c0)
			text(x, 0, m->managers[tm->fig->manager]);
		text(x, c0 + 0, m->villages[h->village].name);
		text(x, c0 + 1, h->grid);
		text(x, c0 + 2, h->id);
		text(x, c0 + 3, mask ? format_mask_name(t, sizeof t, h->name) : h->name);
		text(x, c0 + 4, mask ? format_mask_phone(t, sizeof t, h->phone) : h->phone);
		text(x, c0 + 5, vocab_household_label[indicators_hh_state(ind->hh_status[hi])]);
		for (int l = 0; l < TASK_COUNT; l++)
			if (on & (1u << l))
				worksheet_write_number(x->ws, x->row, (lxw_col_t)(c0 + L_LISTS + l),
				                       1, x->flag);
		int c = c0 + L_LISTS + TASK_COUNT;
		if (h->credit_line)
			fen(x, c, h->credit_line);
		if (ind->hh_balance[hi])
			fen(x, c + 1, ind->hh_balance[hi]);
		if (on & (1u << TASK_OVERDUE))
			num(x, c + 2, K_NUMBER, x->tasks->overdue_days[hi]);
		date(x, c + 3, h->visited_on);
		date(x, c + 4, h->archived_on);
		date(x, c + 5, h->granted_on);
		date(x, c + 6, h->signed_on);
		next_row(x);
	}
}

static void sheet_lists(fl_t *x, const task_branch_t *tb, int first, int last)
{
	const indicators_t *ind = x->ind;
	const model_t *m = ind->model;
	const branch_ind_t *br = &ind->branches[x->b];
	const int c0 = last - first > 1;
	char heading[512], sub[768], asof[32];
	format_date(asof, sizeof asof, ind->as_of);
	/* Texts of about the length of cundang's headings. */
	snprintf(heading, sizeof heading, "%s · %s %s",
	         m->managers[tb->managers[first].fig->manager], m->site.branches[br->branch].name,
	         VOCAB_TASKS_TITLE);
	snprintf(
	    sub, sizeof sub,
	    "数据截至 %s。本人：管户 %lld，走访率 00.0%%，签约率 00.0%%，用信率 00.0%%；本支行："
	    "管户 %lld，走访率 00.0%%，签约率 00.0%%，用信率 00.0%%。每户一行，在哪张清单上就在"
	    "哪列打 ✓，按列筛选即得该清单",
	    asof, (long long)tb->managers[first].fig->listed, (long long)br->managers_all.listed);
	sheet(x, list_sheet_name(tb, first), heading, sub, generic_hdr, c0 + L_NCOLS);
	for (int i = first; i < last; i++)
		list_rows(x, &tb->managers[i], c0);
}

static void write_tasks(fl_t *x)
{
	const task_branch_t *tb = &x->tasks->branches[x->b];
	sheet_index(x, tb);
	int own = tb->nmanagers < CAP_TASK_SHEETS ? tb->nmanagers : CAP_TASK_SHEETS;
	for (int i = 0; i < own; i++)
		sheet_lists(x, tb, i, i + 1);
	if (tb->nmanagers > own)
		sheet_lists(x, tb, own, tb->nmanagers);
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

/* The formats of wb_writer.c's add_formats (the conditional formats' two left out). */
static void add_formats(fl_t *x)
{
	static const char *const numfmt[K_KINDS] = {
	    [K_COUNT] = "#,##0", [K_AMOUNT] = "#,##0.00", [K_RATE] = "0.0%",
	    [K_RATE2] = "0.00%", [K_DATE] = "yyyy-mm-dd", [K_MONTH] = "yyyy-mm",
	    [K_SCORE] = "0.00"};
	for (int k = 0; k < K_KINDS; k++) {
		x->cell[k] =
		    k == K_TEXT || k == K_NUMBER ? NULL : add_format(x->wb, numfmt[k], false);
		x->total[k] = add_format(x->wb, numfmt[k], true);
	}
	x->header = workbook_add_format(x->wb);
	format_set_bold(x->header);
	format_set_bg_color(x->header, 0xDDEBF7);
	format_set_border(x->header, LXW_BORDER_THIN);
	format_set_border_color(x->header, 0x9BC2E6);
	format_set_align(x->header, LXW_ALIGN_CENTER);
	format_set_align(x->header, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(x->header);
	x->heading = workbook_add_format(x->wb);
	format_set_bold(x->heading);
	format_set_font_size(x->heading, 14);
	format_set_align(x->heading, LXW_ALIGN_VERTICAL_CENTER);
	x->subheading = workbook_add_format(x->wb);
	format_set_font_color(x->subheading, 0x595959);
	x->note = workbook_add_format(x->wb);
	format_set_italic(x->note);
	format_set_font_color(x->note, 0x595959);
	x->flag = workbook_add_format(x->wb);
	format_set_num_format(x->flag, "\"✓\";;;");
	format_set_align(x->flag, LXW_ALIGN_CENTER);
}

/* Workbook i as cundang numbers them: the summary (0), branch i - 1's, then (from 1 + nbranches)
 * branch i - 1 - nbranches' tasks workbook. */
static int write_one(const indicators_t *ind, const tasks_t *tasks, int i, const char *out,
                     const char *tmpdir)
{
	bool is_tasks = i > ind->nbranches;
	int b = i == 0 ? -1 : is_tasks ? i - 1 - ind->nbranches : i - 1;
	char rel[OUTTREE_PATH_MAX];
	if (i == 0)
		outtree_path(rel, sizeof rel, OUTTREE_SUMMARY_WORKBOOK, ind->month, NULL);
	else
		outtree_path(rel, sizeof rel,
		             is_tasks ? OUTTREE_TASKS_WORKBOOK : OUTTREE_BRANCH_WORKBOOK,
		             ind->month, ind->model->site.branches[ind->branches[b].branch].code);
	char *path = path_join(out, rel);
	bool big = b >= 0 || (ind->fsum && ind->fsum->total > CAP_SUMMARY_IN_MEMORY);
	lxw_workbook_options opt = {.constant_memory = big ? LXW_TRUE : LXW_FALSE,
	                            .tmpdir = (char *)tmpdir};
	fl_t x = {.wb = workbook_new_opt(path, &opt), .ind = ind, .tasks = tasks, .b = b};
	if (!x.wb) {
		fprintf(stderr, "floor: %s: cannot start the workbook\n", path);
		free(path);
		return 1;
	}
	add_formats(&x);
	if (is_tasks) {
		write_tasks(&x);
	} else {
		sheet_summary(&x);
		sheet_villages(&x);
		sheet_acceptance(&x);
		sheet_managers(&x);
		sheet_trend(&x);
		sheet_quality(&x);
		if (b >= 0) {
			sheet_households(&x);
			sheet_loans(&x);
		}
		sheet_guide(&x);
	}
	lxw_error rc = workbook_close(x.wb);
	if (rc != LXW_NO_ERROR)
		fprintf(stderr, "floor: %s: %s\n", path, lxw_strerror(rc));
	free(path);
	return rc != LXW_NO_ERROR;
}

/* ---- the writer processes, as workbook.c's ---- */

typedef struct {
	int next, n;
	int failed;
	int order[];
} queue_t;

/* workbook.c's workbook_sizes: the order cundang takes the workbooks in, largest first. */
static void sizes(const indicators_t *ind, const tasks_t *tasks, int64_t *size)
{
	const model_t *m = ind->model;
	size[0] = ind->nvillages;
	for (int i = 0; i < ind->nbranches; i++) {
		int64_t n = 0, hh = 0;
		for (int l = 0; l < TASK_COUNT; l++)
			n += tasks->branches[i].n[l];
		size[1 + ind->nbranches + i] = n / 2;
		for (int k = 0; k < ind->nvillages; k++) {
			const village_t *v = &m->villages[ind->villages[k].village];
			if (v->branch == ind->branches[i].branch)
				hh += v->nhouseholds;
		}
		size[1 + i] = hh;
	}
}

static void work(queue_t *q, const indicators_t *ind, const tasks_t *tasks, const char *out,
                 const char *tmpdir)
{
	for (;;) {
		int k = __atomic_fetch_add(&q->next, 1, __ATOMIC_RELAXED);
		if (k >= q->n)
			return;
		if (write_one(ind, tasks, q->order[k], out, tmpdir) != 0)
			__atomic_store_n(&q->failed, 1, __ATOMIC_RELAXED);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: floor_workbooks [-i DIR] [-o DIR] [-j N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *input = "input", *out = "build/floor";
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-i") && i + 1 < argc)
			input = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-j") && i + 1 < argc)
			jobs = strtol(argv[++i], NULL, 10);
		else
			return usage();
	}
	if (jobs < 1)
		jobs = 1;
	if (jobs > 64)
		jobs = 64; /* as cundang's default */

	/* Untimed: the archive, the indicators and the work lists, by cundang's functions. */
	model_t m;
	indicators_t ind;
	tasks_t tasks;
	err_t err = {0};
	if (archive_load(input, (int)jobs, &m, &err) != 0) {
		fprintf(stderr, "floor: %s:%ld: %s\n", err.file, (long)err.line, err.msg);
		return 2;
	}
	if (!m.site.month || indicators_compute_at(&m, m.site.month, 0, NULL, 0, &ind, &err) != 0) {
		fprintf(stderr, "floor: %s: no month in site.yaml, or %s\n", input, err.msg);
		return 2;
	}
	tasks_compute(&ind, &tasks);
	char rel[OUTTREE_PATH_MAX];
	char *wbdir =
	    path_join(out, outtree_dir(rel, sizeof rel, OUTTREE_SUMMARY_WORKBOOK, ind.month));
	char *tdir =
	    path_join(out, outtree_dir(rel, sizeof rel, OUTTREE_TASKS_WORKBOOK, ind.month));
	if (path_make_dirs(wbdir, 0, false, NULL) != 0 ||
	    path_make_dirs(tdir, 0, false, NULL) != 0) {
		fprintf(stderr, "floor: cannot make the folders of %s: %s\n", out, strerror(errno));
		return 3;
	}

	/* Timed: the workbooks, by min(jobs, n) processes sharing one queue, largest first. */
	double t0 = now();
	int n = 1 + 2 * ind.nbranches;
	size_t bytes = sizeof(queue_t) + (size_t)n * sizeof(int);
	queue_t *q = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED) {
		fprintf(stderr, "floor: mmap: %s\n", strerror(errno));
		return 3;
	}
	q->n = n;
	int64_t *size = xmalloc((size_t)n * sizeof *size);
	sizes(&ind, &tasks, size);
	for (int i = 0; i < n; i++) {
		int k = i;
		while (k > 0 && size[q->order[k - 1]] < size[i]) {
			q->order[k] = q->order[k - 1];
			k--;
		}
		q->order[k] = i;
	}
	free(size);
	int nproc = jobs > n ? n : (int)jobs, started = 0;
	pid_t *pid = xcalloc((size_t)nproc, sizeof *pid);
	fflush(NULL);
	for (int p = 1; p < nproc; p++) {
		pid_t c = fork();
		if (c == 0) {
			work(q, &ind, &tasks, out, wbdir);
			_exit(0);
		}
		if (c > 0)
			pid[started++] = c;
	}
	work(q, &ind, &tasks, out, wbdir);
	int rc = 0;
	for (int p = 0; p < started; p++) {
		int status;
		while (waitpid(pid[p], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = 3;
	}
	double t1 = now();
	if (q->failed)
		rc = 3;
	printf("floor: %d workbooks in %.2f s (-j %d)\n", n, t1 - t0, nproc);
	munmap(q, bytes);
	free(pid);
	free(wbdir);
	free(tdir);
	tasks_free(&tasks);
	indicators_free(&ind);
	model_free(&m);
	return rc;
}
