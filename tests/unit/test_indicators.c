/* test_indicators.c — unit tests of the compute stage: the figures of tests/regress/small/input as
 * small.worked.md derives them by hand, and the acceptance edge cases of SPEC §6. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "compute/findsum.h"
#include "compute/indicators.h"
#include "read/archive.h"

/* ---- tests/regress/small/input (run from the repository root, as tests/run.sh does) ---- */

static model_t SMALL;
static indicators_t IND;

static int small_setup(void **state)
{
	(void)state;
	err_t err;
	if (archive_load("tests/regress/small/input", 1, &SMALL, &err) != 0)
		return -1;
	return indicators_compute(&SMALL, 202610, NULL, 0, &IND, &err);
}

static int small_teardown(void **state)
{
	(void)state;
	indicators_free(&IND);
	model_free(&SMALL);
	return 0;
}

static const village_ind_t *village(const char *code)
{
	for (int i = 0; i < IND.nvillages; i++)
		if (!strcmp(SMALL.villages[IND.villages[i].village].code, code))
			return &IND.villages[i];
	fail_msg("no village %s", code);
	return NULL;
}

static const branch_ind_t *branch(const char *code)
{
	for (int i = 0; i < IND.nbranches; i++)
		if (!strcmp(SMALL.site.branches[IND.branches[i].branch].code, code))
			return &IND.branches[i];
	fail_msg("no branch %s", code);
	return NULL;
}

/* households_total … loans_online, then credit_total, balance_total, npl_balance (fen). */
static void assert_counts(const counts_t *c, const int64_t v[15])
{
	const int64_t got[15] = {c->households_total,
	                         c->listed,
	                         c->negative,
	                         c->eligible,
	                         c->visited,
	                         c->archived,
	                         c->granted,
	                         c->signed_,
	                         c->used,
	                         c->overdue,
	                         c->loans_outstanding,
	                         c->loans_online,
	                         c->credit_total,
	                         c->balance_total,
	                         c->npl_balance};
	for (int i = 0; i < 15; i++)
		assert_int_equal(got[i], v[i]);
}

/* Rates compared exactly: both sides are the same division of two integers. */
static void assert_rates(const figures_t *f, const double r[RATE_COUNT])
{
	for (int i = 0; i < RATE_COUNT; i++) {
		if (isnan(r[i]))
			assert_true(isnan(f->rate[i]));
		else
			assert_true(f->rate[i] == r[i]);
	}
}

