/* tasks.h — the account managers' work lists of SPEC §8: for each selected branch, each of its
 * managers (未分配 included) and each list, the households on it at D. Computed once from the
 * indicators; the manager pages and the tasks workbooks only format them. */
#ifndef CUNDANG_TASKS_H
#define CUNDANG_TASKS_H

#include <stdbool.h>
#include <stdint.h>

#include "compute/indicators.h"

/* "m" and 16 hex digits, a "-N" for a clash, the NUL. */
#define TASKS_KEY_MAX 32

typedef struct {
	const manager_ind_t *fig; /* the manager's figures in this branch (in branch_ind_t) */
	char key[TASKS_KEY_MAX];  /* names managers/<branch>/<key>.html: see tasks_key() */
	int *list[TASK_COUNT];    /* model household indices on each list, into tasks_t.pool */
	int64_t n[TASK_COUNT];
	int *any; /* the households on at least one list, once each, in the same order */
	int64_t nany;
} task_manager_t;

typedef struct {
	task_manager_t *managers; /* as ind->branches[i].managers: by name */
	int nmanagers;
	int64_t n[TASK_COUNT]; /* the branch's households on each list: its managers' sums */
} task_branch_t;

typedef struct {
	task_branch_t *branches; /* as ind->branches */
	int nbranches;
	/* Per model household on a 逾期跟进 list: the most overdue_days of its loans outstanding
	 * at D (0 for the others). */
	int32_t *overdue_days;
	uint8_t *on; /* per model household: bit l set when it is on list l */
	int *pool;
} tasks_t;

/* Whether a household whose HH_* status at D is st is on list l. */
bool tasks_on_list(task_list_t l, uint8_t st, bool migrant);

/* A manager's key, stable month to month and a safe file name on any file system whatever the
 * name holds: "unassigned" for 未分配, else "m" and the 16 lowercase hex digits of the 64-bit
 * FNV-1a hash of the name's UTF-8 bytes. Returns buf (n ≥ TASKS_KEY_MAX). */
char *tasks_key(char *buf, size_t n, const char *name);

/* Computes the lists of every manager of ind's branches, households in the order of ind's
 * villages (by code) and of their rows. Two names of one branch whose keys clash (a hash
 * collision) get "-2", "-3" … after the key, in name order. The caller frees with
 * tasks_free(); ind must outlive the result. */
void tasks_compute(const indicators_t *ind, tasks_t *out);
void tasks_free(tasks_t *t);

#endif
