/* indicators.c — one pass over the kept households and their loans computes the village
 * figures and 12-month trend; branches, bank and acceptance are then derived from sums. */
#include "compute/indicators.h"

#include <stdlib.h>
#include <string.h>

#include "compute/findsum.h"

bool indicators_rule_met(const indicator_rule_t *rule, double rate)
{
	if (rule->is_max)
		return isnan(rate) || rate <= rule->threshold;
	return !isnan(rate) && rate >= rule->threshold;
}

int indicators_village_pos(const indicators_t *ind, int v)
{
	return v >= 0 && v < ind->model->nvillages ? ind->village_pos[v] : -1;
}

static double ratio(int64_t a, int64_t b)
{
	return b == 0 ? NAN : (double)a / (double)b;
}

/* Trend slot (0..11) from which a date counts, 12 when it never counts in the window. */
static int slot_of(int32_t ymd, int32_t first_month)
{
	if (!ymd)
		return TREND_MONTHS;
	int32_t ym = ymd / 100;
	int k = (ym / 100 - first_month / 100) * 12 + (ym % 100 - first_month % 100);
	if (k < 0)
		return 0;
	return k > TREND_MONTHS ? TREND_MONTHS : k;
}

/* The slot of a date counted at D: a date after D (later in the report month, with --as-of)
 * is not yet counted, whatever month it falls in. */
static int slot_at(int32_t ymd, int32_t first_month, int32_t as_of)
{
	return ymd > as_of ? TREND_MONTHS : slot_of(ymd, first_month);
}

static void finish_rates(figures_t *f)
{
	counts_t *c = &f->c;
	c->eligible = c->households_total - c->negative;
	f->rate[RATE_VISIT] = ratio(c->visited, c->households_total);
	f->rate[RATE_ARCHIVE] = ratio(c->archived, c->households_total);
	f->rate[RATE_COVERAGE] = ratio(c->granted, c->eligible);
	f->rate[RATE_SIGNING] = ratio(c->signed_, c->granted);
	f->rate[RATE_USAGE] = ratio(c->used, c->granted);
	f->rate[RATE_AMOUNT_USAGE] = ratio(c->balance_total, c->credit_total);
	f->rate[RATE_NPL] = ratio(c->npl_balance, c->balance_total);
	f->rate[RATE_ONLINE] = ratio(c->loans_online, c->loans_outstanding);
	const int64_t steps[FUNNEL_COUNT] = {c->households_total, c->visited, c->archived,
	                                     c->granted,          c->signed_, c->used};
	for (int i = 0; i < FUNNEL_COUNT; i++) {
		f->funnel[i] = steps[i];
		f->funnel_share[i] = ratio(steps[i], c->households_total);
	}
	f->segments_total = 0;
	for (int s = 0; s < SEG_COUNT; s++)
		f->segments_total += f->segments[s];
	for (int s = 0; s < SEG_COUNT; s++)
		f->segment_share[s] = ratio(f->segments[s], f->segments_total);
}

static void finish_trend(trend_point_t *t, int64_t households_total, int64_t eligible)
{
	t->visit_rate = ratio(t->visited, households_total);
	t->archive_rate = ratio(t->archived, households_total);
	t->credit_coverage = ratio(t->granted, eligible);
	t->signing_rate = ratio(t->signed_, t->granted);
	t->usage_rate = ratio(t->used, t->granted);
}

/* Adds the counts of one trend to another; the rates are finish_trend's, from the sums. */
static void add_trend(trend_point_t *dst, const trend_point_t *src)
{
	for (int s = 0; s < TREND_MONTHS; s++) {
		dst[s].month = src[s].month;
		dst[s].visited += src[s].visited;
		dst[s].archived += src[s].archived;
		dst[s].granted += src[s].granted;
		dst[s].signed_ += src[s].signed_;
		dst[s].used += src[s].used;
	}
}

vocab_household_t indicators_hh_state(uint8_t st)
{
	if (st & HH_NEGATIVE)
		return VOCAB_HH_NEGATIVE;
	if (st & HH_USED)
		return VOCAB_HH_USED;
	if (st & HH_SIGNED)
		return VOCAB_HH_SIGNED;
	if (st & HH_GRANTED)
		return VOCAB_HH_GRANTED;
	if (st & HH_ARCHIVED)
		return VOCAB_HH_ARCHIVED;
	if (st & HH_VISITED)
		return VOCAB_HH_VISITED;
	return VOCAB_HH_NONE;
}