static void test_small_villages(void **state)
{
	(void)state;
	assert_int_equal(IND.month, 202610);
	assert_int_equal(IND.as_of, 20261031);
	assert_int_equal(IND.nvillages, 4);

	const village_ind_t *a1 = village("A1");
	assert_counts(&a1->f.c, (const int64_t[15]){10, 10, 1, 9, 10, 9, 8, 6, 3, 1, 5, 3, 45534560,
	                                            12034560, 0});
	assert_rates(&a1->f, (const double[RATE_COUNT]){1, 9 / 10.0, 8 / 9.0, 6 / 8.0, 3 / 8.0,
	                                                12034560 / 45534560.0, 0, 3 / 5.0});
	assert_int_equal(a1->verdict, VERDICT_PASS);
	assert_true(a1->score == 100.0 * 107.5 / 110);
	assert_true(a1->score_rounded == 97.73);
	assert_int_equal(a1->nfailed, 0);

	const village_ind_t *a2 = village("A2");
	assert_counts(&a2->f.c, (const int64_t[15]){11, 11, 1, 10, 11, 10, 8, 6, 2, 1, 2, 1,
	                                            30000000, 9000000, 5000000});
	assert_rates(&a2->f, (const double[RATE_COUNT]){1, 10 / 11.0, 8 / 10.0, 6 / 8.0, 2 / 8.0,
	                                                0.3, 5 / 9.0, 1 / 2.0});
	assert_int_equal(a2->verdict, VERDICT_FAIL);
	assert_true(a2->score_rounded == 88.64);
	/* failed = ["usage_rate", "npl_rate"], in site.yaml order. */
	assert_int_equal(a2->nfailed, 2);
	assert_int_equal(SMALL.site.indicators[a2->failed[0]].rate, RATE_USAGE);
	assert_int_equal(SMALL.site.indicators[a2->failed[1]].rate, RATE_NPL);

	const village_ind_t *b1 = village("B1");
	assert_counts(&b1->f.c, (const int64_t[15]){10, 10, 0, 10, 10, 10, 9, 7, 3, 0, 4, 3,
	                                            21000000, 10700000, 0});
	assert_int_equal(b1->verdict, VERDICT_FAIL);
	assert_true(b1->score_rounded == 95.45);
	/* failed = ["wechat_group"]: a required check, -1 - its index. */
	assert_int_equal(b1->nfailed, 1);
	assert_true(b1->failed[0] < 0);
	assert_string_equal(SMALL.site.checks[-1 - b1->failed[0]].key, "wechat_group");

	const village_ind_t *b2 = village("B2");
	assert_counts(&b2->f.c, (const int64_t[15]){12, 9, 2, 10, 7, 5, 4, 2, 2, 0, 2, 1, 13000000,
	                                            3000000, 0});
	assert_rates(&b2->f, (const double[RATE_COUNT]){7 / 12.0, 5 / 12.0, 4 / 10.0, 2 / 4.0,
	                                                2 / 4.0, 3000000 / 13000000.0, 0, 1 / 2.0});
	assert_int_equal(b2->verdict, VERDICT_NOT_STARTED);
	assert_true(isnan(b2->score) && isnan(b2->score_rounded));
	assert_int_equal(b2->nfailed, 0);
}

static void test_small_trend(void **state)
{
	(void)state;
	/* A1: 2026-04 visited 6, archived 6, granted 4, signed 1, used 0. */
	const trend_point_t *t = &village("A1")->trend[5];
	assert_int_equal(t->month, 202604);
	assert_int_equal(t->visited, 6);
	assert_int_equal(t->archived, 6);
	assert_int_equal(t->granted, 4);
	assert_int_equal(t->signed_, 1);
	assert_int_equal(t->used, 0);
	assert_true(t->credit_coverage == 4 / 9.0);
	assert_true(t->signing_rate == 0.25);
	/* Null while nobody is granted (2025-11 … 2026-03). */
	assert_true(isnan(village("A1")->trend[0].signing_rate));
	/* The bank: 2025-11 visited 2, archived 1; 2026-09 visited 32, archived 30, granted 24,
	 * signed 19, used 9. */
	assert_int_equal(IND.trend[0].month, 202511);
	assert_int_equal(IND.trend[0].visited, 2);
	assert_int_equal(IND.trend[0].archived, 1);
	assert_true(IND.trend[0].visit_rate == 2 / 43.0);
	assert_true(IND.trend[0].credit_coverage == 0);
	assert_true(isnan(IND.trend[0].usage_rate));
	const trend_point_t *s = &IND.trend[10];
	assert_int_equal(s->visited, 32);
	assert_int_equal(s->archived, 30);
	assert_int_equal(s->granted, 24);
	assert_int_equal(s->signed_, 19);
	assert_int_equal(s->used, 9);
	/* The changes: none for the first month, none where a month is null, else the
	 * difference of the two rates exactly. */
	for (int k = 0; k < TREND_RATES; k++)
		assert_true(isnan(IND.trend[0].change[k]));
	assert_true(isnan(village("A1")->trend[5].change[3])); /* signing null in 2026-03 */
	assert_true(IND.trend[10].change[0] == IND.trend[10].visit_rate - IND.trend[9].visit_rate);
	assert_true(IND.trend[11].change[4] == IND.trend[11].usage_rate - IND.trend[10].usage_rate);
}

