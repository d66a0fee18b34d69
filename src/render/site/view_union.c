/* view_union.c — page data of a union's site (cundang rollup, SPEC §8): the overview and the
 * monthly report of the member banks, with links into each member's own site when known. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "render/site/view.h"
#include "vocab.h"

#define F 64

static void add_count(json_object *o, const char *key, int64_t v)
{
	char s[F];
	view_add_str(o, key, format_count(s, sizeof s, v));
}

static void add_pct(json_object *o, const char *key, double r)
{
	char s[F];
	view_add_str(o, key, format_pct(s, sizeof s, r));
}

/* A page of the union: no quality page or village directory in a union, so no link to one. */
static json_object *union_page(const view_ctx_t *c, const char *title, outtree_file_t from)
{
	json_object *o = view_page(c, title, from);
	json_object_object_del(json_object_object_get(o, "nav"), "quality");
	json_object_object_del(json_object_object_get(o, "nav"), "villages");
	/* Nor a 指标说明: each member bank's site.yaml sets its own thresholds. */
	json_object_object_del(json_object_object_get(o, "nav"), "guide");
	return o;
}

/* A member bank's row on page `from`: every rate of SPEC §6 and its acceptance, and the links
 * to its overview and report when its site is known. */
static json_object *member_row(const view_ctx_t *c, int i, outtree_file_t from)
{
	const indicators_t *ind = c->ind;
	const branch_ind_t *br = &ind->branches[i];
	const branch_t *b = &ind->model->site.branches[br->branch];
	const counts_t *k = &br->f.c;
	json_object *o = json_object_new_object();
	char buf[OUTTREE_PATH_MAX + 4096], s[F];
	view_add_str(o, "code", b->code);
	view_add_str(o, "name", b->name);
	const char *dir = c->member_sites ? c->member_sites[i] : NULL;
	view_add_str(o, "href",
	             dir ? outtree_link_other(buf, sizeof buf, from, dir, OUTTREE_INDEX, 0) : "");
	view_add_str(
	    o, "report_href",
	    dir ? outtree_link_other(buf, sizeof buf, from, dir, OUTTREE_REPORT, ind->month) : "");
	add_count(o, "households_total", k->households_total);
	add_count(o, "granted", k->granted);
	add_count(o, "used", k->used);
	view_add_str(o, "credit_total", format_wan(s, sizeof s, k->credit_total));
	view_add_str(o, "balance_total", format_wan(s, sizeof s, k->balance_total));
	json_object *rates = json_object_new_array();
	for (int r = 0; r < RATE_COUNT; r++) {
		json_object *x = view_rate(ind, (rate_t)r, br->f.rate[r]);
		view_add_str(x, "key", vocab_rate_key[r]);
		json_object_array_add(rates, x);
		json_object_object_add(o, vocab_rate_key[r], json_object_get(x));
	}
	json_object_object_add(o, "rates", rates);
	add_count(o, "villages_total", br->villages_total);
	add_count(o, "villages_passed", br->villages_passed);
	add_pct(o, "acceptance_rate", br->acceptance_rate);
	if (b->has_target)
		add_count(o, "target_granted", b->target_granted);
	else
		view_add_str(o, "target_granted", "—");
	add_pct(o, "target_rate", br->target_rate);
	return o;
}

/* The rate labels, for the members table's heading. */
static json_object *rate_heads(void)
{
	json_object *a = json_object_new_array();
	for (int r = 0; r < RATE_COUNT; r++) {
		json_object *x = json_object_new_object();
		view_add_str(x, "key", vocab_rate_key[r]);
		view_add_str(x, "label", vocab_rate_label[r]);
		json_object_array_add(a, x);
	}
	return a;
}

static json_object *members(const view_ctx_t *c, outtree_file_t from)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < c->ind->nbranches; i++)
		json_object_array_add(a, member_row(c, i, from));
	return a;
}

/* The union's own figures: cards, counts, amounts, funnel and acceptance. */
static json_object *union_figures(const indicators_t *ind)
{
	json_object *u = json_object_new_object();
	view_add_str(u, "name", ind->model->site.bank);
	view_add_figures(u, ind, &ind->bank, VIEW_AGGREGATE, NULL);
	add_count(u, "members", ind->nbranches);
	add_count(u, "villages_total", ind->villages_total);
	add_count(u, "villages_passed", ind->villages_passed);
	add_pct(u, "acceptance_rate", ind->acceptance_rate);
	json_object_object_add(u, "has_target", json_object_new_boolean(ind->has_target));
	add_count(u, "target_granted", ind->target_granted);
	add_pct(u, "target_rate", ind->target_rate);
	return u;
}

json_object *view_union_index(const view_ctx_t *c)
{
	const indicators_t *ind = c->ind;
	char title[300], s[F], buf[OUTTREE_PATH_MAX];
	snprintf(title, sizeof title, "%s 整村授信", ind->model->site.bank);
	json_object *o = union_page(c, title, OUTTREE_INDEX);
	json_object_object_add(o, "union", union_figures(ind));
	json_object_object_add(o, "rate_heads", rate_heads());
	json_object_object_add(o, "members", members(c, OUTTREE_INDEX));
	json_object_object_add(o, "trend", view_trend(ind->trend));
	json_object *reports = json_object_new_array();
	for (int i = 0; i < c->nreport_months; i++) {
		json_object *r = json_object_new_object();
		view_add_str(r, "month_cn", format_month_cn(s, sizeof s, c->report_months[i]));
		view_add_str(r, "href",
		             outtree_link(buf, sizeof buf, OUTTREE_INDEX, OUTTREE_REPORT,
		                          c->report_months[i], NULL));
		json_object_array_add(reports, r);
	}
	json_object_object_add(o, "reports", reports);
	json_object *files = json_object_new_object();
	view_add_str(files, "workbook",
	             outtree_path(buf, sizeof buf, OUTTREE_SUMMARY_WORKBOOK, ind->month, NULL));
	view_add_str(files, "data", outtree_path(buf, sizeof buf, OUTTREE_DATA, ind->month, NULL));
	json_object_object_add(o, "files", files);
	return o;
}

json_object *view_union_report(const view_ctx_t *c)
{
	const indicators_t *ind = c->ind;
	char title[400], month_cn[F];
	format_month_cn(month_cn, sizeof month_cn, ind->month);
	snprintf(title, sizeof title, VOCAB_REPORT_TITLE_FMT, ind->model->site.bank, month_cn);
	json_object *o = union_page(c, title, OUTTREE_REPORT);
	json_object *r = union_figures(ind);
	view_add_str(r, "title", title);
	view_add_str(r, "month_cn", month_cn);
	add_count(r, "villages_failed", ind->villages_failed);
	json_object_object_add(o, "report", r);
	json_object_object_add(o, "rate_heads", rate_heads());
	json_object_object_add(o, "members", members(c, OUTTREE_REPORT));
	return o;
}
