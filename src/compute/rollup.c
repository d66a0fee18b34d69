/* rollup.c — sums member banks' documents into a union shaped like one bank's indicators, with
 * checked additions, and finishes its rates with the functions the indicators use. */
#include "compute/rollup.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

void rollup_init(rollup_t *r, const char *name, int32_t month)
{
	memset(r, 0, sizeof *r);
	r->model.site.bank = xstrdup(name);
	r->model.site.mask_workbooks = true;
	r->ind.model = &r->model;
	r->month = month;
	r->month_given = month != 0;
}

/* *sum += v, or -1 when the sum does not fit. */
static int add64(int64_t *sum, int64_t v)
{
	return __builtin_add_overflow(*sum, v, sum) ? -1 : 0;
}

static int add_int(int *sum, int64_t v)
{
	int64_t s;
	if (__builtin_add_overflow((int64_t)*sum, v, &s) || s > INT_MAX)
		return -1;
	*sum = (int)s;
	return 0;
}

static int fits_int(int64_t v)
{
	return v >= 0 && v <= INT_MAX;
}

/* Adds counts and amounts; names in *what the first that does not fit. */
static int add_counts(counts_t *a, const counts_t *b, const char **what)
{
	int64_t *x[] = {&a->households_total,
	                &a->listed,
	                &a->negative,
	                &a->eligible,
	                &a->visited,
	                &a->archived,
	                &a->granted,
	                &a->signed_,
	                &a->used,
	                &a->overdue,
	                &a->loans_outstanding,
	                &a->loans_online,
	                &a->credit_total,
	                &a->balance_total,
	                &a->npl_balance};
	const int64_t y[] = {b->households_total,
	                     b->listed,
	                     b->negative,
	                     b->eligible,
	                     b->visited,
	                     b->archived,
	                     b->granted,
	                     b->signed_,
	                     b->used,
	                     b->overdue,
	                     b->loans_outstanding,
	                     b->loans_online,
	                     b->credit_total,
	                     b->balance_total,
	                     b->npl_balance};
	for (size_t i = 0; i < sizeof y / sizeof *y; i++)
		if (add64(x[i], y[i]) != 0) {
			*what = i < VOCAB_NCOUNTS ? vocab_count_key[i]
			                          : vocab_amount_key[i - VOCAB_NCOUNTS];
			return -1;
		}
	return 0;
}

static int add_trend(trend_point_t *a, const trend_point_t *b, const char **what)
{
	for (int s = 0; s < TREND_MONTHS; s++) {
		a[s].month = b[s].month;
		if (add64(&a[s].visited, b[s].visited) || add64(&a[s].archived, b[s].archived) ||
		    add64(&a[s].granted, b[s].granted) || add64(&a[s].signed_, b[s].signed_) ||
		    add64(&a[s].used, b[s].used)) {
			*what = "trend";
			return -1;
		}
	}
	return 0;
}

