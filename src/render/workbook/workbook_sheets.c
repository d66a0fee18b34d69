/* workbook_sheets.c — what each sheet of the workbooks holds: 汇总, 村级指标, 验收, 客户经理,
 * 趋势, 数据质量 and, in a branch workbook, 户表 and 贷款. Every figure is read from the
 * indicators (or, for 户表 and 贷款, from the rows of the model); nothing is recomputed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/config.h"
#include "format.h"
#include "outtree.h"
#include "render/cap.h"
#include "render/chart/chart.h"
#include "render/site/view.h"
#include "render/workbook/workbook_int.h"

#define NCOUNTS VOCAB_NCOUNTS
#define NAMOUNTS VOCAB_NAMOUNTS
#define NFIGURES (NCOUNTS + NAMOUNTS + RATE_COUNT)
#define F 64
#define TREND_CHART_VILLAGES 10 /* more lines than this are no longer readable */
#define CHART_W 480             /* libxlsxwriter's default chart size, in pixels */
#define CHART_H 288

static const rate_t trend_rates[CHART_TREND_SERIES] = {RATE_VISIT, RATE_ARCHIVE, RATE_COVERAGE,
                                                       RATE_SIGNING, RATE_USAGE};

/* The marker of each trend series: the shapes of the page's charts (chart.c), as near as Excel
 * has them. */
static const uint8_t trend_markers[CHART_TREND_SERIES] = {
    LXW_CHART_MARKER_CIRCLE, LXW_CHART_MARKER_SQUARE, LXW_CHART_MARKER_TRIANGLE,
    LXW_CHART_MARKER_DIAMOND, LXW_CHART_MARKER_X};

/* Draws series se as the page's charts draw series k of chart_series_colors: its colour, a
 * straight line (smoothing would draw months that never were) and its marker. */
static void style_series(lxw_chart_series *se, int k)
{
	lxw_chart_line line = {.color = chart_series_colors[k], .width = 2.25};
	lxw_chart_fill fill = {.color = chart_series_colors[k]};
	lxw_chart_line rim = {.color = LXW_COLOR_WHITE, .width = 0.75};
	chart_series_set_line(se, &line);
	chart_series_set_smooth(se, LXW_FALSE);
	chart_series_set_marker_type(se, trend_markers[k]);
	chart_series_set_marker_size(se, 6);
	chart_series_set_marker_fill(se, &fill);
	chart_series_set_marker_line(se, &rim);
}

/* Adds the threshold of rate rows first..last of column col (the same value in each row) as
 * a dashed line in the charts' one threshold grey, without markers. */
static void threshold_series(lxw_chart *ch, const char *sheet, lxw_row_t first, lxw_row_t last,
                             int cat_col, int col)
{
	lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
	if (!se)
		return;
	chart_series_set_categories(se, sheet, first, (lxw_col_t)cat_col, last, (lxw_col_t)cat_col);
	chart_series_set_values(se, sheet, first, (lxw_col_t)col, last, (lxw_col_t)col);
	chart_series_set_name_range(se, sheet, 0, (lxw_col_t)col);
	lxw_chart_line line = {
	    .color = CHART_COLOR_RULE, .width = 1.25, .dash_type = LXW_CHART_LINE_DASH_DASH};
	chart_series_set_line(se, &line);
	chart_series_set_smooth(se, LXW_FALSE);
	chart_series_set_marker_type(se, LXW_CHART_MARKER_NONE);
}

static void counts_of(const counts_t *c, int64_t v[NCOUNTS])
{
	const int64_t x[NCOUNTS] = {
	    c->households_total,  c->listed,      c->negative, c->eligible, c->visited,
	    c->archived,          c->granted,     c->signed_,  c->used,     c->overdue,
	    c->loans_outstanding, c->loans_online};
	memcpy(v, x, sizeof x);
}

static void amounts_of(const counts_t *c, int64_t v[NAMOUNTS])
{
	v[0] = c->credit_total;
	v[1] = c->balance_total;
	v[2] = c->npl_balance;
}

/* Appends the headers of the figures (counts, amounts, rates) at h[n]; returns the new n. */
static int figure_headers(const char **h, int n)
{
	for (int i = 0; i < NCOUNTS; i++)
		h[n++] = vocab_count_label[i];
	for (int i = 0; i < NAMOUNTS; i++)
		h[n++] = vocab_amount_label[i];
	for (int r = 0; r < RATE_COUNT; r++)
		h[n++] = vocab_rate_label[r];
	return n;
}

/* Writes f's counts, amounts and rates from col; returns the column after them. */
static int put_figures(wb_sheet_t *s, int col, const figures_t *f)
{
	int64_t c[NCOUNTS], a[NAMOUNTS];
	counts_of(&f->c, c);
	amounts_of(&f->c, a);
	for (int i = 0; i < NCOUNTS; i++)
		wb_count(s, col++, c[i]);
	for (int i = 0; i < NAMOUNTS; i++)
		wb_fen(s, col++, a[i]);
	for (int r = 0; r < RATE_COUNT; r++)
		wb_rate(s, col++, f->rate[r]);
	return col;
}

/* The figures of a total row: counts and amounts as =SUM over the data rows first..last with
 * the computed total f as their value, and f's rates. Returns the column after them. */
static int put_figure_sums(wb_sheet_t *s, int col, const figures_t *f, lxw_row_t first,
                           lxw_row_t last)
{
	int64_t c[NCOUNTS], a[NAMOUNTS];
	counts_of(&f->c, c);
	amounts_of(&f->c, a);
	for (int i = 0; i < NCOUNTS; i++)
		wb_sum(s, col++, WK_COUNT, first, last, (double)c[i]);
	for (int i = 0; i < NAMOUNTS; i++)
		wb_sum(s, col++, WK_AMOUNT, first, last, (double)a[i] / 100.0);
	for (int r = 0; r < RATE_COUNT; r++)
		wb_rate(s, col++, f->rate[r]);
	return col;
}

