/* indicators.h — the computed model of SPEC §6: counts, amounts, rates, trend, managers and
 * acceptance, for the bank, each branch and each village. Computed once; every renderer reads it.
 */
#ifndef CUNDANG_INDICATORS_H
#define CUNDANG_INDICATORS_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "model.h"

#define TREND_MONTHS 12
#define TREND_RATES 5 /* visit, archive, credit_coverage, signing, usage */

/* Counts and amounts (amounts in fen). */
typedef struct {
	int64_t households_total, listed, negative, eligible, visited, archived, granted, signed_,
	    used, overdue, loans_outstanding, loans_online;
	int64_t credit_total, balance_total, npl_balance;
} counts_t;

/* A rate or share is a double; NAN stands for JSON null (denominator 0). */
typedef struct {
	counts_t c;
	double rate[RATE_COUNT];
	int64_t funnel[FUNNEL_COUNT];      /* the counts of each step */
	double funnel_share[FUNNEL_COUNT]; /* each step over households_total */
	int64_t segments[SEG_COUNT];       /* granted households by segment (charts, workbooks) */
	int64_t segments_total;            /* their sum: the granted households */
	double segment_share[SEG_COUNT];   /* each segment over segments_total */
} figures_t;

typedef struct {
	int32_t month; /* yyyymm */
	int64_t visited, archived, granted, signed_, used;
	double visit_rate, archive_rate, credit_coverage, signing_rate, usage_rate;
	/* Each of those five rates minus the month before's, in that order (the trend tables'
	 * 较上月); NAN for the first month or when either month's rate is null. */
	double change[TREND_RATES];
} trend_point_t;

typedef struct {
	int village; /* index into model.villages */
	figures_t f;
	trend_point_t trend[TREND_MONTHS];
	verdict_t verdict;
	double score;         /* unrounded, 0..100; NAN when not started */
	double score_rounded; /* half-up to two decimals; NAN when not started */
	bool *met;            /* one per site indicator */
	double *gap; /* one per site indicator: how far an unmet rate is from its threshold (a
	                null rate under a `min`: the whole threshold); 0 when met */
	int *failed; /* unmet indicators (index i) then missing required checks (-1 - j) */
	int nfailed;
} village_ind_t;

typedef struct {
	int manager; /* index into model.managers */
	int64_t listed, visited, granted, signed_, used, balance_total;
	double visit_rate, signing_rate, usage_rate;
} manager_ind_t;

typedef struct {
	int branch; /* index into site.branches */
	figures_t f;
	int villages_total, villages_passed, villages_failed, villages_not_started;
	double acceptance_rate, target_rate;
	trend_point_t
	    trend[TREND_MONTHS]; /* from its villages' sums, for the branch page (the
	                            indicator document has bank and village trends only) */
	manager_ind_t *managers; /* managers of this branch's households, by name */
	int nmanagers;
	/* The sums of those, with rates from them: the branch in the managers' terms, beside
	 * which a manager's page puts its own. */
	manager_ind_t managers_all;
	int *ranked; /* positions in managers, best first (indicators_rank_managers) */
} branch_ind_t;

/* Status of one household at D (bits of indicators_t.hh_status). */
enum {
	HH_VISITED = 1 << 0,
	HH_ARCHIVED = 1 << 1,
	HH_GRANTED = 1 << 2,
	HH_SIGNED = 1 << 3,
	HH_USED = 1 << 4,
	HH_OVERDUE = 1 << 5,
	HH_NEGATIVE = 1 << 6,
};

/* The ranking of managers the branch pages and the 客户经理 sheets show: usage rate, then
 * signing rate, highest first and a null rate after every number (rates, so that a small
 * portfolio is not ranked below a large one for its size), then name bytewise; 未分配 is nobody
 * and comes last. Fills order[0..n-1] with positions in list. */
void indicators_rank_managers(const model_t *m, const manager_ind_t *list, int n, int *order);

/* Where a household of status st (HH_* bits) stands: its furthest step, or the negative list. */
vocab_household_t indicators_hh_state(uint8_t st);

typedef struct findsum findsum_t; /* compute/findsum.h */

