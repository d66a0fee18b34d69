/* rollup.h — the union of several banks' indicator documents (SPEC §8 Rollup): each bank an
 * entry like a branch, the union the sum of them, every rate recomputed from the sums. */
#ifndef CUNDANG_ROLLUP_H
#define CUNDANG_ROLLUP_H

#include "compute/indicators.h"
#include "read/inddoc.h"

/* The union as the renderers read a bank: a model whose site is the union (site.bank its
 * name, site.branches one per member bank) and no village, and its indicators, in which
 * bank is the union and branches[i] the member banks in code order. */
typedef struct {
	model_t model;
	indicators_t ind;
	int32_t month, as_of; /* of the documents; month may be fixed before the first is added */
	bool month_given;     /* month was fixed by the caller (--month) */
	const char **sources; /* per site branch: the SOURCE it was read from (borrowed) */
	size_t cap;
} rollup_t;

/* Starts an empty union named name (copied). month (yyyymm) is the report month the
 * documents must have, or 0 to take the first document's. Caller frees with rollup_free(). */
void rollup_init(rollup_t *r, const char *name, int32_t month);

/* Adds the bank of doc as member code (validated by the caller), read from source (kept for
 * messages; it must outlive r). Its counts and amounts are added to the union's, checked:
 * a sum that does not fit, a document of another month or another as-of day are -1 with err
 * naming source. */
int rollup_add(rollup_t *r, const char *code, const char *source, const inddoc_t *doc, err_t *err);

/* Lays the members out by code and finishes every rate, the union's and the members', from
 * the counts and amounts (indicators_finish_figures), and the trends'. */
void rollup_finish(rollup_t *r);

/* The SOURCE member i (a position in ind.branches) was read from. */
const char *rollup_source(const rollup_t *r, int i);

void rollup_free(rollup_t *r);

#endif