/* Colours the rate columns (rate r in column col0 + r) that have an acceptance rule. */
static void flag_rates(wb_sheet_t *s, const site_t *site, int col0, lxw_row_t first, lxw_row_t last)
{
	for (int i = 0; i < site->nindicators; i++)
		wb_flag_rule(s, col0 + (int)site->indicators[i].rate, first, last,
		             site->indicators[i].is_max, site->indicators[i].threshold);
}

/* The site index of the workbook's branch, or -1 for the summary. */
static int site_branch(const wb_book_t *w)
{
	return w->b < 0 ? -1 : w->ind->branches[w->b].branch;
}

static bool village_in(const wb_book_t *w, const village_ind_t *vi)
{
	return w->b < 0 || w->ind->model->villages[vi->village].branch == site_branch(w);
}

static int count_villages(const wb_book_t *w)
{
	int n = 0;
	for (int i = 0; i < w->ind->nvillages; i++)
		n += village_in(w, &w->ind->villages[i]);
	return n;
}

/* The figures of the whole workbook: the bank's, or its branch's. */
static const figures_t *scope_figures(const wb_book_t *w)
{
	return w->b < 0 ? &w->ind->bank : &w->ind->branches[w->b].f;
}

static const char *scope_name(const wb_book_t *w)
{
	const site_t *site = &w->ind->model->site;
	return w->b < 0 ? site->bank : site->branches[site_branch(w)].name;
}

/* ---- 汇总 ---- */

enum { SUM_FIG = 2, SUM_AFTER = SUM_FIG + NFIGURES, SUM_COLS = SUM_AFTER + 5 };

static void summary_headers(const char **h)
{
	int n = 0;
	h[n++] = "单位";
	h[n++] = "代码";
	n = figure_headers(h, n);
	h[n++] = "参与验收村数";
	h[n++] = "验收通过村数";
	h[n++] = "验收通过率";
	h[n++] = VOCAB_TARGET_GRANTED;
	h[n++] = VOCAB_TARGET_RATE;
}

static void branch_row(wb_sheet_t *s, const site_t *site, const branch_ind_t *br)
{
	const branch_t *b = &site->branches[br->branch];
	wb_text(s, 0, b->name);
	wb_text(s, 1, b->code);
	int col = put_figures(s, SUM_FIG, &br->f);
	wb_count(s, col++, br->villages_total);
	wb_count(s, col++, br->villages_passed);
	wb_rate(s, col++, br->acceptance_rate);
	if (b->has_target)
		wb_count(s, col, b->target_granted);
	col++;
	wb_rate(s, col, br->target_rate);
}

/* A column chart of the coverage and usage rates (the goals of the campaign's two stages)
 * of rows first..last of data_sheet, named by the text in cat_col; rates start at rate_col. */
static int rate_bars(wb_sheet_t *s, const char *data_sheet, lxw_row_t first, lxw_row_t last,
                     int cat_col, int rate_col, const char *title, lxw_row_t at)
{
	static const rate_t shown[] = {RATE_COVERAGE, RATE_USAGE};
	wb_t *w = s->w;
	lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_COLUMN);
	if (!ch) {
		wb_check(w, s->name, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return 0;
	}
	for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
		lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
		if (!se)
			continue;
		chart_series_set_categories(se, data_sheet, first, (lxw_col_t)cat_col, last,
		                            (lxw_col_t)cat_col);
		chart_series_set_values(se, data_sheet, first, (lxw_col_t)(rate_col + shown[i]),
		                        last, (lxw_col_t)(rate_col + shown[i]));
		chart_series_set_name(se, vocab_rate_label[shown[i]]);
		/* The trend's colour of the rate, as on the pages. */
		for (int k = 0; k < CHART_TREND_SERIES; k++)
			if (trend_rates[k] == shown[i]) {
				lxw_chart_fill fill = {.color = chart_series_colors[k]};
				chart_series_set_fill(se, &fill);
			}
	}
	chart_title_set_name(ch, title);
	chart_axis_set_num_format(ch->y_axis, "0%");
	chart_axis_set_min(ch->y_axis, 0);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	double n = (double)(last - first + 1), scale = n / 8 < 1 ? 1 : n / 8 > 4 ? 4 : n / 8;
	lxw_chart_options o = {.x_scale = scale, .y_scale = 1.25};
	wb_check(w, s->name, worksheet_insert_chart_opt(s->ws, at, 0, ch, &o));
	wb_drawing(s, at, 0, 0, (int)(CHART_W * scale), (int)(CHART_H * 1.25));
	return (int)(CHART_W * scale);
}

/* The funnel PNG of sitecharts beside the chart (code: the branch's, NULL for the bank). It is
 * drawn at twice its size with a pHYs chunk of 192 dpi, which libxlsxwriter reads: it shows at
 * its logical size unscaled. */
