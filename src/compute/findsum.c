/* findsum.c — counts of the selected findings by code, file and village (findsum.h), in one
 * pass, so that no page has to list every finding to say how many there are. */
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
}

void findsum_free(findsum_t *s)
{
	free(s->codes);
	free(s->files);
	free(s->code_of);
	free(s->village_count);
	memset(s, 0, sizeof *s);
}