typedef struct {
	const model_t *model;
	int32_t month, as_of; /* yyyymm, yyyymmdd */
	uint8_t *hh_status;   /* per model household (selected villages only): HH_* bits at D */
	int64_t *hh_balance;  /* per model household: balance of its loans outstanding at D, fen */
	uint8_t *
	    loan_outstanding; /* per model loan (selected villages only): 1 when outstanding at D */
	figures_t bank;
	int villages_total, villages_passed, villages_failed, villages_not_started;
	double acceptance_rate;
	bool has_target;        /* every selected branch has target_granted (at least one branch) */
	int64_t target_granted; /* their sum, when has_target */
	double target_rate;     /* granted / target_granted; NAN without a target */
	trend_point_t trend[TREND_MONTHS];
	branch_ind_t *branches; /* selected branches, by code */
	int nbranches;
	village_ind_t *villages; /* selected villages, by code */
	int nvillages;
	manager_ind_t *managers; /* managers of selected households, by name */
	int nmanagers;
	int *ranked; /* positions in managers, best first (indicators_rank_managers) */
	/* The branches (positions in branches, in code order) where managers[k] has households:
	 * manager_branches[manager_branch_at[k]] up to manager_branches[manager_branch_at[k + 1]].
	 */
	int *manager_branches;
	int *manager_branch_at;
	bool *branch_selected; /* per site branch */
	int *village_pos;      /* per model village: position in villages, or -1 */
	int errors, warnings;  /* findings of the selection */
	findsum_t *fsum;       /* their counts by code, file and village */
} indicators_t;

/* The reports' comparison with the month before: the same selection one month earlier, and
 * what changed since. */
typedef struct {
	indicators_t prev;   /* the month before the report month, same branches */
	int *prev_pos;       /* per village of the report month: position in prev.villages, or -1 */
	double *score_delta; /* per village: score_rounded minus the month before's; NAN when either
	                        month has no score */
	int *delta_passed;   /* per branch of the report month: villages passed minus the month
	                        before's */
	int bank_delta_passed;
	/* Each rate minus the month before's (the cards' 较上月), NAN when either is null or the
	 * village has no month before: the bank's, per branch and per village of the report
	 * month. */
	double bank_change[RATE_COUNT];
	double (*branch_change)[RATE_COUNT];
	double (*village_change)[RATE_COUNT];
} indicators_cmp_t;

/* Computes everything for report month `month` (yyyymm) over the branches named in
 * codes (all when ncodes is 0). Returns 0, or -1 with err for an unknown branch code.
 * Caller frees with indicators_free(); the model must outlive the result. */
int indicators_compute(const model_t *m, int32_t month, char **codes, int ncodes, indicators_t *out,
                       err_t *err);
/* The same at as-of day as_of_day (yyyymmdd, a day of `month`; 0 = the month's last day, as
 * indicators_compute): dates after it count as not yet come (SPEC §2 --as-of). */
int indicators_compute_at(const model_t *m, int32_t month, int32_t as_of_day, char **codes,
                          int ncodes, indicators_t *out, err_t *err);
void indicators_free(indicators_t *ind);

/* Computes the comparison of ind with the month before over the same branches. Returns 0, or
 * -1 with err. Caller frees with indicators_cmp_free(); ind must outlive the result. */
int indicators_compare(const indicators_t *ind, indicators_cmp_t *out, err_t *err);
void indicators_cmp_free(indicators_cmp_t *cmp);

/* met(i) of SPEC §6: a `min` rule is met by a rate not null and ≥ min; a `max` rule by a
 * null rate or one ≤ max. */
bool indicators_rule_met(const indicator_rule_t *rule, double rate);

/* The rates of SPEC §6 from counts and amounts already summed into f (eligible too, from
 * households_total and negative), with its funnel and segment shares: what every branch and
 * bank figure is finished with, so that cundang rollup recomputes rates the same way. */
void indicators_finish_figures(figures_t *f);
/* The rates of one trend month from its counts, over the households_total and eligible of the
 * report month. */
void indicators_finish_trend(trend_point_t *t, int64_t households_total, int64_t eligible);
/* Fills change[] of each of the TREND_MONTHS points of t, once their rates are finished. */
void indicators_trend_changes(trend_point_t *t);
/* a / b, NAN when b is 0: every rate of SPEC §6 (acceptance_rate, target_rate too). */
double indicators_ratio(int64_t a, int64_t b);

/* The position in ind->villages of model village v, or -1 when it is not selected. */
int indicators_village_pos(const indicators_t *ind, int v);

/* Whether finding f belongs to the selection (findings of no village only in full runs). */
bool indicators_finding_selected(const indicators_t *ind, const finding_t *f);

#endif