static void funnel_image(wb_sheet_t *s, const char *dir, const char *code, lxw_row_t at, int x)
{
	wb_t *w = s->w;
	char rel[OUTTREE_PATH_MAX];
	char *path = path_join(dir, outtree_path(rel, sizeof rel, OUTTREE_FUNNEL_PNG, 0, code));
	lxw_image_options o = {.x_offset = x, .description = VOCAB_FUNNEL_TITLE};
	FILE *fp = fopen(path, "rb");
	unsigned char ihdr[24];
	if (!fp) {
		wb_fail(w, s->name, "cannot read the funnel chart %s: %s", path, strerror(errno));
	} else {
		wb_check(w, s->name, worksheet_insert_image_opt(s->ws, at, 0, path, &o));
		/* Its size for the print area: the PNG's IHDR, halved as 192 dpi shows at 96. */
		if (fread(ihdr, 1, sizeof ihdr, fp) == sizeof ihdr) {
			unsigned pw =
			    (unsigned)ihdr[16] << 24 | ihdr[17] << 16 | ihdr[18] << 8 | ihdr[19];
			unsigned ph =
			    (unsigned)ihdr[20] << 24 | ihdr[21] << 16 | ihdr[22] << 8 | ihdr[23];
			if (pw < 1u << 16 && ph < 1u << 16)
				wb_drawing(s, at, 0, x, (int)pw / 2, (int)ph / 2);
		}
		fclose(fp);
	}
	free(path);
}

static void sheet_summary(wb_book_t *w, int nvillages)
{
	const indicators_t *ind = w->ind;
	const char *h[SUM_COLS];
	char heading[512], sub[256], month[F], asof[F];
	summary_headers(h);
	snprintf(heading, sizeof heading, "%s %s 整村授信汇总", scope_name(w),
	         format_month_cn(month, sizeof month, ind->month));
	snprintf(sub, sizeof sub,
	         "数据截至 %s · 金额单位：元 · 比率空白表示分母为 0 · 由 cundang 生成",
	         format_date(asof, sizeof asof, ind->as_of));
	wb_sheet_t s;
	wb_table_t t = {.name = "汇总",
	                .heading = heading,
	                .subheading = sub,
	                .headers = h,
	                .ncols = SUM_COLS,
	                .freeze_cols = 1,
	                .rows = w->b < 0 ? ind->nbranches : 1};
	wb_sheet_open(&w->w, &s, &t);
	lxw_row_t first = s.row;
	if (w->b < 0) {
		for (int i = 0; i < ind->nbranches; i++) {
			branch_row(&s, &ind->model->site, &ind->branches[i]);
			wb_next_row(&s);
		}
		lxw_row_t last = s.row - 1;
		wb_total_row(&s);
		wb_text(&s, 0, w->is_union ? VOCAB_UNION_TOTAL : "全行合计");
		wb_blank(&s, 1);
		int col = put_figure_sums(&s, SUM_FIG, &ind->bank, first, last);
		wb_sum(&s, col++, WK_COUNT, first, last, ind->villages_total);
		wb_sum(&s, col++, WK_COUNT, first, last, ind->villages_passed);
		wb_rate(&s, col++, ind->acceptance_rate);
		if (ind->has_target) {
			wb_sum(&s, col++, WK_COUNT, first, last, (double)ind->target_granted);
			wb_rate(&s, col++, ind->target_rate);
		}
		for (int c = col; c < SUM_COLS; c++)
			wb_blank(&s, c); /* the rule of the total row runs to the last column */
		wb_next_row(&s);
	} else {
		branch_row(&s, &ind->model->site, &ind->branches[w->b]);
		wb_next_row(&s);
		wb_end_data(&s);
	}
	flag_rates(&s, &w->ind->model->site, SUM_FIG + NCOUNTS + NAMOUNTS, first, s.row - 1);
	lxw_row_t at = s.row + 1;
	int x = 0;
	if (w->b < 0 && ind->nbranches > 0)
		x = rate_bars(&s, "汇总", first, first + (lxw_row_t)ind->nbranches - 1, 0,
		              SUM_FIG + NCOUNTS + NAMOUNTS,
		              w->is_union ? "各" VOCAB_UNION_MEMBERS "授信覆盖率与用信率"
		                          : "各支行授信覆盖率与用信率",
		              at);
	else if (w->b >= 0 && nvillages > 0)
		x = rate_bars(&s, "村级指标", 1, (lxw_row_t)nvillages, 1, 6 + NCOUNTS + NAMOUNTS,
		              "各村授信覆盖率与用信率", at);
	if (!w->is_union) /* a union draws no PNG charts */
		funnel_image(&s, w->dir,
		             w->b < 0 ? NULL : ind->model->site.branches[site_branch(w)].code, at,
		             x ? x + 24 : 0);
	wb_sheet_close(&s);
}

/* ---- 村级指标 ---- */

enum { VIL_FIG = 6, VIL_COLS = VIL_FIG + NFIGURES };

static void sheet_villages(wb_book_t *w, int nvillages)
{
	const indicators_t *ind = w->ind;
	const model_t *m = ind->model;
	const char *h[VIL_COLS] = {"村代码", "村名", "乡镇", "支行", "等级", "类别"};
	figure_headers(h, VIL_FIG);
	wb_sheet_t s;
	wb_table_t t = {.name = "村级指标",
	                .headers = h,
	                .ncols = VIL_COLS,
	                .freeze_cols = 2,
	                .rows = nvillages};
	wb_sheet_open(&w->w, &s, &t);
	lxw_row_t first = s.row;
	for (int i = 0; i < ind->nvillages; i++) {
		const village_ind_t *vi = &ind->villages[i];
		if (!village_in(w, vi))
			continue;
		const village_t *v = &m->villages[vi->village];
		char grade[2] = {v->grade, 0};
		wb_text(&s, 0, v->code);
		wb_text(&s, 1, v->name);
		wb_text(&s, 2, v->township);
		wb_text(&s, 3, m->site.branches[v->branch].name);
		wb_text(&s, 4, grade);
		wb_text(&s, 5, vocab_grade_label(v->grade));
		put_figures(&s, VIL_FIG, &vi->f);
		wb_next_row(&s);
	}
	lxw_row_t last = s.row - 1;
	wb_total_row(&s);
	wb_text(&s, 0, "合计");
	for (int c = 1; c < VIL_FIG; c++)
		wb_blank(&s, c);
	put_figure_sums(&s, VIL_FIG, scope_figures(w), first, last);
	wb_next_row(&s);
	flag_rates(&s, &w->ind->model->site, VIL_FIG + NCOUNTS + NAMOUNTS, first, s.row - 1);
	wb_sheet_close(&s);
}

