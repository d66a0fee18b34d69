/* view.c — page data for the index, branch, report and quality pages, and the pieces every
 * page shares (cards, counts, funnel, trend). Formats figures; never computes one. */
#include "render/site/view.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/config.h"
#include "compute/findsum.h"
#include "format.h"
#include "vocab.h"
#include "render/cap.h"
#include "render/site/template.h"

#define F 64 /* formatting buffer size */

void view_add_str(json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, json_object_new_string(value ? value : ""));
}

static void add_int(json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

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

/* A raw number for data-value / data-sort attributes: shortest round-trip text, "" for null. */
static void add_raw(json_object *o, const char *key, double v)
{
	char s[F] = "";
	if (!isnan(v)) {
		for (int digits = 15; digits <= 17; digits++) {
			snprintf(s, sizeof s, "%.*g", digits, v);
			if (strtod(s, NULL) == v)
				break;
		}
	}
	view_add_str(o, key, s);
}

json_object *view_rate(const indicators_t *ind, rate_t r, double value)
{
	const indicator_rule_t *rule = config_rule(&ind->model->site, r);
	json_object *o = json_object_new_object();
	bool met = !rule || indicators_rule_met(rule, value);
	char s[F];
	view_add_str(o, "value", format_pct_vs(s, sizeof s, value, rule, met));
	add_raw(o, "raw", value);
	view_add_str(o, "class", met ? "" : "unmet");
	return o;
}

/* The indicator cards. A village not started is not assessed (SPEC §6: no score), so its
 * cards carry no mark; a branch or the bank is not assessed either, and a rate it cannot
 * have (no village, nobody granted) reads 无数据 rather than 未达标. */
static json_object *cards(const indicators_t *ind, const figures_t *f, view_scope_t scope,
                          const double *change)
{
	json_object *a = json_object_new_array();
	for (int r = 0; r < RATE_COUNT; r++) {
		const indicator_rule_t *rule = config_rule(&ind->model->site, (rate_t)r);
		json_object *o = json_object_new_object();
		char th[F];
		format_threshold(th, sizeof th, rule);
		view_add_str(o, "key", vocab_rate_key[r]);
		view_add_str(o, "label", vocab_rate_label[r]);
		const char *cls = "na", *label = "—";
		bool met = true; /* no rule: nothing to meet, the plain one-decimal text */
		if (rule && scope == VIEW_NOT_STARTED) {
			label = vocab_verdict_label(VERDICT_NOT_STARTED);
		} else if (rule && scope == VIEW_AGGREGATE && isnan(f->rate[r]) && !rule->is_max) {
			label = VOCAB_NO_DATA;
		} else if (rule && (!isnan(f->rate[r]) || rule->is_max)) {
			met = indicators_rule_met(rule, f->rate[r]);
			cls = met ? "met" : "unmet";
			label = met ? VOCAB_MET : VOCAB_UNMET;
		} else if (rule) {
			met = false;
			cls = "unmet";
			label = VOCAB_UNMET;
		}
		char val[F];
		view_add_str(o, "value", format_pct_vs(val, sizeof val, f->rate[r], rule, met));
		add_raw(o, "raw", f->rate[r]);
		view_add_str(o, "threshold", th);
		json_object_object_add(o, "has_threshold", json_object_new_boolean(rule != NULL));
		view_add_str(o, "status_class", cls);
		view_add_str(o, "status_label", label);
		view_add_str(o, "formula", vocab_rate_formula_short[r]);
		/* The change since the month before, where both months have the rate; its colour
		 * says better or worse, which for a `max` rule (不良率) is the other way round. */
		if (change && !isnan(change[r])) {
			char ch[F];
			format_pp_change(ch, sizeof ch, change[r], true);
			json_object_object_add(o, "has_change", json_object_new_boolean(1));
			view_add_str(o, "change", ch);
			const char *dir = !strcmp(ch, VOCAB_FLAT) ? "flat"
			                  : !rule                 ? "neutral" /* not assessed */
			                  : (change[r] > 0) != rule->is_max ? "better"
			                                                    : "worse";
			view_add_str(o, "change_class", dir);
		}
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *counts(const figures_t *f)
{
	const counts_t *c = &f->c;
	const int64_t v[] = {
	    c->households_total,  c->listed,      c->negative, c->eligible, c->visited,
	    c->archived,          c->granted,     c->signed_,  c->used,     c->overdue,
	    c->loans_outstanding, c->loans_online};
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		json_object *o = json_object_new_object();
		view_add_str(o, "key", vocab_count_key[i]);
		view_add_str(o, "label", vocab_count_label[i]);
		add_count(o, "value", v[i]);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *amounts(const figures_t *f)
{
	const int64_t v[] = {f->c.credit_total, f->c.balance_total, f->c.npl_balance};
	json_object *a = json_object_new_array();
	for (int i = 0; i < 3; i++) {
		char s[F], w[F];
		json_object *o = json_object_new_object();
		view_add_str(o, "key", vocab_amount_key[i]);
		view_add_str(o, "label", vocab_amount_label[i]);
		view_add_str(o, "value", format_yuan(s, sizeof s, v[i]));
		/* "约 12.3万" beside the exact figure only where 万 says something shorter. */
		view_add_str(o, "wan", v[i] >= 1000000 ? format_wan(w, sizeof w, v[i]) : "");
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *funnel(const figures_t *f)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < FUNNEL_COUNT; i++) {
		json_object *o = json_object_new_object();
		view_add_str(o, "key", vocab_funnel_key[i]);
		view_add_str(o, "label", vocab_funnel_label[i]);
		add_count(o, "value", f->funnel[i]);
		add_pct(o, "share", f->funnel_share[i]);
		add_int(o, "width", format_width_pct(f->funnel_share[i]));
		json_object_array_add(a, o);
	}
	return a;
}

/* Granted households by segment; empty when nobody is granted. */
static json_object *segments(const figures_t *f)
{
	json_object *a = json_object_new_array();
	for (int s = 0; f->segments_total > 0 && s < SEG_COUNT; s++) {
		json_object *o = json_object_new_object();
		view_add_str(o, "key", vocab_segment_key((segment_t)s));
		view_add_str(o, "label", vocab_segment_label((segment_t)s));
		add_count(o, "value", f->segments[s]);
		add_pct(o, "share", f->segment_share[s]);
		json_object_array_add(a, o);
	}
	return a;
}

void view_add_figures(json_object *o, const indicators_t *ind, const figures_t *f,
                      view_scope_t scope, const double *change)
{
	json_object_object_add(o, "cards", cards(ind, f, scope, change));
	json_object_object_add(o, "counts", counts(f));
	json_object_object_add(o, "amounts", amounts(f));
	json_object_object_add(o, "funnel", funnel(f));
	json_object_object_add(o, "segments", segments(f));
}

/* Whether object o holds no list or object, so that no flag is to be added inside it. */
static bool flat(json_object *o)
{
	json_object_object_foreach(o, key, val)
	{
		(void)key;
		if (json_object_is_type(val, json_type_array) ||
		    json_object_is_type(val, json_type_object))
			return false;
	}
	return true;
}

void view_add_flags(json_object *o)
{
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(o, i);
			/* Table rows are flat objects of strings, thousands a page: nothing to do.
			 */
			if (json_object_is_type(e, json_type_object) && flat(e))
				continue;
			view_add_flags(e);
		}
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	/* Collect first: adding keys while iterating the object is not allowed. */
	const char *keys[64];
	int nkeys = 0;
	json_object_object_foreach(o, key, val)
	{
		if (json_object_is_type(val, json_type_array) && nkeys < 64)
			keys[nkeys++] = key;
		view_add_flags(val);
	}
	for (int i = 0; i < nkeys; i++) {
		char flag[128];
		json_object *arr = json_object_object_get(o, keys[i]);
		snprintf(flag, sizeof flag, "has_%s", keys[i]);
		json_object_object_add(o, flag,
		                       json_object_new_boolean(template_list_length(arr) > 0));
	}
}

json_object *view_trend(const trend_point_t *t)
{
	json_object *a = json_object_new_array();
	for (int s = 0; s < TREND_MONTHS; s++) {
		char m[F];
		json_object *o = json_object_new_object();
		view_add_str(o, "month", format_month(m, sizeof m, t[s].month));
		add_count(o, "visited", t[s].visited);
		add_count(o, "archived", t[s].archived);
		add_count(o, "granted", t[s].granted);
		add_count(o, "signed", t[s].signed_);
		add_count(o, "used", t[s].used);
		add_pct(o, "visit_rate", t[s].visit_rate);
		add_pct(o, "archive_rate", t[s].archive_rate);
		add_pct(o, "credit_coverage", t[s].credit_coverage);
		add_pct(o, "signing_rate", t[s].signing_rate);
		add_pct(o, "usage_rate", t[s].usage_rate);
		/* 较上月 of each rate, compact, beside it in the trend tables. */
		static const char *const ch_key[TREND_RATES] = {"visit_change", "archive_change",
		                                                "coverage_change", "signing_change",
		                                                "usage_change"};
		for (int k = 0; k < TREND_RATES; k++)
			if (!isnan(t[s].change[k]))
				view_add_str(o, ch_key[k],
				             format_pp_change(m, sizeof m, t[s].change[k], false));
		json_object_array_add(a, o);
	}
	return a;
}

json_object *view_page(const view_ctx_t *c, const char *title, outtree_file_t from)
{
	const indicators_t *ind = c->ind;
	const char *root = outtree_root(from);
	char month[F], month_cn[F], asof[F], buf[OUTTREE_PATH_MAX];
	format_month(month, sizeof month, ind->month);
	format_month_cn(month_cn, sizeof month_cn, ind->month);
	format_date(asof, sizeof asof, ind->as_of);
	json_object *o = json_object_new_object();

	json_object *page = json_object_new_object();
	view_add_str(page, "title", title);
	view_add_str(page, "root", root);
	json_object_object_add(o, "page", page);

	json_object *site = json_object_new_object();
	view_add_str(site, "bank", ind->model->site.bank);
	view_add_str(site, "month", month);
	view_add_str(site, "month_cn", month_cn);
	view_add_str(site, "as_of", asof);
	/* --as-of a day before the month's end: the month's figures are progress, not its result.
	 */
	if (ind->as_of != value_month_end(ind->month))
		json_object_object_add(site, "in_progress", json_object_new_boolean(1));
	snprintf(buf, sizeof buf, "数据截至 %s · 由 cundang 生成", asof);
	view_add_str(site, "generated", buf);
	json_object_object_add(o, "site", site);

	json_object *nav = json_object_new_object();
	view_add_str(nav, "home", outtree_link(buf, sizeof buf, from, OUTTREE_INDEX, 0, NULL));
	view_add_str(nav, "quality", outtree_link(buf, sizeof buf, from, OUTTREE_QUALITY, 0, NULL));
	view_add_str(nav, "villages",
	             outtree_link(buf, sizeof buf, from, OUTTREE_VILLAGE_LIST, 0, NULL));
	view_add_str(nav, "guide", outtree_link(buf, sizeof buf, from, OUTTREE_GUIDE, 0, NULL));
	view_add_str(nav, "report",
	             outtree_link(buf, sizeof buf, from, OUTTREE_REPORT, ind->month, NULL));
	json_object_object_add(o, "nav", nav);
	json_object_object_add(o, "charts", json_object_new_object());
	return o;
}

void view_failed_labels(const indicators_t *ind, const village_ind_t *vi, char *out, size_t n)
{
	const site_t *site = &ind->model->site;
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < vi->nfailed && len < n; i++) {
		int k = vi->failed[i];
		const char *label = k >= 0 ? vocab_rate_label[site->indicators[k].rate]
		                           : site->checks[-1 - k].label;
		int w = snprintf(out + len, n - len, "%s%s", i ? "、" : "", label);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* A gap in percentage points to one decimal, as the rates beside it; a gap that would read
 * 0.0 gets two decimals, one that would read 0.00 reads <0.01. */
static char *gap_text(char *out, size_t n, double gap)
{
	double pp = gap * 100;
	if (pp >= 0.05)
		snprintf(out, n, "%.1f", pp);
	else if (pp >= 0.005)
		snprintf(out, n, "%.2f", pp);
	else
		snprintf(out, n, "<0.01");
	return out;
}

void view_failed_details(const indicators_t *ind, const village_ind_t *vi, char *out, size_t n)
{
	const site_t *site = &ind->model->site;
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < vi->nfailed && len < n; i++) {
		int k = vi->failed[i];
		char item[256];
		if (k >= 0) {
			const indicator_rule_t *rule = &site->indicators[k];
			char v[F], t[F], g[F];
			double rate = vi->f.rate[rule->rate];
			format_pct_vs(v, sizeof v, rate, rule, false);
			format_threshold(t, sizeof t, rule);
			if (isnan(rate))
				snprintf(item, sizeof item, "%s %s（目标 %s）",
				         vocab_rate_label[rule->rate], VOCAB_NO_DATA, t);
			else
				snprintf(item, sizeof item, "%s %s（目标 %s，%s %s 个百分点）",
				         vocab_rate_label[rule->rate], v, t,
				         rule->is_max ? "超" : "差",
				         gap_text(g, sizeof g, vi->gap[k]));
		} else {
			snprintf(item, sizeof item, "%s（%s）", site->checks[-1 - k].label,
			         VOCAB_NOT_DONE);
		}
		int w = snprintf(out + len, n - len, "%s%s", i ? "；" : "", item);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* ---- rows shared by index, branch and report pages ---- */

/* The rates of a table row; a village not started (assessed false) is measured against no
 * threshold, so its rates carry no ✗ and no unmet colour (SPEC §6: it is not assessed). */
static void add_rates(json_object *o, const indicators_t *ind, const figures_t *f, bool assessed)
{
	static const rate_t shown[] = {RATE_VISIT,   RATE_ARCHIVE, RATE_COVERAGE,
	                               RATE_SIGNING, RATE_USAGE,   RATE_NPL};
	for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
		double v = f->rate[shown[i]];
		json_object *r = view_rate(ind, shown[i], v);
		if (!assessed) {
			char s[F];
			view_add_str(r, "value", format_pct(s, sizeof s, v));
			view_add_str(r, "class", "not-assessed");
		}
		json_object_object_add(o, vocab_rate_key[shown[i]], r);
	}
}

/* A branch row on page `from`, whose links are relative to it. */
static json_object *branch_row(const indicators_t *ind, const branch_ind_t *br, outtree_file_t from)
{
	const branch_t *b = &ind->model->site.branches[br->branch];
	json_object *o = json_object_new_object();
	char buf[300];
	view_add_str(o, "code", b->code);
	view_add_str(o, "name", b->name);
	view_add_str(o, "href", outtree_link(buf, sizeof buf, from, OUTTREE_BRANCH, 0, b->code));
	view_add_str(
	    o, "report_href",
	    outtree_link(buf, sizeof buf, from, OUTTREE_BRANCH_REPORT, ind->month, b->code));
	add_count(o, "households_total", br->f.c.households_total);
	add_rates(o, ind, &br->f, true);
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

/* A village row on page `from`; prev (may be NULL) is the same village a month earlier and
 * delta its score's change since. */
static json_object *village_row(const indicators_t *ind, const village_ind_t *vi,
                                const village_ind_t *prev, double delta, outtree_file_t from)
{
	const model_t *m = ind->model;
	const village_t *v = &m->villages[vi->village];
	json_object *o = json_object_new_object();
	char buf[1024], s[F];
	char grade[2] = {v->grade, 0};
	view_add_str(o, "code", v->code);
	view_add_str(o, "name", v->name);
	view_add_str(o, "township", v->township);
	view_add_str(o, "branch_name", m->site.branches[v->branch].name);
	view_add_str(o, "grade", grade);
	view_add_str(o, "grade_label", vocab_grade_label(v->grade));
	view_add_str(o, "href", outtree_link(buf, sizeof buf, from, OUTTREE_VILLAGE, 0, v->code));
	add_count(o, "households_total", vi->f.c.households_total);
	add_rates(o, ind, &vi->f, vi->verdict != VERDICT_NOT_STARTED);
	view_add_str(o, "score", format_score(s, sizeof s, vi->score_rounded));
	view_add_str(o, "score_data", isnan(vi->score_rounded) ? "" : s);
	add_raw(o, "score_raw", vi->score_rounded);
	view_add_str(o, "verdict", vocab_verdict_key(vi->verdict));
	view_add_str(o, "verdict_label", vocab_verdict_label(vi->verdict));
	view_add_str(o, "verdict_class", vocab_verdict_class(vi->verdict));
	view_failed_labels(ind, vi, buf, sizeof buf);
	view_add_str(o, "failed_labels", buf);
	if (prev) {
		view_add_str(o, "prev_score", format_score(s, sizeof s, prev->score_rounded));
		view_add_str(o, "prev_verdict_label", vocab_verdict_label(prev->verdict));
		if (!isnan(delta))
			snprintf(s, sizeof s, "%+.2f", delta);
		else
			snprintf(s, sizeof s, "—");
		view_add_str(o, "score_delta", s);
	} else {
		view_add_str(o, "prev_score", "—");
		view_add_str(o, "prev_verdict_label", "—");
		view_add_str(o, "score_delta", "—");
	}
	return o;
}

/* ---- index ---- */

json_object *view_index(const view_ctx_t *c)
{
	const indicators_t *ind = c->ind;
	char title[300], s[F], buf[300];
	snprintf(title, sizeof title, "%s 整村授信", ind->model->site.bank);
	json_object *o = view_page(c, title, OUTTREE_INDEX);
	json_object *bank = json_object_new_object();
	view_add_str(bank, "name", ind->model->site.bank);
	view_add_figures(bank, ind, &ind->bank, VIEW_AGGREGATE,
	                 c->cmp ? c->cmp->bank_change : NULL);
	add_count(bank, "villages_total", ind->villages_total);
	add_count(bank, "villages_passed", ind->villages_passed);
	add_pct(bank, "acceptance_rate", ind->acceptance_rate);
	json_object_object_add(bank, "has_target", json_object_new_boolean(ind->has_target));
	add_count(bank, "target_granted", ind->target_granted);
	add_pct(bank, "target_rate", ind->target_rate);
	json_object_object_add(o, "bank", bank);

	json_object *branches = json_object_new_array();
	for (int i = 0; i < ind->nbranches; i++)
		json_object_array_add(branches, branch_row(ind, &ind->branches[i], OUTTREE_INDEX));
	json_object_object_add(o, "branches", branches);
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

	json_object *workbooks = json_object_new_array();
	for (int i = 0; i < c->nworkbooks; i++) {
		json_object *w = json_object_new_object();
		/* workbook_paths() lists the summary, then the branches in ind->branches order. */
		const char *slash = strrchr(c->workbooks[i], '/'),
		           *file = slash ? slash + 1 : c->workbooks[i];
		const char *who = i == 0 ? VOCAB_SUMMARY_WORKBOOK
		                  : i - 1 < ind->nbranches
		                      ? ind->model->site.branches[ind->branches[i - 1].branch].name
		                      : "";
		snprintf(buf, sizeof buf, "%s（%s）", who, file);
		view_add_str(w, "label", buf);
		view_add_str(w, "href", c->workbooks[i]);
		json_object_array_add(workbooks, w);
	}
	json_object_object_add(o, "workbooks", workbooks);

	/* Earlier months' workbooks, one line a month. */
	json_object *old_months = json_object_new_array();
	for (int i = 0; i < c->nold_workbooks;) {
		int32_t ym = c->old_workbooks[i].month;
		json_object *mo = json_object_new_object(), *files = json_object_new_array();
		view_add_str(mo, "month_cn", format_month_cn(s, sizeof s, ym));
		for (; i < c->nold_workbooks && c->old_workbooks[i].month == ym; i++) {
			int bi = c->old_workbooks[i].branch;
			const branch_t *b = bi >= 0 ? &ind->model->site.branches[bi] : NULL;
			json_object *w = json_object_new_object();
			view_add_str(w, "label", b ? b->name : VOCAB_SUMMARY_WORKBOOK);
			view_add_str(
			    w, "href",
			    outtree_link(buf, sizeof buf, OUTTREE_INDEX,
			                 b ? OUTTREE_BRANCH_WORKBOOK : OUTTREE_SUMMARY_WORKBOOK, ym,
			                 b ? b->code : NULL));
			json_object_array_add(files, w);
		}
		json_object_object_add(mo, "files", files);
		json_object_array_add(old_months, mo);
	}
	json_object_object_add(o, "old_workbooks", old_months);

	json_object *q = json_object_new_object();
	add_count(q, "errors", ind->errors);
	add_count(q, "warnings", ind->warnings);
	view_add_str(q, "href",
	             outtree_link(buf, sizeof buf, OUTTREE_INDEX, OUTTREE_QUALITY, 0, NULL));
	json_object_object_add(o, "quality", q);
	return o;
}

/* ---- branch ---- */

/* The name households without a manager are grouped under (SPEC §6). */
static bool unassigned(const model_t *m, const manager_ind_t *x)
{
	return !strcmp(m->managers[x->manager], MODEL_UNASSIGNED);
}

/* The ranking of branch position bi's managers (computed: indicators_rank_managers), each
 * linking to its page. */
static json_object *managers(const view_ctx_t *c, int bi)
{
	const indicators_t *ind = c->ind;
	const branch_ind_t *br = &ind->branches[bi];
	const char *code = ind->model->site.branches[br->branch].code;
	json_object *a = json_object_new_array();
	for (int i = 0; i < br->nmanagers; i++) {
		int k = br->ranked[i];
		const manager_ind_t *mg = &br->managers[k];
		json_object *o = json_object_new_object();
		char s[F], mcode[OUTTREE_PATH_MAX], href[OUTTREE_PATH_MAX];
		/* A manager's position in br->managers is its position in the work lists. */
		const task_manager_t *tm = &c->tasks->branches[bi].managers[k];
		outtree_manager_code(mcode, sizeof mcode, code, tm->key);
		view_add_str(o, "href",
		             outtree_link(href, sizeof href, OUTTREE_BRANCH, OUTTREE_MANAGER,
		                          ind->month, mcode));
		if (unassigned(ind->model, mg))
			view_add_str(o, "rank", "—"); /* last: it is nobody */
		else
			add_int(o, "rank", i + 1);
		view_add_str(o, "name", ind->model->managers[mg->manager]);
		add_count(o, "listed", mg->listed);
		add_count(o, "visited", mg->visited);
		add_count(o, "granted", mg->granted);
		add_count(o, "signed", mg->signed_);
		add_count(o, "used", mg->used);
		view_add_str(o, "balance", format_wan(s, sizeof s, mg->balance_total));
		add_pct(o, "visit_rate", mg->visit_rate);
		add_pct(o, "signing_rate", mg->signing_rate);
		add_pct(o, "usage_rate", mg->usage_rate);
		json_object_array_add(a, o);
	}
	return a;
}

json_object *view_branch(const view_ctx_t *c, int bi)
{
	const indicators_t *ind = c->ind;
	const branch_ind_t *br = &ind->branches[bi];
	const branch_t *b = &ind->model->site.branches[br->branch];
	char title[300], buf[300];
	snprintf(title, sizeof title, "%s 整村授信", b->name);
	json_object *o = view_page(c, title, OUTTREE_BRANCH);
	json_object *bo = json_object_new_object();
	view_add_str(bo, "code", b->code);
	view_add_str(bo, "name", b->name);
	view_add_figures(bo, ind, &br->f, VIEW_AGGREGATE,
	                 c->cmp ? c->cmp->branch_change[bi] : NULL);
	add_count(bo, "villages_total", br->villages_total);
	add_count(bo, "villages_passed", br->villages_passed);
	add_pct(bo, "acceptance_rate", br->acceptance_rate);
	if (b->has_target)
		add_count(bo, "target_granted", b->target_granted);
	else
		view_add_str(bo, "target_granted", "—");
	add_pct(bo, "target_rate", br->target_rate);
	view_add_str(bo, "report_href",
	             outtree_link(buf, sizeof buf, OUTTREE_BRANCH, OUTTREE_BRANCH_REPORT,
	                          ind->month, b->code));
	view_add_str(bo, "workbook_href",
	             outtree_link(buf, sizeof buf, OUTTREE_BRANCH, OUTTREE_BRANCH_WORKBOOK,
	                          ind->month, b->code));
	json_object_object_add(o, "branch", bo);

	json_object *villages = json_object_new_array();
	for (int i = 0; i < ind->nvillages; i++) {
		const village_ind_t *vi = &ind->villages[i];
		if (ind->model->villages[vi->village].branch == br->branch)
			json_object_array_add(villages,
			                      village_row(ind, vi, NULL, NAN, OUTTREE_BRANCH));
	}
	json_object_object_add(o, "villages", villages);
	json_object_object_add(o, "managers", managers(c, bi));
	view_add_str(bo, "tasks_href",
	             outtree_link(buf, sizeof buf, OUTTREE_BRANCH, OUTTREE_TASKS_WORKBOOK,
	                          ind->month, b->code));
	view_add_str(bo, "tasks_name",
	             outtree_path(buf, sizeof buf, OUTTREE_TASKS_WORKBOOK, ind->month, b->code));
	json_object_object_add(o, "trend", view_trend(br->trend));
	return o;
}

/* ---- acceptance report ---- */

static int cmp_closest(const void *a, const void *b, void *ctx)
{
	const indicators_t *ind = ctx;
	const village_ind_t *x = &ind->villages[*(const int *)a],
	                    *y = &ind->villages[*(const int *)b];
	if (x->nfailed != y->nfailed)
		return x->nfailed - y->nfailed;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(ind->model->villages[x->village].code, ind->model->villages[y->village].code);
}

json_object *view_report(const view_ctx_t *c, int bi)
{
	const indicators_t *ind = c->ind;
	const indicators_cmp_t *cmp = c->cmp;
	const indicators_t *prev = cmp ? &cmp->prev : NULL;
	const model_t *m = ind->model;
	const branch_ind_t *br = bi >= 0 ? &ind->branches[bi] : NULL;
	const branch_ind_t *pbr = bi >= 0 && prev ? &prev->branches[bi] : NULL;
	const char *name = br ? m->site.branches[br->branch].name : m->site.bank;
	char title[400], month_cn[F], prev_cn[F], s[F];
	format_month_cn(month_cn, sizeof month_cn, ind->month);
	format_month_cn(prev_cn, sizeof prev_cn, prev ? prev->month : 0);
	snprintf(title, sizeof title, VOCAB_REPORT_TITLE_FMT, name, month_cn);
	/* The bank's report and a branch's sit in the same folder. */
	json_object *o = view_page(c, title, OUTTREE_REPORT);
	json_object *r = json_object_new_object();
	view_add_str(r, "title", title);
	view_add_str(r, "scope", br ? "branch" : "bank");
	json_object_object_add(r, "is_bank", json_object_new_boolean(br == NULL));
	view_add_str(r, "name", name);
	view_add_str(r, "month_cn", month_cn);
	view_add_str(r, "prev_month_cn", prev_cn);
	/* Back to the page the report sums up: the branch's page, or the bank's overview. */
	char back[OUTTREE_PATH_MAX];
	if (br)
		outtree_link(back, sizeof back, OUTTREE_BRANCH_REPORT, OUTTREE_BRANCH, ind->month,
		             m->site.branches[br->branch].code);
	else
		outtree_link(back, sizeof back, OUTTREE_REPORT, OUTTREE_INDEX, ind->month, NULL);
	view_add_str(r, "back_href", back);
	view_add_str(r, "back_label", br ? "支行页面" : "全行总览");

	json_object *failed = json_object_new_array(), *pass = json_object_new_array(),
	            *waiting = json_object_new_array();
	int *fail_at = xmalloc(((size_t)ind->nvillages + 1) * sizeof *fail_at), nfail = 0;
	for (int i = 0; i < ind->nvillages; i++) {
		const village_ind_t *vi = &ind->villages[i];
		if (br && m->villages[vi->village].branch != br->branch)
			continue;
		if (vi->verdict == VERDICT_FAIL) {
			fail_at[nfail++] = i;
			continue;
		}
		int pp = cmp ? cmp->prev_pos[i] : -1;
		json_object *row = village_row(ind, vi, pp >= 0 ? &prev->villages[pp] : NULL,
		                               cmp ? cmp->score_delta[i] : NAN, OUTTREE_REPORT);
		json_object_array_add(vi->verdict == VERDICT_PASS ? pass : waiting, row);
	}
	/* The villages closest to passing first: fewest unmet items, then the highest score,
	 * then code; each unmet item with its value against its threshold. */
	qsort_r(fail_at, (size_t)nfail, sizeof *fail_at, cmp_closest, (void *)ind);
	for (int k = 0; k < nfail; k++) {
		int i = fail_at[k];
		const village_ind_t *vi = &ind->villages[i];
		int pp = cmp ? cmp->prev_pos[i] : -1;
		json_object *row = village_row(ind, vi, pp >= 0 ? &prev->villages[pp] : NULL,
		                               cmp ? cmp->score_delta[i] : NAN, OUTTREE_REPORT);
		char details[2048];
		view_failed_details(ind, vi, details, sizeof details);
		view_add_str(row, "failed_details", details);
		json_object_array_add(failed, row);
	}
	free(fail_at);
	add_count(r, "villages_total", br ? br->villages_total : ind->villages_total);
	add_count(r, "villages_passed", br ? br->villages_passed : ind->villages_passed);
	add_count(r, "villages_failed", br ? br->villages_failed : ind->villages_failed);
	add_count(r, "villages_not_started",
	          br ? br->villages_not_started : ind->villages_not_started);
	add_pct(r, "acceptance_rate", br ? br->acceptance_rate : ind->acceptance_rate);
	add_count(r, "prev_villages_passed",
	          pbr    ? pbr->villages_passed
	          : prev ? prev->villages_passed
	                 : 0);
	add_pct(r, "prev_acceptance_rate",
	        pbr    ? pbr->acceptance_rate
	        : prev ? prev->acceptance_rate
	               : NAN);
	snprintf(s, sizeof s, "%+d",
	         !cmp ? 0
	         : br ? cmp->delta_passed[bi]
	              : cmp->bank_delta_passed);
	view_add_str(r, "delta_passed", s);
	json_object_object_add(r, "cards",
	                       cards(ind, br ? &br->f : &ind->bank, VIEW_AGGREGATE,
	                             !cmp ? NULL
	                             : br ? cmp->branch_change[bi]
	                                  : cmp->bank_change));
	json_object *branches = json_object_new_array();
	for (int i = 0; br == NULL && i < ind->nbranches; i++)
		json_object_array_add(branches, branch_row(ind, &ind->branches[i], OUTTREE_REPORT));
	json_object_object_add(r, "branches", branches);
	json_object_object_add(r, "failed", failed);
	json_object_object_add(r, "passed", pass);
	json_object_object_add(r, "not_started", waiting);
	json_object *sig = json_object_new_object();
	view_add_str(sig, "prepared_by", "");
	view_add_str(sig, "reviewed_by", "");
	view_add_str(sig, "date", "");
	json_object_object_add(r, "signature", sig);
	json_object_object_add(o, "report", r);
	return o;
}

/* ---- quality ---- */

/* One finding as the quality page and the dossier list it. */
json_object *view_finding_row(const finding_t *f)
{
	json_object *x = json_object_new_object();
	add_int(x, "line", f->line);
	view_add_str(x, "file", f->file);
	view_add_str(x, "column", f->column ? f->column : "");
	view_add_str(x, "column_label", f->column_label ? f->column_label : "");
	view_add_str(x, "household_id", f->household_id);
	view_add_str(x, "loan_id", f->loan_id);
	view_add_str(x, "severity", vocab_severity_key(f->severity));
	view_add_str(x, "severity_label", vocab_severity_label(f->severity));
	view_add_str(x, "severity_class", vocab_severity_class(f->severity));
	view_add_str(x, "code", f->code);
	view_add_str(x, "code_label", vocab_finding_label(f->code));
	view_add_str(x, "message", f->message);
	return x;
}

json_object *view_villages(const view_ctx_t *c)
{
	const indicators_t *ind = c->ind;
	json_object *o = view_page(c, VOCAB_VILLAGE_LIST_TITLE, OUTTREE_VILLAGE_LIST);
	json_object *rows = json_object_new_array_ext(ind->nvillages);
	for (int i = 0; i < ind->nvillages; i++)
		json_object_array_add(
		    rows, village_row(ind, &ind->villages[i], NULL, NAN, OUTTREE_VILLAGE_LIST));
	json_object_object_add(o, "villages", rows);
	add_count(o, "villages_count", ind->nvillages);
	return o;
}

/* The 指标说明 page: each rate's formula with its threshold and weight in this site.yaml, the
 * checks, the pass score, what each count means and how score and verdict follow. */
json_object *view_guide(const view_ctx_t *c)
{
	const site_t *site = &c->ind->model->site;
	json_object *o = view_page(c, VOCAB_GUIDE_TITLE, OUTTREE_GUIDE);
	char s[F];
	json_object *rates = json_object_new_array();
	for (int r = 0; r < RATE_COUNT; r++) {
		const indicator_rule_t *rule = config_rule(site, (rate_t)r);
		json_object *x = json_object_new_object();
		view_add_str(x, "key", vocab_rate_key[r]);
		view_add_str(x, "label", vocab_rate_label[r]);
		view_add_str(x, "formula", vocab_rate_formula[r]);
		view_add_str(x, "rule", rule ? format_threshold(s, sizeof s, rule) : "不考核");
		if (rule)
			snprintf(s, sizeof s, "%g", rule->weight);
		view_add_str(x, "weight", rule ? s : "—");
		json_object_array_add(rates, x);
	}
	json_object_object_add(o, "rates", rates);
	json_object *checks = json_object_new_array();
	for (int i = 0; i < site->nchecks; i++) {
		json_object *x = json_object_new_object();
		view_add_str(x, "label", site->checks[i].label);
		snprintf(s, sizeof s, "%g", site->checks[i].weight);
		view_add_str(x, "weight", s);
		view_add_str(x, "required", site->checks[i].required ? VOCAB_YES : VOCAB_NO);
		json_object_array_add(checks, x);
	}
	json_object_object_add(o, "checks", checks);
	snprintf(s, sizeof s, "%g", site->pass_score);
	view_add_str(o, "pass_score", s);
	json_object *terms = json_object_new_array(), *rules = json_object_new_array();
	for (int i = 0; i < VOCAB_NGUIDE_TERMS; i++) {
		json_object *x = json_object_new_object();
		view_add_str(x, "term", vocab_guide_terms[i].term);
		view_add_str(x, "meaning", vocab_guide_terms[i].meaning);
		json_object_array_add(terms, x);
	}
	for (int i = 0; i < VOCAB_NGUIDE_RULES; i++) {
		json_object *x = json_object_new_object();
		view_add_str(x, "term", vocab_guide_rules[i].term);
		view_add_str(x, "meaning", vocab_guide_rules[i].meaning);
		json_object_array_add(rules, x);
	}
	json_object_object_add(o, "terms", terms);
	json_object_object_add(o, "rules", rules);
	json_object *grades = json_object_new_array();
	for (char g = 'A'; g <= 'C'; g++) {
		char gs[2] = {g, 0};
		json_object *x = json_object_new_object();
		view_add_str(x, "grade", gs);
		view_add_str(x, "label", vocab_grade_label(g));
		json_object_array_add(grades, x);
	}
	json_object_object_add(o, "grades", grades);
	return o;
}

/* A code's name, explanation and counts, as the quality page heads its lists. */
static json_object *code_head(const char *code, int64_t count, int64_t errors, int64_t warnings)
{
	json_object *x = json_object_new_object();
	view_add_str(x, "code", code);
	view_add_str(x, "label", vocab_finding_label(code));
	view_add_str(x, "explain", vocab_finding_explain(code));
	add_count(x, "count", count);
	add_count(x, "errors", errors);
	add_count(x, "warnings", warnings);
	return x;
}

/* The page's villages, each with its codes (the groups of findsum) and the first findings of
 * each. A group lists at most CAP_QUALITY_PER_GROUP, and the page at most CAP_QUALITY_ROWS,
 * given out in the page's order; so however many findings and villages, the page stays a few
 * hundred kilobytes, and a group past the budget still says how many it has. */
static json_object *quality_villages(const view_ctx_t *c)
{
	const indicators_t *ind = c->ind;
	const model_t *m = ind->model;
	const findsum_t *fs = ind->fsum;
	json_object **lists = xcalloc((size_t)fs->ngroups + 1, sizeof *lists);
	int64_t *room = xcalloc((size_t)fs->ngroups + 1, sizeof *room);
	int64_t budget = CAP_QUALITY_ROWS;
	for (int g = 0; g < fs->ngroups; g++) {
		room[g] = cap_shown(fs->groups[g].count, CAP_QUALITY_PER_GROUP);
		room[g] = room[g] < budget ? room[g] : budget;
		budget -= room[g];
		lists[g] = json_object_new_array_ext((int)room[g]);
	}
	for (int i = 0; i < m->nfindings; i++) {
		int g = fs->group_of[i];
		if (g < 0 || (int64_t)json_object_array_length(lists[g]) >= room[g])
			continue;
		json_object_array_add(lists[g], view_finding_row(&m->findings[i]));
	}
	json_object *villages = json_object_new_array();
	json_object *codes = NULL;
	char s[OUTTREE_PATH_MAX];
	for (int g = 0; g < fs->ngroups; g++) {
		const findsum_group_t *e = &fs->groups[g];
		if (g == 0 || e->village != fs->groups[g - 1].village) {
			json_object *v = json_object_new_object();
			if (e->village >= 0) {
				const village_t *vv = &m->villages[e->village];
				view_add_str(v, "name", vv->name);
				view_add_str(v, "code", vv->code);
				view_add_str(v, "branch", m->site.branches[vv->branch].name);
				view_add_str(v, "href",
				             outtree_link(s, sizeof s, OUTTREE_QUALITY,
				                          OUTTREE_VILLAGE, 0, vv->code));
				add_count(v, "count", fs->village_count[e->village]);
			} else {
				int64_t n = 0;
				for (int k = g; k < fs->ngroups; k++)
					n += fs->groups[k].count;
				view_add_str(v, "name", VOCAB_NO_VILLAGE);
				view_add_str(v, "code", "");
				view_add_str(v, "branch", "");
				view_add_str(v, "href", "");
				add_count(v, "count", n);
			}
			codes = json_object_new_array();
			json_object_object_add(v, "codes", codes);
			json_object_array_add(villages, v);
		}
		const findsum_entry_t *ce = &fs->codes[e->code];
		json_object *x = code_head(ce->key, e->count, e->errors, e->warnings);
		int64_t shown = (int64_t)json_object_array_length(lists[g]);
		add_count(x, "shown", shown);
		add_count(x, "more", e->count - shown);
		json_object_object_add(x, "capped", json_object_new_boolean(e->count > shown));
		json_object_object_add(x, "findings", lists[g]);
		json_object_array_add(codes, x);
	}
	free(lists);
	free(room);
	return villages;
}

/* The page summarises (SPEC §7): counts by code (with each code explained) and by file, then
 * by village and code the first findings of each and how many more; the CSV holds them all. */
json_object *view_quality(const view_ctx_t *c)
{
	const indicators_t *ind = c->ind;
	const findsum_t *fs = ind->fsum;
	json_object *o = view_page(c, VOCAB_QUALITY_TITLE, OUTTREE_QUALITY);
	json_object *q = json_object_new_object();
	char s[F];
	add_count(q, "errors", ind->errors);
	add_count(q, "warnings", ind->warnings);
	add_count(q, "total", fs->total);
	view_add_str(q, "csv_href", outtree_path(s, sizeof s, OUTTREE_FINDINGS, ind->month, NULL));
	json_object *files = json_object_new_array();
	for (int k = 0; k < fs->nfiles; k++) {
		json_object *x = json_object_new_object();
		view_add_str(x, "file", fs->files[k].key);
		add_count(x, "count", fs->files[k].count);
		add_count(x, "errors", fs->files[k].errors);
		json_object_array_add(files, x);
	}
	json_object_object_add(q, "files", files);
	json_object *codes = json_object_new_array();
	for (int j = 0; j < fs->ncodes; j++) {
		const findsum_entry_t *e = &fs->codes[j];
		json_object_array_add(codes, code_head(e->key, e->count, e->errors, e->warnings));
	}
	json_object_object_add(q, "codes", codes);
	json_object_object_add(q, "villages", quality_villages(c));
	json_object_object_add(o, "quality", q);
	return o;
}