void indicators_finish_figures(figures_t *f)
{
	finish_rates(f);
}

void indicators_finish_trend(trend_point_t *t, int64_t households_total, int64_t eligible)
{
	finish_trend(t, households_total, eligible);
}

/* b - a, NAN when either is null. */
static double change(double a, double b)
{
	return isnan(a) || isnan(b) ? NAN : b - a;
}

void indicators_trend_changes(trend_point_t *t)
{
	for (int s = 0; s < TREND_MONTHS; s++) {
		const trend_point_t *p = s ? &t[s - 1] : NULL;
		const double now[TREND_RATES] = {t[s].visit_rate, t[s].archive_rate,
		                                 t[s].credit_coverage, t[s].signing_rate,
		                                 t[s].usage_rate};
		const double before[TREND_RATES] = {
		    p ? p->visit_rate : NAN, p ? p->archive_rate : NAN,
		    p ? p->credit_coverage : NAN, p ? p->signing_rate : NAN,
		    p ? p->usage_rate : NAN};
		for (int k = 0; k < TREND_RATES; k++)
			t[s].change[k] = change(before[k], now[k]);
	}
}

double indicators_ratio(int64_t a, int64_t b)
{
	return ratio(a, b);
}

static void finish_managers(manager_ind_t *mg, int n)
{
	for (int i = 0; i < n; i++) {
		mg[i].visit_rate = ratio(mg[i].visited, mg[i].listed);
		mg[i].signing_rate = ratio(mg[i].signed_, mg[i].granted);
		mg[i].usage_rate = ratio(mg[i].used, mg[i].granted);
	}
}

static void add_counts(figures_t *dst, const figures_t *src)
{
	counts_t *a = &dst->c;
	const counts_t *b = &src->c;
	a->households_total += b->households_total;
	a->listed += b->listed;
	a->negative += b->negative;
	a->visited += b->visited;
	a->archived += b->archived;
	a->granted += b->granted;
	a->signed_ += b->signed_;
	a->used += b->used;
	a->overdue += b->overdue;
	a->loans_outstanding += b->loans_outstanding;
	a->loans_online += b->loans_online;
	a->credit_total += b->credit_total;
	a->balance_total += b->balance_total;
	a->npl_balance += b->npl_balance;
	for (int s = 0; s < SEG_COUNT; s++)
		dst->segments[s] += src->segments[s];
}