/* ---- 验收 ---- */

static void sheet_acceptance(wb_book_t *w, int nvillages)
{
	const indicators_t *ind = w->ind;
	const model_t *m = ind->model;
	const site_t *site = &m->site;
	int ni = site->nindicators, nk = site->nchecks, ncols = 6 + 2 * ni + nk + 1;
	const char **h = xcalloc((size_t)ncols, sizeof *h);
	char(*names)[128] = xcalloc((size_t)(ni + nk) + 1, sizeof *names);
	static const char *const lead[6] = {"村代码", "村名", "支行", "等级", "得分", "验收结论"};
	int n = 0;
	for (; n < 6; n++)
		h[n] = lead[n];
	for (int i = 0; i < ni; i++) {
		const indicator_rule_t *r = &site->indicators[i];
		char pct[F];
		h[n++] = vocab_rate_label[r->rate];
		/* No space inside the brackets, unlike format_threshold: a narrower header. */
		snprintf(names[i], sizeof names[i], "%s达标（%s%s）", vocab_rate_label[r->rate],
		         r->is_max ? "≤" : "≥", format_pct(pct, sizeof pct, r->threshold));
		h[n++] = names[i];
	}
	for (int j = 0; j < nk; j++) {
		const check_rule_t *k = &site->checks[j];
		snprintf(names[ni + j], sizeof names[ni + j], "%s%s", k->label,
		         k->required ? "" : "（加分项）");
		h[n++] = names[ni + j];
	}
	h[n++] = "未达标项";
	wb_sheet_t s;
	wb_table_t t = {
	    .name = "验收", .headers = h, .ncols = ncols, .freeze_cols = 2, .rows = nvillages};
	wb_sheet_open(&w->w, &s, &t);
	lxw_row_t first = s.row;
	for (int i = 0; i < ind->nvillages; i++) {
		const village_ind_t *vi = &ind->villages[i];
		if (!village_in(w, vi))
			continue;
		const village_t *v = &m->villages[vi->village];
		char grade[2] = {v->grade, 0}, failed[1024];
		bool started = vi->verdict != VERDICT_NOT_STARTED;
		wb_text(&s, 0, v->code);
		wb_text(&s, 1, v->name);
		wb_text(&s, 2, site->branches[v->branch].name);
		wb_text(&s, 3, grade);
		wb_num(&s, 4, WK_SCORE, vi->score_rounded);
		wb_text(&s, 5, vocab_verdict_label(vi->verdict));
		int col = 6;
		for (int k = 0; k < ni; k++) {
			/* A village not started is not judged: its rates are left empty and its
			 * items read 未启动, as on the branch page. */
			if (started)
				wb_num(&s, col++, WK_RATE2, vi->f.rate[site->indicators[k].rate]);
			else
				wb_blank(&s, col++);
			wb_text(&s, col++,
			        !started     ? vocab_verdict_label(VERDICT_NOT_STARTED)
			        : vi->met[k] ? VOCAB_MET
			                     : VOCAB_UNMET);
		}
		for (int j = 0; j < nk; j++)
			wb_text(&s, col++, v->checks[j] ? VOCAB_DONE : VOCAB_NOT_DONE);
		view_failed_labels(ind, vi, failed, sizeof failed);
		wb_text(&s, col, failed);
		wb_next_row(&s);
	}
	lxw_row_t last = s.row - 1;
	wb_flag_text(&s, 5, first, last, vocab_verdict_label(VERDICT_FAIL), true);
	wb_flag_text(&s, 5, first, last, vocab_verdict_label(VERDICT_PASS), false);
	for (int k = 0; k < ni; k++) {
		wb_flag_rule(&s, 6 + 2 * k, first, last, site->indicators[k].is_max,
		             site->indicators[k].threshold);
		wb_flag_text(&s, 7 + 2 * k, first, last, VOCAB_UNMET, true);
	}
	for (int j = 0; j < nk; j++)
		if (site->checks[j].required)
			wb_flag_text(&s, 6 + 2 * ni + j, first, last, VOCAB_NOT_DONE, true);
	wb_sheet_close(&s);
	free(names);
	free(h);
}

/* ---- 客户经理 ---- */

/* The names of the branches where the bank's manager k has households, "、" between them. */
static void manager_branch_names(const indicators_t *ind, int k, buf_t *out)
{
	const site_t *site = &ind->model->site;
	buf_clear(out);
	for (int j = ind->manager_branch_at[k]; j < ind->manager_branch_at[k + 1]; j++) {
		if (j > ind->manager_branch_at[k])
			buf_adds(out, "、");
		buf_adds(out, site->branches[ind->branches[ind->manager_branches[j]].branch].name);
	}
}

/* A branch workbook ranks its branch's managers; the summary the bank's (SPEC §6: a name is one
 * manager across branches), with a 支行 column saying where each has households. */
