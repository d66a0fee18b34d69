/* findsum.c — counts of the selected findings by code, file, village, and village and code
 * (findsum.h), so that no page has to list every finding to say how many there are. */
#include "compute/findsum.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const findsum_entry_t *)a)->key, ((const findsum_entry_t *)b)->key);
}

/* The entry of key in *list (found through map, added when new). */
static int entry(strmap_t *map, findsum_entry_t **list, int *n, int *cap, const char *key)
{
	int i = strmap_get(map, key);
	if (i >= 0)
		return i;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*list = xrealloc(*list, (size_t)*cap * sizeof **list);
	}
	(*list)[*n] = (findsum_entry_t){.key = key};
	strmap_put(map, key, *n);
	return (*n)++;
}

/* The groups of s (village, then code) from code_of, which is final: a count per village
 * and code (those of no village in the last row), then the groups in that order. */
static void group(const model_t *m, findsum_t *s)
{
	size_t nc = (size_t)s->ncodes, cells = ((size_t)m->nvillages + 1) * nc;
	int *cell = xmalloc((cells + 1) * sizeof *cell);
	for (size_t k = 0; k < cells; k++)
		cell[k] = 0;
	s->group_of = xmalloc(((size_t)m->nfindings + 1) * sizeof *s->group_of);
	for (int i = 0; i < m->nfindings; i++) {
		int c = s->code_of[i], v = m->findings[i].village;
		if (c >= 0)
			cell[(size_t)(v >= 0 ? v : m->nvillages) * nc + (size_t)c] = 1;
	}
	for (size_t k = 0; k < cells; k++)
		s->ngroups += cell[k];
	s->groups = xcalloc((size_t)s->ngroups + 1, sizeof *s->groups);
	int g = 0;
	for (size_t k = 0; k < cells; k++) {
		if (!cell[k])
			continue;
		int v = (int)(k / nc);
		s->groups[g] =
		    (findsum_group_t){.village = v < m->nvillages ? v : -1, .code = (int)(k % nc)};
		cell[k] = g++;
	}
	for (int i = 0; i < m->nfindings; i++) {
		int c = s->code_of[i], v = m->findings[i].village;
		s->group_of[i] = -1;
		if (c < 0)
			continue;
		int gi = cell[(size_t)(v >= 0 ? v : m->nvillages) * nc + (size_t)c];
		int err = m->findings[i].severity == SEV_ERROR;
		s->groups[gi].count++, s->groups[gi].errors += err, s->groups[gi].warnings += !err;
		s->group_of[i] = gi;
	}
	free(cell);
}

void findsum_compute(const indicators_t *ind, findsum_t *s)
{
	const model_t *m = ind->model;
	memset(s, 0, sizeof *s);
	s->code_of = xmalloc(((size_t)m->nfindings + 1) * sizeof *s->code_of);
	s->village_count = xcalloc((size_t)m->nvillages + 1, sizeof *s->village_count);
	strmap_t codes, files;
	strmap_init(&codes, 64);
	strmap_init(&files, 64);
	int ccap = 0, fcap = 0;
	for (int i = 0; i < m->nfindings; i++) {
		const finding_t *f = &m->findings[i];
		s->code_of[i] = -1;
		if (!indicators_finding_selected(ind, f))
			continue;
		int c = entry(&codes, &s->codes, &s->ncodes, &ccap, f->code);
		int k = entry(&files, &s->files, &s->nfiles, &fcap, f->file);
		int err = f->severity == SEV_ERROR;
		s->codes[c].count++, s->codes[c].errors += err, s->codes[c].warnings += !err;
		s->files[k].count++, s->files[k].errors += err, s->files[k].warnings += !err;
		s->code_of[i] = c;
		if (f->village >= 0)
			s->village_count[f->village]++;
		s->total++;
	}
	strmap_free(&files);
	/* Codes in bytewise order; code_of follows through the old positions. */
	int *newpos = xmalloc(((size_t)s->ncodes + 1) * sizeof *newpos);
	if (s->ncodes > 1)
		qsort(s->codes, (size_t)s->ncodes, sizeof *s->codes, cmp_entry);
	for (int j = 0; j < s->ncodes; j++)
		newpos[strmap_get(&codes, s->codes[j].key)] = j;
	for (int i = 0; i < m->nfindings; i++)
		if (s->code_of[i] >= 0)
			s->code_of[i] = newpos[s->code_of[i]];
	free(newpos);
	strmap_free(&codes);
	group(m, s);
}

void findsum_free(findsum_t *s)
{
	free(s->codes);
	free(s->files);
	free(s->code_of);
	free(s->village_count);
	free(s->groups);
	free(s->group_of);
	memset(s, 0, sizeof *s);
}