/* Counts one village's households and loans, at D and for each trend month. */
static void compute_village(const model_t *m, const village_t *v, int32_t first_month,
                            int32_t as_of, village_ind_t *vi, manager_ind_t *mgr, uint8_t *status,
                            int64_t *balance, uint8_t *loan_out)
{
	int64_t start[5][TREND_MONTHS + 1] = {{0}}; /* visited, archived, granted, signed, used */
	counts_t *c = &vi->f.c;
	const int now = TREND_MONTHS - 1;
	for (int i = v->first_household; i < v->first_household + v->nhouseholds; i++) {
		const household_t *h = &m->households[i];
		manager_ind_t *mg = &mgr[h->manager_idx];
		int negative = h->negative_reason[0] != '\0';
		int vs = slot_at(h->visited_on, first_month, as_of);
		int as = slot_at(h->archived_on, first_month, as_of);
		int gs = negative || h->credit_line <= 0
		             ? TREND_MONTHS
		             : slot_at(h->granted_on, first_month, as_of);
		int ss = slot_at(h->signed_on, first_month, as_of);
		if (ss < gs)
			ss = gs;
		/* Months in which at least one loan is outstanding, as a bit mask. */
		unsigned out_mask = 0;
		int overdue = 0;
		for (int k = h->first_loan; k < h->first_loan + h->nloans; k++) {
			int li = m->loan_order[k];
			const loan_t *l = &m->loans[li];
			int a = slot_at(l->disbursed_on, first_month, as_of);
			int b = l->settled_on ? slot_at(l->settled_on, first_month, as_of)
			                      : TREND_MONTHS;
			for (int s = a; s < b && s < TREND_MONTHS; s++)
				out_mask |= 1u << s;
			if (a <= now && b > now) { /* outstanding at D */
				loan_out[li] = 1;
				balance[i] += l->balance;
				c->loans_outstanding++;
				c->loans_online += l->online;
				c->balance_total += l->balance;
				mg->balance_total += l->balance;
				if (l->overdue_days > 0)
					overdue = 1;
				if (l->overdue_days > 90)
					c->npl_balance += l->balance;
			}
		}
		unsigned granted_mask = gs < TREND_MONTHS ? ~((1u << gs) - 1) : 0;
		unsigned used_mask = out_mask & granted_mask;
		int us = used_mask ? __builtin_ctz(used_mask) : TREND_MONTHS;
		/* used can stop again (a loan settled); count it per month from the mask. */
		for (int s = us; s < TREND_MONTHS; s++)
			if (used_mask & (1u << s))
				start[4][s]++;
		start[0][vs]++;
		start[1][as]++;
		start[2][gs]++;
		start[3][ss]++;

		c->listed++;
		c->negative += negative;
		c->overdue += overdue;
		if (gs <= now) {
			c->credit_total += h->credit_line;
			vi->f.segments[h->segment]++;
		}
		mg->listed++;
		mg->visited += vs <= now;
		mg->granted += gs <= now;
		mg->signed_ += ss <= now;
		mg->used += (used_mask >> now) & 1u;
		status[i] = (uint8_t)((vs <= now ? HH_VISITED : 0) | (as <= now ? HH_ARCHIVED : 0) |
		                      (gs <= now ? HH_GRANTED : 0) | (ss <= now ? HH_SIGNED : 0) |
		                      ((used_mask >> now) & 1u ? HH_USED : 0) |
		                      (overdue ? HH_OVERDUE : 0) | (negative ? HH_NEGATIVE : 0));
	}
	/* start[0..3] hold "first month counted"; prefix sums give the count per month.
	 * start[4] already holds per-month counts. */
	int64_t run[4] = {0};
	for (int s = 0; s < TREND_MONTHS; s++) {
		trend_point_t *t = &vi->trend[s];
		for (int k = 0; k < 4; k++)
			run[k] += start[k][s];
		t->visited = run[0];
		t->archived = run[1];
		t->granted = run[2];
		t->signed_ = run[3];
		t->used = start[4][s];
	}
	c->visited = vi->trend[now].visited;
	c->archived = vi->trend[now].archived;
	c->granted = vi->trend[now].granted;
	c->signed_ = vi->trend[now].signed_;
	c->used = vi->trend[now].used;
	c->households_total = v->households_total > c->listed ? v->households_total : c->listed;
	finish_rates(&vi->f);
	for (int s = 0; s < TREND_MONTHS; s++) {
		vi->trend[s].month = value_month_add(first_month, s);
		finish_trend(&vi->trend[s], c->households_total, c->eligible);
	}
	indicators_trend_changes(vi->trend);
}

/* Acceptance of SPEC §6 for a started village. */
static void accept_village(const site_t *site, const village_t *v, village_ind_t *vi)
{
	double sum = 0, total = 0;
	int all_met = 1;
	vi->met = xcalloc((size_t)site->nindicators + 1, sizeof *vi->met);
	vi->gap = xcalloc((size_t)site->nindicators + 1, sizeof *vi->gap);
	vi->failed = xcalloc((size_t)(site->nindicators + site->nchecks) + 1, sizeof *vi->failed);
	for (int i = 0; i < site->nindicators; i++) {
		const indicator_rule_t *r = &site->indicators[i];
		double rate = vi->f.rate[r->rate];
		bool met = indicators_rule_met(r, rate);
		double attain;
		if (r->is_max)
			attain = met ? 1 : 0;
		else
			attain =
			    isnan(rate) ? 0 : (rate / r->threshold < 1 ? rate / r->threshold : 1);
		vi->met[i] = met;
		if (!met) /* a `max` is never unmet by a null rate */
			vi->gap[i] = r->is_max ? rate - r->threshold
			                       : r->threshold - (isnan(rate) ? 0 : rate);
		if (!met) {
			all_met = 0;
			vi->failed[vi->nfailed++] = i;
		}
		sum += r->weight * attain;
		total += r->weight;
	}
	int checks_ok = 1;
	for (int j = 0; j < site->nchecks; j++) {
		const check_rule_t *k = &site->checks[j];
		sum += k->weight * (v->checks[j] ? 1 : 0);
		total += k->weight;
		if (k->required && !v->checks[j]) {
			checks_ok = 0;
			vi->failed[vi->nfailed++] = -1 - j;
		}
	}
	/* With nothing weighed there is nothing to miss: the score is full. */
	vi->score = total > 0 ? 100.0 * sum / total : 100.0;
	/* Half-up to two decimals; the epsilon absorbs binary noise such as 84.12499999. */
	vi->score_rounded = floor(vi->score * 100.0 + 0.5 + 1e-9) / 100.0;
	vi->verdict =
	    all_met && checks_ok && vi->score >= site->pass_score ? VERDICT_PASS : VERDICT_FAIL;
	if (vi->verdict == VERDICT_PASS)
		vi->nfailed = 0;
}