static void sheet_managers(wb_book_t *w)
{
	const indicators_t *ind = w->ind;
	const bool bank = w->b < 0;
	const int c0 = bank ? 3 : 2; /* the first figure's column */
	const char *h[12] = {"名次", vocab_hh_column[HC_MANAGER].cn[0], "支行"};
	const char *figs[] = {vocab_count_label[1],         vocab_count_label[4],
	                      vocab_count_label[6],         vocab_count_label[7],
	                      vocab_count_label[8],         vocab_amount_label[1],
	                      vocab_rate_label[RATE_VISIT], vocab_rate_label[RATE_SIGNING],
	                      vocab_rate_label[RATE_USAGE]};
	for (int i = 0; i < 9; i++)
		h[c0 + i] = figs[i];
	const int ncols = c0 + 9;
	const manager_ind_t *mg = bank ? ind->managers : ind->branches[w->b].managers;
	const int *ranked = bank ? ind->ranked : ind->branches[w->b].ranked;
	int nm = bank ? ind->nmanagers : ind->branches[w->b].nmanagers;
	wb_sheet_t s;
	wb_table_t t = {
	    .name = VOCAB_MANAGER, .headers = h, .ncols = ncols, .freeze_cols = 2, .rows = nm};
	wb_sheet_open(&w->w, &s, &t);
	lxw_row_t first = s.row;
	buf_t names = {0};
	/* In the branch pages' order (indicators_rank_managers): 未分配 last and unranked. */
	for (int i = 0; i < nm; i++) {
		const manager_ind_t *x = &mg[ranked[i]];
		const char *name = ind->model->managers[x->manager];
		if (strcmp(name, MODEL_UNASSIGNED) != 0)
			wb_count(&s, 0, i + 1);
		else
			wb_text(&s, 0, "—");
		wb_text(&s, 1, name);
		if (bank) {
			manager_branch_names(ind, ranked[i], &names);
			wb_text(&s, 2, names.data);
		}
		wb_count(&s, c0, x->listed);
		wb_count(&s, c0 + 1, x->visited);
		wb_count(&s, c0 + 2, x->granted);
		wb_count(&s, c0 + 3, x->signed_);
		wb_count(&s, c0 + 4, x->used);
		wb_fen(&s, c0 + 5, x->balance_total);
		wb_rate(&s, c0 + 6, x->visit_rate);
		wb_rate(&s, c0 + 7, x->signing_rate);
		wb_rate(&s, c0 + 8, x->usage_rate);
		wb_next_row(&s);
	}
	buf_free(&names);
	/* Every household has one manager (未分配 included), so the managers' sums are the
	 * scope's figures; the rates of the total row are left out because a manager's visit
	 * rate counts listed households, the bank's the registered ones (SPEC §6). */
	lxw_row_t last = s.row - 1;
	const counts_t *c = &scope_figures(w)->c;
	wb_total_row(&s);
	wb_blank(&s, 0);
	wb_text(&s, 1, "合计");
	for (int col = 2; col < c0; col++)
		wb_blank(&s, col);
	wb_sum(&s, c0, WK_COUNT, first, last, (double)c->listed);
	wb_sum(&s, c0 + 1, WK_COUNT, first, last, (double)c->visited);
	wb_sum(&s, c0 + 2, WK_COUNT, first, last, (double)c->granted);
	wb_sum(&s, c0 + 3, WK_COUNT, first, last, (double)c->signed_);
	wb_sum(&s, c0 + 4, WK_COUNT, first, last, (double)c->used);
	wb_sum(&s, c0 + 5, WK_AMOUNT, first, last, (double)c->balance_total / 100.0);
	for (int col = c0 + 6; col < ncols; col++)
		wb_blank(&s, col);
	wb_next_row(&s);
	wb_sheet_close(&s);
}

/* ---- 趋势 ---- */

/* Writes the counts and rates of one trend point from col. */
static void trend_cells(wb_sheet_t *s, int col, const trend_point_t *t)
{
	const int64_t c[5] = {t->visited, t->archived, t->granted, t->signed_, t->used};
	const double r[5] = {t->visit_rate, t->archive_rate, t->credit_coverage, t->signing_rate,
	                     t->usage_rate};
	wb_month(s, col++, t->month);
	for (int i = 0; i < 5; i++)
		wb_count(s, col++, c[i]);
	for (int i = 0; i < 5; i++)
		wb_rate(s, col++, r[i]);
}

/* Writes the threshold of rate r (site.yaml's; an empty cell without one) at col: the chart's
 * dashed line reads it from the sheet, like every series. */
static void threshold_cell(wb_sheet_t *s, int col, const site_t *site, rate_t r)
{
	const indicator_rule_t *rule = config_rule(site, r);
	wb_rate(s, col, rule ? rule->threshold : NAN);
}

/* Chart titles are fixed texts: libxlsxwriter reads a title that starts with "=" as a cell
 * reference, and names come from the archive. */
static lxw_chart *line_chart(wb_book_t *w, const char *title)
{
	lxw_chart *ch = workbook_add_chart(w->w.wb, LXW_CHART_LINE);
	if (!ch)
		return NULL;
	chart_title_set_name(ch, title);
	chart_axis_set_num_format(ch->y_axis, "0%");
	chart_axis_set_min(ch->y_axis, 0);
	chart_axis_set_num_format(ch->x_axis, "yyyy-mm");
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
	/* Light grid, as on the pages, so the dashed thresholds on round values stay visible. */
	lxw_chart_line grid = {.color = 0xE3E3E3, .width = 0.75};
	chart_axis_major_gridlines_set_line(ch->y_axis, &grid);
	return ch;
}

