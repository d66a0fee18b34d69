/* tasks.c — the work lists: two passes over the selected households of each branch (count, then
 * place), so every list is a slice of one array and nothing is searched. */
#include "compute/tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool tasks_on_list(task_list_t l, uint8_t st, bool migrant)
{
	switch (l) {
	case TASK_VISIT:
		return !(st & HH_VISITED);
	case TASK_ARCHIVE:
		return (st & HH_VISITED) && !(st & HH_ARCHIVED);
	case TASK_GRANT:
		return !(st & (HH_NEGATIVE | HH_GRANTED));
	case TASK_SIGN:
		return (st & HH_GRANTED) && !(st & HH_SIGNED);
	case TASK_USE:
		return (st & HH_SIGNED) && !(st & HH_USED);
	case TASK_OVERDUE:
		return (st & HH_OVERDUE) != 0;
	case TASK_MIGRANT:
		return migrant;
	default:
		return false;
	}
}

char *tasks_key(char *buf, size_t n, const char *name)
{
	if (!strcmp(name, MODEL_UNASSIGNED)) {
		snprintf(buf, n, "unassigned");
		return buf;
	}
	uint64_t h = 14695981039346656037ULL; /* FNV-1a, 64 bits */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	snprintf(buf, n, "m%016llx", (unsigned long long)h);
	return buf;
}

static int cmp_key(const void *a, const void *b)
{
	const task_manager_t *const *x = a, *const *y = b;
	int c = strcmp((*x)->key, (*y)->key);
	/* Equal keys keep name order (the array order), so the second name gets "-2". */
	return c ? c : (*x < *y ? -1 : *x > *y);
}

/* Gives the managers of one branch their keys, numbering the rare clashes. */
static void assign_keys(const model_t *m, task_branch_t *tb)
{
	int n = tb->nmanagers;
	task_manager_t **by = xmalloc(((size_t)n + 1) * sizeof *by);
	for (int i = 0; i < n; i++) {
		task_manager_t *tm = &tb->managers[i];
		tasks_key(tm->key, sizeof tm->key, m->managers[tm->fig->manager]);
		by[i] = tm;
	}
	qsort(by, (size_t)n, sizeof *by, cmp_key);
	for (int i = 1, run = 1; i < n; i++) {
		if (strncmp(by[i]->key, by[i - 1]->key, 17) != 0) {
			run = 1;
			continue;
		}
		char base[18];
		snprintf(base, sizeof base, "%.17s", by[i]->key);
		snprintf(by[i]->key, sizeof by[i]->key, "%.17s-%d", base, ++run % 1000000);
	}
	free(by);
}

/* The most overdue_days of household h's loans outstanding at D. */
static int32_t most_overdue(const indicators_t *ind, const household_t *hh)
{
	const model_t *m = ind->model;
	int32_t most = 0;
	for (int j = hh->first_loan; j < hh->first_loan + hh->nloans; j++) {
		int li = m->loan_order[j];
		if (ind->loan_outstanding[li] && m->loans[li].overdue_days > most)
			most = m->loans[li].overdue_days;
	}
	return most;
}

/* One pass over the households of branch position bi: counts them onto its managers' lists,
 * or, with place, writes them into the slices pass 1 sized (returns the entries counted).
 * mpos has room for every model manager. */
static size_t walk_branch(const indicators_t *ind, int bi, tasks_t *out, int *mpos, bool place)
{
	const model_t *m = ind->model;
	const branch_ind_t *br = &ind->branches[bi];
	task_branch_t *tb = &out->branches[bi];
	size_t entries = 0;
	for (int k = 0; k < br->nmanagers; k++)
		mpos[br->managers[k].manager] = k;
	for (int vk = 0; vk < ind->nvillages; vk++) {
		const village_t *v = &m->villages[ind->villages[vk].village];
		if (v->branch != br->branch)
			continue;
		for (int h = v->first_household; h < v->first_household + v->nhouseholds; h++) {
			const household_t *hh = &m->households[h];
			task_manager_t *tm = &tb->managers[mpos[hh->manager_idx]];
			uint8_t st = ind->hh_status[h], on = 0;
			for (int l = 0; l < TASK_COUNT; l++) {
				if (!tasks_on_list((task_list_t)l, st, hh->migrant))
					continue;
				on |= (uint8_t)(1u << l);
				if (place) {
					tm->list[l][tm->n[l]] = h;
					tb->n[l]++;
				}
				tm->n[l]++;
				entries++;
			}
			if (on) {
				if (place) {
					out->on[h] = on;
					tm->any[tm->nany] = h;
				}
				tm->nany++;
				entries++;
			}
			if (place && (st & HH_OVERDUE))
				out->overdue_days[h] = most_overdue(ind, hh);
		}
	}
	return entries;
}

void tasks_compute(const indicators_t *ind, tasks_t *out)
{
	const model_t *m = ind->model;
	memset(out, 0, sizeof *out);
	out->nbranches = ind->nbranches;
	out->branches = xcalloc((size_t)ind->nbranches + 1, sizeof *out->branches);
	out->overdue_days = xcalloc((size_t)m->nhouseholds + 1, sizeof *out->overdue_days);
	out->on = xcalloc((size_t)m->nhouseholds + 1, sizeof *out->on);
	int *mpos = xmalloc(((size_t)m->nmanagers + 1) * sizeof *mpos);
	/* Pass 1: every manager's count on every list. */
	size_t total = 0;
	for (int i = 0; i < ind->nbranches; i++) {
		const branch_ind_t *br = &ind->branches[i];
		task_branch_t *tb = &out->branches[i];
		tb->nmanagers = br->nmanagers;
		tb->managers = xcalloc((size_t)br->nmanagers + 1, sizeof *tb->managers);
		for (int k = 0; k < br->nmanagers; k++)
			tb->managers[k].fig = &br->managers[k];
		assign_keys(m, tb);
		total += walk_branch(ind, i, out, mpos, false);
	}
	/* Pass 2: each list a slice of the pool, filled in village and row order. */
	out->pool = xmalloc((total + 1) * sizeof *out->pool);
	size_t at = 0;
	for (int i = 0; i < ind->nbranches; i++) {
		for (int k = 0; k < out->branches[i].nmanagers; k++) {
			task_manager_t *tm = &out->branches[i].managers[k];
			for (int l = 0; l < TASK_COUNT; l++) {
				tm->list[l] = out->pool + at;
				at += (size_t)tm->n[l];
				tm->n[l] = 0; /* counted again as placed */
			}
			tm->any = out->pool + at;
			at += (size_t)tm->nany;
			tm->nany = 0;
		}
		walk_branch(ind, i, out, mpos, true);
	}
	free(mpos);
}

void tasks_free(tasks_t *t)
{
	for (int i = 0; i < t->nbranches; i++)
		free(t->branches[i].managers);
	free(t->branches);
	free(t->overdue_days);
	free(t->on);
	free(t->pool);
	memset(t, 0, sizeof *t);
}
