/* view.h — the data each page template receives (templates/README.md): json-c objects built
 * from the computed indicators, with every figure formatted and every personal field masked. */
#ifndef CUNDANG_VIEW_H
#define CUNDANG_VIEW_H

#include <json-c/json.h>

#include "compute/indicators.h"
#include "compute/tasks.h"
#include "outtree.h"

/* A workbook of an earlier month kept in the output (SPEC §7 keeps other months' files). */
typedef struct {
	int32_t month; /* yyyymm */
	int branch;    /* index into site.branches; -1 for the summary workbook */
} view_old_workbook_t;

/* What the views need beyond the indicators of the report month. */
typedef struct {
	const indicators_t *ind;      /* report month */
	const indicators_cmp_t *cmp;  /* the month before, for the reports' comparison */
	const tasks_t *tasks;         /* the managers' work lists, as ind->branches */
	const int32_t *report_months; /* yyyymm of every report in the output, newest first */
	int nreport_months;
	const char *const *workbooks; /* output-relative paths of the workbooks, or NULL */
	int nworkbooks;
	/* Earlier months' workbooks in the output, newest month first, each month's summary
	 * before its branches (in code order); NULL when there are none. */
	const view_old_workbook_t *old_workbooks;
	int nold_workbooks;
	/* A union (cundang rollup): per position in ind->branches, the link from the union's root
	 * to the member bank's output folder ("../banks/hb/", URL-encoded), or NULL when the bank
	 * was read from a document alone. NULL for a bank's own site. */
	const char *const *member_sites;
} view_ctx_t;

/* Each returns a new object the caller releases with json_object_put(). Indices are
 * positions in ind->branches / ind->villages. Safe to call from several threads. */
json_object *view_index(const view_ctx_t *c);
json_object *view_branch(const view_ctx_t *c, int b);
json_object *view_village(const view_ctx_t *c, int v);
json_object *view_report(const view_ctx_t *c, int b); /* b < 0: the bank's report */
json_object *view_quality(const view_ctx_t *c);
json_object *view_villages(const view_ctx_t *c); /* villages.html */
json_object *view_guide(const view_ctx_t *c);    /* guide.html, 指标说明 */
/* The page of manager position k of branch position b (tasks.branches[b].managers[k]). */
json_object *view_manager(const view_ctx_t *c, int b, int k);
/* A union's pages (view_union.c): index.html and reports/YYYY-MM/index.html. */
json_object *view_union_index(const view_ctx_t *c);
json_object *view_union_report(const view_ctx_t *c);
/* One finding as pages list it: file, line, column, severity (key, label, class), code,
 * message. */
json_object *view_finding_row(const finding_t *f);

/* Adds has_<key> (true when not empty) beside every list of o, recursively, so templates
 * can show a table or its empty line (Mustache cannot test a list without iterating it). */
void view_add_flags(json_object *o);

/* ---- shared by view.c, view_village.c and view_manager.c ---- */

/* Where a household of status st (HH_* bits) stands, as a label (已签约) and a CSS class. */
const char *view_status_label(uint8_t st);
const char *view_status_class(uint8_t st);

/* {page:{title, root}, site:{...}, nav:{...}} for the page `page` (an .html kind of outtree.h),
 * whose links are relative to where it is. */
json_object *view_page(const view_ctx_t *c, const char *title, outtree_file_t page);
void view_add_str(json_object *o, const char *key, const char *value);
/* Whose figures a page shows, for the marks on its indicator cards. */
typedef enum {
	VIEW_VILLAGE,     /* a started village: each card met or unmet, as its verdict counts it */
	VIEW_NOT_STARTED, /* a village not started: not assessed, no mark */
	VIEW_AGGREGATE,   /* a branch or the bank: a rate that has no denominator reads 无数据 */
} view_scope_t;

/* Cards, counts, amounts, funnel and segments of f; change (NULL: none shown) is each rate's
 * change since the month before (indicators_cmp_t). */
void view_add_figures(json_object *o, const indicators_t *ind, const figures_t *f,
                      view_scope_t scope, const double *change);
json_object *view_trend(const trend_point_t *t);
json_object *view_rate(const indicators_t *ind, rate_t r, double value);
/* "签约率、村级对接会": labels of a village's failed items; "" when none. */
void view_failed_labels(const indicators_t *ind, const village_ind_t *vi, char *out, size_t n);
/* "授信覆盖率 79.4%（目标 ≥ 80.0%，差 0.6 个百分点）；村级对接会（未完成）": each failed item with
 * its value against its threshold and the gap; "" when none. */
void view_failed_details(const indicators_t *ind, const village_ind_t *vi, char *out, size_t n);

#endif