/* The bank's twelve months, and a line chart of its five rates. */
static void trend_bank(wb_book_t *w)
{
	const site_t *site = &w->ind->model->site;
	const char *h[16] = {"月份"};
	char rule_names[5][64];
	for (int i = 0; i < 5; i++) {
		h[1 + i] = vocab_trend_label[i];
		h[6 + i] = vocab_rate_label[trend_rates[i]];
		snprintf(rule_names[i], sizeof rule_names[i], "%s" VOCAB_TARGET,
		         vocab_rate_label[trend_rates[i]]);
		h[11 + i] = rule_names[i];
	}
	wb_sheet_t s;
	wb_table_t t = {
	    .name = "趋势", .headers = h, .ncols = 16, .freeze_cols = 1, .rows = TREND_MONTHS};
	wb_sheet_open(&w->w, &s, &t);
	lxw_row_t first = s.row;
	for (int i = 0; i < TREND_MONTHS; i++) {
		trend_cells(&s, 0, &w->ind->trend[i]);
		for (int k = 0; k < 5; k++)
			threshold_cell(&s, 11 + k, site, trend_rates[k]);
		wb_next_row(&s);
	}
	lxw_row_t last = s.row - 1;
	lxw_chart *ch = line_chart(w, w->is_union ? "汇总近12个月趋势" : "全行近12个月趋势");
	for (int i = 0; ch && i < 5; i++) {
		lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
		if (!se)
			continue;
		chart_series_set_categories(se, "趋势", first, 0, last, 0);
		chart_series_set_values(se, "趋势", first, (lxw_col_t)(6 + i), last,
		                        (lxw_col_t)(6 + i));
		chart_series_set_name_range(se, "趋势", 0, (lxw_col_t)(6 + i));
		style_series(se, i);
	}
	for (int i = 0; ch && i < 5; i++)
		if (config_rule(site, trend_rates[i]))
			threshold_series(ch, "趋势", first, last, 0, 11 + i);
	lxw_chart_options o = {.x_scale = 1.5, .y_scale = 1.25};
	if (ch) {
		wb_check(&w->w, s.name, worksheet_insert_chart_opt(s.ws, last + 2, 0, ch, &o));
		wb_drawing(&s, last + 2, 0, 0, (int)(CHART_W * 1.5), (int)(CHART_H * 1.25));
	}
	wb_sheet_close(&s);
}

/* A branch has no trend of its own in the indicators (SPEC §6 gives one for the bank and for
 * each village, and a renderer does not add figures up), so a branch workbook lists each of
 * its villages' twelve months, one block per village, and charts the villages' usage rate
 * (用信率, the goal of the campaign's second stage), one line per village — while there are
 * few enough villages for the lines to be told apart; otherwise a note says so. */
/* Adds the 用信率 of rows first..last of 趋势 as a line named by the 村名 cell of row first. */
/* Line k of the chart (k < 0: the branch's own) with the pages' series colours in turn, dashed
 * from the sixth village on so that no two lines look alike; the branch's line is the pages'
 * 用信率 colour, thicker. */
static void trend_series(lxw_chart *ch, lxw_row_t first, lxw_row_t last, int k)
{
	lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
	if (!se)
		return;
	chart_series_set_categories(se, "趋势", first, 2, last, 2);
	chart_series_set_values(se, "趋势", first, 12, last, 12);
	chart_series_set_name_range(se, "趋势", first, 1);
	if (k < 0) {
		style_series(se, 4);
		lxw_chart_line line = {.color = chart_series_colors[4], .width = 3.5};
		chart_series_set_line(se, &line);
		return;
	}
	style_series(se, k % CHART_TREND_SERIES);
	if (k >= CHART_TREND_SERIES) {
		lxw_chart_line line = {.color = chart_series_colors[k % CHART_TREND_SERIES],
		                       .width = 2.25,
		                       .dash_type = LXW_CHART_LINE_DASH_DASH};
		chart_series_set_line(se, &line);
	}
}

/* A branch workbook's 趋势: 12 months of each village, then of the whole branch (村名
 * 全支行), with a line chart of the usage rate: every village and the branch up to
 * TREND_CHART_VILLAGES villages, the branch alone above. */
static void trend_villages(wb_book_t *w, int nvillages)
{
	const indicators_t *ind = w->ind;
	const model_t *m = ind->model;
	const char *h[14] = {"村代码", "村名", "月份"};
	for (int i = 0; i < 5; i++) {
		h[3 + i] = vocab_trend_label[i];
		h[8 + i] = vocab_rate_label[trend_rates[i]];
	}
	char rule_name[64];
	snprintf(rule_name, sizeof rule_name, "%s" VOCAB_TARGET, vocab_rate_label[RATE_USAGE]);
	h[13] = rule_name;
	const indicator_rule_t *rule = config_rule(&m->site, RATE_USAGE);
	int nlines = 0;
	wb_sheet_t s;
	wb_table_t t = {.name = "趋势",
	                .headers = h,
	                .ncols = 14,
	                .freeze_cols = 3,
	                .rows = (int64_t)(nvillages + 1) * TREND_MONTHS};
	wb_sheet_open(&w->w, &s, &t);
	bool each = nvillages <= TREND_CHART_VILLAGES;
	lxw_chart *ch = line_chart(w, each ? "各村用信率近12个月趋势" : "全支行用信率近12个月趋势");
	for (int i = 0; i < ind->nvillages; i++) {
		const village_ind_t *vi = &ind->villages[i];
		if (!village_in(w, vi))
			continue;
		const village_t *v = &m->villages[vi->village];
		lxw_row_t first = s.row;
		for (int k = 0; k < TREND_MONTHS; k++) {
			wb_text(&s, 0, v->code);
			wb_text(&s, 1, v->name);
			trend_cells(&s, 2, &vi->trend[k]);
			threshold_cell(&s, 13, &m->site, RATE_USAGE);
			wb_next_row(&s);
		}
		if (ch && each)
			trend_series(ch, first, s.row - 1, nlines++);
	}
	const branch_ind_t *br = &ind->branches[w->b];
	lxw_row_t first = s.row;
	for (int k = 0; k < TREND_MONTHS; k++) {
		wb_text(&s, 0, m->site.branches[br->branch].code);
		wb_text(&s, 1, "全支行");
		trend_cells(&s, 2, &br->trend[k]);
		threshold_cell(&s, 13, &m->site, RATE_USAGE);
		wb_next_row(&s);
	}
	if (ch)
		trend_series(ch, first, s.row - 1, -1);
	if (ch && rule)
		threshold_series(ch, "趋势", first, s.row - 1, 2, 13);
	wb_end_data(&s);
	if (ch) {
		lxw_chart_options o = {.x_scale = 1.5, .y_scale = 1.25};
		wb_check(&w->w, s.name, worksheet_insert_chart_opt(s.ws, 1, 15, ch, &o));
		wb_drawing(&s, 1, 15, 0, (int)(CHART_W * 1.5), (int)(CHART_H * 1.25));
	}
	if (!each) {
		char note[256];
		s.row++;
		snprintf(note, sizeof note,
		         "本支行有 %d 个村，超过 %d "
		         "个村时折线图只画全支行；请按村代码筛选查看各村趋势。",
		         nvillages, TREND_CHART_VILLAGES);
		wb_note(&s, 0, note);
	}
	wb_sheet_close(&s);
}

