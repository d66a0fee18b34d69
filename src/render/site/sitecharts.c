/* sitecharts.c — the chart data of each page, taken from the computed indicators (counts,
 * rates, trend, segments) without deriving any figure, then drawn by chart.c. */
#include "render/site/sitecharts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render/chart/chart.h"
#include "read/config.h"
#include "format.h"
#include "outtree.h"

static const rate_t trend_rates[CHART_TREND_SERIES] = {RATE_VISIT, RATE_ARCHIVE, RATE_COVERAGE,
                                                       RATE_SIGNING, RATE_USAGE};

/* 总户数 → 走访 → 建档 → 授信 → 签约 → 用信, each step with its rate of SPEC §6. */
/* The charts' SVG ids (chart.h: "<prefix>-<n>", glyphs "<prefix>-g<n>"). A page holds one
 * chart of each kind at most, so a letter or two keeps them apart: a 400-household dossier
 * carries some 900 of them. */
#define CHART_ID_FUNNEL "cf"
#define CHART_ID_TREND "ct"
#define CHART_ID_SEGMENTS "cs"
#define CHART_ID_BARS "cb"
#define CHART_ID_SCORES "cc"

static int funnel(const figures_t *f, const char *title, const char *prefix, chart_format_t fmt,
                  buf_t *out, err_t *err)
{
	/* The rate beside each step is the one SPEC §6 defines for it; the first step has none. */
	static const rate_t rate_of[FUNNEL_COUNT] = {RATE_COUNT,    RATE_VISIT,   RATE_ARCHIVE,
	                                             RATE_COVERAGE, RATE_SIGNING, RATE_USAGE};
	chart_step_t steps[FUNNEL_COUNT];
	for (int i = 0; i < FUNNEL_COUNT; i++) {
		rate_t r = rate_of[i];
		steps[i] = (chart_step_t){.label = vocab_funnel_label[i],
		                          .value = f->funnel[i],
		                          .rate_label = r < RATE_COUNT ? vocab_rate_label[r] : NULL,
		                          .rate = r < RATE_COUNT ? f->rate[r] : NAN,
		                          .share = f->funnel_share[i]};
	}
	return chart_funnel(steps, FUNNEL_COUNT, title, prefix, fmt, out, err);
}

static int trend(const indicators_t *ind, const trend_point_t *t, const char *title,
                 const char *prefix, chart_format_t fmt, buf_t *out, err_t *err)
{
	char months[TREND_MONTHS][16];
	chart_month_t m[TREND_MONTHS];
	for (int s = 0; s < TREND_MONTHS; s++) {
		m[s].month = format_month(months[s], sizeof months[s], t[s].month);
		m[s].rate[0] = t[s].visit_rate;
		m[s].rate[1] = t[s].archive_rate;
		m[s].rate[2] = t[s].credit_coverage;
		m[s].rate[3] = t[s].signing_rate;
		m[s].rate[4] = t[s].usage_rate;
	}
	const char *labels[CHART_TREND_SERIES];
	double thresholds[CHART_TREND_SERIES];
	for (int i = 0; i < CHART_TREND_SERIES; i++) {
		const indicator_rule_t *r = config_rule(&ind->model->site, trend_rates[i]);
		labels[i] = vocab_rate_label[trend_rates[i]];
		thresholds[i] = r ? r->threshold : NAN;
	}
	return chart_trend(m, TREND_MONTHS, labels, thresholds, title, prefix, fmt, out, err);
}

static int segments(const figures_t *f, const char *title, const char *prefix, chart_format_t fmt,
                    buf_t *out, err_t *err)
{
	chart_slice_t s[SEG_COUNT];
	for (int i = 0; i < SEG_COUNT; i++) {
		s[i].label = vocab_segment_label((segment_t)i);
		s[i].value = f->segments[i];
		s[i].share = f->segment_share[i];
	}
	return chart_segments(s, SEG_COUNT, f->segments_total, title, prefix, fmt, out, err);
}