int rollup_add(rollup_t *r, const char *code, const char *source, const inddoc_t *doc, err_t *err)
{
	char m[16], dm[16], d1[16], d2[16];
	if (r->month && doc->month != r->month)
		return err_set(
		    err, source, 0, "is an indicator document of %s, not of the union's month %s%s",
		    format_month(dm, sizeof dm, doc->month), format_month(m, sizeof m, r->month),
		    r->month_given ? " (--month)" : " (the month of the sources before it)");
	if (r->as_of && doc->as_of != r->as_of)
		return err_set(err, source, 0,
		               "is as of %s, but %s is as of %s: roll up documents of one day",
		               format_date(d1, sizeof d1, doc->as_of), r->sources[0],
		               format_date(d2, sizeof d2, r->as_of));
	if (!fits_int(doc->villages_total) || !fits_int(doc->villages_passed))
		return err_set(err, source, 0, "bank.villages_total: too many villages");
	indicators_t *u = &r->ind;
	const char *what = NULL;
	figures_t sum = u->bank;
	trend_point_t trend[TREND_MONTHS];
	memcpy(trend, u->trend, sizeof trend);
	int vt = u->villages_total, vp = u->villages_passed, ve = u->errors, vw = u->warnings;
	int64_t target = u->target_granted;
	if (add_counts(&sum.c, &doc->c, &what) != 0 || add_trend(trend, doc->trend, &what) != 0)
		return err_set(
		    err, source, 0,
		    "the union's %s would not fit in a 64-bit sum with this bank's added", what);
	if (add_int(&vt, doc->villages_total) || add_int(&vp, doc->villages_passed) ||
	    add_int(&ve, doc->errors) || add_int(&vw, doc->warnings) ||
	    add64(&target, doc->target_granted))
		return err_set(
		    err, source, 0,
		    "the union's villages or findings would not fit with this bank's added");
	u->bank = sum;
	memcpy(u->trend, trend, sizeof trend);
	u->villages_total = vt;
	u->villages_passed = vp;
	u->errors = ve;
	u->warnings = vw;
	u->target_granted = target;
	u->has_target = (u->nbranches == 0 || u->has_target) && doc->has_target;

	site_t *site = &r->model.site;
	size_t n = (size_t)site->nbranches, cap = r->cap;
	xgrow((void **)&site->branches, &cap, n + 1, sizeof *site->branches);
	cap = r->cap;
	xgrow((void **)&u->branches, &cap, n + 1, sizeof *u->branches);
	cap = r->cap;
	xgrow((void **)&r->sources, &cap, n + 1, sizeof *r->sources);
	r->cap = cap;
	site->branches[n] = (branch_t){.code = xstrdup(code),
	                               .name = xstrdup(doc->name),
	                               .has_target = doc->has_target,
	                               .target_granted = doc->target_granted};
	branch_ind_t *b = &u->branches[n];
	memset(b, 0, sizeof *b);
	b->branch = (int)n;
	b->f.c = doc->c;
	b->villages_total = (int)doc->villages_total;
	b->villages_passed = (int)doc->villages_passed;
	b->villages_failed = b->villages_total - b->villages_passed;
	memcpy(b->trend, doc->trend, sizeof b->trend);
	r->sources[n] = source;
	site->nbranches++;
	u->nbranches++;
	r->month = doc->month;
	r->as_of = doc->as_of;
	return 0;
}

static int cmp_code(const void *a, const void *b, void *ctx)
{
	const site_t *s = ctx;
	return strcmp(s->branches[((const branch_ind_t *)a)->branch].code,
	              s->branches[((const branch_ind_t *)b)->branch].code);
}

static void finish_trend(trend_point_t *t, const figures_t *f)
{
	for (int s = 0; s < TREND_MONTHS; s++)
		indicators_finish_trend(&t[s], f->c.households_total, f->c.eligible);
	indicators_trend_changes(t);
}

void rollup_finish(rollup_t *r)
{
	indicators_t *u = &r->ind;
	site_t *site = &r->model.site;
	u->month = r->month;
	u->as_of = r->as_of;
	qsort_r(u->branches, (size_t)u->nbranches, sizeof *u->branches, cmp_code, site);
	for (int i = 0; i < u->nbranches; i++) {
		branch_ind_t *b = &u->branches[i];
		indicators_finish_figures(&b->f);
		b->acceptance_rate = indicators_ratio(b->villages_passed, b->villages_total);
		const branch_t *m = &site->branches[b->branch];
		b->target_rate =
		    m->has_target ? indicators_ratio(b->f.c.granted, m->target_granted) : NAN;
		finish_trend(b->trend, &b->f);
		u->villages_failed += b->villages_failed;
	}
	indicators_finish_figures(&u->bank);
	u->acceptance_rate = indicators_ratio(u->villages_passed, u->villages_total);
	/* As compute_bank: the union's target only when every member has one. */
	if (!u->has_target)
		u->target_granted = 0;
	u->target_rate =
	    u->has_target ? indicators_ratio(u->bank.c.granted, u->target_granted) : NAN;
	for (int s = 0; s < TREND_MONTHS; s++)
		if (!u->nbranches)
			u->trend[s].month = value_month_add(r->month, s - (TREND_MONTHS - 1));
	finish_trend(u->trend, &u->bank);
	u->branch_selected = xcalloc((size_t)site->nbranches + 1, sizeof *u->branch_selected);
	for (int b = 0; b < site->nbranches; b++)
		u->branch_selected[b] = true;
}

const char *rollup_source(const rollup_t *r, int i)
{
	return r->sources[r->ind.branches[i].branch];
}

void rollup_free(rollup_t *r)
{
	if (!r)
		return;
	site_t *site = &r->model.site;
	for (int b = 0; b < site->nbranches; b++) {
		free(site->branches[b].code);
		free(site->branches[b].name);
	}
	free(site->branches);
	free(site->bank);
	free(r->sources);
	indicators_free(&r->ind);
	memset(r, 0, sizeof *r);
}