/* ---- 数据质量 ---- */

static bool finding_in(const wb_book_t *w, const finding_t *f)
{
	const model_t *m = w->ind->model;
	if (!indicators_finding_selected(w->ind, f))
		return false;
	return w->b < 0 || (f->village >= 0 && m->villages[f->village].branch == site_branch(w));
}

static void sheet_quality(wb_book_t *w)
{
	const model_t *m = w->ind->model;
	const char *h[] = {"文件", "行号", "列", "级别", "代码", "说明"};
	int64_t n = 0;
	for (int i = 0; i < m->nfindings; i++)
		n += finding_in(w, &m->findings[i]);
	/* One sheet, never split: past Excel's last row the rest are counted in a note that
	 * points to the CSV, which holds every finding. */
	int64_t rows = cap_sheet_rows(n, 0);
	wb_sheet_t s;
	wb_table_t t = {.name = VOCAB_QUALITY_TITLE, .headers = h, .ncols = 6, .rows = rows};
	wb_sheet_open(&w->w, &s, &t);
	lxw_row_t first = s.row;
	int64_t written = 0;
	for (int i = 0; i < m->nfindings && written < rows; i++) {
		const finding_t *f = &m->findings[i];
		if (!finding_in(w, f))
			continue;
		wb_text(&s, 0, f->file);
		if (f->line > 0)
			wb_num(&s, 1, WK_NUMBER, f->line);
		wb_text(&s, 2, f->column);
		wb_text(&s, 3, vocab_severity_label(f->severity));
		wb_text(&s, 4, f->code);
		wb_text(&s, 5, f->message);
		wb_next_row(&s);
		written++;
	}
	if (n == 0)
		wb_note(&s, 0, "本期没有数据质量问题。");
	else
		wb_flag_text(&s, 3, first, s.row - 1, vocab_severity_label(SEV_ERROR), true);
	if (written < n) {
		char note[256 + OUTTREE_PATH_MAX], more[32], all[32];
		snprintf(note, sizeof note,
		         "另有 %s 条未列出（已达 Excel 行数上限）；全部 %s 条见 %s。",
		         format_count(more, sizeof more, n - written),
		         format_count(all, sizeof all, n), w->findings_csv);
		wb_note(&s, 0, note);
	}
	wb_sheet_close(&s);
}

/* ---- 户表 and 贷款 (branch workbooks) ---- */

static const char *yes_no(bool b)
{
	return b ? VOCAB_YES : VOCAB_NO;
}

/* What each_household() calls for every household of the workbook's villages, in village
 * then file order: hi indexes model.households. */
typedef void (*household_fn)(void *ctx, const wb_book_t *w, const village_t *v, int hi);

static void each_household(const wb_book_t *w, household_fn fn, void *ctx)
{
	const indicators_t *ind = w->ind;
	for (int i = 0; i < ind->nvillages; i++) {
		if (!village_in(w, &ind->villages[i]))
			continue;
		const village_t *v = &ind->model->villages[ind->villages[i].village];
		for (int k = 0; k < v->nhouseholds; k++)
			fn(ctx, w, v, v->first_household + k);
	}
}

static void count_household(void *ctx, const wb_book_t *w, const village_t *v, int hi)
{
	(void)w, (void)v, (void)hi;
	++*(int64_t *)ctx;
}

static void count_loans(void *ctx, const wb_book_t *w, const village_t *v, int hi)
{
	(void)v;
	*(int64_t *)ctx += w->ind->model->households[hi].nloans;
}