static void test_small_branches_bank(void **state)
{
	(void)state;
	assert_int_equal(IND.nbranches, 3);
	assert_string_equal(SMALL.site.branches[IND.branches[0].branch].code, "BH");
	const branch_ind_t *bh = branch("BH"), *gz = branch("GZ"), *hb = branch("HB");
	assert_counts(&bh->f.c, (const int64_t[15]){22, 19, 2, 20, 17, 15, 13, 9, 5, 0, 6, 4,
	                                            34000000, 13700000, 0});
	assert_rates(&bh->f,
	             (const double[RATE_COUNT]){17 / 22.0, 15 / 22.0, 13 / 20.0, 9 / 13.0, 5 / 13.0,
	                                        13700000 / 34000000.0, 0, 4 / 6.0});
	assert_int_equal(bh->villages_total, 1);
	assert_int_equal(bh->villages_passed, 0);
	assert_int_equal(bh->villages_failed, 1);
	assert_int_equal(bh->villages_not_started, 1);
	assert_true(bh->acceptance_rate == 0);
	assert_true(isnan(bh->target_rate));

	assert_counts(&gz->f.c, (const int64_t[15]){0});
	for (int r = 0; r < RATE_COUNT; r++)
		assert_true(isnan(gz->f.rate[r]));
	assert_int_equal(gz->villages_total, 0);
	assert_true(isnan(gz->acceptance_rate));
	assert_true(gz->target_rate == 0);

	assert_counts(&hb->f.c, (const int64_t[15]){21, 21, 2, 19, 21, 19, 16, 12, 5, 2, 7, 4,
	                                            75534560, 21034560, 5000000});
	assert_int_equal(hb->villages_total, 2);
	assert_int_equal(hb->villages_passed, 1);
	assert_int_equal(hb->villages_failed, 1);
	assert_true(hb->acceptance_rate == 0.5);
	assert_true(hb->target_rate == 0.8);

	assert_counts(&IND.bank.c, (const int64_t[15]){43, 40, 4, 39, 38, 34, 29, 21, 10, 2, 13, 8,
	                                               109534560, 34734560, 5000000});
	assert_rates(&IND.bank, (const double[RATE_COUNT]){
	                            38 / 43.0, 34 / 43.0, 29 / 39.0, 21 / 29.0, 10 / 29.0,
	                            34734560 / 109534560.0, 5000000 / 34734560.0, 8 / 13.0});
	assert_int_equal(IND.villages_total, 3);
	assert_int_equal(IND.villages_passed, 1);
	assert_int_equal(IND.villages_failed, 2);
	assert_int_equal(IND.villages_not_started, 1);
	assert_true(IND.acceptance_rate == 1 / 3.0);
	/* BH has no target: the bank has none either. */
	assert_false(IND.has_target);
	assert_true(isnan(IND.target_rate));
}

static void test_small_shares(void **state)
{
	(void)state;
	const figures_t *f = &IND.bank;
	const int64_t steps[FUNNEL_COUNT] = {43, 38, 34, 29, 21, 10};
	for (int i = 0; i < FUNNEL_COUNT; i++) {
		assert_int_equal(f->funnel[i], steps[i]);
		assert_true(f->funnel_share[i] == steps[i] / 43.0);
	}
	/* The segments of the 29 granted households sum to them; shares over 29. */
	assert_int_equal(f->segments_total, 29);
	for (int s = 0; s < SEG_COUNT; s++)
		assert_true(f->segment_share[s] == f->segments[s] / 29.0);
	const figures_t *gz = &branch("GZ")->f;
	assert_int_equal(gz->segments_total, 0);
	assert_true(isnan(gz->funnel_share[FUNNEL_TOTAL]) && isnan(gz->segment_share[SEG_FARMER]));
}