static int cmp_branch(const void *a, const void *b, void *ctx)
{
	const site_t *s = ctx;
	return strcmp(s->branches[*(const int *)a].code, s->branches[*(const int *)b].code);
}

/* Selection: marks the branches named in codes (all when ncodes is 0) in
 * out->branch_selected, and lays out out->branches in code order; pos[b] is then the position
 * of site branch b in out->branches (selected branches only). Returns 0, or -1 with err for an
 * unknown code. */
static int select_branches(const site_t *site, char **codes, int ncodes, indicators_t *out,
                           int *pos, err_t *err)
{
	out->branch_selected = xcalloc((size_t)site->nbranches + 1, sizeof *out->branch_selected);
	for (int i = 0; i < ncodes; i++) {
		int found = -1;
		for (int b = 0; b < site->nbranches; b++)
			if (!strcmp(site->branches[b].code, codes[i]))
				found = b;
		if (found < 0)
			return err_set(err, NULL, 0,
			               "unknown branch code '%s' (site.yaml has no such branch)",
			               codes[i]);
		out->branch_selected[found] = true;
	}
	for (int b = 0; b < site->nbranches; b++)
		if (!ncodes)
			out->branch_selected[b] = true;

	int *order = xmalloc(((size_t)site->nbranches + 1) * sizeof *order);
	int nb = 0;
	for (int b = 0; b < site->nbranches; b++)
		if (out->branch_selected[b])
			order[nb++] = b;
	qsort_r(order, (size_t)nb, sizeof *order, cmp_branch, (void *)site);
	out->branches = xcalloc((size_t)nb + 1, sizeof *out->branches);
	out->nbranches = nb;
	for (int i = 0; i < nb; i++) {
		out->branches[i].branch = order[i];
		pos[order[i]] = i;
	}
	free(order);
	return 0;
}

/* Villages: counts each selected village (figures, trend, household and loan status at D,
 * manager figures into mgr, nbranches × nmanagers) and its acceptance, and adds its counts,
 * trend and verdict to its branch in out->branches (not yet finished: branch rates are
 * compute_branches'). */
static void compute_villages(const model_t *m, int32_t first_month, const int *pos,
                             manager_ind_t *mgr, indicators_t *out)
{
	const site_t *site = &m->site;
	size_t nm = (size_t)m->nmanagers;
	out->village_pos = xmalloc(((size_t)m->nvillages + 1) * sizeof *out->village_pos);
	out->hh_status = xcalloc((size_t)m->nhouseholds + 1, sizeof *out->hh_status);
	out->hh_balance = xcalloc((size_t)m->nhouseholds + 1, sizeof *out->hh_balance);
	out->loan_outstanding = xcalloc((size_t)m->nloans + 1, sizeof *out->loan_outstanding);
	out->villages = xcalloc((size_t)m->nvillages + 1, sizeof *out->villages);
	for (int v = 0; v < m->nvillages; v++) {
		const village_t *vill = &m->villages[v];
		out->village_pos[v] = -1;
		if (!out->branch_selected[vill->branch])
			continue;
		out->village_pos[v] = out->nvillages;
		village_ind_t *vi = &out->villages[out->nvillages++];
		vi->village = v;
		compute_village(m, vill, first_month, out->as_of, vi,
		                mgr + (size_t)pos[vill->branch] * nm, out->hh_status,
		                out->hh_balance, out->loan_outstanding);
		branch_ind_t *br = &out->branches[pos[vill->branch]];
		add_counts(&br->f, &vi->f);
		add_trend(br->trend, vi->trend);
		if (vill->launched_on && vill->launched_on > out->as_of) {
			vi->verdict = VERDICT_NOT_STARTED;
			vi->score = vi->score_rounded = NAN;
			br->villages_not_started++;
			continue;
		}
		accept_village(site, vill, vi);
		br->villages_total++;
		br->villages_passed += vi->verdict == VERDICT_PASS;
		br->villages_failed += vi->verdict == VERDICT_FAIL;
	}
}