/* Bars of the bars rate: the villages of branch b, or the branches when b < 0. */
static int bars(const indicators_t *ind, int b, const char *title, const char *prefix,
                chart_format_t fmt, buf_t *out, err_t *err)
{
	const model_t *m = ind->model;
	int cap = (b < 0 ? ind->nbranches : ind->nvillages) + 1, n = 0;
	chart_bar_t *bar = xmalloc((size_t)cap * sizeof *bar);
	if (b < 0) {
		for (int i = 0; i < ind->nbranches; i++) {
			bar[n].label = m->site.branches[ind->branches[i].branch].name;
			bar[n].note = NULL;
			bar[n].mark = CHART_MARK_BY_RULE;
			bar[n++].value = ind->branches[i].f.rate[SITECHARTS_BARS_RATE];
		}
	} else {
		for (int i = 0; i < ind->nvillages; i++) {
			const village_ind_t *vi = &ind->villages[i];
			if (m->villages[vi->village].branch != ind->branches[b].branch)
				continue;
			/* A village not started is not assessed: no bar, 未启动 in its place. */
			bool started = vi->verdict != VERDICT_NOT_STARTED;
			bar[n].label = m->villages[vi->village].name;
			bar[n].note = started ? NULL : vocab_verdict_label(VERDICT_NOT_STARTED);
			bar[n].mark = CHART_MARK_BY_RULE;
			bar[n++].value = started ? vi->f.rate[SITECHARTS_BARS_RATE] : NAN;
		}
	}
	const indicator_rule_t *r = config_rule(&m->site, SITECHARTS_BARS_RATE);
	int rc = chart_bars(bar, n, r ? r->threshold : NAN, r ? r->is_max : 0, title, prefix, fmt,
	                    out, err);
	free(bar);
	return rc;
}

/* Bars of the acceptance scores (得分) against site.yaml's pass_score: the villages of branch b,
 * or of the whole selection when b < 0. SPEC §6 defines no score of a branch (a branch has
 * villages_passed and acceptance_rate, not a score), so the bank's chart compares villages
 * too. Each bar's colour is the village's verdict, which compute decided: a score above the
 * line still fails on an unmet indicator or a missing required check. */
static int scores(const indicators_t *ind, int b, const char *title, const char *prefix,
                  chart_format_t fmt, buf_t *out, err_t *err)
{
	const model_t *m = ind->model;
	chart_bar_t *bar = xmalloc((size_t)(ind->nvillages + 1) * sizeof *bar);
	int n = 0;
	for (int i = 0; i < ind->nvillages; i++) {
		const village_ind_t *vi = &ind->villages[i];
		if (b >= 0 && m->villages[vi->village].branch != ind->branches[b].branch)
			continue;
		bool started = vi->verdict != VERDICT_NOT_STARTED;
		bar[n].label = m->villages[vi->village].name;
		bar[n].note = started ? NULL : vocab_verdict_label(VERDICT_NOT_STARTED);
		bar[n].value = started ? vi->score_rounded : NAN;
		bar[n++].mark = !started                      ? CHART_MARK_BY_RULE
		                : vi->verdict == VERDICT_PASS ? CHART_MARK_PASS
		                                              : CHART_MARK_FAIL;
	}
	int rc = chart_scores(bar, n, m->site.pass_score, title, prefix, fmt, out, err);
	free(bar);
	return rc;
}

/* Removes the first occurrence of attr from the root tag of svg, in place. */
static void drop_attr(buf_t *svg, const char *attr)
{
	char *end = memchr(svg->data, '>', svg->len);
	char *at = strstr(svg->data, attr);
	if (!at || !end || at > end)
		return;
	size_t n = strlen(attr);
	memmove(at, at + n, svg->len - (size_t)(at - svg->data) - n + 1);
	svg->len -= n;
}

/* Stores a drawn SVG (rc = the drawing's status) as charts[key]; returns 1 or -1. Inline
 * SVG needs no namespace declarations (the HTML parser supplies them, xlink:href too), and
 * without them a page holds no http: text at all. */