static void test_small_managers(void **state)
{
	(void)state;
	/* Name order: 刘洋, 张伟, 未分配, 李娜, 王芳. */
	static const struct {
		const char *name;
		int64_t listed, visited, granted, signed_, used, balance;
	} want[5] = {
	    {"刘洋", 9, 7, 6, 6, 4, 13700000},  {"张伟", 8, 8, 7, 5, 2, 6034560},
	    {"未分配", 3, 3, 1, 1, 0, 0},       {"李娜", 9, 9, 7, 4, 2, 6000000},
	    {"王芳", 11, 11, 8, 5, 2, 9000000},
	};
	assert_int_equal(IND.nmanagers, 5);
	for (int i = 0; i < 5; i++) {
		const manager_ind_t *g = &IND.managers[i];
		assert_string_equal(SMALL.managers[g->manager], want[i].name);
		assert_int_equal(g->listed, want[i].listed);
		assert_int_equal(g->visited, want[i].visited);
		assert_int_equal(g->granted, want[i].granted);
		assert_int_equal(g->signed_, want[i].signed_);
		assert_int_equal(g->used, want[i].used);
		assert_int_equal(g->balance_total, want[i].balance);
		assert_true(g->visit_rate == (double)want[i].visited / (double)want[i].listed);
	}
	assert_true(IND.managers[4].signing_rate == 0.625);
	assert_true(IND.managers[4].usage_rate == 0.25);
}

static void test_small_selection(void **state)
{
	(void)state;
	indicators_t hb;
	err_t err;
	char *codes[] = {(char *)"HB"};
	assert_int_equal(indicators_compute(&SMALL, 202610, codes, 1, &hb, &err), 0);
	assert_int_equal(hb.nbranches, 1);
	assert_int_equal(hb.nvillages, 2);
	assert_int_equal(hb.bank.c.households_total, 21);
	assert_int_equal(hb.villages_passed, 1);
	assert_true(hb.has_target);
	assert_int_equal(hb.target_granted, 20);
	assert_true(hb.target_rate == 0.8);
	assert_int_equal(indicators_village_pos(&hb, village("B1")->village), -1);
	indicators_free(&hb);
	char *bad[] = {(char *)"XX"};
	assert_int_equal(indicators_compute(&SMALL, 202610, bad, 1, &hb, &err), -1);
	assert_non_null(strstr(err.msg, "unknown branch code 'XX'"));
}

static void test_small_compare(void **state)
{
	(void)state;
	indicators_cmp_t cmp;
	err_t err;
	assert_int_equal(indicators_compare(&IND, &cmp, &err), 0);
	assert_int_equal(cmp.prev.month, 202609);
	assert_int_equal(cmp.prev.as_of, 20260930);
	assert_int_equal(cmp.prev.nbranches, IND.nbranches);
	for (int i = 0; i < IND.nvillages; i++) {
		const village_ind_t *vi = &IND.villages[i];
		assert_int_equal(cmp.prev.villages[cmp.prev_pos[i]].village, vi->village);
		double before = cmp.prev.villages[cmp.prev_pos[i]].score_rounded;
		if (isnan(vi->score_rounded) || isnan(before))
			assert_true(isnan(cmp.score_delta[i]));
		else
			assert_true(cmp.score_delta[i] == vi->score_rounded - before);
	}
	/* B2 is not started in either month: no change to show. */
	assert_true(isnan(cmp.score_delta[3]));
	assert_int_equal(cmp.bank_delta_passed, IND.villages_passed - cmp.prev.villages_passed);
	indicators_cmp_free(&cmp);
}

/* ---- acceptance edge cases on a hand-made village of n households ---- */

typedef struct {
	model_t m;
	branch_t branch;
	village_t v;
	household_t h[8];
	bool checks[2];
	char *managers[1];
	indicator_rule_t rules[2];
	check_rule_t ck[2];
	indicators_t ind;
} fx_t;

/* One branch, one village launched 2026-03-01 with n households of which `visited` were
 * visited; pass_score 80; no rule and no check until the test adds them. */