/* Branches: rates, acceptance rate, target rate and trend rates of each branch, from the sums
 * compute_villages left in it. */
static void compute_branches(const site_t *site, int32_t first_month, indicators_t *out)
{
	for (int i = 0; i < out->nbranches; i++) {
		branch_ind_t *br = &out->branches[i];
		const branch_t *b = &site->branches[br->branch];
		finish_rates(&br->f);
		br->acceptance_rate = ratio(br->villages_passed, br->villages_total);
		br->target_rate = b->has_target ? ratio(br->f.c.granted, b->target_granted) : NAN;
		for (int s = 0; s < TREND_MONTHS; s++) {
			br->trend[s].month =
			    value_month_add(first_month, s); /* a branch of no village too */
			finish_trend(&br->trend[s], br->f.c.households_total, br->f.c.eligible);
		}
		indicators_trend_changes(br->trend);
	}
}

/* Bank: the sums of the finished branches, its rates, acceptance, target and trend. */
static void compute_bank(const site_t *site, int32_t first_month, indicators_t *out)
{
	for (int i = 0; i < out->nbranches; i++) {
		const branch_ind_t *br = &out->branches[i];
		add_counts(&out->bank, &br->f);
		add_trend(out->trend, br->trend);
		out->villages_total += br->villages_total;
		out->villages_passed += br->villages_passed;
		out->villages_failed += br->villages_failed;
		out->villages_not_started += br->villages_not_started;
	}
	finish_rates(&out->bank);
	out->acceptance_rate = ratio(out->villages_passed, out->villages_total);
	/* The bank's target is the branches' only when each has one: a partial sum would make the
	 * bank look further along than it is. Not in the indicator document (SPEC §6 gives
	 * target_granted to branches only); the index and the summary workbook show it. */
	out->has_target = out->nbranches > 0;
	for (int i = 0; i < out->nbranches; i++) {
		const branch_t *b = &site->branches[out->branches[i].branch];
		out->has_target &= b->has_target;
		out->target_granted += b->has_target ? b->target_granted : 0;
	}
	if (!out->has_target)
		out->target_granted = 0;
	out->target_rate = out->has_target ? ratio(out->bank.c.granted, out->target_granted) : NAN;
	for (int s = 0; s < TREND_MONTHS; s++) {
		out->trend[s].month = value_month_add(first_month, s);
		finish_trend(&out->trend[s], out->bank.c.households_total, out->bank.c.eligible);
	}
	indicators_trend_changes(out->trend);
}

typedef struct {
	const model_t *m;
	const manager_ind_t *list;
} rank_ctx_t;

static int cmp_rank(const void *a, const void *b, void *ctx)
{
	const rank_ctx_t *r = ctx;
	const manager_ind_t *x = &r->list[*(const int *)a], *y = &r->list[*(const int *)b];
	const char *nx = r->m->managers[x->manager], *ny = r->m->managers[y->manager];
	int ux = !strcmp(nx, MODEL_UNASSIGNED), uy = !strcmp(ny, MODEL_UNASSIGNED);
	if (ux != uy)
		return ux - uy;
	double kx[2] = {x->usage_rate, x->signing_rate}, ky[2] = {y->usage_rate, y->signing_rate};
	for (int i = 0; i < 2; i++) {
		int zx = isnan(kx[i]), zy = isnan(ky[i]);
		if (zx != zy)
			return zx - zy;
		if (!zx && kx[i] != ky[i])
			return kx[i] > ky[i] ? -1 : 1;
	}
	return strcmp(nx, ny);
}

void indicators_rank_managers(const model_t *m, const manager_ind_t *list, int n, int *order)
{
	for (int i = 0; i < n; i++)
		order[i] = i;
	rank_ctx_t r = {m, list};
	qsort_r(order, (size_t)n, sizeof *order, cmp_rank, &r);
}

/* Managers: from mgr (nbranches × nmanagers, as compute_villages counted them), those with at
 * least one household in name order, per branch and summed for the bank, with their rates. */