static int put(json_object *charts, const char *key, buf_t *svg, int rc)
{
	if (rc == 0) {
		drop_attr(svg, " xmlns=\"http://www.w3.org/2000/svg\"");
		drop_attr(svg, " xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
		json_object_object_add(charts, key,
		                       json_object_new_string_len(svg->data, (int)svg->len));
	}
	buf_free(svg);
	return rc == 0 ? 1 : -1;
}

int sitecharts_village(json_object *charts, const indicators_t *ind, int pos, err_t *err)
{
	const village_ind_t *vi = &ind->villages[pos];
	buf_t b = {0};
	if (put(charts, "funnel", &b,
	        funnel(&vi->f, VOCAB_FUNNEL_TITLE, CHART_ID_FUNNEL, CHART_SVG_DUAL, &b, err)) < 0)
		return -1;
	if (put(charts, "trend", &b,
	        trend(ind, vi->trend, "近12个月趋势", CHART_ID_TREND, CHART_SVG_DUAL, &b, err)) < 0)
		return -1;
	if (put(charts, "segments", &b,
	        segments(&vi->f, "授信客群结构", CHART_ID_SEGMENTS, CHART_SVG_DUAL, &b, err)) < 0)
		return -1;
	return 3;
}

int sitecharts_branch(json_object *charts, const indicators_t *ind, int bi, err_t *err)
{
	const branch_ind_t *br = &ind->branches[bi];
	char title[128];
	buf_t b = {0};
	if (put(charts, "funnel", &b,
	        funnel(&br->f, VOCAB_FUNNEL_TITLE, CHART_ID_FUNNEL, CHART_SVG_DUAL, &b, err)) < 0)
		return -1;
	if (put(charts, "trend", &b,
	        trend(ind, br->trend, "近12个月趋势", CHART_ID_TREND, CHART_SVG_DUAL, &b, err)) < 0)
		return -1;
	snprintf(title, sizeof title, "各村%s", vocab_rate_label[SITECHARTS_BARS_RATE]);
	if (put(charts, "bars", &b, bars(ind, bi, title, CHART_ID_BARS, CHART_SVG_DUAL, &b, err)) <
	    0)
		return -1;
	if (put(charts, "scores", &b,
	        scores(ind, bi, "各村" VOCAB_SCORE_TITLE, CHART_ID_SCORES, CHART_SVG_DUAL, &b,
	               err)) < 0)
		return -1;
	return 4;
}

int sitecharts_bank(json_object *charts, const indicators_t *ind, err_t *err)
{
	char title[128];
	buf_t b = {0};
	if (put(charts, "funnel", &b,
	        funnel(&ind->bank, VOCAB_FUNNEL_TITLE, CHART_ID_FUNNEL, CHART_SVG_DUAL, &b, err)) <
	    0)
		return -1;
	if (put(charts, "trend", &b,
	        trend(ind, ind->trend, "近12个月趋势", CHART_ID_TREND, CHART_SVG_DUAL, &b, err)) <
	    0)
		return -1;
	snprintf(title, sizeof title, "各支行%s", vocab_rate_label[SITECHARTS_BARS_RATE]);
	if (put(charts, "bars", &b, bars(ind, -1, title, CHART_ID_BARS, CHART_SVG_DUAL, &b, err)) <
	    0)
		return -1;
	if (put(charts, "scores", &b,
	        scores(ind, -1, "各村" VOCAB_SCORE_TITLE, CHART_ID_SCORES, CHART_SVG_DUAL, &b,
	               err)) < 0)
		return -1;
	if (put(charts, "segments", &b,
	        segments(&ind->bank, "授信客群结构", CHART_ID_SEGMENTS, CHART_SVG_DUAL, &b, err)) <
	    0)
		return -1;
	return 5;
}

int sitecharts_union(json_object *charts, const indicators_t *ind, err_t *err)
{
	char title[128];
	buf_t b = {0};
	if (put(charts, "funnel", &b,
	        funnel(&ind->bank, VOCAB_FUNNEL_TITLE, CHART_ID_FUNNEL, CHART_SVG_DUAL, &b, err)) <
	    0)
		return -1;
	if (put(charts, "trend", &b,
	        trend(ind, ind->trend, "近12个月趋势", CHART_ID_TREND, CHART_SVG_DUAL, &b, err)) <
	    0)
		return -1;
	snprintf(title, sizeof title, "各%s%s", VOCAB_UNION_MEMBERS,
	         vocab_rate_label[SITECHARTS_BARS_RATE]);
	/* Members are banks whose names may repeat (the branches of one bank built as jobs): each
	 * bar says its code too. */
	chart_bar_t *bar = xcalloc((size_t)ind->nbranches + 1, sizeof *bar);
	for (int i = 0; i < ind->nbranches; i++) {
		const branch_t *m = &ind->model->site.branches[ind->branches[i].branch];
		buf_t label = {0};
		buf_printf(&label, "%s（%s）", m->name, m->code);
		bar[i].label = buf_detach(&label);
		bar[i].value = ind->branches[i].f.rate[SITECHARTS_BARS_RATE];
	}
	int rc =
	    chart_bars(bar, ind->nbranches, NAN, 0, title, CHART_ID_BARS, CHART_SVG_DUAL, &b, err);
	for (int i = 0; i < ind->nbranches; i++)
		free((char *)bar[i].label);
	free(bar);
	if (put(charts, "bars", &b, rc) < 0)
		return -1;
	return 3;
}

int sitecharts_report(json_object *charts, const indicators_t *ind, int bi, err_t *err)
{
	char title[128];
	buf_t b = {0};
	snprintf(title, sizeof title, "%s%s", bi < 0 ? "各支行" : "各村",
	         vocab_rate_label[SITECHARTS_BARS_RATE]);
	if (put(charts, "bars", &b, bars(ind, bi, title, CHART_ID_BARS, CHART_SVG_DUAL, &b, err)) <
	    0)
		return -1;
	if (put(charts, "scores", &b,
	        scores(ind, bi, "各村" VOCAB_SCORE_TITLE, CHART_ID_SCORES, CHART_SVG_DUAL, &b,
	               err)) < 0)
		return -1;
	return 2;
}

/* Writes png to dir's chart file kind of the branch code (NULL: the bank's). */
static int write_png(const char *dir, outtree_file_t kind, const char *code, buf_t *png, err_t *err)
{
	char rel[OUTTREE_PATH_MAX];
	outtree_path(rel, sizeof rel, kind, 0, code);
	char *path = path_join(dir, rel);
	FILE *f = fopen(path, "wb");
	int rc = 0;
	if (!f || fwrite(png->data, 1, png->len, f) != png->len)
		rc = err_set(err, path, 0, "cannot write: %s", strerror(errno));
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(err, path, 0, "cannot write: %s", strerror(errno));
	free(path);
	buf_free(png);
	return rc;
}

int sitecharts_png_count(const indicators_t *ind)
{
	return 3 + 2 * ind->nbranches;
}

int sitecharts_png(const indicators_t *ind, const char *dir, int k, err_t *err)
{
	buf_t b = {0};
	char title[128];
	const char *bank = ind->model->site.bank;
	switch (k) {
	case 0:
		snprintf(title, sizeof title, "%s 授信漏斗", bank);
		return (funnel(&ind->bank, title, NULL, CHART_PNG, &b, err) ||
		        write_png(dir, OUTTREE_FUNNEL_PNG, NULL, &b, err))
		           ? -1
		           : 0;
	case 1:
		snprintf(title, sizeof title, "%s 近12个月趋势", bank);
		return (trend(ind, ind->trend, title, NULL, CHART_PNG, &b, err) ||
		        write_png(dir, OUTTREE_TREND_PNG, NULL, &b, err))
		           ? -1
		           : 0;
	case 2:
		snprintf(title, sizeof title, "各支行%s", vocab_rate_label[SITECHARTS_BARS_RATE]);
		return (bars(ind, -1, title, NULL, CHART_PNG, &b, err) ||
		        write_png(dir, OUTTREE_BARS_PNG, NULL, &b, err))
		           ? -1
		           : 0;
	}
	int i = (k - 3) / 2;
	const branch_t *br = &ind->model->site.branches[ind->branches[i].branch];
	if ((k - 3) % 2 == 0) {
		snprintf(title, sizeof title, "%s 授信漏斗", br->name);
		return (funnel(&ind->branches[i].f, title, NULL, CHART_PNG, &b, err) ||
		        write_png(dir, OUTTREE_FUNNEL_PNG, br->code, &b, err))
		           ? -1
		           : 0;
	}
	snprintf(title, sizeof title, "%s 各村%s", br->name,
	         vocab_rate_label[SITECHARTS_BARS_RATE]);
	return (bars(ind, i, title, NULL, CHART_PNG, &b, err) ||
	        write_png(dir, OUTTREE_BARS_PNG, br->code, &b, err))
	           ? -1
	           : 0;
}