static void fx_init(fx_t *f, int n, int visited)
{
	memset(f, 0, sizeof *f);
	f->branch = (branch_t){.code = (char *)"HB", .name = (char *)"后白支行"};
	f->managers[0] = (char *)"张伟";
	f->v = (village_t){.code = (char *)"V1",
	                   .name = (char *)"村",
	                   .grade = 'A',
	                   .households_total = -1,
	                   .population = -1,
	                   .launched_on = 20260301,
	                   .checks = f->checks,
	                   .nhouseholds = n};
	for (int i = 0; i < n; i++)
		f->h[i] = (household_t){.id = "H",
		                        .name = "户",
		                        .manager = "张伟",
		                        .negative_reason = "",
		                        .members = -1,
		                        .visited_on = i < visited ? 20260305 : 0};
	f->m.site = (site_t){.bank = (char *)"B",
	                     .branches = &f->branch,
	                     .nbranches = 1,
	                     .pass_score = 80,
	                     .indicators = f->rules,
	                     .checks = f->ck};
	f->m.villages = &f->v;
	f->m.nvillages = 1;
	f->m.households = f->h;
	f->m.nhouseholds = n;
	f->m.managers = f->managers;
	f->m.nmanagers = 1;
}

static void fx_rule(fx_t *f, rate_t r, bool is_max, double threshold, double weight)
{
	f->rules[f->m.site.nindicators++] = (indicator_rule_t){
	    .rate = r, .is_max = is_max, .threshold = threshold, .weight = weight};
}

static void fx_check(fx_t *f, bool required, double weight, bool ticked)
{
	f->checks[f->m.site.nchecks] = ticked;
	f->ck[f->m.site.nchecks++] = (check_rule_t){
	    .key = (char *)"k", .label = (char *)"检查", .weight = weight, .required = required};
}

static const village_ind_t *fx_compute(fx_t *f)
{
	err_t err;
	assert_int_equal(indicators_compute(&f->m, 202610, NULL, 0, &f->ind, &err), 0);
	assert_int_equal(f->ind.nvillages, 1);
	return &f->ind.villages[0];
}

static void test_rate_at_min(void **state)
{
	(void)state;
	fx_t f;
	fx_init(&f, 2, 1); /* visit 1/2 = 0.5 */
	fx_rule(&f, RATE_VISIT, false, 0.5, 1);
	const village_ind_t *vi = fx_compute(&f);
	assert_true(vi->f.rate[RATE_VISIT] == 0.5);
	assert_true(vi->met[0]);
	assert_true(vi->score == 100);
	assert_int_equal(vi->verdict, VERDICT_PASS);
	indicators_free(&f.ind);

	fx_init(&f, 3, 1); /* 1/3 < 0.5: unmet, attained 1/3 ÷ 0.5 */
	fx_rule(&f, RATE_VISIT, false, 0.5, 1);
	vi = fx_compute(&f);
	assert_false(vi->met[0]);
	assert_true(vi->score == 100.0 * ((1 / 3.0) / 0.5));
	assert_true(vi->score_rounded == 66.67);
	assert_int_equal(vi->verdict, VERDICT_FAIL);
	assert_int_equal(vi->nfailed, 1);
	assert_int_equal(vi->failed[0], 0);
	indicators_free(&f.ind);
}

static void test_max_at_equality(void **state)
{
	(void)state;
	fx_t f;
	fx_init(&f, 2, 1); /* 0.5 ≤ 0.5 */
	fx_rule(&f, RATE_VISIT, true, 0.5, 1);
	const village_ind_t *vi = fx_compute(&f);
	assert_true(vi->met[0]);
	assert_true(vi->score == 100);
	assert_int_equal(vi->verdict, VERDICT_PASS);
	indicators_free(&f.ind);

	fx_init(&f, 4, 3); /* 0.75 > 0.5: unmet, attained 0 */
	fx_rule(&f, RATE_VISIT, true, 0.5, 1);
	vi = fx_compute(&f);
	assert_false(vi->met[0]);
	assert_true(vi->score == 0);
	assert_int_equal(vi->verdict, VERDICT_FAIL);
	indicators_free(&f.ind);
}