static void compute_managers(const model_t *m, const manager_ind_t *mgr, indicators_t *out)
{
	size_t nm = (size_t)m->nmanagers;
	out->managers = xcalloc(nm + 1, sizeof *out->managers);
	manager_ind_t *bank = xcalloc(nm + 1, sizeof *bank);
	for (int b = 0; b < out->nbranches; b++) {
		branch_ind_t *br = &out->branches[b];
		br->managers = xcalloc(nm + 1, sizeof *br->managers);
		for (size_t i = 0; i < nm; i++) {
			manager_ind_t g = mgr[(size_t)b * nm + i];
			if (!g.listed)
				continue;
			g.manager = (int)i;
			br->managers[br->nmanagers++] = g;
			manager_ind_t *all = &br->managers_all;
			all->listed += g.listed;
			all->visited += g.visited;
			all->granted += g.granted;
			all->signed_ += g.signed_;
			all->used += g.used;
			all->balance_total += g.balance_total;
			bank[i].listed += g.listed;
			bank[i].visited += g.visited;
			bank[i].granted += g.granted;
			bank[i].signed_ += g.signed_;
			bank[i].used += g.used;
			bank[i].balance_total += g.balance_total;
		}
		finish_managers(br->managers, br->nmanagers);
		br->managers_all.manager = -1;
		finish_managers(&br->managers_all, 1);
		br->ranked = xmalloc(((size_t)br->nmanagers + 1) * sizeof *br->ranked);
		indicators_rank_managers(m, br->managers, br->nmanagers, br->ranked);
	}
	for (size_t i = 0; i < nm; i++) {
		if (!bank[i].listed)
			continue;
		bank[i].manager = (int)i;
		out->managers[out->nmanagers++] = bank[i];
	}
	finish_managers(out->managers, out->nmanagers);
	out->ranked = xmalloc(((size_t)out->nmanagers + 1) * sizeof *out->ranked);
	indicators_rank_managers(m, out->managers, out->nmanagers, out->ranked);
	/* The branches each of the bank's managers has households in (a name may manage in two,
	 * and 未分配 is in every branch that has households without one). */
	out->manager_branch_at =
	    xmalloc(((size_t)out->nmanagers + 1) * sizeof *out->manager_branch_at);
	size_t n = 0, cap = 0;
	for (int k = 0; k < out->nmanagers; k++) {
		out->manager_branch_at[k] = (int)n;
		for (int b = 0; b < out->nbranches; b++) {
			if (!mgr[(size_t)b * nm + (size_t)out->managers[k].manager].listed)
				continue;
			xgrow((void **)&out->manager_branches, &cap, n + 1,
			      sizeof *out->manager_branches);
			out->manager_branches[n++] = b;
		}
	}
	out->manager_branch_at[out->nmanagers] = (int)n;
	free(bank);
}

/* Findings: errors and warnings of the selection. */
static void count_findings(const model_t *m, indicators_t *out)
{
	for (int i = 0; i < m->nfindings; i++) {
		if (!indicators_finding_selected(out, &m->findings[i]))
			continue;
		if (m->findings[i].severity == SEV_ERROR)
			out->errors++;
		else
			out->warnings++;
	}
}

int indicators_compute(const model_t *m, int32_t month, char **codes, int ncodes, indicators_t *out,
                       err_t *err)
{
	return indicators_compute_at(m, month, 0, codes, ncodes, out, err);
}

int indicators_compute_at(const model_t *m, int32_t month, int32_t as_of_day, char **codes,
                          int ncodes, indicators_t *out, err_t *err)
{
	memset(out, 0, sizeof *out);
	out->model = m;
	out->month = month;
	out->as_of = as_of_day ? as_of_day : value_month_end(month);
	int *pos = xmalloc(((size_t)m->site.nbranches + 1) * sizeof *pos);
	if (select_branches(&m->site, codes, ncodes, out, pos, err) != 0) {
		free(pos);
		indicators_free(out);
		return -1;
	}
	int32_t first_month = value_month_add(month, -(TREND_MONTHS - 1));
	/* Manager figures per branch (nbranches × nmanagers); the bank's are their sums. */
	manager_ind_t *mgr =
	    xcalloc((size_t)out->nbranches * (size_t)m->nmanagers + 1, sizeof *mgr);
	compute_villages(m, first_month, pos, mgr, out);
	compute_branches(&m->site, first_month, out);
	compute_bank(&m->site, first_month, out);
	compute_managers(m, mgr, out);
	count_findings(m, out);
	out->fsum = xmalloc(sizeof *out->fsum);
	findsum_compute(out, out->fsum);
	free(mgr);
	free(pos);
	return 0;
}