static void household_row(void *ctx, const wb_book_t *w, const village_t *v, int hi)
{
	wb_sheet_t *s = ctx;
	const indicators_t *ind = w->ind;
	const household_t *x = &ind->model->households[hi];
	const bool mask = ind->model->site.mask_workbooks;
	uint8_t st = ind->hh_status[hi];
	char t[256];
	wb_room(s);
	wb_text(s, 0, v->code);
	wb_text(s, 1, v->name);
	wb_text(s, 2, x->id);
	wb_text(s, 3, mask ? format_mask_name(t, sizeof t, x->name) : x->name);
	wb_text(s, 4, mask ? format_mask_id(t, sizeof t, x->id_number) : x->id_number);
	wb_text(s, 5, mask ? format_mask_phone(t, sizeof t, x->phone) : x->phone);
	wb_text(s, 6, vocab_segment_label(x->segment));
	wb_text(s, 7, x->grid);
	wb_text(s, 8, x->manager && x->manager[0] ? x->manager : MODEL_UNASSIGNED);
	if (x->members >= 0)
		wb_num(s, 9, WK_NUMBER, x->members);
	wb_text(s, 10, yes_no(x->migrant));
	wb_date(s, 11, x->visited_on);
	wb_date(s, 12, x->archived_on);
	if (x->credit_line)
		wb_fen(s, 13, x->credit_line);
	wb_date(s, 14, x->granted_on);
	wb_date(s, 15, x->signed_on);
	wb_text(s, 16, yes_no(st & HH_VISITED));
	wb_text(s, 17, yes_no(st & HH_ARCHIVED));
	wb_text(s, 18, yes_no(st & HH_GRANTED));
	wb_text(s, 19, yes_no(st & HH_SIGNED));
	wb_text(s, 20, yes_no(st & HH_USED));
	wb_text(s, 21, yes_no(st & HH_OVERDUE));
	wb_fen(s, 22, ind->hh_balance[hi]);
	wb_text(s, 23, x->negative_reason);
	wb_next_row(s);
}

/* The loans of one household, in ledger order. */
static void loan_rows(void *ctx, const wb_book_t *w, const village_t *v, int hi)
{
	wb_sheet_t *s = ctx;
	const indicators_t *ind = w->ind;
	const model_t *m = ind->model;
	const household_t *x = &m->households[hi];
	for (int l = 0; l < x->nloans; l++) {
		int li = m->loan_order[x->first_loan + l];
		const loan_t *ln = &m->loans[li];
		wb_room(s);
		wb_text(s, 0, v->code);
		wb_text(s, 1, x->id);
		wb_text(s, 2, ln->id);
		wb_text(s, 3, ln->product);
		wb_fen(s, 4, ln->amount);
		wb_date(s, 5, ln->disbursed_on);
		wb_date(s, 6, ln->due_on);
		wb_date(s, 7, ln->settled_on);
		wb_fen(s, 8, ln->balance);
		wb_num(s, 9, WK_NUMBER, ln->overdue_days);
		wb_text(s, 10, ln->online ? VOCAB_CHANNEL_ONLINE : "线下");
		wb_text(s, 11, yes_no(ind->loan_outstanding[li])); /* at D */
		wb_next_row(s);
	}
}

/* A sheet with one row per household (户表) or per loan (贷款) of the workbook's villages. */
static void sheet_rows(wb_book_t *w, wb_table_t *t, household_fn count, household_fn rows)
{
	each_household(w, count, &t->rows);
	wb_sheet_t s;
	wb_sheet_open(&w->w, &s, t);
	each_household(w, rows, &s);
	wb_sheet_close(&s);
}

static void sheet_households(wb_book_t *w)
{
#define HC(c) vocab_hh_column[c].cn[0]
	/* The head of household is headed 户主 here, the shorter of the two names a file may use.
	 */
	const char *h[] = {"村代码",
	                   "村名",
	                   HC(HC_ID),
	                   vocab_hh_column[HC_NAME].cn[1],
	                   HC(HC_IDNUM),
	                   HC(HC_PHONE),
	                   HC(HC_SEGMENT),
	                   HC(HC_GRID),
	                   HC(HC_MANAGER),
	                   HC(HC_MEMBERS),
	                   HC(HC_MIGRANT),
	                   HC(HC_VISITED),
	                   HC(HC_ARCHIVED),
	                   HC(HC_CREDIT),
	                   HC(HC_GRANTED),
	                   HC(HC_SIGNED),
	                   vocab_household_label[VOCAB_HH_VISITED],
	                   vocab_household_label[VOCAB_HH_ARCHIVED],
	                   vocab_household_label[VOCAB_HH_GRANTED],
	                   vocab_household_label[VOCAB_HH_SIGNED],
	                   vocab_household_label[VOCAB_HH_USED],
	                   "逾期",
	                   vocab_amount_label[1],
	                   HC(HC_NEGATIVE)};
#undef HC
	wb_table_t t = {.name = "户表",
	                .headers = h,
	                .ncols = (int)(sizeof h / sizeof *h),
	                .freeze_cols = 4,
	                .id_cols = "A:F"};
	sheet_rows(w, &t, count_household, household_row);
}

static void sheet_loans(wb_book_t *w)
{
#define LC(c) vocab_loan_column[c].cn[0]
	const char *h[] = {"村代码",       LC(LC_HOUSEHOLD), LC(LC_ID),      LC(LC_PRODUCT),
	                   LC(LC_AMOUNT),  LC(LC_DISBURSED), LC(LC_DUE),     LC(LC_SETTLED),
	                   LC(LC_BALANCE), LC(LC_OVERDUE),   LC(LC_CHANNEL), "在贷"};
#undef LC
	wb_table_t t = {.name = "贷款",
	                .headers = h,
	                .ncols = (int)(sizeof h / sizeof *h),
	                .freeze_cols = 3,
	                .id_cols = "A:C"};
	sheet_rows(w, &t, count_loans, loan_rows);
}

void wb_write_sheets(wb_book_t *w)
{
	int nvillages = count_villages(w);
	if (w->is_union) {
		sheet_summary(w, nvillages);
		trend_bank(w);
		return;
	}
	sheet_summary(w, nvillages);
	sheet_villages(w, nvillages);
	sheet_acceptance(w, nvillages);
	sheet_managers(w);
	if (w->b < 0)
		trend_bank(w);
	else
		trend_villages(w, nvillages);
	sheet_quality(w);
	if (w->b >= 0) {
		sheet_households(w);
		sheet_loans(w);
	}
	wb_write_guide(w);
}