static void test_null_rate(void **state)
{
	(void)state;
	fx_t f;
	fx_init(&f, 2, 2); /* nobody granted: signing and usage rates null */
	fx_rule(&f, RATE_SIGNING, false, 0.6, 1);
	fx_rule(&f, RATE_USAGE, true, 0.1, 1);
	const village_ind_t *vi = fx_compute(&f);
	assert_true(isnan(vi->f.rate[RATE_SIGNING]) && isnan(vi->f.rate[RATE_USAGE]));
	assert_false(vi->met[0]); /* a null rate never meets a min */
	assert_true(vi->met[1]);  /* and always meets a max */
	assert_true(vi->score == 50);
	assert_int_equal(vi->verdict, VERDICT_FAIL);
	assert_int_equal(vi->nfailed, 1);
	assert_int_equal(vi->failed[0], 0);
	indicator_rule_t min = {.threshold = 0.6}, max = {.is_max = true, .threshold = 0.1};
	assert_false(indicators_rule_met(&min, NAN));
	assert_true(indicators_rule_met(&max, NAN));
	indicators_free(&f.ind);
}

static void test_not_started(void **state)
{
	(void)state;
	fx_t f;
	fx_init(&f, 2, 1);
	f.v.launched_on = 20261101; /* the day after D */
	fx_rule(&f, RATE_VISIT, false, 0.5, 1);
	const village_ind_t *vi = fx_compute(&f);
	assert_int_equal(vi->verdict, VERDICT_NOT_STARTED);
	assert_true(isnan(vi->score) && isnan(vi->score_rounded));
	assert_int_equal(vi->nfailed, 0);
	/* Its households still count; its verdict does not. */
	assert_int_equal(f.ind.bank.c.visited, 1);
	assert_int_equal(f.ind.branches[0].villages_not_started, 1);
	assert_int_equal(f.ind.villages_not_started, 1);
	assert_int_equal(f.ind.villages_total, 0);
	assert_true(isnan(f.ind.acceptance_rate));
	indicators_free(&f.ind);
}

static void test_launched_on_d(void **state)
{
	(void)state;
	fx_t f;
	fx_init(&f, 2, 1);
	f.v.launched_on = 20261031; /* D itself: started */
	fx_rule(&f, RATE_VISIT, false, 0.5, 1);
	const village_ind_t *vi = fx_compute(&f);
	assert_int_equal(vi->verdict, VERDICT_PASS);
	assert_true(vi->score == 100);
	assert_int_equal(f.ind.villages_total, 1);
	assert_int_equal(f.ind.villages_passed, 1);
	assert_true(f.ind.acceptance_rate == 1);
	indicators_free(&f.ind);
}

static void test_fail_on_score_alone(void **state)
{
	(void)state;
	fx_t f;
	fx_init(&f, 2, 1);
	fx_rule(&f, RATE_VISIT, false, 0.5, 1); /* met */
	fx_check(&f, false, 1, false);          /* not required, not done: half the weight */
	const village_ind_t *vi = fx_compute(&f);
	assert_true(vi->met[0]);
	assert_true(vi->score == 50);
	assert_int_equal(vi->verdict, VERDICT_FAIL);
	assert_int_equal(vi->nfailed, 0); /* nothing unmet: the score alone fails it */
	assert_int_equal(f.ind.villages_failed, 1);
	indicators_free(&f.ind);
}

static void test_required_check_missing(void **state)
{
	(void)state;
	fx_t f;
	fx_init(&f, 2, 1);
	fx_rule(&f, RATE_VISIT, false, 0.5, 1);
	fx_check(&f, true, 0.01, false);
	const village_ind_t *vi = fx_compute(&f);
	assert_true(vi->score == 100.0 * 1 / 1.01);
	assert_true(vi->score_rounded == 99.01); /* above pass_score, and still a fail */
	assert_int_equal(vi->verdict, VERDICT_FAIL);
	assert_int_equal(vi->nfailed, 1);
	assert_int_equal(vi->failed[0], -1);
	indicators_free(&f.ind);
}