bool indicators_finding_selected(const indicators_t *ind, const finding_t *f)
{
	const model_t *m = ind->model;
	int all = 1;
	for (int b = 0; b < m->site.nbranches; b++)
		all &= ind->branch_selected[b];
	if (f->village < 0)
		return all;
	return ind->branch_selected[m->villages[f->village].branch];
}

void indicators_free(indicators_t *ind)
{
	if (!ind)
		return;
	for (int i = 0; i < ind->nvillages; i++) {
		free(ind->villages[i].met);
		free(ind->villages[i].gap);
		free(ind->villages[i].failed);
	}
	free(ind->villages);
	for (int i = 0; i < ind->nbranches; i++) {
		free(ind->branches[i].managers);
		free(ind->branches[i].ranked);
	}
	free(ind->branches);
	free(ind->village_pos);
	free(ind->managers);
	free(ind->ranked);
	free(ind->manager_branch_at);
	free(ind->manager_branches);
	free(ind->branch_selected);
	free(ind->hh_status);
	free(ind->hh_balance);
	free(ind->loan_outstanding);
	if (ind->fsum)
		findsum_free(ind->fsum);
	free(ind->fsum);
	memset(ind, 0, sizeof *ind);
}

int indicators_compare(const indicators_t *ind, indicators_cmp_t *out, err_t *err)
{
	memset(out, 0, sizeof *out);
	const site_t *site = &ind->model->site;
	/* The selection by code: every selected branch named is the same selection as none named
	 * when all were selected (branch_selected alone decides what counts). */
	char **codes = xcalloc((size_t)site->nbranches + 1, sizeof *codes);
	int ncodes = 0;
	for (int b = 0; b < site->nbranches; b++)
		if (ind->branch_selected[b])
			codes[ncodes++] = site->branches[b].code;
	int rc = indicators_compute(ind->model, value_month_add(ind->month, -1), codes, ncodes,
	                            &out->prev, err);
	free(codes);
	if (rc != 0)
		return -1;
	out->prev_pos = xcalloc((size_t)ind->nvillages + 1, sizeof *out->prev_pos);
	out->score_delta = xcalloc((size_t)ind->nvillages + 1, sizeof *out->score_delta);
	for (int i = 0; i < ind->nvillages; i++) {
		const village_ind_t *vi = &ind->villages[i];
		int pp = indicators_village_pos(&out->prev, vi->village);
		out->prev_pos[i] = pp;
		double before = pp >= 0 ? out->prev.villages[pp].score_rounded : NAN;
		out->score_delta[i] =
		    isnan(vi->score_rounded) || isnan(before) ? NAN : vi->score_rounded - before;
	}
	out->delta_passed = xcalloc((size_t)ind->nbranches + 1, sizeof *out->delta_passed);
	for (int i = 0; i < ind->nbranches; i++)
		out->delta_passed[i] =
		    ind->branches[i].villages_passed - out->prev.branches[i].villages_passed;
	out->bank_delta_passed = ind->villages_passed - out->prev.villages_passed;
	for (int r = 0; r < RATE_COUNT; r++)
		out->bank_change[r] = change(out->prev.bank.rate[r], ind->bank.rate[r]);
	out->branch_change = xcalloc((size_t)ind->nbranches + 1, sizeof *out->branch_change);
	for (int i = 0; i < ind->nbranches; i++)
		for (int r = 0; r < RATE_COUNT; r++)
			out->branch_change[i][r] =
			    change(out->prev.branches[i].f.rate[r], ind->branches[i].f.rate[r]);
	out->village_change = xcalloc((size_t)ind->nvillages + 1, sizeof *out->village_change);
	for (int i = 0; i < ind->nvillages; i++)
		for (int r = 0; r < RATE_COUNT; r++) {
			int pp = out->prev_pos[i];
			out->village_change[i][r] = pp < 0
			                                ? NAN
			                                : change(out->prev.villages[pp].f.rate[r],
			                                         ind->villages[i].f.rate[r]);
		}
	return 0;
}

void indicators_cmp_free(indicators_cmp_t *cmp)
{
	if (!cmp)
		return;
	indicators_free(&cmp->prev);
	free(cmp->prev_pos);
	free(cmp->score_delta);
	free(cmp->delta_passed);
	free(cmp->branch_change);
	free(cmp->village_change);
	memset(cmp, 0, sizeof *cmp);
}
