/* archive.h — reads a whole input archive (site.yaml, villages/, loans/) into a model_t:
 * files are parsed in parallel, then merged in read order so results are deterministic. */
#ifndef CUNDANG_ARCHIVE_H
#define CUNDANG_ARCHIVE_H

#include "model.h"

/* Reads the archive in directory dir using up to jobs threads (≥ 1). Returns 0 with *m
 * filled — the caller frees it with model_free() — or -1 with err naming the file (and
 * line) of the first fatal problem in read order; *m is then empty. */
int archive_load(const char *dir, int jobs, model_t *m, err_t *err);

/* Is name a valid village code, [A-Za-z0-9_-]{1,64}? */
int archive_valid_code(const char *name);

#endif