static void test_zero_weight(void **state)
{
	(void)state;
	fx_t f;
	fx_init(&f, 2, 1);
	fx_rule(&f, RATE_VISIT, false, 0.5, 0); /* Σ weight = 0: nothing to miss, score 100 */
	const village_ind_t *vi = fx_compute(&f);
	assert_true(vi->score == 100 && vi->score_rounded == 100);
	assert_int_equal(vi->verdict, VERDICT_PASS);
	indicators_free(&f.ind);

	fx_init(&f, 3, 1); /* weight 0 and unmet: the score is full, the verdict still fails */
	fx_rule(&f, RATE_VISIT, false, 0.5, 0);
	vi = fx_compute(&f);
	assert_true(vi->score == 100);
	assert_int_equal(vi->verdict, VERDICT_FAIL);
	assert_int_equal(vi->nfailed, 1);
	indicators_free(&f.ind);

	fx_init(&f, 1, 1); /* no rule and no check at all */
	vi = fx_compute(&f);
	assert_true(vi->score == 100);
	assert_int_equal(vi->verdict, VERDICT_PASS);
	indicators_free(&f.ind);
}

/* Each of the bank's managers lists, in code order, exactly the branches whose managers
 * include it (the 支行 column of the summary's 客户经理 sheet). */
static void test_manager_branches(void **state)
{
	(void)state;
	assert_int_equal(IND.manager_branch_at[0], 0);
	for (int k = 0; k < IND.nmanagers; k++) {
		int j = IND.manager_branch_at[k], n = 0;
		for (int b = 0; b < IND.nbranches; b++) {
			const branch_ind_t *br = &IND.branches[b];
			bool in = false;
			for (int i = 0; i < br->nmanagers; i++)
				in = in || br->managers[i].manager == IND.managers[k].manager;
			if (in) {
				assert_true(j + n < IND.manager_branch_at[k + 1]);
				assert_int_equal(IND.manager_branches[j + n], b);
				n++;
			}
		}
		assert_true(n > 0);
		assert_int_equal(j + n, IND.manager_branch_at[k + 1]);
	}
}

/* ---- findings: their keys, columns in Chinese and groups (quality.html) ---- */

static const finding_t *finding_at(const char *file, int line, const char *code)
{
	for (int i = 0; i < SMALL.nfindings; i++) {
		const finding_t *f = &SMALL.findings[i];
		if (!strcmp(f->file, file) && f->line == line && !strcmp(f->code, code))
			return f;
	}
	fail_msg("no finding %s:%d %s", file, line, code);
	return NULL;
}

static void assert_keys(const finding_t *f, const char *hid, const char *lid, const char *col)
{
	if (hid)
		assert_string_equal(f->household_id, hid);
	else
		assert_null(f->household_id);
	if (lid)
		assert_string_equal(f->loan_id, lid);
	else
		assert_null(f->loan_id);
	if (col)
		assert_string_equal(f->column_label, col);
	else
		assert_null(f->column_label);
}

static void test_finding_keys(void **state)
{
	(void)state;
	/* A kept households row: its 户号; the header id_number named 身份证号. */
	assert_keys(finding_at("villages/A2/households.csv", 3, "invalid_id_number"), "A2-02", NULL,
	            "身份证号");
	/* A row dropped for its empty head_name keeps its 户号. */
	assert_keys(finding_at("villages/A2/households.csv", 8, "missing_value"), "A2-07", NULL,
	            "户主姓名");
	assert_keys(finding_at("villages/A2/households.csv", 1, "unknown_column"), NULL, NULL,
	            "remark");
	assert_keys(finding_at("villages/B1/households.csv", 8, "duplicate_household"), "A1-05",
	            NULL, NULL);
	assert_keys(finding_at("villages/B1/village.md", 6, "households_total_too_small"), NULL,
	            NULL, "户籍户数");
	/* Loan rows: 借据号 and the household_id as written, kept or dropped. */
	assert_keys(finding_at("loans/2026-10.csv", 3, "invalid_integer"), "B1-02", "L202",
	            "逾期天数");
	const finding_t *u = finding_at("loans/2026-10.csv", 7, "unknown_household");
	assert_keys(u, "Z9-99", "L205", "户号");
	assert_int_equal(u->village, -1);
	assert_keys(finding_at("loans/2026-10.csv", 10, "invalid_disbursed_on"), "B2-07", "L303",
	            "发放日期");
	assert_keys(finding_at("loans/2026-10.csv", 12, "missing_value"), "B2-01", NULL, "借据号");
}

/* The groups of findsum: village by village in code order, those of no village last, codes
 * bytewise within a village; every selected finding in exactly one, counted there. */
static void test_finding_groups(void **state)
{
	(void)state;
	const findsum_t *fs = IND.fsum;
	int64_t sum = 0;
	for (int g = 0; g < fs->ngroups; g++) {
		const findsum_group_t *e = &fs->groups[g];
		sum += e->count;
		assert_int_equal(e->count, e->errors + e->warnings);
		if (g > 0) {
			const findsum_group_t *p = &fs->groups[g - 1];
			int pv = p->village < 0 ? SMALL.nvillages : p->village;
			int v = e->village < 0 ? SMALL.nvillages : e->village;
			assert_true(pv < v || (pv == v && p->code < e->code));
		}
	}
	assert_int_equal(sum, fs->total);
	assert_int_equal(fs->groups[fs->ngroups - 1].village, -1);
	for (int i = 0; i < SMALL.nfindings; i++) {
		const findsum_group_t *e = &fs->groups[fs->group_of[i]];
		assert_int_equal(e->village, SMALL.findings[i].village);
		assert_string_equal(fs->codes[e->code].key, SMALL.findings[i].code);
	}
	/* B2's two loans without a valid disbursed_on (lines 10 and 11) make one group. */
	const finding_t *f = finding_at("loans/2026-10.csv", 10, "invalid_disbursed_on");
	const findsum_group_t *e = &fs->groups[fs->group_of[f - SMALL.findings]];
	assert_string_equal(SMALL.villages[e->village].code, "B2");
	assert_int_equal(e->count, 2);
	assert_int_equal(e->errors, 2);
}

/* Every code of the README's table has a Chinese name and an explanation (vocab_finding_*
 * looks them up by bsearch, so the table must stay sorted); an unknown code reads as itself. */
static void test_finding_words(void **state)
{
	(void)state;
	static const char *const codes[] = {
	    "duplicate_household",     "duplicate_loan",         "unknown_household",
	    "missing_value",           "invalid_disbursed_on",   "invalid_date",
	    "invalid_amount",          "invalid_integer",        "invalid_boolean",
	    "invalid_id_number",       "missing_id_number",      "credit_without_grant_date",
	    "negative_with_credit",    "signed_without_grant",   "signed_before_grant",
	    "outstanding_not_granted", "balance_exceeds_amount", "households_total_too_small",
	    "unknown_segment",         "unknown_column",         "repeated_header"};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		assert_string_not_equal(vocab_finding_label(codes[i]), codes[i]);
		assert_true(strlen(vocab_finding_explain(codes[i])) > 10);
	}
	assert_string_equal(vocab_finding_label("duplicate_household"), "户号重复");
	assert_string_equal(vocab_finding_label("no_such_code"), "no_such_code");
	assert_string_equal(vocab_finding_explain("no_such_code"), "");
	assert_string_equal(vocab_finding_label(NULL), "");
}

int main(void)
{
	/* One group, so tests/run.sh reads one count. */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small_villages),
	    cmocka_unit_test(test_small_trend),
	    cmocka_unit_test(test_small_branches_bank),
	    cmocka_unit_test(test_small_shares),
	    cmocka_unit_test(test_small_managers),
	    cmocka_unit_test(test_small_selection),
	    cmocka_unit_test(test_small_compare),
	    cmocka_unit_test(test_rate_at_min),
	    cmocka_unit_test(test_max_at_equality),
	    cmocka_unit_test(test_null_rate),
	    cmocka_unit_test(test_not_started),
	    cmocka_unit_test(test_launched_on_d),
	    cmocka_unit_test(test_fail_on_score_alone),
	    cmocka_unit_test(test_required_check_missing),
	    cmocka_unit_test(test_zero_weight),
	    cmocka_unit_test(test_manager_branches),
	    cmocka_unit_test(test_finding_keys),
	    cmocka_unit_test(test_finding_groups),
	    cmocka_unit_test(test_finding_words),
	};
	return cmocka_run_group_tests(tests, small_setup, small_teardown);
}
